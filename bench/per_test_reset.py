"""What the pytest plugin costs per test and per session (issue 6's targets).

    .venv/bin/python bench/per_test_reset.py

1. Per-test reset, default seed: a test's typical changes over HTTP, then `MockHub.reset()`.
2. Per-test reset, a generated world of 1,000 users / 10,000 repos / 100,000 issues, after a
   test that changed 100 entities; beside it, in the same run, the costs reset avoids:
   rebuilding the world from the seed, `copy.deepcopy` and `pickle.loads` of the state.
3. Session start-up of the fixture: a fresh interpreter, `MockHub().start()` until it answers.
"""

from __future__ import annotations

import copy
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests

from mockhub.app import build_store
from mockhub.clock import Clock
from mockhub.settings import Settings
from mockhub.testing import MockHub

BIG_SEED = """
generate:
  users: 1000
  repos_per_user: 10
  issues_per_repo: 10
"""
ROUNDS = 200


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def default_seed_reset() -> float:
    with MockHub() as hub:
        session = requests.Session()
        anna = {"Authorization": "token anna-token"}
        samples = []
        for round_number in range(ROUNDS):
            session.post(f"{hub.api_url}/repos", headers=anna, json={"name": f"r{round_number}"})
            session.post(f"{hub.api_url}/repos/anna/mitt-repo/issues", headers=anna,
                         json={"title": "t"})
            session.patch(f"{hub.api_url}/me/profile", headers=anna, json={"location": "x"})
            started = time.perf_counter()
            hub.reset()
            samples.append(time.perf_counter() - started)
    return median_ms(samples)


def big_seed_reset() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        seed = Path(folder, "big.yaml")
        seed.write_text(BIG_SEED)
        started = time.perf_counter()
        store = build_store(Settings(seeds=["default", str(seed)]), Clock())
        rebuild = time.perf_counter() - started
    issues = store.issues.ids()[:100]
    samples = []
    for _ in range(ROUNDS // 4):
        for issue_id in issues:  # 100 entities changed, as a busy test might
            store.issues.put(replace(store.issues.get(issue_id), state="closed"))
        started = time.perf_counter()
        store.reset()
        samples.append(time.perf_counter() - started)
    state = store.snapshot()
    started = time.perf_counter()
    copy.deepcopy(state)
    deep = time.perf_counter() - started
    blob = pickle.dumps(state)
    started = time.perf_counter()
    pickle.loads(blob)
    unpickle = time.perf_counter() - started
    return {"reset": median_ms(samples), "rebuild": rebuild * 1000, "deepcopy": deep * 1000,
            "pickle.loads": unpickle * 1000, "rows": sum(len(t) for t in store.tables.values())}


START = ("import time; t = time.perf_counter(); from mockhub.testing import MockHub; "
         "hub = MockHub().start(); print(time.perf_counter() - t); hub.stop()")


def session_start() -> list[float]:
    return [float(subprocess.run([sys.executable, "-c", START], capture_output=True, text=True,
                                 check=True).stdout) * 1000 for _ in range(7)]


def main() -> None:
    print(f"per-test reset, default seed, after 3 API writes: median "
          f"{default_seed_reset():.3f} ms   (target < 1 ms)")
    big = big_seed_reset()
    print(f"per-test reset, {big['rows']:,} rows generated, after 100 changed entities: "
          f"median {big['reset']:.3f} ms   (target < 10 ms)")
    for name in ("rebuild", "deepcopy", "pickle.loads"):
        print(f"    instead {name:<13} {big[name]:9.1f} ms   = {big[name] / big['reset']:,.0f}x "
              "the reset")
    starts = session_start()
    print("session start-up of the fixture (fresh interpreter, import + start + first answer): "
          f"median {statistics.median(starts):.0f} ms, min {min(starts):.0f}, "
          f"max {max(starts):.0f}   (target < 500 ms)")


if __name__ == "__main__":
    main()
