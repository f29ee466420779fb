"""Every fault kind as real HTTP clients (requests, http.client) see it from the live server."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
from http import HTTPStatus

import pytest
import requests
from helpers import FROZEN, auth, raw_request, serve

from mockhub.app import create_app

ANNA = auth("anna")
KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3GtrGl0MdpCdjYOb+LSi5bTjdbIIi9x0CvHDvgGUm "
       "anna@desktop")


def add_rule(base: str, **rule: object) -> dict:
    response = requests.post(f"{base}/__mockhub/faults", json=rule, timeout=5)
    assert response.status_code == 201, response.text
    return response.json()


def journal(base: str, **filters: str) -> list[dict]:
    return requests.get(f"{base}/__mockhub/requests", params=filters, timeout=5).json()


STATUS_CASES = [
    # rule, expected status, expected headers (subset), expected JSON body (None: the envelope)
    ({"status": 503}, 503, {}, None),
    ({"status": 500, "headers": {"Retry-After": "2", "X-Request-Id": "abc"}}, 500,
     {"Retry-After": "2", "X-Request-Id": "abc"}, None),
    ({"status": 429, "headers": {"Retry-After": 7}}, 429, {"Retry-After": "7"}, None),
    ({"status": 502, "body": {"error": "bad gateway", "code": 17}}, 502, {},
     {"error": "bad gateway", "code": 17}),
    ({"body": ["stubbed"]}, 200, {}, ["stubbed"]),
]


@pytest.mark.parametrize(("rule", "status", "headers", "body"), STATUS_CASES)
def test_status_faults_reach_the_client(live_server, rule, status, headers, body):
    created = add_rule(live_server, path="/me", **rule)
    response = requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    for name, value in headers.items():
        assert response.headers[name] == value
    if body is None:
        assert response.json() == {
            "message": f"{HTTPStatus(status).phrase} (injected by mockhub fault rule "
                       f"{created['id']})."}
    else:
        assert response.json() == body
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # browsers can read it


def test_text_body_and_content_type_header(live_server):
    add_rule(live_server, path="/me", status=502, body="<html>Bad Gateway</html>",
             headers={"Content-Type": "text/html"})
    response = requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    assert (response.status_code, response.text) == (502, "<html>Bad Gateway</html>")
    assert response.headers["Content-Type"] == "text/html"


def test_rule_headers_outside_ascii_are_refused(live_server):
    """Once accepted (201), such a value broke every matching connection without a word."""
    response = requests.post(f"{live_server}/__mockhub/faults", timeout=5,
                             json={"status": 503, "headers": {"X-A": "中"}})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["headers.X-A"]
    assert requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5).status_code == 200


def test_headers_alone_decorate_the_real_response(live_server):
    add_rule(live_server, path="/me", headers={"X-Served-By": "edge-3", "Content-Type": "x/y"})
    status, headers, body = raw_request(live_server, "GET", "/api/v2/me", ANNA)
    assert status == 200 and json.loads(body)["login"] == "anna"
    assert headers["X-Served-By"] == "edge-3"
    assert headers.get_all("Content-Type") == ["x/y"]  # replaced, not doubled


def test_an_injected_failure_changes_no_state(live_server, hub):
    add_rule(live_server, method="POST", path="/me/keys", status=503)
    add_rule(live_server, method="POST", path="/auth/login", fault="connection_reset")
    response = requests.post(f"{live_server}/api/v2/me/keys", headers=ANNA, timeout=5,
                             json={"title": "desktop", "key": KEY})
    assert response.status_code == 503
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{live_server}/api/v2/auth/login", timeout=5,
                      json={"username": "bob", "password": "mockhub"})
    keys = requests.get(f"{live_server}/api/v2/me/keys", headers=ANNA, timeout=5).json()
    assert [key["title"] for key in keys] == ["laptop"]
    assert hub.store.changes_since_checkpoint == 0  # no key, no token, no audit event


@pytest.mark.parametrize("rule", [{"status": 503}, {"fault": "connection_reset"},
                                  {"fault": "truncated_body"}, {"status": 500, "delay_ms": 50}])
def test_an_injected_failure_on_post_repos_creates_no_repo(live_server, rule):
    add_rule(live_server, method="POST", path="/repos", times=1, **rule)
    with contextlib.suppress(requests.RequestException):  # the connection faults raise
        requests.post(f"{live_server}/api/v2/repos", headers=ANNA, timeout=5,
                      json={"name": "retry-me"})
    names = [r["name"] for r in requests.get(f"{live_server}/api/v2/repos", headers=ANNA,
                                             timeout=5).json()]
    assert "retry-me" not in names
    retried = requests.post(f"{live_server}/api/v2/repos", headers=ANNA, timeout=5,
                            json={"name": "retry-me"})
    assert retried.status_code == 201  # the retry is a clean first attempt, not a 409


def test_delay_holds_the_request(live_server):
    add_rule(live_server, path="/me", delay_ms=200)
    started = time.perf_counter()
    response = requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    assert response.status_code == 200  # a delay alone lets the API answer
    assert time.perf_counter() - started >= 0.2


@pytest.mark.parametrize(("client_timeout", "answer"), [
    (0.05, None),  # the client gives up; the server's request wakes up after the reset
    (5.0, 503),  # the client waits and is told the request was not run
])
def test_a_reset_fences_off_requests_that_were_waiting(live_server, hub, client_timeout,
                                                      answer):
    add_rule(live_server, method="POST", path="/repos", delay_ms=300)
    got: list[int | None] = []

    def post() -> None:
        try:
            got.append(requests.post(f"{live_server}/api/v2/repos", headers=ANNA,
                                     json={"name": "from-before"}, timeout=client_timeout
                                     ).status_code)
        except requests.Timeout:
            got.append(None)

    started = time.perf_counter()
    thread = threading.Thread(target=post)
    thread.start()
    time.sleep(0.1)  # the request is asleep in the server
    hub.reset()  # what the pytest plugin does before the next test
    thread.join()
    time.sleep(max(0.0, started + 0.6 - time.perf_counter()))  # the server side is done too
    assert got == [answer]
    assert hub.journal.entries() == []
    assert hub.store.changes_since_checkpoint == 0  # no repo, no audit event


def test_delay_holds_only_its_own_request(live_server):
    """A slow client (400 ms) and a fast one at the same time: the fast one is not held."""
    slow: dict[str, float] = {}

    def slow_call() -> None:
        started = time.perf_counter()
        requests.get(f"{live_server}/api/v2/me", timeout=5,
                     headers={**ANNA, "X-Mockhub-Fault": "delay_ms=400"})
        slow["elapsed"], slow["done"] = time.perf_counter() - started, time.perf_counter()

    thread = threading.Thread(target=slow_call)
    thread.start()
    time.sleep(0.05)  # the slow request is now asleep in its own server thread
    fast_started = time.perf_counter()
    for _ in range(5):
        assert requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5).ok
    fast_done = time.perf_counter()
    thread.join()
    assert slow["elapsed"] >= 0.4
    assert fast_done - fast_started < 0.3
    assert fast_done < slow["done"]


CONNECTION_CASES = [
    # kind, exception http.client raises, exception requests raises
    ("connection_reset", ConnectionResetError, requests.ConnectionError),
    ("empty_response", http.client.RemoteDisconnected, requests.ConnectionError),
    ("truncated_body", http.client.IncompleteRead, requests.exceptions.ChunkedEncodingError),
]


@pytest.mark.parametrize(("kind", "raw_error", "requests_error"), CONNECTION_CASES)
def test_connection_faults(live_server, kind, raw_error, requests_error):
    add_rule(live_server, path="/me", fault=kind, times=2)
    with pytest.raises(raw_error):
        raw_request(live_server, "GET", "/api/v2/me", ANNA)
    with pytest.raises(requests_error):
        requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    # the server lives on and the rule has retired itself
    assert requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5).status_code == 200


def test_connection_reset_is_a_real_reset(live_server):
    add_rule(live_server, path="/me", fault="connection_reset")
    with pytest.raises(ConnectionResetError) as caught:
        raw_request(live_server, "GET", "/api/v2/me", ANNA)
    assert caught.value.errno == 104  # ECONNRESET, not an orderly close


def test_empty_response_sends_no_byte(live_server):
    import socket
    from urllib.parse import urlsplit

    add_rule(live_server, path="/me", fault="empty_response")
    parts = urlsplit(live_server)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(b"GET /api/v2/me HTTP/1.1\r\nHost: x\r\nAuthorization: token anna-token"
                     b"\r\n\r\n")
        assert sock.recv(1024) == b""  # an orderly close, nothing before it


def test_truncated_body_promises_more_than_it_sends(live_server):
    add_rule(live_server, path="/me", fault="truncated_body")
    with pytest.raises(http.client.IncompleteRead) as caught:
        raw_request(live_server, "GET", "/api/v2/me", ANNA)
    assert len(caught.value.partial) > 0 and caught.value.expected > 0


def test_malformed_json(live_server):
    add_rule(live_server, path="/me", fault="malformed_json")
    status, headers, body = raw_request(live_server, "GET", "/api/v2/me", ANNA)
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert int(headers["Content-Length"]) == len(body)
    with pytest.raises(ValueError):
        json.loads(body)


def test_fault_and_status_together(live_server):
    add_rule(live_server, path="/me", fault="malformed_json", status=500)
    response = requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    assert response.status_code == 500
    with pytest.raises(ValueError):
        response.json()


HEADER_CASES = [
    # request headers, expected status, expected response headers (subset)
    ({"X-Mockhub-Fault": "status=503"}, 503, {}),
    ({"X-Mockhub-Fault": "status=503;headers=Retry-After:3,X-Why:test"}, 503,
     {"Retry-After": "3", "X-Why": "test"}),
    ({"X-Mockhub-Fault": "status=404; delay_ms=10"}, 404, {}),
    ({"X-Mockhub-Fault": "probability=0;status=500"}, 200, {}),
    ({"Prefer": "code=503"}, 503, {}),
    ({"Prefer": "code=429, dynamic=true"}, 429, {}),
    ({"Prefer": "code=200"}, 200, {}),  # a 2xx is what the API answers anyway: no-op
    ({"Prefer": "return=minimal"}, 200, {}),  # other preferences are ignored (RFC 7240)
    ({"X-Mockhub-Fault": "status=502", "Prefer": "code=503"}, 502, {}),  # the header wins
    ({"X-Mockhub-Fault": "status=abc;times=2"}, 422, {}),
    ({"X-Mockhub-Fault": "status=503;id=4"}, 422, {}),  # ignored only in rules sent back
    ({"Prefer": "code=999"}, 422, {}),
]


@pytest.mark.parametrize(("headers", "status", "expected"), HEADER_CASES)
def test_per_request_headers(live_server, headers, status, expected):
    response = requests.get(f"{live_server}/api/v2/me", headers={**ANNA, **headers}, timeout=5)
    assert response.status_code == status
    for name, value in expected.items():
        assert response.headers[name] == value


def test_header_errors_name_the_fields(live_server):
    response = requests.get(f"{live_server}/api/v2/me", timeout=5,
                            headers={**ANNA, "X-Mockhub-Fault": "status=abc;times=2;colour=red"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"status", "times", "colour"}


BAD_HEADERS = [
    # a header whose parsing once escaped the app as an HTML 500, and the key the 422 names
    ({"Prefer": "code=\u00b2"}, "Prefer"),  # '²': isdigit() is true, int() refuses it
    ({"X-Mockhub-Fault": "status=" + "9" * 400}, "status"),  # too large for a float
    ({"X-Mockhub-Fault": "delay_ms=" + "9" * 400}, "delay_ms"),
    ({"X-Mockhub-Fault": "probability=" + "9" * 400}, "probability"),
    ({"X-Mockhub-Fault": "delay_ms=1e999"}, "delay_ms"),
    ({"X-Mockhub-Fault": "status=5_03"}, "status"),  # int() reads 503
    ({"X-Mockhub-Fault": "status=\u00b3\u00b2\u00b9"}, "status"),
    ({"X-Mockhub-Fault": "status=503;headers=X-A:caf\u00e9"}, "headers.X-A"),  # not ASCII
]


@pytest.mark.parametrize(("headers", "key"), BAD_HEADERS)
def test_unreadable_headers_are_422_and_journaled(live_server, headers, key):
    response = requests.get(f"{live_server}/api/v2/me", headers={**ANNA, **headers}, timeout=5)
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == [key]
    assert [e["status"] for e in journal(live_server)] == [422]


@pytest.mark.parametrize("kind", ["connection_reset", "empty_response"])
def test_header_connection_faults(live_server, kind):
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{live_server}/api/v2/me", timeout=5,
                     headers={**ANNA, "X-Mockhub-Fault": f"fault={kind}"})


def test_journal_records_every_call_with_the_rule_id(live_server):
    reset_rule = add_rule(live_server, path="/me", fault="connection_reset", times=1)
    status_rule = add_rule(live_server, method="POST", path="/me/keys", status=503)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    requests.get(f"{live_server}/api/v2/me", headers=ANNA, timeout=5)
    requests.post(f"{live_server}/api/v2/me/keys", headers=ANNA, timeout=5,
                  json={"title": "desktop", "key": KEY})
    requests.get(f"{live_server}/api/v2/me", timeout=5,
                 headers={**ANNA, "X-Mockhub-Fault": "status=500"})
    requests.get(f"{live_server}/__mockhub/health", timeout=5)  # control calls: not journaled
    entries = journal(live_server)
    assert [(e["method"], e["path"], e["status"], e["rule_id"]) for e in entries] == [
        ("GET", "/api/v2/me", None, reset_rule["id"]),
        ("GET", "/api/v2/me", 200, None),
        ("POST", "/api/v2/me/keys", 503, status_rule["id"]),
        ("GET", "/api/v2/me", 500, None),
    ]
    assert entries[0]["injected"] == {"source": "rule", "fault": "connection_reset"}
    assert entries[2]["body"] == {"title": "desktop", "key": KEY}
    assert entries[3]["injected"] == {"source": "X-Mockhub-Fault", "status": 500}
    assert all(e["headers"]["Authorization"] == "token ****" for e in entries)
    assert all(e["user"] == "anna" for e in entries)


def test_latency_setting():
    app = create_app(clock=FROZEN, latency="150")
    with serve(app) as base:
        started = time.perf_counter()
        requests.get(f"{base}/api/v2/me", headers=ANNA, timeout=5)
        assert time.perf_counter() - started >= 0.15
        started = time.perf_counter()
        requests.get(f"{base}/__mockhub/health", timeout=5)  # the control plane is not delayed
        assert time.perf_counter() - started < 0.15
