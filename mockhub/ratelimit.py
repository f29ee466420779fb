"""`--rate-limit 60/min`: a fixed window per token (anonymous callers: per address), on the Clock.

A key's window opens at its first request and lasts one period; within it the first `limit`
requests pass and the rest get 429. Time is the mock Clock's, so a frozen clock never refills
the budget until a test advances it.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from mockhub.clock import Clock
from mockhub.faults import RuleError

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
           "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


def parse_rate_limit(text: str | None) -> tuple[int, float] | None:
    """`60/min` → (60, 60.0); also `10/s`, `1000/hour`, `100/30s`; None or "" → None."""
    if text is None or not str(text).strip():
        return None
    match = SPEC.match(str(text).lower())
    name = match.group(3) if match else ""
    unit = PERIODS.get(name) or PERIODS.get(name.rstrip("s"))  # "mins", "hours" too
    if not match or not unit or int(match.group(1)) < 1 or int(match.group(2) or 1) < 1:
        raise RuleError({"rate_limit": ["Use requests/period, e.g. 60/min, 10/s, 1000/hour."]},
                        "Invalid rate limit")
    count = int(match.group(2) or 1)
    return int(match.group(1)), float(unit * count)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # Unix seconds (on the Clock) when the window ends
    retry_after: int  # whole seconds until then (at least 1)

    def headers(self) -> list[tuple[str, str]]:
        return [("X-RateLimit-Limit", str(self.limit)),
                ("X-RateLimit-Remaining", str(self.remaining)),
                ("X-RateLimit-Reset", str(self.reset_at))]


class RateLimiter:
    def __init__(self, limit: int, period: float, clock: Clock) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window start, count)

    def hit(self, key: str) -> Verdict:
        """Count one request for `key` and say whether it may pass."""
        now = self.clock.timestamp()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now >= start + self.period or now < start:  # expired, or the clock went back
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
        end = start + self.period
        return Verdict(allowed=count <= self.limit, limit=self.limit,
                       remaining=max(0, self.limit - count), reset_at=math.ceil(end),
                       retry_after=max(1, math.ceil(end - now)))

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
