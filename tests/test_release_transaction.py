"""A release is a transaction (issue 16): every precondition is checked before anything changes, and a
release killed at any point (kill -9, real subprocesses) is finished or undone by the next run, which
says which; no version is ever recorded without its archive, nor skipped.

Each kill runs `commdata release` in a process group of its own on a copy of the made-up second city
and kills the group with SIGKILL after a random time within one uninterrupted release's duration
(seeded: the same points on every run; COMMDATA_RELEASE_KILLS sets how many, 9 by default). Then:
- before recovery, nothing a reader sees has changed unless the release reached its commit point;
- recovery (what every `commdata release` does first) says what it finished or undid, and leaves a
  project and dist/ that hold exactly the releases of the manifests: each with its folder, archive
  and database, SHA256SUMS checking, written after the archives, the changelog with one section per
  release, and data/package.yaml and the package at the last released version;
- the next release gets the next version.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import pytest

from commdata import api

from conftest import run
from test_releases import add_target

KILLS = int(os.environ.get("COMMDATA_RELEASE_KILLS", "9"))
NAME = "commdata-fixture"
FIRST, NEXT = "1.2.3", "1.3.0"  # the second city's first release, and the minor one after it
DATE = "2026-11-28"


def command(project: Path) -> list[str]:
    return [sys.executable, "-m", "commdata", "release", str(project), "--bump", "minor", "--date", DATE,
            "--dist", str(project / "dist")]


def visible(project: Path) -> dict[str, str]:
    """Every file a reader sees (working folders left out), by path, with its SHA-256."""
    return {path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(project.rglob("*")) if path.is_file()
            and not any(part.startswith(".commdata-") for part in path.relative_to(project).parts)}


def released_versions(project: Path) -> list[str]:
    return sorted(path.stem for path in (project / "data" / "releases").glob("*.json")) \
        if (project / "data" / "releases").is_dir() else []


def assert_consistent(project: Path) -> list[str]:
    """The project and dist/ hold exactly the releases its manifests record; the versions recorded."""
    versions = released_versions(project)
    dist = project / "dist"
    assert not [path for path in project.glob(".commdata-release-*")], "a working folder is left in the project"
    assert not [path for path in dist.glob(".commdata-*")] if dist.exists() else True, "a working folder is left in dist"
    package_yaml = (project / "data" / "package.yaml").read_text(encoding="utf-8")
    descriptor = json.loads((project / "datapackage.json").read_text(encoding="utf-8"))
    assert f"version: {versions[-1] if versions else FIRST}\n" in package_yaml
    assert descriptor["version"] == (versions[-1] if versions else FIRST)
    changelog = (project / "CHANGELOG.md").read_text(encoding="utf-8") if (project / "CHANGELOG.md").exists() else ""
    assert re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M) == versions[::-1]
    assert versions in ([], [FIRST], [FIRST, NEXT]), f"a version was skipped: {versions}"
    expected = {f"{NAME}-{version}{suffix}" for version in versions for suffix in ("", ".zip", ".duckdb")}
    found = {path.name for path in dist.iterdir() if path.name != "SHA256SUMS"} if dist.exists() else set()
    assert found == expected, f"dist holds {sorted(found)}, the manifests say {sorted(expected)}"
    if versions:
        sums = dist / "SHA256SUMS"
        listed = {line.split("  ")[1] for line in sums.read_text(encoding="utf-8").splitlines()}
        assert listed == {name for name in expected if name.endswith((".zip", ".duckdb"))}
        assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dist).returncode == 0
        assert all((dist / name).stat().st_mtime <= sums.stat().st_mtime for name in listed), \
            "SHA256SUMS was written before an archive it lists"
    return versions


@pytest.fixture
def project(second_city: Path) -> Path:
    """The second city, built, before its first release; git-free (the release needs no repository)."""
    return second_city


def test_a_release_without_duckdb_changes_nothing(project: Path, tmp_path: Path) -> None:
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "duckdb.py").write_text("raise ImportError('DuckDB is not installed (a stub)')\n", encoding="utf-8")
    before = visible(project)
    result = subprocess.run(command(project), capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": f"{stub}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    assert result.returncode == 1 and "DuckDB" in result.stderr, result.stderr
    assert visible(project) == before
    assert not (project / "dist").exists()
    assert not list(project.glob(".commdata-*"))


def test_a_refused_bump_changes_nothing(project: Path) -> None:
    assert run("release", project, "--bump", "minor", "--date", DATE, "--dist", project / "dist").exit_code == 0
    add_target(project)  # an addition: it needs a minor release
    assert api.build(project).report.ok
    before = visible(project)
    result = run("release", project, "--bump", "patch", "--date", DATE, "--dist", project / "dist")
    assert result.exit_code == 1 and "need a minor release" in result.output
    assert visible(project) == before and not list(project.glob(".commdata-*"))
    assert not list((project / "dist").glob(".commdata-*"))


STAGING, COMMIT = ".commdata-release-staging-", ".commdata-release-commit-"


def _seen(project: Path, prefix: str) -> bool:
    return any(entry.name.startswith(prefix) for entry in os.scandir(project))


def _release_until(project: Path, prefix: str | None, delay: float,
                   timings: dict[str, float] | None = None, argv: list[str] | None = None) -> None:
    """Run a release on ``project`` and kill its process group (SIGKILL) ``delay`` seconds after its start,
    or after a working folder named ``prefix`` first appears; with ``timings``, let it run to its end and
    note when its staging and commit folders appeared and when it ended. ``argv``: another command."""
    started = time.monotonic()
    process = subprocess.Popen(argv or command(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while prefix is not None and process.poll() is None and not _seen(project, prefix):
            time.sleep(0.002)
        while timings is not None and process.poll() is None:
            for name, folder in (("staging", STAGING), ("commit", COMMIT)):
                if name not in timings and _seen(project, folder):
                    timings[name] = time.monotonic() - started
            time.sleep(0.002)
        process.wait(timeout=delay if timings is None else 300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if timings is not None:
        timings["end"] = time.monotonic() - started
        assert process.returncode == 0


def _killed(base: Path, folder: Path, prefix: str | None, delay: float) -> tuple[Path, dict[str, str]]:
    """A copy of ``base`` whose release was killed (see _release_until); the files it held before."""
    project = Path(shutil.copytree(base, folder, symlinks=True))
    before = visible(project)
    _release_until(project, prefix, delay)
    return project, before


def test_a_killed_release_is_finished_or_undone_and_no_version_is_skipped(project: Path, tmp_path: Path) -> None:
    timed = Path(shutil.copytree(project, tmp_path / "timed"))
    timings: dict[str, float] = {}
    _release_until(timed, None, 0, timings)
    assert assert_consistent(timed) == [FIRST] and {"staging", "commit"} <= timings.keys(), timings
    # Kills at random points of three spans, a third each: anywhere from the start (starting up, checking,
    # staging), while staging, and after the commit point (applying). Two run at a time, one per core,
    # each slower than one alone: the first two spans are stretched.
    spans = [(None, 1.5 * timings["end"]), (STAGING, 1.5 * (timings["commit"] - timings["staging"])),
             (COMMIT, timings["end"] - timings["commit"])]
    chosen = random.Random(16)
    plan = [(spans[kill % 3][0], chosen.uniform(0, spans[kill % 3][1])) for kill in range(KILLS)]
    with ThreadPoolExecutor(2) as pool:
        killed = list(pool.map(lambda item: _killed(project, tmp_path / f"kill-{item[0]}", *item[1]), enumerate(plan)))
    outcomes: dict[str, int] = {}
    for (copy, before), (after, delay) in zip(killed, plan):
        committed = list(copy.glob(".commdata-release-commit-*"))
        if not committed:  # before the commit point nothing a reader sees changes (or it had all changed)
            assert visible(copy) == before or released_versions(copy) == [FIRST], \
                f"killed {delay:.2f} s after {after or 'its start'}, before its commit point, the release changed the project"
        staged = list(copy.glob(".commdata-release-staging-*"))
        said = api.recover_release(copy)
        if committed:
            assert said == [f"finished release {FIRST}, which was stopped after it was committed"]
            outcomes["finished"] = outcomes.get("finished", 0) + 1
        elif staged:
            assert said == [f"undid release {FIRST}, which was stopped before it was committed: nothing of it remains"]
            assert visible(copy) == before
            outcomes["undone"] = outcomes.get("undone", 0) + 1
        else:
            assert said == []
            outcomes["before or after"] = outcomes.get("before or after", 0) + 1
        versions = assert_consistent(copy)
        assert versions in ([], [FIRST]), f"killed {delay:.2f} s after {after or 'its start'}: {versions}"
        if versions:
            assert (copy / "dist" / f"{NAME}-{FIRST}" / "datapackage.json").read_bytes() == \
                (timed / "dist" / f"{NAME}-{FIRST}" / "datapackage.json").read_bytes()
    print(f"{KILLS} kills of releases that take {timings}: {outcomes}")
    # The next release after an interrupted one gets the version that comes next, never one skipped.
    copy = next((copy for copy, _ in killed if released_versions(copy) == [FIRST]), killed[0][0])
    versions = released_versions(copy)
    result = subprocess.run(command(copy), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"released {NEXT if versions else FIRST}" in result.stdout
    assert assert_consistent(copy) == [*versions, NEXT if versions else FIRST]


# Runs `commdata ARGS…` and stops for good (printing "paused") just before the first os.rename or
# os.replace whose destination's name contains MARK: the test then kills it at that very point.
PAUSING = r"""
import os, sys, time
mark, args = sys.argv[1], sys.argv[2:]
def pausing(real):
    def call(source, destination, *rest, **options):
        if mark in os.path.basename(os.fsdecode(destination)):
            print("paused", flush=True)
            time.sleep(600)
        return real(source, destination, *rest, **options)
    return call
