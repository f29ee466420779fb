"""The Store's machinery: tables, id sequences, one lock, transactions, checkpoint/reset, snapshots.

The rules live in the mixins (accounts, repos, admin); this module knows nothing about them.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
import threading
import types
from collections.abc import Callable
from dataclasses import MISSING as NO_DEFAULT
from dataclasses import fields
from typing import Any, ParamSpec, TypeVar, get_args, get_type_hints
from urllib.parse import urlsplit

from mockhub.clock import Clock
from mockhub.errors import MockhubError, NotFound
from mockhub.settings import DEFAULT_PUBLIC_URL
from mockhub.store import models as m
from mockhub.store.tables import MISSING, Table, UndoLog
from mockhub.totp import valid_secret

P = ParamSpec("P")
R = TypeVar("R")


def transaction(method: Callable[P, R]) -> Callable[P, R]:
    """Run a Store method under the lock; if it raises, undo every write it made."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store: StoreBase = args[0]  # type: ignore[assignment]
        with store.lock:
            log = store.log
            if log.transaction is not None:  # nested call: the outer one owns the rollback
                return method(*args, **kwargs)
            log.transaction = []
            sequences = dict(store.sequences)
            try:
                return method(*args, **kwargs)
            except BaseException:
                for table, row_id, old in reversed(log.transaction):
                    table.restore_row(row_id, old)
                store.sequences = sequences
                raise
            finally:
                log.transaction = None

    return wrapper


