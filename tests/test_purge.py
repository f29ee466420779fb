"""DELETE /admin/users/{user}: everything of theirs goes, their words elsewhere stay by ghost."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from helpers import call

from mockhub.errors import Invalid
from mockhub.store import models as m

PASSWORD = "a-good-long-password"
# fields that hold a user id; the walk below also treats any *_user_id / *_by_id field so
USER_ID_FIELDS = {"user_id", "owner_id", "invited_by_id"}


def references(snapshot, user_id, login, email):
    """Every place in a state snapshot that still points at a user (the audit log aside: it is
    a history of what happened, kept on purpose, like a real forge's)."""
    word = re.compile(rf"(?<![\w-]){re.escape(login)}(?![\w-])", re.IGNORECASE)
    found = []
    for table, rows in snapshot["tables"].items():
        if table == "audit_events":
            continue
        for row in rows:
            for field, value in row.items():
                is_ref = (field in USER_ID_FIELDS or field.endswith(("_user_id", "_by_id"))
                          or (table == "users" and field == "id"))
                names_them = isinstance(value, str) and (
                    word.search(value) is not None or email.lower() in value.lower())
                if (is_ref and value == user_id) or names_them:
                    found.append((table, row["id"], field))
    return found


def purge(client, login, actor="mikael"):
    response = call(client, "DELETE", f"/admin/users/{login}", actor)
    assert response.status_code == 200, response.json
    return response


def add_bobs_work_to_annas_repo(store):
    """bob writes on anna's repo: an issue, a pull, a comment and a commit (set up directly)."""
    store.issues.put(m.Issue(id=store.next_id(store.issues), repo_id=12, number=2,
                             title="Crash on start", user_id=3, created_at="2026-05-13T09:10:00Z",
                             updated_at="2026-05-13T09:10:00Z"))
    store.pulls.put(m.Pull(id=store.next_id(store.pulls), repo_id=12, number=2, title="Fix",
                           user_id=3, head="fix", base="main", created_at="2026-05-13T09:20:00Z"))
    store.comments.put(m.Comment(id=store.next_id(store.comments), repo_id=12, user_id=3,
                                 body="Review", created_at="2026-05-13T09:30:00Z", pull_id=50))
    store.commits.put(m.Commit(id=store.next_id(store.commits), repo_id=12, sha="b0b" * 4,
                               message="Fix typo", author_name="bob", author_email="bob@ex.se",
                               date="2026-05-13T09:40:00Z"))


def test_purge_removes_the_user_and_their_repos(client, hub):
    store = hub.store
    add_bobs_work_to_annas_repo(store)
    bobs_repo = store.repos.find("name", (3, "hemligt"))
    purge(client, "bob")
    assert "bob" not in [u["login"] for u in call(client, "GET", "/admin/users", "mikael").json]
    assert store.repos.get(bobs_repo.id) is None
    assert store.files.group("repo", bobs_repo.id) == []
    assert store.commits.group("repo", bobs_repo.id) == []
    assert call(client, "GET", "/me", "bob").status_code == 401
    assert call(client, "POST", "/auth/login",
                json={"username": "bob", "password": "mockhub"}).status_code == 401
    # what bob wrote on anna's repo stays, authored by ghost
    assert store.comments.get(222).user_id == m.GHOST_ID
    assert store.login_of(store.comments.get(222).user_id) == "ghost"
    assert [i.user_id for i in store.issues.group("repo", 12)] == [4, m.GHOST_ID]
    assert [p.user_id for p in store.pulls.group("repo", 12)] == [4, m.GHOST_ID]
    assert [c.user_id for c in store.comments.group("pull", 50)] == [m.GHOST_ID]
    assert [c.author_name for c in store.commits.group("repo", 12)] == ["anna", "ghost"]
    assert references(store.snapshot(), 3, "bob", "bob@ex.se") == []


def test_purge_takes_everything_under_a_repo(client, hub):
    store = hub.store
    purge(client, "anna")
    for table in (store.files, store.commits, store.collaborators, store.issues,
                  store.comments, store.pulls, store.releases, store.runs):
        assert table.group("repo", 12) == [], table.name
    assert store.jobs.get(88) is None
    assert store.keys.get(7) is None
    assert store.repos.get(12) is None
    assert references(store.snapshot(), 4, "anna", "anna@ex.se") == []


def test_purging_a_customer_admin_leaves_her_invitees(client, hub):
    store = hub.store
    token = call(client, "POST", "/admin/invites", "lisa",
                 json={"username": "kund3", "email": "kund3@ex.se"}).json["token"]
    assert client.post(f"/__mockhub/invites/{token}/activate",
                       json={"password": PASSWORD}).status_code == 201
    call(client, "POST", "/admin/invites", "lisa", json={"username": "kund4",
                                                          "email": "kund4@ex.se"})
    purge(client, "lisa")
    assert store.collaborators.group("user", 2) == []  # her seat on mikael/infra
    assert store.invites.group("inviter", 2) == []
    assert [mail.to for mail in store.emails] == ["kund@ex.se"]  # only mikael's invite's mail
    state = call(client, "GET", "/me/state", "kund2").json
    assert state["invited_by"] is None
    assert [u.login for u in store.users if u.invited_by_id is None] == [
        "mikael", "kund2", "kund3"]
    assert references(store.snapshot(), 2, "lisa", "lisa@kundab.se") == []


def test_purging_an_activated_invitee_removes_the_invite_they_received(client, hub):
    store = hub.store
    token = store.invites.get(3).token
    client.post(f"/__mockhub/invites/{token}/activate", json={"password": PASSWORD})
    user = store.users.find("login", "kund1")
    assert references(store.snapshot(), user.id, "kund1", "kund@ex.se")  # the walk finds them
    purge(client, "kund1")
    assert store.invites.get(3) is None
    assert list(store.emails) == []
    assert references(store.snapshot(), user.id, "kund1", "kund@ex.se") == []


@pytest.mark.parametrize("login, user_id, email", [
    ("bob", 3, "bob@ex.se"), ("anna", 4, "anna@ex.se"), ("lisa", 2, "lisa@kundab.se"),
    ("kund2", 5, "kund2@kundab.se"),
])
def test_nothing_points_at_a_purged_user(client, hub, login, user_id, email):
    add_bobs_work_to_annas_repo(hub.store)
    assert references(hub.store.snapshot(), user_id, login, email)  # the walk sees them first
    purge(client, login)
    assert references(hub.store.snapshot(), user_id, login, email) == []


def test_customer_admin_purges_her_invitee(client, hub):
    purge(client, "kund2", actor="lisa")
    assert hub.store.collaborators.group("repo", 12) == []  # kund2's write seat on mitt-repo
    assert call(client, "GET", "/admin/users", "lisa").json == []


def test_purge_keeps_the_audit_history(client):
    call(client, "POST", "/auth/login", json={"username": "bob", "password": "mockhub"})
    purge(client, "bob")
    events = [(e["actor"], e["action"], e["target"]) for e in client.get("/__mockhub/audit").json]
    assert events == [("bob", "login", "bob"), ("mikael", "user_purged", "bob")]


def test_a_purged_login_can_be_invited_again(client):
    purge(client, "bob")
    response = call(client, "POST", "/admin/invites", "mikael",
                    json={"username": "bob", "email": "bob@ex.se"})
    assert response.status_code == 201


def test_reset_brings_a_purged_user_back(client, hub):
    pristine = hub.store.snapshot()
    purge(client, "anna")
    hub.reset()
    assert hub.store.snapshot() == pristine
    assert call(client, "GET", "/me", "anna").status_code == 200


def test_a_purge_that_fails_changes_nothing(hub, monkeypatch):
    before = hub.store.snapshot()

    def explode(*args, **kwargs):
        raise Invalid("user", "boom")

    monkeypatch.setattr(hub.store, "audit", explode)  # the last step of the purge fails
    with pytest.raises(Invalid):
        hub.store.purge_user(1, "anna")
    assert hub.store.snapshot() == before


def test_ids_are_not_reused_after_a_purge(client, hub):
    purge(client, "kund2", actor="lisa")
    token = call(client, "POST", "/admin/invites", "lisa",
                 json={"username": "kund3", "email": "kund3@ex.se"}).json["token"]
    created = client.post(f"/__mockhub/invites/{token}/activate", json={"password": PASSWORD})
    assert created.json["id"] == 6
    assert replace(hub.store.users.get(6), password_hash="") == m.User(
        id=6, login="kund3", email="kund3@ex.se", full_name="kund3", role="user",
        password_hash="", created_at="2026-05-13T10:30:00Z", invited_by_id=2,
        activated_at="2026-05-13T10:30:00Z")
