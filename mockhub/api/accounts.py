"""/auth/login and the /me surface: profile, password, 2FA and SSH keys."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from mockhub.api import presenters
from mockhub.api.body import Blueprint
from mockhub.api.schemas.accounts import (
    CodeSchema,
    KeySchema,
    LoginResultSchema,
    LoginSchema,
    MeSchema,
    MeStateSchema,
    NewKeySchema,
    PasswordSchema,
    ProfileSchema,
    TwofaSetupSchema,
)
from mockhub.api.schemas.common import OK, OkSchema
from mockhub.api.security import authenticated, current_token, current_user
from mockhub.runtime import runtime

auth = Blueprint("auth", __name__, url_prefix="/api/v2/auth", description="Log in")
me = Blueprint("me", __name__, url_prefix="/api/v2/me",
               description="Your own account: profile, password, 2FA and SSH keys")


@auth.route("/login")
class Login(MethodView):
    @auth.arguments(LoginSchema)
    @auth.response(200, LoginResultSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Log in and get an API token (anonymous)."""
        token, user = runtime().store.login(body["username"], body["password"])
        return {"token": token.value, "user": presenters.login_user(user),
                "twofa_required": token.pending_2fa}


@me.route("")
class Me(MethodView):
    @authenticated(me, allow_pending=True)
    @me.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """Your own user info."""
        return presenters.me(current_user(), runtime().store.public_url)


@me.route("/state")
class MeState(MethodView):
    @authenticated(me, allow_pending=True)
    @me.response(200, MeStateSchema)
    def get(self) -> dict[str, Any]:
        """Onboarding state: 2FA, SSH key, role."""
        return presenters.me_state(current_user(), runtime().store)


@me.route("/profile")
class Profile(MethodView):
    @authenticated(me)
    @me.arguments(ProfileSchema)
    @me.response(200, OkSchema)
    def patch(self, body: dict[str, Any]) -> dict[str, Any]:
        """Update profile fields."""
        runtime().store.update_profile(current_user().id, **body)
        return OK


@me.route("/password")
class Password(MethodView):
    @authenticated(me)
    @me.arguments(PasswordSchema)
    @me.response(200, OkSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Change your password; your other tokens are revoked."""
        runtime().store.change_password(current_user().id, current_token().id,
                                        body["old_password"], body["new_password"])
        return OK


@me.route("/2fa/setup")
class TwofaSetup(MethodView):
    @authenticated(me)
    @me.response(200, TwofaSetupSchema)
    def post(self) -> dict[str, Any]:
        """Generate a TOTP secret and its QR code (base64 PNG)."""
        secret, url, png = runtime().store.twofa_setup(current_user().id)
        return {"secret": secret, "qr_png_base64": png, "otpauth_url": url}


@me.route("/2fa/confirm")
class TwofaConfirm(MethodView):
    @authenticated(me)
    @me.arguments(CodeSchema)
    @me.response(200, OkSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Confirm enrolment with a TOTP code."""
        runtime().store.twofa_confirm(current_user().id, body["code"])
        return OK


@me.route("/2fa/verify")
class TwofaVerify(MethodView):
    @authenticated(me, allow_pending=True)
    @me.arguments(CodeSchema)
    @me.response(200, OkSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Verify a TOTP code after login; releases the pending token."""
        runtime().store.twofa_verify(current_token(), body["code"])
        return OK


@me.route("/2fa/disable")
class TwofaDisable(MethodView):
    @authenticated(me)
    @me.arguments(CodeSchema)
    @me.response(200, OkSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Turn 2FA off (needs a valid code)."""
        runtime().store.twofa_disable(current_user().id, body["code"])
        return OK


@me.route("/keys")
class Keys(MethodView):
    @authenticated(me)
    @me.response(200, KeySchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List your SSH keys."""
        return [presenters.key(k) for k in runtime().store.list_keys(current_user().id)]

    @authenticated(me)
    @me.arguments(NewKeySchema)
    @me.response(201, KeySchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Add an SSH key."""
        return presenters.key(runtime().store.add_key(current_user().id, body["title"],
                                                      body["key"]))


@me.route("/keys/<int:key_id>")
class Key(MethodView):
    @authenticated(me)
    @me.response(200, OkSchema)
    def delete(self, key_id: int) -> dict[str, Any]:
        """Remove an SSH key."""
        runtime().store.delete_key(current_user().id, key_id)
        return OK
