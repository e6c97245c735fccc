"""Validation says each thing once, in order, and how to fix it: a curator's slip is one problem with
the exact fix, never a trail of knock-on problems about the same record (an uncited figure, an id
that vanished from the last release), and the counts still count what was read. The frozen Hohhot
project is the base: it has a release, so a record that disappeared would be an id-vanished."""

from __future__ import annotations

from pathlib import Path

import pytest

from commdata import api
from commdata.errors import CATALOGUE

from conftest import HOHHOT_FILE, SECOND_CITY_FILE, edit, make_records, run, run_json

COUNTS = {"files": 1, "meetings": 1, "achievements": 37, "targets": 76}


def only_problem(root: Path) -> dict:
    exit_code, report = run_json("validate", root)
    assert exit_code == 1
    assert len(report["problems"]) == 1, [(p["code"], p["message"]) for p in report["problems"]]
    assert report["counts"] == COUNTS
    return report["problems"][0]


def test_one_offset_typed_wrong_is_one_problem_with_the_exact_offsets(hohhot: Path) -> None:
    line = edit(hohhot / HOHHOT_FILE, "    quote_start: 2602\n", "    quote_start: 2601\n")
    problem = only_problem(hohhot)
    assert (problem["code"], problem["record"], problem["line"]) == ("quote-not-in-source", "150100-cpc-c13-p07-t060", line - 1)
    assert problem["fix"] == "set quote_start: 2602, quote_end: 2618"


def test_both_offsets_shifted_is_one_problem_with_the_exact_offsets(hohhot: Path) -> None:
    edit(hohhot / HOHHOT_FILE, "    quote_start: 2602\n    quote_end: 2618\n", "    quote_start: 2612\n    quote_end: 2628\n")
    problem = only_problem(hohhot)
    assert problem["code"] == "quote-not-in-source"
    assert problem["fix"] == "set quote_start: 2602, quote_end: 2618"


def test_a_quote_written_twice_in_the_text_is_placed_by_its_section(hohhot: Path) -> None:
    """城市绿道200公里 stands in an achievement and in key task 7: the target's section decides. (Once
    placed, the quote is ambiguous, a problem of its own: test_quote_ambiguous_...)"""
    edit(hohhot / HOHHOT_FILE, "    quote: 新建口袋公园和社区游园200个、城市绿道200公里\n    quote_start: 2461\n    quote_end: 2486\n", "    quote: 城市绿道200公里\n    quote_start: 2400\n    quote_end: 2409\n")
    problem = only_problem(hohhot)
    assert problem["record"] == "150100-cpc-c13-p07-t051"
    assert problem["fix"] == "set quote_start: 2477, quote_end: 2486"


def test_a_record_that_fails_its_model_is_still_read_and_still_there(hohhot: Path) -> None:
    """Its id does not vanish from the release, its figure is not uncited, and it is counted."""
    line = edit(hohhot / HOHHOT_FILE, "    quote: 完成45万亩林业碳汇开发储备项目\n    quote_start: 2602\n",
                "    quote: 完成45万亩林业碳汇开发储备项目\n    quote_start: 2602.0\n")
    problem = only_problem(hohhot)
    assert (problem["code"], problem["line"]) == ("invalid-value", line + 1)


def test_a_removed_field_is_one_problem(hohhot: Path) -> None:
    edit(hohhot / HOHHOT_FILE, "    quote: 完成45万亩林业碳汇开发储备项目\n    quote_start: 2602\n",
         "    quote: 完成45万亩林业碳汇开发储备项目\n")
    problem = only_problem(hohhot)
    assert (problem["code"], problem["field"]) == ("missing-field", "targets.59.quote_start")


def test_a_number_and_value_both_wrong_are_one_problem_naming_both(hohhot: Path) -> None:
    edit(hohhot / HOHHOT_FILE, "    number: 45\n    multiplier: 万\n    unit: 亩\n    value: 450000\n",
         "    number: 54\n    multiplier: 万\n    unit: 亩\n    value: 540000\n")
    problem = only_problem(hohhot)
    assert problem["code"] == "value-mismatch"
    assert problem["fix"] == "set number: 45, value: 450000"


