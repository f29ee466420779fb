"""Every repo endpoint, every relation to the repo, public/private (tests/seeds/matrix.yaml).

A private repo is 404 to anyone below read; a visible repo is 403 when the action needs more.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FROZEN, TOKENS, call

from mockhub.app import create_app
from mockhub.runtime import runtime
from mockhub.store.seeding import default_seed_path

MATRIX_SEED = Path(__file__).parent / "seeds" / "matrix.yaml"
# who -> (token, level on the matrix repos); a stranger reads public repos only
READ, WRITE, ADMIN, OWNER = 1, 2, 3, 4
WHO = {"owner": ("olle-token", OWNER), "admin": ("ada-token", ADMIN),
       "write": ("wera-token", WRITE), "read": ("rita-token", READ),
       "stranger": ("stina-token", 0), "site_admin": (TOKENS["mikael"], OWNER)}
RUNS = {"oppet": (901, 911), "privat": (902, 912)}

# (method, path under the repo, body, level needed, status on success)
ENDPOINTS = [
    ("GET", "", None, READ, 200),
    ("PATCH", "", {"description": "Changed"}, ADMIN, 200),
    ("DELETE", "", None, OWNER, 200),
    ("GET", "/contents/", None, READ, 200),
    ("GET", "/contents/README.md", None, READ, 200),
    ("GET", "/commits", None, READ, 200),
    ("GET", "/collaborators", None, WRITE, 200),
    ("POST", "/collaborators", {"username": "kund2", "permission": "read"}, ADMIN, 201),
    ("GET", "/issues", None, READ, 200),
    ("POST", "/issues", {"title": "New"}, READ, 201),
    ("GET", "/issues/1", None, READ, 200),
    ("POST", "/issues/1/comments", {"body": "Me too"}, READ, 201),
    ("POST", "/issues/1/state", {"state": "closed"}, WRITE, 200),  # olle's issue
    ("GET", "/pulls", None, READ, 200),
    ("GET", "/pulls/1", None, READ, 200),
    ("GET", "/releases", None, READ, 200),
    ("GET", "/releases/v1.0.0", None, READ, 200),
    ("GET", "/actions/runs", None, READ, 200),
    ("GET", "/actions/runs/{run}", None, READ, 200),
    ("GET", "/actions/runs/{run}/jobs", None, READ, 200),
    ("GET", "/actions/jobs/{job}/logs", None, READ, 200),
]


@pytest.fixture(scope="module")
def matrix_app():
    return create_app(clock=FROZEN, seeds=[str(default_seed_path()), str(MATRIX_SEED)])


@pytest.fixture
def matrix(matrix_app):
    runtime(matrix_app).reset()  # cheap: undoes only what the previous test changed
    return matrix_app.test_client()


def expected_status(level: int, need: int, success: int) -> int:
    if level >= need:
        return success
    return 403 if level >= READ else 404


@pytest.mark.parametrize("repo", ["oppet", "privat"])
@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize(("method", "path", "body", "need", "success"), ENDPOINTS,
                         ids=[f"{e[0]} {e[1] or '/'}" for e in ENDPOINTS])
def test_permission_matrix(matrix, repo, who, method, path, body, need, success):
    token, level = WHO[who]
    if who == "stranger" and repo == "oppet":
        level = READ
    run, job = RUNS[repo]
    url = f"/repos/olle/{repo}{path.format(run=run, job=job)}"
    response = call(matrix, method, url, token, json=body)
    assert response.status_code == expected_status(level, need, success), response.data
    if response.status_code >= 400:
        assert isinstance(response.json["message"], str)


@pytest.mark.parametrize(("who", "listed"), [
    ("owner", ["olle/oppet", "olle/privat"]),
    ("admin", ["olle/oppet", "olle/privat"]),
    ("write", ["olle/oppet", "olle/privat"]),
    ("read", ["olle/oppet", "olle/privat"]),
    ("stranger", []),
    ("site_admin", ["mikael/infra"]),  # "my repos" is owned + collaborating, even for admins
])
def test_my_repos_are_owned_and_collaborating(matrix, who, listed):
    response = call(matrix, "GET", "/repos", WHO[who][0])
    assert [r["full_name"] for r in response.json] == listed


@pytest.mark.parametrize("who", list(WHO))
def test_anyone_may_create_a_repo(matrix, who):
    response = call(matrix, "POST", "/repos", WHO[who][0], json={"name": "nytt"})
    assert response.status_code == 201


@pytest.mark.parametrize("repo", ["oppet", "privat"])
def test_the_author_may_close_without_write(matrix, repo):
    opened = call(matrix, "POST", f"/repos/olle/{repo}/issues", "rita-token",
                  json={"title": "Mine"})
    number = opened.json["number"]
    closed = call(matrix, "POST", f"/repos/olle/{repo}/issues/{number}/state", "rita-token",
                  json={"state": "closed"})
    assert closed.status_code == 200
    reopen_by_other = call(matrix, "POST", f"/repos/olle/{repo}/issues/{number}/state",
                           "stina-token", json={"state": "open"})
    assert reopen_by_other.status_code == (403 if repo == "oppet" else 404)


@pytest.mark.parametrize(("who", "sees_draft"), [
    ("owner", True), ("admin", True), ("write", True), ("read", False), ("stranger", False),
])
def test_drafts_are_for_writers(matrix, who, sees_draft):
    listed = call(matrix, "GET", "/repos/olle/oppet/releases", WHO[who][0])
    single = call(matrix, "GET", "/repos/olle/oppet/releases/v2.0.0", WHO[who][0])
    tags = [r["tag_name"] for r in listed.json]
    assert (tags, single.status_code) == (
        (["v2.0.0", "v1.0.0"], 200) if sees_draft else (["v1.0.0"], 404))


def test_collaborator_list_is_by_login(matrix):
    response = call(matrix, "GET", "/repos/olle/privat/collaborators", "olle-token")
    assert response.json == [{"login": "ada", "permission": "admin"},
                             {"login": "rita", "permission": "read"},
                             {"login": "wera", "permission": "write"}]


def test_permission_changes_take_effect(matrix):
    url = "/repos/olle/privat"
    assert call(matrix, "PATCH", url, "rita-token", json={}).status_code == 403
    promoted = call(matrix, "POST", f"{url}/collaborators", "ada-token",
                    json={"username": "rita", "permission": "admin"})
    assert promoted.status_code == 201
    assert call(matrix, "PATCH", url, "rita-token", json={}).status_code == 200
    made_public = call(matrix, "PATCH", url, "olle-token", json={"private": False})
    assert made_public.json["private"] is False
    assert call(matrix, "GET", url, "stina-token").status_code == 200