def reading(method: Callable[P, R]) -> Callable[P, R]:
    """Run a Store read under the lock so it never sees a half-made change."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0].lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


def derived_sha(owner: int, position: int, kind: str) -> str:
    """A 40-hex sha derived from where the row sits, so it is the same on every start."""
    return hashlib.sha1(f"mockhub:{kind}:{owner}:{position}".encode()).hexdigest()


def hash_password(user_id: int, password: str) -> str:
    # A mock keeps no real secrets; a salted digest just keeps passwords out of snapshots.
    return hashlib.sha256(f"mockhub:{user_id}:{password}".encode()).hexdigest()


def password_matches(user: m.User, password: str) -> bool:
    return hmac.compare_digest(user.password_hash, hash_password(user.id, password))


class StateError(MockhubError):
    status = 422


class StoreBase:
    """Tables and the machinery every rule uses."""

    def __init__(self, clock: Clock | None = None, rng_seed: int = 0,
                 public_url: str = DEFAULT_PUBLIC_URL) -> None:
        self.clock = clock or Clock()
        self.public_url = public_url.rstrip("/")
        self.ssh_base = f"ssh://git@{urlsplit(self.public_url).hostname}:2222"  # as the reference
        self.lock = threading.RLock()
        self.log = UndoLog()
        self._rng_seed = rng_seed
        self.rng = random.Random(rng_seed)
        log = self.log
        self.users: Table[m.User] = Table(
            "users", m.User, log,
            unique={"login": lambda u: u.login.lower(), "email": lambda u: u.email.lower()},
            groups={"invited_by": lambda u: u.invited_by_id})
        self.tokens: Table[m.Token] = Table(
            "tokens", m.Token, log, unique={"value": lambda t: t.value},
            groups={"user": lambda t: t.user_id})
        self.keys: Table[m.SshKey] = Table(
            "keys", m.SshKey, log, unique={"fingerprint": lambda k: k.fingerprint},
            groups={"user": lambda k: k.user_id})
        self.repos: Table[m.Repo] = Table(
            "repos", m.Repo, log, unique={"name": lambda r: (r.owner_id, r.name.lower())},
            groups={"owner": lambda r: r.owner_id})
        self.files: Table[m.File] = Table(
            "files", m.File, log, unique={"path": lambda f: (f.repo_id, f.path)},
            groups={"repo": lambda f: f.repo_id})
        self.commits: Table[m.Commit] = Table(
            "commits", m.Commit, log, groups={"repo": lambda c: c.repo_id,
                                              "author_email": lambda c: c.author_email.lower()})
        self.collaborators: Table[m.Collaborator] = Table(
            "collaborators", m.Collaborator, log,
            unique={"member": lambda c: (c.repo_id, c.user_id)},
            groups={"repo": lambda c: c.repo_id, "user": lambda c: c.user_id})
        self.issues: Table[m.Issue] = Table(
            "issues", m.Issue, log, unique={"number": lambda i: (i.repo_id, i.number)},
            groups={"repo": lambda i: i.repo_id, "repo_state": lambda i: (i.repo_id, i.state),
                    "user": lambda i: i.user_id})
        self.comments: Table[m.Comment] = Table(
            "comments", m.Comment, log,
            groups={"issue": lambda c: c.issue_id, "pull": lambda c: c.pull_id,
                    "repo": lambda c: c.repo_id, "user": lambda c: c.user_id})
        self.pulls: Table[m.Pull] = Table(
            "pulls", m.Pull, log, unique={"number": lambda p: (p.repo_id, p.number)},
            groups={"repo": lambda p: p.repo_id, "user": lambda p: p.user_id,
                    # GitHub's filter: "closed" takes merged pull requests too
                    "repo_state": lambda p: (p.repo_id, "open" if p.state == "open"
                                             else "closed")})
        self.releases: Table[m.Release] = Table(
            "releases", m.Release, log, unique={"tag": lambda r: (r.repo_id, r.tag_name)},
            groups={"repo": lambda r: r.repo_id})
        self.runs: Table[m.Run] = Table("runs", m.Run, log, groups={"repo": lambda r: r.repo_id})
        self.jobs: Table[m.Job] = Table("jobs", m.Job, log, groups={"run": lambda j: j.run_id})
        self.invites: Table[m.Invite] = Table(
            "invites", m.Invite, log,
            unique={"token": lambda i: i.token},
            groups={"inviter": lambda i: i.invited_by_id,
                    "username": lambda i: (i.username.lower(), i.status),
                    "email": lambda i: (i.email.lower(), i.status)})
        self.emails: Table[m.Email] = Table(
            "emails", m.Email, log,
            groups={"invite": lambda e: e.invite_id, "to": lambda e: e.to.lower()})
        self.audit_events: Table[m.AuditEvent] = Table("audit_events", m.AuditEvent, log)
        self.tables: dict[str, Table[Any]] = {
            t.name: t for t in vars(self).values() if isinstance(t, Table)}
        self.sequences: dict[str, int] = {name: 1 for name in self.tables}
        self._checkpoint_sequences = dict(self.sequences)

    # ids, randomness, time
    def next_id(self, table: Table[Any], wanted: int | None = None) -> int:
        """The next free id of a table, or `wanted` (a seed's explicit id) if it is free."""
        if wanted is None:
            wanted = self.sequences[table.name]
        self.sequences[table.name] = max(self.sequences[table.name], wanted + 1)
        return wanted

    def new_token(self, table: Table[Any], index: str) -> str:
        """40 seeded-random hex digits that no row of `table` holds under `index` (a loaded
        state may hold any value)."""
        while True:
            value = f"{self.rng.getrandbits(160):040x}"
            if not table.taken(index, value):
                return value

    def now(self) -> str:
        return self.clock.iso()

    # lookups every rule needs
    @reading
    def user(self, user_id: int) -> m.User:
        user = self.users.get(user_id)
        if user is None:
            raise NotFound("No such user.")
        return user

    @reading
    def login_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        user = self.users.get(user_id)
        return user.login if user else "ghost"

    def revoke_tokens(self, user_id: int,
                      which: Callable[[m.Token], bool] = lambda token: True) -> None:
        """Delete the user's tokens (those `which` picks): they answer 401 from now on."""
        for token in self.tokens.group("user", user_id):
            if which(token):
                self.tokens.delete(token.id)

    # audit trail of security-relevant actions
    def audit(self, actor: str, action: str, target: str) -> None:
        self.audit_events.put(m.AuditEvent(id=self.next_id(self.audit_events), time=self.now(),
                                           actor=actor, action=action, target=target))

    # checkpoint and reset
    def checkpoint(self) -> None:
        """Make the current state the one `reset` returns to."""
        with self.lock:
            self.log.since_checkpoint.clear()
            self._checkpoint_sequences = dict(self.sequences)

    def reset(self) -> int:
        """Back to the checkpoint; returns how many rows were put back."""
        with self.lock:
            changed = self.log.since_checkpoint
            for (table_name, row_id), old in changed.items():
                self.tables[table_name].restore_row(row_id, old)
            count = len(changed)
            changed.clear()
            self.sequences = dict(self._checkpoint_sequences)
            self.rng.seed(self._rng_seed)
            return count

    @property
    def changes_since_checkpoint(self) -> int:
        return len(self.log)

    # snapshots
    @reading
    def snapshot(self) -> dict[str, Any]:
        return {"format": FORMAT, "sequences": dict(self.sequences),
                "tables": {name: table.dump() for name, table in self.tables.items()}}

    @transaction
    def restore(self, data: Any) -> None:
        """Replace the whole state with a snapshot; invalid input raises and changes nothing."""
        new_rows, sequences = _parse_snapshot(data, self.tables)
        for name, table in self.tables.items():
            rows = new_rows[name]
            for row_id in table.ids():
                if row_id not in rows:
                    table.delete(row_id)
            for row_id, row in rows.items():
                if table.get(row_id) != row:
                    table.put(row)
        self.sequences = sequences


def _parse_snapshot(data: Any, tables: dict[str, Table[Any]]
                    ) -> tuple[dict[str, dict[int, Any]], dict[str, int]]:
    if isinstance(data, dict) and data.get("format", FORMAT) != FORMAT:
        raise StateError(f"Unknown state format; this mockhub reads '{FORMAT}'.",
                         {"format": [f"Must be '{FORMAT}'."]})
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise StateError("A state must be an object with a 'tables' object.",
                         {"tables": ["Missing or not an object."]})
    unknown = set(data["tables"]) - set(tables)
    if unknown:
        name = sorted(unknown)[0]
        raise StateError(f"Unknown table '{name}'.", {f"tables.{name}": ["Unknown table."]})
    parsed: dict[str, dict[int, Any]] = {}
    for name, table in tables.items():
        rows = data["tables"].get(name, [])
        if not isinstance(rows, list):
            raise StateError(f"Table '{name}' must be a list.", {f"tables.{name}": ["Not a list."]})
        scratch: Table[Any] = Table(name, table.row_type, UndoLog(), table._unique_keys)
        shape = _row_shape(table.row_type)
        for position, raw in enumerate(rows):
            where = f"tables.{name}[{position}]"
            row = _build_row(table.row_type, shape, raw, where)
            _check_values(name, row, where)
            if scratch.get(row.id) is not None:
                raise StateError(f"{where} duplicates another row's id.",
                                 {f"{where}.id": ["Duplicate id."]})
            for index in table._unique_keys:
                if scratch.taken(index, table._unique_keys[index](row)):
                    raise StateError(f"{where} duplicates another row's {index}.",
                                     {where: [f"Duplicate {index}."]})
            scratch.put(row)
        parsed[name] = {row.id: row for row in scratch}
    _check_numbering(parsed)
    sequences = {name: max([1, *(i + 1 for i in parsed[name])]) for name in tables}
    given = data.get("sequences", {})
    if not isinstance(given, dict):
        raise StateError("'sequences' must be an object.", {"sequences": ["Not an object."]})
    for name, value in given.items():
        if name in sequences and isinstance(value, int) and not isinstance(value, bool):
            sequences[name] = max(sequences[name], value)
    return parsed, sequences


FORMAT = "mockhub-state/1"
# fields whose values the rules rely on: a loaded state must not hold anything else
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "users": {"role": m.ROLES},
    "collaborators": {"permission": m.PERMISSIONS},
    "issues": {"state": m.ISSUE_STATES},
    "pulls": {"state": m.PULL_STATES},
    "invites": {"status": m.INVITE_STATUSES, "role": m.ROLES},
}


