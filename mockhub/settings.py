"""Settings of one mockhub instance: defaults, overridden by MOCKHUB_* variables, then by flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

DEFAULT_PUBLIC_URL = "https://noackhub.noackhosting.net"


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    seeds: list[str] = field(default_factory=list)  # empty: the shipped default seed
    faker_seed: int = 0
    public_url: str = DEFAULT_PUBLIC_URL
    cors: str = "*"
    log_level: str = "warning"
    clock: str | None = None  # ISO time to freeze the clock at; None runs real time
    admin_token: str | None = None
    journal_size: int = 10_000
    latency: str | None = None  # "50" or "20-200" milliseconds on every API request
    rate_limit: str | None = None  # "60/min" per token
    faults: list[str] = field(default_factory=list)  # fault rule files (YAML or JSON)
    max_body_bytes: int = 1_000_000

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults ← MOCKHUB_* environment ← explicit overrides (None means "not given")."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"MOCKHUB_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1") or self.host.startswith("127.")


def _convert(name: str, raw: str) -> Any:
    if name in ("port", "faker_seed", "journal_size", "max_body_bytes"):
        return int(raw)
    if name in ("seeds", "faults"):
        return [part for part in raw.split(os.pathsep) if part]
    return raw
