"""Fault rules: validation, matching, the after/times/probability triggers, determinism, files."""

from __future__ import annotations

import json

import pytest
import requests
from helpers import FROZEN, auth, call, serve

from mockhub.app import create_app
from mockhub.faults import ConnectionFault, FaultEngine, RuleError, load_rules, parse_latency
from mockhub.runtime import runtime
from mockhub.testing import MockHub


def statuses(client, count: int, path: str = "/me", user: str = "anna") -> list[int]:
    return [call(client, "GET", path, user).status_code for _ in range(count)]


INVALID_RULES = [
    # rule, the fields the 422 must name
    ({"path": "/me"}, {"rule"}),
    ({"status": 99}, {"status"}),
    ({"status": "503"}, {"status"}),
    ({"status": True}, {"status"}),
    ({"status": 503, "probability": 1.5}, {"probability"}),
    ({"status": 503, "times": 0}, {"times"}),
    ({"status": 503, "after": -1}, {"after"}),
    ({"status": 503, "after": 1.5}, {"after"}),
    ({"delay_ms": -5}, {"delay_ms"}),
    ({"fault": "meltdown"}, {"fault"}),
    ({"fault": "connection_reset", "status": 503}, {"fault"}),
    ({"status": 503, "method": "GET POST"}, {"method"}),
    ({"status": 503, "path": "repos"}, {"path"}),
    ({"status": 503, "headers": ["Retry-After"]}, {"headers"}),
    ({"status": 503, "headers": {"Content-Length": "5"}}, {"headers.Content-Length"}),
    ({"status": 503, "headers": {"X-A": "1\r\nX-B: 2"}}, {"headers.X-A"}),
    # header values go out as bytes: anything but printable ASCII would break the connection
    ({"status": 503, "headers": {"X-A": "中"}}, {"headers.X-A"}),
    ({"status": 503, "headers": {"X-A": "caf\u00e9"}}, {"headers.X-A"}),
    ({"status": 503, "headers": {"X-A": "bell\u0007"}}, {"headers.X-A"}),
    ({"status": 503, "headers": {"X-A": None}}, {"headers.X-A"}),
    ({"status": 503, "headers": {"X A": "1"}}, {"headers.X A"}),
    ({"status": 503, "headers": {"X-A\n": "1"}}, {"headers.X-A\n"}),
    ({"status": 503, "headers": {"ø": "1"}}, {"headers.ø"}),
    ({"status": 503, "method": "GET\n"}, {"method"}),
    ({"status": 503, "colour": "red", "id": 4}, {"colour"}),  # read-only fields are ignored
    ({"status": 700, "times": "x"}, {"status", "times"}),
    # numbers too large for a float (or a client): 422, never an OverflowError
    ({"status": 10**400}, {"status"}),
    ({"delay_ms": 10**400}, {"delay_ms"}),
    ({"status": 503, "times": 10**400}, {"times"}),
    ({"status": 503, "after": 10**400}, {"after"}),
    ({"status": 503, "probability": 10**400}, {"probability"}),
    ({"status": 503, "probability": -(10**400)}, {"probability"}),
    ({"status": 503, "times": 1e300}, {"times"}),
]


@pytest.mark.parametrize(("rule", "fields"), INVALID_RULES)
def test_invalid_rules_are_422_naming_the_fields(client, rule, fields):
    response = client.post("/__mockhub/faults", json=rule)
    assert response.status_code == 422
    assert set(response.json["errors"]) == fields
    assert response.json["message"].startswith("Invalid fault rule")
    assert client.get("/__mockhub/faults").json["rules"] == []


PYTHON_ONLY_RULES = [
    # rules only Python or a rules file can make (the request parser stops these as 400)
    ({"status": 503, "body": "\ud800"}, "body"),
    ({"status": 503, "body": {"a": [1, "x\udfff"]}}, "body.a[1]"),
    ({"status": 503, "body": {"\udc00": 1}}, "body.\\udc00"),
    ({"status": 503, "body": float("nan")}, "body"),
    ({"status": 503, "body": json.loads("[" * 150 + "]" * 150)}, "body"),
    ({"status": 503, "path": "/me\ud800"}, "path"),
    ({"status": 503, "user": "\ud800"}, "user"),
]


@pytest.mark.parametrize(("rule", "field"), PYTHON_ONLY_RULES)
def test_python_rules_hold_nothing_unrenderable(client, hub, rule, field):
    with pytest.raises(RuleError) as caught:
        hub.faults.add(rule)
    assert list(caught.value.errors) == [field]
    assert client.get("/__mockhub/faults").status_code == 200


