"""Every command the docs show runs as written.

The commands are read from the docs themselves, so a doc and its test cannot drift apart:
- every line of every ```sh block of README.md and the hand-written docs/*.md (the curator's guide
  has a walkthrough test of its own), and every python block of README.md;
- every example of every command's help (docs/cli.md is generated from the help);
- the sh block of the README that each release carries.

They run in a sandbox: a git repository holding a copy of this project, tagged v<its version>, whose
release has been rebuilt into dist/ (so that `commdata info dist/commdata-X.Y.Z` and `commdata diff
vX.Y.Z HEAD` have something to read). A block runs in the sandbox's root unless an HTML comment just
above it says `<!-- run in: FOLDER -->`. `commdata` commands run through the CLI and must exit 0;
the few other commands a doc shows (sha256sum, python -m zipfile, pip install from the repository at
a tag) run for real, the repository's address replaced by a local clone.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from commdata.cli import main
from commdata.layout import REPOSITORY
from commdata.release.readme import release_readme

from conftest import REPO, run

GENERATED = {"cli.md", "codebook.md", "error-codes.md"}
OWN_TEST = {"curation.md"}  # tests/test_curation_walkthrough.py runs its commands in order
DOCS = [REPO / "README.md"] + sorted(path for path in (REPO / "docs").glob("*.md")
                                     if path.name not in GENERATED | OWN_TEST)
BLOCK = re.compile(r"(?:<!-- run in: (?P<folder>[^ ]+) -->\n)?```(?P<kind>sh|python)\n(?P<body>.*?)```", re.S)


def blocks(path: Path, kind: str) -> list[tuple[str, str]]:
    """(folder to run in, body) of every block of ``kind`` in a document."""
    text = path.read_text(encoding="utf-8")
    return [(match["folder"] or ".", match["body"]) for match in BLOCK.finditer(text) if match["kind"] == kind]


def quickstart(readme: str) -> str:
    return readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]


def shell_lines(body: str) -> list[str]:
    lines = []
    for line in body.splitlines():
        command = line.split("  #", 1)[0].strip()
        if command:
            lines.append(command)
    return lines


def doc_commands() -> list[tuple[str, str, str]]:
    """(document, folder, command) of every sh line of the docs, in order (the quickstart aside:
    tests/test_docs.py and CI run it)."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        skipped = {body for _, body in [("", b) for b in re.findall(r"```sh\n(.*?)```", quickstart(text), re.S)]} \
            if path.name == "README.md" else set()
        for folder, body in blocks(path, "sh"):
            if body not in skipped:
                found += [(path.name, folder, line) for line in shell_lines(body)]
    return found


def help_examples() -> list[str]:
    """Every example line of every command's help, as the generated reference shows them."""
    examples = []
    for help_text in [run("--help").output] + [run(name, "--help").output for name in sorted(main.commands)]:
        if "Example:" in help_text:
            examples += [line.split("  #", 1)[0].strip() for line in help_text.split("Example:", 1)[1].splitlines()
                         if line.strip().startswith("commdata ")]
    return examples


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with a copy of the project, tagged at its version, its release rebuilt in dist/."""
    root = tmp_path_factory.mktemp("docs") / "project"
    root.mkdir()
    for name in ("data", "schemas", "docs"):
        shutil.copytree(REPO / name, root / name)
    for name in ("datapackage.json", "CHANGELOG.md", "CITATION.cff", "README.md"):
        shutil.copy2(REPO / name, root / name)
    version = yaml.safe_load((root / "data/package.yaml").read_text(encoding="utf-8"))["version"]
    git = ["git", "-c", "user.name=docs", "-c", "user.email=docs@example.invalid", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "the project"], check=True)
    subprocess.run([*git, "tag", f"v{version}"], check=True)
    result = run("release", root, "--rebuild", "--dist", root / "dist")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def clone_at_tag(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository with its version tagged: what pip installs from GitHub, locally."""
    clone = tmp_path_factory.mktemp("clone") / "commdata"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    version = yaml.safe_load((clone / "data/package.yaml").read_text(encoding="utf-8"))["version"]
    subprocess.run(["git", "-C", str(clone), "tag", "-f", f"v{version}"], check=True, capture_output=True)
    return clone


