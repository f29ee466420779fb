"""How to: log in as a user with 2FA, the way your client does it, and the short way.

anna (default seed) has 2FA on: her login token stays *pending* until a TOTP code is verified.
`mockhub.totp("anna")` is the code an authenticator app would show right now.
"""

import requests


def test_login_then_verify_the_code(mockhub):
    login = requests.post(f"{mockhub.api_url}/auth/login",
                          json={"username": "anna", "password": "mockhub"})
    assert login.status_code == 200
    assert login.json()["twofa_required"] is True
    headers = {"Authorization": f"token {login.json()['token']}"}

    # until the code is verified, only /me and /me/state accept the token
    assert requests.get(f"{mockhub.api_url}/me/keys", headers=headers).status_code == 401

    verify = requests.post(f"{mockhub.api_url}/me/2fa/verify", headers=headers,
                           json={"code": mockhub.totp("anna")})
    assert verify.json() == {"ok": True}
    assert requests.get(f"{mockhub.api_url}/me/keys", headers=headers).json()[0]["id"] == 7


def test_the_short_way(mockhub):
    token = mockhub.login("anna")  # logs in and verifies the code for you
    me = requests.get(f"{mockhub.api_url}/me", headers={"Authorization": f"token {token}"})
    assert me.json()["login"] == "anna"
