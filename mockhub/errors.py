"""Domain errors carrying their HTTP status; the API turns them into the JSON error envelope."""

from __future__ import annotations


class MockhubError(Exception):
    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.headers = headers or {}


class Unauthorized(MockhubError):
    status = 401


class Forbidden(MockhubError):
    status = 403


class NotFound(MockhubError):
    status = 404


class Conflict(MockhubError):
    status = 409


class Invalid(MockhubError):
    """Validation failure on one field; the field is named as the client sent it."""

    status = 422

    def __init__(self, field: str, problem: str, message: str | None = None) -> None:
        super().__init__(message or f"Invalid {field}: {problem}", {field: [problem]})


class SeedError(Exception):
    """A seed file that cannot be loaded; the message names file, entry and field."""
