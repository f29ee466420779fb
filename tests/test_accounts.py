"""/auth/login and /me: the reference's examples, the rules of DESIGN.md and the unhappy paths."""

from __future__ import annotations

import base64

import pytest
from helpers import NEW_KEY, auth, call, login

from mockhub.sshkeys import parse_public_key

ANNA_KEY_FINGERPRINT = "SHA256:l3+9XE8dIojxshgY80L/K0nYKyauDBv6YjQ8fqSuGSE"


def code(hub, login_name, pending=False):
    return hub.store.totp_codes(login_name)["pending_code" if pending else "code"]


def wrong(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


# --- the reference's examples ---------------------------------------------------------------

def test_login_example(client):
    response = login(client, "anna")
    assert response.status_code == 200
    assert response.json["user"] == {"login": "anna", "email": "anna@ex.se", "is_admin": False}
    assert len(response.json["token"]) == 40


@pytest.mark.parametrize("path, expected", [
    ("/me", {"id": 4, "login": "anna", "full_name": "Anna Andersson", "email": "anna@ex.se",
             "avatar_url": "https://noackhub.noackhosting.net/avatars/anna", "is_admin": False}),
    ("/me/state", {"role": "user", "twofa_enabled": True, "ssh_key_added": True,
                   "invited_by": "mikael", "activated_at": "2026-05-12T10:14:21Z"}),
    ("/me/keys", [{"id": 7, "title": "laptop", "fingerprint": ANNA_KEY_FINGERPRINT,
                   "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAvgBVVxNdR50oiFlUET3nYOk1jh2esWG"
                          "BMZJPwbKCri anna@laptop"}]),
])
def test_read_examples(client, path, expected):
    response = call(client, "GET", path, "anna")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    if isinstance(expected, dict):
        assert expected.items() <= response.json.items()
    else:
        assert response.json == expected


def test_seeded_key_fingerprint_is_what_ssh_keygen_prints():
    key = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAvgBVVxNdR50oiFlUET3nYOk1jh2esWGBMZJPwbKCri")
    assert parse_public_key(key).fingerprint == ANNA_KEY_FINGERPRINT


def test_add_key_example_then_delete(client):
    added = call(client, "POST", "/me/keys", "bob", json={"key": NEW_KEY, "title": "laptop"})
    assert added.status_code == 201
    assert added.json["id"] == 8
    assert added.json["fingerprint"] == parse_public_key(NEW_KEY).fingerprint
    assert call(client, "GET", "/me/state", "bob").json["ssh_key_added"] is True
    assert call(client, "DELETE", "/me/keys/8", "bob").json == {"ok": True}
    assert call(client, "GET", "/me/keys", "bob").json == []
    assert call(client, "GET", "/me/state", "bob").json["ssh_key_added"] is False


def test_profile_example(client):
    body = {"email": "anna@ex.se", "full_name": "Anna Andersson", "location": "Stockholm"}
    assert call(client, "PATCH", "/me/profile", "anna", json=body).json == {"ok": True}
    changed = call(client, "PATCH", "/me/profile", "anna", json={"location": "Uppsala"})
    assert changed.status_code == 200
    assert call(client, "GET", "/me", "anna").json["location"] == "Uppsala"


# --- login ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username, password, status", [
    ("mikael", "mockhub", 200),
    ("MIKAEL", "mockhub", 200),
    ("mikael@noackinfra.se", "mockhub", 200),
    ("mikael", "wrong", 401),
    ("nobody", "mockhub", 401),
    ("", "mockhub", 422),
])
def test_login_outcomes(client, username, password, status):
    response = login(client, username, password)
    assert response.status_code == status
    assert ("token" in response.json) == (status == 200)
    if status != 200:
        assert response.json["message"]


def test_login_with_2fa_gives_a_pending_token_until_verified(client, hub):
    token = login(client, "anna").json["token"]
    assert call(client, "GET", "/me", token).status_code == 200
    assert call(client, "GET", "/me/state", token).status_code == 200
    blocked = call(client, "GET", "/me/keys", token)
    assert blocked.status_code == 401
    assert "2fa/verify" in blocked.json["message"]
    bad = call(client, "POST", "/me/2fa/verify", token, json={"code": wrong(code(hub, "anna"))})
    assert bad.status_code == 422
    assert "code" in bad.json["errors"]
    good = call(client, "POST", "/me/2fa/verify", token, json={"code": code(hub, "anna")})
    assert good.json == {"ok": True}
    assert call(client, "GET", "/me/keys", token).status_code == 200


