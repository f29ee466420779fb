"""Median time of a full reset (store, clock, faults, journal, rate limits) after a typical test.

    .venv/bin/python bench/reset.py [rounds]

Each round makes the changes a typical test makes (a login, a new SSH key, a profile edit, a fault
rule, a few journaled API calls, a clock move), then times `Runtime.reset()` alone.
"""

from __future__ import annotations

import statistics
import sys
import time

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
    times_us.sort()
    print(f"reset after a typical test ({rows} rows put back, {rounds} rounds): "
          f"median {statistics.median(times_us):.1f} µs, "
          f"p95 {times_us[int(len(times_us) * 0.95)]:.1f} µs, max {times_us[-1]:.1f} µs "
          f"(budget 5000 µs)")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
