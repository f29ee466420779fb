"""The one source of "now": real time, frozen, or real time shifted by an offset."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from mockhub.errors import Invalid

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# TOTP counts 30 s steps since 1970, and ISO 8601 wants four-digit years: time stays in between
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time; a naive time is taken as UTC."""
    return as_utc(datetime.fromisoformat(
        text.strip().replace("Z", "+00:00").replace("z", "+00:00")))


def as_utc(value: datetime) -> datetime:
    """Naive datetimes mean UTC here, never the machine's local zone (determinism)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _in_range(moment: datetime, field: str) -> datetime:
    if not EARLIEST <= moment <= LATEST:
        raise Invalid(field, "The clock must stay between 1970-01-01T00:00:00Z and "
                             "9999-12-31T23:59:59Z.")
    return moment


def format_time(value: datetime) -> str:
    """ISO 8601 UTC with Z and whole seconds, as the reference writes times."""
    return value.astimezone(UTC).strftime(ISO_FORMAT)


class Clock:
    """Real time by default; `freeze` pins it, `advance` moves it, `reset` returns to the start."""

    def __init__(self, frozen_at: str | None = None) -> None:
        self._initial = _in_range(parse_time(frozen_at), "clock") if frozen_at else None
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
        """Stop time at `at` (ISO text or datetime; naive means UTC), or at the current moment."""
        if at is None:
            moment = self.now()
        else:
            moment = _in_range(parse_time(at) if isinstance(at, str) else as_utc(at), "freeze")
        with self._lock:
            self._frozen = moment

    def advance(self, seconds: float) -> None:
        """Move time forward (or back, with a negative number); refused if it leaves the range."""
        with self._lock:
            base = self._frozen if self._frozen is not None else datetime.now(UTC) + self._offset
            try:
                _in_range(base + timedelta(seconds=seconds), "advance")
            except OverflowError:
                raise Invalid("advance", "Too far: the clock must stay before 9999.") from None
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
