"""How a view documents its error answers: every one is the JSON error envelope (ErrorSchema)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_smorest

from mockhub.api.schemas.common import ErrorSchema

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
Answer = int | tuple[int, str]  # a status, or a status with what it means for this view

MEANINGS = {  # DESIGN.md, "Errors"; 401 is security.authenticated's, 422 @blp.arguments'
    403: "Authenticated but not allowed",
    404: "Unknown, or not visible to you",
    409: "Duplicate or conflicting state",
}


def errors(blp: flask_smorest.Blueprint, *answers: Answer) -> Decorator:
    """Document a view's error answers, each a status or a (status, description) pair."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        for answer in answers:
            status, description = answer if isinstance(answer, tuple) else (
                answer, MEANINGS[answer])
            view = blp.alt_response(status, schema=ErrorSchema, description=description)(view)
        return view

    return decorate


__all__ = ["MEANINGS", "Answer", "Decorator", "errors"]
