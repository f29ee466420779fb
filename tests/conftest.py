"""Fixtures in the Flask tutorial's shape: app, client, and small auth helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mockhub.app import create_app
from mockhub.runtime import Runtime, runtime

pytest_plugins = ["pytester"]
FROZEN = "2026-05-13T10:30:00Z"
TOKENS = {"mikael": "mikael-token", "lisa": "lisa-token", "bob": "bob-token",
          "anna": "anna-token", "kund2": "kund2-token"}


@pytest.fixture
def app() -> Flask:
    return create_app(clock=FROZEN)


@pytest.fixture(scope="module")
def module_app() -> Flask:
    """One app for a whole module; a module that uses it overrides `app` to reset it first."""
    return create_app(clock=FROZEN)


def reset_app(app: Flask) -> Flask:
    """Back to the seeded state: costs only what the previous test changed."""
    runtime(app).reset()
    return app


@pytest.fixture
def hub(app: Flask) -> Runtime:
    return runtime(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def auth(login_or_token: str) -> dict[str, str]:
    """Headers for a seeded user (by login) or for a raw token."""
    return {"Authorization": f"token {TOKENS.get(login_or_token, login_or_token)}"}


def call(client: FlaskClient, method: str, path: str, user: str | None = None,
         **kwargs: Any) -> Any:
    headers = kwargs.pop("headers", {}) | (auth(user) if user else {})
    return client.open(f"/api/v2{path}", method=method, headers=headers, **kwargs)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a real socket (port 0) in a background thread."""
    from mockhub.server import ServerThread

    thread = ServerThread(app)
    thread.start()
    yield f"http://127.0.0.1:{thread.port}"
    thread.stop()
