"""marshmallow schemas: the OpenAPI contract of every request and response."""
