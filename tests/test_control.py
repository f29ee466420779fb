"""The /__mockhub/ control plane: reset, state, journal, clock, TOTP, admin token, rate limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
from click.testing import CliRunner
from helpers import FROZEN, auth, call, serve

from mockhub.app import create_app
from mockhub.cli import main
from mockhub.clock import parse_time
from mockhub.journal import Journal
from mockhub.totp import code_at

KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3GtrGl0MdpCdjYOb+LSi5bTjdbIIi9x0CvHDvgGUm "
       "anna@desktop")
FROZEN_EPOCH = int(parse_time(FROZEN).timestamp())


def make_changes(client) -> None:
    """A few things a typical test does."""
    call(client, "POST", "/me/keys", "anna", json={"title": "desktop", "key": KEY})
    call(client, "POST", "/auth/login", json={"username": "bob", "password": "mockhub"})
    call(client, "PATCH", "/me/profile", "bob", json={"location": "Malmö"})
    client.post("/__mockhub/faults", json={"status": 503, "path": "/nothing"})
    client.post("/__mockhub/clock", json={"advance": 3600})


# reset and state
def test_reset_returns_to_the_start(client, hub):
    seeded = client.get("/__mockhub/state").json
    make_changes(client)
    assert client.get("/__mockhub/state").json != seeded
    response = client.post("/__mockhub/reset")
    assert response.status_code == 200 and response.json["ok"] is True
    assert response.json["rows_restored"] >= 4
    assert client.get("/__mockhub/state").json == seeded
    assert client.get("/__mockhub/faults").json["rules"] == []
    assert client.get("/__mockhub/requests").json == []
    assert client.get("/__mockhub/clock").json == {"now": FROZEN, "frozen": True,
                                                   "offset_seconds": 0.0}


def test_state_round_trip(client):
    make_changes(client)
    snapshot = client.get("/__mockhub/state").json
    assert client.put("/__mockhub/state", json=snapshot).json == {"ok": True}
    assert client.get("/__mockhub/state").json == snapshot
    client.post("/__mockhub/reset")  # load the changed world into a reset app
    assert client.get("/__mockhub/state").json != snapshot
    assert client.put("/__mockhub/state", json=snapshot).status_code == 200
    assert client.get("/__mockhub/state").json == snapshot
    keys = call(client, "GET", "/me/keys", "anna").json
    assert [key["title"] for key in keys] == ["laptop", "desktop"]


BAD_STATES = [
    # body, the field the 422 names
    ([], "tables"),
    ({"tables": {"users": "nope"}}, "tables.users"),
    ({"tables": {"spaceships": []}}, "tables.spaceships"),
    ({"tables": {"users": [{"id": 1}]}}, "tables.users[0].login"),
]


@pytest.mark.parametrize(("body", "field"), BAD_STATES)
def test_invalid_state_is_422_and_changes_nothing(client, body, field):
    before = client.get("/__mockhub/state").json
    response = client.put("/__mockhub/state", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]
    assert client.get("/__mockhub/state").json == before


@pytest.mark.parametrize(("data", "content_type", "status"), [
    (b"{not json", "application/json", 400), (b"users: []", "text/yaml", 415)])
def test_state_body_must_be_json(client, data, content_type, status):
    response = client.put("/__mockhub/state", data=data, content_type=content_type)
    assert response.status_code == status and "message" in response.json


# request bodies: parsed once, strictly, before any view (API and control plane alike)
DEEP = b"[" * 100_000 + b"]" * 100_000  # beyond the parser's recursion limit
DEEPISH = b'{"title": ' + b"[" * 150 + b"]" * 150 + b"}"  # parses, but past MAX_DEPTH
BAD_BODIES = [
    # method, path, body, the field the 400 names (None: the body as a whole)
    ("POST", "/api/v2/repos/anna/mitt-repo/issues", rb'{"title": "\ud800"}', "title"),
    ("POST", "/api/v2/auth/login", rb'{"username": "\ud800", "password": "x"}', "username"),
    ("PATCH", "/api/v2/me/profile", rb'{"location": "x\udfffy"}', "location"),
    ("POST", "/api/v2/repos", rb'{"name": "r", "description": ["\ud83d"]}', "description[0]"),
    ("POST", "/api/v2/repos", rb'{"\ud800": 1}', "\\ud800"),
    ("POST", "/__mockhub/faults", rb'{"status": 503, "body": {"a": ["\udc00"]}}', "body.a[0]"),
    ("POST", "/__mockhub/faults", rb'[{"status": 503, "headers": {"X-A": "\ud800"}}]',
     "[0].headers.X-A"),
    ("PUT", "/__mockhub/state", rb'{"tables": {"users": [{"login": "\ud800"}]}}',
     "tables.users[0].login"),
    ("POST", "/__mockhub/invites/nope/activate", rb'{"password": "\ud800xxxxxxxxxxxx"}',
     "password"),
    ("POST", "/__mockhub/clock", rb'"\ud800"', "_schema"),
    ("POST", "/api/v2/repos/anna/mitt-repo/issues", b'{"title": "\xed\xa0\x80"}', None),
    ("POST", "/api/v2/repos", DEEP, None),
    ("POST", "/api/v2/auth/login", DEEP, None),
    ("POST", "/__mockhub/faults", DEEP, None),
    ("PUT", "/__mockhub/state", DEEP, None),
    ("POST", "/__mockhub/clock", DEEP, None),
    ("POST", "/api/v2/repos/anna/mitt-repo/issues", DEEPISH, "_schema"),
    ("POST", "/__mockhub/clock", b'{"advance": NaN}', None),
    ("POST", "/__mockhub/clock", b'{"advance": 1e999}', None),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_BODIES)
def test_bad_json_bodies_are_400_and_change_nothing(client, method, path, body, field):
    before = client.get("/__mockhub/state").json
    audit = client.get("/__mockhub/audit").json
    response = client.open(path, method=method, data=body, content_type="application/json",
                           headers=auth("anna"))
    assert response.status_code == 400
    assert response.json["message"].startswith("The request body is not valid JSON.")
    assert list(response.json.get("errors", {})) == ([field] if field else [])
    # nothing stored, and everything that renders state still renders
    assert client.get("/__mockhub/state").json == before
    assert client.get("/__mockhub/audit").json == audit
    assert client.get("/__mockhub/faults").json["rules"] == []
    assert client.get("/__mockhub/clock").json["now"] == FROZEN
    journal = client.get("/__mockhub/requests")
    assert journal.status_code == 200
    assert all(entry["body"] is None for entry in journal.json)


def test_paired_surrogates_are_characters(client):
    """An emoji written as a JSON surrogate pair is one real character: accepted and kept."""
    response = call(client, "POST", "/repos/anna/mitt-repo/issues", "anna",
                    data=rb'{"title": "ship it \ud83d\ude80"}', content_type="application/json")
    assert response.status_code == 201 and response.json["title"] == "ship it \U0001f680"
    assert client.get("/__mockhub/requests").json[0]["body"] == {"title": "ship it \U0001f680"}



def chunked(value: object) -> Iterator[bytes]:
    """A body that requests sends with Transfer-Encoding: chunked (no Content-Length)."""
    text = json.dumps(value).encode()
    yield text[:5]
    yield text[5:]


def test_chunked_bodies_are_read_on_the_live_server(live_server):
    """A chunked body is a body: it used to count as absent in the control plane (422)."""
    json_type = {"Content-Type": "application/json"}
    state = requests.get(f"{live_server}/__mockhub/state", timeout=5).json()
    response = requests.put(f"{live_server}/__mockhub/state", data=chunked(state),
                            headers=json_type, timeout=10)
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert response.status_code == 200, response.text
    response = requests.post(f"{live_server}/__mockhub/clock", data=chunked({"advance": 60}),
                             headers=json_type, timeout=5)
    assert response.status_code == 200, response.text
    assert response.json()["now"] == "2026-05-13T10:31:00Z"
    response = requests.post(f"{live_server}/__mockhub/faults",
                             data=chunked({"path": "/nothing", "status": 503}),
                             headers=json_type, timeout=5)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == 503
    response = requests.post(f"{live_server}/api/v2/auth/login", headers=json_type, timeout=5,
                             data=chunked({"username": "anna", "password": "mockhub"}))
    assert response.status_code == 200, response.text


def test_an_empty_chunked_body_is_no_body(live_server):
    """Whether there is a body is decided from the bytes, whatever the headers say."""
    response = requests.post(f"{live_server}/__mockhub/reset", data=iter([b""]),
                             headers={"Content-Type": "application/json"}, timeout=5)
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert response.status_code == 200, response.text
    response = requests.post(f"{live_server}/__mockhub/clock", data=iter([b""]),
                             headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == 422 and "clock" in response.json()["errors"]


def test_a_chunked_body_that_is_not_json_is_415(live_server):
    response = requests.post(f"{live_server}/__mockhub/clock", data=iter([b"advance=60"]),
                             headers={"Content-Type": "text/plain"}, timeout=5)
    assert response.status_code == 415
    assert requests.get(f"{live_server}/__mockhub/clock", timeout=5).json()["now"] == FROZEN


# journal
def test_journal_entry_shape(client):
    call(client, "POST", "/me/keys?x=1&x=2&y=", "anna", json={"title": "t", "key": KEY})
    client.get("/apiless")  # outside /api/: not journaled
    client.get("/__mockhub/faults")  # control calls are not journaled
    (entry,) = client.get("/__mockhub/requests").json
    assert entry["id"] == 1 and entry["time"] == FROZEN
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/api/v2/me/keys", 201)
    assert entry["query"] == {"x": ["1", "2"], "y": ""}
    assert entry["headers"]["Authorization"] == "token ****"
    assert entry["headers"]["Content-Type"] == "application/json"
    assert entry["body"] == {"title": "t", "key": KEY}
    assert entry["user"] == "anna"
    assert entry["duration_ms"] >= 0
    assert (entry["rule_id"], entry["injected"]) == (None, None)


def test_journal_masks_any_authorization(client):
    call(client, "GET", "/me", headers={"Authorization": "Bearer abc"})
    call(client, "GET", "/me", headers={"Authorization": "abc"})
    masked = [e["headers"]["Authorization"] for e in client.get("/__mockhub/requests").json]
    assert masked == ["Bearer ****", "****"]


MASKED_BODIES = [
    # method, path, user, body sent, body as the journal shows it
    ("POST", "/auth/login", None, {"username": "bob", "password": "mockhub"},
     {"username": "bob", "password": "****"}),
    ("POST", "/me/password", "anna",
     {"old_password": "mockhub", "new_password": "a-long-new-secret"},
     {"old_password": "****", "new_password": "****"}),
    ("POST", "/repos", "anna",
     {"name": "r", "x": [{"Password": {"deep": 1}}], "passwordHint": "", "pass": "kept"},
     {"name": "r", "x": [{"Password": "****"}], "passwordHint": "****", "pass": "kept"}),
]


@pytest.mark.parametrize(("method", "path", "user", "body", "shown"), MASKED_BODIES)
def test_journal_never_shows_passwords(client, method, path, user, body, shown):
    call(client, method, f"{path}?password=p&q=1", user, json=body)
    (entry,) = client.get("/__mockhub/requests").json
    assert entry["body"] == shown
    assert entry["query"] == {"password": "****", "q": "1"}


def seed_journal(client) -> None:
    client.post("/__mockhub/faults", json={"method": "GET", "path": "/me/keys", "status": 503})
    call(client, "GET", "/me", "anna")
    call(client, "GET", "/me/keys", "anna")
    call(client, "POST", "/me/keys", "anna", json={"title": "t", "key": "nonsense"})
    call(client, "GET", "/me/state", None)


@pytest.mark.parametrize(("query", "ids"), [
    ("", [1, 2, 3, 4]),
    ("?method=get", [1, 2, 4]),
    ("?path=/api/v2/me", [1]),
    ("?path=/me/*", [2, 3, 4]),
    ("?status=503", [2]),
    ("?status=4xx", [3, 4]),
    ("?method=POST&status=422", [3]),
    ("?path=/nothing*", []),
])
def test_journal_filters(client, query, ids):
    seed_journal(client)
    assert [e["id"] for e in client.get(f"/__mockhub/requests{query}").json] == ids


@pytest.mark.parametrize("status", ["teapot", "%C2%B2%C2%B2%C2%B2", "5" * 5000, "5xxx"])
def test_journal_filter_errors(client, status):
    response = client.get(f"/__mockhub/requests?status={status}")
    assert response.status_code == 422 and "status" in response.json["errors"]


@pytest.mark.parametrize(("generation", "kept"), [(None, True), (1, True), (0, False)])
def test_journal_drops_calls_from_before_a_reset(generation, kept):
    """A call that began before reset 1 and finishes after it stays out of the new journal."""
    journal = Journal()
    journal.reset(1)
    entry_id = journal.record(parse_time(FROZEN), "GET", "/api/v2/me", "", (), None, 200, 1.0,
                              generation=generation)
    assert (entry_id == 1, len(journal)) == ((True, 1) if kept else (False, 0))


def test_journal_delete_and_ring_buffer():
    client = create_app(clock=FROZEN, journal_size=3).test_client()
    for _ in range(5):
        call(client, "GET", "/me", "anna")
    assert [e["id"] for e in client.get("/__mockhub/requests").json] == [3, 4, 5]
    assert client.delete("/__mockhub/requests").json == {"ok": True, "removed": 3}
    call(client, "GET", "/me", "anna")
    assert [e["id"] for e in client.get("/__mockhub/requests").json] == [6]


# clock
CLOCK_CASES = [
    # body, expected "now", expected "frozen"
    ({"freeze": "2027-01-01T00:00:00Z"}, "2027-01-01T00:00:00Z", True),
    ({"freeze": "2027-01-01T02:00:00+02:00"}, "2027-01-01T00:00:00Z", True),
    ({"freeze": True}, FROZEN, True),
    ({"advance": 90}, "2026-05-13T10:31:30Z", True),
    ({"advance": -30.5}, "2026-05-13T10:29:29Z", True),
]


@pytest.mark.parametrize(("body", "now", "frozen"), CLOCK_CASES)
def test_clock(client, body, now, frozen):
    response = client.post("/__mockhub/clock", json=body)
    assert response.status_code == 200
    assert (response.json["now"], response.json["frozen"]) == (now, frozen)
    assert client.get("/__mockhub/clock").json == response.json


def test_clock_moves_what_the_api_sees(client):
    client.post("/__mockhub/clock", json={"freeze": "2027-02-03T04:05:06Z"})
    call(client, "POST", "/me/keys", "anna", json={"title": "t", "key": KEY})
    state = client.get("/__mockhub/state").json
    assert state["tables"]["keys"][-1]["created_at"] == "2027-02-03T04:05:06Z"


def test_unfreeze_lets_time_run(client):
    response = client.post("/__mockhub/clock", json={"unfreeze": True})
    assert response.json["frozen"] is False
    assert response.json["now"] >= FROZEN


@pytest.mark.parametrize(("body", "field"), [
    ({}, "clock"), ([], "clock"), ({"freeze": "yesterday"}, "freeze"), ({"freeze": 5}, "freeze"),
    ({"advance": "60"}, "advance"), ({"advance": True}, "advance"),
    ({"unfreeze": False}, "unfreeze"), ({"advance": 1, "unfreeze": True}, "clock"),
    ({"rewind": 5}, "rewind"),
    ({"advance": 10**400}, "advance"), ({"advance": -(10**400)}, "advance"),
    ({"advance": 1e300}, "advance"), ({"advance": 10_000 * 366 * 86400}, "advance"),
    ({"freeze": "0001-01-01T00:00:00+01:00"}, "freeze"),
])
def test_clock_errors_name_the_field(client, body, field):
    response = client.post("/__mockhub/clock", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]
    assert client.get("/__mockhub/clock").json["now"] == FROZEN


# TOTP
def test_totp_current_code(client):
    moment = parse_time(FROZEN)
    response = client.get("/__mockhub/totp/anna")
    assert response.json == {"login": "anna",
                             "code": code_at("JBSWY3DPEHPK3PXP", moment),
                             "pending_code": None, "seconds_left": 30}
    client.post("/__mockhub/clock", json={"advance": 40})
    later = client.get("/__mockhub/totp/anna").json
    assert later["code"] == code_at("JBSWY3DPEHPK3PXP", moment + timedelta(seconds=40))
    assert later["seconds_left"] == 20


def test_totp_pending_code_during_setup(client):
    assert client.get("/__mockhub/totp/bob").json["code"] is None
    secret = call(client, "POST", "/me/2fa/setup", "bob").json["secret"]
    codes = client.get("/__mockhub/totp/bob").json
    assert codes["pending_code"] == code_at(secret, parse_time(FROZEN))
    confirm = call(client, "POST", "/me/2fa/confirm", "bob", json={"code": codes["pending_code"]})
    assert confirm.status_code == 200
    assert client.get("/__mockhub/totp/bob").json["code"] == codes["pending_code"]


def test_totp_unknown_user(client):
    response = client.get("/__mockhub/totp/nobody")
    assert response.status_code == 404 and response.json == {"message": "No user 'nobody'."}


def test_totp_command_against_a_live_server():
    with serve(create_app(clock=FROZEN, admin_token="s3cret")) as base:
        runner = CliRunner()
        refused = runner.invoke(main, ["totp", "anna", "--url", base])
        assert refused.exit_code == 1 and "X-Mockhub-Admin-Token" in refused.output
        done = runner.invoke(main, ["totp", "anna", "--url", base, "--admin-token", "s3cret"])
    expected = code_at("JBSWY3DPEHPK3PXP", parse_time(FROZEN))
    assert done.exit_code == 0 and done.output == f"{expected}  (30 s left)\n"


# admin token and non-loopback hosts
GUARD_CASES = [
    # settings, path, headers, expected status
    ({}, "/__mockhub/state", {}, 200),
    ({"admin_token": "s3cret"}, "/__mockhub/state", {}, 401),
    ({"admin_token": "s3cret"}, "/__mockhub/state", {"X-Mockhub-Admin-Token": "nope"}, 403),
    ({"admin_token": "s3cret"}, "/__mockhub/state", {"X-Mockhub-Admin-Token": "s3cret"}, 200),
    ({"admin_token": "s3cret"}, "/__mockhub/requests", {}, 401),
    ({"admin_token": "s3cret"}, "/__mockhub/totp/anna", {}, 401),
    ({"admin_token": "s3cret"}, "/__mockhub/health", {}, 200),
    ({"admin_token": "s3cret"}, "/api/v2/me", auth("anna"), 200),
    ({"host": "0.0.0.0"}, "/__mockhub/state", {}, 403),
    ({"host": "0.0.0.0"}, "/__mockhub/health", {}, 200),
    ({"host": "0.0.0.0", "admin_token": "t"}, "/__mockhub/state",
     {"X-Mockhub-Admin-Token": "t"}, 200),
    ({"host": "127.0.0.2"}, "/__mockhub/state", {}, 200),
]


@pytest.mark.parametrize(("settings", "path", "headers", "status"), GUARD_CASES)
def test_admin_guard(settings, path, headers, status):
    client = create_app(clock=FROZEN, **settings).test_client()
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert "message" in response.json or status == 200


def test_non_loopback_message_says_how_to_enable():
    client = create_app(host="0.0.0.0").test_client()
    message = client.post("/__mockhub/reset").json["message"]
    assert "--admin-token" in message and "X-Mockhub-Admin-Token" in message


def test_admin_token_guards_writes_too():
    client = create_app(admin_token="s3cret").test_client()
    assert client.post("/__mockhub/faults", json={"status": 503}).status_code == 401
    assert client.post("/__mockhub/reset").status_code == 401
    assert client.put("/__mockhub/state", data=b"x", content_type="text/plain"
                      ).status_code == 401  # asked for the token before anything else


# rate limit
def limited(base: str, headers: dict[str, str]) -> requests.Response:
    return requests.get(f"{base}/api/v2/me", headers=headers, timeout=5)


def test_rate_limit_over_http():
    with serve(create_app(clock=FROZEN, rate_limit="3/min")) as base:
        answers = [limited(base, auth("anna")) for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert [r.headers["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
        assert {r.headers["X-RateLimit-Limit"] for r in answers} == {"3"}
        assert {r.headers["X-RateLimit-Reset"] for r in answers} == {str(FROZEN_EPOCH + 60)}
        refused = answers[-1]
        assert refused.headers["Retry-After"] == "60"
        assert "rate limit" in refused.json()["message"]
        assert limited(base, auth("bob")).status_code == 200  # per token
        assert limited(base, {}).headers["X-RateLimit-Remaining"] == "2"  # anonymous: per address
        requests.post(f"{base}/__mockhub/clock", json={"advance": 59}, timeout=5)
        assert limited(base, auth("anna")).headers["Retry-After"] == "1"
        requests.post(f"{base}/__mockhub/clock", json={"advance": 1}, timeout=5)
        assert limited(base, auth("anna")).status_code == 200  # a new window
        assert "X-RateLimit-Limit" not in requests.get(f"{base}/__mockhub/health", timeout=5
                                                       ).headers
        entries = requests.get(f"{base}/__mockhub/requests?status=429", timeout=5).json()
        assert [e["injected"] for e in entries] == [{"source": "rate_limit", "status": 429}] * 2


def test_rate_limit_resets_and_applies_to_injected_failures():
    client = create_app(clock=FROZEN, rate_limit="2/hour").test_client()
    first = call(client, "GET", "/me", "anna", headers={"X-Mockhub-Fault": "status=503"})
    assert (first.status_code, first.headers["X-RateLimit-Remaining"]) == (503, "1")
    call(client, "GET", "/me", "anna")
    assert call(client, "GET", "/me", "anna").headers["Retry-After"] == "3600"
    client.post("/__mockhub/reset")
    assert call(client, "GET", "/me", "anna").status_code == 200


@pytest.mark.parametrize(("text", "expected"), [
    ("60/min", (60, 60.0)), ("10/s", (10, 1.0)), ("1000/hour", (1000, 3600.0)),
    ("100/30s", (100, 30.0)), ("5 / 2 mins", (5, 120.0)), ("", None)])
def test_parse_rate_limit(text, expected):
    from mockhub.ratelimit import parse_rate_limit

    assert parse_rate_limit(text) == expected


# CLI flags
@pytest.mark.parametrize(("args", "message"), [
    (["--latency", "fast"], "--latency"),
    (["--rate-limit", "lots"], "--rate-limit"),
    (["--journal-size", "0"], "--journal-size"),
    (["--faults", "/nonexistent/rules.yaml"], "cannot read"),
])
def test_serve_rejects_bad_switches(args, message):
    result = CliRunner().invoke(main, ["serve", "--port", "0", *args])
    assert result.exit_code != 0 and message in result.output


def test_serve_flags_are_documented_with_their_variables():
    text = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    for flag, variable in [("--faults", "MOCKHUB_FAULTS"), ("--latency", "MOCKHUB_LATENCY"),
                           ("--rate-limit", "MOCKHUB_RATE_LIMIT"),
                           ("--journal-size", "MOCKHUB_JOURNAL_SIZE"),
                           ("--admin-token", "MOCKHUB_ADMIN_TOKEN")]:
        assert flag in text and variable in text