# --- auth header ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    None, "", "token", "token ", "Bearer anna-token", "anna-token", "token nope",
    "Token anna-token",
])
def test_bad_authorization_is_401_with_envelope(client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/api/v2/me", headers=headers)
    assert response.status_code == 401
    assert set(response.json) == {"message"}


# --- password ------------------------------------------------------------------------------

@pytest.mark.parametrize("body, status, field", [
    ({"old_password": "mockhub", "new_password": "newPass12chars"}, 200, None),
    ({"old_password": "wrong", "new_password": "newPass12chars"}, 422, "old_password"),
    ({"old_password": "mockhub", "new_password": "short"}, 422, "new_password"),
    ({"old_password": "mockhub"}, 422, "new_password"),
    ({"old_password": "mockhub", "new_password": 123456789012}, 422, "new_password"),
])
def test_password_rules(client, body, status, field):
    response = call(client, "POST", "/me/password", "bob", json=body)
    assert response.status_code == status
    if field:
        assert field in response.json["errors"]
        assert login(client, "bob").status_code == 200  # unchanged


def test_password_change_revokes_other_tokens(client):
    other = login(client, "bob").json["token"]
    current = login(client, "bob").json["token"]
    body = {"old_password": "mockhub", "new_password": "a-much-longer-one"}
    assert call(client, "POST", "/me/password", current, json=body).status_code == 200
    assert call(client, "GET", "/me", other).status_code == 401
    assert call(client, "GET", "/me", "bob").status_code == 401  # the seeded token too
    assert call(client, "GET", "/me", current).status_code == 200
    assert login(client, "bob").status_code == 401
    assert login(client, "bob", "a-much-longer-one").status_code == 200


# --- 2FA -----------------------------------------------------------------------------------

def test_twofa_enrolment_cycle(client, hub):
    setup = call(client, "POST", "/me/2fa/setup", "bob")
    assert setup.status_code == 200
    secret = setup.json["secret"]
    assert len(base64.b32decode(secret)) == 20  # 160-bit secret
    assert setup.json["otpauth_url"] == (
        f"otpauth://totp/NoackHub:bob?secret={secret}&issuer=NoackHub")
    assert base64.b64decode(setup.json["qr_png_base64"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert call(client, "GET", "/me/state", "bob").json["twofa_enabled"] is False
    pending = code(hub, "bob", pending=True)
    assert call(client, "POST", "/me/2fa/confirm", "bob", json={"code": pending}).json == {
        "ok": True}
    assert call(client, "GET", "/me/state", "bob").json["twofa_enabled"] is True
    assert call(client, "POST", "/me/2fa/setup", "bob").status_code == 409
    assert login(client, "bob").json["twofa_required"] is True
    disable = call(client, "POST", "/me/2fa/disable", "bob", json={"code": code(hub, "bob")})
    assert disable.json == {"ok": True}
    assert call(client, "GET", "/me/state", "bob").json["twofa_enabled"] is False


def test_codes_follow_the_clock(client, hub):
    now = code(hub, "anna")
    hub.clock.advance(30)  # one step later the old code is still inside the ±1 window
    assert call(client, "POST", "/me/2fa/verify", "anna", json={"code": now}).status_code == 200
    hub.clock.advance(60)
    assert call(client, "POST", "/me/2fa/verify", "anna", json={"code": now}).status_code == 422


def test_same_faker_seed_gives_same_secret():
    from mockhub.app import create_app

    secrets = [call(create_app().test_client(), "POST", "/me/2fa/setup", "bob").json["secret"]
               for _ in range(2)]
    assert secrets[0] == secrets[1]


@pytest.mark.parametrize("path, user, body, status", [
    ("/me/2fa/confirm", "bob", {"code": "123456"}, 409),   # no setup started
    ("/me/2fa/disable", "bob", {"code": "123456"}, 409),   # 2FA not on
    ("/me/2fa/verify", "bob", {"code": "123456"}, 409),    # 2FA not on
    ("/me/2fa/setup", "anna", None, 409),                   # already on
    ("/me/2fa/disable", "anna", {"code": "12345"}, 422),
    ("/me/2fa/disable", "anna", {"code": "abcdef"}, 422),
    ("/me/2fa/disable", "anna", {"code": 123456}, 422),
    ("/me/2fa/disable", "anna", {}, 422),
    ("/me/2fa/disable", "anna", {"code": "123456", "extra": 1}, 422),
])
def test_twofa_unhappy(client, path, user, body, status):
    response = call(client, "POST", path, user, json=body)
    assert response.status_code == status
    assert response.json["message"]


# --- keys ----------------------------------------------------------------------------------

@pytest.mark.parametrize("key, status", [
    ("ssh-ed25519", 422),
    ("ssh-ed25519 not-base64!!", 422),
    ("ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIG2mkGqGB3l+JrU7Ac0ZmNkT2A2LUuj0oDQ1LzQnbDrS", 422),
    ("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIG2mkGqGB3l+JrU7Ac0ZmNkT2A2LUuj0oDQ1LzQnbDrS", 422),
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2m", 422),
    ("", 422),
    (NEW_KEY, 201),
])
def test_key_validation(client, key, status):
    response = call(client, "POST", "/me/keys", "bob", json={"key": key, "title": "t"})
    assert response.status_code == status
    if status == 422:
        assert "key" in response.json["errors"]
        assert call(client, "GET", "/me/keys", "bob").json == []


def test_same_key_twice_is_409_for_any_user(client):
    anna_key = call(client, "GET", "/me/keys", "anna").json[0]["key"]
    response = call(client, "POST", "/me/keys", "bob", json={"key": anna_key, "title": "x"})
    assert response.status_code == 409
    assert call(client, "GET", "/me/keys", "bob").json == []


@pytest.mark.parametrize("key_id", [7, 999])
def test_deleting_someone_elses_or_unknown_key_is_404(client, key_id):
    assert call(client, "DELETE", f"/me/keys/{key_id}", "bob").status_code == 404
    assert len(call(client, "GET", "/me/keys", "anna").json) == 1


# --- profile -------------------------------------------------------------------------------

@pytest.mark.parametrize("body, status, field", [
    ({"email": "not-an-address"}, 422, "email"),
    ({"email": "mikael@noackinfra.se"}, 409, "email"),
    ({"full_name": 42}, 422, "full_name"),
    ({"nickname": "x"}, 422, "nickname"),
])
def test_profile_unhappy(client, body, status, field):
    response = call(client, "PATCH", "/me/profile", "anna", json=body)
    assert response.status_code == status
    assert field in response.json["errors"]
    assert call(client, "GET", "/me", "anna").json["email"] == "anna@ex.se"


# --- bodies and methods --------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, status", [
    ({"data": "{not json", "content_type": "application/json"}, 400),
    ({"data": "[1, 2]", "content_type": "application/json"}, 422),
    ({"data": "username=a", "content_type": "application/x-www-form-urlencoded"}, 415),
    ({"data": "x" * 2_000_000, "content_type": "application/json"}, 413),
])
def test_bad_bodies(client, kwargs, status):
    response = client.post("/api/v2/auth/login", **kwargs)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert response.json["message"]


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/v2/nowhere", 404),
    ("DELETE", "/api/v2/me", 405),
    ("GET", "/api/v2/auth/login", 405),
    ("GET", "/api/v2/me/keys/abc", 404),
])
def test_flask_errors_use_the_envelope(client, method, path, status):
    response = client.open(path, method=method, headers=auth("anna"))
    assert response.status_code == status
    assert set(response.json) == {"message"}


def test_two_apps_do_not_share_state():
    from mockhub.app import create_app

    first, second = create_app().test_client(), create_app().test_client()
    assert call(first, "POST", "/me/keys", "bob", json={"key": NEW_KEY, "title": "a"}
                ).status_code == 201
    assert call(second, "GET", "/me/keys", "bob").json == []
    assert call(second, "POST", "/me/keys", "bob", json={"key": NEW_KEY, "title": "a"}
                ).status_code == 201
