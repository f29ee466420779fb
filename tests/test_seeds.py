"""Seed files: the default world, merging, generation, and clear errors for broken files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mockhub.app import build_store
from mockhub.clock import Clock
from mockhub.errors import SeedError
from mockhub.settings import Settings


def world(tmp_path: Path, *texts: str, faker_seed: int = 0):
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"seed{number}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        paths.append(str(path))
    return build_store(Settings(seeds=paths, faker_seed=faker_seed), Clock())


def test_default_seed_holds_the_reference_examples(hub):
    store = hub.store
    anna = store.users.get(4)
    assert (anna.login, anna.full_name, anna.email, anna.role) == (
        "anna", "Anna Andersson", "anna@ex.se", "user")
    assert anna.twofa_secret == "JBSWY3DPEHPK3PXP"
    assert store.login_of(anna.invited_by_id) == "mikael"
    assert store.users.get(1).role == "site_admin"
    assert any(u.role == "customer_admin" and store.users.group("invited_by", u.id)
               for u in store.users)
    assert store.keys.get(7).title == "laptop"
    repo = store.repos.get(12)
    assert (repo.name, repo.private, repo.default_branch) == ("mitt-repo", False, "main")
    assert store.commits.group("repo", 12)[0].sha == "f0a1b2c3d4e5"
    assert store.issues.get(101).number == 1
    assert store.comments.get(222).issue_id == 101
    assert store.pulls.get(50).head == "feature-x"
    assert store.releases.get(5).tag_name == "v1.0.0"
    assert store.runs.get(17).run_number == 4
    assert store.jobs.get(88).log.startswith("Set up job")
    invite = store.invites.get(3)
    assert (invite.username, invite.email, invite.created_at) == (
        "kund1", "kund@ex.se", "2026-05-13T07:00:00Z")


def test_later_files_change_and_add(tmp_path):
    store = world(tmp_path, """
        users:
          - {login: eva, full_name: Eva}
        """, """
        users:
          - {login: eva, full_name: Eva Ek}
          - {login: per}
        """)
    assert [u.full_name for u in store.users] == ["Eva Ek", "per"]


def test_generation_is_deterministic(tmp_path):
    seed = """
        generate:
          users: 20
          repos_per_user: 1-3
          issues_per_repo: 0-5
          comments_per_issue: 0-2
          pulls_per_repo: 0-2
          releases_per_repo: 0-2
          runs_per_repo: 0-2
        """
    first = world(tmp_path, seed).snapshot()
    assert first == world(tmp_path, seed).snapshot()
    assert first != world(tmp_path, seed, faker_seed=1).snapshot()
    users = first["tables"]["users"]
    assert len(users) == 20
    assert all(len(c["sha"]) == 40 for c in first["tables"]["commits"])


@pytest.mark.parametrize("text, expected", [
    ("users: [", "not valid YAML"),
    ("- a\n- b", "top level must be a mapping"),
    ("people: []", "unknown section 'people'"),
    ("users: {login: a}", "'users' must be a list"),
    ("users:\n  - {email: a@b.se}", "users[0]: field 'login' is required"),
    ("users:\n  - {login: anna, role: king}", "users[0] (anna): field 'role' must be one of"),
    ("users:\n  - {login: anna, twofa_secret: '1!'}", "field 'twofa_secret'"),
    ("users:\n  - {login: anna, keys: [{key: ssh-ed25519 AAAA}]}", "keys[0]: field 'key'"),
    ("users:\n  - {login: anna, id: 1}\n  - {login: bo, id: 1}", "field 'id' 1 is used twice"),
    ("users:\n  - {login: anna, invited_by: ghost}", "field 'invited_by' names unknown user"),
    ("users:\n  - {login: anna, colour: red}", "unknown field 'colour'"),
    ("repos:\n  - {full_name: nobody/x}", "names unknown user 'nobody'"),
    ("users: [{login: a}]\nrepos:\n  - {full_name: a/x, issues: [{title: T}]}",
     "issues[0]: field 'user' is required"),
    ("users: [{login: a}]\nrepos:\n  - {full_name: a/x, created_at: yesterday}",
     "field 'created_at' must be a time"),
    ("users: [{login: a}]\nrepos:\n  - {full_name: a/x, created_at: 2026-05-13}",
     "field 'created_at' must be a time"),
    ("generate: {users: many}", "generate: field 'users' must be a count"),
    ("generate: {users: 1, locale: xx_XX}", "unknown locale"),
])
def test_broken_seed_names_file_entry_and_field(tmp_path, text, expected):
    with pytest.raises(SeedError) as problem:
        world(tmp_path, text)
    message = str(problem.value)
    assert message.startswith(str(tmp_path / "seed0.yaml"))
    assert expected in message


def test_serve_reports_a_broken_seed_in_one_line(tmp_path):
    from click.testing import CliRunner

    from mockhub.cli import main

    path = tmp_path / "bad.yaml"
    path.write_text("users:\n  - {login: anna, role: king}\n")
    result = CliRunner().invoke(main, ["serve", "--seed", str(path), "--port", "0"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"seed error: {path}: users[0] (anna): field 'role'" in result.output


def test_generated_shas_depend_on_the_faker_seed(tmp_path):
    seed = "generate: {users: 2, repos_per_user: 1, runs_per_repo: 1}"
    shas = [[c["sha"] for c in world(tmp_path, seed, faker_seed=n).snapshot()["tables"]["commits"]]
            for n in (0, 0, 1)]
    assert shas[0] == shas[1] != shas[2]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_unzoned_seed_times_are_utc_on_every_machine(tmp_path, monkeypatch, zone):
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        store = world(tmp_path, "users:\n  - {login: a, created_at: 2026-05-13 08:00:00}")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert store.users.find("login", "a").created_at == "2026-05-13T08:00:00Z"


def test_seed_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("users:\n  - {login: a, full_name: J\u00f6rgen}\n".encode("latin-1"))
    with pytest.raises(SeedError, match="not UTF-8"):
        build_store(Settings(seeds=[str(path)]), Clock())
