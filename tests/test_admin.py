"""/admin: the reference's examples, the role matrix, invites, disable/enable, audit and outbox."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from helpers import FROZEN, call, login

from mockhub.errors import Conflict, Forbidden, Invalid

SEEDED_INVITE_TOKEN = "9c1d6f1e2b3a4c5d6e7f8091a2b3c4d5e6f70819"
EXAMPLE_INVITE = {"email": "kund@ex.se", "fullName": "Kund Namn", "role": "user",
                  "username": "kund1"}
PASSWORD = "a-good-long-password"


def invite(client, actor, username="kund3", email=None, role="user", **extra):
    body = {"username": username, "email": email or f"{username}@ex.se", "role": role,
            "fullName": f"Kund {username}"} | extra
    return call(client, "POST", "/admin/invites", actor, json=body)


def activate(client, token, password=PASSWORD):
    return client.post(f"/__mockhub/invites/{token}/activate", json={"password": password})


def logins(client, actor):
    return [u["login"] for u in call(client, "GET", "/admin/users", actor).json]


# --- the reference's examples, as mikael -----------------------------------------------------

def test_list_invites_example(client):
    response = call(client, "GET", "/admin/invites", "mikael")
    assert response.status_code == 200
    assert response.json == [{"id": 3, "username": "kund1", "email": "kund@ex.se",
                              "role": "user", "invited_by": "mikael", "status": "pending",
                              "created_at": "2026-05-13T07:00:00Z"}]


def test_create_invite_example(client):
    response = call(client, "POST", "/admin/invites", "mikael", json=EXAMPLE_INVITE)
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "username", "email", "role", "token", "status"}
    assert (body["id"], body["username"], body["email"], body["role"], body["status"]) == (
        4, "kund1", "kund@ex.se", "user", "pending")
    assert re.fullmatch(r"[0-9a-f]{40}", body["token"])


def test_list_users_example(client):
    response = call(client, "GET", "/admin/users", "mikael")
    assert response.status_code == 200
    assert {"id": 1, "login": "mikael", "email": "mikael@noackinfra.se", "is_admin": True,
            "active": True, "role": "site_admin"} in response.json
    assert {"id": 4, "login": "anna", "email": "anna@ex.se", "is_admin": False,
            "active": True, "role": "user"} in response.json
    assert [u["id"] for u in response.json] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("method, path", [
    ("POST", "/admin/users/bob/disable"),
    ("POST", "/admin/users/bob/enable"),
    ("DELETE", "/admin/users/bob"),
])
def test_user_lifecycle_examples(client, method, path):
    response = call(client, method, path, "mikael")
    assert response.status_code == 200
    assert response.json == {"ok": True}


# --- the role matrix -------------------------------------------------------------------------

ACTORS = {  # case: (actor, the user acted on)
    "user": ("bob", "kund2"),
    "customer_admin, own invitee": ("lisa", "kund2"),
    "customer_admin, someone else's user": ("lisa", "bob"),
    "site_admin": ("mikael", "bob"),
    "site_admin on self": ("mikael", "mikael"),
}
CASES = list(ACTORS)
# expected status per endpoint, in the order of CASES; for POST /admin/invites "someone else's"
# means a role that is not theirs to give (customer_admin), the other cases invite a `user`
MATRIX = {
    ("GET", "/admin/invites"): (403, 200, 200, 200, 200),
    ("POST", "/admin/invites"): (403, 201, 403, 201, 201),
    ("GET", "/admin/users"): (403, 200, 200, 200, 200),
    ("POST", "/admin/users/{target}/disable"): (403, 200, 403, 200, 409),
    ("POST", "/admin/users/{target}/enable"): (403, 200, 403, 200, 200),
    ("DELETE", "/admin/users/{target}"): (403, 200, 403, 200, 409),
}


@pytest.mark.parametrize("method, path, case, status", [
    (method, path, case, statuses[position])
    for (method, path), statuses in MATRIX.items()
    for position, case in enumerate(CASES)
])
def test_role_matrix(client, hub, method, path, case, status):
    actor, target = ACTORS[case]
    before = hub.store.snapshot()
    body = None
    if method == "POST" and path == "/admin/invites":
        role = "customer_admin" if case == "customer_admin, someone else's user" else "user"
        body = {"username": "kund9", "email": "kund9@ex.se", "role": role}
    response = call(client, method, path.format(target=target), actor, json=body)
    assert response.status_code == status, response.json
    if status >= 400:
        assert response.json["message"]
        assert hub.store.snapshot() == before  # a refused operation changes nothing
    if method == "GET" and path == "/admin/users" and status == 200:
        visible = case != "customer_admin, someone else's user"
        assert (target in logins(client, actor)) == visible


def test_customer_admin_sees_only_their_own(client):
    assert invite(client, "lisa", "kund3").status_code == 201
    assert invite(client, "mikael", "kund4").status_code == 201
    assert [i["username"] for i in call(client, "GET", "/admin/invites", "lisa").json] == [
        "kund3"]
    assert [i["username"] for i in call(client, "GET", "/admin/invites", "mikael").json] == [
        "kund1", "kund3", "kund4"]
    assert logins(client, "lisa") == ["kund2"]


@pytest.mark.parametrize("actor, method, path, status", [
    ("lisa", "POST", "/admin/users/lisa/disable", 409),  # self comes before scope
    ("lisa", "DELETE", "/admin/users/lisa", 409),
    ("lisa", "POST", "/admin/users/lisa/enable", 403),  # not her own invitee
    ("lisa", "POST", "/admin/users/mikael/disable", 403),
    ("lisa", "DELETE", "/admin/users/anna", 403),
    ("mikael", "POST", "/admin/users/LISA/disable", 200),  # logins are case-insensitive
    ("mikael", "POST", "/admin/users/nobody/disable", 404),
    ("mikael", "POST", "/admin/users/nobody/enable", 404),
    ("mikael", "DELETE", "/admin/users/nobody", 404),
    ("mikael", "DELETE", "/admin/users/ghost", 404),
    ("lisa", "DELETE", "/admin/users/nobody", 404),
    ("bob", "DELETE", "/admin/users/nobody", 403),  # a user learns nothing about who exists
    ("mikael", "GET", "/admin/users/bob/disable", 405),
    ("mikael", "PUT", "/admin/invites", 405),
])
def test_user_targets(client, actor, method, path, status):
    response = call(client, method, path, actor)
    assert response.status_code == status
    assert response.json == {"ok": True} if status == 200 else response.json["message"]


@pytest.mark.parametrize("method, path", [
    ("GET", "/admin/invites"), ("POST", "/admin/invites"), ("GET", "/admin/users"),
    ("POST", "/admin/users/bob/disable"), ("POST", "/admin/users/bob/enable"),
    ("DELETE", "/admin/users/bob"),
])
def test_admin_needs_a_token(client, method, path):
    assert call(client, method, path).status_code == 401
    assert call(client, method, path, "no-such-token").status_code == 401


def test_pending_2fa_token_cannot_administer(client, hub):
    hub.store.users.put(replace(hub.store.users.get(1), twofa_secret="JBSWY3DPEHPK3PXP"))
    token = login(client, "mikael").json["token"]
    assert call(client, "GET", "/admin/users", token).status_code == 401


# --- creating invites ------------------------------------------------------------------------

@pytest.mark.parametrize("body, fields", [
    ({"username": "bad name", "email": "x@ex.se"}, {"username"}),
    ({"username": "-dash", "email": "x@ex.se"}, {"username"}),
    ({"username": "a" * 40, "email": "x@ex.se"}, {"username"}),
    ({"username": "", "email": "x@ex.se"}, {"username"}),
    ({"username": "åsa", "email": "x@ex.se"}, {"username"}),
    ({"username": 42, "email": "x@ex.se"}, {"username"}),
    ({"email": "x@ex.se"}, {"username"}),
    ({"username": "kund3", "email": "not-an-address"}, {"email"}),
    ({"username": "kund3", "email": "a@b"}, {"email"}),
    ({"username": "kund3", "email": None}, {"email"}),
    ({"username": "kund3"}, {"email"}),
    ({"username": "kund3", "email": "x@ex.se", "role": "admin"}, {"role"}),
    ({"username": "kund3", "email": "x@ex.se", "role": "USER"}, {"role"}),
    ({"username": "kund3", "email": "x@ex.se", "role": None}, {"role"}),
    ({"username": "kund3", "email": "x@ex.se", "full_name": "Kund"}, {"full_name"}),
    ({"username": "kund3", "email": "x@ex.se", "fullName": "K" * 256}, {"fullName"}),
    ({"username": "kund3", "email": "x@ex.se", "fullName": 7}, {"fullName"}),
    ({"username": "kund3", "email": "x@ex.se", "shoe_size": 44}, {"shoe_size"}),
    ({"username": "bad name", "email": "nope", "role": "boss"}, {"username", "email", "role"}),
])
def test_invite_validation_names_the_field(client, hub, body, fields):
    before = hub.store.snapshot()
    response = call(client, "POST", "/admin/invites", "mikael", json=body)
    assert response.status_code == 422
    assert set(response.json["errors"]) == fields
    assert hub.store.snapshot() == before


@pytest.mark.parametrize("kwargs, status", [
    ({"data": "{not json", "content_type": "application/json"}, 400),
    ({"data": "[1, 2]", "content_type": "application/json"}, 422),
    ({"data": "null", "content_type": "application/json"}, 422),
    ({"data": "username=kund3", "content_type": "application/x-www-form-urlencoded"}, 415),
])
def test_invite_bad_bodies(client, kwargs, status):
    response = call(client, "POST", "/admin/invites", "mikael", **kwargs)
    assert response.status_code == status
    assert response.json["message"]


@pytest.mark.parametrize("kwargs, problem", [
    ({"username": "bad name"}, "username"),
    ({"email": "x" * 250 + "@ex.se"}, "email"),
    ({"role": "root"}, "role"),
    ({"full_name": "K" * 256}, "fullName"),
])
def test_store_validates_invites_too(hub, kwargs, problem):
    args = {"username": "kund3", "email": "kund3@ex.se"} | kwargs
    with pytest.raises(Invalid) as error:
        hub.store.create_invite(1, **args)
    assert problem in error.value.errors


@pytest.mark.parametrize("actor, username, email, field", [
    ("mikael", "bob", "someone@ex.se", "username"),
    ("mikael", "BOB", "someone@ex.se", "username"),
    ("mikael", "ghost", "someone@ex.se", "username"),
    ("mikael", "kund3", "anna@ex.se", "email"),
    ("mikael", "kund3", "ANNA@ex.se", "email"),
    ("mikael", "kund1", "other@ex.se", "username"),  # the pending invite's username
    ("mikael", "KUND1", "other@ex.se", "username"),
    ("mikael", "kund3", "kund@ex.se", "email"),  # the pending invite's e-mail
    ("lisa", "kund1", "kund@ex.se", "username"),  # mikael's pending invite, not hers to resend
])
def test_duplicates_are_409(client, hub, actor, username, email, field):
    before = hub.store.snapshot()
    response = invite(client, actor, username, email)
    assert response.status_code == 409
    assert field in response.json["errors"]
    assert hub.store.snapshot() == before


def test_inviting_the_same_person_again_resends(client):
    """The reference's POST example re-invites the seeded pending kund1: a new invite, new mail."""
    first = call(client, "POST", "/admin/invites", "mikael", json=EXAMPLE_INVITE).json
    assert first["token"] != SEEDED_INVITE_TOKEN
    statuses = {i["id"]: i["status"] for i in call(client, "GET", "/admin/invites",
                                                      "mikael").json}
    assert statuses == {3: "revoked", 4: "pending"}
    mails = client.get("/__mockhub/outbox?to=kund@ex.se").json
    assert [m["invite_id"] for m in mails] == [3, 4]
    assert activate(client, SEEDED_INVITE_TOKEN).status_code == 409
    assert activate(client, first["token"]).status_code == 201
    assert invite(client, "mikael", "kund1", "kund@ex.se").status_code == 409  # now a user


