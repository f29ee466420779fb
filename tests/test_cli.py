"""`mockhub serve` as a user starts it: a real process, real HTTP, flags and MOCKHUB_* variables."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

BANNER = re.compile(r"at http://([^/]+):(\d+)/api/v2")


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """Start `python -m mockhub serve --port 0 ...`; yield (base URL, banner)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mockhub", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})})
    try:
        banner = [process.stdout.readline() for _ in range(4)]
        match = BANNER.search(banner[0])
        assert match, banner[0] + process.stderr.read()
        yield f"http://127.0.0.1:{match.group(2)}", "".join(banner)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=5)


def get(url: str, token: str | None = None) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"}
                                     if token else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def test_serve_prints_banner_and_answers():
    with serving() as (base, banner):
        assert "docs: http" in banner and "/api/v2/docs" in banner
        assert "mikael (site_admin)" in banner and "anna (user)" in banner
        assert "'mockhub'" in banner
        assert get(f"{base}/api/v2/me", "anna-token")["login"] == "anna"


@pytest.mark.parametrize("how", ["flag", "env"])
def test_public_url_from_flag_or_environment(how):
    url = "http://forge.test"
    args = ("--public-url", url) if how == "flag" else ()
    env = {"MOCKHUB_PUBLIC_URL": url} if how == "env" else None
    with serving(*args, env=env) as (base, _):
        assert get(f"{base}/api/v2/me", "anna-token")["avatar_url"] == f"{url}/avatars/anna"


def test_non_loopback_host_warns():
    process = subprocess.Popen([sys.executable, "-m", "mockhub", "serve", "--host", "0.0.0.0",
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert "warning: listening on 0.0.0.0" in process.stderr.readline()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=5)


def test_frozen_clock_makes_totp_codes_repeatable():
    codes = []
    for _ in range(2):
        with serving("--clock", "2026-05-13T08:00:00Z") as (base, _):
            codes.append(get(f"{base}/__mockhub/totp/anna")["code"])
    assert codes[0] == codes[1]


def test_totp_command_prints_the_code():
    with serving("--clock", "2026-05-13T08:00:00Z") as (base, _):
        expected = get(f"{base}/__mockhub/totp/anna")["code"]
        result = subprocess.run([sys.executable, "-m", "mockhub", "totp", "anna", "--url", base],
                                capture_output=True, text=True, timeout=10)
    assert result.returncode == 0
    assert result.stdout.startswith(expected)


@pytest.mark.parametrize("args, message", [
    (["--clock", "soon"], "not an ISO time"),
    (["--seed", "/nonexistent.yaml"], "cannot read the seed file"),
])
def test_bad_flags_fail_in_one_line(args, message):
    result = subprocess.run([sys.executable, "-m", "mockhub", "serve", "--port", "0", *args],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_defaults_are_the_settings_defaults(monkeypatch):
    """One source of defaults: what `mockhub serve` uses is what create_app() uses."""
    from dataclasses import asdict

    from mockhub.cli import serve
    from mockhub.settings import Settings

    for name in [name for name in os.environ if name.startswith("MOCKHUB_")]:
        monkeypatch.delenv(name)
    given = serve.make_context("serve", []).params  # no flags, no variables
    given = {name: list(value) if isinstance(value, tuple) else value
             for name, value in given.items()}
    defaults = asdict(Settings())
    del defaults["max_body_bytes"]  # not a flag
    assert given == defaults


def test_starting_the_cli_does_not_import_urllib():
    """urllib.request costs tens of ms on every start; only `mockhub totp` needs it."""
    result = subprocess.run([sys.executable, "-c", "import sys, mockhub.cli; "
                             "print('urllib.request' in sys.modules)"],
                            capture_output=True, text=True, timeout=20)
    assert result.stdout.strip() == "False", result.stderr
