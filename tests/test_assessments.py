"""Targets against outcomes: verdicts for every bound, proven on an invented following-year meeting,
and `commdata scorecard`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from commdata.domain.assessments import computed_verdict
from commdata.domain.models import Verdict
from commdata.domain.quantities import Bound

from conftest import edit, run, run_json

FOLLOWING = Path(__file__).resolve().parent / "fixtures" / "following-year" / "data"
FOLLOWING_FILE = "data/meetings/150100-cpc-c13-p08.yaml"
SEED = "150100-cpc-c13-p07"


@pytest.mark.parametrize(("bound", "target", "outcome", "verdict"), [
    (Bound.exact, "100", "100", Verdict.met), (Bound.exact, "100", "101", Verdict.exceeded),
    (Bound.exact, "100", "99", Verdict.missed),
    (Bound.at_least, "60000", "60000", Verdict.met), (Bound.at_least, "60000", "63000", Verdict.exceeded),
    (Bound.at_least, "1100", "1050", Verdict.missed),
    (Bound.more_than, "550", "560", Verdict.met), (Bound.more_than, "550", "550", Verdict.missed),
    (Bound.about, "10", "10.5", Verdict.met), (Bound.about, "10", "9.5", Verdict.met),
    (Bound.about, "10", "10.6", Verdict.exceeded), (Bound.about, "10", "9.4", Verdict.missed),
    (Bound.at_most, "5.5", "5.5", Verdict.met), (Bound.at_most, "5.5", "5.6", Verdict.missed),
    (Bound.just_under, "100", "95", Verdict.met), (Bound.just_under, "100", "89", Verdict.missed),
    (Bound.just_under, "100", "101", Verdict.exceeded),
])
def test_computed_verdicts(bound: Bound, target: str, outcome: str, verdict: Verdict) -> None:
    assert computed_verdict(bound, Decimal(target), Decimal(outcome)) == verdict


@pytest.fixture
def two_years(hohhot: Path) -> Path:
    """The repository's project plus the invented following-year meeting, built."""
    for folder in ("meetings", "sources"):
        for path in (FOLLOWING / folder).iterdir():
            shutil.copy(path, hohhot / "data" / folder / path.name)
    result = run("build", hohhot)
    assert result.exit_code == 0, result.output
    return hohhot


def test_every_verdict_on_the_following_year(two_years: Path) -> None:
    assert run("validate", two_years).exit_code == 0
    rows = {row["target_id"].removeprefix(SEED + "-"): row
            for row in pq.read_table(two_years / "data/tables/assessments.parquet").to_pylist()}
    verdicts = {target: (row["target_bound"], row["verdict"], row["curated"], row["aspirational"])
                for target, row in rows.items()}
    assert verdicts == {
        "t065": ("at_least", "exceeded", False, False),    # 6万人以上 → 6.3万人
        "t066": ("at_least", "met", False, False),         # 5万名以上 → 5万名
        "t022": ("at_least", "missed", False, False),      # 1100个以上 → 1050个
        "t017": ("more_than", "met", False, False),        # 突破550家 → 560家
        "t057": ("about", "met", False, False),            # 10家左右 → 10家
        "t039": ("exact", "missed", False, True),          # 争取达到100亿元 → 92亿元
        "t043": ("exact", "exceeded", False, False),       # 6万头 → 6.5万头
        "t059": ("exact", "not_comparable", False, False),  # charging piles against stations
        "t051": ("exact", "met", True, False),             # set by hand, with a reason
    }
    assert rows["t059"]["reason"].startswith("indicators differ")
    assert "5 km shortfall" in rows["t051"]["reason"]
    assert rows["t065"]["outcome_value"] == Decimal("63000") and rows["t065"]["unit"] == "人"


def test_scorecard_table_csv_and_json(two_years: Path) -> None:
    table = run("scorecard", two_years, "--meeting", SEED)
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == ["place", "meeting", "indicator", "period", "previous", "target",
                                                    "bound", "outcome", "verdict"]
    line = next(line for line in table.output.splitlines() if " 城镇新增就业 " in line)  # the codebook's name
    assert line.split() == ["呼和浩特市", SEED, "城镇新增就业", "2024", "5.63万人", "6万人", "at_least", "6.3万人",
                            "exceeded"]
    rows = list(csv.DictReader(io.StringIO(run("scorecard", two_years, "--format", "csv").output)))
    jobs = next(row for row in rows if row["indicator_code"] == "employment.new_urban_jobs"
                and row["meeting_id"] == SEED)
    assert (jobs["previous_value"], jobs["target_value"], jobs["outcome_value"], jobs["verdict"]) == (
        "56300", "60000", "63000", "exceeded")
    assert (jobs["place"], jobs["place_en"]) == ("呼和浩特市", "Hohhot")
    data = json.loads(run("scorecard", two_years, "--meeting", SEED, "--format", "json").output)
    assert {row["verdict"] for row in data} == {None, "met", "exceeded", "missed", "not_comparable"}
    assert all(row["meeting_id"] == SEED for row in data)


def test_scorecard_of_an_unknown_meeting_is_a_usage_error(hohhot: Path) -> None:
    assert run("scorecard", hohhot, "--meeting", "110000-cpc-c01-p01").exit_code == 2


def test_scorecard_still_takes_the_deprecated_project_option(hohhot: Path) -> None:
    result = run("scorecard", "--project", hohhot)
    assert result.exit_code == 0
    assert "--project is deprecated" in result.output and "城镇新增就业" in result.output
    assert run("scorecard", hohhot, "--project", hohhot).exit_code == 2  # the project given twice


@pytest.mark.parametrize(("old", "new", "code"), [
    ("    outcome_of: 150100-cpc-c13-p07-t065\n", "    outcome_of: 150100-cpc-c13-p07-t999\n", "unresolved-reference"),
    ("    verdict: met\n", "", "inconsistent-record"),  # a reason without a verdict
    ("  - id: 150100-cpc-c13-p08-a001\n    period: 2024\n", "  - id: 150100-cpc-c13-p08-a001\n    period: 2023\n",
     "period-mismatch"),
])
def test_broken_outcome_links(two_years: Path, old: str, new: str, code: str) -> None:
    edit(two_years / FOLLOWING_FILE, old, new)
    exit_code, report = run_json("validate", two_years / "data")
    assert exit_code == 1
    assert code in {problem["code"] for problem in report["problems"]}
