"""/repos: repositories, contents, commits, collaborators, issues, pulls, releases, CI runs.

Views only parse, call one Store method and present; visibility and permissions are the Store's.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView

from mockhub.api import presenters_repos as present
from mockhub.api.body import Blueprint
from mockhub.api.docs import errors
from mockhub.api.schemas.common import OK, OkSchema
from mockhub.api.schemas.repos import (
    CollaboratorSchema,
    CommentSchema,
    CommitSchema,
    ContentEntrySchema,
    FileSchema,
    IssueDetailSchema,
    IssueSchema,
    IssueStateSchema,
    JobSchema,
    NewCollaboratorSchema,
    NewCommentSchema,
    NewIssueSchema,
    NewRepoSchema,
    PullDetailSchema,
    PullSchema,
    ReleaseSchema,
    RepoPatchSchema,
    RepoSchema,
    RunDetailSchema,
    RunSchema,
    StateQuerySchema,
)
from mockhub.api.security import authenticated, current_user
from mockhub.runtime import runtime
from mockhub.store import Store

blp = Blueprint("repos", __name__, url_prefix="/api/v2/repos",
                description="Repositories and everything under them")
REPO = "/<owner>/<repo>"


def store() -> Store:
    return runtime().store


# repos
@blp.route("")
class Repos(MethodView):
    @authenticated(blp)
    @blp.response(200, RepoSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List my repos: owned and collaborating, ordered by full_name."""
        s = store()
        return [present.repo(s, r) for r in s.my_repos(current_user())]

    @authenticated(blp)
    @blp.arguments(NewRepoSchema)
    @blp.response(201, RepoSchema)
    @errors(blp, 409)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a repo (auto_init adds README.md and an "Initial commit")."""
        s = store()
        return present.repo(s, s.create_repo(current_user(), **body))


@blp.route(REPO)
class Repo(MethodView):
    @authenticated(blp)
    @blp.response(200, RepoSchema)
    @errors(blp, 404)
    def get(self, owner: str, repo: str) -> dict[str, Any]:
        """Repo details."""
        s = store()
        return present.repo(s, s.get_repo(current_user(), owner, repo))

    @authenticated(blp)
    @blp.arguments(RepoPatchSchema, required=False)  # no body: nothing changes
    @blp.response(200, RepoSchema)
    @errors(blp, 403, 404)
    def patch(self, body: dict[str, Any], owner: str, repo: str) -> dict[str, Any]:
        """Edit a repo (description, private); needs admin."""
        s = store()
        return present.repo(s, s.update_repo(current_user(), owner, repo, **body))

    @authenticated(blp)
    @blp.response(200, OkSchema)
    @errors(blp, 403, 404)
    def delete(self, owner: str, repo: str) -> dict[str, Any]:
        """Delete a repo and everything under it; needs the owner or a site_admin."""
        store().delete_repo(current_user(), owner, repo)
        return OK


# contents and commits
CONTENTS_DOC = {"oneOf": [{"type": "array", "items": ContentEntrySchema}, FileSchema]}


@blp.route(f"{REPO}/contents/", endpoint="ContentsRoot", strict_slashes=False)
@blp.route(f"{REPO}/contents/<path:path>", endpoint="Contents", merge_slashes=False)
class Contents(MethodView):
    @authenticated(blp)
    @blp.response(200, CONTENTS_DOC, description="A directory listing, or one file "
                                                 "with its content in base64")
    @errors(blp, 404)
    def get(self, owner: str, repo: str, path: str = "") -> Response:
        """List a directory (the root without a path) or get a file's content."""
        return jsonify(present.contents(store().contents(current_user(), owner, repo, path)))


@blp.route(f"{REPO}/commits")
class Commits(MethodView):
    @authenticated(blp)
    @blp.response(200, CommitSchema(many=True))
    @errors(blp, 404)
    def get(self, owner: str, repo: str) -> list[dict[str, Any]]:
        """Latest commits, newest first."""
        s = store()
        return [present.commit(s, c) for c in s.list_commits(current_user(), owner, repo)]


# collaborators
@blp.route(f"{REPO}/collaborators")
class Collaborators(MethodView):
    @authenticated(blp)
    @blp.response(200, CollaboratorSchema(many=True))
    @errors(blp, 403, 404)
    def get(self, owner: str, repo: str) -> list[dict[str, Any]]:
        """List collaborators (by login); needs write."""
        pairs = store().list_collaborators(current_user(), owner, repo)
        return [{"login": login, "permission": permission} for login, permission in pairs]

    @authenticated(blp)
    @blp.arguments(NewCollaboratorSchema)
    @blp.response(201, OkSchema)
    @errors(blp, 403, 404)
    def post(self, body: dict[str, Any], owner: str, repo: str) -> dict[str, Any]:
        """Add a collaborator or change one's permission; needs admin."""
        store().set_collaborator(current_user(), owner, repo, body["username"],
                                 body["permission"])
        return OK


# issues
@blp.route(f"{REPO}/issues")
class Issues(MethodView):
    @authenticated(blp)
    @blp.arguments(StateQuerySchema, location="query")
    @blp.response(200, IssueSchema(many=True))
    @errors(blp, 404)
    def get(self, query: dict[str, Any], owner: str, repo: str) -> list[dict[str, Any]]:
        """List issues, newest first (?state=open|closed|all, default open)."""
        s = store()
        rows = s.list_issues(current_user(), owner, repo, query["state"])
        return [present.issue(s, i) for i in rows]

    @authenticated(blp)
    @blp.arguments(NewIssueSchema)
    @blp.response(201, IssueSchema)
    @errors(blp, 404)
    def post(self, body: dict[str, Any], owner: str, repo: str) -> dict[str, Any]:
        """Open an issue; anyone who can read the repo may."""
        s = store()
        return present.issue(s, s.create_issue(current_user(), owner, repo, **body))