@pytest.mark.parametrize("role, status", [
    ("user", 201), ("customer_admin", 403), ("site_admin", 403)])
def test_customer_admin_may_invite_only_users(client, hub, role, status):
    before = hub.store.snapshot()
    response = invite(client, "lisa", role=role)
    assert response.status_code == status
    if status == 403:
        assert hub.store.snapshot() == before


@pytest.mark.parametrize("role", ["user", "customer_admin", "site_admin"])
def test_site_admin_may_invite_any_role(client, role):
    response = invite(client, "mikael", role=role)
    assert (response.status_code, response.json["role"]) == (201, role)
    user = activate(client, response.json["token"]).json
    assert user["role"] == role
    assert login(client, "kund3", PASSWORD).json["user"]["is_admin"] == (role == "site_admin")


def test_role_and_full_name_are_optional(client, hub):
    response = call(client, "POST", "/admin/invites", "lisa",
                    json={"username": "kund3", "email": "kund3@ex.se"})
    assert (response.status_code, response.json["role"]) == (201, "user")
    user = activate(client, response.json["token"]).json
    assert user["full_name"] == "kund3"


def test_store_refuses_plain_users_and_other_roles(hub):
    with pytest.raises(Forbidden):
        hub.store.create_invite(3, "kund3", "kund3@ex.se")
    with pytest.raises(Forbidden):
        hub.store.create_invite(2, "kund3", "kund3@ex.se", role="site_admin")
    with pytest.raises(Conflict):
        hub.store.disable_user(1, "mikael")


