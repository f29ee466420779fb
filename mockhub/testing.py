"""MockHub: a live mockhub on 127.0.0.1 in a background thread, for tests, scripts and notebooks.

    with MockHub(clock="2026-05-13T08:00:00Z") as hub:
        token = hub.login("anna")            # 2FA verified for you
        requests.get(hub.api_url + "/me", headers={"Authorization": f"token {token}"})

The handle talks to the app in-process (same Python process as the server thread), so reset,
clock moves and fault rules take effect at once and cost microseconds, not a request.
"""

from __future__ import annotations

import contextlib
import http.client
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from mockhub.runtime import Runtime
    from mockhub.server import ServerThread

SeedArg = str | Path | Sequence[str | Path] | None


class ClockHandle:
    """The server's clock: freeze, advance, unfreeze."""

    def __init__(self, hub: MockHub) -> None:
        self._hub = hub

    def now(self) -> datetime:
        return self._hub.runtime.clock.now()

    def freeze(self, at: str | datetime | None = None) -> None:
        """Stop time at `at` (ISO string or datetime), or now."""
        self._hub.runtime.clock.freeze(at)

    def advance(self, seconds: float) -> None:
        self._hub.runtime.clock.advance(seconds)

    def unfreeze(self) -> None:
        self._hub.runtime.clock.unfreeze()


class FaultHandle:
    """An active fault rule. As a context manager it removes the rule on exit."""

    def __init__(self, hub: MockHub, rule_id: int, rule: dict[str, Any]) -> None:
        self._hub = hub
        self.id = rule_id
        self.rule = rule

    def remove(self) -> None:
        """Remove the rule now (no error if it already retired itself or was reset away)."""
        from mockhub.errors import NotFound

        with contextlib.suppress(NotFound):
            self._hub.runtime.faults.remove(self.id)

    def __enter__(self) -> FaultHandle:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<FaultHandle {self.id} {self.rule}>"


class MockHub:
    """A mockhub server for one test session, script or notebook."""

    def __init__(self, seed: SeedArg = None, *, faker_seed: int = 0, clock: str | None = None,
                 host: str = "127.0.0.1", port: int = 0, **settings: Any) -> None:
        if seed is None:
            seeds: list[str] = []
        elif isinstance(seed, (str, Path)):
            seeds = [str(seed)]
        else:
            seeds = [str(s) for s in seed]
        self._settings = {"seeds": seeds, "faker_seed": faker_seed, "clock": clock,
                          "host": host, "port": port, **settings}
        self._server: ServerThread | None = None
        self._app: Flask | None = None
        self.clock = ClockHandle(self)

    # lifecycle
    def start(self) -> MockHub:
        """Build the app, serve it, and return once it answers over HTTP."""
        if self._server is not None:
            return self
        from mockhub.app import create_app
        from mockhub.server import ServerThread
        from mockhub.settings import Settings

        settings = Settings(**self._settings)
        self._app = create_app(settings)
        self._server = ServerThread(self._app, settings.host, settings.port)
        self._server.start()
        self._wait_until_ready()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> MockHub:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _wait_until_ready(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=1)
            try:
                connection.request("GET", "/__mockhub/health")
                if connection.getresponse().status < 500:
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.005)
            finally:
                connection.close()

    # where it is
    @property
    def app(self) -> Flask:
        if self._app is None:
            raise RuntimeError("MockHub is not started: call start() or use `with MockHub()`.")
        return self._app

    @property
    def runtime(self) -> Runtime:
        from mockhub.runtime import runtime

        return runtime(self.app)

    @property
    def host(self) -> str:
        return str(self._settings["host"])

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("MockHub is not started.")
        return self._server.port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/v2"

    def client(self) -> FlaskClient:
        """Flask's test client for the same app: no socket, same state."""
        return self.app.test_client()

    # state
    def reset(self) -> None:
        """Back to the seeded state: data, clock, faults, journal."""
        self.runtime.reset()

    def state(self) -> dict[str, Any]:
        return self.runtime.store.snapshot()

    def load_state(self, state: dict[str, Any]) -> None:
        self.runtime.store.restore(state)

    # users
    def login(self, login: str, password: str = "mockhub") -> str:
        """A ready token for `login`; completes the 2FA verification when the user has 2FA on."""
        store = self.runtime.store
        token, user = store.login(login, password)
        if token.pending_2fa:
            store.twofa_verify(token, self.totp(user.login))
        return token.value

    def totp(self, login: str) -> str:
        """The user's current TOTP code on the server's clock (the pending one during setup)."""
        codes = self.runtime.store.totp_codes(login)
        code = codes["code"] or codes["pending_code"]
        if code is None:
            raise ValueError(f"{login} has no 2FA secret.")
        return str(code)

    # failures and what the client sent
    def fault(self, **rule: Any) -> FaultHandle:
        """Add a fault rule (same fields as POST /__mockhub/faults); `with` removes it on exit.

        hub.fault(method="POST", path="/repos", status=503, times=2)
        """
        added = self.runtime.faults.add(**rule)
        return FaultHandle(self, added.id, added.to_dict())

    def requests(self, method: str | None = None, path: str | None = None,
                 status: int | str | None = None) -> list[dict[str, Any]]:
        """The request journal, oldest first; `path` is a glob, `status` e.g. 503 or "5xx"."""
        return self.runtime.journal.entries(method=method, path=path, status=status)

    # mail and invites
    def outbox(self, to: str | None = None) -> list[dict[str, Any]]:
        """Mail sent so far (invite activation mails), oldest first: GET /__mockhub/outbox."""
        from mockhub.api.presenters import email

        store = self.runtime.store
        return [email(mail, about, store.public_url) for mail, about in store.outbox(to)]

    def activate(self, invite_token: str, password: str) -> int:
        """Activate an invite as its mail's link would; returns the new user's id."""
        return self.runtime.store.activate_invite(invite_token, password).id

    def __repr__(self) -> str:
        where = self.url if self._server else "not started"
        return f"<MockHub {where}>"
