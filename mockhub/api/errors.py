"""One JSON error envelope for everything: domain errors, Flask's own 404/405, validation."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from mockhub.api.body import json_body
from mockhub.errors import MockhubError
from mockhub.jsonbody import NOT_JSON

log = logging.getLogger("mockhub")

MESSAGES = {
    400: NOT_JSON,  # the words BadJson uses
    401: "Authentication required: send the header 'Authorization: token <token>'.",
    404: "Not found.",
    405: "Method not allowed on this URL.",
    413: "The request body is too large.",
    415: "The request body must be JSON (Content-Type: application/json).",
    422: "The request is invalid.",
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def envelope(status: int, message: str, errors: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_webargs(messages: Any) -> dict[str, Any]:
    """webargs nests errors by location ({"json": {...}}); clients want the fields."""
    if not isinstance(messages, dict):
        return {}
    flat: dict[str, Any] = {}
    for location, problems in messages.items():
        if isinstance(problems, dict):
            flat.update(problems)
        else:
            flat[location] = problems
    return flat


def _describe(errors: dict[str, Any]) -> str:
    if "_schema" in errors and len(errors) == 1:
        return "The request body must be a JSON object."
    names = ", ".join(sorted(k for k in errors if not k.startswith("_")))
    return f"Invalid field(s): {names}." if names else MESSAGES[422]


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    errors = _flatten_webargs(data.get("messages")) or data.get("errors")
    if status == 422 and errors:
        return envelope(422, _describe(errors), errors, headers)
    message = data.get("message") or MESSAGES.get(status) or error.description or error.name
    return envelope(status, message, None, headers)


def handle_mockhub_error(error: MockhubError) -> Response:
    return envelope(error.status, error.message, error.errors, error.headers)


def handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return envelope(500, "Internal error in mockhub (a bug: please report it).")


def require_json_body() -> None:
    """415 for a body that is not JSON where the API reads JSON; a JSON body is parsed here,
    once and strictly (mockhub.api.body.json_body), so a bad one is 400 before any view runs."""
    if request.method in BODY_METHODS and request.path.startswith(("/api/", "/__mockhub/")):
        json_body()  # cached: the view reads this value


def install(app: Flask) -> None:
    app.register_error_handler(MockhubError, handle_mockhub_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
    app.before_request(require_json_body)
