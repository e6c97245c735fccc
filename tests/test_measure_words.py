"""Comparable across cities and years. A made-up city (tests/fixtures/measure-words) whose texts use
other measure words than the seed's validates against the shared codebook with no code of its own; a
fall is stored as a fall; a target over several years is recorded, published, shown in the scorecard
and assessed only by an outcome for its own span."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from commdata import api
from commdata.domain.assessments import assess
from commdata.domain.models import Bound, IndicatorFile, Verdict
from commdata.records.loading import load_yaml

from conftest import MEASURE_WORDS, MEASURE_WORDS_FILES, edit, run, run_json

P04, P05 = (MEASURE_WORDS_FILES[0], MEASURE_WORDS_FILES[1])
ID = "539700-cpc-c02-p04-"

# The measure words the city writes where the shared codebook's canonical unit is another.
WRITTEN = {"employment.new_urban_jobs": "名", "industry.green_factories_new": "个",
           "education.schools_new_or_continued": "个", "energy.charging_stations_new": "处",
           "parks.pocket_parks_new": "座", "innovation.high_tech_enterprises": "户", "energy.charging_piles_new": "台",
           "investment.key_projects_count": "项", "greening.greenways_built": "千米",
           "retail.affordable_vegetable_shops_new": "家", "innovation.capacity_index_rank_unattributed": "名"}


def codebook(project: Path) -> dict:
    loaded = load_yaml(project / "data/indicators.yaml", IndicatorFile)
    assert loaded.model is not None, loaded.problems
    return {indicator.code: indicator for indicator in loaded.model.indicators}


def rows(project: Path, table: str) -> dict[str, dict]:
    key = "target_id" if table == "assessments" else "id"
    return {row[key]: row for row in pq.read_table(project / f"data/tables/{table}.parquet").to_pylist()}


def problems(project: Path) -> list[tuple[str, str | None, str | None]]:
    _, report = run_json("validate", project / "data")
    return [(problem["code"], problem["record"], problem["field"]) for problem in report["problems"]]


def test_the_city_validates_against_the_whole_shared_codebook_with_no_code_of_its_own(hohhot: Path) -> None:
    """The frozen Hohhot project carries the shared codebook: the city's meetings join it unchanged."""
    shared, own = codebook(hohhot), codebook(MEASURE_WORDS)
    assert own and all(shared[code] == indicator for code, indicator in own.items())  # copies, verbatim
    for part in ("meetings", "sources"):
        for path in (MEASURE_WORDS / "data" / part).iterdir():
            shutil.copy(path, hohhot / "data" / part / path.name)
    assert run("build", hohhot).exit_code == 0
    report = api.validate(hohhot)
    assert report.ok, report.problems
    written = {(row["indicator_code"], row["unit"]) for table in ("achievements", "targets")
               for row in rows(hohhot, table).values() if row["meeting_id"].startswith("539700")}
    assert set(WRITTEN.items()) <= written
    assert all(shared[code].unit != unit and unit in shared[code].also_written for code, unit in WRITTEN.items())


@pytest.mark.parametrize(("record", "code"), [
    ("a001", "innovation.capacity_index_rank_unattributed"),  # 1.8万名 (persons) as a place in a ranking
    ("a009", "employment.new_urban_jobs"),  # 第85名 (a place) as persons
])
def test_a_measure_word_two_indicators_accept_is_held_by_the_measure(measure_words: Path, record: str,
                                                                     code: str) -> None:
    """名 counts persons for jobs and places for a rank: both codes accept it, their measures do not."""
    text = (measure_words / P04).read_text(encoding="utf-8")
    start = text.index(f"  - id: {ID}{record}\n")
    old = text[text.index("    indicator_code: ", start):text.index("\n", text.index("    indicator_code: ", start)) + 1]
    edit(measure_words / P04, f"  - id: {ID}{record}\n" + text[start:].split("\n", 1)[1].split(old)[0] + old,
         f"  - id: {ID}{record}\n" + text[start:].split("\n", 1)[1].split(old)[0] + f"    indicator_code: {code}\n")
    assert problems(measure_words) == [("measure-mismatch", f"{ID}{record}", f"achievements.{int(record[1:]) - 1}.kind")]


