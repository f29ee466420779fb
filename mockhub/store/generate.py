"""The `generate:` section of a seed: Faker-made users, repos, issues and the rest.

Faker is slow (thousands of profiles a second), so it only fills small pools of names and
sentences; a seeded RNG combines them. The same faker seed gives the same world every run.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from mockhub.clock import ISO_FORMAT
from mockhub.errors import SeedError
from mockhub.store import models as m
from mockhub.store.base import StoreBase, hash_password

COUNTS = ("users", "repos_per_user", "issues_per_repo", "comments_per_issue", "pulls_per_repo",
          "releases_per_repo", "runs_per_repo", "jobs_per_run")
OPTIONS = (*COUNTS, "locale", "private_ratio")
POOL = 400
EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: generated times fall after this
SPAN = 130 * 86_400  # ... and before the reference's examples in May 2026


def _range(spec: Any, field: str, file: str) -> tuple[int, int]:
    if isinstance(spec, int) and not isinstance(spec, bool) and spec >= 0:
        return spec, spec
    if isinstance(spec, str) and re.fullmatch(r"\d+-\d+", spec):
        low, high = (int(x) for x in spec.split("-"))
        if low <= high:
            return low, high
    raise SeedError(f"{file}: generate: field '{field}' must be a count like 5 or a range "
                    f"like 2-6, not {spec!r}.")


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "user"


def _stamp(rng: random.Random) -> str:
    return datetime.fromtimestamp(EPOCH + rng.randrange(SPAN), UTC).strftime(ISO_FORMAT)


def generate(store: StoreBase, spec: dict[str, Any], faker_seed: int, file: str,
             password: str) -> None:
    unknown = set(spec) - set(OPTIONS)
    if unknown:
        raise SeedError(f"{file}: generate: unknown field '{sorted(unknown)[0]}' "
                        f"(expected: {', '.join(OPTIONS)}).")
    ranges = {name: _range(spec.get(name, 0), name, file) for name in COUNTS}
    ranges["jobs_per_run"] = _range(spec.get("jobs_per_run", "1-3"), "jobs_per_run", file)
    locale = spec.get("locale", "sv_SE")
    private_ratio = spec.get("private_ratio", 0.2)
    if not isinstance(private_ratio, (int, float)) or not 0 <= private_ratio <= 1:
        raise SeedError(f"{file}: generate: field 'private_ratio' must be between 0 and 1.")

    from faker import Faker

    try:
        fake = Faker(locale)
    except AttributeError:
        raise SeedError(f"{file}: generate: field 'locale' names unknown locale "
                        f"'{locale}'.") from None
    fake.seed_instance(faker_seed)
    rng = random.Random(f"mockhub-generate:{faker_seed}")
    names = [(fake.first_name(), fake.last_name()) for _ in range(POOL)]
    cities = [fake.city() for _ in range(50)]
    words = [_slug(fake.word()) for _ in range(POOL)]
    sentences = [fake.sentence(nb_words=6).rstrip(".") for _ in range(POOL)]
    paragraphs = [fake.paragraph(nb_sentences=3) for _ in range(POOL // 4)]

    def count(name: str) -> int:
        low, high = ranges[name]
        return rng.randint(low, high)

    users = []
    for _ in range(ranges["users"][0] if ranges["users"][0] == ranges["users"][1]
                   else count("users")):
        first, last = rng.choice(names)
        base = _slug(f"{first}.{last}").replace("-", "")[:30] or "user"
        login, suffix = base, 1
        while store.users.find("login", login):
            suffix += 1
            login = f"{base}{suffix}"
        user_id = store.next_id(store.users)
        users.append(store.users.put(m.User(
            id=user_id, login=login, email=f"{login}@example.se", full_name=f"{first} {last}",
            role="user", password_hash=hash_password(user_id, password), created_at=_stamp(rng),
            location=rng.choice(cities))))
    everyone = list(store.users)
    for owner in users:
        for _ in range(count("repos_per_user")):
            _repo(store, rng, owner, everyone, words, sentences, paragraphs, count,
                  private_ratio)


def _repo(store: StoreBase, rng: random.Random, owner: m.User, everyone: list[m.User],
          words: list[str], sentences: list[str], paragraphs: list[str], count: Any,
          private_ratio: float) -> None:
    name = f"{rng.choice(words)}-{rng.choice(words)}"
    while store.repos.find("name", (owner.id, name)):
        name = f"{name}-{rng.randrange(100)}"
    created = _stamp(rng)
    repo = m.Repo(id=store.next_id(store.repos), owner_id=owner.id, name=name,
                  created_at=created, updated_at=created, description=rng.choice(sentences),
                  private=rng.random() < private_ratio)
    store.files.put(m.File(id=store.next_id(store.files), repo_id=repo.id, path="README.md",
                           content=f"# {name}\n\n{rng.choice(paragraphs)}\n"))
    store.commits.put(m.Commit(id=store.next_id(store.commits), repo_id=repo.id,
                               sha=f"{rng.getrandbits(160):040x}", message="Initial commit",
                               author_name=owner.login, author_email=owner.email, date=created))
    issues = count("issues_per_repo")
    for number in range(1, issues + 1):
        author = rng.choice(everyone)
        state = "closed" if rng.random() < 0.3 else "open"
        stamp = _stamp(rng)
        issue = store.issues.put(m.Issue(
            id=store.next_id(store.issues), repo_id=repo.id, number=number,
            title=rng.choice(sentences), user_id=author.id, created_at=stamp, updated_at=stamp,
            body=rng.choice(paragraphs), state=state,
            closed_at=stamp if state == "closed" else None))
        for _ in range(count("comments_per_issue")):
            store.comments.put(m.Comment(
                id=store.next_id(store.comments), repo_id=repo.id,
                user_id=rng.choice(everyone).id, body=rng.choice(sentences),
                created_at=_stamp(rng), issue_id=issue.id))
    pulls = count("pulls_per_repo")
    for number in range(1, pulls + 1):
        store.pulls.put(m.Pull(
            id=store.next_id(store.pulls), repo_id=repo.id, number=number,
            title=rng.choice(sentences), user_id=rng.choice(everyone).id,
            head=f"feature/{rng.choice(words)}", base="main", created_at=_stamp(rng),
            body=rng.choice(paragraphs), state=rng.choice(("open", "open", "closed", "merged"))))
    for index in range(count("releases_per_repo")):
        tag = f"v{index // 3 + 1}.{index % 3}.0"
        store.releases.put(m.Release(
            id=store.next_id(store.releases), repo_id=repo.id, tag_name=tag, name=tag,
            published_at=_stamp(rng), body=rng.choice(paragraphs)))
    for run_number in range(1, count("runs_per_repo") + 1):
        status = rng.choice((*m.RUN_STATUSES[2:], "success", "success"))
        stamp = _stamp(rng)
        run = store.runs.put(m.Run(
            id=store.next_id(store.runs), repo_id=repo.id, run_number=run_number, status=status,
            head_branch="main", head_sha=f"{rng.getrandbits(28):07x}",
            created_at=stamp))
        for job_index in range(count("jobs_per_run")):
            job_name = ("build", "test", "lint", "deploy")[job_index % 4]
            store.jobs.put(m.Job(
                id=store.next_id(store.jobs), run_id=run.id, name=job_name, status=status,
                started_at=stamp, completed_at=stamp,
                log=f"Set up job\nRun actions/checkout@v4\nRun make {job_name}\n"
                    f"Job {'succeeded' if status == 'success' else status}\n"))
    store.repos.put(replace(repo, next_issue_number=issues + 1, next_pull_number=pulls + 1))