def _check_values(table: str, row: Any, where: str) -> None:
    for field, options in CHOICES.get(table, {}).items():
        if getattr(row, field) not in options:
            raise StateError(f"{where}.{field} must be one of {', '.join(options)}.",
                             {f"{where}.{field}": [f"Must be one of {', '.join(options)}."]})
    if table == "users":
        for field in ("twofa_secret", "twofa_pending_secret"):
            secret = getattr(row, field)
            if secret is not None and not valid_secret(secret):
                raise StateError(f"{where}.{field} is not a base32 secret of 80 bits or more.",
                                 {f"{where}.{field}": ["Not a valid base32 secret."]})


def _check_numbering(parsed: dict[str, dict[int, Any]]) -> None:
    """A repo's next issue/pull number must lie above every number it has handed out."""
    highest: dict[tuple[str, int], int] = {}
    for table in ("issues", "pulls"):
        for row in parsed[table].values():
            key = (table, row.repo_id)
            highest[key] = max(highest.get(key, 0), row.number)
    for repo in parsed["repos"].values():
        for table, field in (("issues", "next_issue_number"), ("pulls", "next_pull_number")):
            if getattr(repo, field) <= highest.get((table, repo.id), 0):
                where = f"tables.repos[id={repo.id}].{field}"
                raise StateError(f"{where} must be above the repo's highest {table[:-1]} "
                                 "number.", {where: ["Would hand out a number twice."]})


def _row_shape(row_type: type) -> list[tuple[str, Any, bool]]:
    """(name, type, required) of each field: worked out once per table, not once per row."""
    hints = get_type_hints(row_type)
    return [(f.name, hints[f.name], f.default is NO_DEFAULT) for f in fields(row_type)]


def _build_row(row_type: type, shape: list[tuple[str, Any, bool]], raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise StateError(f"{where} must be an object.", {where: ["Not an object."]})
    values = {}
    for name, hint, required in shape:
        if name not in raw:
            if required:
                raise StateError(f"{where} lacks '{name}'.",
                                 {f"{where}.{name}": ["Missing field."]})
            continue
        value = raw[name]
        if not _fits(value, hint):
            raise StateError(f"{where}.{name} has the wrong type.",
                             {f"{where}.{name}": [f"Expected {hint}."]})
        values[name] = value
    extra = set(raw) - {name for name, _, _ in shape}
    if extra:
        field = sorted(extra)[0]
        raise StateError(f"{where} has an unknown field '{field}'.",
                         {f"{where}.{field}": ["Unknown field."]})
    return row_type(**values)


def _fits(value: Any, hint: Any) -> bool:
    if isinstance(hint, types.UnionType):
        return any(_fits(value, option) for option in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


__all__ = ["MISSING", "StateError", "StoreBase", "hash_password", "password_matches",
           "reading", "transaction"]