_INSTALLED: set[str] = set()


def _install(spec: str, target: Path) -> None:
    """pip install ``spec`` (once per test run: it builds the package) into ``target``; the git URL's
    host is spelled ``localhost`` because pip refuses a git+file URL with an empty host."""
    if spec in _INSTALLED:
        return
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), spec],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"pip install {spec!r} failed: {done.stderr}"
    assert (target / "commdata" / "cli" / "__init__.py").is_file() and list(target.glob("commdata-*.dist-info"))
    _INSTALLED.add(spec)


def run_line(line: str, folder: Path, clone: Path | None = None) -> None:
    """Run one documented command in ``folder``, as the reader would, and require success."""
    words = shlex.split(line)
    output = None
    if ">" in words:  # `commdata … > file`: the output goes to the file
        output, words = folder / words[words.index(">") + 1], words[:words.index(">")]
    if words[0] == "commdata":
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(folder)
            result = run(*words[1:])
        assert result.exit_code == 0, f"`{line}` in {folder} exited {result.exit_code}:\n{result.output}"
        if output is not None:
            output.write_text(result.output, encoding="utf-8")
    elif words[:2] == ["sha256sum", "-c"] or words[:3] == ["python", "-m", "zipfile"]:
        command = [sys.executable, *words[1:]] if words[0] == "python" else words
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, f"`{line}` failed: {done.stdout}{done.stderr}"
    elif words[:2] == ["pip", "install"] and len(words) == 3 and words[2].startswith(f"commdata @ git+{REPOSITORY}@v"):
        assert clone is not None, f"`{line}`: no clone to install from"
        _install(words[2].replace(f"git+{REPOSITORY}", f"git+file://localhost{clone}"), clone.parent / "installed")
    else:
        raise AssertionError(f"a doc shows `{line}`, which this test cannot run: teach run_line or change the doc")


def test_the_docs_show_commands_and_the_help_examples() -> None:
    assert len(doc_commands()) >= 4 and len(help_examples()) >= 2 * len(main.commands)


def test_every_sh_command_of_the_docs_runs(sandbox: Path, clone_at_tag: Path) -> None:
    for document, folder, line in doc_commands():
        run_line(line, sandbox / folder, clone_at_tag)


def test_every_example_of_the_help_runs(sandbox: Path) -> None:
    for line in help_examples():
        run_line(line, sandbox)


def test_the_python_blocks_of_the_readme_run(sandbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python_blocks = blocks(REPO / "README.md", "python")
    assert python_blocks
    for folder, body in python_blocks:
        monkeypatch.chdir(sandbox / folder)
        exec(compile(body, "README.md", "exec"), {})


def test_the_release_readme_commands_run(sandbox: Path, clone_at_tag: Path) -> None:
    version = yaml.safe_load((clone_at_tag / "data/package.yaml").read_text(encoding="utf-8"))["version"]
    released = sandbox / "dist" / f"commdata-{version}" / "README.md"  # the release tagged in the clone
    body = re.search(r"```sh\n(.*?)```", released.read_text(encoding="utf-8"), re.S)
    assert body is not None
    for line in shell_lines(body[1]):
        where = released.parent.parent if line.startswith("sha256sum") else released.parent
        run_line(line, where, clone_at_tag)
    assert release_readme.__module__ == "commdata.release.readme"  # the text tested is the one releases write


def test_every_repository_address_in_the_docs_is_the_one_in_pyproject() -> None:
    declared = re.search(r'^Repository = "(.*)"$', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert declared is not None and declared[1] == REPOSITORY
    for path in [REPO / "README.md", *(REPO / "docs").glob("*.md"), REPO / "action.yml", REPO / "CITATION.cff"]:
        for address in re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", path.read_text(encoding="utf-8")):
            assert address == REPOSITORY, f"{path.name} names {address}, not {REPOSITORY}"
        assert "OWNER/" not in path.read_text(encoding="utf-8"), f"{path.name} holds a placeholder"
