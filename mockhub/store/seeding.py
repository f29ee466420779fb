"""Seed files (YAML) → Store rows, validated so that every error names the file, entry and field.

Several files merge in order: a later entry with the same key (login, full_name, username)
changes the earlier one field by field; new keys add entities. The `generate:` section asks
Faker for more, deterministically for a given faker seed (see generate.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from mockhub.clock import as_utc, format_time
from mockhub.errors import SeedError
from mockhub.sshkeys import InvalidKey, parse_public_key
from mockhub.store import models as m
from mockhub.store.base import StoreBase, derived_sha, hash_password
from mockhub.totp import valid_secret

DEFAULT_PASSWORD = "mockhub"
DEFAULT_TIME = "2026-05-01T00:00:00Z"  # seeded rows without a time get this, never "now"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
SECTIONS = ("users", "repos", "invites", "generate", "password")
KEYED = {"users": "login", "repos": "full_name", "invites": "username"}


def default_seed_path() -> Path:
    """The shipped default seed: inside the installed package, or the checkout's seeds/."""
    packaged = Path(__file__).resolve().parent.parent / "seeds" / "default.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "seeds" / "default.yaml"


def read_seed_files(paths: Iterable[str | Path]) -> dict[str, Any]:
    """Parse and merge seed files in order."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    merged: dict[str, Any] = {"users": {}, "repos": {}, "invites": {}, "generate": {}}
    for path in paths:
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as problem:
            raise SeedError(f"{name}: cannot read the seed file ({problem.strerror}).") from None
        except UnicodeDecodeError:
            raise SeedError(f"{name}: not UTF-8 text.") from None
        try:
            data = yaml.load(text, Loader=loader) or {}
        except yaml.YAMLError as problem:
            mark = getattr(problem, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise SeedError(f"{name}: not valid YAML{where}.") from None
        if not isinstance(data, dict):
            raise SeedError(f"{name}: the top level must be a mapping of sections.")
        for section, value in data.items():
            if section not in SECTIONS:
                raise SeedError(f"{name}: unknown section '{section}' "
                                f"(expected one of {', '.join(SECTIONS)}).")
            if section == "password":
                if not isinstance(value, str) or not value:
                    raise SeedError(f"{name}: 'password' must be a non-empty string.")
                merged["password"] = value
            elif section == "generate":
                if not isinstance(value, dict):
                    raise SeedError(f"{name}: 'generate' must be a mapping.")
                merged["generate"].update(value)
                merged["generate_file"] = name
            else:
                _merge_entities(merged[section], value, section, name)
    return merged


def _merge_entities(into: dict[str, Any], entries: Any, section: str, file: str) -> None:
    if not isinstance(entries, list):
        raise SeedError(f"{file}: '{section}' must be a list.")
    key = KEYED[section]
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise SeedError(f"{file}: {section}[{position}] must be a mapping.")
        value = entry.get(key)
        if not isinstance(value, str) or not value:
            raise SeedError(f"{file}: {section}[{position}]: field '{key}' is required "
                            "and must be a string.")
        current = into.setdefault(value.lower(), {"__file__": file, "__position__": position})
        current.update(entry)


class Entry:
    """One seed entry, with typed accessors whose errors say where the problem is."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def fail(self, field: str, problem: str) -> SeedError:
        return SeedError(f"{self.where}: field '{field}' {problem}.")

    def get(self, field: str, kind: type | tuple[type, ...], default: Any = None,
            required: bool = False) -> Any:
        if field not in self.data or self.data[field] is None:
            if required:
                raise self.fail(field, "is required")
            return default
        value = self.data[field]
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # YAML reads 1.0 or 2026 as numbers; they are meant as text
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(
                k.__name__ for k in kind)
            raise self.fail(field, f"must be a {names}, not {type(value).__name__}")
        return value

    def text(self, field: str, default: str | None = None, required: bool = False) -> Any:
        return self.get(field, str, default, required)

    def time(self, field: str, default: str | None = DEFAULT_TIME) -> Any:
        value = self.data.get(field)
        if value is None:
            return default
        if isinstance(value, datetime):  # YAML reads unquoted timestamps as datetimes
            return format_time(as_utc(value))  # without a zone: UTC, on every machine
        if not isinstance(value, str) or not TIME.match(value):
            raise self.fail(field, "must be a time like 2026-05-13T08:00:00Z")
        return value

    def choice(self, field: str, options: tuple[str, ...], default: str) -> str:
        value = self.text(field, default)
        if value not in options:
            raise self.fail(field, f"must be one of {', '.join(options)}, not '{value}'")
        return str(value)

    def entries(self, field: str) -> list[Entry]:
        items = self.get(field, list, [])
        result = []
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                raise SeedError(f"{self.where}.{field}[{position}]: must be a mapping.")
            result.append(Entry(item, f"{self.where}.{field}[{position}]"))
        return result

    def check_fields(self, allowed: Iterable[str]) -> None:
        allowed_set = set(allowed) | {"__file__", "__position__"}
        for field in self.data:
            if field not in allowed_set:
                raise SeedError(f"{self.where}: unknown field '{field}' "
                                f"(expected: {', '.join(sorted(set(allowed)))}).")


