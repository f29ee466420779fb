"""The domain: entities, rules and state. Never imports Flask."""

from __future__ import annotations

from mockhub.store.accounts import AccountRules
from mockhub.store.admin import AdminRules


class Store(AdminRules, AccountRules):
    """All state of one mockhub instance and every rule that changes it."""


__all__ = ["Store"]
