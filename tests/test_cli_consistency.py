"""The CLI is one tool: global options work before or after the command, every command takes the
project or package as a positional PATH (by default the project around the working folder), and a
PATH that does not exist is a usage error everywhere, with nothing written."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from commdata.cli import main

from conftest import SECOND_CITY_FILE, edit, run

PATH_COMMANDS = ["validate", "build", "fix", "schema", "docs", "release", "info", "site", "coverage", "scorecard"]
EXTRA = {"site": ["--out", "page"], "release": ["--bump", "patch"]}


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_takes_the_global_options_after_its_name(command: str) -> None:
    names = {name for parameter in main.commands[command].params for name in (*parameter.opts, *parameter.secondary_opts)}
    assert {"-q", "--quiet", "-v", "--verbose", "--color", "--no-color"} <= names


@pytest.mark.parametrize("command", PATH_COMMANDS)
def test_every_command_takes_what_it_works_on_as_path(command: str) -> None:
    [argument] = [parameter for parameter in main.commands[command].params if isinstance(parameter, click.Argument)]
    assert argument.name == "path" and not argument.required
    assert isinstance(argument.type, click.Path) and argument.type.exists


@pytest.mark.parametrize("command", PATH_COMMANDS)
def test_a_path_that_does_not_exist_is_a_usage_error_and_writes_nothing(command: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(command, "nonexistent", *EXTRA.get(command, []))
    assert result.exit_code == 2, result.output
    assert "'nonexistent' does not exist" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_site_of_a_path_that_does_not_exist_writes_no_page_of_the_working_folder(second_city: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(second_city)
    assert run("site", "nonexistent", "--out", "page").exit_code == 2
    assert not (second_city / "page").exists()
    assert run("site", "--out", "page").exit_code == 0  # no PATH: the project around the working folder
    assert (second_city / "page/index.html").is_file()


def test_quiet_after_the_command_is_quiet(second_city: Path) -> None:
    assert run("validate", second_city).output.startswith(f"{second_city}: valid project")
    for args in (["validate", second_city, "-q"], ["validate", "-q", second_city], ["-q", "validate", second_city]):
        result = run(*args)
        assert (result.exit_code, result.output) == (0, ""), args
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 126000\n")
    result = run("validate", second_city / "data", "--quiet")
    assert result.exit_code == 1
    assert "error[value-mismatch]" in result.output and "problem" not in result.output.splitlines()[-1]


def test_verbose_and_colour_after_the_command(second_city: Path) -> None:
    assert "checked in" in run("validate", second_city / "data", "-v", "--no-cache").output
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 126000\n")
    assert "\x1b[" in run("validate", second_city / "data", "--color").output
    assert "\x1b[" not in run("--color", "validate", second_city / "data", "--no-color").output
    assert "checked in" not in run("validate", second_city / "data", "-v", "-q").output  # quiet wins


@pytest.mark.parametrize("command", ["info", "coverage", "scorecard", "validate"])
def test_without_path_a_command_works_on_the_project_around_the_working_folder(second_city: Path, command: str,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(second_city / "data" / "meetings")
    result = run(command)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["info", "site"])
def test_a_package_command_given_records_says_so(second_city: Path, command: str) -> None:
    result = run(command, second_city / "data", *EXTRA.get(command, []))
    assert result.exit_code == 2 and "holds records, not a package" in result.output


def test_info_of_a_project_is_its_published_package(second_city: Path) -> None:
    assert run("info", second_city).output == run("info", second_city / "datapackage.json").output
