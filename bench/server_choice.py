"""Why mockhub serves with werkzeug's threaded server: throughput, latency and socket access.

Measures, in one run, a plain Flask route (3-item JSON list) and a real mockhub endpoint
(GET /api/v2/me/keys as anna) under (1) werkzeug's threaded server exactly as mockhub runs it
and (2) waitress with 4 threads. Each server runs in its own subprocess; the load comes from
4 client processes, each with one persistent HTTP/1.1 connection (1 s warm-up, 5 s measured),
then from one sequential client. Finally it shows what a client sees when the app closes the
socket from `environ["werkzeug.socket"]` (the fault injector needs that; waitress has none).

    .venv/bin/python bench/server_choice.py

Figures vary from run to run by 10-20 %; read the ratios, not the digits. Talks only to
127.0.0.1 and stops by itself (about 45 s on 2 cores).
"""

from __future__ import annotations

import http.client
import json
import logging
import multiprocessing
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

HOST = "127.0.0.1"
CONNECTIONS = 4  # client processes, one keep-alive connection each
WARMUP_S = 1.0
MEASURE_S = 5.0
SEQ_WARMUP = 300  # requests before the single-client measurement
SEQ_S = 2.0
SEQ_MAX = 20_000
SERVER_LIFETIME_S = 110  # a server subprocess exits on its own after this, whatever happens

TARGETS: dict[str, tuple[str, dict[str, str]]] = {
    "plain Flask": ("/items", {}),
    "mockhub /me/keys": ("/api/v2/me/keys", {"Authorization": "token anna-token"}),
}
APPS = {"plain Flask": "plain", "mockhub /me/keys": "mockhub"}
SERVERS = ("werkzeug", "waitress")


# --- the server side (runs in a subprocess: `server_choice.py --serve SERVER APP`) ----------

def plain_app() -> Any:
    from flask import Flask, jsonify, request

    app = Flask("bench")

    @app.get("/items")
    def items() -> Any:
        return jsonify([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}])

    @app.get("/has-socket")
    def has_socket() -> Any:
        return jsonify("werkzeug.socket" in request.environ)

    @app.get("/drop/<how>")
    def drop(how: str) -> Any:
        """Close the connection under the running request, as a fault injector would."""
        sock = request.environ.get("werkzeug.socket")
        if sock is None:  # all the app can do is answer, e.g. with an error
            return "this server does not hand the app its socket", 500
        if how == "close":  # the obvious call; the handler's rfile keeps the fd open
            sock.close()
        elif how == "shutdown":  # no more reads or writes; what the client sees depends on timing
            sock.shutdown(socket.SHUT_RDWR)
        elif how == "reset":  # linger 0 and really close the fd: the kernel sends RST
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            os.close(sock.detach())
        return "still here"

    return app


def serve(server_kind: str, app_kind: str) -> None:
    if app_kind == "mockhub":
        from mockhub.app import create_app

        app = create_app()
    else:
        app = plain_app()
    if server_kind == "werkzeug":
        from mockhub.server import create_server

        server: Any = create_server(app, HOST, 0)
        port = server.server_port
        run = server.serve_forever
    else:
        import waitress

        logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N"
        server = waitress.create_server(app, host=HOST, port=0, threads=4)
        port = server.effective_port
        run = server.run
    threading.Thread(target=run, daemon=True).start()
    print(f"PORT {port}", flush=True)
    # Stop when the parent closes our stdin (or dies), or after SERVER_LIFETIME_S regardless.
    threading.Timer(SERVER_LIFETIME_S, os._exit, (0,)).start()
    sys.stdin.read()
    os._exit(0)


