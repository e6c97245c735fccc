"""The check cache: a second validation reuses what did not change and never gives a stale answer.

Each test compares a validation that may use the cache with one that cannot (a fresh, empty cache):
they must report exactly the same problems, lines included.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest
from conftest import edit, run

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