class SeedLoader:
    """Writes merged seed data into a fresh Store."""

    def __init__(self, store: StoreBase, seed: dict[str, Any]) -> None:
        self.store = store
        self.seed = seed
        self.password = seed.get("password", DEFAULT_PASSWORD)
        self._reserved_ids: dict[str, set[int]] = {}  # explicit ids, taken before automatic ones
        self._cursors: dict[str, int] = {}  # where the search for a free automatic id resumes

    def load(self) -> None:
        users = [self._entry(data, "users") for data in self.seed["users"].values()]
        repos = [self._entry(data, "repos") for data in self.seed["repos"].values()]
        invites = [self._entry(data, "invites") for data in self.seed["invites"].values()]
        self._reserve_ids(users, "users")
        self._reserve_ids(repos, "repos")
        self._reserve_ids(invites, "invites")
        for user_entry in users:
            self._reserve_ids(user_entry.entries("keys"), "keys")
        for repo in repos:
            for child, table in (("issues", "issues"), ("pulls", "pulls"),
                                 ("releases", "releases"), ("runs", "runs")):
                self._reserve_ids(repo.entries(child), table)
            for parent in (*repo.entries("issues"), *repo.entries("pulls")):
                self._reserve_ids(parent.entries("comments"), "comments")
            for run in repo.entries("runs"):
                self._reserve_ids(run.entries("jobs"), "jobs")
        pending_inviters: list[tuple[m.User, str, Entry]] = []
        for user_entry in users:
            user, inviter = self._user(user_entry)
            if inviter:
                pending_inviters.append((user, inviter, user_entry))
        # inviters are linked once every user exists, so seed order does not matter
        for user, inviter, user_entry in pending_inviters:
            found = self.store.users.find("login", inviter.lower())
            if found is None:
                raise user_entry.fail("invited_by", f"names unknown user '{inviter}'")
            self.store.users.put(replace(user, invited_by_id=found.id))
        for entry in repos:
            self._repo(entry)
        for entry in invites:
            self._invite(entry)

    def _entry(self, data: dict[str, Any], section: str) -> Entry:
        key = data[KEYED[section]]
        return Entry(data, f"{data['__file__']}: {section}[{data['__position__']}] ({key})")

    def _reserve_ids(self, entries: list[Entry], table: str) -> None:
        # explicit ids are taken first so automatic ones never collide with them
        for entry in entries:
            wanted = entry.get("id", int)
            if wanted is not None:
                if wanted < 1:
                    raise entry.fail("id", "must be a positive integer")
                if wanted in self._reserved(table):
                    raise entry.fail("id", f"{wanted} is used twice")
                self._reserved(table).add(wanted)

    def _reserved(self, table: str) -> set[int]:
        return self._reserved_ids.setdefault(table, set())

    def _id(self, table: str, entry: Entry) -> int:
        wanted = entry.get("id", int)
        store_table = self.store.tables[table]
        if wanted is not None:
            if store_table.get(wanted) is not None:
                raise entry.fail("id", f"{wanted} is used twice")
            return self.store.next_id(store_table, wanted)
        # automatic ids fill the lowest free numbers, so a seed's highest explicit id stays the
        # last one and the next created row follows it (the reference's POST examples rely on it)
        reserved = self._reserved(table)
        candidate = self._cursors.get(table, 1)
        while candidate in reserved or store_table.get(candidate) is not None:
            candidate += 1
        self._cursors[table] = candidate + 1
        return self.store.next_id(store_table, candidate)

    def _user_id(self, entry: Entry, field: str, login: str | None) -> int:
        if login is None:
            raise entry.fail(field, "is required")
        user = self.store.users.find("login", str(login).lower())
        if user is None:
            raise entry.fail(field, f"names unknown user '{login}'")
        return user.id

    # users
    def _user(self, entry: Entry) -> tuple[m.User, str | None]:
        entry.check_fields(("id", "login", "email", "full_name", "role", "password",
                            "invited_by", "activated_at", "created_at", "location", "active",
                            "twofa_secret", "tokens", "keys"))
        login = entry.text("login", required=True)
        if not m.LOGIN.match(login):
            raise entry.fail("login", "must be 1-39 letters, digits or '-'")
        if self.store.users.find("login", login.lower()):
            raise entry.fail("login", f"'{login}' is used twice")
        email = entry.text("email", f"{login}@example.se")
        if "@" not in email:
            raise entry.fail("email", "must be an e-mail address")
        if self.store.users.find("email", email.lower()):
            raise entry.fail("email", f"'{email}' is used twice")
        secret = entry.text("twofa_secret")
        if secret is not None and not valid_secret(secret):
            raise entry.fail("twofa_secret", "must be a base32 secret of at least 80 bits")
        user_id = self._id("users", entry)
        created = entry.time("created_at")
        user = self.store.users.put(m.User(
            id=user_id, login=login, email=email,
            full_name=entry.text("full_name", login), role=entry.choice("role", m.ROLES, "user"),
            password_hash=hash_password(user_id, entry.text("password", self.password)),
            created_at=created, location=entry.text("location", ""),
            active=entry.get("active", bool, True), activated_at=entry.time("activated_at", None),
            twofa_secret=secret))
        for value in entry.get("tokens", list, []):
            if not isinstance(value, str) or not value:
                raise entry.fail("tokens", "must be a list of non-empty strings")
            if self.store.tokens.find("value", value):
                raise entry.fail("tokens", f"token '{value}' is used twice")
            self.store.issue_token(user, value=value)  # type: ignore[attr-defined]
        for key_entry in entry.entries("keys"):
            self._key(user, key_entry)
        return user, entry.text("invited_by")

    def _key(self, user: m.User, entry: Entry) -> None:
        entry.check_fields(("id", "title", "key", "created_at"))
        text = entry.text("key", required=True)
        try:
            key = parse_public_key(text)
        except InvalidKey as problem:
            raise entry.fail("key", f"is not a valid public key: {problem}") from None
        if self.store.keys.find("fingerprint", key.fingerprint):
            raise entry.fail("key", "is used twice")
        self.store.keys.put(m.SshKey(
            id=self._id("keys", entry), user_id=user.id, title=entry.text("title", "key"),
            key=text.strip(), fingerprint=key.fingerprint, created_at=entry.time("created_at")))

    # repos and everything under them
    def _repo(self, entry: Entry) -> None:
        entry.check_fields(("id", "full_name", "description", "private", "default_branch",
                            "created_at", "updated_at", "files", "commits", "collaborators",
                            "issues", "pulls", "releases", "runs"))
        full_name = entry.text("full_name", required=True)
        owner_login, _, name = full_name.partition("/")
        if not name or not m.REPO_NAME.match(name):
            raise entry.fail("full_name", "must be 'owner/name' with a name of letters, "
                             "digits, '.', '_' or '-'")
        owner_id = self._user_id(entry, "full_name", owner_login)
        if self.store.repos.find("name", (owner_id, name.lower())):
            raise entry.fail("full_name", f"'{full_name}' is used twice")
        created = entry.time("created_at")
        repo = m.Repo(id=self._id("repos", entry), owner_id=owner_id, name=name,
                      created_at=created, updated_at=entry.time("updated_at", created),
                      description=entry.text("description", ""),
                      private=entry.get("private", bool, False),
                      default_branch=entry.text("default_branch", "main"))
        files = entry.get("files", dict, {})
        for path, content in files.items():
            if not _clean_path(path):
                raise entry.fail("files", f"has a bad path '{path}' (use relative paths like "
                                 "docs/setup.md: no empty, '.' or '..' parts)")
            if not isinstance(content, str):
                raise entry.fail(f"files.{path}", "must be text")
            self.store.files.put(m.File(id=self.store.next_id(self.store.files),
                                        repo_id=repo.id, path=path, content=content))
        for path in files:  # a path cannot be a file and a directory at once
            parts = path.split("/")
            for depth in range(1, len(parts)):
                if "/".join(parts[:depth]) in files:
                    raise entry.fail("files", f"has '{'/'.join(parts[:depth])}' both as a "
                                     f"file and as the directory of '{path}'")
        owner = self.store.users.get(owner_id)
        assert owner is not None
        for position, commit in enumerate(entry.entries("commits")):
            self._commit(repo, owner, commit, position)
        for collaborator in entry.entries("collaborators"):
            collaborator.check_fields(("login", "username", "permission"))
            login = collaborator.text("login") or collaborator.text("username")
            user_id = self._user_id(collaborator, "login", login)
            if user_id == owner_id:
                raise collaborator.fail("login", "is the repo's owner")
            if self.store.collaborators.find("member", (repo.id, user_id)):
                raise collaborator.fail("login", "is listed twice")
            self.store.collaborators.put(m.Collaborator(
                id=self.store.next_id(self.store.collaborators), repo_id=repo.id,
                user_id=user_id, permission=collaborator.choice("permission", m.PERMISSIONS,
                                                                "write")))
        next_issue = 1
        for issue in entry.entries("issues"):
            next_issue = max(next_issue, self._issue(repo, issue, next_issue) + 1)
        next_pull = 1
        for pull in entry.entries("pulls"):
            next_pull = max(next_pull, self._pull(repo, pull, next_pull) + 1)
        for release in entry.entries("releases"):
            self._release(repo, release)
        for run_number, run in enumerate(entry.entries("runs"), start=1):
            self._run(repo, run, run_number)
        self.store.repos.put(replace(repo, next_issue_number=next_issue,
                                      next_pull_number=next_pull))

    def _commit(self, repo: m.Repo, owner: m.User, entry: Entry, position: int) -> None:
        entry.check_fields(("sha", "message", "author", "date"))
        author = entry.data.get("author", owner.login)
        if isinstance(author, str):
            user = self.store.users.find("login", author.lower())
            if user is None:
                raise entry.fail("author", f"names unknown user '{author}'")
            name, email = user.login, user.email
        elif isinstance(author, dict):
            name, email = str(author.get("name", owner.login)), str(author.get("email", ""))
        else:
            raise entry.fail("author", "must be a login or a mapping with name and email")
        sha = entry.text("sha") or derived_sha(repo.id, position, "commit")
        if not re.fullmatch(r"[0-9a-f]{7,40}", sha):
            raise entry.fail("sha", "must be 7-40 lowercase hex digits")
        self.store.commits.put(m.Commit(
            id=self.store.next_id(self.store.commits), repo_id=repo.id, sha=sha,
            message=entry.text("message", required=True), author_name=name,
            author_email=email, date=entry.time("date")))

    def _issue(self, repo: m.Repo, entry: Entry, default_number: int) -> int:
        entry.check_fields(("id", "number", "title", "body", "state", "user", "created_at",
                            "updated_at", "closed_at", "comments"))
        number = entry.get("number", int, default_number)
        if self.store.issues.find("number", (repo.id, number)):
            raise entry.fail("number", f"{number} is used twice in {repo.name}")
        created = entry.time("created_at")
        state = entry.choice("state", m.ISSUE_STATES, "open")
        issue = self.store.issues.put(m.Issue(
            id=self._id("issues", entry), repo_id=repo.id, number=number,
            title=entry.text("title", required=True),
            user_id=self._user_id(entry, "user", entry.text("user", required=True)),
            created_at=created, updated_at=entry.time("updated_at", created),
            body=entry.text("body", ""), state=state,
            closed_at=entry.time("closed_at", created if state == "closed" else None)))
        for comment in entry.entries("comments"):
            self._comment(repo, comment, issue_id=issue.id)
        return number

    def _comment(self, repo: m.Repo, entry: Entry, issue_id: int | None = None,
                 pull_id: int | None = None) -> None:
        entry.check_fields(("id", "body", "user", "created_at"))
        self.store.comments.put(m.Comment(
            id=self._id("comments", entry), repo_id=repo.id,
            user_id=self._user_id(entry, "user", entry.text("user", required=True)),
            body=entry.text("body", required=True), created_at=entry.time("created_at"),
            issue_id=issue_id, pull_id=pull_id))

    def _pull(self, repo: m.Repo, entry: Entry, default_number: int) -> int:
        entry.check_fields(("id", "number", "title", "body", "state", "user", "head", "base",
                            "created_at", "comments"))
        number = entry.get("number", int, default_number)
        if self.store.pulls.find("number", (repo.id, number)):
            raise entry.fail("number", f"{number} is used twice in {repo.name}")
        pull = self.store.pulls.put(m.Pull(
            id=self._id("pulls", entry), repo_id=repo.id, number=number,
            title=entry.text("title", required=True),
            user_id=self._user_id(entry, "user", entry.text("user", required=True)),
            head=entry.text("head", required=True), base=entry.text("base", repo.default_branch),
            created_at=entry.time("created_at"), body=entry.text("body", ""),
            state=entry.choice("state", m.PULL_STATES, "open")))
        for comment in entry.entries("comments"):
            self._comment(repo, comment, pull_id=pull.id)
        return number

    def _release(self, repo: m.Repo, entry: Entry) -> None:
        entry.check_fields(("id", "tag_name", "name", "body", "draft", "prerelease",
                            "published_at"))
        tag = entry.text("tag_name", required=True)
        if self.store.releases.find("tag", (repo.id, tag)):
            raise entry.fail("tag_name", f"'{tag}' is used twice in {repo.name}")
        self.store.releases.put(m.Release(
            id=self._id("releases", entry), repo_id=repo.id, tag_name=tag,
            name=entry.text("name", tag), published_at=entry.time("published_at"),
            body=entry.text("body", ""), draft=entry.get("draft", bool, False),
            prerelease=entry.get("prerelease", bool, False)))

    def _run(self, repo: m.Repo, entry: Entry, default_number: int) -> None:
        entry.check_fields(("id", "run_number", "status", "head_branch", "head_sha",
                            "created_at", "jobs"))
        run = self.store.runs.put(m.Run(
            id=self._id("runs", entry), repo_id=repo.id,
            run_number=entry.get("run_number", int, default_number),
            status=entry.choice("status", m.RUN_STATUSES, "success"),
            head_branch=entry.text("head_branch", repo.default_branch),
            head_sha=entry.text("head_sha", derived_sha(repo.id, default_number, "run")[:7]),
            created_at=entry.time("created_at")))
        for job in entry.entries("jobs"):
            job.check_fields(("id", "name", "status", "started_at", "completed_at", "log"))
            self.store.jobs.put(m.Job(
                id=self._id("jobs", job), run_id=run.id, name=job.text("name", required=True),
                status=job.choice("status", m.RUN_STATUSES, run.status),
                started_at=job.time("started_at", run.created_at),
                completed_at=job.time("completed_at", None), log=job.text("log", "")))

    def _invite(self, entry: Entry) -> None:
        entry.check_fields(("id", "username", "email", "full_name", "role", "invited_by",
                            "token", "status", "created_at"))
        username = entry.text("username", required=True)
        if not m.LOGIN.match(username):
            raise entry.fail("username", "must be 1-39 letters, digits or '-'")
        inviter = self._user_id(entry, "invited_by", entry.text("invited_by", required=True))
        token = entry.text("token", derived_sha(inviter, len(self.store.invites), "invite"))
        if self.store.invites.find("token", token):
            raise entry.fail("token", "is used twice")
        invite = self.store.invites.put(m.Invite(
            id=self._id("invites", entry), username=username,
            email=entry.text("email", required=True), role=entry.choice("role", m.ROLES, "user"),
            invited_by_id=inviter, token=token,
            created_at=entry.time("created_at"), full_name=entry.text("full_name", ""),
            status=entry.choice("status", m.INVITE_STATUSES, "pending")))
        if invite.status == "pending":  # its activation mail waits in the outbox, as if just sent
            self.store.queue_activation_mail(invite)  # type: ignore[attr-defined]


def _clean_path(path: object) -> bool:
    """A relative path whose parts are all real names (what the contents API can serve)."""
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def load_seed(store: StoreBase, seed: dict[str, Any], faker_seed: int = 0) -> None:
    """Fill an empty store from merged seed data, then its `generate:` section."""
    SeedLoader(store, seed).load()
    if seed.get("generate"):
        from mockhub.store.generate import generate

        generate(store, seed["generate"], faker_seed, seed.get("generate_file", "seed"),
                 seed.get("password", DEFAULT_PASSWORD))
