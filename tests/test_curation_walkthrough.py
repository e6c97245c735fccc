"""docs/curation.md is a walk you can test: its walkthrough is read out of the guide (files to save,
commands to run, the output each prints) and run, exactly as written, in a fresh git repository that
holds the frozen Hohhot records as release 0.1.0. The guide and the test cannot drift apart.

In the guide, a fenced block whose paragraph ends with a path in backticks and a colon is a file to
save there (or, after "at the end of", text to add at the end of that file); a `console` block holds commands (`$ ...`) each followed by the output it prints, where
`...` stands for any text (a line of its own: any lines). A command whose output shows a problem or
a diff is expected to exit 1, every other command 0."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from commdata import api

from conftest import HOHHOT, REPO, copy_project

pytestmark = pytest.mark.repository  # it reads the repository's docs/curation.md
GUIDE = REPO / "docs/curation.md"
WALKTHROUGH = "## A new meeting, from its text to a release"


@dataclass(frozen=True)
class Step:
    kind: str  # "file", "append" or "command"
    text: str  # the path, or the command line
    content: str  # the file's text, or the output expected


def walkthrough_steps(guide: str) -> list[Step]:
    """The files and commands of the guide's walkthrough, in order."""
    section = guide.split(WALKTHROUGH, 1)[1].split("\n## ", 1)[0]
    steps = []
    for block in re.finditer(r"```(\w*)\n(.*?)```", section, re.S):
        language, body = block.groups()
        if language == "console":
            for command in re.split(r"^\$ ", body, flags=re.M)[1:]:
                line, _, output = command.partition("\n")
                steps.append(Step("command", line, output))
            continue
        before = section[:block.start()].rstrip()
        appended = re.search(r"at the end of `([^`\s]+)`:$", before)
        if appended:
            steps.append(Step("append", appended[1], body))
            continue
        target = re.search(r"`([^`\s]+)`(?: reads)?:$", before)
        assert target, f"a {language or 'plain'} block in the walkthrough that is neither a file nor a console"
        steps.append(Step("file", target[1], body))
    return steps


def expected_pattern(output: str) -> re.Pattern[str]:
    """The output as shown, with `...` for any text and a line `...` for any lines."""
    parts = []
    for line in output.splitlines(keepends=True):
        if line.strip() == "...":
            parts.append(r"(?:.*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("...")))
    return re.compile("".join(parts))


def expected_exit(output: str) -> int:
    return 1 if re.search(r"error\[|^\+\+\+ ", output, re.M) else 0


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository holding the frozen Hohhot records, built and released as 0.1.0 (tag v0.1.0)."""
    repo = copy_project(HOHHOT, tmp_path / "repo")
    shutil.rmtree(repo / "data/releases")
    shutil.copy(REPO / ".gitignore", repo / ".gitignore")
    home = tmp_path / "home"
    home.mkdir()
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                   "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "LC_ALL": "C.UTF-8",
                   "COMMDATA_CACHE_DIR": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "A curator",
                   "GIT_AUTHOR_EMAIL": "curator@example.invalid", "GIT_COMMITTER_NAME": "A curator",
                   "GIT_COMMITTER_EMAIL": "curator@example.invalid"}
    for command in ("commdata build", "commdata release --bump minor --date 2026-11-28 --note 'The Hohhot records'",
                    "git init -q -b main", "git add -A", "git commit -qm 'Release 0.1.0'", "git tag v0.1.0"):
        done = shell(command, repo, environment)
        assert done.returncode == 0, (command, done.stdout)
    return repo, environment


def shell(command: str, folder: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=folder, env=environment, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def test_the_walkthrough_covers_the_curator_s_day() -> None:
    used = [step.text.split()[1] for step in walkthrough_steps(GUIDE.read_text(encoding="utf-8"))
            if step.kind == "command" and step.text.startswith("commdata ")]
    order = ["draft", "fix", "validate", "build", "diff", "release"]
    assert list(dict.fromkeys(name for name in used if name in order)) == order  # each first used in this order


def test_the_walkthrough_runs_as_written(repository: tuple[Path, dict[str, str]]) -> None:
    repo, environment = repository
    started = time.perf_counter()
    for step in walkthrough_steps(GUIDE.read_text(encoding="utf-8")):
        if step.kind == "append":
            with (repo / step.text).open("a", encoding="utf-8") as file:
                file.write(step.content)
            continue
        if step.kind == "file":
            (repo / step.text).parent.mkdir(parents=True, exist_ok=True)
            (repo / step.text).write_text(step.content, encoding="utf-8")
            continue
        done = shell(step.text, repo, environment)
        assert expected_pattern(step.content).fullmatch(done.stdout), f"$ {step.text}\n{done.stdout}"
        assert done.returncode == expected_exit(step.content), f"$ {step.text} exited {done.returncode}"
    elapsed = time.perf_counter() - started
    assert api.validate(repo).ok
    assert (repo / "dist/commdata-0.2.0.zip").is_file()
    assert shell("git status --porcelain && git tag", repo, environment).stdout == "v0.1.0\nv0.2.0\n"
    print(f"walkthrough commands: {elapsed:.1f} s")  # the figure the guide and the README quote


@pytest.mark.parametrize(("shown", "printed", "matches"), [
    ("wrote 19 files (... bytes) into .\n", "wrote 19 files (231,056 bytes) into .\n", True),
    ("wrote 19 files (... bytes) into .\n", "wrote 18 files (231,056 bytes) into .\n", False),
    ("first\n...\nlast\n", "first\nany\nlines\nlast\n", True),
    ("first\n...\nlast\n", "first\nlast\n", True),
    ("first\nlast\n", "first\nlast\nmore\n", False),
])
def test_the_output_pattern(shown: str, printed: str, matches: bool) -> None:
    assert bool(expected_pattern(shown).fullmatch(printed)) == matches
