"""A live server for any app (the conftest fixture serves only the default one) and a raw GET."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from mockhub.server import ServerThread


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    thread = ServerThread(app)
    thread.start()
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.stop()


def raw_request(base: str, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes | None = None, timeout: float = 5) -> tuple[int, Any, bytes]:
    """One request with http.client: (status, headers, body); connection errors propagate."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
