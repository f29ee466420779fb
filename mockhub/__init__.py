"""mockhub: a local, stateful, deterministic mock of the NoackHub API v2."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["MockHub", "__version__", "create_app"]

if TYPE_CHECKING:
    from mockhub.app import create_app
    from mockhub.testing import MockHub


def __getattr__(name: str) -> Any:
    # Imported on first use: the pytest plugin and `mockhub --help` stay cheap to load.
    if name == "create_app":
        from mockhub.app import create_app

        return create_app
    if name == "MockHub":
        from mockhub.testing import MockHub

        return MockHub
    raise AttributeError(name)
