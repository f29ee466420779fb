"""Fixtures in the Flask tutorial's shape: app, client, hub, live_server (helpers.py: the rest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import FROZEN, serve

from mockhub.app import create_app
from mockhub.runtime import Runtime, runtime

pytest_plugins = ["pytester"]


@pytest.fixture
def app() -> Flask:
    return create_app(clock=FROZEN)


@pytest.fixture(scope="module")
def module_app() -> Flask:
    """One app for a whole module; a module that uses it overrides `app` to reset it first."""
    return create_app(clock=FROZEN)


@pytest.fixture
def hub(app: Flask) -> Runtime:
    return runtime(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a real socket (port 0) in a background thread."""
    with serve(app) as base:
        yield base
