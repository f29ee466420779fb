"""/admin: invites and the user lifecycle, scoped by role (see mockhub/store/admin.py)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from mockhub.api import presenters
from mockhub.api.body import Blueprint
from mockhub.api.docs import errors
from mockhub.api.schemas.admin import (
    AdminUserSchema,
    CreatedInviteSchema,
    InviteSchema,
    NewInviteSchema,
)
from mockhub.api.schemas.common import OK, OkSchema
from mockhub.api.security import authenticated, current_user
from mockhub.runtime import runtime

admin = Blueprint("admin", __name__, url_prefix="/api/v2/admin",
                  description="Administration: invites and users (customer_admin and site_admin)")
FORBIDDEN = (403, "Not an administrator, or not your invitee")
NOT_FOUND = (404, "No such user")
ON_SELF = (409, "You cannot do this to yourself")
TAKEN = (409, "Username or e-mail taken by a user or a pending invite")


@admin.route("/invites")
class Invites(MethodView):
    @authenticated(admin)
    @admin.response(200, InviteSchema(many=True))
    @errors(admin, FORBIDDEN)
    def get(self) -> list[dict[str, Any]]:
        """List invites; a customer_admin sees only their own."""
        store = runtime().store
        return [presenters.invite(row, store) for row in store.list_invites(current_user().id)]

    @authenticated(admin)
    @admin.arguments(NewInviteSchema)
    @admin.response(201, CreatedInviteSchema)
    @errors(admin, FORBIDDEN, TAKEN)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an invite and send its activation mail (see /__mockhub/outbox)."""
        return presenters.created_invite(runtime().store.create_invite(current_user().id, **body))


@admin.route("/users")
class Users(MethodView):
    @authenticated(admin)
    @admin.response(200, AdminUserSchema(many=True))
    @errors(admin, FORBIDDEN)
    def get(self) -> list[dict[str, Any]]:
        """List users; a customer_admin sees only the users they invited."""
        return [presenters.admin_user(u) for u in runtime().store.list_users(current_user().id)]


@admin.route("/users/<string:login>/disable")
class DisableUser(MethodView):
    @authenticated(admin)
    @admin.response(200, OkSchema)
    @errors(admin, FORBIDDEN, NOT_FOUND, ON_SELF)
    def post(self, login: str) -> dict[str, Any]:
        """Disable a user: login answers 403 and their tokens are revoked at once."""
        runtime().store.disable_user(current_user().id, login)
        return OK


@admin.route("/users/<string:login>/enable")
class EnableUser(MethodView):
    @authenticated(admin)
    @admin.response(200, OkSchema)
    @errors(admin, FORBIDDEN, NOT_FOUND)
    def post(self, login: str) -> dict[str, Any]:
        """Enable a user again: they can log in."""
        runtime().store.enable_user(current_user().id, login)
        return OK


@admin.route("/users/<string:login>")
class User(MethodView):
    @authenticated(admin)
    @admin.response(200, OkSchema)
    @errors(admin, FORBIDDEN, NOT_FOUND, ON_SELF)
    def delete(self, login: str) -> dict[str, Any]:
        """Delete (purge) a user; their issues and comments elsewhere stay, by ghost."""
        runtime().store.purge_user(current_user().id, login)
        return OK
