"""Request bodies are parsed once, strictly, before any view runs (see mockhub.jsonbody).

`require_json_body` (a before_request hook) calls `request.get_json()`, which goes through
`JsonProvider.loads`; Flask caches the result, and the views' webargs parser (`BodyParser`, used
by mockhub's `Blueprint`) and the control plane read that cached value instead of parsing again.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request

from mockhub import jsonbody


class JsonProvider(DefaultJSONProvider):
    """Flask's JSON writing UTF-8 in the order given; parsing is mockhub's strict kind (BadJson,
    400, on failure), which is what lets `ensure_ascii` be off safely."""

    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return jsonbody.loads(s)


class BodyParser(FlaskParser):
    def load_json(self, req: Request, schema: Schema) -> Any:
        """The body as the before_request hook parsed it; missing when there is none."""
        if not is_json_request(req) or not req.get_data(cache=True):
            return missing
        return req.get_json()


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = BodyParser()


__all__ = ["Blueprint", "BodyParser", "JsonProvider"]
