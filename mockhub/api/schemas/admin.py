"""Schemas of /admin: invites and users."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from mockhub.api.schemas.common import StrictSchema
from mockhub.store.accounts import EMAIL
from mockhub.store.admin import EMAIL_PROBLEM, ROLE_PROBLEM, USERNAME_PROBLEM
from mockhub.store.models import INVITE_STATUSES, LOGIN, ROLES

ROLE_DOC = {"enum": list(ROLES)}


class NewInviteSchema(StrictSchema):
    email = fields.String(required=True, validate=validate.Regexp(EMAIL, error=EMAIL_PROBLEM),
                          metadata={"example": "kund@ex.se", "format": "email"})
    # the reference spells this one camelCase; only that spelling is accepted
    full_name = fields.String(data_key="fullName", load_default="",
                              validate=validate.Length(max=255),
                              metadata={"example": "Kund Namn"})
    role = fields.String(load_default="user", validate=validate.OneOf(ROLES, error=ROLE_PROBLEM),
                         metadata={"example": "user", **ROLE_DOC,
                                   "description": "A customer_admin may invite only 'user'."})
    username = fields.String(required=True,
                             validate=validate.Regexp(LOGIN, error=USERNAME_PROBLEM),
                             metadata={"example": "kund1"})


class InviteSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 3})
    username = fields.String(required=True, metadata={"example": "kund1"})
    email = fields.String(required=True, metadata={"example": "kund@ex.se"})
    role = fields.String(required=True, metadata={"example": "user", **ROLE_DOC})
    invited_by = fields.String(required=True, metadata={"example": "mikael"})
    status = fields.String(required=True, metadata={"example": "pending",
                                                    "enum": list(INVITE_STATUSES)})
    created_at = fields.String(required=True, metadata={"example": "2026-05-13T07:00:00Z"})


class CreatedInviteSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 4})
    username = fields.String(required=True, metadata={"example": "kund1"})
    email = fields.String(required=True, metadata={"example": "kund@ex.se"})
    role = fields.String(required=True, metadata={"example": "user", **ROLE_DOC})
    token = fields.String(required=True, metadata={"example": "..."})
    status = fields.String(required=True, metadata={"example": "pending"})


class AdminUserSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 1})
    login = fields.String(required=True, metadata={"example": "mikael"})
    email = fields.String(required=True, metadata={"example": "mikael@noackinfra.se"})
    is_admin = fields.Boolean(required=True, metadata={"example": True})
    active = fields.Boolean(required=True, metadata={"example": True})
    role = fields.String(required=True, metadata={"example": "site_admin", **ROLE_DOC})

