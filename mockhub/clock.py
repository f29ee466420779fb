"""The one source of "now": real time, frozen, or real time shifted by an offset."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time; a naive time is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_time(value: datetime) -> str:
    """ISO 8601 UTC with Z and whole seconds, as the reference writes times."""
    return value.astimezone(UTC).strftime(ISO_FORMAT)


class Clock:
    """Real time by default; `freeze` pins it, `advance` moves it, `reset` returns to the start."""

    def __init__(self, frozen_at: str | None = None) -> None:
        self._initial = parse_time(frozen_at) if frozen_at else None
        self._lock = threading.Lock()
        self._frozen: datetime | None = self._initial
        self._offset = timedelta()

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    def iso(self) -> str:
        return format_time(self.now())

    def timestamp(self) -> float:
        return self.now().timestamp()

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: str | datetime | None = None) -> None:
        moment = parse_time(at) if isinstance(at, str) else at
        current = self.now()
        with self._lock:
            self._frozen = moment or current

    def advance(self, seconds: float) -> None:
        with self._lock:
            if self._frozen is not None:
                self._frozen += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def unfreeze(self) -> None:
        """Run again from the frozen moment (time keeps flowing from there)."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - datetime.now(UTC)
                self._frozen = None

    def reset(self) -> None:
        with self._lock:
            self._frozen = self._initial
            self._offset = timedelta()

    def describe(self) -> dict[str, object]:
        return {"now": self.iso(), "frozen": self.frozen,
                "offset_seconds": self._offset.total_seconds()}
