"""`commdata fix` writes back what a record's own text determines, and nothing else: after a slip,
fix gives back the curated file byte for byte, comments and layout included; `--check` shows the
change as a diff and exits 1. `commdata locate` prints a quote's offsets."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from commdata import api

from conftest import HOHHOT_FILE, HOHHOT_SOURCE, SECOND_CITY_FILE, edit, make_records, run, run_json

A003 = "  - id: 539900-cpc-c04-p06-a003\n"  # 新增城镇就业1.26万人: number 1.26, 万, 人, 12600


def _in(old: str, new: str, count: int = 1):
    return lambda root: edit(root / SECOND_CITY_FILE, old, new, count)


SLIPS = {
    # one offset typed wrong, both shifted, a field left out, an offset written as text
    "quote-start": _in("    quote_start: 109\n", "    quote_start: 110\n"),
    "both-offsets": _in("    quote_start: 109\n    quote_end: 121\n", "    quote_start: 9\n    quote_end: 21\n"),
    "offsets-missing": _in("    quote_start: 109\n    quote_end: 121\n", ""),
    "offset-as-text": _in("    quote_end: 121\n", "    quote_end: \"121\"\n"),
    # values from the figure
    "value": _in("    value: 12600\n", "    value: 126000\n"),
    "number": _in("    number: 1.26\n", "    number: 1.62\n"),
    "multiplier-missing": _in("    multiplier: 万\n    unit: 人\n    value: 12600\n", "    unit: 人\n    value: 12600\n"),
    "multiplier-extra": _in("    number: 3000\n    unit: 个\n", "    number: 3000\n    multiplier: 万\n    unit: 个\n"),
    "unit": _in("    unit: 人\n    value: 12600\n", "    unit: 名\n    value: 12600\n"),
    "value-missing": _in("    value: 12600\n", ""),
    # bound and flags from the words
    "bound": _in("    value: 3000\n    bound: more_than\n", "    value: 3000\n    bound: exact\n"),
    "bound-missing": _in("    value: 3000\n    bound: more_than\n", "    value: 3000\n"),
    "cumulative": _in("    cumulative: true\n", "    cumulative: false\n"),
    "aspirational": _in("    aspirational: true\n", ""),
    # the source's hash
    "sha256": _in("sha256: 7ea5821791bd", "sha256: 0000000000bd"),
    # several at once
    "everything": lambda root: [_in("    quote_start: 109\n", "    quote_start: 110\n")(root),
                                _in("    value: 12600\n", "    value: 1\n")(root),
                                _in("    cumulative: true\n", "")(root)],
}


@pytest.mark.parametrize("slip", list(SLIPS))
def test_fix_undoes_a_slip_byte_for_byte(second_city: Path, slip: str) -> None:
    meeting = second_city / SECOND_CITY_FILE
    curated = meeting.read_bytes()
    SLIPS[slip](second_city)
    slipped = meeting.read_bytes()
    assert run("validate", second_city).exit_code == 1
    check = run("fix", second_city, "--check")
    assert check.exit_code == 1
    assert check.output.startswith(f"--- a/{meeting}\n+++ b/{meeting}\n") or "--- a/" in check.output
    assert meeting.read_bytes() == slipped  # --check writes nothing
    result = run("fix", second_city)
    assert result.exit_code == 0, result.output
    assert "fixed" in result.output
    assert meeting.read_bytes() == curated
    assert run("validate", second_city).exit_code == 0
    assert run("fix", second_city, "--check").exit_code == 0


def test_the_check_diff_names_the_old_and_new_values(second_city: Path) -> None:
    SLIPS["everything"](second_city)
    result = run("fix", second_city / SECOND_CITY_FILE, "--check")
    assert result.exit_code == 1
    changed = [line for line in result.output.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-    value: 1", "+    value: 12600", "-    quote_start: 110", "+    quote_start: 109",
                       "+    cumulative: true"]


@pytest.mark.parametrize("project", ["hohhot", "second_city"])
def test_a_curated_project_has_nothing_to_fix(request: pytest.FixtureRequest, project: str) -> None:
    root = request.getfixturevalue(project)
    before = {path: path.read_bytes() for path in (root / "data/meetings").iterdir()}
    result = run("fix", root, "--check")
    assert result.exit_code == 0 and result.output == "nothing to fix in 1 file\n"
    assert run("fix", root).exit_code == 0
    assert {path: path.read_bytes() for path in before} == before


def test_fix_places_a_quote_written_twice_by_its_section(hohhot: Path) -> None:
    meeting = hohhot / HOHHOT_FILE
    # 城市绿道200公里 stands in an achievement (a018) and in key task 7 (t051): the section decides.
    edit(meeting, "    quote: 新建口袋公园和社区游园200个、城市绿道200公里\n    quote_start: 2461\n    quote_end: 2486\n", "    quote: 城市绿道200公里\n    quote_start: 0\n    quote_end: 0\n")
    curated = meeting.read_bytes().replace(b"quote_start: 0\n    quote_end: 0", b"quote_start: 2477\n    quote_end: 2486")
    assert run("fix", hohhot).exit_code == 0
    assert meeting.read_bytes() == curated


def test_fix_leaves_a_still_ambiguous_quote_alone_and_names_both_places(tmp_path: Path) -> None:
    data = make_records(tmp_path / "data", "全会提出，新增就业1万人。全会强调，新增就业1万人。", targets=[
        {"figure": "1万人", "number": "1", "multiplier": "万", "unit": "人", "value": "10", "bound": "exact",
         "quote": "新增就业1万人", "quote_start": 1, "quote_end": 8}])
    meeting = data / "meetings/539900-cpc-c01-p02.yaml"
    before = meeting.read_bytes()
    result = run("fix", data)
    assert result.exit_code == 0
    assert "539900-cpc-c01-p02-t001: left alone: its quote occurs at 5..12 and 18..25" in result.output
    assert meeting.read_bytes() == before  # not even the value, which the figure would give


def test_fix_never_decides_what_only_a_curator_can(second_city: Path) -> None:
    meeting = second_city / SECOND_CITY_FILE
    for old, new in (("    period: 2024\n    indicator: 地区生产总值增长\n", "    period: 2023\n    indicator: 地区生产总值增长\n"),
                     ("    kind: quantity\n    figure: 1.26万人\n", "    kind: share\n    figure: 1.26万人\n"),
                     ("    indicator_en: new urban jobs\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人",
                      "    indicator_en: TODO\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人"),
                     ("    section: review-1\n    period: 2024\n    indicator: 国家森林城市", "    period: 2024\n    indicator: 国家森林城市")):
        edit(meeting, old, new)
    edited = meeting.read_bytes()
    assert run("fix", second_city, "--check").exit_code == 0
    assert meeting.read_bytes() == edited
    codes = {problem.code for problem in api.validate(second_city / "data").problems}
    assert codes == {"period-mismatch", "kind-mismatch", "placeholder-left"}


def test_a_quote_not_in_the_source_is_left_alone_with_a_note(second_city: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    quote: 新增城镇就业1.26万人\n", "    quote: 新增城镇就業1.26万人\n")
    result = run("fix", second_city)
    assert result.exit_code == 0
    assert "539900-cpc-c04-p06-a003: left alone: its quote does not occur in the canonical text" in result.output


def test_a_file_fix_cannot_read_is_left_alone_with_a_note(second_city: Path) -> None:
    broken = second_city / "data/meetings/broken.yaml"
    broken.write_text("meeting: [\n", encoding="utf-8")
    result = run("fix", second_city)
    assert result.exit_code == 0
    assert "broken.yaml: left alone: it cannot be read" in result.output
    assert broken.read_text(encoding="utf-8") == "meeting: [\n"


def test_fix_keeps_the_layout_of_a_draft(second_city: Path, tmp_path: Path) -> None:
    """A draft writes its lists unindented (PyYAML's way), unlike the curated files: fix keeps it so."""
    source = second_city / "data/sources/yunhu-cpc-c04-p06-communique.txt"
    (tmp_path / "data/sources").mkdir(parents=True)
    shutil.copy(source, tmp_path / "data/sources" / source.name)
    assert run("draft", tmp_path / "data/sources" / source.name, "--admin-code", "539900").exit_code == 0
    draft = tmp_path / "data/meetings/539900-cpc-c04-p06.yaml"
    drafted = draft.read_text(encoding="utf-8")
    assert "\n- id: 539900-cpc-c04-p06-a001\n" in drafted
    # Draft and fix read figures alike (direction included): fix finds nothing to change in a draft.
    assert api.fix(tmp_path / "data", check=True).changed == []
    assert run("fix", tmp_path / "data").exit_code == 0
    drafted = draft.read_text(encoding="utf-8")
    start = drafted.index("  quote_start: ", drafted.index("- id: 539900-cpc-c04-p06-a001"))
    line = drafted[start:drafted.index("\n", start) + 1]
    draft.write_text(drafted.replace(line, "  quote_start: 1\n", 1), encoding="utf-8")
    assert run("fix", tmp_path / "data").exit_code == 0
    assert draft.read_text(encoding="utf-8") == drafted


def test_the_library_reports_each_change(second_city: Path) -> None:
    SLIPS["everything"](second_city)
    report = api.fix(second_city, check=True)
    [fixed] = report.changed
    assert [(c.record, c.field, c.old, c.new) for c in fixed.changes] == [
        ("539900-cpc-c04-p06-a003", "quote_start", 110, 109), ("539900-cpc-c04-p06-a003", "value", 1, 12600),
        ("539900-cpc-c04-p06-a004", "cumulative", None, True)]
    assert not report.written


@pytest.mark.parametrize("args", [["fix", "/nonexistent"], ["locate", "/nonexistent.txt", "x"]])
def test_a_path_that_does_not_exist_is_a_usage_error(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2 and "does not exist" in result.output


def test_fix_of_a_package_is_a_usage_error(second_city: Path) -> None:
    result = run("fix", second_city / "datapackage.json")
    assert result.exit_code == 2 and "is a package" in result.output


def test_locate_prints_every_place_of_a_quote(hohhot: Path) -> None:
    result = run("locate", hohhot / HOHHOT_SOURCE, "城市绿道200公里")
    assert result.exit_code == 0
    assert [line.split("  ")[0] for line in result.output.splitlines()] == [
        "quote_start: 667, quote_end: 676", "quote_start: 2477, quote_end: 2486"]
    assert "【城市绿道200公里】" in result.output


def test_locate_finds_a_quote_copied_from_the_raw_text(hohhot: Path) -> None:
    """The raw text breaks lines and puts spaces between digits and characters: a copy of it is
    taken to canonical form before it is looked for."""
    exit_code, located = run_json("locate", hohhot / HOHHOT_SOURCE, "新增城镇就业 5.63\n万人")
    assert exit_code == 0
    assert located["quote"] == "新增城镇就业5.63万人"
    [place] = located["occurrences"]
    text = api.locate(hohhot / HOHHOT_SOURCE, "新增城镇就业5.63万人")
    assert (place["start"], place["end"]) == (text.occurrences[0].start, text.occurrences[0].end)


def test_locate_of_a_quote_not_in_the_text_exits_1(hohhot: Path) -> None:
    result = run("locate", hohhot / HOHHOT_SOURCE, "新增城镇就業")
    assert result.exit_code == 1 and "does not occur" in result.output


def test_locate_refuses_a_source_that_is_not_text(tmp_path: Path) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    result = run("locate", binary, "x")
    assert result.exit_code == 2 and "not UTF-8" in result.output and "Traceback" not in result.output


def test_fix_writes_the_hash_of_a_source_that_really_changed(second_city: Path) -> None:
    """A corrected source (one character fixed upstream): fix writes its hash; the quotes still stand."""
    source = second_city / "data/sources/yunhu-cpc-c04-p06-communique.txt"
    source.write_bytes(source.read_bytes().replace("云湖".encode(), "雲湖".encode(), 1))
    assert run("fix", second_city).exit_code == 0
    assert f"sha256: {hashlib.sha256(source.read_bytes()).hexdigest()}" in (second_city / SECOND_CITY_FILE).read_text(encoding="utf-8")
    assert api.validate(second_city / "data").ok  # the character changed is in no quote


DERIVED = {"quote_start", "quote_end", "number", "multiplier", "unit", "value", "bound", "cumulative", "aspirational",
           "sha256"}


def _key(line: str) -> str:
    return line.strip().removeprefix("- ").split(":", 1)[0]


@pytest.mark.parametrize("seed", range(16))
def test_after_any_one_digit_edit_fix_touches_only_what_it_derives(second_city: Path, seed: int) -> None:
    """A digit changed anywhere: fix restores it when it is a value fix writes, else changes only such
    values (never an id, period, quote, figure or mark), and a second fix has nothing left to do."""
    import random

    meeting = second_city / SECOND_CITY_FILE
    curated = meeting.read_text(encoding="utf-8")
    chooser = random.Random(seed)
    position = chooser.choice([i for i, c in enumerate(curated) if c.isdigit() and curated.rfind("\n", 0, i) > 0
                               and not curated[curated.rfind("\n", 0, i) + 1:i].lstrip().startswith("#")])
    edited = curated[:position] + str((int(curated[position]) + 1 + chooser.randrange(8)) % 10) + curated[position + 1:]
    meeting.write_text(edited, encoding="utf-8")
    edited_line = _key(edited[edited.rfind("\n", 0, position) + 1:edited.index("\n", position)])
    result = run("fix", second_city)
    assert result.exit_code == 0 and "Traceback" not in result.output
    fixed = meeting.read_text(encoding="utf-8")
    if edited_line in DERIVED:
        assert fixed == curated
    assert len(fixed.splitlines()) == len(edited.splitlines())  # a digit changed removes or adds no field
    changed = [(old, new) for old, new in zip(edited.splitlines(), fixed.splitlines()) if old != new]
    assert all(_key(old) in DERIVED and _key(new) in DERIVED for old, new in changed), changed
    assert run("fix", second_city, "--check").exit_code == 0
