"""The wheel a user installs carries the seed files and finds the default seed by itself."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(ROOT)], check=True, capture_output=True)
    return next(out.glob("mockhub-*.whl"))


def test_wheel_ships_every_seed_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for seed in (ROOT / "seeds").glob("*.yaml"):
        assert f"mockhub/seeds/{seed.name}" in names
    assert "mockhub/py.typed" in names


def test_installed_package_finds_its_default_seed(wheel, tmp_path):
    # unpacked as pip would install it, away from the checkout
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("from mockhub.store.seeding import default_seed_path as d; p = d(); "
            "print(p); assert p.is_file()")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(site / "mockhub" / "seeds" / "default.yaml")


def test_entry_points_are_declared(wheel):
    archive = zipfile.ZipFile(wheel)
    entry_points = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
    text = archive.read(entry_points).decode()
    assert "mockhub = mockhub.cli:main" in text
    assert "mockhub = mockhub.pytest_plugin" in text


USER_SUITE = '''
import pytest
import requests


def test_fixture(mockhub):
    import sys

    import mockhub as package
    assert package.__file__.startswith(sys.prefix)  # the installed wheel, not a checkout
    token = mockhub.login("anna")
    keys = requests.get(mockhub.api_url + "/me/keys", headers={"Authorization": "token " + token})
    assert keys.json()[0]["title"] == "laptop"
    assert requests.get(mockhub.api_url + "/me", headers={"Authorization": "token extra-token"}
                        ).json()["login"] == "extra"


@pytest.mark.mockhub(clock="2026-05-13T08:00:00Z")
def test_marker(mockhub):
    assert mockhub.clock.now().hour == 8
    with mockhub.fault(path="/me", status=503):
        assert requests.get(mockhub.api_url + "/me").status_code == 503
'''


def test_a_user_suite_runs_against_the_installed_wheel(wheel, tmp_path):
    """A fresh environment with only the wheel installed: no import from this checkout."""
    import site
    import sysconfig

    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                              "get_paths()['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    # dependencies come from this environment (added after the env's own site-packages, and
    # without its .pth files, so this checkout's editable install stays invisible)
    deps = sysconfig.get_paths()["purelib"]
    assert deps in site.getsitepackages()
    Path(purelib, "zz_dependencies.pth").write_text(deps + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_user.py").write_text(USER_SUITE)
    (suite / "extra.yaml").write_text("users:\n  - {login: extra, tokens: [extra-token]}\n")
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--mockhub-seed",
         "default", "--mockhub-seed", "extra.yaml"],
        cwd=suite, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert "2 passed" in result.stdout, result.stdout + result.stderr