# --- the outbox and activation --------------------------------------------------------------

def test_seeded_invite_has_its_mail_in_the_outbox(client):
    mails = client.get("/__mockhub/outbox").json
    assert len(mails) == 1
    mail = mails[0]
    assert (mail["to"], mail["invite_id"], mail["created_at"]) == (
        "kund@ex.se", 3, "2026-05-13T07:00:00Z")
    link = f"https://noackhub.noackhosting.net/activate?token={SEEDED_INVITE_TOKEN}"
    assert mail["link"] == link
    assert link in mail["body"]
    assert mail["subject"] == "Aktivera ditt konto på NoackHub"
    assert "Hej Kund Namn!" in mail["body"]
    assert "har bjudit in dig" in mail["body"]


def test_new_invite_mail_names_inviter_and_uses_the_public_url():
    from mockhub.app import create_app

    client = create_app(clock=FROZEN, public_url="http://localhost:3000/").test_client()
    token = invite(client, "lisa", "kund3").json["token"]
    mail = client.get("/__mockhub/outbox?to=KUND3@ex.se").json[0]
    assert mail["link"] == f"http://localhost:3000/activate?token={token}"
    assert mail["link"] in mail["body"]
    assert "Lisa Lind (lisa)" in mail["body"]
    assert mail["created_at"] == FROZEN


