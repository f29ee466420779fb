"""Everything one app instance owns, hung off `app.extensions` (never module globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from mockhub.clock import Clock
from mockhub.settings import Settings
from mockhub.store import Store

EXTENSION = "mockhub"


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    store: Store
    extras: dict[str, Any] = field(default_factory=dict)

    def reset(self) -> int:
        """Back to the seeded state and the starting clock."""
        self.clock.reset()
        return self.store.reset()


def runtime(app: Flask | None = None) -> Runtime:
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]
