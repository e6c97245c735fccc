"""The check cache: a second validation reuses what did not change and never gives a stale answer.

Each test compares a validation that may use the cache with one that cannot (a fresh, empty cache):
they must report exactly the same problems, lines included.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import edit, run, run_json

from commdata import api
from commdata.records.cache import KEEP_DAYS, USED_STAMP, VERSION_NAME_LENGTH, CheckCache

FOLLOWING = Path(__file__).resolve().parent / "fixtures" / "following-year" / "data"
MEETING = "meetings/150100-cpc-c13-p07.yaml"
SOURCE = "sources/hohhot-cpc-c13-p07-communique.txt"


@pytest.fixture
def data(hohhot: Path) -> Path:
    """The repository's records and the invented following-year meeting, as a data folder (a folder
    of records, not a project, is validated from the facts alone and so uses the cache)."""
    for folder in ("meetings", "sources"):
        for path in (FOLLOWING / folder).iterdir():
            shutil.copy(path, hohhot / "data" / folder / path.name)
    return hohhot / "data"


@pytest.fixture
def cache(tmp_path: Path) -> CheckCache:
    return CheckCache.open(tmp_path / "cache")


def stored_entries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and path.name != USED_STAMP]


def problems(report: api.Report) -> list[dict]:
    return [problem.as_dict() for problem in report.problems]


def assert_same_as_uncached(path: Path, cache: CheckCache) -> api.Report:
    cached = api.validate(path, cache=cache)
    fresh = api.validate(path, cache=None)
    assert problems(cached) == problems(fresh)
    assert cached.counts == fresh.counts
    return cached


def test_a_second_run_reuses_every_unchanged_file(data: Path, cache: CheckCache) -> None:
    first = api.validate(data, cache=cache)
    assert first.ok and first.cached_files == 0
    second = api.validate(data, cache=cache)
    assert second.ok and second.cached_files == 2 == second.counts["files"]
    assert second.counts == first.counts


def test_a_changed_meeting_file_is_checked_again(data: Path, cache: CheckCache) -> None:
    api.validate(data, cache=cache)
    line = edit(data / MEETING, "quote_start: 263\n    quote_end: 275", "quote_start: 264\n    quote_end: 276")
    report = assert_same_as_uncached(data, cache)
    assert report.cached_files == 1  # the other file
    assert [(p.code, p.line, p.record) for p in report.problems] == [
        ("quote-not-in-source", line - 1, "150100-cpc-c13-p07-a001")]  # the quote's line, above the offset


@pytest.mark.parametrize("seed", range(8))
def test_any_edit_of_a_meeting_file_is_seen(data: Path, cache: CheckCache, seed: int) -> None:
    """Random one-character edits (a digit changed, a character deleted): the cached answer is the
    uncached one, whatever the edit does to the file."""
    api.validate(data, cache=cache)
    path = data / MEETING
    text = path.read_text(encoding="utf-8")
    chooser = random.Random(seed)
    position = chooser.choice([i for i, c in enumerate(text) if c.isdigit()])
    replacement = "" if seed % 2 else str((int(text[position]) + 1) % 10)
    path.write_text(text[:position] + replacement + text[position + 1:], encoding="utf-8")
    report = assert_same_as_uncached(data, cache)
    assert report.cached_files == 1


def test_a_changed_source_is_checked_again(data: Path, cache: CheckCache) -> None:
    api.validate(data, cache=cache)
    source = data / SOURCE
    source.write_bytes(source.read_bytes().replace("呼和浩特".encode(), "呼和浩待".encode(), 1))
    report = assert_same_as_uncached(data, cache)
    assert [p.code for p in report.problems] == ["source-hash-mismatch"]
    assert report.cached_files == 1


@pytest.mark.parametrize("change", ["deleted", "symlink", "folder"])
def test_a_source_that_is_no_longer_a_regular_file_is_seen(data: Path, cache: CheckCache, tmp_path: Path,
                                                           change: str) -> None:
    api.validate(data, cache=cache)
    source = data / SOURCE
    kept = tmp_path / "kept.txt"
    shutil.move(source, kept)
    if change == "symlink":  # the same bytes, but from outside the data folder
        os.symlink(kept, source)
    elif change == "folder":
        source.mkdir()
    report = assert_same_as_uncached(data, cache)
    expected = {"deleted": "source-missing", "symlink": "source-path", "folder": "source-missing"}[change]
    assert [p.code for p in report.problems] == [expected]


def test_checks_across_files_run_on_cached_facts(data: Path, cache: CheckCache) -> None:
    """The following-year file is unchanged (from the cache), yet its outcome link to a target whose
    period changed in the other file is checked again."""
    api.validate(data, cache=cache)
    text = (data / MEETING).read_text(encoding="utf-8")
    block = text[text.index("id: 150100-cpc-c13-p07-t065"):]
    old = block[:block.index("period: 2024") + len("period: 2024")]
    edit(data / MEETING, old, old.replace("period: 2024", "period: 2025"))
    report = assert_same_as_uncached(data, cache)
    assert report.cached_files == 1
    assert {(p.code, p.file.rsplit("/", 1)[-1]) for p in report.problems} >= {
        ("period-mismatch", "150100-cpc-c13-p08.yaml")}


def test_a_duplicate_id_names_the_line_in_a_cached_file(data: Path, cache: CheckCache) -> None:
    api.validate(data, cache=cache)
    following = data / "meetings" / "150100-cpc-c13-p08.yaml"
    edit(following, "id: 150100-cpc-c13-p08-a001", "id: 150100-cpc-c13-p07-a001")
    report = assert_same_as_uncached(data, cache)
    duplicate = [p for p in report.problems if p.code == "duplicate-id"]
    assert len(duplicate) == 1 and f"{MEETING.split('/')[1]}:" in duplicate[0].message


def test_a_changed_codebook_is_seen_by_unchanged_files(data: Path, cache: CheckCache) -> None:
    api.validate(data, cache=cache)
    edit(data / "indicators.yaml", "code: greening.greenways_built\n", "code: greening.renamed\n")
    report = assert_same_as_uncached(data, cache)
    assert report.cached_files == 2
    assert [p.code for p in report.problems] == ["unresolved-reference"] * 3


def test_an_invalid_corpus_gives_the_same_problems_from_the_cache(data: Path, cache: CheckCache) -> None:
    edit(data / MEETING, "quote_start: 263\n    quote_end: 275", "quote_start: 264\n    quote_end: 276")
    (data / "meetings" / "broken.yaml").write_text("meeting: [\n", encoding="utf-8")
    first = api.validate(data, cache=cache)
    second = assert_same_as_uncached(data, cache)
    assert problems(first) == problems(second) and second.cached_files == 3
    assert {p.code for p in second.problems} >= {"quote-not-in-source", "yaml-syntax"}


def test_other_code_never_reads_this_code_s_entries(data: Path, tmp_path: Path) -> None:
    api.validate(data, cache=CheckCache.open(tmp_path / "cache"))
    other = CheckCache(tmp_path / "cache" / "checks", "another commdata")
    assert api.validate(data, cache=other).cached_files == 0


def test_a_damaged_entry_is_a_miss(data: Path, cache: CheckCache) -> None:
    api.validate(data, cache=cache)
    entries = stored_entries(cache.folder)
    assert len(entries) == 2
    for path in entries:
        blob = bytearray(path.read_bytes())
        blob[-3] ^= 0xFF
        path.write_bytes(bytes(blob))
    report = assert_same_as_uncached(data, cache)
    assert report.ok and report.cached_files == 0
    assert api.validate(data, cache=cache).cached_files == 2  # written again


def test_an_unwritable_cache_only_costs_time(data: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    cache = CheckCache.open(blocker)
    assert api.validate(data, cache=cache).ok
    assert api.validate(data, cache=cache).cached_files == 0


def test_the_cli_uses_the_cache_and_no_cache_turns_it_off(data: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cli-cache"
    monkeypatch.setenv("COMMDATA_CACHE_DIR", str(folder))
    assert run("validate", data, "--no-cache").exit_code == 0
    assert not folder.exists()
    assert run("validate", data).exit_code == 0
    assert len(stored_entries(folder)) == 2
    result = run("--verbose", "validate", data)
    assert result.exit_code == 0 and "2 of 2 files from the cache" in result.output


def test_a_source_id_shaped_like_a_record_id_of_another_file_is_a_duplicate(data: Path, cache: CheckCache) -> None:
    """The checks across files decide uniqueness from each file's meeting and source ids alone when
    they can; a source id that is also another file's record id must still be caught."""
    following = data / "meetings" / "150100-cpc-c13-p08.yaml"
    edit(following, "150100-cpc-c13-p08-invented", "150100-cpc-c13-p07-a001", count=2)
    report = assert_same_as_uncached(data, cache)
    assert {p.record for p in report.problems if p.code == "duplicate-id"} == {"150100-cpc-c13-p07-a001"}


