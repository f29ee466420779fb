"""Every /repos example of the reference, against the default seed: status, content type and
at least the documented fields with the documented values.

Three values differ on purpose, because the reference's examples contradict its own world:
the issue list shows "comments": 0 beside a detail with one comment (the count is real here),
PATCH answers "private": false to {"private": true} (here it shows the change), and run 17's
detail shows "jobs": [] while its jobs list has job 88 (here both show job 88).
"""

from __future__ import annotations

import base64

import pytest
from helpers import call, reset_app


@pytest.fixture
def app(module_app):
    return reset_app(module_app)  # one app per module, reset before each test


BASE = "https://noackhub.noackhosting.net/anna/mitt-repo"
REPO = "/repos/anna/mitt-repo"
REPO_13 = {
    "id": 13, "name": "mitt-repo", "full_name": "anna/mitt-repo", "private": False,
    "html_url": BASE, "ssh_url": "ssh://git@noackhub.noackhosting.net:2222/anna/mitt-repo.git",
    "default_branch": "main",
}

EXAMPLES = [
    ("GET", "/repos", None, 200, [{
        "id": 12, "name": "mitt-repo", "full_name": "anna/mitt-repo", "private": False,
        "html_url": BASE,
        "ssh_url": "ssh://git@noackhub.noackhosting.net:2222/anna/mitt-repo.git",
        "clone_url": f"{BASE}.git", "default_branch": "main",
        "updated_at": "2026-05-13T08:42:01Z"}]),
    ("GET", f"{REPO}/contents/", None, 200, [
        {"name": "README.md", "type": "file", "path": "README.md", "size": 142}, ...]),
    ("GET", f"{REPO}/commits", None, 200, [{
        "sha": "f0a1b2c3d4e5",
        "commit": {"message": "Initial commit", "author": {
            "name": "anna", "email": "anna@ex.se", "date": "2026-05-13T08:00:00Z"}},
        "html_url": f"{BASE}/commit/f0a1b2c3d4e5"}]),
    ("GET", f"{REPO}/collaborators", None, 200, [{"login": "kund2", "permission": "write"}]),
    ("POST", f"{REPO}/collaborators", {"permission": "write", "username": "kund2"}, 201,
     {"ok": True}),
    ("GET", f"{REPO}/issues", None, 200, [{
        "id": 101, "number": 1, "title": "Bug", "state": "open", "user": {"login": "anna"},
        "body": "Steps to reproduce...", "created_at": "2026-05-13T08:30:00Z",
        "comments": 1}]),
    ("POST", f"{REPO}/issues", {"body": "Steps to reproduce...", "title": "Bug"}, 201, {
        "id": 102, "number": 2, "title": "Bug", "state": "open", "user": {"login": "anna"},
        "body": "Steps to reproduce...", "html_url": f"{BASE}/issues/2"}),
    ("GET", f"{REPO}/issues/1", None, 200, {
        "id": 101, "number": 1, "title": "Bug", "state": "open",
        "body": "Steps to reproduce...", "user": {"login": "anna"},
        "comments_list": [{"id": 222, "body": "I can confirm this.", "user": {"login": "bob"},
                           "created_at": "2026-05-13T09:00:00Z"}]}),
    ("POST", f"{REPO}/issues/1/comments", {"body": "Min kommentar"}, 201, {
        "id": 223, "body": "Min kommentar", "user": {"login": "anna"},
        "created_at": "2026-05-13T10:30:00Z"}),
    ("POST", f"{REPO}/issues/1/state", {"state": "closed"}, 200, {"ok": True}),
    ("GET", f"{REPO}/pulls", None, 200, [{
        "id": 50, "number": 1, "title": "Add feature X", "state": "open",
        "user": {"login": "anna"}, "head": "feature-x", "base": "main"}]),
    ("GET", f"{REPO}/pulls/1", None, 200, {
        "id": 50, "number": 1, "title": "Add feature X", "state": "open", "body": "...",
        "comments_list": []}),
    ("GET", f"{REPO}/releases", None, 200, [{
        "id": 5, "tag_name": "v1.0.0", "name": "First stable", "draft": False,
        "prerelease": False, "published_at": "2026-05-10T12:00:00Z"}]),
    ("GET", f"{REPO}/releases/v1.0.0", None, 200, {
        "id": 5, "tag_name": "v1.0.0", "name": "First stable", "body": "Changelog...",
        "draft": False}),
    ("GET", f"{REPO}/actions/runs", None, 200, [{
        "id": 17, "status": "success", "head_branch": "main", "head_sha": "f0a1b2c",
        "run_number": 4, "created_at": "2026-05-13T09:00:00Z"}]),
    ("GET", f"{REPO}/actions/runs/17", None, 200, {
        "id": 17, "status": "success", "head_branch": "main", "head_sha": "f0a1b2c",
        "jobs": [{"id": 88, "name": "build"}]}),
    ("GET", f"{REPO}/actions/runs/17/jobs", None, 200, [{
        "id": 88, "name": "build", "status": "success", "started_at": "2026-05-13T09:00:10Z",
        "completed_at": "2026-05-13T09:01:42Z"}]),
]


