"""Repository rows → the JSON shapes of the reference (logins instead of ids, public URLs)."""

from __future__ import annotations

from base64 import b64encode
from typing import Any

from mockhub.store import Store
from mockhub.store import models as m
from mockhub.store.repos import Entry


def _user(store: Store, user_id: int) -> dict[str, Any]:
    return {"login": store.login_of(user_id)}


def _html(store: Store, repo_id: int) -> str:
    return f"{store.public_url}/{store.repo_full_name(repo_id)}"


def repo(store: Store, row: m.Repo) -> dict[str, Any]:
    full_name = store.full_name(row)
    base = store.public_url
    return {"id": row.id, "name": row.name, "full_name": full_name,
            "owner": {"login": full_name.partition("/")[0]},
            "description": row.description, "private": row.private,
            "html_url": f"{base}/{full_name}", "ssh_url": f"{store.ssh_base}/{full_name}.git",
            "clone_url": f"{base}/{full_name}.git", "default_branch": row.default_branch,
            "created_at": row.created_at, "updated_at": row.updated_at}


def contents(found: m.File | list[Entry]) -> Any:
    if isinstance(found, list):
        return [{"name": e.name, "type": e.type, "path": e.path, "size": e.size}
                for e in found]
    data = found.content.encode()
    return {"name": found.path.rpartition("/")[2], "path": found.path, "type": "file",
            "size": len(data), "encoding": "base64", "content": b64encode(data).decode()}


def commit(store: Store, row: m.Commit) -> dict[str, Any]:
    return {"sha": row.sha,
            "commit": {"message": row.message,
                       "author": {"name": row.author_name, "email": row.author_email,
                                  "date": row.date}},
            "html_url": f"{_html(store, row.repo_id)}/commit/{row.sha}"}


def comment(store: Store, row: m.Comment) -> dict[str, Any]:
    return {"id": row.id, "body": row.body, "user": _user(store, row.user_id),
            "created_at": row.created_at}


def issue(store: Store, row: m.Issue, comments: list[m.Comment] | None = None
          ) -> dict[str, Any]:
    data = {"id": row.id, "number": row.number, "title": row.title, "state": row.state,
            "user": _user(store, row.user_id), "body": row.body, "created_at": row.created_at,
            "updated_at": row.updated_at, "closed_at": row.closed_at,
            "comments": store.comment_count(row.id),
            "html_url": f"{_html(store, row.repo_id)}/issues/{row.number}"}
    if comments is not None:
        data["comments_list"] = [comment(store, c) for c in comments]
    return data


def pull(store: Store, row: m.Pull, comments: list[m.Comment] | None = None
         ) -> dict[str, Any]:
    data = {"id": row.id, "number": row.number, "title": row.title, "state": row.state,
            "user": _user(store, row.user_id), "head": row.head, "base": row.base,
            "body": row.body, "created_at": row.created_at,
            "html_url": f"{_html(store, row.repo_id)}/pulls/{row.number}"}
    if comments is not None:
        data["comments_list"] = [comment(store, c) for c in comments]
    return data


def release(store: Store, row: m.Release) -> dict[str, Any]:
    return {"id": row.id, "tag_name": row.tag_name, "name": row.name, "body": row.body,
            "draft": row.draft, "prerelease": row.prerelease,
            "published_at": row.published_at,
            "html_url": f"{_html(store, row.repo_id)}/releases/tag/{row.tag_name}"}


def job(row: m.Job) -> dict[str, Any]:
    return {"id": row.id, "run_id": row.run_id, "name": row.name, "status": row.status,
            "started_at": row.started_at, "completed_at": row.completed_at}


def run(store: Store, row: m.Run, jobs: list[m.Job] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id, "status": row.status, "head_branch": row.head_branch,
        "head_sha": row.head_sha, "run_number": row.run_number, "created_at": row.created_at,
        "html_url": f"{_html(store, row.repo_id)}/actions/runs/{row.id}"}
    if jobs is not None:
        data["jobs"] = [job(j) for j in jobs]
    return data