def test_entries_of_other_versions_go_once_unused_for_a_week(data: Path, tmp_path: Path) -> None:
    """Another commdata's entries can never be read again: their folder is deleted once it has not
    been used for KEEP_DAYS, and nothing else in the cache folder is touched."""
    versions = tmp_path / "cache" / "checks"
    stale, recent = versions / ("a" * VERSION_NAME_LENGTH), versions / ("b" * VERSION_NAME_LENGTH)
    legacy, unrelated = versions / "0f", versions / "notes"
    for folder in (stale, recent, legacy, unrelated):
        (folder / "00").mkdir(parents=True)
        (folder / "00" / "entry").write_bytes(b"x")
    for folder, days in ((stale, KEEP_DAYS + 1), (recent, KEEP_DAYS - 1)):
        (folder / USED_STAMP).touch()
        moment = time.time() - days * 86400
        os.utime(folder / USED_STAMP, (moment, moment))
    cache = CheckCache.open(tmp_path / "cache")
    assert sorted(path.name for path in versions.iterdir()) == sorted(
        [recent.name, unrelated.name, cache.folder.name])
    api.validate(data, cache=cache)
    assert api.validate(data, cache=CheckCache.open(tmp_path / "cache")).cached_files == 2


# The cache as an attacker could lay it out (issue 16): a CI cache restored from a pull request's
# branch, or a COMMDATA_CACHE_DIR shared with others.