def test_activation_creates_the_user(client, hub):
    hub.clock.advance(60)
    response = activate(client, SEEDED_INVITE_TOKEN)
    assert response.status_code == 201
    assert response.json == {"id": 6, "login": "kund1", "email": "kund@ex.se",
                             "full_name": "Kund Namn", "role": "user", "invited_by": "mikael",
                             "activated_at": "2026-05-13T10:31:00Z"}
    token = login(client, "kund1", PASSWORD).json["token"]
    assert call(client, "GET", "/me/state", token).json == {
        "role": "user", "twofa_enabled": False, "ssh_key_added": False,
        "invited_by": "mikael", "activated_at": "2026-05-13T10:31:00Z"}
    invites = call(client, "GET", "/admin/invites", "mikael").json
    assert invites[0]["status"] == "accepted"
    assert activate(client, SEEDED_INVITE_TOKEN).status_code == 409


@pytest.mark.parametrize("token, body, status, field", [
    (SEEDED_INVITE_TOKEN, {"password": "short"}, 422, "password"),
    (SEEDED_INVITE_TOKEN, {"password": "x" * 1025}, 422, "password"),
    (SEEDED_INVITE_TOKEN, {"password": 123456789012345}, 422, "password"),
    (SEEDED_INVITE_TOKEN, {}, 422, "password"),
    (SEEDED_INVITE_TOKEN, {"password": None}, 422, "password"),
    (SEEDED_INVITE_TOKEN, None, 422, "_schema"),  # no body at all
    (SEEDED_INVITE_TOKEN, {"password": PASSWORD, "login": "x"}, 422, "login"),
    (SEEDED_INVITE_TOKEN, [PASSWORD], 422, None),
    ("not-a-token", {"password": PASSWORD}, 404, None),
])
def test_activation_unhappy(client, hub, token, body, status, field):
    before = hub.store.snapshot()
    response = client.post(f"/__mockhub/invites/{token}/activate", json=body)
    assert response.status_code == status
    assert response.json["message"]
    if field:
        assert field in response.json["errors"]
    assert hub.store.snapshot() == before


