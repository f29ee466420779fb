"""Rules for accounts: login and tokens, profile, password, 2FA and SSH keys."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from mockhub import totp
from mockhub.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from mockhub.sshkeys import InvalidKey, parse_public_key
from mockhub.store import models as m
from mockhub.store.base import (
    StoreBase,
    hash_password,
    password_matches,
    reading,
    transaction,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE = re.compile(r"^\d{6}$")
MIN_PASSWORD_LENGTH = 12


class AccountRules(StoreBase):
    # tokens
    def login(self, username: str, password: str) -> tuple[m.Token, m.User]:
        """Log in by login or e-mail; with 2FA on, the token stays pending until verified."""
        with self.lock:  # not a transaction: a failed attempt must stay in the audit log
            return self._login(username, password)

    def _login(self, username: str, password: str) -> tuple[m.Token, m.User]:
        user = self.users.find("login", username.lower()) or self.users.find(
            "email", username.lower())
        if user is None or not password_matches(user, password):
            self.audit(username, "login_failed", username)
            raise Unauthorized("Bad username or password.")
        if not user.active:
            self.audit(user.login, "login_failed", "account disabled")
            raise Forbidden("This account is disabled. Ask an administrator to enable it.")
        token = self.issue_token(user, pending_2fa=user.twofa_secret is not None)
        self.audit(user.login, "login", user.login)
        return token, user

    def issue_token(self, user: m.User, pending_2fa: bool = False,
                    value: str | None = None) -> m.Token:
        return self.tokens.put(m.Token(
            id=self.next_id(self.tokens), value=value or self.new_token(self.tokens, "value"),
            user_id=user.id,
            created_at=self.now(), pending_2fa=pending_2fa))

    @reading
    def authenticate(self, value: str) -> tuple[m.User, m.Token]:
        token = self.tokens.find("value", value)
        user = self.users.get(token.user_id) if token else None
        if token is None or user is None:
            raise Unauthorized("The token is invalid or has been revoked.")
        if not user.active:
            raise Unauthorized("The token's account is disabled.")
        return user, token

    # profile and password
    @transaction
    def update_profile(self, user_id: int, email: str | None = None,
                       full_name: str | None = None, location: str | None = None) -> m.User:
        user = self.user(user_id)
        changes: dict[str, Any] = {}
        if email is not None:
            if not EMAIL.match(email):
                raise Invalid("email", "Not a valid e-mail address.")
            if self.users.taken("email", email.lower(), except_id=user.id):
                raise Conflict("Another account already uses this e-mail address.",
                               {"email": ["Already in use."]})
            changes["email"] = email
        if full_name is not None:
            changes["full_name"] = full_name
        if location is not None:
            changes["location"] = location
        return self.users.put(replace(user, **changes))

    @transaction
    def change_password(self, user_id: int, token_id: int, old: str, new: str) -> None:
        """Change the password and revoke every other token of the user."""
        user = self.user(user_id)
        if not password_matches(user, old):
            raise Invalid("old_password", "Does not match the current password.")
        if len(new) < MIN_PASSWORD_LENGTH:
            raise Invalid("new_password", f"Must be at least {MIN_PASSWORD_LENGTH} characters.")
        self.users.put(replace(user, password_hash=hash_password(user.id, new)))
        self.revoke_tokens(user.id, lambda token: token.id != token_id)
        self.audit(user.login, "password_changed", user.login)

    # two-factor authentication
    @transaction
    def twofa_setup(self, user_id: int) -> tuple[str, str, str]:
        """Start enrolment: a new secret, its otpauth URL and a PNG QR code (base64)."""
        user = self.user(user_id)
        if user.twofa_secret:
            raise Conflict("2FA is already enabled; disable it before setting it up again.")
        secret = totp.new_secret(self.rng.getrandbits(160))
        self.users.put(replace(user, twofa_pending_secret=secret))
        url = totp.otpauth_url(secret, user.login)
        return secret, url, totp.qr_png_base64(url)

    def _check_code(self, secret: str, code: str) -> None:
        if not CODE.match(code):
            raise Invalid("code", "Must be 6 digits.")
        if not totp.verify(secret, code, self.clock.now()):
            raise Invalid("code", "Wrong or expired code.")

    @transaction
    def twofa_confirm(self, user_id: int, code: str) -> None:
        user = self.user(user_id)
        if user.twofa_secret:
            raise Conflict("2FA is already enabled.")
        if not user.twofa_pending_secret:
            raise Conflict("Start with POST /me/2fa/setup.")
        self._check_code(user.twofa_pending_secret, code)
        self.users.put(replace(user, twofa_secret=user.twofa_pending_secret,
                               twofa_pending_secret=None))
        self.audit(user.login, "twofa_enabled", user.login)

    @transaction
    def twofa_verify(self, token: m.Token, code: str) -> None:
        """Release a pending login token with a valid code."""
        user = self.user(token.user_id)
        if not user.twofa_secret:
            raise Conflict("2FA is not enabled for this account.")
        self._check_code(user.twofa_secret, code)
        current = self.tokens.get(token.id)
        if current is not None and current.pending_2fa:
            self.tokens.put(replace(current, pending_2fa=False))
        self.audit(user.login, "twofa_verified", user.login)

    @transaction
    def twofa_disable(self, user_id: int, code: str) -> None:
        user = self.user(user_id)
        if not user.twofa_secret:
            raise Conflict("2FA is not enabled.")
        self._check_code(user.twofa_secret, code)
        self.users.put(replace(user, twofa_secret=None, twofa_pending_secret=None))
        self.revoke_tokens(user.id, lambda token: token.pending_2fa)  # logins awaiting a code
        self.audit(user.login, "twofa_disabled", user.login)

    @reading
    def totp_codes(self, login: str) -> dict[str, object]:
        """The current code (and the pending one during setup) on the mock clock."""
        user = self.users.find("login", login.lower())
        if user is None:
            raise NotFound(f"No user '{login}'.")
        moment = self.clock.now()
        return {
            "login": user.login,
            "code": totp.code_at(user.twofa_secret, moment) if user.twofa_secret else None,
            "pending_code": (totp.code_at(user.twofa_pending_secret, moment)
                             if user.twofa_pending_secret else None),
            "seconds_left": totp.seconds_left(moment),
        }

    # SSH keys
    @reading
    def list_keys(self, user_id: int) -> list[m.SshKey]:
        return self.keys.group("user", user_id)

    @transaction
    def add_key(self, user_id: int, title: str, key_text: str) -> m.SshKey:
        user = self.user(user_id)
        try:
            key = parse_public_key(key_text)
        except InvalidKey as problem:
            raise Invalid("key", str(problem)) from None
        if not title.strip():
            raise Invalid("title", "Must not be empty.")
        if self.keys.taken("fingerprint", key.fingerprint):
            raise Conflict("This key is already in use.", {"key": ["Already in use."]})
        row = self.keys.put(m.SshKey(
            id=self.next_id(self.keys), user_id=user.id, title=title,
            key=key_text.strip(), fingerprint=key.fingerprint, created_at=self.now()))
        self.audit(user.login, "key_added", f"{user.login}:{row.fingerprint}")
        return row

    @transaction
    def delete_key(self, user_id: int, key_id: int) -> None:
        key = self.keys.get(key_id)
        if key is None or key.user_id != user_id:  # someone else's key: as if absent
            raise NotFound(f"No SSH key {key_id}.")
        self.keys.delete(key_id)
        self.audit(self.user(user_id).login, "key_removed", key.fingerprint)
