"""Control-plane side of administration: the mail outbox, invite activation, the audit log.

These stand in for things the real service does outside its API (sending mail, the activation
page behind the mail's link, the audit log page), so they live under /__mockhub/, never /api/v2.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_smorest import abort
from marshmallow import ValidationError, fields

from mockhub.api import presenters
from mockhub.api.body import json_body
from mockhub.api.schemas.common import StrictSchema
from mockhub.control.views import control
from mockhub.runtime import runtime


class ActivationSchema(StrictSchema):
    password = fields.String(required=True)  # its length is the store's rule


ACTIVATION = ActivationSchema()


@control.get("/outbox")
def outbox() -> Any:
    """Every mail "sent", oldest first; `?to=<address>` picks one recipient's."""
    hub = runtime()
    mails = hub.store.outbox(to=request.args.get("to"))
    return jsonify([presenters.email(mail, about, hub.store.public_url) for mail, about in mails])


@control.post("/invites/<token>/activate")
def activate_invite(token: str) -> Any:
    """What the mail's link leads to: choose a password, and the invited account exists."""
    try:
        body = ACTIVATION.load(json_body())
    except ValidationError as problem:  # the envelope the API's own body schemas get
        abort(422, messages={"json": problem.messages})
    hub = runtime()
    user = hub.store.activate_invite(token, body["password"])
    return jsonify(presenters.activated_user(user, hub.store)), 201


@control.get("/audit")
def audit() -> Any:
    """The audit log, oldest first; `?actor=` and `?action=` filter it."""
    events = runtime().store.audit_log(actor=request.args.get("actor"),
                                       action=request.args.get("action"))
    return jsonify([presenters.audit_event(event) for event in events])