def test_a_list_is_all_or_nothing(client):
    response = client.post("/__mockhub/faults", json=[{"status": 503}, {"status": 1}])
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"[1].status"}
    assert client.get("/__mockhub/faults").json["rules"] == []
    created = client.post("/__mockhub/faults", json=[{"status": 503}, {"delay_ms": 5}])
    assert created.status_code == 201
    assert [rule["id"] for rule in created.json] == [1, 2]


def test_crud(client):
    created = client.post("/__mockhub/faults", json={"method": "post", "path": "/repos*",
                                                     "status": 503, "times": 2})
    assert created.status_code == 201
    rule = created.json
    assert rule == {"id": 1, "method": "POST", "path": "/repos*", "user": None, "status": 503,
                    "body": None, "headers": {}, "delay_ms": 0, "fault": None,
                    "probability": 1.0, "after": 0, "times": 2, "matched": 0, "fired": 0,
                    "remaining": 2}
    assert client.get("/__mockhub/faults/1").json == rule
    assert client.post("/__mockhub/faults", json=rule).json["id"] == 2  # sent back as is
    assert client.delete("/__mockhub/faults/1").json == {"ok": True}
    assert client.delete("/__mockhub/faults/1").status_code == 404
    assert client.get("/__mockhub/faults/1").json == {"message": "No fault rule 1."}
    assert client.delete("/__mockhub/faults").json == {"ok": True, "removed": 1}
    assert client.get("/__mockhub/faults").json == {"rules": [], "latency_ms": None}


SAVED_RULES = [
    {"path": "/me", "status": 503},
    {"method": "POST", "path": "/repos*", "status": 502, "times": 3, "after": 1,
     "headers": {"Retry-After": "2"}, "body": {"error": "x"}, "probability": 0.5},
    {"path": "/me", "fault": "connection_reset", "delay_ms": 5, "user": "anna"},
]


@pytest.mark.parametrize("as_list", [False, True])
def test_listed_rules_can_be_posted_back(client, as_list):
    """Save GET /__mockhub/faults, reset, replay: id and counters are read-only, and ignored."""
    client.post("/__mockhub/faults", json=SAVED_RULES)
    statuses(client, 2)  # move the counters, so the saved rules carry some
    saved = client.get("/__mockhub/faults").json["rules"]
    client.post("/__mockhub/reset")
    if as_list:
        replayed = client.post("/__mockhub/faults", json=saved)
        assert replayed.status_code == 201
    else:
        assert all(client.post("/__mockhub/faults", json=rule).status_code == 201
                   for rule in saved)
    fresh = client.get("/__mockhub/faults").json["rules"]

    def settings(rule: dict) -> dict:
        return {k: v for k, v in rule.items() if k not in ("id", "matched", "fired", "remaining")}

    assert [settings(rule) for rule in fresh] == [settings(rule) for rule in saved]
    assert {rule["fired"] for rule in fresh} == {0}
    assert {rule["id"] for rule in fresh}.isdisjoint(rule["id"] for rule in saved)


def test_times_retires_the_rule(client):
    client.post("/__mockhub/faults", json={"path": "/me", "status": 503, "times": 2})
    assert statuses(client, 4) == [503, 503, 200, 200]
    assert client.get("/__mockhub/faults").json["rules"] == []


def test_after_lets_requests_through_first(client):
    client.post("/__mockhub/faults", json={"path": "/me", "status": 503, "after": 2, "times": 1})
    assert statuses(client, 5) == [200, 200, 503, 200, 200]


def test_counters(client):
    client.post("/__mockhub/faults", json={"path": "/me", "status": 503, "after": 1})
    statuses(client, 3)
    call(client, "GET", "/me/keys", "anna")  # does not match
    rule = client.get("/__mockhub/faults/1").json
    assert (rule["matched"], rule["fired"], rule["remaining"]) == (3, 2, None)


MATCHING = [
    # rule fields, (method, path, user) → does it fire?
    ({"method": "POST"}, ("GET", "/me", "anna"), False),
    ({"method": "get"}, ("GET", "/me", "anna"), True),
    ({"path": "/api/v2/me"}, ("GET", "/me", "anna"), True),
    ({"path": "/me"}, ("GET", "/me", "anna"), True),  # relative to /api/v2
    ({"path": "/me"}, ("GET", "/me/keys", "anna"), False),
    ({"path": "/me*"}, ("GET", "/me/keys", "anna"), True),
    ({"path": "/me/*"}, ("GET", "/me", "anna"), False),
    ({"path": "*/keys"}, ("GET", "/me/keys", "anna"), True),
    ({"path": "/api/v1/*"}, ("GET", "/me", "anna"), False),
    ({"user": "anna"}, ("GET", "/me", "anna"), True),
    ({"user": "ANNA"}, ("GET", "/me", "anna"), True),
    ({"user": "bob"}, ("GET", "/me", "anna"), False),
    ({"user": "anna"}, ("GET", "/me", None), False),
]


