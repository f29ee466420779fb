"""Everything one app instance owns, hung off `app.extensions` (never module globals)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

from mockhub.clock import Clock
from mockhub.faults import FaultEngine, load_rules, parse_latency
from mockhub.journal import Journal
from mockhub.ratelimit import RateLimiter, parse_rate_limit
from mockhub.settings import Settings
from mockhub.store import Store

EXTENSION = "mockhub"


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    store: Store
    # built from settings; raise RuleError for a bad --faults file, --latency or --rate-limit
    faults: FaultEngine = field(init=False)
    journal: Journal = field(init=False)
    ratelimit: RateLimiter | None = field(init=False)
    # bumped by every reset: a request that began before one must not touch the world after it
    generation: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        settings = self.settings
        rules = [rule for path in settings.faults for rule in load_rules(path)]
        self.faults = FaultEngine(seed=settings.faker_seed, latency=parse_latency(settings.latency),
                                  startup_rules=rules)
        self.journal = Journal(settings.journal_size)
        limit = parse_rate_limit(settings.rate_limit)
        self.ratelimit = RateLimiter(*limit, self.clock) if limit else None

    def reset(self) -> int:
        """Back to the start: seeded state, starting clock, the --faults rules only (fresh
        counters, fault RNG re-seeded), empty journal, fresh rate-limit windows.
        Returns how many store rows were put back."""
        self.generation += 1  # first, so requests still waiting see it at once
        self.faults.reset()
        self.journal.reset(self.generation)
        if self.ratelimit is not None:
            self.ratelimit.reset()
        self.clock.reset()
        return self.store.reset()


def runtime(app: Flask | None = None) -> Runtime:
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]
