"""Per-request cost of the failure middleware (journal, fault matching, rate limit).

    .venv/bin/python bench/overhead.py [requests]

1. In process: calls the WSGI app directly (no sockets, no test client) for GET /api/v2/me.
2. Over HTTP: the same request with http.client against mockhub's threaded server, one client.
The baseline is the same app with the middleware and its two before_request hooks taken out.
Configurations are measured in turn, round after round, so drift hits them alike; medians.
"""

from __future__ import annotations

import http.client
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.test import EnvironBuilder

from mockhub.app import create_app
from mockhub.control.views import guard_control_plane
from mockhub.middleware import serve_injected
from mockhub.runtime import runtime
from mockhub.server import ServerThread

ROUNDS = 15
CLOCK = "2026-05-13T10:30:00Z"


def without_middleware() -> Flask:
    app: Flask = create_app(clock=CLOCK)
    hooks = app.before_request_funcs[None]
    hooks[:] = [hook for hook in hooks if hook not in (serve_injected, guard_control_plane)]
    app.wsgi_app = app.wsgi_app.app  # type: ignore[attr-defined, method-assign]
    return app


def with_middleware(rules: int = 0, **settings: Any) -> Flask:
    app = create_app(clock=CLOCK, **settings)
    for number in range(rules):
        runtime(app).faults.add(path=f"/nothing/{number}*", status=503)
    return app


def run(wsgi: Callable[..., Any], environ: dict[str, Any], count: int) -> float:
    def start_response(status: str, headers: list[Any], exc_info: Any = None) -> None:
        return None

    started = time.perf_counter()
    for _ in range(count):
        body = wsgi(dict(environ), start_response)
        b"".join(body)
        body.close()
    return (time.perf_counter() - started) / count * 1e6


def over_http(port: int, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/api/v2/me", headers={"Authorization": "token anna-token"})
        connection.getresponse().read()
        connection.close()
    return (time.perf_counter() - started) / count * 1e6


def report(title: str, samples: dict[str, list[float]]) -> None:
    base = statistics.median(samples["no middleware (baseline)"])
    print(title)
    for label, values in samples.items():
        cost = statistics.median(values)
        print(f"  {label:40} {cost:7.1f} µs  ratio {cost / base:.3f}  (+{cost - base:.1f} µs)")


def main(count: int = 20000) -> None:
    environ = EnvironBuilder(path="/api/v2/me",
                             headers={"Authorization": "token anna-token"}).get_environ()
    apps = {
        "no middleware (baseline)": without_middleware(),
        "middleware, no rules": with_middleware(),
        "middleware, 10 rules that do not match": with_middleware(rules=10),
        "middleware, --rate-limit 1000000/min": with_middleware(rate_limit="1000000/min"),
    }
    samples: dict[str, list[float]] = {label: [] for label in apps}
    for app in apps.values():
        run(app.wsgi_app, environ, count // 4)  # warm up
    for _ in range(ROUNDS):
        for label, app in apps.items():
            samples[label].append(run(app.wsgi_app, environ, count // ROUNDS + 1))
    report(f"GET /api/v2/me in process, {ROUNDS} interleaved rounds, median µs per request:",
           samples)

    servers = {label: ServerThread(app) for label, app in apps.items()}
    for server in servers.values():
        server.start()
    try:
        samples = {label: [] for label in apps}
        per_round = max(20, count // 5 // ROUNDS // len(apps))
        for server in servers.values():
            over_http(server.port, per_round)  # warm up
        for _ in range(ROUNDS):
            for label, server in servers.items():
                samples[label].append(over_http(server.port, per_round))
        report(f"GET /api/v2/me over HTTP (http.client, one client, a connection per request), "
               f"{ROUNDS} x {per_round}:", samples)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
