"""The entities of the NoackHub API as plain, immutable records.

Records are frozen: the Store changes one by replacing it, which lets the undo log keep the old
record by reference instead of copying it (that is what makes reset cheap).
Times are ISO 8601 UTC strings ("2026-05-13T08:00:00Z"), which sort in time order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = ("user", "customer_admin", "site_admin")
PERMISSIONS = ("read", "write", "admin")
ISSUE_STATES = ("open", "closed")
PULL_STATES = ("open", "closed", "merged")
INVITE_STATUSES = ("pending", "accepted", "revoked")
RUN_STATUSES = ("queued", "in_progress", "success", "failure", "cancelled")
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
REPO_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
GHOST_ID = 0  # author shown as "ghost" after the real author was purged


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    email: str
    full_name: str
    role: str
    password_hash: str
    created_at: str
    location: str = ""
    active: bool = True
    invited_by_id: int | None = None
    activated_at: str | None = None
    twofa_secret: str | None = None
    twofa_pending_secret: str | None = None


@dataclass(frozen=True, slots=True)
class Token:
    id: int
    value: str
    user_id: int
    created_at: str
    pending_2fa: bool = False


@dataclass(frozen=True, slots=True)
class SshKey:
    id: int
    user_id: int
    title: str
    key: str
    fingerprint: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Repo:
    id: int
    owner_id: int
    name: str
    created_at: str
    updated_at: str
    description: str = ""
    private: bool = False
    default_branch: str = "main"
    next_issue_number: int = 1
    next_pull_number: int = 1


@dataclass(frozen=True, slots=True)
class File:
    id: int
    repo_id: int
    path: str
    content: str


@dataclass(frozen=True, slots=True)
class Commit:
    id: int
    repo_id: int
    sha: str
    message: str
    author_name: str
    author_email: str
    date: str


@dataclass(frozen=True, slots=True)
class Collaborator:
    id: int
    repo_id: int
    user_id: int
    permission: str


@dataclass(frozen=True, slots=True)
class Issue:
    id: int
    repo_id: int
    number: int
    title: str
    user_id: int
    created_at: str
    updated_at: str
    body: str = ""
    state: str = "open"
    closed_at: str | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    repo_id: int
    user_id: int
    body: str
    created_at: str
    issue_id: int | None = None
    pull_id: int | None = None


@dataclass(frozen=True, slots=True)
class Pull:
    id: int
    repo_id: int
    number: int
    title: str
    user_id: int
    head: str
    base: str
    created_at: str
    body: str = ""
    state: str = "open"


@dataclass(frozen=True, slots=True)
class Release:
    id: int
    repo_id: int
    tag_name: str
    name: str
    published_at: str
    body: str = ""
    draft: bool = False
    prerelease: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    repo_id: int
    run_number: int
    status: str
    head_branch: str
    head_sha: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    run_id: int
    name: str
    status: str
    started_at: str | None
    completed_at: str | None
    log: str = ""


@dataclass(frozen=True, slots=True)
class Invite:
    id: int
    username: str
    email: str
    role: str
    invited_by_id: int
    token: str
    created_at: str
    full_name: str = ""
    status: str = "pending"
    accepted_at: str | None = None


@dataclass(frozen=True, slots=True)
class Email:
    id: int
    to: str
    subject: str
    body: str
    created_at: str
    invite_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    time: str
    actor: str
    action: str
    target: str
