from helpers import call


def test_login_and_me(client):
    response = call(client, "POST", "/auth/login", json={"username": "mikael",
                                                         "password": "mockhub"})
    assert response.status_code == 200
    token = response.json["token"]
    me = call(client, "GET", "/me", token)
    assert me.status_code == 200
    assert me.json["login"] == "mikael"
