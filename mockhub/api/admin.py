"""/admin: invites and the user lifecycle, scoped by role (see mockhub/store/admin.py)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from mockhub.api import presenters
from mockhub.api.body import Blueprint
from mockhub.api.schemas.admin import (
    AdminUserSchema,
    CreatedInviteSchema,
    InviteSchema,
    NewInviteSchema,
)
from mockhub.api.schemas.common import OK, ErrorSchema, OkSchema
from mockhub.api.security import SECURITY, current_user, token_required
from mockhub.runtime import runtime

admin = Blueprint("admin", __name__, url_prefix="/api/v2/admin",
                  description="Administration: invites and users (customer_admin and site_admin)")
FORBIDDEN = {"description": "Not an administrator, or not your invitee", "schema": ErrorSchema}
NOT_FOUND = {"description": "No such user", "schema": ErrorSchema}
ON_SELF = {"description": "You cannot do this to yourself", "schema": ErrorSchema}


@admin.route("/invites")
class Invites(MethodView):
    @token_required
    @admin.doc(security=SECURITY)
    @admin.response(200, InviteSchema(many=True))
    @admin.alt_response(403, **FORBIDDEN)
    def get(self) -> list[dict[str, Any]]:
        """List invites; a customer_admin sees only their own."""
        store = runtime().store
        return [presenters.invite(row, store) for row in store.list_invites(current_user().id)]

    @token_required
    @admin.doc(security=SECURITY)
    @admin.arguments(NewInviteSchema)
    @admin.response(201, CreatedInviteSchema)
    @admin.alt_response(403, **FORBIDDEN)
    @admin.alt_response(409, description="Username or e-mail taken by a user or a pending invite",
                        schema=ErrorSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an invite and send its activation mail (see /__mockhub/outbox)."""
        return presenters.created_invite(runtime().store.create_invite(current_user().id, **body))


@admin.route("/users")
class Users(MethodView):
    @token_required
    @admin.doc(security=SECURITY)
    @admin.response(200, AdminUserSchema(many=True))
    @admin.alt_response(403, **FORBIDDEN)
    def get(self) -> list[dict[str, Any]]:
        """List users; a customer_admin sees only the users they invited."""
        return [presenters.admin_user(u) for u in runtime().store.list_users(current_user().id)]


@admin.route("/users/<string:login>/disable")
class DisableUser(MethodView):
    @token_required
    @admin.doc(security=SECURITY)
    @admin.response(200, OkSchema)
    @admin.alt_response(403, **FORBIDDEN)
    @admin.alt_response(404, **NOT_FOUND)
    @admin.alt_response(409, **ON_SELF)
    def post(self, login: str) -> dict[str, Any]:
        """Disable a user: login answers 403 and their tokens are revoked at once."""
        runtime().store.disable_user(current_user().id, login)
        return OK


@admin.route("/users/<string:login>/enable")
class EnableUser(MethodView):
    @token_required
    @admin.doc(security=SECURITY)
    @admin.response(200, OkSchema)
    @admin.alt_response(403, **FORBIDDEN)
    @admin.alt_response(404, **NOT_FOUND)
    def post(self, login: str) -> dict[str, Any]:
        """Enable a user again: they can log in."""
        runtime().store.enable_user(current_user().id, login)
        return OK


@admin.route("/users/<string:login>")
class User(MethodView):
    @token_required
    @admin.doc(security=SECURITY)
    @admin.response(200, OkSchema)
    @admin.alt_response(403, **FORBIDDEN)
    @admin.alt_response(404, **NOT_FOUND)
    @admin.alt_response(409, **ON_SELF)
    def delete(self, login: str) -> dict[str, Any]:
        """Delete (purge) a user; their issues and comments elsewhere stay, by ghost."""
        runtime().store.purge_user(current_user().id, login)
        return OK
