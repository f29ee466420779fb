"""Schemas shared by every group: the error envelope and {"ok": true}."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class StrictSchema(Schema):
    """Request bodies reject unknown fields: a typo in a client is a bug worth seeing."""

    class Meta:
        unknown = RAISE


class ErrorSchema(Schema):
    message = fields.String(required=True, metadata={"example": "Not found."})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"example": {"title": ["Missing data for required field."]}})


class OkSchema(Schema):
    ok = fields.Boolean(required=True, metadata={"example": True})


OK = {"ok": True}  # what a view returns for OkSchema; read only, never mutated


def text(example: str, required: bool = True, max_length: int = 10_000, min_length: int = 0,
         description: str | None = None) -> fields.String:
    """A length-checked string field with its example for the OpenAPI document."""
    metadata = {"example": example} | ({"description": description} if description else {})
    return fields.String(required=required, metadata=metadata,
                         validate=validate.Length(min=min_length, max=max_length))
