"""Control-plane endpoints under /__mockhub/: health, reset, state, faults, journal, clock, TOTP.

Never part of the NoackHub API. Errors use the API's JSON envelope; bad input is 422 with the
field named. `guard_control_plane` (installed by create_app as the first before_request hook)
asks for `X-Mockhub-Admin-Token` when an admin token is set, and closes the control plane on a
non-loopback host that has none; /__mockhub/health stays open for readiness probes.
"""

from __future__ import annotations

import hmac
import math
from typing import Any

from flask import Blueprint, jsonify, request

from mockhub import __version__
from mockhub.api.body import json_body
from mockhub.clock import parse_time
from mockhub.errors import Forbidden, Invalid, Unauthorized
from mockhub.runtime import runtime

control = Blueprint("mockhub_control", __name__, url_prefix="/__mockhub")

PREFIX = "/__mockhub/"
OPEN_PATHS = ("/__mockhub/health", "/__mockhub/swagger-ui/")  # probes; the docs page's assets
ADMIN_HEADER = "X-Mockhub-Admin-Token"


def guard_control_plane() -> None:
    path = request.path
    if not path.startswith(PREFIX) or path.startswith(OPEN_PATHS) or request.method == "OPTIONS":
        return
    settings = runtime().settings
    if settings.admin_token is None:
        if settings.loopback:
            return
        raise Forbidden(
            f"The control plane is off because mockhub listens on {settings.host}, which other "
            "machines can reach. Start it with --admin-token <secret> (or MOCKHUB_ADMIN_TOKEN) "
            f"and send the header '{ADMIN_HEADER}: <secret>'.")
    sent = request.headers.get(ADMIN_HEADER)
    if not sent:
        raise Unauthorized(f"The control plane needs the header '{ADMIN_HEADER}: <token>' "
                           "(the token mockhub was started with, --admin-token).")
    if not hmac.compare_digest(sent.encode(), settings.admin_token.encode()):
        raise Forbidden(f"Wrong {ADMIN_HEADER}.")


def _ok(**fields: Any) -> Any:
    return jsonify({"ok": True, **fields})


@control.get("/health")
def health() -> Any:
    return jsonify({"ok": True, "version": __version__})


@control.post("/reset")
def reset() -> Any:
    """Seeded state, starting clock, startup fault rules, empty journal, fresh rate limits."""
    restored = runtime().reset()
    return _ok(rows_restored=restored)


@control.get("/state")
def get_state() -> Any:
    return jsonify(runtime().store.snapshot())


@control.put("/state")
def put_state() -> Any:
    runtime().store.restore(json_body())  # validates everything before changing anything
    return _ok()


# fault rules
@control.post("/faults")
def add_faults() -> Any:
    """One rule (an object) or several (a list, all or nothing); 201 with the id(s).
    Read-only fields (id, matched, fired, remaining) are ignored: listed rules can be replayed."""
    data = json_body()
    faults = runtime().faults
    if isinstance(data, list):
        return jsonify([rule.to_dict() for rule in faults.add_many(data)]), 201
    if not isinstance(data, dict):
        raise Invalid("rule", "Send a rule object (or a list of them).")
    return jsonify(faults.add(data).to_dict()), 201


@control.get("/faults")
def list_faults() -> Any:
    faults = runtime().faults
    latency = faults.latency
    return jsonify({"rules": [rule.to_dict() for rule in faults.rules()],
                    "latency_ms": list(latency) if latency else None})


@control.get("/faults/<int:rule_id>")
def get_fault(rule_id: int) -> Any:
    return jsonify(runtime().faults.get(rule_id).to_dict())


@control.delete("/faults/<int:rule_id>")
def delete_fault(rule_id: int) -> Any:
    runtime().faults.remove(rule_id)
    return _ok()


@control.delete("/faults")
def delete_faults() -> Any:
    return _ok(removed=runtime().faults.clear())


# request journal
@control.get("/requests")
def list_requests() -> Any:
    """Oldest first; ?method=POST&path=/repos*&status=5xx."""
    args = request.args
    return jsonify(runtime().journal.entries(method=args.get("method") or None,
                                             path=args.get("path") or None,
                                             status=args.get("status") or None))


@control.delete("/requests")
def clear_requests() -> Any:
    return _ok(removed=runtime().journal.clear())


# clock
@control.get("/clock")
def get_clock() -> Any:
    return jsonify(runtime().clock.describe())


@control.post("/clock")
def set_clock() -> Any:
    """Exactly one of {"freeze": "<iso>" | true}, {"advance": seconds}, {"unfreeze": true}."""
    data = json_body()
    if not isinstance(data, dict):
        raise Invalid("clock", 'Send {"freeze": "<iso>"}, {"advance": <seconds>} or '
                               '{"unfreeze": true}.')
    actions = [key for key in ("freeze", "advance", "unfreeze") if key in data]
    unknown = sorted(set(data) - {"freeze", "advance", "unfreeze"})
    if unknown:
        raise Invalid(unknown[0], "Unknown field: use freeze, advance or unfreeze.")
    if len(actions) != 1:
        raise Invalid("clock", "Send exactly one of freeze, advance, unfreeze.")
    clock = runtime().clock
    action, value = actions[0], data[actions[0]]
    if action == "freeze":
        clock.freeze(None if value is True else _moment(value))
    elif action == "advance":
        # no math.isfinite on ints: a huge one overflows it (Clock.advance refuses it as too far)
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise Invalid("advance", "Must be a number of seconds.")
        clock.advance(value)
    else:
        if value is not True:
            raise Invalid("unfreeze", "Must be true.")
        clock.unfreeze()
    return jsonify(clock.describe())


def _moment(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_time(value)
        except (ValueError, OverflowError):  # OverflowError: before year 1 once in UTC
            pass
    raise Invalid("freeze", "Must be an ISO 8601 time such as 2026-05-13T08:00:00Z, or true.")


# TOTP
@control.get("/totp/<login>")
def totp_code(login: str) -> Any:
    """The user's current code (and the pending one during setup) on the mock clock."""
    return jsonify(runtime().store.totp_codes(login))


__all__ = ["control", "guard_control_plane"]