def test_an_entry_copied_over_another_file_s_entry_is_refused(data: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Entry E1 (the valid file) copied over E2 (the same file with a wrong value) is not E2's: the
    third run reports the problems again."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COMMDATA_CACHE_DIR", str(folder))
    assert run("validate", data).exit_code == 0
    first = set(stored_entries(folder))
    edit(data / MEETING, "    value: 89\n", "    value: 999999999\n")
    exit_code, report = run_json("validate", data)
    assert exit_code == 1
    [second] = set(stored_entries(folder)) - first
    [original] = [path for path in first if _source_of(path) == _source_of(second)]  # the same file's E1
    shutil.copyfile(original, second)
    assert run_json("validate", data) == (exit_code, report)


def _source_of(entry: Path) -> str:
    return marshal.loads(entry.read_bytes()[64:])[0]  # the source file the entry's meeting file cites


def test_a_forged_entry_without_its_key_is_refused(data: Path, cache: CheckCache) -> None:
    """An entry written as the cache wrote them before entries held their key (its payload and the
    payload's SHA-256) is refused, whatever it says."""
    api.validate(data, cache=cache)
    edit(data / MEETING, "    value: 89\n", "    value: 999999999\n")
    wrong = api.validate(data, cache=cache)
    assert not wrong.ok
    for path in stored_entries(cache.folder):
        payload = path.read_bytes()[64:]
        entry = marshal.loads(payload)
        forged = marshal.dumps((entry[0], entry[1], True, [], *entry[4:]), 4)  # valid, no problems
        path.write_bytes(hashlib.sha256(forged).digest() + forged)
    again = api.validate(data, cache=cache)
    assert problems(again) == problems(wrong) and again.cached_files == 0


@pytest.mark.parametrize("where", ["checks", "version", "entries", "stamp"])
def test_pruning_and_writing_never_follow_a_link_out_of_the_cache(data: Path, tmp_path: Path, where: str) -> None:
    """checks/, the version's folder, an entries folder or the `used` stamp is a link to a victim
    folder: nothing there is deleted, changed or written, and validation still answers right."""
    victim = tmp_path / "victim"
    for relative in ("ab/notes.txt", "0123456789abcdef/x", "keep/y", "used"):
        (victim / relative).parent.mkdir(parents=True, exist_ok=True)
        (victim / relative).write_text(f"do not touch {relative}\n", encoding="utf-8")
    moment = time.time() - 30 * 86400
    os.utime(victim / "used", (moment, moment))
    before = _tree(victim)
    root = tmp_path / "cache"
    version = CheckCache.open(tmp_path / "probe").folder.name
    checks = root / "checks"
    if where == "checks":
        root.mkdir()
        checks.symlink_to(victim)
    elif where == "version":
        checks.mkdir(parents=True)
        (checks / version).symlink_to(victim)
    else:
        api.validate(data, cache=CheckCache.open(root))
        if where == "entries":
            for folder in {path.parent for path in stored_entries(checks / version)}:
                shutil.rmtree(folder)
                folder.symlink_to(victim)
        else:
            (checks / version / USED_STAMP).unlink()
            (checks / version / USED_STAMP).symlink_to(victim / "used")
    for _ in range(2):
        assert_same_as_uncached(data, CheckCache.open(root))
    assert _tree(victim) == before


def _tree(folder: Path) -> dict[str, tuple[bytes, float]]:
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime)
            for path in sorted(folder.rglob("*")) if path.is_file()}


SPECIAL_ENTRIES = {
    "fifo": lambda path: os.mkfifo(path),
    "dev-zero": lambda path: path.symlink_to("/dev/zero"),
    "folder": lambda path: path.mkdir(),
    "terabyte": lambda path: open(path, "wb").truncate(1 << 40),
}


def test_special_files_in_the_cache_are_skipped_unread(data: Path, tmp_path: Path) -> None:
    """Every entry replaced by a FIFO, a link to /dev/zero, a folder or a 1 TiB sparse file: each run
    (its own process, killed after a deadline) answers at once, as --no-cache does."""
    command = [sys.executable, "-m", "commdata", "validate", str(data), "--format", "json"]
    expected = subprocess.run([*command, "--no-cache"], capture_output=True, text=True, timeout=60)
    runs = {}
    for case, make in SPECIAL_ENTRIES.items():
        root = tmp_path / f"cache-{case}"
        api.validate(data, cache=CheckCache.open(root))
        for path in stored_entries(root / "checks"):
            path.unlink()
            make(path)
        runs[case] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env={**os.environ, "COMMDATA_CACHE_DIR": str(root)}, start_new_session=True)
    try:
        for case, process in runs.items():
            try:
                stdout, stderr = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                pytest.fail(f"{case}: the run still waits after 30 s")
            assert (process.returncode, stdout) == (expected.returncode, expected.stdout), f"{case}: {stderr[-800:]}"
    finally:
        for process in runs.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
