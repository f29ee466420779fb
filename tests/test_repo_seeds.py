"""Seeds for the repository surface: declared repos come out of the API as written, generated
ones are the same on every start."""

from __future__ import annotations

import re

import pytest
from helpers import FROZEN, call

from mockhub.app import create_app
from mockhub.errors import SeedError
from mockhub.runtime import runtime
from mockhub.store.seeding import default_seed_path

DECLARED = """
repos:
  - full_name: bob/verktyg
    private: true
    files:
      README.md: "# verktyg\\n"
      src/app/main.py: "print(1)\\n"
    commits:
      - {message: First, author: bob, date: 2026-05-01T10:00:00Z}
      - {message: Second, author: {name: Extern, email: x@ex.se}, date: 2026-05-02T10:00:00Z}
    collaborators: [{username: anna, permission: admin}]
    issues:
      - title: Open one
        user: anna
        comments: [{body: Hej, user: bob}]
      - {number: 7, title: Closed one, user: bob, state: closed}
    pulls:
      - title: PR
        user: anna
        head: topic
        state: merged
        comments: [{body: LGTM, user: bob}]
    releases: [{tag_name: release/2026.1, name: Big}]
    runs:
      - status: failure
        jobs: [{name: test, status: failure, log: "Run make test\\nFAILED\\n"}]
"""


def app_with(tmp_path, text: str, **settings):
    extra = tmp_path / "extra.yaml"
    extra.write_text(text, encoding="utf-8")
    return create_app(clock=FROZEN, seeds=[str(default_seed_path()), str(extra)], **settings)


def test_declared_repo_is_served_as_written(tmp_path):
    client = app_with(tmp_path, DECLARED).test_client()
    repo = "/repos/bob/verktyg"
    assert call(client, "GET", repo, "anna").status_code == 200  # admin collaborator
    assert call(client, "GET", repo, "kund2").status_code == 404
    assert [e["path"] for e in call(client, "GET", f"{repo}/contents/src", "anna").json] == [
        "src/app"]
    commits = call(client, "GET", f"{repo}/commits", "anna").json
    assert [c["commit"]["message"] for c in commits] == ["Second", "First"]
    assert commits[0]["commit"]["author"] == {"name": "Extern", "email": "x@ex.se",
                                              "date": "2026-05-02T10:00:00Z"}
    assert all(re.fullmatch(r"[0-9a-f]{40}", c["sha"]) for c in commits)
    issues = call(client, "GET", f"{repo}/issues?state=all", "anna").json
    assert [(i["number"], i["state"], i["comments"]) for i in issues] == [
        (7, "closed", 0), (1, "open", 1)]
    # the next issue follows the highest seeded number
    assert call(client, "POST", f"{repo}/issues", "anna", json={"title": "N"}).json[
        "number"] == 8
    assert call(client, "GET", f"{repo}/pulls", "anna").json == []  # merged counts as closed
    pull = call(client, "GET", f"{repo}/pulls/1", "anna").json
    assert (pull["state"], [c["body"] for c in pull["comments_list"]]) == ("merged", ["LGTM"])
    assert call(client, "GET", f"{repo}/pulls?state=closed", "anna").json[0]["number"] == 1
    release = call(client, "GET", f"{repo}/releases/release/2026.1", "anna").json
    assert release["name"] == "Big"
    run = call(client, "GET", f"{repo}/actions/runs", "anna").json[0]
    job = call(client, "GET", f"{repo}/actions/runs/{run['id']}", "anna").json["jobs"][0]
    log = call(client, "GET", f"{repo}/actions/jobs/{job['id']}/logs", "anna")
    assert log.text == "Run make test\nFAILED\n"


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/", "a\\b"])
def test_seed_file_paths_stay_inside_the_repo(tmp_path, path):
    text = f'repos:\n  - full_name: bob/x\n    files: {{"{path}": "text"}}\n'.replace(
        "\\", "\\\\")
    with pytest.raises(SeedError, match=r"repos\[0\] \(bob/x\): field 'files' has a bad path"):
        app_with(tmp_path, text)


def test_a_seed_path_cannot_be_file_and_directory(tmp_path):
    text = 'repos:\n  - full_name: bob/x\n    files: {docs: "a", docs/b.md: "b"}\n'
    with pytest.raises(SeedError, match="'docs' both as a file and as the directory"):
        app_with(tmp_path, text)


GENERATE = """
generate:
  users: 6
  repos_per_user: 2-3
  issues_per_repo: 3-5
  comments_per_issue: 0-2
  pulls_per_repo: 1-2
  releases_per_repo: 1
  runs_per_repo: 1-2
"""


def test_generated_world_is_the_same_on_every_start(tmp_path):
    first = runtime(app_with(tmp_path, GENERATE)).store
    again = runtime(app_with(tmp_path, GENERATE)).store
    other = runtime(app_with(tmp_path, GENERATE, faker_seed=1)).store
    assert first.snapshot() == again.snapshot()
    assert first.snapshot() != other.snapshot()
    generated = [c for c in first.commits if c.repo_id not in (1, 2, 12)]
    assert generated and all(re.fullmatch(r"[0-9a-f]{40}", c.sha) for c in generated)


def test_generated_repos_work_through_the_api(tmp_path):
    app = app_with(tmp_path, GENERATE)
    store = runtime(app).store
    client = app.test_client()
    repo = max(store.repos, key=lambda r: r.id)
    path = f"/repos/{store.full_name(repo)}"
    issues = call(client, "GET", f"{path}/issues?state=all", "mikael").json
    assert sorted(i["number"] for i in issues) == list(range(1, len(issues) + 1))
    created = call(client, "POST", f"{path}/issues", "mikael", json={"title": "Next"})
    assert created.json["number"] == len(issues) + 1
    assert call(client, "GET", f"{path}/contents/README.md", "mikael").status_code == 200
    for run in call(client, "GET", f"{path}/actions/runs", "mikael").json:
        for job in call(client, "GET", f"{path}/actions/runs/{run['id']}/jobs", "mikael").json:
            log = call(client, "GET", f"{path}/actions/jobs/{job['id']}/logs", "mikael")
            assert log.text.startswith("Set up job")
