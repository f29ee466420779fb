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
