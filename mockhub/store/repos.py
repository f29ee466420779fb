"""Rules for repositories and everything under them: contents, commits, collaborators, issues,
pulls, releases and CI runs.

Access is one number per (user, repo): a private repo is 404 to anyone below READ (so its
existence does not leak), and a visible repo answers 403 when the action needs more.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from mockhub.errors import Conflict, Forbidden, Invalid, NotFound
from mockhub.store import models as m
from mockhub.store.base import StoreBase, derived_sha, reading, transaction
from mockhub.store.tables import Table

Numbered = TypeVar("Numbered", m.Issue, m.Pull)

NONE, READ, WRITE, ADMIN, OWNER = range(5)
LEVELS = {"read": READ, "write": WRITE, "admin": ADMIN}
LEVEL_NAMES = {READ: "read", WRITE: "write", ADMIN: "admin", OWNER: "owner"}
STATE_FILTERS = ("open", "closed", "all")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a directory listing."""

    name: str
    type: str  # "file" | "dir"
    path: str
    size: int


class RepoRules(StoreBase):
    # access
    def access(self, user: m.User, repo: m.Repo) -> int:
        """NONE..OWNER; site_admin counts as owner, a public repo gives everyone READ."""
        if user.role == "site_admin" or repo.owner_id == user.id:
            return OWNER
        member = self.collaborators.find("member", (repo.id, user.id))
        level = LEVELS[member.permission] if member else NONE
        return max(level, READ) if not repo.private else level

    def _repo(self, user: m.User, owner: str, name: str, need: int = READ) -> m.Repo:
        """The repo `owner/name` (case-insensitive) if `user` may see it and has `need`."""
        owner_row = self.users.find("login", owner.lower())
        repo = self.repos.find("name", (owner_row.id, name.lower())) if owner_row else None
        level = self.access(user, repo) if repo else NONE
        if repo is None or level < READ:  # private and not a member: as if absent
            raise NotFound(f"Repository '{owner}/{name}' not found.")
        if level < need:
            raise Forbidden(f"You need {LEVEL_NAMES[need]} access to "
                            f"{self.full_name(repo)} for this.")
        return repo

    def full_name(self, repo: m.Repo) -> str:
        return f"{self.login_of(repo.owner_id)}/{repo.name}"

    @reading
    def repo_full_name(self, repo_id: int) -> str:
        """owner/name of a repo by id, for the URLs of rows under it."""
        repo = self.repos.get(repo_id)
        if repo is None:
            raise NotFound(f"No repository {repo_id}.")
        return self.full_name(repo)

    # repos
    @reading
    def my_repos(self, user: m.User) -> list[m.Repo]:
        """Owned and collaborating, by full_name (case-insensitive), like GitHub's default."""
        owned = self.repos.group("owner", user.id)
        shared = [self.repos.get(c.repo_id) for c in self.collaborators.group("user", user.id)]
        rows = [r for r in (*owned, *shared) if r is not None]
        return sorted(rows, key=lambda r: (self.full_name(r).lower(), r.id))

    @reading
    def get_repo(self, user: m.User, owner: str, name: str) -> m.Repo:
        return self._repo(user, owner, name)

    @transaction
    def create_repo(self, user: m.User, name: str, description: str = "",
                    private: bool = False, auto_init: bool = False) -> m.Repo:
        """A repo owned by `user`; auto_init adds README.md and an "Initial commit"."""
        if not m.REPO_NAME.match(name) or name in (".", ".."):
            raise Invalid("name", "Must be 1-100 letters, digits, '.', '_' or '-' "
                                  "(and not '.' or '..').")
        if self.repos.find("name", (user.id, name.lower())):
            raise Conflict(f"You already have a repository named '{name}'.",
                           {"name": ["Already exists."]})
        now = self.now()
        repo = self.repos.put(m.Repo(id=self.next_id(self.repos), owner_id=user.id, name=name,
                                     created_at=now, updated_at=now, description=description,
                                     private=private))
        if auto_init:
            readme = f"# {name}\n\n{description}\n" if description else f"# {name}\n"
            self.files.put(m.File(id=self.next_id(self.files), repo_id=repo.id,
                                  path="README.md", content=readme))
            self.commits.put(m.Commit(
                id=self.next_id(self.commits), repo_id=repo.id,
                sha=derived_sha(repo.id, 0, "commit"), message="Initial commit",
                author_name=user.login, author_email=user.email, date=now))
        self.audit(user.login, "repo_created", f"{user.login}/{name}")
        return repo

    @transaction
    def update_repo(self, user: m.User, owner: str, name: str, description: str | None = None,
                    private: bool | None = None) -> m.Repo:
        """Change what is given; any change moves updated_at. Needs admin."""
        repo = self._repo(user, owner, name, ADMIN)
        if description is None and private is None:
            return repo
        if private is not None and private != repo.private:
            self.audit(user.login, "repo_visibility_changed",
                       f"{self.full_name(repo)}: {'private' if private else 'public'}")
        return self.repos.put(replace(
            repo, updated_at=self.now(),
            description=repo.description if description is None else description,
            private=repo.private if private is None else private))

    @transaction
    def delete_repo(self, user: m.User, owner: str, name: str) -> None:
        """Delete the repo and everything under it. Needs the owner or a site_admin."""
        repo = self._repo(user, owner, name, OWNER)
        full_name = self.full_name(repo)
        self.purge_repo(repo.id)
        self.audit(user.login, "repo_deleted", full_name)

    def purge_repo(self, repo_id: int) -> None:
        """Remove a repo and every row under it (no checks: callers decide who may)."""
        for table in (self.files, self.commits, self.collaborators, self.issues,
                      self.comments, self.pulls, self.releases):
            for row in table.group("repo", repo_id):
                table.delete(row.id)
        for run in self.runs.group("repo", repo_id):
            for job in self.jobs.group("run", run.id):
                self.jobs.delete(job.id)
            self.runs.delete(run.id)
        self.repos.delete(repo_id)

    # contents and commits
    @reading
    def contents(self, user: m.User, owner: str, name: str, path: str
                 ) -> m.File | list[Entry]:
        """A file, or the listing of a directory (the root is ""). Never leaves the repo."""
        repo = self._repo(user, owner, name)
        missing = NotFound(f"No file or directory '{path}' in {self.full_name(repo)}.")
        if path.startswith("/") or "\\" in path or "\x00" in path:
            raise missing
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") for p in parts):
            raise missing
        clean = "/".join(parts)
        if clean:
            found = self.files.find("path", (repo.id, clean))
            if found is not None:
                return found
        prefix = f"{clean}/" if clean else ""
        children: dict[str, Entry] = {}
        for row in self.files.group("repo", repo.id):
            if not row.path.startswith(prefix):
                continue
            head, _, rest = row.path[len(prefix):].partition("/")
            if rest:
                children.setdefault(head, Entry(head, "dir", prefix + head, 0))
            else:
                children[head] = Entry(head, "file", row.path, len(row.content.encode()))
        if clean and not children:
            raise missing
        return [children[key] for key in sorted(children)]

    @reading
    def list_commits(self, user: m.User, owner: str, name: str) -> list[m.Commit]:
        """Newest first."""
        repo = self._repo(user, owner, name)
        return sorted(self.commits.group("repo", repo.id), key=lambda c: (c.date, c.id),
                      reverse=True)

    # collaborators
    @reading
    def list_collaborators(self, user: m.User, owner: str, name: str
                           ) -> list[tuple[str, str]]:
        """(login, permission) by login; like GitHub, seeing the list needs write."""
        repo = self._repo(user, owner, name, WRITE)
        rows = [(self.login_of(c.user_id) or "ghost", c.permission)
                for c in self.collaborators.group("repo", repo.id)]
        return sorted(rows, key=lambda pair: pair[0].lower())

    @transaction
    def set_collaborator(self, user: m.User, owner: str, name: str, username: str,
                         permission: str = "write") -> m.Collaborator:
        """Add a collaborator, or change an existing one's permission. Needs admin."""
        repo = self._repo(user, owner, name, ADMIN)
        if permission not in LEVELS:
            raise Invalid("permission", "Must be one of read, write, admin.")
        member = self.users.find("login", username.lower())
        if member is None:
            raise NotFound(f"No user '{username}'.")
        if member.id == repo.owner_id:
            raise Invalid("username", "The owner already has full access.")
        current = self.collaborators.find("member", (repo.id, member.id))
        if current is not None:
            row = self.collaborators.put(replace(current, permission=permission))
            action = "collaborator_changed"
        else:
            row = self.collaborators.put(m.Collaborator(
                id=self.next_id(self.collaborators), repo_id=repo.id, user_id=member.id,
                permission=permission))
            action = "collaborator_added"
        self.audit(user.login, action, f"{self.full_name(repo)}: {member.login} {permission}")
        return row

    @staticmethod
    def _by_state(table: Table[Numbered], repo: m.Repo, state: str) -> list[Numbered]:
        """A repo's issues or pulls in one state (or all), newest first, from the index."""
        if state not in STATE_FILTERS:
            raise Invalid("state", "Must be one of open, closed, all.")
        rows = (table.group("repo", repo.id) if state == "all"
                else table.group("repo_state", (repo.id, state)))
        return sorted(rows, key=lambda row: row.number, reverse=True)

    # issues
    @reading
    def list_issues(self, user: m.User, owner: str, name: str, state: str = "open"
                    ) -> list[m.Issue]:
        """Newest first; `state` is open, closed or all."""
        return self._by_state(self.issues, self._repo(user, owner, name), state)

    def _issue(self, repo: m.Repo, number: int) -> m.Issue:
        issue = self.issues.find("number", (repo.id, number))
        if issue is None:
            raise NotFound(f"No issue #{number} in {self.full_name(repo)}.")
        return issue

    @reading
    def get_issue(self, user: m.User, owner: str, name: str, number: int
                  ) -> tuple[m.Issue, list[m.Comment]]:
        issue = self._issue(self._repo(user, owner, name), number)
        return issue, self._comments("issue", issue.id)

    def _comments(self, index: str, parent_id: int) -> list[m.Comment]:
        return sorted(self.comments.group(index, parent_id), key=lambda c: (c.created_at, c.id))

    @reading
    def comment_count(self, issue_id: int) -> int:
        return self.comments.count("issue", issue_id)

    @transaction
    def create_issue(self, user: m.User, owner: str, name: str, title: str,
                     body: str = "") -> m.Issue:
        """Anyone who can read the repo may open one; numbers count up per repo from 1."""
        repo = self._repo(user, owner, name)
        if not title.strip():
            raise Invalid("title", "Must not be empty.")
        now = self.now()
        issue = self.issues.put(m.Issue(
            id=self.next_id(self.issues), repo_id=repo.id, number=repo.next_issue_number,
            title=title, user_id=user.id, created_at=now, updated_at=now, body=body))
        self.repos.put(replace(repo, next_issue_number=repo.next_issue_number + 1))
        return issue

    @transaction
    def comment_issue(self, user: m.User, owner: str, name: str, number: int,
                      body: str) -> m.Comment:
        repo = self._repo(user, owner, name)
        issue = self._issue(repo, number)
        if not body.strip():
            raise Invalid("body", "Must not be empty.")
        now = self.now()
        self.issues.put(replace(issue, updated_at=now))
        return self.comments.put(m.Comment(id=self.next_id(self.comments), repo_id=repo.id,
                                           user_id=user.id, body=body, created_at=now,
                                           issue_id=issue.id))

    @transaction
    def set_issue_state(self, user: m.User, owner: str, name: str, number: int,
                        state: str) -> m.Issue:
        """Close or reopen: the issue's author or anyone with write."""
        repo = self._repo(user, owner, name)
        issue = self._issue(repo, number)
        if issue.user_id != user.id and self.access(user, repo) < WRITE:
            raise Forbidden(f"Only the issue's author or someone with write access to "
                            f"{self.full_name(repo)} can close or reopen it.")
        if state not in m.ISSUE_STATES:
            raise Invalid("state", "Must be open or closed.")
        if state == issue.state:
            return issue
        now = self.now()
        return self.issues.put(replace(issue, state=state, updated_at=now,
                                       closed_at=now if state == "closed" else None))

    # pull requests
    @reading
    def list_pulls(self, user: m.User, owner: str, name: str, state: str = "open"
                   ) -> list[m.Pull]:
        """Newest first; like GitHub, `closed` includes merged and the default is open."""
        return self._by_state(self.pulls, self._repo(user, owner, name), state)

    @reading
    def get_pull(self, user: m.User, owner: str, name: str, number: int
                 ) -> tuple[m.Pull, list[m.Comment]]:
        repo = self._repo(user, owner, name)
        pull = self.pulls.find("number", (repo.id, number))
        if pull is None:
            raise NotFound(f"No pull request #{number} in {self.full_name(repo)}.")
        return pull, self._comments("pull", pull.id)

    # releases
    @reading
    def list_releases(self, user: m.User, owner: str, name: str) -> list[m.Release]:
        """Newest first; drafts only for those who can write (as on GitHub)."""
        repo = self._repo(user, owner, name)
        drafts = self.access(user, repo) >= WRITE
        rows = [r for r in self.releases.group("repo", repo.id) if drafts or not r.draft]
        return sorted(rows, key=lambda r: (r.published_at, r.id), reverse=True)

    @reading
    def get_release(self, user: m.User, owner: str, name: str, tag: str) -> m.Release:
        repo = self._repo(user, owner, name)
        release = self.releases.find("tag", (repo.id, tag))
        if release is None or (release.draft and self.access(user, repo) < WRITE):
            raise NotFound(f"No release '{tag}' in {self.full_name(repo)}.")
        return release

    # CI runs and jobs
    @reading
    def list_runs(self, user: m.User, owner: str, name: str) -> list[m.Run]:
        """Newest first."""
        repo = self._repo(user, owner, name)
        return sorted(self.runs.group("repo", repo.id), key=lambda r: (r.created_at, r.id),
                      reverse=True)

    def _run(self, repo: m.Repo, run_id: int) -> m.Run:
        run = self.runs.get(run_id)
        if run is None or run.repo_id != repo.id:
            raise NotFound(f"No workflow run {run_id} in {self.full_name(repo)}.")
        return run

    @reading
    def get_run(self, user: m.User, owner: str, name: str, run_id: int
                ) -> tuple[m.Run, list[m.Job]]:
        run = self._run(self._repo(user, owner, name), run_id)
        return run, self.jobs.group("run", run.id)

    @reading
    def list_jobs(self, user: m.User, owner: str, name: str, run_id: int) -> list[m.Job]:
        return self.get_run(user, owner, name, run_id)[1]

    @reading
    def job_log(self, user: m.User, owner: str, name: str, job_id: int) -> str:
        repo = self._repo(user, owner, name)
        job = self.jobs.get(job_id)
        run = self.runs.get(job.run_id) if job else None
        if job is None or run is None or run.repo_id != repo.id:
            raise NotFound(f"No job {job_id} in {self.full_name(repo)}.")
        return job.log
