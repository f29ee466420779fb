"""Unhappy paths of every /repos endpoint: 404, 422, 409, 405, 401, always the JSON envelope."""

from __future__ import annotations

import pytest
from helpers import call, reset_app


@pytest.fixture
def app(module_app):
    return reset_app(module_app)  # one app per module, reset before each test


R = "/repos/anna/mitt-repo"
GETS = ["", "/contents/", "/contents/README.md", "/commits", "/collaborators", "/issues",
        "/issues/1", "/pulls", "/pulls/1", "/releases", "/releases/v1.0.0", "/actions/runs",
        "/actions/runs/17", "/actions/runs/17/jobs", "/actions/jobs/88/logs"]
POSTS = [("/collaborators", {"username": "kund2"}), ("/issues", {"title": "T"}),
         ("/issues/1/comments", {"body": "B"}), ("/issues/1/state", {"state": "closed"})]


def assert_envelope(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.data
    assert response.content_type == "application/json"
    assert isinstance(response.json["message"], str) and response.json["message"]
    if field is not None:
        assert field in response.json["errors"], response.json


UNKNOWN = [
    *(("GET", f"/repos/nobody/mitt-repo{path}", None) for path in GETS),
    *(("GET", f"/repos/anna/nothing{path}", None) for path in GETS),
    *(("POST", f"/repos/anna/nothing{path}", body) for path, body in POSTS),
    ("PATCH", "/repos/anna/nothing", {"description": "x"}),
    ("DELETE", "/repos/anna/nothing", None),
    ("GET", f"{R}/issues/99", None),
    ("GET", f"{R}/issues/0", None),
    ("GET", f"{R}/issues/-1", None),
    ("GET", f"{R}/issues/abc", None),
    ("POST", f"{R}/issues/99/comments", {"body": "B"}),
    ("POST", f"{R}/issues/99/state", {"state": "closed"}),
    ("GET", f"{R}/pulls/99", None),
    ("GET", f"{R}/releases/v9.9.9", None),
    ("GET", f"{R}/actions/runs/999", None),
    ("GET", f"{R}/actions/runs/999/jobs", None),
    ("GET", f"{R}/actions/jobs/999/logs", None),
    ("GET", "/repos/bob/hemligt/actions/runs/17", None),  # run 17 exists, but not there
    ("GET", "/repos/mikael/infra/actions/jobs/88/logs", None),  # job of another repo
    ("POST", f"{R}/collaborators", {"username": "nobody"}),
    ("GET", f"{R}/contents/nothing.md", None),
    ("GET", f"{R}/contents/README.md/more", None),
    ("GET", f"{R}/contents/docs/nothing", None),
    # paths never leave the repo: dot segments (plain and encoded), absolute, backslashes
    ("GET", f"{R}/contents/..", None),
    ("GET", f"{R}/contents/../hemligt/notes.md", None),
    ("GET", f"{R}/contents/docs/../README.md", None),
    ("GET", f"{R}/contents/./README.md", None),
    ("GET", f"{R}/contents/%2e%2e/%2e%2e/etc/passwd", None),
    ("GET", f"{R}/contents/%2E%2E%2Fbob%2Fhemligt", None),
    ("GET", f"{R}/contents//etc/passwd", None),
    ("GET", f"{R}/contents/%2Fetc%2Fpasswd", None),
    ("GET", f"{R}/contents/..%5c..%5cetc", None),
    ("GET", f"{R}/contents/README.md%00", None),
    # private repos are as good as absent to strangers, whatever is asked
    *(("GET", f"/repos/bob/hemligt{path}", None) for path in ("", "/contents/", "/issues")),
    ("POST", "/repos/bob/hemligt/issues", {"title": "T"}),
    ("DELETE", "/repos/bob/hemligt", None),
]


@pytest.mark.parametrize(("method", "path", "body"), UNKNOWN,
                         ids=[f"{m} {p}" for m, p, _ in UNKNOWN])
def test_unknown_or_invisible_is_404(client, method, path, body):
    assert_envelope(call(client, method, path, "anna", json=body), 404)


INVALID = [
    ("POST", "/repos", {}, "name"),
    ("POST", "/repos", {"name": ""}, "name"),
    ("POST", "/repos", {"name": "has space"}, "name"),
    ("POST", "/repos", {"name": "ä"}, "name"),
    ("POST", "/repos", {"name": "a/b"}, "name"),
    ("POST", "/repos", {"name": ".."}, "name"),
    ("POST", "/repos", {"name": "x" * 101}, "name"),
    ("POST", "/repos", {"name": 5}, "name"),
    ("POST", "/repos", {"name": "ok", "private": "yes"}, "private"),
    ("POST", "/repos", {"name": "ok", "private": 1}, "private"),
    ("POST", "/repos", {"name": "ok", "auto_init": None}, "auto_init"),
    ("POST", "/repos", {"name": "ok", "homepage": "x"}, "homepage"),
    ("POST", "/repos", ["name"], "_schema"),
    ("PATCH", R, {"private": "true"}, "private"),
    ("PATCH", R, {"description": None}, "description"),
    ("PATCH", R, {"name": "rename"}, "name"),
    ("POST", f"{R}/collaborators", {}, "username"),
    ("POST", f"{R}/collaborators", {"username": "kund2", "permission": "owner"}, "permission"),
    ("POST", f"{R}/collaborators", {"username": "anna"}, "username"),  # the owner
    ("POST", f"{R}/collaborators", {"username": "ANNA", "permission": "read"}, "username"),
    ("GET", f"{R}/issues?state=opened", None, "state"),
    ("GET", f"{R}/issues?state=", None, "state"),
    ("GET", f"{R}/pulls?state=merged", None, "state"),
    ("POST", f"{R}/issues", {}, "title"),
    ("POST", f"{R}/issues", {"title": "   "}, "title"),
    ("POST", f"{R}/issues", {"title": "x" * 257}, "title"),
    ("POST", f"{R}/issues", {"title": ["Bug"]}, "title"),
    ("POST", f"{R}/issues", {"title": "Bug", "labels": ["x"]}, "labels"),
    ("POST", f"{R}/issues/1/comments", {}, "body"),
    ("POST", f"{R}/issues/1/comments", {"body": ""}, "body"),
    ("POST", f"{R}/issues/1/comments", {"body": " \n"}, "body"),
    ("POST", f"{R}/issues/1/state", {}, "state"),
    ("POST", f"{R}/issues/1/state", {"state": "merged"}, "state"),
    ("POST", f"{R}/issues/1/state", {"state": True}, "state"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), INVALID,
                         ids=[f"{m} {p} {b}" for m, p, b, _ in INVALID])
def test_invalid_input_is_422_naming_the_field(client, method, path, body, field):
    assert_envelope(call(client, method, path, "anna", json=body), 422, field)


def test_duplicate_repo_is_409(client):
    response = call(client, "POST", "/repos", "anna", json={"name": "Mitt-Repo"})
    assert_envelope(response, 409, "name")
    # another owner may use the same name
    assert call(client, "POST", "/repos", "bob", json={"name": "mitt-repo"}).status_code == 201


WRONG_METHOD = [
    ("DELETE", "/repos"), ("PUT", "/repos"), ("PUT", R), ("POST", R),
    ("POST", f"{R}/contents/README.md"), ("DELETE", f"{R}/contents/README.md"),
    ("PUT", f"{R}/contents/"), ("POST", f"{R}/commits"), ("DELETE", f"{R}/collaborators"),
    ("DELETE", f"{R}/issues"), ("PATCH", f"{R}/issues/1"), ("DELETE", f"{R}/issues/1"),
    ("GET", f"{R}/issues/1/comments"), ("GET", f"{R}/issues/1/state"), ("POST", f"{R}/pulls"),
    ("PATCH", f"{R}/pulls/1"), ("POST", f"{R}/releases"), ("DELETE", f"{R}/releases/v1.0.0"),
    ("POST", f"{R}/actions/runs"), ("DELETE", f"{R}/actions/runs/17"),
    ("POST", f"{R}/actions/runs/17/jobs"), ("DELETE", f"{R}/actions/jobs/88/logs"),
]


@pytest.mark.parametrize(("method", "path"), WRONG_METHOD,
                         ids=[f"{m} {p}" for m, p in WRONG_METHOD])
def test_wrong_method_is_405_with_allow(client, method, path):
    response = call(client, method, path, "anna", json={} if method != "GET" else None)
    assert_envelope(response, 405)
    assert response.headers["Allow"]


@pytest.mark.parametrize("path", ["/repos", *(f"{R}{p}" for p in GETS)])
def test_no_token_is_401(client, path):
    assert_envelope(call(client, "GET", path), 401)


@pytest.mark.parametrize(("body", "headers", "status"), [
    ('{"name": ', {"Content-Type": "application/json"}, 400),
    ("name=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
])
def test_malformed_bodies(client, body, headers, status):
    response = call(client, "POST", "/repos", "anna", data=body, headers=headers)
    assert_envelope(response, status)


def test_failed_create_leaves_nothing_behind(client, hub):
    before = hub.store.snapshot()
    call(client, "POST", "/repos", "anna", json={"name": "mitt-repo", "auto_init": True})
    assert hub.store.snapshot() == before
