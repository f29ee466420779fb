"""The /api/v2 surface: one flask-smorest Blueprint per resource group."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    from mockhub.api.accounts import auth, me
    from mockhub.api.admin import admin
    from mockhub.api.repos import blp as repos

    return [auth, me, admin, repos]
