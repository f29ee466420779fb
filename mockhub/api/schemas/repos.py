"""Schemas of /repos and everything under it."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields

from mockhub.api.schemas.common import StrictSchema, text
from mockhub.store.models import REPO_NAME

EXAMPLE_URL = "https://noackhub.noackhosting.net/anna/mitt-repo"
TIME = "2026-05-13T08:30:00Z"


class StrictBoolean(fields.Boolean):
    """Only JSON true/false: "yes" or 1 for a flag is a client bug worth a 422."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def _string(example: Any, meta: dict[str, Any] | None = None, **kwargs: Any) -> fields.String:
    return fields.String(metadata={"example": example, **(meta or {})}, **kwargs)


def _time(example: str = TIME, **kwargs: Any) -> fields.String:
    return fields.String(metadata={"example": example, "format": "date-time"}, **kwargs)


class UserRefSchema(Schema):
    login = _string("anna", required=True)


# repos
class RepoSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 12})
    name = _string("mitt-repo", required=True)
    full_name = _string("anna/mitt-repo", required=True)
    owner = fields.Nested(UserRefSchema, required=True)
    description = _string("Annas första repo")
    private = fields.Boolean(required=True, metadata={"example": False})
    html_url = _string(EXAMPLE_URL, required=True)
    ssh_url = _string("ssh://git@noackhub.noackhosting.net:2222/anna/mitt-repo.git",
                      required=True)
    clone_url = _string(f"{EXAMPLE_URL}.git", required=True)
    default_branch = _string("main", required=True)
    created_at = _time("2026-05-13T08:00:00Z")
    updated_at = _time("2026-05-13T08:42:01Z")


class NewRepoSchema(StrictSchema):
    name = fields.String(required=True, metadata={
        "example": "mitt-repo", "pattern": REPO_NAME.pattern,
        "description": "Letters, digits, '.', '_' or '-' (not '.' or '..'); unique per owner"})
    description = text("Hello", required=False, max_length=2000)
    private = StrictBoolean(load_default=False, metadata={"example": False})
    auto_init = StrictBoolean(load_default=False, metadata={
        "example": True, "description": "Create README.md and an 'Initial commit'"})


class RepoPatchSchema(StrictSchema):
    description = text("Updated", required=False, max_length=2000)
    private = StrictBoolean(metadata={"example": True})


# contents and commits
class ContentEntrySchema(Schema):
    name = _string("README.md", required=True)
    type = _string("file", required=True, meta={"enum": ["file", "dir"]})
    path = _string("README.md", required=True)
    size = fields.Integer(required=True, metadata={"example": 142})


class FileSchema(ContentEntrySchema):
    encoding = _string("base64", required=True)
    content = _string("IyBtaXR0LXJlcG8K", required=True)


class CommitAuthorSchema(Schema):
    name = _string("anna", required=True)
    email = _string("anna@ex.se", required=True)
    date = _time("2026-05-13T08:00:00Z", required=True)


class CommitDetailSchema(Schema):
    message = _string("Initial commit", required=True)
    author = fields.Nested(CommitAuthorSchema, required=True)


class CommitSchema(Schema):
    sha = _string("f0a1b2c3d4e5", required=True)
    commit = fields.Nested(CommitDetailSchema, required=True)
    html_url = _string(f"{EXAMPLE_URL}/commit/f0a1b2c3d4e5", required=True)


# collaborators
class CollaboratorSchema(Schema):
    login = _string("kund2", required=True)
    permission = _string("write", required=True)


class NewCollaboratorSchema(StrictSchema):
    username = text("kund2", min_length=1, max_length=100)
    permission = fields.String(load_default="write", metadata={
        "example": "write", "enum": ["read", "write", "admin"],
        "description": "read < write < admin; an existing collaborator's is replaced"})


# issues and comments
class StateQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # like GitHub, unknown query parameters are ignored

    state = fields.String(load_default="open", metadata={
        "enum": ["open", "closed", "all"], "description": "Default open; anything else 422"})


class CommentSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 222})
    body = _string("I can confirm this.", required=True)
    user = fields.Nested(UserRefSchema, required=True)
    created_at = _time("2026-05-13T09:00:00Z", required=True)


class NewCommentSchema(StrictSchema):
    body = text("Min kommentar", min_length=1, max_length=65_536)


class IssueSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 101})
    number = fields.Integer(required=True, metadata={"example": 1})
    title = _string("Bug", required=True)
    state = _string("open", required=True, meta={"enum": ["open", "closed"]})
    user = fields.Nested(UserRefSchema, required=True)
    body = _string("Steps to reproduce...", required=True)
    created_at = _time(required=True)
    updated_at = _time()
    closed_at = _time(None, allow_none=True)
    comments = fields.Integer(required=True, metadata={"example": 0})
    html_url = _string(f"{EXAMPLE_URL}/issues/1", required=True)


class IssueDetailSchema(IssueSchema):
    comments_list = fields.List(fields.Nested(CommentSchema), required=True)


class NewIssueSchema(StrictSchema):
    title = text("Bug", min_length=1, max_length=256)
    body = text("Steps to reproduce...", required=False, max_length=65_536)


class IssueStateSchema(StrictSchema):
    state = fields.String(required=True, metadata={"example": "closed",
                                                   "enum": ["open", "closed"]})


# pull requests
class PullSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 50})
    number = fields.Integer(required=True, metadata={"example": 1})
    title = _string("Add feature X", required=True)
    state = _string("open", required=True, meta={"enum": ["open", "closed", "merged"]})
    user = fields.Nested(UserRefSchema, required=True)
    head = _string("feature-x", required=True)
    base = _string("main", required=True)
    body = _string("...", required=True)
    created_at = _time("2026-05-13T08:40:00Z")
    html_url = _string(f"{EXAMPLE_URL}/pulls/1", required=True)


class PullDetailSchema(PullSchema):
    comments_list = fields.List(fields.Nested(CommentSchema), required=True)


# releases
class ReleaseSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 5})
    tag_name = _string("v1.0.0", required=True)
    name = _string("First stable", required=True)
    body = _string("Changelog...", required=True)
    draft = fields.Boolean(required=True, metadata={"example": False})
    prerelease = fields.Boolean(required=True, metadata={"example": False})
    published_at = _time("2026-05-10T12:00:00Z", required=True)
    html_url = _string(f"{EXAMPLE_URL}/releases/tag/v1.0.0", required=True)


# CI
class JobSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 88})
    run_id = fields.Integer(required=True, metadata={"example": 17})
    name = _string("build", required=True)
    status = _string("success", required=True)
    started_at = _time("2026-05-13T09:00:10Z", allow_none=True)
    completed_at = _time("2026-05-13T09:01:42Z", allow_none=True)


class RunSchema(Schema):
    id = fields.Integer(required=True, metadata={"example": 17})
    status = _string("success", required=True)
    head_branch = _string("main", required=True)
    head_sha = _string("f0a1b2c", required=True)
    run_number = fields.Integer(required=True, metadata={"example": 4})
    created_at = _time("2026-05-13T09:00:00Z", required=True)
    html_url = _string(f"{EXAMPLE_URL}/actions/runs/17", required=True)


class RunDetailSchema(RunSchema):
    jobs = fields.List(fields.Nested(JobSchema), required=True)