def test_activation_refuses_a_username_taken_meanwhile(client, hub):
    # an e-mail change can make an invite's address someone's in the meantime
    assert call(client, "PATCH", "/me/profile", "bob", json={"email": "kund@ex.se"}
                ).status_code == 200
    before = hub.store.snapshot()
    assert activate(client, SEEDED_INVITE_TOKEN).status_code == 409
    assert hub.store.snapshot() == before


def test_outbox_and_activation_are_not_under_the_api(client):
    assert call(client, "GET", "/outbox", "mikael").status_code == 404
    response = client.post(f"/api/v2/invites/{SEEDED_INVITE_TOKEN}/activate",
                           json={"password": PASSWORD})
    assert response.status_code == 404


def test_reset_empties_what_was_sent(client, hub):
    invite(client, "mikael")
    assert len(client.get("/__mockhub/outbox").json) == 2
    hub.reset()
    assert len(client.get("/__mockhub/outbox").json) == 1


# --- disable and enable ---------------------------------------------------------------------

def test_disable_blocks_login_and_every_token_at_once(client):
    other = login(client, "bob").json["token"]
    assert call(client, "POST", "/admin/users/bob/disable", "mikael").status_code == 200
    assert call(client, "GET", "/me", "bob").status_code == 401
    assert call(client, "GET", "/me", other).status_code == 401
    assert login(client, "bob").status_code == 403
    listed = {u["login"]: u["active"] for u in call(client, "GET", "/admin/users",
                                                       "mikael").json}
    assert listed["bob"] is False
    assert call(client, "POST", "/admin/users/bob/enable", "mikael").status_code == 200
    fresh = login(client, "bob")
    assert fresh.status_code == 200
    assert call(client, "GET", "/me", fresh.json["token"]).status_code == 200
    assert call(client, "GET", "/me", other).status_code == 401  # revoked, not just paused


def test_customer_admin_disables_and_enables_her_invitee(client):
    assert call(client, "POST", "/admin/users/kund2/disable", "lisa").status_code == 200
    assert call(client, "GET", "/me", "kund2").status_code == 401
    assert login(client, "kund2").status_code == 403
    assert call(client, "POST", "/admin/users/kund2/enable", "lisa").status_code == 200
    assert login(client, "kund2").status_code == 200


def test_disable_and_enable_are_idempotent(client):
    for _ in range(2):
        assert call(client, "POST", "/admin/users/bob/disable", "mikael").status_code == 200
    for _ in range(2):
        assert call(client, "POST", "/admin/users/bob/enable", "mikael").status_code == 200
    actions = [e["action"] for e in client.get("/__mockhub/audit?actor=mikael").json]
    assert actions == ["user_disabled", "user_enabled"]


def test_a_disabled_customer_admin_cannot_administer(client):
    call(client, "POST", "/admin/users/lisa/disable", "mikael")
    assert call(client, "GET", "/admin/users", "lisa").status_code == 401


def test_there_is_always_an_active_site_admin(client):
    assert call(client, "POST", "/admin/users/mikael/disable", "mikael").status_code == 409
    assert call(client, "DELETE", "/admin/users/mikael", "mikael").status_code == 409
    assert login(client, "mikael").status_code == 200


# --- the audit log --------------------------------------------------------------------------

