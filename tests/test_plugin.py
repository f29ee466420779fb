"""The pytest plugin as a user meets it: fixtures, marker, options, isolation, xdist.

Each case writes a small test suite and runs it in a fresh pytest process (pytester), so the
plugin is loaded exactly as an installed package loads it: through its entry point.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

HEADER = """
import requests

HEADERS = {"Authorization": "token bob-token"}
"""
CREATES = """
def test_creates(mockhub):
    r = requests.post(mockhub.api_url + "/repos", json={"name": "probe"}, headers=HEADERS)
    assert r.status_code == 201
"""
LISTS = """
def test_lists(mockhub):
    repos = requests.get(mockhub.api_url + "/repos", headers=HEADERS).json()
    assert "probe" not in [r["name"] for r in repos]
"""


def run(pytester: pytest.Pytester, source: str, *args: str, files: dict[str, str] | None = None
        ) -> pytest.RunResult:
    pytester.makepyfile(test_suite=textwrap.dedent(source))
    for name, text in (files or {}).items():
        (pytester.path / name).write_text(textwrap.dedent(text))
    return pytester.runpytest_subprocess(*args)


@pytest.mark.parametrize("first, second", [(CREATES, LISTS), (LISTS, CREATES)],
                         ids=["create-first", "list-first"])
@pytest.mark.parametrize("order", [("-p", "no:randomly"), ("-p", "randomly",
                                                           "--randomly-seed=3")],
                         ids=["file-order", "random-order"])
def test_tests_never_see_each_others_changes(pytester, first, second, order):
    result = run(pytester, HEADER + first + second, *order, "-v")
    result.assert_outcomes(passed=2)
    ran = [line.split("::")[1].split()[0] for line in result.outlines if " PASSED" in line]
    if order[1] == "no:randomly":  # file order: the first written ran first
        assert ran[0] in first


def test_marker_and_options_pick_the_world(pytester):
    extra = """
        users:
          - {login: %s, tokens: [%s-token]}
    """
    source = """
        import pytest, requests

        def login_of(hub, token):
            return requests.get(hub.api_url + "/me",
                                headers={"Authorization": f"token {token}"}).status_code

        def test_session_seed_from_option(mockhub):
            assert login_of(mockhub, "eva-token") == 200   # --mockhub-seed eva.yaml
            assert login_of(mockhub, "per-token") == 401

        @pytest.mark.mockhub(seed=["eva.yaml", "per.yaml"], clock="2026-05-13T08:00:00Z")
        def test_marker_world(mockhub):
            assert login_of(mockhub, "per-token") == 200
            assert mockhub.clock.now().isoformat() == "2026-05-13T08:00:00+00:00"
            (mockhub.__class__.ports).append(mockhub.port)

        @pytest.mark.mockhub(seed=["eva.yaml", "per.yaml"], clock="2026-05-13T08:00:00Z")
        def test_same_marker_same_server(mockhub):
            (mockhub.__class__.ports).append(mockhub.port)

        def test_faker_seed_option(mockhub):
            assert mockhub.runtime.settings.faker_seed == 7

        def test_marker_servers_are_shared():
            from mockhub.testing import MockHub
            assert len(set(MockHub.ports)) <= 1
    """
    conftest = """
        from mockhub.testing import MockHub
        MockHub.ports = []
    """
    result = run(pytester, source, "-p", "no:randomly", "--mockhub-seed", "eva.yaml",
                 "--mockhub-faker-seed", "7",
                 files={"eva.yaml": extra % ("eva", "eva"), "per.yaml": extra % ("per", "per"),
                        "conftest.py": conftest})
    result.assert_outcomes(passed=5)


def test_xdist_workers_get_their_own_ports(pytester):
    source = """
        import os

        def test_one(mockhub, tmp_path_factory):
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            path = tmp_path_factory.getbasetemp().parent.parent / f"port-{worker}"
            path.write_text(str(mockhub.port))

        def test_two(mockhub, tmp_path_factory):
            test_one(mockhub, tmp_path_factory)
    """
    result = run(pytester, source, "-n", "2", "-p", "no:randomly", "--dist", "each")
    result.assert_outcomes(passed=4)
    ports = {p.read_text() for p in pytester.path.rglob("port-gw*")}
    assert len(ports) == 2


def test_plugin_import_is_cheap():
    code = ("import sys, mockhub.pytest_plugin; "
            "print(sorted(m for m in ('flask', 'flask_smorest', 'faker', 'yaml') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_the_examples_pass_on_two_xdist_workers():
    examples = __file__.replace("test_plugin.py", "examples")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "-p",
                             "no:cacheprovider", examples], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "9 passed" in result.stdout


def test_pinned_address_goes_to_the_session_server_whatever_runs_first(pytester):
    import socket

    with socket.socket() as probe:  # a free port to pin
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = f"""
        import pytest

        @pytest.fixture(scope="session")
        def mockhub_listen_address():
            return ("127.0.0.1", {port})

        @pytest.mark.mockhub(clock="2026-05-13T08:00:00Z")
        def test_marker_first(mockhub):
            assert mockhub.port != {port}

        def test_session_server(mockhub):
            assert mockhub.port == {port}
    """
    run(pytester, source, "-p", "no:randomly").assert_outcomes(passed=2)


def test_markers_merge_closest_first_and_refuse_typos(pytester):
    source = """
        import pytest

        pytestmark = pytest.mark.mockhub(seed=["default", "eva.yaml"])

        @pytest.mark.mockhub(clock="2026-05-13T08:00:00Z")
        def test_module_seed_and_own_clock(mockhub):
            assert mockhub.runtime.store.users.find("login", "eva") is not None
            assert mockhub.clock.now().hour == 8

        @pytest.mark.mockhub(seeds=["eva.yaml"])
        def test_typo(mockhub):
            pass
    """
    result = run(pytester, source, "-p", "no:randomly",
                 files={"eva.yaml": "users: [{login: eva}]\n"})
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*unknown argument(s) seeds*"])
