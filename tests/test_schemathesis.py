"""Property-based run over every operation of our own OpenAPI document (schemathesis).

It proves two things for random, schema-shaped and schema-breaking input alike: mockhub never
answers 5xx, and every answer matches what the document promises (status, content type, body).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mockhub.app import create_app
from mockhub.runtime import runtime

app = create_app(clock="2026-05-13T10:30:00Z")
schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", app)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance, response_headers_conformance]


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case):
    runtime(app).reset()  # each example starts from the seeded world
    case.call_and_validate(headers={"Authorization": "token mikael-token"}, checks=CHECKS)
