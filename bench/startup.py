"""How long `mockhub serve` takes to answer, and what a plain start imports.

Starts `python -m mockhub serve --port 0` STARTS times (the venv's python, the default seed),
reads the port from the banner's first line and polls GET /__mockhub/health every 10 ms;
the figure is the wall time from spawn to the first 200. Target: median under 1 s (issue 2).
Then shows where the time goes (phases and the largest imports, from `-X importtime`) and
checks that Faker, segno and cryptography are not imported by a plain start (yaml is: it
reads the default seed).

    .venv/bin/python bench/startup.py

Talks only to 127.0.0.1; about 10 s.
"""

from __future__ import annotations

import http.client
import re
import selectors
import statistics
import subprocess
import sys
import time

STARTS = 7
POLL_S = 0.010
GIVE_UP_S = 20.0  # per start
TARGET_S = 1.0
BANNER = re.compile(r"^mockhub serving NoackHub API v2 at http://127\.0\.0\.1:(\d+)/api/v2")
NOT_WANTED = ("faker", "segno", "cryptography")


def read_first_line(proc: subprocess.Popen[bytes], deadline: float) -> str:
    assert proc.stdout is not None
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            if not selector.select(timeout=max(0.0, deadline - time.perf_counter())):
                raise TimeoutError("no banner")
            chunk = proc.stdout.read1(4096)  # type: ignore[attr-defined]
            if not chunk:
                break
            line += chunk
    return line.decode(errors="replace").splitlines()[0] if line else ""


def healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/__mockhub/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def one_start() -> tuple[float, float]:
    """Seconds from spawn to the banner, and to the first healthy answer."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mockhub", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = t0 + GIVE_UP_S
        first = read_first_line(proc, deadline)
        match = BANNER.match(first)
        if not match:
            proc.kill()
            err = proc.communicate(timeout=5)[1].decode(errors="replace")
            raise SystemExit(f"unexpected first line {first!r}\n{err}")
        banner_at = time.perf_counter() - t0
        port = int(match.group(1))
        while not healthy(port):
            if time.perf_counter() > deadline:
                raise SystemExit(f"no healthy answer on port {port} within {GIVE_UP_S:g} s")
            time.sleep(POLL_S)
        return banner_at, time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def python(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)


PHASES = """
import time
t = [time.perf_counter()]
import mockhub.cli
t.append(time.perf_counter())
from mockhub.app import create_app
t.append(time.perf_counter())
app = create_app()
t.append(time.perf_counter())
from mockhub.server import create_server
create_server(app, "127.0.0.1", 0).server_close()
t.append(time.perf_counter())
print(" ".join(f"{b - a:.4f}" for a, b in zip(t, t[1:])))
"""


def phases(runs: int = 3) -> list[tuple[str, float]]:
    """Medians over `runs` fresh interpreters."""
    starts, splits = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        python("pass")
        starts.append(time.perf_counter() - t0)
        splits.append([float(x) for x in python(PHASES).stdout.split()])
    interpreter = statistics.median(starts)
    columns = zip(*splits, strict=True)
    cli, app_import, build, bind = (statistics.median(column) for column in columns)
    return [("interpreter start (python -c pass)", interpreter),
            ("import mockhub.cli (click, settings)", cli),
            ("import mockhub.app (flask, flask_smorest, ...)", app_import),
            ("create_app() (seed load, blueprints, spec)", build),
            ("create_server() (werkzeug, bind)", bind)]


def largest_imports(count: int = 10) -> tuple[float, list[tuple[str, float]]]:
    """Total import time and the packages costing most (their modules' own times summed).

    From `-X importtime`; summing self times per top-level package charges each module to
    the package it belongs to, not to whoever imported it first.
    """
    err = python("from mockhub.app import create_app; create_app()", "-X", "importtime").stderr
    totals: dict[str, float] = {}
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        package = parts[2].strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(parts[0]) / 1e6
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return sum(totals.values()), ranked[:count]


def main() -> None:
    print(f"startup: `{sys.executable} -m mockhub serve --port 0`, {STARTS} starts, "
          f"health polled every {POLL_S * 1e3:.0f} ms\n", flush=True)
    print(f"{'start':>5} {'banner s':>9} {'healthy s':>10}")
    ready = []
    for n in range(1, STARTS + 1):
        banner_at, ready_at = one_start()
        ready.append(ready_at)
        print(f"{n:>5} {banner_at:>9.3f} {ready_at:>10.3f}", flush=True)
    median = statistics.median(ready)
    verdict = "met" if median < TARGET_S else "NOT met"
    print(f"\nmedian spawn -> healthy: {median:.3f} s   (min {min(ready):.3f}, "
          f"max {max(ready):.3f})   target < {TARGET_S:g} s: {verdict}")

    print("\nwhere a start's time goes (in-process, median of 3 fresh interpreters):")
    for label, seconds in phases():
        print(f"  {label:<48} {seconds * 1e3:>7.0f} ms")
    total, ranked = largest_imports()
    print(f"imports by package (-X importtime of create_app(), own times summed; all imports "
          f"{total * 1e3:.0f} ms):")
    for name, seconds in ranked:
        print(f"  {name:<48} {seconds * 1e3:>7.0f} ms")

    check = ("from mockhub.app import create_app; create_app(); import sys; "
             "print(sorted(m for m in ('faker','segno','cryptography','yaml') "
             "if m in sys.modules))")
    loaded = python(check).stdout.strip()
    print(f"\nmodules loaded by create_app() with the default seed: {loaded}")
    for name in NOT_WANTED:
        status = "IMPORTED" if f"'{name}'" in loaded else "not imported"
        print(f"  {name:<13} {status}")
    print("  (yaml is expected: it reads the default seed)")


if __name__ == "__main__":
    main()