def test_a_fall_is_stored_as_a_fall(measure_words: Path) -> None:
    achievements = rows(measure_words, "achievements")
    words, sign = achievements[f"{ID}a007"], achievements[f"{ID}a008"]
    assert (words["figure"], words["number"], words["direction"]) == ("4.2%", Decimal("4.2"), "down")  # 下降4.2%
    assert (sign["figure"], sign["number"], sign["value"], sign["direction"]) == (
        "-3.5%", Decimal("-3.5"), Decimal("-3.5"), "down")  # 增长-3.5%
    assert achievements["539700-cpc-c02-p05-a004"]["direction"] == "up"
    assert achievements[f"{ID}a009"]["direction"] is None  # a rank that rose is a smaller number, not a change
    published = {row["id"]: row for row in csv.DictReader(io.StringIO(
        (measure_words / "data/tables/achievements.csv").read_text(encoding="utf-8")))}
    assert (published[f"{ID}a008"]["figure"], published[f"{ID}a008"]["value"]) == ("-3.5%", "-3.5")


@pytest.mark.parametrize(("old", "new", "fix"), [
    ("    direction: down\n    note: A fall written in words", "    direction: up\n    note: A fall written in words",
     "set direction: down"),
    ("    direction: down\n    note: A fall written in words", "    note: A fall written in words",
     "set direction: down"),
    ("    direction: down\n    note: A fall written with", "    direction: up\n    note: A fall written with",
     "set direction: down"),
])
def test_a_direction_against_the_text_is_one_problem_that_fix_puts_right(measure_words: Path, old: str, new: str,
                                                                         fix: str) -> None:
    curated = (measure_words / P04).read_bytes()
    edit(measure_words / P04, old, new)
    _, report = run_json("validate", measure_words / "data")
    [problem] = report["problems"]
    assert (problem["code"], problem["fix"]) == ("direction-mismatch", fix)
    assert run("fix", measure_words).exit_code == 0
    assert (measure_words / P04).read_bytes() == curated


def test_a_rank_takes_no_direction(measure_words: Path) -> None:
    """上升至第85名 is a better place: the number fell. A rank has no direction to give."""
    edit(measure_words / P04, "    bound: exact\n    note: 第85名", "    bound: exact\n    direction: up\n    note: 第85名")
    assert problems(measure_words) == [("direction-mismatch", f"{ID}a009", "achievements.8.direction")]


@pytest.mark.parametrize("figure", ["-1+cmd|' /C calc'!A0", "-2+3", "-9.4%x"])
def test_a_leading_minus_is_only_a_number_s_sign(measure_words: Path, figure: str) -> None:
    """The formula guard lets a figure start with - only when the grammar reads a signed number."""
    edit(measure_words / P04, '    figure: "-3.5%"\n', f"    figure: \"{figure}\"\n")
    [(code, record, _)] = problems(measure_words)
    assert (code, record) in {("inconsistent-record", f"{ID}a008"), ("invalid-value", f"{ID}a008")}


def test_a_negative_number_needs_a_printed_minus(measure_words: Path) -> None:
    edit(measure_words / P04, "    figure: \"4.2%\"\n    number: 4.2\n    unit: \"%\"\n    value: 4.2\n",
         "    figure: \"4.2%\"\n    number: -4.2\n    unit: \"%\"\n    value: -4.2\n")
    assert [code for code, _, _ in problems(measure_words)] == ["inconsistent-record"]


