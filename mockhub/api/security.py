"""`Authorization: token <t>` on every protected endpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import g, request

from mockhub.api.docs import Decorator, errors
from mockhub.errors import Unauthorized
from mockhub.runtime import runtime
from mockhub.store import models as m

SECURITY = [{"token": []}]
SCHEME = {"type": "apiKey", "in": "header", "name": "Authorization",
          "description": "The word `token`, a space, and a token from POST /auth/login."}
UNAUTHORIZED = "No token, a malformed Authorization header, or an invalid or revoked token"
UNAUTHORIZED_OR_PENDING = ("No token, a malformed Authorization header, an invalid or revoked "
                           "token, or a login token whose 2FA verification is still pending")


def token_in(header: str | None) -> str | None:
    """The token of an `Authorization: token <t>` header; None when absent or malformed."""
    scheme, _, value = (header or "").strip().partition(" ")
    return (value.strip() or None) if scheme == "token" else None


def _authenticate(allow_pending: bool) -> None:
    header = request.headers.get("Authorization", "")
    if not header:
        raise Unauthorized("Authentication required: send 'Authorization: token <token>'.")
    value = token_in(header)
    if value is None:
        raise Unauthorized("Malformed Authorization header: use 'Authorization: token <token>'.")
    user, token = runtime().store.authenticate(value)
    if token.pending_2fa and not allow_pending:
        raise Unauthorized("Two-factor verification pending: POST /me/2fa/verify with a code "
                           "first; until then only GET /me and GET /me/state work.")
    g.user, g.token = user, token


def authenticated(blp: flask_smorest.Blueprint, allow_pending: bool = False) -> Decorator:
    """A protected view: documents the token scheme and the 401, and checks the token.

    Put it above every other decorator of the view, so the check runs before webargs parses the
    arguments: a request without a token is 401 even when its body is also invalid.
    `allow_pending` also lets through a login token whose 2FA verification is still pending.
    """
    unauthorized = UNAUTHORIZED if allow_pending else UNAUTHORIZED_OR_PENDING

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        documented = blp.doc(security=SECURITY)(errors(blp, (401, unauthorized))(view))

        @functools.wraps(documented)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            _authenticate(allow_pending)
            return documented(*args, **kwargs)

        return wrapper

    return decorate


def current_user() -> m.User:
    return g.user  # type: ignore[no-any-return]


def current_token() -> m.Token:
    return g.token  # type: ignore[no-any-return]