def test_a_quote_twice_in_its_own_section_names_both_places(tmp_path: Path) -> None:
    text = "全会提出，新增就业1万人。全会强调，新增就业1万人。"
    data = make_records(tmp_path / "data", text, targets=[
        {"figure": "1万人", "number": "1", "multiplier": "万", "unit": "人", "value": "10000", "bound": "exact",
         "quote": "新增就业1万人", "quote_start": 1, "quote_end": 8}])
    exit_code, report = run_json("validate", data)
    assert exit_code == 1
    [problem] = [p for p in report["problems"] if p["code"] == "quote-not-in-source"]
    assert problem["fix"] == ("set the offsets of the one meant: quote_start: 5, quote_end: 12 "
                              "or quote_start: 18, quote_end: 25")
    assert "uncited-figure" not in {p["code"] for p in report["problems"]}


def test_problems_come_sorted_by_file_and_line_each_with_its_fix(second_city: Path) -> None:
    meeting = second_city / SECOND_CITY_FILE
    late = edit(meeting, "    aspirational: true\n", "    aspirational: false\n")
    early = edit(meeting, "      name: 李明\n", "      name: TODO\n")
    (second_city / "data/meetings/000-first.yaml").write_text("meeting: [\n", encoding="utf-8")
    exit_code, report = run_json("validate", second_city / "data")
    assert exit_code == 1
    where = [(p["file"].rsplit("/", 1)[-1], p["line"]) for p in report["problems"]]
    assert where == [("000-first.yaml", 2), ("539900-cpc-c04-p06.yaml", early), ("539900-cpc-c04-p06.yaml", late)]
    assert all(problem["fix"] for problem in report["problems"])
    assert report["problems"][2]["fix"] == "set aspirational: true"


def test_the_text_report_shows_the_concrete_fix(hohhot: Path) -> None:
    edit(hohhot / HOHHOT_FILE, "    quote_start: 2602\n", "    quote_start: 2601\n")
    result = run("validate", hohhot)
    assert result.exit_code == 1
    assert "    fix: set quote_start: 2602, quote_end: 2618\n" in result.output
    assert "(1 files, 1 meetings, 37 achievements, 76 targets)" in result.output


@pytest.mark.parametrize("value", ["TODO", "TODO: English gloss", "todo.indicator", "see TODO list"])
def test_todo_placeholders_are_refused_with_their_own_code(second_city: Path, value: str) -> None:
    line = edit(second_city / SECOND_CITY_FILE, "    indicator_en: new urban jobs\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人",
                f"    indicator_en: \"{value}\"\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人")
    exit_code, report = run_json("validate", second_city / "data")
    assert exit_code == 1
    assert [(p["code"], p["line"], p["field"]) for p in report["problems"]] == [
        ("placeholder-left", line, "targets.2.indicator_en")]


def test_words_that_contain_todo_are_not_placeholders(second_city: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    indicator_en: new urban jobs\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人",
         "    indicator_en: mastodon jobs, todos\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人")
    assert run("validate", second_city / "data").exit_code == 0


def test_a_draft_is_refused_for_its_placeholders_too(second_city: Path, tmp_path: Path) -> None:
    source = second_city / "data/sources/yunhu-cpc-c04-p06-communique.txt"
    (tmp_path / "data/sources").mkdir(parents=True)
    (tmp_path / "data/sources" / source.name).write_bytes(source.read_bytes())
    assert run("draft", tmp_path / "data/sources" / source.name, "--admin-code", "539900").exit_code == 0
    report = api.validate(tmp_path / "data")
    codes = [problem.code for problem in report.problems]
    assert "draft-not-reviewed" in codes and "placeholder-left" in codes
    assert "unresolved-reference" not in codes  # todo.indicator is one placeholder, not also an unknown code


def test_no_hint_only_points_at_the_message() -> None:
    assert not [error.code for error in CATALOGUE.values() if "message says" in error.hint]


def test_a_quote_that_occurs_twice_is_one_problem_naming_the_other_place(hohhot: Path) -> None:
    """A reader searching for 城市绿道200公里 would find a018's place first: the quote must be longer."""
    edit(hohhot / HOHHOT_FILE, "    quote: 新建口袋公园和社区游园200个、城市绿道200公里\n    quote_start: 2461\n    quote_end: 2486\n", "    quote: 城市绿道200公里\n    quote_start: 2477\n    quote_end: 2486\n")
    problem = only_problem(hohhot)
    assert (problem["code"], problem["record"]) == ("quote-ambiguous", "150100-cpc-c13-p07-t051")
    assert "2477" not in problem["message"] and "667..676" in problem["message"]