class Server:
    """A server subprocess; the port comes from its first line of output."""

    def __init__(self, server_kind: str, app_kind: str) -> None:
        # What the server logs, read back by the socket check; closed with the object.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", server_kind, app_kind],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("PORT "):
            self.stop()
            raise SystemExit(f"{server_kind}/{app_kind} server did not start: {line!r}")
        self.port = int(line.split()[1])

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def logged(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


# --- the client side ----------------------------------------------------------------------

def get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> int:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def keeps_alive(port: int, path: str, headers: dict[str, str]) -> bool:
    """Does the server keep the connection open? (http.client silently reconnects if not.)"""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("Connection", "").lower() != "close"


def load_worker(port: int, path: str, headers: dict[str, str], start: float,
                results: Any) -> None:
    """One keep-alive connection: requests until `start + WARMUP_S`, then measured ones."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    measure_from, stop_at = start + WARMUP_S, start + WARMUP_S + MEASURE_S
    latencies: list[float] = []
    errors = 0
    while time.time() < start:
        time.sleep(0.005)
    while True:
        t0 = time.perf_counter()
        now = time.time()
        if now >= stop_at:
            break
        try:
            ok = get(conn, path, headers) == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
        elapsed = time.perf_counter() - t0
        if now >= measure_from:
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
    conn.close()
    results.put((latencies, errors))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def measure(port: int, path: str, headers: dict[str, str]) -> dict[str, float]:
    results: Any = multiprocessing.Queue()
    start = time.time() + 0.3
    workers = [multiprocessing.Process(target=load_worker,
                                       args=(port, path, headers, start, results))
               for _ in range(CONNECTIONS)]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    errors = 0
    for _ in workers:
        part, part_errors = results.get(timeout=WARMUP_S + MEASURE_S + 30)
        latencies += part
        errors += part_errors
    for worker in workers:
        worker.join(timeout=5)

    # One client, one connection, one request at a time.
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    for _ in range(SEQ_WARMUP):
        get(conn, path, headers)
    sequential: list[float] = []
    stop_at = time.perf_counter() + SEQ_S
    while time.perf_counter() < stop_at and len(sequential) < SEQ_MAX:
        t0 = time.perf_counter()
        get(conn, path, headers)
        sequential.append(time.perf_counter() - t0)
    conn.close()
    return {"keepalive": keeps_alive(port, path, headers), "rps": len(latencies) / MEASURE_S,
            "p50": quantile(latencies, 0.50), "p99": quantile(latencies, 0.99), "errors": errors,
            "seq_p50": quantile(sequential, 0.50), "seq_rps": len(sequential) / SEQ_S}


def what_client_sees(port: int, how: str) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=3)
    try:
        conn.request("GET", f"/drop/{how}")
        response = conn.getresponse()
        return f"HTTP {response.status} {response.read()[:40]!r}"
    except ConnectionResetError:
        return "connection reset (ConnectionResetError)"
    except http.client.RemoteDisconnected:
        return "closed without a reply (RemoteDisconnected)"
    except http.client.IncompleteRead as problem:
        return f"truncated reply (IncompleteRead, {len(problem.partial)} bytes)"
    except TimeoutError:
        return "no reply, hung until the client's 3 s timeout"
    except OSError as problem:
        return f"{type(problem).__name__}: {problem}"
    finally:
        conn.close()


def socket_check(server_kind: str) -> list[str]:
    server = Server(server_kind, "plain")
    try:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=3)
        conn.request("GET", "/has-socket")
        available = json.loads(conn.getresponse().read())
        conn.close()
        seen = {how: what_client_sees(server.port, how) for how in ("close", "shutdown", "reset")}
        conn = http.client.HTTPConnection(HOST, server.port, timeout=3)
        alive = get(conn, "/items", {}) == 200
        conn.close()
        time.sleep(0.5)  # werkzeug logs its traceback after the client has seen the reset
    finally:
        server.stop()
    errors = server.logged().count("Error on request")
    reset = "yes" if any(s.startswith("connection reset") for s in seen.values()) else "no"
    lines = [f"{server_kind}: socket {'available' if available else 'not available'}, "
             f"connection reset seen by client: {reset}"]
    if available:
        lines += [f"    sock.close()                  -> {seen['close']}",
                  f"    sock.shutdown(SHUT_RDWR)      -> {seen['shutdown']}",
                  f"    SO_LINGER 0 + os.close(fd)    -> {seen['reset']}"]
    else:
        lines.append(f"    no socket in environ; the app can only answer -> {seen['close']}")
    lines.append(f"    server still answers afterwards: {'yes' if alive else 'no'}; "
                 f"'Error on request' tracebacks it logged: {errors}")
    return lines


def main() -> None:
    print(f"server_choice: {CONNECTIONS} client processes x 1 keep-alive connection, "
          f"{WARMUP_S:g} s warm-up + {MEASURE_S:g} s measured; then 1 sequential client "
          f"for {SEQ_S:g} s. Python {sys.version.split()[0]}, {os.cpu_count()} CPUs.\n",
          flush=True)
    figures: dict[tuple[str, str], dict[str, float]] = {}
    for target, (path, headers) in TARGETS.items():
        for server_kind in SERVERS:
            with Server(server_kind, APPS[target]) as server:
                figures[target, server_kind] = measure(server.port, path, headers)
            print(f"  measured {target} on {server_kind}", flush=True)

    header = (f"{'app':<18} {'server':<10} {'keep-alive':>10} {'req/s':>7} {'p50 ms':>7} "
              f"{'p99 ms':>7} {'errors':>6} {'1-client p50 ms':>16} {'1-client req/s':>15}")
    print("\n" + header + "\n" + "-" * len(header))
    for (target, server_kind), f in figures.items():
        keepalive = "yes" if f["keepalive"] else "no"
        print(f"{target:<18} {server_kind:<10} {keepalive:>10} {f['rps']:>7.0f} "
              f"{f['p50'] * 1e3:>7.2f} "
              f"{f['p99'] * 1e3:>7.2f} {f['errors']:>6.0f} {f['seq_p50'] * 1e3:>16.2f} "
              f"{f['seq_rps']:>15.0f}")
    print("\nwerkzeug / waitress")
    for target in TARGETS:
        wz, wt = figures[target, "werkzeug"], figures[target, "waitress"]
        print(f"  {target:<18} req/s {wz['rps'] / wt['rps']:.2f}   "
              f"p50 {wz['p50'] / wt['p50']:.2f}   p99 {wz['p99'] / wt['p99']:.2f}   "
              f"1-client p50 {wz['seq_p50'] / wt['seq_p50']:.2f}")
    if not all(f["keepalive"] for f in figures.values()):
        print("  (keep-alive no: the server sends `Connection: close` on every response, so each "
              "request\n   pays for a new TCP connection; werkzeug's server always does this)")

    print('\nWhat a client sees when the app closes environ["werkzeug.socket"]:')
    for server_kind in SERVERS:
        for line in socket_check(server_kind):
            print("  " + line)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], sys.argv[3])
    else:
        main()
