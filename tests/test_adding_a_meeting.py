"""Adding data never breaks the tool's tests. A copy of the repository gets two more valid meetings
(the made-up city of tests/fixtures/measure-words, whose records use only the shared codebook's
codes, written with other measure words) the way a curator adds them: the meeting file and its source, then
`commdata build`. Then CI's data step (`commdata validate .`, from .ci/run) and the suite's tests of
the repository's own files run against the copy: all stay green. The rest of the suite never reads
the repository's data/ (the guard below holds it to that), so a new meeting cannot touch it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import MEASURE_WORDS, REPO, run

NOT_COPIED = (".venv", ".git", "__pycache__", "*.egg-info", "dist", "build", ".pytest_cache", ".hypothesis", ".commdata-*")


def ci_data_step() -> list[str]:
    """The command .ci/run checks the repository's data with, as its argument list."""
    [line] = [line for line in (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
              if line.startswith(".venv/bin/commdata validate")]
    return shlex.split(line)


def test_a_clone_with_a_second_meeting_keeps_ci_green(tmp_path: Path) -> None:
    clone = Path(shutil.copytree(REPO, tmp_path / "clone", ignore=shutil.ignore_patterns(*NOT_COPIED)))
    for part in ("meetings", "sources"):
        for path in (MEASURE_WORDS / "data" / part).iterdir():
            shutil.copy(path, clone / "data" / part / path.name)
    before = sorted(path.name for path in (clone / "data/meetings").iterdir())
    assert len(before) >= 3

    result = run("build", clone)
    assert result.exit_code == 0, result.output
    command = ci_data_step()
    command[0] = str(Path(sys.executable).parent / "commdata")  # this environment's commdata
    data_step = subprocess.run(command, cwd=clone, capture_output=True, text=True)
    assert data_step.returncode == 0, data_step.stdout + data_step.stderr
    assert "valid project" in data_step.stdout and "539700" not in data_step.stderr

    environment = {**os.environ, "COMMDATA_CACHE_DIR": str(tmp_path / "cache")}
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "repository",
                            str(clone / "tests")], cwd=clone, capture_output=True, text=True, env=environment)
    assert suite.returncode == 0, suite.stdout[-3000:]
    assert re.search(r"\d+ passed", suite.stdout) and "failed" not in suite.stdout


# The docs' commands name the repository's own files (its source text, its meeting, its release), so
# their test runs them on a copy of the repository's project; it asserts that they run, never what
# rows they show, so a new meeting leaves it green too.
READS_THE_PROJECT_THE_DOCS_NAME = {"test_doc_commands.py"}


def test_no_test_reads_the_repository_s_data() -> None:
    """Tests build on tests/fixtures/; the repository's data/ is CI's data step's alone."""
    readers = re.compile(r'REPO\s*/\s*["\']data|copy_project\(\s*REPO|copytree\(\s*REPO\s*/|run\([^)]*\bREPO\b')
    offenders = [f"{path.name}:{number}" for path in sorted(Path(__file__).parent.glob("test_*.py"))
                 if path.name != Path(__file__).name and path.name not in READS_THE_PROJECT_THE_DOCS_NAME
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if readers.search(line)]
    assert offenders == []