@pytest.mark.parametrize(("fields", "request_", "fires"), MATCHING)
def test_matching(client, fields, request_, fires):
    client.post("/__mockhub/faults", json={"status": 418, **fields})
    method, path, user = request_
    assert (call(client, method, path, user).status_code == 418) is fires


def test_first_rule_that_fires_wins(client):
    client.post("/__mockhub/faults", json={"path": "/me", "status": 503, "times": 1})
    client.post("/__mockhub/faults", json={"path": "/me", "status": 500, "after": 1})
    # request 1: rule 1 fires (rule 2 does not see it); request 2: rule 2's first match, let
    # through; request 3 on: rule 2 fires
    assert statuses(client, 4) == [503, 200, 500, 500]


def probability_run(seed: int, count: int = 24) -> list[int]:
    app = create_app(clock=FROZEN, faker_seed=seed)
    client = app.test_client()
    client.post("/__mockhub/faults", json={"path": "/me", "status": 503, "probability": 0.5})
    return statuses(client, count)


def test_probability_is_the_same_for_the_same_seed():
    first, second = probability_run(0), probability_run(0)
    assert first == second
    assert 503 in first and 200 in first
    assert probability_run(1) != first  # another seed, another sequence


def test_reset_replays_the_same_sequence(client):
    rule = {"path": "/me", "status": 503, "probability": 0.3}
    client.post("/__mockhub/faults", json=rule)
    first = statuses(client, 20)
    client.post("/__mockhub/reset")
    client.post("/__mockhub/faults", json=rule)
    assert statuses(client, 20) == first


def test_same_seed_same_failures_over_real_http():
    runs = []
    for _ in range(2):
        with serve(create_app(clock=FROZEN, faker_seed=7)) as base:
            requests.post(f"{base}/__mockhub/faults", timeout=5,
                          json={"path": "/me", "status": 503, "probability": 0.4, "after": 1})
            runs.append([requests.get(f"{base}/api/v2/me", headers=auth("anna"),
                                      timeout=5).status_code for _ in range(15)])
    assert runs[0] == runs[1]
    assert runs[0][0] == 200 and 503 in runs[0]


@pytest.mark.parametrize(("fault_header", "prefer", "key"), [
    # ASCII digits only: these all pass str.isdigit() or int(), and must be a 422 naming the key
    (None, "code=\u0665\u0660\u0663", "Prefer"),  # Arabic-Indic 503
    (None, "code=\u00b2", "Prefer"),
    (None, "code=" + "5" * 5000, "Prefer"),  # past int()'s digit limit
    ("status=\u0665\u0660\u0663", None, "status"),
    ("delay_ms=\uff15", None, "delay_ms"),  # fullwidth 5
    ("probability=" + "9" * 5000, None, "probability"),
    ("status=" + "9" * 400, None, "status"),
])
def test_header_numbers_are_ascii(fault_header, prefer, key):
    with pytest.raises(RuleError) as caught:
        FaultEngine().decide("GET", "/api/v2/me", None, fault_header, prefer)
    assert list(caught.value.errors) == [key]


def test_latency_range_is_seeded():
    draws = []
    for _ in range(2):
        engine = FaultEngine(seed=3, latency=parse_latency("20-200"))
        draws.append([engine.draw_latency() for _ in range(10)])
    assert draws[0] == draws[1]
    assert all(20 <= value <= 200 for value in draws[0]) and len(set(draws[0])) == 10


@pytest.mark.parametrize(("text", "expected"), [
    ("50", (50, 50)), ("20-200", (20, 200)), (" 5 - 7 ", (5, 7)), ("0", None), (None, None)])
def test_parse_latency(text, expected):
    assert parse_latency(text) == expected


@pytest.mark.parametrize("text", ["fast", "200-20", "-5", "1-999999"])
def test_parse_latency_rejects(text):
    with pytest.raises(RuleError):
        parse_latency(text)


def test_python_api():
    """What the pytest plugin calls: add → rule, remove(id), keyword form, reset."""
    app = create_app(clock=FROZEN)
    hub = runtime(app)
    rule = hub.faults.add(path="/me", status=503)
    other = hub.faults.add({"method": "POST", "path": "/me/keys", "delay_ms": 1})
    assert (rule.id, other.id) == (1, 2)
    client = app.test_client()
    assert call(client, "GET", "/me", "anna").status_code == 503
    assert hub.faults.remove(rule.id) is rule
    assert [r.id for r in hub.faults.rules()] == [2]
    assert call(client, "GET", "/me", "anna").status_code == 200
    assert [e["status"] for e in hub.journal.entries(path="/me")] == [503, 200]
    assert hub.journal.entries(status="5xx")[0]["rule_id"] == 1
    hub.reset()
    assert hub.faults.rules() == [] and len(hub.journal) == 0