@blp.route(f"{REPO}/issues/<int:number>")
class Issue(MethodView):
    @authenticated(blp)
    @blp.response(200, IssueDetailSchema)
    @errors(blp, 404)
    def get(self, owner: str, repo: str, number: int) -> dict[str, Any]:
        """An issue with its comments (oldest first)."""
        s = store()
        issue, comments = s.get_issue(current_user(), owner, repo, number)
        return present.issue(s, issue, comments)


@blp.route(f"{REPO}/issues/<int:number>/comments")
class IssueComments(MethodView):
    @authenticated(blp)
    @blp.arguments(NewCommentSchema)
    @blp.response(201, CommentSchema)
    @errors(blp, 404)
    def post(self, body: dict[str, Any], owner: str, repo: str, number: int
             ) -> dict[str, Any]:
        """Comment on an issue; anyone who can read the repo may."""
        s = store()
        return present.comment(s, s.comment_issue(current_user(), owner, repo, number,
                                                  body["body"]))


@blp.route(f"{REPO}/issues/<int:number>/state")
class IssueState(MethodView):
    @authenticated(blp)
    @blp.arguments(IssueStateSchema)
    @blp.response(200, OkSchema)
    @errors(blp, 403, 404)
    def post(self, body: dict[str, Any], owner: str, repo: str, number: int
             ) -> dict[str, Any]:
        """Close or reopen an issue; needs its author or write."""
        store().set_issue_state(current_user(), owner, repo, number, body["state"])
        return OK


# pull requests
@blp.route(f"{REPO}/pulls")
class Pulls(MethodView):
    @authenticated(blp)
    @blp.arguments(StateQuerySchema, location="query")
    @blp.response(200, PullSchema(many=True))
    @errors(blp, 404)
    def get(self, query: dict[str, Any], owner: str, repo: str) -> list[dict[str, Any]]:
        """List pull requests, newest first (?state=open|closed|all, default open)."""
        s = store()
        return [present.pull(s, p)
                for p in s.list_pulls(current_user(), owner, repo, query["state"])]


@blp.route(f"{REPO}/pulls/<int:number>")
class Pull(MethodView):
    @authenticated(blp)
    @blp.response(200, PullDetailSchema)
    @errors(blp, 404)
    def get(self, owner: str, repo: str, number: int) -> dict[str, Any]:
        """A pull request with its comments."""
        s = store()
        pull, comments = s.get_pull(current_user(), owner, repo, number)
        return present.pull(s, pull, comments)


# releases
@blp.route(f"{REPO}/releases")
class Releases(MethodView):
    @authenticated(blp)
    @blp.response(200, ReleaseSchema(many=True))
    @errors(blp, 404)
    def get(self, owner: str, repo: str) -> list[dict[str, Any]]:
        """List releases, newest first (drafts only with write)."""
        s = store()
        return [present.release(s, r) for r in s.list_releases(current_user(), owner, repo)]


@blp.route(f"{REPO}/releases/<path:tag>")
class Release(MethodView):
    @authenticated(blp)
    @blp.response(200, ReleaseSchema)
    @errors(blp, 404)
    def get(self, owner: str, repo: str, tag: str) -> dict[str, Any]:
        """A release by tag."""
        s = store()
        return present.release(s, s.get_release(current_user(), owner, repo, tag))


# CI runs and jobs
@blp.route(f"{REPO}/actions/runs")
class Runs(MethodView):
    @authenticated(blp)
    @blp.response(200, RunSchema(many=True))
    @errors(blp, 404)
    def get(self, owner: str, repo: str) -> list[dict[str, Any]]:
        """List workflow runs, newest first."""
        s = store()
        return [present.run(s, r) for r in s.list_runs(current_user(), owner, repo)]


@blp.route(f"{REPO}/actions/runs/<int:run_id>")
class Run(MethodView):
    @authenticated(blp)
    @blp.response(200, RunDetailSchema)
    @errors(blp, 404)
    def get(self, owner: str, repo: str, run_id: int) -> dict[str, Any]:
        """A workflow run with its jobs."""
        s = store()
        run, jobs = s.get_run(current_user(), owner, repo, run_id)
        return present.run(s, run, jobs)


@blp.route(f"{REPO}/actions/runs/<int:run_id>/jobs")
class RunJobs(MethodView):
    @authenticated(blp)
    @blp.response(200, JobSchema(many=True))
    @errors(blp, 404)
    def get(self, owner: str, repo: str, run_id: int) -> list[dict[str, Any]]:
        """The jobs of a workflow run."""
        return [present.job(j) for j in store().list_jobs(current_user(), owner, repo, run_id)]


@blp.route(f"{REPO}/actions/jobs/<int:job_id>/logs")
class JobLogs(MethodView):
    @authenticated(blp)
    @blp.response(200, {"type": "string"}, content_type="text/plain",
                  example="Set up job\nRun actions/checkout@v4\n...")
    @errors(blp, 404)
    def get(self, owner: str, repo: str, job_id: int) -> Response:
        """A job's log as plain text."""
        log = store().job_log(current_user(), owner, repo, job_id)
        return Response(log, mimetype="text/plain")
