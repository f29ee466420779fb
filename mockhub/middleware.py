"""What happens around every API call: rate limit, fault rules, latency and the request journal.

Two pieces, wired by `install(app)`:
- `Middleware` wraps `app.wsgi_app`. For paths under /api/ it buffers the body, decides the
  request's fate before any view runs (so an injected failure never changes state), sleeps the
  delay in the request's own thread, kills the connection for connection faults (by raising
  `ConnectionFault`, which mockhub's server turns into a reset or a silent close), and records
  the call in the journal. Anything else (/__mockhub/, docs) passes straight through.
  A request that began before a reset (`Runtime.generation` moved on while it waited) is
  answered 503 without running the view, and is not journaled.
- `serve_injected`, the app's first before_request hook, answers an injected status, body,
  malformed or truncated response through Flask, so CORS and the error envelope apply.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request
from werkzeug.http import HTTP_STATUS_CODES

from mockhub.api.errors import envelope
from mockhub.api.security import token_in
from mockhub.errors import MockhubError
from mockhub.faults import ConnectionFault, Effect
from mockhub.ratelimit import Verdict

if TYPE_CHECKING:
    from mockhub.runtime import Runtime

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

SCOPE = "/api/"
NOT_API = ("/api/v2/openapi.json", "/api/v2/docs")  # documentation, not the NoackHub API
EFFECT_KEY = "mockhub.effect"
ERROR_KEY = "mockhub.error"
MALFORMED_JSON = b'{"message": "mockhub malformed_json fault: this is not JSON", "id": 1,, '
RESET_WHILE_WAITING = Effect(source="reset", status=503, message=(
    "mockhub was reset while this request waited; it was not run. Send it again."))


def in_scope(path: str) -> bool:
    return path.startswith(SCOPE) and not path.startswith(NOT_API)


class Middleware:
    """WSGI middleware around the Flask app; `app` is the wrapped (plain) WSGI callable."""

    def __init__(self, app: WSGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO", "")
        if not in_scope(path):
            return self.app(environ, start_response)
        return self._api_call(environ, start_response, path)

    def _api_call(self, environ: dict[str, Any], start_response: StartResponse,
                  path: str) -> Any:
        started = time.perf_counter()
        rt = self.runtime
        generation = rt.generation  # the world this request belongs to
        method = environ.get("REQUEST_METHOD", "GET").upper()
        body = _buffer_body(environ, rt.settings.max_body_bytes)
        token = token_in(environ.get("HTTP_AUTHORIZATION"))
        user = _login_of(rt, token) if token else None
        effect: Effect | None = None
        verdict: Verdict | None = None
        delay = 0.0
        # A browser's CORS preflight is not the client's call: never delay, limit or break it.
        if not (method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ):
            delay = rt.faults.draw_latency()
            if rt.ratelimit is not None:
                verdict = rt.ratelimit.hit(token or environ.get("REMOTE_ADDR") or "-")
            if verdict is not None and not verdict.allowed:
                effect = _rate_limited(verdict)
            else:
                try:
                    effect = rt.faults.decide(method, path, user,
                                              environ.get("HTTP_X_MOCKHUB_FAULT"),
                                              environ.get("HTTP_PREFER"))
                except Exception as problem:  # RuleError is a 422; a bug still gets JSON 500
                    environ[ERROR_KEY] = problem  # raised inside Flask, so journaled and enveloped
        if effect is not None:
            delay += effect.delay_ms
        if delay > 0:
            time.sleep(delay / 1000)  # only this request's thread waits
        if rt.generation != generation:  # reset while it waited: it must not reach the new world
            environ.pop(ERROR_KEY, None)
            environ[EFFECT_KEY] = RESET_WHILE_WAITING
            return self.app(environ, start_response)  # answered by serve_injected; not journaled

        def record(status: int | None) -> None:
            rt.journal.record(
                rt.clock.now(), method, path, environ.get("QUERY_STRING", ""),
                _headers(environ), body, status, (time.perf_counter() - started) * 1000, user,
                effect.rule_id if effect else None, effect.describe() if effect else None,
                generation)  # dropped if a reset came meanwhile

        if effect is not None and effect.connection:
            record(None)
            raise ConnectionFault(effect.fault or "connection_reset")
        extra: list[tuple[str, str]] = verdict.headers() if verdict is not None else []
        if effect is not None:
            if effect.responds:
                environ[EFFECT_KEY] = effect
            else:  # headers alone decorate the real response
                extra = [*extra, *effect.headers.items()]
        status_line: list[str] = []
        replaced = {name.lower() for name, _ in extra}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status_line.append(status)
            if extra:  # ours replace the app's headers of the same name
                headers = [h for h in headers if h[0].lower() not in replaced] + extra
            return start_response(status, headers, exc_info)

        try:
            result = self.app(environ, capture)
        except BaseException:
            record(500)
            raise
        record(int(status_line[-1].split(None, 1)[0]) if status_line else None)
        return result


def _buffer_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """Read the body once for the journal and hand the app a fresh stream of the same bytes."""
    length = environ.get("CONTENT_LENGTH")
    if length:
        try:
            size = int(length)
        except ValueError:
            return None
        if size <= 0 or size > limit:  # too large: Flask answers 413 without reading it
            return None
        data: bytes = environ["wsgi.input"].read(size)
    elif environ.get("wsgi.input_terminated"):  # chunked: read to the end (or just past limit)
        data = environ["wsgi.input"].read(limit + 1)
    else:
        return None
    environ["wsgi.input"] = io.BytesIO(data)
    return data[:limit] or None


def _login_of(rt: Runtime, token: str) -> str | None:
    try:
        user, _ = rt.store.authenticate(token)
    except MockhubError:
        return None
    return user.login


def _headers(environ: dict[str, Any]) -> tuple[str, ...]:
    """The request headers, flat: WSGI key, value, key, value (the journal names them)."""
    flat: list[str] = []
    for key, value in environ.items():
        if key.startswith("HTTP_") or (key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value):
            flat += (key, value)
    return tuple(flat)


def _rate_limited(verdict: Verdict) -> Effect:
    return Effect(source="rate_limit", status=429,
                  headers={"Retry-After": str(verdict.retry_after)},
                  message=(f"API rate limit exceeded: {verdict.limit} requests per window. "
                           f"Retry after {verdict.retry_after} s."))


# the Flask side
def serve_injected() -> Response | None:
    """First before_request hook: answer for the middleware's effect, if it left one."""
    environ = request.environ
    problem = environ.get(ERROR_KEY)
    if problem is not None:
        raise problem
    effect = environ.get(EFFECT_KEY)
    return None if effect is None else build_response(effect)