os.rename, os.replace = pausing(os.rename), pausing(os.replace)
from commdata.cli import main
main(args)
"""


@pytest.mark.parametrize(("mark", "said"), [
    (COMMIT, "undid the rebuild of release {version}, which was stopped before it was committed: nothing of it "
             "remains"),  # killed just before its commit point
    (".zip", "finished the rebuild of release {version}, which was stopped after it was committed"),  # folder in place
])
def test_a_killed_rebuild_is_finished_or_undone(project: Path, tmp_path: Path, mark: str, said: str) -> None:
    """`release --rebuild` writes into dist through the same transaction as a release, its journal in
    dist (the project may be read-only): killed before or after its commit point, the next run says
    which, no working folder stays, dist holds the whole release or none of it, and a rebuild after
    that writes the same archive as the release did."""
    dist = project / "dist"
    assert run("release", project, "--bump", "minor", "--date", DATE, "--dist", dist).exit_code == 0
    archive = (dist / f"{NAME}-{FIRST}.zip").read_bytes()
    outputs = [dist / f"{NAME}-{FIRST}", dist / f"{NAME}-{FIRST}.zip", dist / f"{NAME}-{FIRST}.duckdb"]
    shutil.rmtree(outputs[0])  # lost: the rebuild writes them again
    outputs[1].unlink()
    outputs[2].unlink()
    child = subprocess.Popen([sys.executable, "-c", PAUSING, mark, "release", str(project), "--rebuild", "--dist",
                              str(dist)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "paused\n", child.stderr.read()
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    assert list(dist.glob(".commdata-release-*")), "the rebuild's journal is in dist"
    assert not list(project.glob(".commdata-*")), "a rebuild writes nothing into the project"
    assert api.recover_release(project) == [said.format(version=FIRST)]
    assert not list(dist.glob(".commdata-*"))
    present = [path.exists() for path in outputs]
    assert present == [mark != COMMIT] * 3
    if mark == COMMIT:
        assert run("release", project, "--rebuild", "--dist", dist).exit_code == 0
    assert outputs[1].read_bytes() == archive
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dist).returncode == 0


def test_a_rebuild_writes_nothing_into_the_project(project: Path, tmp_path: Path) -> None:
    """So that it can check a read-only checkout: not even a working folder made and removed again (a
    folder's modification time changes with every entry made or removed in it)."""
    assert run("release", project, "--bump", "minor", "--date", DATE, "--dist", project / "dist").exit_code == 0
    folders = [project, *(path for path in project.rglob("*") if path.is_dir() and "dist" not in path.parts)]
    before = {folder: folder.stat().st_mtime_ns for folder in folders}
    time.sleep(0.01)  # past the file system's timestamp granularity
    result = run("release", project, "--rebuild", "--dist", tmp_path / "check")
    assert result.exit_code == 0, result.output
    assert {folder: folder.stat().st_mtime_ns for folder in folders} == before
    assert (tmp_path / "check" / f"{NAME}-{FIRST}.zip").read_bytes() == \
        (project / "dist" / f"{NAME}-{FIRST}.zip").read_bytes()


def test_a_forged_journal_is_not_followed(project: Path, tmp_path: Path) -> None:
    """A clone or a dist may carry working folders it did not get from commdata: recovery deletes only
    the folders themselves, never what their journals name (a folder outside, a file of the project
    under another name), and says so."""
    victim = tmp_path / "victim"
    (victim / "keep").mkdir(parents=True)
    (victim / "keep" / "file.txt").write_text("mine", encoding="utf-8")
    dist = project / "dist"
    dist.mkdir()
    forged = {
        project / f"{STAGING}0001": {"version": FIRST, "name": NAME, "dist": str(tmp_path), "dist_staging": str(victim),
                                     "project": []},
        project / f"{COMMIT}0002": {"version": FIRST, "name": NAME, "dist": str(dist),
                                    "dist_staging": str(dist / ".commdata-release-0002"), "project": ["../outside.txt"]},
        dist / f"{STAGING}0003": {"version": FIRST, "name": "../..", "dist": str(dist),
                                  "dist_staging": str(dist / ".commdata-rebuild-0003"), "project": []},
        dist / f"{COMMIT}0004": {"version": "1.2.3\n", "name": NAME, "dist": str(victim.parent),
                                 "dist_staging": str(victim), "project": [], "rebuild": True},
    }
    for folder, journal in forged.items():
        folder.mkdir()
        (folder / "release.json").write_text(json.dumps(journal), encoding="utf-8")
    (project / f"{COMMIT}0002" / "project").mkdir()
    (project / f"{COMMIT}0002" / "project" / "outside.txt").write_text("forged", encoding="utf-8")
    said = api.recover_release(project)
    assert (victim / "keep" / "file.txt").read_text(encoding="utf-8") == "mine"
    assert not (project.parent / "outside.txt").exists()
    assert not [folder for folder in forged if folder.exists()]
    assert sorted(said) == sorted([f"removed {COMMIT}0002, whose journal is not one commdata writes",
                                   f"removed {COMMIT}0004, whose journal is not one commdata writes",
                                   *["undid release (unknown version), which was stopped before it was committed: "
                                     "nothing of it remains"] * 2])


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / f"{NAME}-{FIRST}.zip").write_text("not a release", encoding="utf-8")
    (victim / "secret.txt").write_text("secret", encoding="utf-8")
    return victim


