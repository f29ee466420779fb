"""Rows → the JSON shapes of the reference (names, URLs, logins instead of ids)."""

from __future__ import annotations

from typing import Any

from mockhub.store import Store
from mockhub.store import models as m
from mockhub.store.admin import activation_link


def login_user(user: m.User) -> dict[str, Any]:
    return {"login": user.login, "email": user.email, "is_admin": user.role == "site_admin"}


def me(user: m.User, public_url: str) -> dict[str, Any]:
    return {"id": user.id, "login": user.login, "full_name": user.full_name,
            "email": user.email, "avatar_url": f"{public_url}/avatars/{user.login}",
            "is_admin": user.role == "site_admin", "location": user.location}


def me_state(user: m.User, store: Store) -> dict[str, Any]:
    return {"role": user.role, "twofa_enabled": user.twofa_secret is not None,
            "ssh_key_added": bool(store.list_keys(user.id)),
            "invited_by": store.login_of(user.invited_by_id),
            "activated_at": user.activated_at}


def key(row: m.SshKey) -> dict[str, Any]:
    return {"id": row.id, "title": row.title, "fingerprint": row.fingerprint, "key": row.key}


def invite(row: m.Invite, store: Store) -> dict[str, Any]:
    return {"id": row.id, "username": row.username, "email": row.email, "role": row.role,
            "invited_by": store.login_of(row.invited_by_id), "status": row.status,
            "created_at": row.created_at}


def created_invite(row: m.Invite) -> dict[str, Any]:
    return {"id": row.id, "username": row.username, "email": row.email, "role": row.role,
            "token": row.token, "status": row.status}


def admin_user(user: m.User) -> dict[str, Any]:
    return {"id": user.id, "login": user.login, "email": user.email,
            "is_admin": user.role == "site_admin", "active": user.active, "role": user.role}


def email(row: m.Email, about: m.Invite | None, public_url: str) -> dict[str, Any]:
    """An outbox mail; for an invite's mail also its token and activation link, for tests."""
    return {"id": row.id, "to": row.to, "subject": row.subject, "body": row.body,
            "created_at": row.created_at, "invite_id": row.invite_id,
            "token": about.token if about else None,
            "link": activation_link(public_url, about.token) if about else None}


def audit_event(row: m.AuditEvent) -> dict[str, Any]:
    return {"id": row.id, "time": row.time, "actor": row.actor, "action": row.action,
            "target": row.target}


def activated_user(user: m.User, store: Store) -> dict[str, Any]:
    """The account an invite's activation just created."""
    return {"id": user.id, "login": user.login, "email": user.email,
            "full_name": user.full_name, "role": user.role,
            "invited_by": store.login_of(user.invited_by_id), "activated_at": user.activated_at}
