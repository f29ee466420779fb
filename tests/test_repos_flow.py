"""The repository surface as a client lives it: state carries from one call to the next."""

from __future__ import annotations

import base64
import http.client
import json
import re
import threading
from urllib.parse import urlsplit

import pytest
from helpers import auth, call, reset_app

from mockhub.store.base import derived_sha


@pytest.fixture
def app(module_app):
    return reset_app(module_app)  # one app per module, reset before each test


UNDER_A_REPO = ["", "/contents/", "/contents/README.md", "/commits", "/collaborators",
                "/issues", "/issues/1", "/pulls", "/releases", "/actions/runs"]


def test_repo_lifecycle(client):
    created = call(client, "POST", "/repos", "bob", json={
        "name": "Projekt.X", "description": "Nytt", "private": True, "auto_init": True})
    assert created.status_code == 201
    repo = "/repos/bob/Projekt.X"
    assert "bob/Projekt.X" in [r["full_name"] for r in call(client, "GET", "/repos", "bob").json]

    # auto_init: README.md and an "Initial commit" with a derived 40-hex sha
    listing = call(client, "GET", f"{repo}/contents", "bob").json
    assert listing == [{"name": "README.md", "type": "file", "path": "README.md", "size": 18}]
    readme = call(client, "GET", f"{repo}/contents/README.md", "bob").json
    assert base64.b64decode(readme["content"]) == b"# Projekt.X\n\nNytt\n"
    commits = call(client, "GET", f"{repo}/commits", "bob").json
    assert [c["commit"]["message"] for c in commits] == ["Initial commit"]
    assert re.fullmatch(r"[0-9a-f]{40}", commits[0]["sha"])
    assert commits[0]["sha"] == derived_sha(created.json["id"], 0, "commit")

    # a collaborator sees the private repo; a stranger does not
    assert call(client, "GET", repo, "kund2").status_code == 404
    added = call(client, "POST", f"{repo}/collaborators", "bob",
                 json={"username": "kund2", "permission": "read"})
    assert added.status_code == 201
    assert call(client, "GET", repo, "kund2").json["full_name"] == "bob/Projekt.X"
    assert "bob/Projekt.X" in [r["full_name"]
                               for r in call(client, "GET", "/repos", "kund2").json]
    assert call(client, "GET", repo, "anna").status_code == 404

    # issue → comment → close, and the state filters follow
    opened = call(client, "POST", f"{repo}/issues", "kund2", json={"title": "Fel"})
    assert (opened.status_code, opened.json["number"]) == (201, 1)
    comment = call(client, "POST", f"{repo}/issues/1/comments", "bob", json={"body": "Tack"})
    assert comment.status_code == 201
    detail = call(client, "GET", f"{repo}/issues/1", "kund2").json
    assert (detail["comments"], [c["body"] for c in detail["comments_list"]]) == (1, ["Tack"])
    closed = call(client, "POST", f"{repo}/issues/1/state", "kund2", json={"state": "closed"})
    assert closed.json == {"ok": True}
    numbers = {state: [i["number"] for i in call(
        client, "GET", f"{repo}/issues?state={state}", "bob").json]
        for state in ("open", "closed", "all")}
    assert numbers == {"open": [], "closed": [1], "all": [1]}
    assert call(client, "GET", f"{repo}/issues", "bob").json == []
    assert call(client, "GET", f"{repo}/issues/1", "bob").json["closed_at"] is not None

    # delete: nothing under the repo answers any more, for anyone
    assert call(client, "DELETE", repo, "bob").json == {"ok": True}
    for user in ("bob", "kund2", "mikael"):
        for path in UNDER_A_REPO:
            assert call(client, "GET", f"{repo}{path}", user).status_code == 404, (user, path)
    assert "bob/Projekt.X" not in [r["full_name"]
                                   for r in call(client, "GET", "/repos", "kund2").json]


def test_delete_cascades_to_every_row_under_the_repo(client, hub):
    store = hub.store
    repo_id = 12
    assert call(client, "DELETE", "/repos/anna/mitt-repo", "anna").status_code == 200
    for table in ("files", "commits", "collaborators", "issues", "comments", "pulls",
                  "releases", "runs"):
        assert store.tables[table].count("repo", repo_id) == 0, table
    assert store.jobs.get(88) is None
    assert store.repos.get(repo_id) is None
    assert [e.action for e in store.audit_events][-1] == "repo_deleted"


def test_patch_changes_only_what_it_is_given_and_moves_updated_at(client, hub):
    before = call(client, "GET", "/repos/anna/mitt-repo", "anna").json
    hub.clock.advance(60)
    after = call(client, "PATCH", "/repos/anna/mitt-repo", "anna",
                 json={"description": "Ny"}).json
    assert after["description"] == "Ny"
    assert after["private"] is before["private"]
    assert after["updated_at"] == "2026-05-13T10:31:00Z" != before["updated_at"]