def test_a_target_over_several_years_is_published_shown_and_assessed(measure_words: Path) -> None:
    targets = rows(measure_words, "targets")
    total, level = targets[f"{ID}t006"], targets[f"{ID}t007"]
    assert (total["period_start"], total["period_end"], total["period"]) == (2021, 2024, 2024)
    assert (level["period_start"], level["period_end"]) == (2026, 2026)  # 到2026年: a level to reach by then
    assert (targets[f"{ID}t001"]["period_start"], targets[f"{ID}t001"]["period_end"]) == (2024, 2024)
    assessment = rows(measure_words, "assessments")[f"{ID}t006"]
    assert (assessment["period_start"], assessment["period_end"], assessment["verdict"]) == (2021, 2024, "exceeded")
    assert assessment["outcome_value"] == Decimal(480000) and assessment["target_value"] == Decimal(450000)
    scorecard = {row["indicator_code"] + row["period"]: row for row in
                 run_json("scorecard", measure_words, "--meeting", "539700-cpc-c02-p04")[1]}
    assert scorecard["ecology.three_north_phase6_area_cumulative2021–2024"]["verdict"] == "exceeded"
    assert scorecard["innovation.high_tech_enterprises2026"]["verdict"] is None
    table = run("scorecard", measure_words, "--meeting", "539700-cpc-c02-p04").output
    assert any("2021–2024" in line and "exceeded" in line for line in table.splitlines())


def test_an_outcome_for_another_span_is_refused(measure_words: Path) -> None:
    edit(measure_words / P05, "    period_start: 2021\n", "    period_start: 2022\n")
    [(code, record, field)] = problems(measure_words)
    assert (code, record, field) == ("period-mismatch", "539700-cpc-c02-p05-a003", "achievements.2.outcome_of")


def test_an_assessment_compares_only_the_same_span() -> None:
    target = SimpleNamespace(id="t", indicator_code="x.y", value=Decimal(10), unit="亩", cumulative=True,
                             period_span=(2021, 2025), bound=Bound.at_least, aspirational=False)
    outcome = SimpleNamespace(id="a", indicator_code="x.y", value=Decimal(12), unit="亩", cumulative=True,
                              period_span=(2021, 2024), verdict=None, verdict_reason=None)
    judged = assess(target, outcome, {})
    assert judged.verdict == Verdict.not_comparable and "2021–2025 and 2021–2024" in judged.reason
    assert assess(target, SimpleNamespace(**{**vars(outcome), "period_span": (2021, 2025)}), {}).verdict == \
        Verdict.exceeded


def test_a_target_for_a_later_year_must_name_it(measure_words: Path) -> None:
    edit(measure_words / P04, "    quote: 到2026年，国家高新技术企业突破500家\n    quote_start: 321\n",
         "    quote: 国家高新技术企业突破500家\n    quote_start: 328\n")
    [(code, record, field)] = problems(measure_words)
    assert (code, record, field) == ("period-mismatch", f"{ID}t007", "targets.6.period")


@pytest.mark.parametrize(("old", "new", "field"), [
    ("  - id: 539700-cpc-c02-p04-a010\n    period: 2023\n    period_start: 2021\n",
     "  - id: 539700-cpc-c02-p04-a010\n    period: 2023\n", "achievements.9.period_start"),  # a running total's start
    ("  - id: 539700-cpc-c02-p04-a002\n    period: 2023\n",
     "  - id: 539700-cpc-c02-p04-a002\n    period: 2023\n    period_start: 2021\n", "achievements.1.period_start"),
])
def test_period_start_belongs_to_running_totals(measure_words: Path, old: str, new: str, field: str) -> None:
    edit(measure_words / P04, old, new)
    [(code, _, where)] = problems(measure_words)
    assert (code, where) == ("measure-mismatch", field)


def test_period_start_comes_before_period(measure_words: Path) -> None:
    edit(measure_words / P04, "    period: 2023\n    period_start: 2021\n", "    period: 2023\n    period_start: 2023\n")
    assert [code for code, _, _ in problems(measure_words)] == ["inconsistent-record"]


