"""The whole invite flow over real HTTP: invite → mail → activate → log in → listed."""

from __future__ import annotations

import re

import requests
from helpers import FROZEN, auth

PASSWORD = "kund3-has-a-long-password"


def test_invite_flow_end_to_end(live_server):
    api = f"{live_server}/api/v2"
    with requests.Session() as http:
        created = http.post(f"{api}/admin/invites", headers=auth("lisa"), json={
            "email": "kund3@kundab.se", "fullName": "Kund Tre", "role": "user",
            "username": "kund3"}, timeout=5)
        assert created.status_code == 201
        token = created.json()["token"]

        mails = http.get(f"{live_server}/__mockhub/outbox",
                         params={"to": "kund3@kundab.se"}, timeout=5).json()
        assert len(mails) == 1
        link = re.search(r"https?://\S+/activate\?token=(\w+)", mails[0]["body"])
        assert link is not None
        assert link.group(0).startswith("https://noackhub.noackhosting.net/activate?token=")
        assert link.group(1) == token

        activated = http.post(f"{live_server}/__mockhub/invites/{link.group(1)}/activate",
                              json={"password": PASSWORD}, timeout=5)
        assert activated.status_code == 201

        logged_in = http.post(f"{api}/auth/login",
                              json={"username": "kund3", "password": PASSWORD}, timeout=5)
        assert logged_in.status_code == 200
        new_token = logged_in.json()["token"]
        state = http.get(f"{api}/me/state", headers=auth(new_token), timeout=5).json()
        assert (state["role"], state["invited_by"], state["activated_at"]) == (
            "user", "lisa", FROZEN)

        listed = http.get(f"{api}/admin/users", headers=auth("lisa"), timeout=5).json()
        assert [u["login"] for u in listed] == ["kund2", "kund3"]
        assert listed[1] == {"id": 6, "login": "kund3", "email": "kund3@kundab.se",
                             "is_admin": False, "active": True, "role": "user"}
        invites = http.get(f"{api}/admin/invites", headers=auth("lisa"), timeout=5).json()
        assert [(i["username"], i["status"]) for i in invites] == [("kund3", "accepted")]
        actions = [e["action"] for e in http.get(f"{live_server}/__mockhub/audit",
                                                 timeout=5).json()]
        assert actions == ["invite_created", "user_activated", "login"]


def test_the_mockhub_handle_reads_the_outbox_and_activates(mockhub):
    response = requests.post(f"{mockhub.api_url}/admin/invites", headers=auth("mikael"),
                             json={"username": "kund3", "email": "kund3@ex.se"}, timeout=5)
    assert response.status_code == 201
    mail = mockhub.outbox(to="kund3@ex.se")[0]
    assert mail["link"] in mail["body"]
    assert [m["invite_id"] for m in mockhub.outbox()] == [3, 4]
    user_id = mockhub.activate(mail["token"], PASSWORD)
    token = mockhub.login("kund3", PASSWORD)
    me = requests.get(f"{mockhub.api_url}/me", headers=auth(token), timeout=5).json()
    assert (me["id"], me["login"]) == (user_id, "kund3")
