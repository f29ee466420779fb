"""Settings of one mockhub instance, and their defaults.

`mockhub serve` takes its option defaults from here; click reads the MOCKHUB_* variables
(each option's `envvar`), and a flag given on the command line wins over both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

    @property
    def loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1") or self.host.startswith("127.")

