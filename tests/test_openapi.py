"""The OpenAPI document: valid OpenAPI 3, and it describes every endpoint of the reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "noackhub-api-v2.txt"
ENDPOINTS = [  # the reference's 40 endpoints, as it writes them
    "POST /auth/login", "GET /me", "GET /me/state", "PATCH /me/profile", "POST /me/password",
    "POST /me/2fa/setup", "POST /me/2fa/confirm", "POST /me/2fa/verify", "POST /me/2fa/disable",
    "GET /me/keys", "POST /me/keys", "DELETE /me/keys/{id}",
    "GET /repos", "POST /repos", "GET /repos/{owner}/{repo}", "PATCH /repos/{owner}/{repo}",
    "DELETE /repos/{owner}/{repo}", "GET /repos/{owner}/{repo}/contents/{path}",
    "GET /repos/{owner}/{repo}/commits", "GET /repos/{owner}/{repo}/collaborators",
    "POST /repos/{owner}/{repo}/collaborators", "GET /repos/{owner}/{repo}/issues",
    "POST /repos/{owner}/{repo}/issues", "GET /repos/{owner}/{repo}/issues/{number}",
    "POST /repos/{owner}/{repo}/issues/{number}/comments",
    "POST /repos/{owner}/{repo}/issues/{number}/state", "GET /repos/{owner}/{repo}/pulls",
    "GET /repos/{owner}/{repo}/pulls/{number}", "GET /repos/{owner}/{repo}/releases",
    "GET /repos/{owner}/{repo}/releases/{tag}", "GET /repos/{owner}/{repo}/actions/runs",
    "GET /repos/{owner}/{repo}/actions/runs/{id}",
    "GET /repos/{owner}/{repo}/actions/runs/{id}/jobs",
    "GET /repos/{owner}/{repo}/actions/jobs/{id}/logs", "GET /admin/invites",
    "POST /admin/invites", "GET /admin/users", "POST /admin/users/{user}/disable",
    "POST /admin/users/{user}/enable", "DELETE /admin/users/{user}",
]


NO_BODY = {"POST /me/2fa/setup", "POST /admin/users/{user}/disable",
           "POST /admin/users/{user}/enable"}
ANONYMOUS = {"POST /auth/login"}


@pytest.fixture(scope="module")
def document():
    from mockhub.app import create_app

    return create_app().test_client().get("/api/v2/openapi.json").json


def shape(path: str) -> str:
    """Path with every parameter written alike, so {id} and {key_id} compare equal."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    validate(document)


def test_list_matches_the_reference():
    if not REFERENCE.exists():
        pytest.skip("the reference is not beside this checkout")
    text = REFERENCE.read_text(encoding="utf-8")
    found = re.findall(r"^(GET|POST|PATCH|DELETE|PUT) (/\S+)", text, flags=re.MULTILINE)
    assert sorted(f"{method} {path}" for method, path in found) == sorted(ENDPOINTS)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_reference_endpoint_is_described(document, endpoint):
    method, path = endpoint.split(" ")
    paths = {shape(p): item for p, item in document["paths"].items()}
    operation = paths[shape("/api/v2" + path)][method.lower()]
    assert operation["summary"]
    assert any(code.startswith("2") for code in operation["responses"])
    if method in ("POST", "PATCH") and endpoint not in NO_BODY:
        assert "requestBody" in operation
    if endpoint in ANONYMOUS:
        assert "security" not in operation
    else:  # every protected operation names the token scheme and documents its 401
        assert operation["security"] == [{"token": []}]
        assert "401" in operation["responses"]