def test_an_unused_code_may_stay_when_it_says_why(measure_words: Path) -> None:
    entry = ("  - code: telecom.base_stations_5g_total\n    name: 5G基站数\n    name_en: 5G base stations\n"
             "    measure: stock\n    unit: 个\n    definition: 5G base stations in place at the end of the period.\n"
             "    definition_zh: 期末5G基站数量。\n")
    with (measure_words / "data/indicators.yaml").open("a", encoding="utf-8") as file:
        file.write(entry)
    assert problems(measure_words) == [("indicator-unused", "telecom.base_stations_5g_total", "indicators.16.code")]
    with (measure_words / "data/indicators.yaml").open("a", encoding="utf-8") as file:
        file.write("    kept_unused: The next meeting's records use it.\n")
    assert problems(measure_words) == []


def test_an_unused_code_is_not_reported_while_a_record_is_wrong(measure_words: Path) -> None:
    """A mistyped record may be the one that uses the code: one mistake, one problem."""
    edit(measure_words / P04, "    indicator_code: industry.green_factories_new\n", "    indicator_code: industry.green\n")
    assert [code for code, _, _ in problems(measure_words)] == ["unresolved-reference"]


@pytest.mark.parametrize("wording", ["in CHENGCHUAN in", "in Chengchuan's", "by Chengchuan-based firms in"])
def test_a_definition_naming_the_city_in_english_is_refused(measure_words: Path, wording: str) -> None:
    edit(measure_words / "data/indicators.yaml", "    definition: Urban employment created in the period,",
         f"    definition: Urban employment created {wording} the period,")
    assert problems(measure_words) == [("codebook-city-wording", "employment.new_urban_jobs", "indicators.4.definition")]


def test_each_place_a_definition_names_is_one_problem_however_its_name_is_cased(measure_words: Path) -> None:
    """Two meetings' places written Chengchuan and CHENGCHUAN are two places, and the wording names both."""
    edit(measure_words / P05, "  place_en: Chengchuan\n", "  place_en: CHENGCHUAN\n")
    edit(measure_words / "data/indicators.yaml", "    definition: Urban employment created in the period,",
         "    definition: Urban employment created in Chengchuan in the period,")
    assert problems(measure_words) == [("codebook-city-wording", "employment.new_urban_jobs", "indicators.4.definition")] * 2


@pytest.mark.parametrize("wording", ["by Chengchuanese firms in", "by chengchuan (a common noun, say) in"])
def test_a_word_that_is_not_the_city_name_is_not_the_city(measure_words: Path, wording: str) -> None:
    """A longer word, or the name's letters in lower case: a place called Yuan is not the yuan."""
    edit(measure_words / "data/indicators.yaml", "    definition: Urban employment created in the period,",
         f"    definition: Urban employment created {wording} the period,")
    assert problems(measure_words) == []


RANK = {"code": "innovation.capacity_index_rank", "name": "创新能力指数排名", "name_en": "innovation index rank",
        "measure": "rank", "unit": "位", "definition": "A place.", "definition_zh": "位次。"}


@pytest.mark.parametrize(("entry", "message"), [
    (RANK, "needs a ranking"),
    ({**RANK, "ranking": {"order": "lower_is_better"}}, "end the code in _unattributed"),
    ({**RANK, "measure": "flow", "ranking": {"publisher": "某研究所"}}, "only a rank has one"),
    ({**RANK, "also_written": ["位"], "ranking": {"publisher": "某研究所"}}, "not the canonical unit"),
    ({**RANK, "measure": "size"}, "measure"),
])
def test_the_codebook_model_refuses(entry: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        IndicatorFile.model_validate({"indicators": [entry]})


def test_a_named_or_unattributed_ranking_is_accepted() -> None:
    IndicatorFile.model_validate({"indicators": [{**RANK, "ranking": {"publisher": "某研究所", "title": "某榜单"}},
                                                 {**RANK, "code": "x.rank_unattributed", "ranking": {}}]})
