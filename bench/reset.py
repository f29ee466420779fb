"""Median time of a full reset (store, clock, faults, journal, rate limits) after a typical test.

    .venv/bin/python bench/reset.py [rounds]

Each round makes the changes a typical test makes (a login, a new SSH key, a profile edit, a fault
rule, a few journaled API calls, a clock move), then times `Runtime.reset()` alone.
"""

from __future__ import annotations

import statistics
import sys
import time

from werkzeug.test import EnvironBuilder

from mockhub.app import create_app
from mockhub.runtime import runtime

KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3GtrGl0MdpCdjYOb+LSi5bTjdbIIi9x0CvHDvgGUm "
       "bench@host")
ANNA = {"Authorization": "token anna-token"}


def typical_test(client) -> None:
    client.post("/api/v2/auth/login", json={"username": "bob", "password": "mockhub"})
    client.post("/api/v2/me/keys", headers=ANNA, json={"title": "bench", "key": KEY})
    client.patch("/api/v2/me/profile", headers=ANNA, json={"location": "Uppsala"})
    client.get("/api/v2/me", headers=ANNA)
    client.post("/__mockhub/faults", json={"path": "/repos*", "status": 503, "times": 1})
    client.post("/__mockhub/clock", json={"advance": 120})


def main(rounds: int = 300) -> None:
    app = create_app(clock="2026-05-13T10:30:00Z", rate_limit="60/min")
    hub = runtime(app)
    client = app.test_client()
    times_us, rows = [], 0
    for _ in range(rounds):
        typical_test(client)
        started = time.perf_counter_ns()
        rows = hub.reset()
        times_us.append((time.perf_counter_ns() - started) / 1000)
    report(f"reset after a typical test ({rows} rows put back, {rounds} rounds)", times_us)

    # the worst case for the journal: full (10,000 entries) when the reset comes
    environ = EnvironBuilder(path="/api/v2/me", headers=ANNA).get_environ()
    times_us = []
    for _ in range(max(3, rounds // 60)):
        for _ in range(hub.journal.size):
            body = app.wsgi_app(dict(environ), lambda *args: None)
            body.close()
        started = time.perf_counter_ns()
        hub.reset()
        times_us.append((time.perf_counter_ns() - started) / 1000)
    report(f"reset with a full journal ({hub.journal.size} entries, {len(times_us)} rounds)",
           times_us)


def report(title: str, times_us: list[float]) -> None:
    times_us.sort()
    print(f"{title}: median {statistics.median(times_us):.1f} µs, "
          f"p95 {times_us[int(len(times_us) * 0.95)]:.1f} µs, max {times_us[-1]:.1f} µs "
          f"(budget 5000 µs)")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
