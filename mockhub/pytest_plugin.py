"""pytest plugin, registered through the `pytest11` entry point: installing mockhub is enough.

Fixtures:
- `mockhub_server` (session): one live server per session (per worker under pytest-xdist).
- `mockhub` (function): that server, reset to its seeded state, clock, no faults, empty journal.
- `mockhub_client`: Flask's test client for the same app, for tests that need no socket.
- `mockhub_listen_address` (session): ("127.0.0.1", 0); override it to pin host or port.

`@pytest.mark.mockhub(seed=[...], clock="...", faker_seed=N)` gives a test another world: a
separate server for that combination, started once and shared by every test that asks for it.

Only pytest is imported at load; mockhub itself is imported when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask.testing import FlaskClient

    from mockhub.testing import MockHub

MARKER = ("mockhub(seed=None, clock=None, faker_seed=None): run the test against a mockhub "
          "with these seed files (relative to the test file), this frozen clock or faker seed")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockhub", "mockhub: a local NoackHub API v2 mock")
    group.addoption("--mockhub-seed", action="append", default=[], metavar="FILE",
                    help="Seed file for the mockhub fixtures (repeatable, merged in order).")
    group.addoption("--mockhub-faker-seed", type=int, default=0, metavar="N",
                    help="Faker seed for generated data (default 0).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


class MockhubServers:
    """Live servers of this session, one per (seeds, faker seed, clock, address)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._hubs: dict[tuple[Any, ...], MockHub] = {}

    def get(self, seeds: Sequence[str], faker_seed: int, clock: str | None,
            session: bool = False) -> MockHub:
        """The server for this world; only the session's own server takes a pinned port."""
        key = (tuple(seeds), faker_seed, clock, session)
        hub = self._hubs.get(key)
        if hub is None:
            from mockhub.testing import MockHub

            hub = MockHub(list(seeds), faker_seed=faker_seed, clock=clock, host=self.host,
                          port=self.port if session else 0).start()
            self._hubs[key] = hub
        return hub

    def stop_all(self) -> None:
        for hub in self._hubs.values():
            hub.stop()
        self._hubs.clear()


@pytest.fixture(scope="session")
def mockhub_listen_address() -> tuple[str, int]:
    """Where session servers listen; port 0 picks a free port per server (xdist-safe)."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def mockhub_servers(mockhub_listen_address: tuple[str, int]) -> Iterator[MockhubServers]:
    servers = MockhubServers(*mockhub_listen_address)
    yield servers
    servers.stop_all()


@pytest.fixture(scope="session")
def mockhub_server(request: pytest.FixtureRequest, mockhub_servers: MockhubServers) -> MockHub:
    """The session's live mockhub, seeded from --mockhub-seed (default: the shipped seed)."""
    config = request.config
    return mockhub_servers.get(_option_seeds(config), config.getoption("--mockhub-faker-seed"),
                               None, session=True)


@pytest.fixture
def mockhub(request: pytest.FixtureRequest, mockhub_servers: MockhubServers) -> MockHub:
    """A live mockhub reset to its seeded state before this test."""
    markers = list(request.node.iter_markers("mockhub"))
    if not markers:
        hub: MockHub = request.getfixturevalue("mockhub_server")
    else:
        hub = _server_for_marker(request, _merge(markers), mockhub_servers)
    hub.reset()
    return hub


@pytest.fixture
def mockhub_client(mockhub: MockHub) -> FlaskClient:
    """Flask's test client for the same (freshly reset) app."""
    return mockhub.client()


MARKER_FIELDS = ("seed", "clock", "faker_seed")


def _merge(markers: list[pytest.Mark]) -> dict[str, Any]:
    """Markers from the test, class and module: the closest one wins, field by field."""
    merged: dict[str, Any] = {}
    for marker in reversed(markers):  # iter_markers yields the closest first
        unknown = sorted(set(marker.kwargs) - set(MARKER_FIELDS))
        if unknown:
            raise pytest.UsageError(f"@pytest.mark.mockhub got unknown argument(s) "
                                    f"{', '.join(unknown)}; it takes {', '.join(MARKER_FIELDS)}.")
        if len(marker.args) > 1:
            raise pytest.UsageError("@pytest.mark.mockhub takes at most one positional argument "
                                    "(the seed).")
        merged.update(marker.kwargs)
        if marker.args:
            merged["seed"] = marker.args[0]
    return merged


def _server_for_marker(request: pytest.FixtureRequest, marker: dict[str, Any],
                       servers: MockhubServers) -> MockHub:
    config = request.config
    seed = marker.get("seed")
    if seed is None:
        seeds = _option_seeds(config)
    else:
        names = [seed] if isinstance(seed, (str, Path)) else list(seed)
        here = Path(str(request.path)).parent
        seeds = [str(_resolve(here, name)) for name in names]
    faker_seed = marker.get("faker_seed")
    if faker_seed is None:
        faker_seed = config.getoption("--mockhub-faker-seed")
    return servers.get(seeds, int(faker_seed), marker.get("clock"))


def _option_seeds(config: pytest.Config) -> list[str]:
    """--mockhub-seed files, fixed at session start; "default" names the shipped seed."""
    return [name if name == "default" else str(Path(name).resolve())
            for name in config.getoption("--mockhub-seed")]


def _resolve(here: Path, name: str | Path) -> Path:
    if str(name) == "default":
        return Path("default")
    path = Path(name)
    if path.is_absolute():
        return path
    beside_test = here / path
    return beside_test.resolve() if beside_test.exists() else path.resolve()
