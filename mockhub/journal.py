"""The request journal: a bounded ring buffer of the API calls a client made, oldest first.

Recording is cheap (a tuple of what the middleware already has); entries are turned into
dictionaries, bodies parsed and Authorization masked only when someone reads them.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from mockhub.clock import format_time
from mockhub.faults import RuleError, compile_path

STATUS_CLASS = re.compile(r"^[1-5]xx$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Recorded:
    id: int
    time: datetime
    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status: int | None  # None: no HTTP response (a connection fault)
    duration_ms: float
    user: str | None
    rule_id: int | None
    injected: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": format_time(self.time),
            "method": self.method,
            "path": self.path,
            "query": _query(self.query),
            "headers": {name: mask(name, value) for name, value in self.headers},
            "body": _json_or_none(self.body),
            "status": self.status,
            "duration_ms": round(self.duration_ms, 2),
            "user": self.user,
            "rule_id": self.rule_id,
            "injected": self.injected,
        }


def mask(name: str, value: str) -> str:
    """Authorization keeps its scheme and loses its secret: `token ****`."""
    if name.lower() != "authorization":
        return value
    scheme, space, _ = value.strip().partition(" ")
    return f"{scheme} ****" if space else "****"


def _query(text: str) -> dict[str, str | list[str]]:
    query: dict[str, str | list[str]] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key not in query:
            query[key] = value
        else:
            previous = query[key]
            query[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
    return query


def _json_or_none(body: bytes | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class Journal:
    """Thread-safe; `size` entries at most (the oldest fall out)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = max(1, int(size))
        self._entries: deque[Recorded] = deque(maxlen=self.size)
        self._lock = threading.Lock()
        self._next_id = 1

    def record(self, *, time: datetime, method: str, path: str, query: str,
               headers: Iterable[tuple[str, str]], body: bytes | None, status: int | None,
               duration_ms: float, user: str | None = None, rule_id: int | None = None,
               injected: dict[str, Any] | None = None) -> int:
        with self._lock:
            entry_id = self._next_id
            self._next_id += 1
            self._entries.append(Recorded(entry_id, time, method, path, query, tuple(headers),
                                          body, status, duration_ms, user, rule_id, injected))
            return entry_id

    def entries(self, method: str | None = None, path: str | None = None,
                status: int | str | None = None) -> list[dict[str, Any]]:
        """Oldest first. `path` is a glob like fault rules' (`/repos*` = `/api/v2/repos*`);
        `status` is a code (503 or "503") or a class ("5xx")."""
        wanted_method = method.upper() if method else None
        pattern = compile_path(path) if path else None
        want_status = _status_filter(status)
        with self._lock:
            snapshot = list(self._entries)
        return [entry.to_dict() for entry in snapshot
                if (wanted_method is None or entry.method == wanted_method)
                and (pattern is None or pattern.match(entry.path))
                and want_status(entry.status)]

    def clear(self) -> int:
        """Forget every entry (ids keep counting); returns how many there were."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count

    def reset(self) -> None:
        """Empty, and ids start from 1 again."""
        with self._lock:
            self._entries.clear()
            self._next_id = 1

    def __len__(self) -> int:
        return len(self._entries)


def _status_filter(status: int | str | None) -> Any:
    if status is None or status == "":
        return lambda code: True
    text = str(status).strip()
    if STATUS_CLASS.match(text):
        digit = int(text[0])
        return lambda code: code is not None and code // 100 == digit
    if text.isdigit() and 100 <= int(text) <= 599:
        number = int(text)
        return lambda code: code == number
    raise RuleError({"status": ["Must be a status code such as 503, or a class such as 5xx."]},
                    "Invalid filter")
