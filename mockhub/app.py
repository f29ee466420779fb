"""create_app: one independent mockhub instance (store, clock, blueprints, error envelope)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Request, current_app, send_from_directory
from flask_smorest import Api

from mockhub import __version__
from mockhub.api.body import JsonProvider
from mockhub.api.errors import install as install_error_handlers
from mockhub.api.schemas.common import ErrorSchema
from mockhub.api.security import SCHEME
from mockhub.clock import Clock
from mockhub.runtime import EXTENSION, Runtime
from mockhub.settings import Settings
from mockhub.store import Store

SWAGGER_ASSETS = "/__mockhub/swagger-ui/"


STATE_PATH = "/__mockhub/state"
MAX_STATE_BYTES = 1 << 30  # a saved demo world of 100,000 entities is tens of megabytes


class MockhubRequest(Request):
    """API bodies stay small (413 past the limit); a state to load may be as big as it came."""

    @property  # type: ignore[override]
    def max_content_length(self) -> int | None:
        if self.path == STATE_PATH:
            return MAX_STATE_BYTES
        return current_app.config["MAX_CONTENT_LENGTH"]  # type: ignore[no-any-return]


class MockhubApi(Api):  # type: ignore[misc]
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """mockhub installs its own handlers: one envelope for every error."""


def build_store(settings: Settings, clock: Clock) -> Store:
    """Seed a fresh store and checkpoint it, so reset returns exactly here."""
    from mockhub.store.seeding import default_seed_path, load_seed, read_seed_files

    store = Store(clock=clock, rng_seed=settings.faker_seed, public_url=settings.public_url)
    # "default" names the shipped seed, so users can extend it: --seed default --seed mine.yaml
    paths = [str(default_seed_path()) if path == "default" else path
             for path in settings.seeds or ["default"]]
    load_seed(store, read_seed_files(paths), settings.faker_seed)
    store.checkpoint()
    return store


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """A new app; `overrides` are Settings fields (e.g. seeds=[...], clock="2026-...")."""
    settings = settings or Settings(**overrides)
    clock = Clock(settings.clock)
    app = Flask("mockhub")
    app.request_class = MockhubRequest
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE="NoackHub API (mockhub)",
        API_VERSION="v2",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v2",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=SWAGGER_ASSETS,
        API_SPEC_OPTIONS={
            "info": {"description": f"mockhub {__version__}: a local, stateful mock of the "
                                    "NoackHub API v2. Authenticate with "
                                    "`Authorization: token <token>`."},
        },
    )
    app.json = JsonProvider(app)  # UTF-8 out, strict in: nothing unencodable gets stored
    app.extensions[EXTENSION] = Runtime(settings=settings, clock=clock,
                                        store=build_store(settings, clock))
    install_error_handlers(app)
    _register_api(app)
    _register_extras(app, settings)
    _install_hooks(app)
    return app


def _install_hooks(app: Flask) -> None:
    """Last, so both hooks run before every other before_request (guard first)."""
    from mockhub.control.views import guard_control_plane
    from mockhub.middleware import install

    install(app, app.extensions[EXTENSION])
    app.before_request_funcs.setdefault(None, []).insert(0, guard_control_plane)


def _register_api(app: Flask) -> None:
    from mockhub.api import blueprints

    api = MockhubApi(app)
    api.spec.components.security_scheme("token", SCHEME)
    for blueprint in blueprints():
        api.register_blueprint(blueprint)


def _register_extras(app: Flask, settings: Settings) -> None:
    from flask_cors import CORS

    from mockhub.control import control

    CORS(app, origins=settings.cors.split(",") if settings.cors != "*" else "*",
         expose_headers=["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                         "X-RateLimit-Reset"])
    app.register_blueprint(control)

    import swagger_ui_bundle

    assets = Path(swagger_ui_bundle.swagger_ui_path)

    @app.get(SWAGGER_ASSETS + "<path:filename>")
    def swagger_asset(filename: str) -> Any:
        """Swagger UI from the installed bundle: the docs page works offline."""
        return send_from_directory(assets, filename)
