"""The domain: entities, rules and state. Never imports Flask."""

from __future__ import annotations

from mockhub.store.accounts import AccountRules
from mockhub.store.admin import AdminRules
from mockhub.store.repos import RepoRules


class Store(AdminRules, AccountRules, RepoRules):
    """All state of one mockhub instance and every rule that changes it."""


__all__ = ["Store"]