def _forge(folder: Path, **journal: Any) -> Path:
    folder.mkdir(parents=True)
    (folder / "release.json").write_text(json.dumps(journal), encoding="utf-8")
    return folder


def _forged_link_in_dist(project: Path, victim: Path) -> None:
    """dist's working folder for this token is a link to the victim: following it would move its files."""
    (project / "dist" / ".commdata-release-01").symlink_to(victim)
    _forge(project / f"{COMMIT}01", version=FIRST, name=NAME, dist=str(project / "dist"),
           dist_staging=str(project / "dist" / ".commdata-release-01"), project=[])


def _forged_folder_is_a_link(project: Path, victim: Path) -> None:
    _forge(victim / "inner", version=FIRST, name=NAME, dist=str(victim), dist_staging=str(victim / ".commdata-release-01"))
    (project / f"{STAGING}01").symlink_to(victim / "inner")


def _forged_journal_is_special(kind: str) -> Callable[[Path, Path], None]:
    def forge(project: Path, victim: Path) -> None:
        folder = project / f"{STAGING}01"
        folder.mkdir()
        if kind == "fifo":
            os.mkfifo(folder / "release.json")
        elif kind == "dev-zero":
            (folder / "release.json").symlink_to("/dev/zero")
        else:
            (folder / "release.json").write_text("[" * 100_000, encoding="utf-8")
    return forge


