"""The /__mockhub/ control plane: never part of the NoackHub API."""

from __future__ import annotations

from mockhub.control import admin_views as _admin_views  # noqa: F401  (adds its routes)
from mockhub.control.views import control

__all__ = ["control"]