@pytest.mark.parametrize("between", ["reset", "clear"])
def test_an_old_handle_never_removes_a_newer_rule(between):
    """Rule ids are never reused, so a FaultHandle kept across a reset stays harmless."""
    with MockHub(clock=FROZEN) as mock:
        old = mock.fault(path="/me", status=503)
        if between == "reset":  # as the pytest plugin does before each test
            mock.reset()
        else:
            mock.runtime.faults.clear()
        new = mock.fault(path="/me", status=500)
        old.remove()  # its rule is gone already: a no-op
        assert new.id != old.id
        assert [rule.id for rule in mock.runtime.faults.rules()] == [new.id]


@pytest.mark.parametrize("kind", ["connection_reset", "empty_response"])
def test_test_client_raises_connection_faults(client, hub, kind):
    """No socket: the fault surfaces as a ConnectionError from the test client's call."""
    hub.faults.add(path="/me", fault=kind)
    with pytest.raises(ConnectionFault) as caught:
        call(client, "GET", "/me", "anna")
    assert isinstance(caught.value, ConnectionError) and caught.value.kind == kind
    assert hub.journal.entries()[0]["status"] is None


def test_test_client_sees_truncated_body(client, hub):
    hub.faults.add(path="/me", fault="truncated_body")
    response = call(client, "GET", "/me", "anna")
    assert int(response.headers["Content-Length"]) > len(response.data)


RULES_FILE = """
# a demo of flaky infrastructure
- method: POST
  path: /me/keys
  status: 503
  headers: {Retry-After: 2}
  times: 1
- path: /me
  delay_ms: 1
"""


@pytest.mark.parametrize(("name", "text"), [
    ("chaos.yaml", RULES_FILE),
    ("chaos.yml", "faults:" + RULES_FILE.replace("\n", "\n  ")),
    ("chaos.json", json.dumps([{"method": "POST", "path": "/me/keys", "status": 503,
                                "headers": {"Retry-After": "2"}, "times": 1},
                               {"path": "/me", "delay_ms": 1}])),
])
def test_faults_files_load_and_survive_reset(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    app = create_app(clock=FROZEN, faults=[str(path)])
    client = app.test_client()
    listed = client.get("/__mockhub/faults").json["rules"]
    assert [(r["id"], r["status"], r["delay_ms"]) for r in listed] == [(1, 503, 0), (2, None, 1)]
    body = {"title": "x", "key": "ssh-ed25519 AAAA"}
    assert call(client, "POST", "/me/keys", "anna", json=body).status_code == 503
    client.post("/__mockhub/faults", json={"status": 500})
    assert len(client.get("/__mockhub/faults").json["rules"]) == 2  # 1 retired, 1 added
    client.post("/__mockhub/reset")  # back to the file's rules, fresh counters, new ids
    after = client.get("/__mockhub/faults").json["rules"]
    assert [(r["id"], r["status"], r["fired"]) for r in after] == [(4, 503, 0), (5, None, 0)]


@pytest.mark.parametrize(("text", "named"), [
    ("- {status: 99}", "[0].status"),
    ("- {status: 503}\n- {path: /me}", "[1].rule"),
    ("[unclosed", "bad.yaml"),
    (b"- {status: 503, body: {message: \xe5}}", "faults"),  # Latin-1, not UTF-8
])
def test_bad_faults_file(tmp_path, text, named):
    path = tmp_path / "bad.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(RuleError) as caught:
        create_app(faults=[str(path)])
    assert any(named in key for key in caught.value.errors)


def test_load_rules_returns_the_rules_cleaned(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("- {method: post, path: /me, user: ' anna ', status: 503.0, body: null, "
                    "headers: {Retry-After: 2}}\n")
    assert load_rules(path) == [{"method": "POST", "path": "/me", "user": "anna", "status": 503,
                                 "headers": {"Retry-After": "2"}}]


def test_rule_errors_are_named_where_they_were_sent():
    problem = RuleError({"status": ["Bad."], "rule": ["Worse."]})
    moved = problem.within("f.yaml[2].", "Invalid faults file")
    assert moved.errors == {"f.yaml[2].status": ["Bad."], "f.yaml[2].rule": ["Worse."]}
    assert moved.message == "Invalid faults file: f.yaml[2].status: Bad.; f.yaml[2].rule: Worse."
    assert problem.within().errors == problem.errors
