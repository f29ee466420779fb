"""Schemas of /auth and /me."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from mockhub.api.schemas.common import StrictSchema, text

CODE = validate.Regexp(r"^\d{6}$", error="Must be 6 digits.")


class LoginSchema(StrictSchema):
    username = text("anna", max_length=254, min_length=1, description="Login or e-mail address")
    password = text("mockhub", max_length=1024)


class LoginUserSchema(Schema):
    login = fields.String(required=True, metadata={"example": "anna"})
    email = fields.String(required=True, metadata={"example": "anna@ex.se"})
    is_admin = fields.Boolean(required=True, metadata={"example": False})


class LoginResultSchema(Schema):
    token = fields.String(required=True, metadata={"example": "abc123def456..."})
    user = fields.Nested(LoginUserSchema, required=True)
    twofa_required = fields.Boolean(
        metadata={"description": "True while the token waits for POST /me/2fa/verify"})


class MeSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 4})
    login = fields.String(required=True, metadata={"example": "anna"})
    full_name = fields.String(required=True, metadata={"example": "Anna Andersson"})
    email = fields.String(required=True, metadata={"example": "anna@ex.se"})
    avatar_url = fields.String(required=True, metadata={
        "example": "https://noackhub.noackhosting.net/avatars/anna"})
    is_admin = fields.Boolean(required=True, metadata={"example": False})
    location = fields.String(metadata={"example": "Stockholm"})


class MeStateSchema(Schema):
    role = fields.String(required=True, metadata={"example": "user"})
    twofa_enabled = fields.Boolean(required=True, metadata={"example": True})
    ssh_key_added = fields.Boolean(required=True, metadata={"example": True})
    invited_by = fields.String(required=True, allow_none=True, metadata={"example": "mikael"})
    activated_at = fields.String(required=True, allow_none=True,
                                 metadata={"example": "2026-05-12T10:14:21Z"})


class ProfileSchema(StrictSchema):
    email = fields.String(validate=validate.Length(min=3, max=254),
                          metadata={"example": "anna@ex.se"})
    full_name = fields.String(validate=validate.Length(max=255),
                              metadata={"example": "Anna Andersson"})
    location = fields.String(validate=validate.Length(max=255),
                             metadata={"example": "Stockholm"})


class PasswordSchema(StrictSchema):
    new_password = text("newPass12chars", max_length=1024)
    old_password = text("oldPass", max_length=1024)


class CodeSchema(StrictSchema):
    code = fields.String(required=True, validate=CODE, metadata={"example": "123456"})


class TwofaSetupSchema(Schema):
    secret = fields.String(required=True, metadata={"example": "JBSWY3DPEHPK3PXP"})
    qr_png_base64 = fields.String(required=True, metadata={"example": "iVBORw0KGgo..."})
    otpauth_url = fields.String(required=True, metadata={
        "example": "otpauth://totp/NoackHub:anna?secret=JBSWY3DPEHPK3PXP&issuer=NoackHub"})


class KeySchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 7})
    title = fields.String(required=True, metadata={"example": "laptop"})
    fingerprint = fields.String(required=True, metadata={"example": "SHA256:abc..."})
    key = fields.String(required=True, metadata={"example": "ssh-ed25519 AAAAC3..."})


class NewKeySchema(StrictSchema):
    key = text("ssh-ed25519 AAAA...", max_length=16_384, min_length=1)
    title = text("laptop", max_length=255, min_length=1)
