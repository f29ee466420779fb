"""The request journal: a bounded ring buffer of the API calls a client made, oldest first.

Recording is cheap (a tuple of what the middleware already has); entries are turned into
dictionaries, bodies parsed, Authorization and passwords masked only when someone reads them.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from mockhub import jsonbody
from mockhub.clock import format_time
from mockhub.faults import RuleError, compile_path
from mockhub.jsonbody import BadJson

STATUS_CLASS = re.compile(r"^[1-5]xx$", re.IGNORECASE)
STATUS_CODE = re.compile(r"[0-9]{3}")
SECRET_NAME = re.compile("password", re.IGNORECASE)  # password, new_password, oldPassword …
MASK = "****"


# One entry as recorded: a flat tuple (cheap to make, one object for the GC to track).
#   (id, time, method, path, query string, headers, body, status, duration_ms, user, rule_id,
#    injected), where headers alternate WSGI key and value: ("HTTP_ACCEPT", "*/*", ...).
Recorded = tuple[int, datetime, str, str, str, tuple[str, ...], bytes | None, int | None, float,
                 str | None, int | None, dict[str, Any] | None]


def to_dict(entry: Recorded) -> dict[str, Any]:
    (entry_id, moment, method, path, query, headers, body, status, duration_ms, user, rule_id,
     injected) = entry
    return {
        "id": entry_id,
        "time": format_time(moment),
        "method": method,
        "path": path,
        "query": _query(query),
        "headers": {_header_name(headers[i]): mask(headers[i], headers[i + 1])
                    for i in range(0, len(headers), 2)},
        "body": mask_secrets(_json_or_none(body)),
        "status": status,  # None: no HTTP response (a connection fault)
        "duration_ms": round(duration_ms, 2),
        "user": user,
        "rule_id": rule_id,
        "injected": injected,
    }


def _header_name(key: str) -> str:
    """WSGI key → header name: HTTP_X_MOCKHUB_FAULT → X-Mockhub-Fault."""
    return (key[5:] if key.startswith("HTTP_") else key).replace("_", "-").title()


def mask(key: str, value: str) -> str:
    """Authorization (`key` is the WSGI key, as recorded) keeps its scheme and loses its
    secret: `token ****`."""
    if key != "HTTP_AUTHORIZATION":
        return value
    scheme, space, _ = value.strip().partition(" ")
    return f"{scheme} ****" if space else "****"


def mask_secrets(value: Any) -> Any:
    """Passwords are never shown: any value under a key like *password*, at any depth, is
    "****" (depth is bounded: bodies come through jsonbody.loads)."""
    if isinstance(value, dict):
        return {key: MASK if SECRET_NAME.search(key) else mask_secrets(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value


def _query(text: str) -> dict[str, str | list[str]]:
    query: dict[str, str | list[str]] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        if SECRET_NAME.search(key):
            value = MASK
        if key not in query:
            query[key] = value
        else:
            previous = query[key]
            query[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
    return query


def _json_or_none(body: bytes | None) -> Any:
    """The body as JSON, or None when it is not JSON that mockhub accepts (not UTF-8, too deep,
    an unpaired surrogate): the journal must render whatever a client sent."""
    if not body:
        return None
    try:
        return jsonbody.loads(body)
    except BadJson:
        return None


class Journal:
    """Thread-safe; `size` entries at most (the oldest fall out)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = max(1, int(size))
        self._entries: deque[Recorded] = deque(maxlen=self.size)
        self._lock = threading.Lock()
        self._next_id = 1
        self._generation = 0  # the reset generation this journal belongs to

    def record(self, moment: datetime, method: str, path: str, query: str,
               headers: tuple[str, ...], body: bytes | None, status: int | None,
               duration_ms: float, user: str | None = None, rule_id: int | None = None,
               injected: dict[str, Any] | None = None, generation: int | None = None
               ) -> int | None:
        """Add one call; `headers` alternate WSGI key and value (HTTP_ACCEPT, "*/*", ...).
        A call from before the last reset (`generation` older than the journal's) is dropped:
        None."""
        with self._lock:  # checked under the lock, so a reset cannot slip in between
            if generation is not None and generation != self._generation:
                return None
            entry_id = self._next_id
            self._next_id = entry_id + 1
            self._entries.append((entry_id, moment, method, path, query, headers, body, status,
                                  duration_ms, user, rule_id, injected))
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
        return [to_dict(entry) for entry in snapshot
                if (wanted_method is None or entry[2] == wanted_method)
                and (pattern is None or pattern.match(entry[3]))
                and want_status(entry[7])]

    def clear(self) -> int:
        """Forget every entry (ids keep counting); returns how many there were."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count

    def reset(self, generation: int | None = None) -> None:
        """Empty, and ids start from 1 again; calls recorded with an older generation after
        this are dropped (the runtime passes its own; alone, the journal counts)."""
        with self._lock:
            self._entries.clear()
            self._next_id = 1
            self._generation = self._generation + 1 if generation is None else generation

    def __len__(self) -> int:
        return len(self._entries)


def _status_filter(status: int | str | None) -> Any:
    if status is None or status == "":
        return lambda code: True
    text = str(status).strip()
    if STATUS_CLASS.match(text):
        digit = int(text[0])
        return lambda code: code is not None and code // 100 == digit
    if STATUS_CODE.fullmatch(text) and 100 <= int(text) <= 599:  # ASCII: int('²') fails
        number = int(text)
        return lambda code: code == number
    raise RuleError({"status": ["Must be a status code such as 503, or a class such as 5xx."]},
                    "Invalid filter")
