"""How long listing one repo's issues takes as the whole store grows.

Generates worlds of growing size with the seed's `generate:` section (up to 10,000 repos and
100,000 issues), then times listing one repo's issues three ways: the Store call, the full HTTP
request through the Flask test client, and, for comparison, the full-table scan the indexes
avoid. Figures are printed, never asserted.

    .venv/bin/python bench/repo_lists.py            # or: make bench
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from mockhub.app import create_app
from mockhub.runtime import runtime
from mockhub.store.seeding import default_seed_path

SIZES = [(0, 0), (100, 10), (1_000, 10), (2_000, 10)]  # (users, issues per repo); 5 repos each
REPOS_PER_USER = 5


def median_ms(action: Callable[[], object], rounds: int = 200) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def world(users: int, issues: int, folder: Path) -> tuple[Flask, float]:
    seeds = [str(default_seed_path())]
    if users:
        extra = folder / f"generate-{users}.yaml"
        extra.write_text(f"generate:\n  users: {users}\n  repos_per_user: {REPOS_PER_USER}\n"
                         f"  issues_per_repo: {issues}\n")
        seeds.append(str(extra))
    start = time.perf_counter()
    app = create_app(clock="2026-05-13T10:30:00Z", seeds=seeds)
    return app, time.perf_counter() - start


def measure(app: Flask, generated: bool) -> tuple[float, float, float, float]:
    """Median ms of: the Store call, its HTTP request, a generated repo's HTTP list, a scan."""
    store = runtime(app).store
    client = app.test_client()
    anna = store.users.find("login", "anna")
    last = max(store.repos, key=lambda r: r.id)  # the last generated repo
    last_url = f"/api/v2/repos/{store.full_name(last)}/issues?state=all"
    mikael = {"Authorization": "token mikael-token"}  # site_admin: sees private repos too
    return (
        median_ms(lambda: store.list_issues(anna, "anna", "mitt-repo", "all")),
        median_ms(lambda: client.get("/api/v2/repos/anna/mitt-repo/issues?state=all",
                                     headers={"Authorization": "token anna-token"})),
        median_ms(lambda: client.get(last_url, headers=mikael)) if generated else float("nan"),
        median_ms(lambda: [i for i in store.issues if i.repo_id == 12], rounds=20),
    )


def main() -> None:
    print("Listing one repo's issues (anna/mitt-repo, 1 issue; and a generated repo, 10 issues)")
    print(f"{'repos':>7} {'issues':>8} {'build s':>8} | {'store µs':>9} {'HTTP ms':>8} "
          f"{'gen. repo HTTP ms':>17} | {'full scan ms':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for users, issues in SIZES:
            app, built = world(users, issues, Path(folder))
            store = runtime(app).store
            in_store, over_http, generated_http, scan = measure(app, bool(users))
            print(f"{len(store.repos):>7,} {len(store.issues):>8,} {built:>8.1f} | "
                  f"{in_store * 1000:>9.1f} {over_http:>8.2f} {generated_http:>17.2f} | "
                  f"{scan:>12.2f}")
            sys.stdout.flush()
    print("The store and HTTP columns stay flat as the store grows: listing reads the "
          "(repo, state) index, never the whole issues table (the last column).")


if __name__ == "__main__":
    main()