def test_every_admin_action_is_audited(client):
    token = invite(client, "lisa", "kund3").json["token"]
    activate(client, token)
    call(client, "POST", "/admin/users/kund3/disable", "lisa")
    call(client, "POST", "/admin/users/kund3/enable", "lisa")
    call(client, "POST", "/admin/invites", "mikael", json=EXAMPLE_INVITE)
    call(client, "DELETE", "/admin/users/kund3", "mikael")
    login(client, "bob", "wrong")
    events = client.get("/__mockhub/audit").json
    assert [(e["actor"], e["action"], e["target"]) for e in events] == [
        ("lisa", "invite_created", "kund3 (user)"),
        ("kund3", "user_activated", "kund3"),
        ("lisa", "user_disabled", "kund3"),
        ("lisa", "user_enabled", "kund3"),
        ("mikael", "invite_revoked", "kund1"),
        ("mikael", "invite_created", "kund1 (user)"),
        ("mikael", "user_purged", "kund3"),
        ("bob", "login_failed", "bob"),
    ]
    assert all(set(e) == {"id", "time", "actor", "action", "target"} for e in events)
    assert all(e["time"] == FROZEN for e in events)


def test_audit_filters(client):
    login(client, "bob")
    login(client, "anna", "wrong")
    assert [e["actor"] for e in client.get("/__mockhub/audit?action=login").json] == ["bob"]
    assert [e["action"] for e in client.get("/__mockhub/audit?actor=anna").json] == [
        "login_failed"]


def test_failed_admin_operations_leave_no_audit_entry(client):
    call(client, "POST", "/admin/users/mikael/disable", "mikael")
    call(client, "DELETE", "/admin/users/bob", "lisa")
    invite(client, "lisa", role="site_admin")
    assert client.get("/__mockhub/audit").json == []


# --- the contract ---------------------------------------------------------------------------

def test_openapi_documents_the_admin_surface(client):
    spec = client.get("/api/v2/openapi.json").json
    paths = spec["paths"]
    for path in ("/api/v2/admin/invites", "/api/v2/admin/users",
                 "/api/v2/admin/users/{login}/disable", "/api/v2/admin/users/{login}/enable",
                 "/api/v2/admin/users/{login}"):
        assert path in paths
    new_invite = spec["components"]["schemas"]["NewInvite"]["properties"]
    assert set(new_invite) == {"email", "fullName", "role", "username"}
    assert paths["/api/v2/admin/users"]["get"]["security"] == [{"token": []}]


# --- invites in seed files ------------------------------------------------------------------

def seeded_store(tmp_path, invites):
    from mockhub.app import build_store
    from mockhub.clock import Clock
    from mockhub.settings import Settings

    path = tmp_path / "seed.yaml"
    path.write_text("users:\n  - {login: boss, role: site_admin}\ninvites:\n" + invites,
                    encoding="utf-8")
    return build_store(Settings(seeds=[str(path)]), Clock())


def test_seeded_pending_invites_get_their_mail(tmp_path):
    store = seeded_store(tmp_path, (
        "  - {username: eva, email: eva@ex.se, invited_by: boss}\n"
        "  - {username: per, email: per@ex.se, invited_by: boss, status: accepted}\n"
        "  - {username: old, email: old@ex.se, invited_by: boss, status: revoked}\n"))
    assert [(mail.to, mail.invite_id) for mail, _ in store.outbox()] == [("eva@ex.se", 1)]
    assert store.activate_invite(store.invites.get(1).token, PASSWORD).login == "eva"


@pytest.mark.parametrize("invites, problem", [
    ("  - {username: bad name, email: x@ex.se, invited_by: boss}\n", "field 'username'"),
    ("  - {username: a, email: a@ex.se, invited_by: boss, token: t}\n"
     "  - {username: b, email: b@ex.se, invited_by: boss, token: t}\n", "field 'token'"),
    ("  - {username: a, email: a@ex.se, invited_by: boss, status: maybe}\n", "field 'status'"),
])
def test_bad_seeded_invites_are_refused(tmp_path, invites, problem):
    from mockhub.errors import SeedError

    with pytest.raises(SeedError, match=problem):
        seeded_store(tmp_path, invites)