def _forged_package_link(project: Path, victim: Path) -> None:
    """A package to write whose table is a link to a file outside: it would be copied into the project."""
    folder = _forge(project / f"{COMMIT}01", version=FIRST, name=NAME, dist=str(project / "dist"),
                    dist_staging=str(project / "dist" / ".commdata-release-01"), project=[])
    (folder / "package" / "data" / "tables").mkdir(parents=True)
    (folder / "package" / "datapackage.json").write_text("{}", encoding="utf-8")
    (folder / "package" / "data" / "tables" / "leak.csv").symlink_to(victim / "secret.txt")


FORGERIES = {"dist-folder-is-a-link": _forged_link_in_dist, "working-folder-is-a-link": _forged_folder_is_a_link,
             "journal-fifo": _forged_journal_is_special("fifo"), "journal-dev-zero": _forged_journal_is_special("dev-zero"),
             "journal-too-deep": _forged_journal_is_special("deep"), "package-with-a-link": _forged_package_link}


@pytest.mark.parametrize("case", list(FORGERIES))
def test_recovery_follows_no_link_and_reads_no_special_journal(case: str, project: Path, tmp_path: Path) -> None:
    assert run("release", project, "--bump", "minor", "--date", DATE, "--dist", project / "dist").exit_code == 0
    victim = _victim(tmp_path)
    before = {path.name: path.read_bytes() for path in victim.iterdir() if path.is_file()}
    released = (project / "dist" / f"{NAME}-{FIRST}.zip").read_bytes()
    FORGERIES[case](project, victim)
    result = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from commdata import api; "
                             "print(api.recover_release(Path(sys.argv[1])))", str(project)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert {path.name: path.read_bytes() for path in victim.iterdir() if path.is_file()} == before
    assert (project / "dist" / f"{NAME}-{FIRST}.zip").read_bytes() == released
    assert not (project / "data" / "tables" / "leak.csv").exists()
    assert not [path for path in project.glob(".commdata-*")]


def test_a_dist_inside_the_data_folder_does_not_lock_twice(project: Path) -> None:
    """The data folder's lock is the release's; a dist there must not be locked again (it would wait for ever)."""
    result = subprocess.run([sys.executable, "-m", "commdata", "release", str(project), "--bump", "minor", "--date", DATE,
                             "--dist", str(project / "data" / "out")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "commdata", "release", str(project), "--rebuild", "--dist",
                             str(project / "data")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