def build_response(effect: Effect) -> Response:
    status = effect.status or 200
    if effect.fault == "malformed_json":
        response = Response(MALFORMED_JSON, status, content_type="application/json")
    elif effect.fault == "truncated_body":
        full = _compact(effect.body if effect.has_body else {
            "message": f"{_origin(effect)}: this body is cut short by truncated_body, and the "
                       "Content-Length header promises more bytes than are sent."})
        response = Response(full[: len(full) // 2], status, content_type="application/json")
        response.headers["Content-Length"] = str(len(full))
    elif status in (204, 304):
        response = Response(b"", status)
    elif effect.has_body and isinstance(effect.body, str):
        response = Response(effect.body, status, mimetype="text/plain")
    elif effect.has_body:
        response = Response(_compact(effect.body), status, mimetype="application/json")
    else:
        reason = HTTP_STATUS_CODES.get(status, "Error")
        response = envelope(status, effect.message or f"{reason} ({_origin(effect)}).")
    for name, value in effect.headers.items():
        response.headers[name] = value
    return response


def _compact(value: object) -> bytes:
    """JSON as Flask writes it (compact, UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _origin(effect: Effect) -> str:
    if effect.source == "rule":
        return f"injected by mockhub fault rule {effect.rule_id}"
    return f"injected by the {effect.source} header"


def install(app: Flask, runtime: Runtime) -> Middleware:
    """Wrap the app and put `serve_injected` before every other before_request hook."""
    middleware = Middleware(app.wsgi_app, runtime)
    app.wsgi_app = middleware  # type: ignore[method-assign]
    app.before_request_funcs.setdefault(None, []).insert(0, serve_injected)
    return middleware
