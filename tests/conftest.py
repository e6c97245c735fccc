"""Shared fixtures: copies of the repository's project and of a made-up second city, and helpers to
break them in one place and find the line that was broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from commdata import api
from commdata.cli import main

REPO = Path(__file__).resolve().parents[1]
SECOND_CITY = Path(__file__).resolve().parent / "fixtures" / "second-city"
SECOND_CITY_FILE = "data/meetings/539900-cpc-c04-p06.yaml"


def run(*args: str):
    """Run the CLI; return Click's result (exit_code, output)."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def run_json(*args: str) -> tuple[int, dict]:
    result = run(*args, "--format", "json")
    return result.exit_code, json.loads(result.output)


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in a file (it must occur ``count`` times); return the 1-based line
    of its first occurrence."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def copy_project(source: Path, destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in ("data", "schemas"):
        if (source / name).exists():
            shutil.copytree(source / name, destination / name)
    if (source / "datapackage.json").exists():
        shutil.copy2(source / "datapackage.json", destination / "datapackage.json")
    return destination


@pytest.fixture
def hohhot(tmp_path: Path) -> Path:
    """A copy of the repository's own project (records, sources, generated files)."""
    return copy_project(REPO, tmp_path / "hohhot")


@pytest.fixture
def second_city(tmp_path: Path) -> Path:
    """A made-up city's project, with its schemas and package generated."""
    root = copy_project(SECOND_CITY, tmp_path / "second-city")
    api.write_schemas(root)
    assert api.build(root).report.ok
    return root
