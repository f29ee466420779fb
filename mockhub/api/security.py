"""`Authorization: token <t>` on every protected endpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g, request

from mockhub.errors import Unauthorized
from mockhub.runtime import runtime
from mockhub.store import models as m

SECURITY = [{"token": []}]
SCHEME = {"type": "apiKey", "in": "header", "name": "Authorization",
          "description": "The word `token`, a space, and a token from POST /auth/login."}


def _authenticate(allow_pending: bool) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if not header:
        raise Unauthorized("Authentication required: send 'Authorization: token <token>'.")
    if scheme != "token" or not value.strip():
        raise Unauthorized("Malformed Authorization header: use 'Authorization: token <token>'.")
    user, token = runtime().store.authenticate(value.strip())
    if token.pending_2fa and not allow_pending:
        raise Unauthorized("Two-factor verification pending: POST /me/2fa/verify with a code "
                           "first; until then only GET /me and GET /me/state work.")
    g.user, g.token = user, token


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _authenticate(allow_pending=False)
        return view(*args, **kwargs)

    return wrapper


def token_or_pending_2fa(view: Callable[..., Any]) -> Callable[..., Any]:
    """Also lets a login token through whose 2FA verification is still pending."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _authenticate(allow_pending=True)
        return view(*args, **kwargs)

    return wrapper


def current_user() -> m.User:
    return g.user  # type: ignore[no-any-return]


def current_token() -> m.Token:
    return g.token  # type: ignore[no-any-return]
