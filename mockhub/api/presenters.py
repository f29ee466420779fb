"""Rows → the JSON shapes of the reference (names, URLs, logins instead of ids)."""

from __future__ import annotations

from typing import Any

from mockhub.store import Store
from mockhub.store import models as m


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