def test_issue_numbers_are_per_repo_and_pulls_have_their_own(client):
    first = call(client, "POST", "/repos/anna/mitt-repo/issues", "kund2", json={"title": "A"})
    other = call(client, "POST", "/repos", "anna", json={"name": "annat"})
    second = call(client, "POST", "/repos/anna/annat/issues", "anna", json={"title": "B"})
    assert (first.json["number"], second.json["number"]) == (2, 1)
    assert other.status_code == 201
    # PR #1 and issue #1 live side by side
    assert call(client, "GET", "/repos/anna/mitt-repo/pulls/1", "anna").json["id"] == 50


def test_owner_and_repo_names_are_case_insensitive(client):
    response = call(client, "GET", "/repos/ANNA/Mitt-Repo", "anna")
    assert response.json["full_name"] == "anna/mitt-repo"
    duplicate = call(client, "POST", "/repos", "anna", json={"name": "MITT-REPO"})
    assert duplicate.status_code == 409


def test_reset_forgets_created_repos(client, hub):
    call(client, "POST", "/repos", "anna", json={"name": "tillfalligt"})
    hub.reset()
    assert [r["name"] for r in call(client, "GET", "/repos", "anna").json] == ["mitt-repo"]


@pytest.mark.parametrize(("state", "numbers"), [
    ("open", [3, 1]), ("closed", [2]), ("all", [3, 2, 1])])
def test_state_filter_newest_first(client, state, numbers):
    for title in ("two", "three"):
        call(client, "POST", "/repos/anna/mitt-repo/issues", "anna", json={"title": title})
    call(client, "POST", "/repos/anna/mitt-repo/issues/2/state", "anna", json={"state": "closed"})
    listed = call(client, "GET", f"/repos/anna/mitt-repo/issues?state={state}", "anna").json
    assert [i["number"] for i in listed] == numbers


def test_concurrent_issues_get_gapless_numbers(live_server):
    """8 threads x 200 issues over HTTP on one repo: numbers 1..1600, each once, all listed."""
    address = urlsplit(live_server)

    def send(method: str, path: str, body: object = None) -> tuple[int, object]:
        # http.client rather than requests: a third less client time in a 1,600-call test
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        try:
            connection.request(method, f"/api/v2{path}", json.dumps(body) if body else None,
                               auth("bob") | {"Content-Type": "application/json"})
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    assert send("POST", "/repos", {"name": "race"})[0] == 201
    numbers: list[int] = []
    failures: list[object] = []

    def open_issues(worker: int) -> None:
        for index in range(200):
            status, body = send("POST", "/repos/bob/race/issues", {"title": f"{worker}-{index}"})
            if status == 201:
                numbers.append(body["number"])  # type: ignore[index]
            else:
                failures.append(body)

    threads = [threading.Thread(target=open_issues, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == list(range(1, 1601))
    status, listed = send("GET", "/repos/bob/race/issues?state=all")
    assert status == 200
    assert sorted(i["number"] for i in listed) == list(range(1, 1601))  # type: ignore[union-attr]


def test_security_relevant_changes_are_audited(client, hub):
    call(client, "POST", "/repos", "bob", json={"name": "spar"})
    call(client, "PATCH", "/repos/bob/spar", "bob", json={"description": "no audit"})
    call(client, "PATCH", "/repos/bob/spar", "bob", json={"private": True})
    call(client, "POST", "/repos/bob/spar/collaborators", "bob", json={"username": "anna"})
    call(client, "POST", "/repos/bob/spar/collaborators", "bob",
         json={"username": "anna", "permission": "admin"})
    call(client, "DELETE", "/repos/bob/spar", "mikael")
    events = [(e.actor, e.action, e.target) for e in hub.store.audit_events][-5:]
    assert events == [
        ("bob", "repo_created", "bob/spar"),
        ("bob", "repo_visibility_changed", "bob/spar: private"),
        ("bob", "collaborator_added", "bob/spar: anna write"),
        ("bob", "collaborator_changed", "bob/spar: anna admin"),
        ("mikael", "repo_deleted", "bob/spar"),
    ]


def test_a_repo_without_auto_init_is_empty(client):
    assert call(client, "POST", "/repos", "anna", json={"name": "tomt"}).status_code == 201
    for path in ("/contents", "/contents/", "/commits", "/issues", "/pulls", "/releases",
                 "/actions/runs", "/collaborators"):
        assert call(client, "GET", f"/repos/anna/tomt{path}", "anna").json == [], path
    assert call(client, "GET", "/repos/anna/tomt/contents/README.md", "anna").status_code == 404
