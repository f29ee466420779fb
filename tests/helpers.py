"""Helpers shared by the tests: auth headers, API calls, logins, a live server, a raw request."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from mockhub.runtime import runtime
from mockhub.server import ServerThread

FROZEN = "2026-05-13T10:30:00Z"  # the clock of the `app` fixture
TOKENS = {"mikael": "mikael-token", "lisa": "lisa-token", "bob": "bob-token",
          "anna": "anna-token", "kund2": "kund2-token"}  # fixed tokens of the default seed
NEW_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2mkGqGB3l+JrU7Ac0ZmNkT2A2LUuj0oDQ1LzQnbDrS "
           "bob@desk")


def auth(login_or_token: str) -> dict[str, str]:
    """Headers for a seeded user (by login) or for a raw token."""
    return {"Authorization": f"token {TOKENS.get(login_or_token, login_or_token)}"}


def call(client: FlaskClient, method: str, path: str, user: str | None = None,
         **kwargs: Any) -> Any:
    headers = kwargs.pop("headers", {}) | (auth(user) if user else {})
    return client.open(f"/api/v2{path}", method=method, headers=headers, **kwargs)


def reset_app(app: Flask) -> Flask:
    """Back to the seeded state: costs only what the previous test changed."""
    runtime(app).reset()
    return app


def login(client: FlaskClient, username: str, password: str = "mockhub") -> Any:
    return call(client, "POST", "/auth/login", json={"username": username, "password": password})


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    thread = ServerThread(app)
    thread.start()
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.stop()


def raw_request(base: str, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes | None = None, timeout: float = 5) -> tuple[int, Any, bytes]:
    """One request with http.client: (status, headers, body); connection errors propagate."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
