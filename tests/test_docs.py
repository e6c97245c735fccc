"""Docs that cannot rot: generated docs are current, the README's commands are what CI runs, and every
command's help has an example."""

from __future__ import annotations

import re

import pytest

from commdata.cli import main
from commdata.errors import catalogue_markdown

from conftest import REPO, run

pytestmark = pytest.mark.repository  # these read the repository's docs, README and CI script


def test_error_code_docs_are_current() -> None:
    assert (REPO / "docs/error-codes.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_cli_reference_is_current() -> None:
    from commdata.cli.reference import cli_reference
    reference = cli_reference(main)
    assert (REPO / "docs/cli.md").read_text(encoding="utf-8") == reference, "run `commdata docs`"
    assert all(f"## commdata {name}" in reference for name in main.commands)


def test_readme_quickstart_has_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quickstart)
    assert len(commands) == 2
    assert "commdata build" in commands[0] and commands[1] == "bash .ci/run"
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert ".venv/bin/pip install -q -e '.[test]'" in ci and ci.rstrip().endswith(".venv/bin/pytest")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"commdata {command}" in result.output


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert all(name in result.output for name in main.commands)


DOCS = ["README.md", "CHANGELOG.md", "benchmarks/README.md", *(f"docs/{page.name}" for page in (REPO / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS)
def test_every_source_file_a_doc_names_exists(doc: str) -> None:
    """A module or script named in `backticks` (gate.py, package/gate/, src/commdata/package/gate/) is in the
    tree: by its path when one is given (from the repository or from src/commdata/), else by its name
    anywhere under src/, tests/, benchmarks/ and .ci/. Files a user writes or a release holds are not
    looked for."""
    text = (REPO / doc).read_text(encoding="utf-8")
    if doc == "CHANGELOG.md":
        text = text.split("\n## [", 2)[1]  # the unreleased changes: older sections name what was there then
    layers = "|".join(path.name for path in (REPO / "src/commdata").iterdir() if path.is_dir())
    named = set(re.findall(rf"`([\w./-]+\.py|(?:src|tests|benchmarks|{layers})/[\w./-]*)`", text))
    tree = {path.relative_to(REPO).as_posix() for folder in ("src", "tests", "benchmarks", ".ci")
            for path in (REPO / folder).rglob("*") if "__pycache__" not in path.parts}
    names = {path.rsplit("/", 1)[-1] for path in tree}

    def exists(name: str) -> bool:
        name = name.rstrip("/")
        return name in tree or f"src/commdata/{name}" in tree if "/" in name else name in names

    missing = sorted(name for name in named if not exists(name))
    assert not missing, f"{doc} names files that do not exist: {missing}"
