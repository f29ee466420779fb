"""Control-plane endpoints: health, reset, state, TOTP codes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from mockhub import __version__
from mockhub.runtime import runtime

control = Blueprint("mockhub_control", __name__, url_prefix="/__mockhub")


@control.get("/health")
def health() -> Any:
    return jsonify({"ok": True, "version": __version__})


@control.post("/reset")
def reset() -> Any:
    restored = runtime().reset()
    return jsonify({"ok": True, "rows_restored": restored})


@control.get("/state")
def get_state() -> Any:
    return jsonify(runtime().store.snapshot())


@control.put("/state")
def put_state() -> Any:
    runtime().store.restore(request.get_json(silent=False))
    return jsonify({"ok": True})


@control.get("/totp/<login>")
def totp_code(login: str) -> Any:
    return jsonify(runtime().store.totp_codes(login))
