"""Control-plane side of administration: the mail outbox, invite activation, the audit log.

These stand in for things the real service does outside its API (sending mail, the activation
page behind the mail's link, the audit log page), so they live under /__mockhub/, never /api/v2.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from mockhub.api import presenters
from mockhub.api.body import json_body
from mockhub.control.views import control
from mockhub.errors import Invalid
from mockhub.runtime import runtime


@control.get("/outbox")
def outbox() -> Any:
    """Every mail "sent", oldest first; `?to=<address>` picks one recipient's."""
    hub = runtime()
    mails = hub.store.outbox(to=request.args.get("to"))
    return jsonify([presenters.email(mail, about, hub.store.public_url) for mail, about in mails])


@control.post("/invites/<token>/activate")
def activate_invite(token: str) -> Any:
    """What the mail's link leads to: choose a password, and the invited account exists."""
    body = json_body()
    if not isinstance(body, dict):
        raise Invalid("_schema", "The request body must be a JSON object.",
                      message="The request body must be a JSON object.")
    unknown = sorted(set(body) - {"password"})
    if unknown:
        raise Invalid(unknown[0], "Unknown field.")
    password = body.get("password")
    if not isinstance(password, str):
        raise Invalid("password", "Missing data for required field." if password is None
                      else "Not a valid string.")
    hub = runtime()
    user = hub.store.activate_invite(token, password)
    state = presenters.me_state(user, hub.store)
    response = jsonify({"id": user.id, "login": user.login, "email": user.email,
                        "full_name": user.full_name, "role": user.role,
                        "invited_by": state["invited_by"], "activated_at": user.activated_at})
    response.status_code = 201
    return response


@control.get("/audit")
def audit() -> Any:
    """The audit log, oldest first; `?actor=` and `?action=` filter it."""
    events = runtime().store.audit_log(actor=request.args.get("actor"),
                                       action=request.args.get("action"))
    return jsonify([presenters.audit_event(event) for event in events])
