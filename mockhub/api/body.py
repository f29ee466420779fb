"""Request bodies are parsed once, strictly, before any view runs (see mockhub.jsonbody).

`json_body()` is the one way to read a JSON body. `require_json_body` (a before_request hook)
calls it first, so a bad body is refused before any view runs; `request.get_json()` goes through
`JsonProvider.loads` and Flask caches the result, so the views' webargs parser (`BodyParser`,
used by mockhub's `Blueprint`) and the control plane get that cached value, not a second parse.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request, request
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema
from webargs.core import missing
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import UnsupportedMediaType

from mockhub import jsonbody


class JsonProvider(DefaultJSONProvider):
    """Flask's JSON writing UTF-8 in the order given; parsing is mockhub's strict kind (BadJson,
    400, on failure), which is what lets `ensure_ascii` be off safely."""

    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return jsonbody.loads(s)


def json_body(absent: Any = None) -> Any:
    """The current request's JSON body, parsed strictly (BadJson, 400) and only once; `absent`
    when there is no body. Whether there is one is decided from the bytes received, so a
    chunked body (no Content-Length) counts. A body that is not JSON is 415."""
    if not request.is_json:
        # refused unread when its length is known (so 415, not 413 for a big one)
        if request.content_length or request.get_data(cache=True):
            raise UnsupportedMediaType()
        return absent
    if not request.get_data(cache=True):
        return absent
    return request.get_json()  # cached after the first call


class BodyParser(FlaskParser):
    def load_json(self, req: Request, schema: Schema) -> Any:
        """The body as the before_request hook parsed it; missing when there is none."""
        return json_body(missing)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = BodyParser()


__all__ = ["Blueprint", "BodyParser", "JsonProvider", "json_body"]