def contains(actual, expected) -> bool:
    """`expected` is in `actual`: dicts by key (extra keys allowed), lists item by item
    (a trailing ... allows more items)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items())
    if isinstance(expected, list):
        more = bool(expected) and expected[-1] is ...
        items = expected[:-1] if more else expected
        if not isinstance(actual, list) or len(actual) < len(items):
            return False
        if not more and len(actual) != len(items):
            return False
        return all(contains(a, e) for a, e in zip(actual, items, strict=False))
    return actual == expected and type(actual) is type(expected)


@pytest.mark.parametrize(("method", "path", "body", "status", "expected"), EXAMPLES,
                         ids=[f"{e[0]} {e[1]}" for e in EXAMPLES])
def test_reference_example(client, method, path, body, status, expected):
    response = call(client, method, path, "anna", json=body)
    assert response.status_code == status, response.data
    assert response.content_type == "application/json"
    assert contains(response.json, expected), response.json


def test_job_log_is_plain_text(client):
    response = call(client, "GET", f"{REPO}/actions/jobs/88/logs", "anna")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Set up job\nRun actions/checkout@v4\n")


def test_create_get_patch_delete_examples(client):
    """The reference creates anna/mitt-repo as id 13: make room for it first."""
    assert call(client, "DELETE", REPO, "anna").json == {"ok": True}
    created = call(client, "POST", "/repos", "anna", json={
        "auto_init": True, "description": "Hello", "name": "mitt-repo", "private": False})
    assert created.status_code == 201
    assert contains(created.json, REPO_13)
    assert contains(call(client, "GET", REPO, "anna").json, REPO_13)
    patched = call(client, "PATCH", REPO, "anna", json={"description": "Updated",
                                                         "private": True})
    assert patched.status_code == 200
    assert contains(patched.json, REPO_13 | {"private": True, "description": "Updated"})


def test_readme_file_content(client):
    response = call(client, "GET", f"{REPO}/contents/README.md", "anna")
    assert response.json["encoding"] == "base64"
    assert base64.b64decode(response.json["content"]).decode().startswith("# mitt-repo\n")
    assert response.json["size"] == 142


def test_openapi_documents_every_repo_endpoint(client):
    paths = client.get("/api/v2/openapi.json").json["paths"]
    operations = {(method.upper(), path.removeprefix("/api/v2"))
                  for path, item in paths.items() if path.startswith("/api/v2/repos")
                  for method in item if method in ("get", "post", "patch", "delete")}
    r = "/repos/{owner}/{repo}"
    assert operations == {
        ("GET", "/repos"), ("POST", "/repos"), ("GET", r), ("PATCH", r), ("DELETE", r),
        ("GET", f"{r}/contents/"), ("GET", f"{r}/contents/{{path}}"), ("GET", f"{r}/commits"),
        ("GET", f"{r}/collaborators"), ("POST", f"{r}/collaborators"),
        ("GET", f"{r}/issues"), ("POST", f"{r}/issues"), ("GET", f"{r}/issues/{{number}}"),
        ("POST", f"{r}/issues/{{number}}/comments"), ("POST", f"{r}/issues/{{number}}/state"),
        ("GET", f"{r}/pulls"), ("GET", f"{r}/pulls/{{number}}"), ("GET", f"{r}/releases"),
        ("GET", f"{r}/releases/{{tag}}"), ("GET", f"{r}/actions/runs"),
        ("GET", f"{r}/actions/runs/{{run_id}}"), ("GET", f"{r}/actions/runs/{{run_id}}/jobs"),
        ("GET", f"{r}/actions/jobs/{{job_id}}/logs"),
    }
