"""Generated files come from the models and the records; a stale or missing copy fails validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from commdata.records.json_schemas import json_schemas

from conftest import REPO, SECOND_CITY_FILE, edit, run, run_json


def test_a_fixture_project_is_valid_and_up_to_date(hohhot: Path) -> None:
    exit_code, report = run_json("validate", hohhot)
    assert exit_code == 0, report["problems"]
    assert report["kind"] == "project"
    assert report["counts"] == {"files": 1, "meetings": 1, "achievements": 37, "targets": 76}


@pytest.mark.repository
def test_committed_schemas_match_the_models() -> None:
    expected = json_schemas()
    assert sorted(p.name for p in (REPO / "schemas").glob("*.json")) == sorted(expected)
    for name, text in expected.items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, name


def test_a_stale_schema_is_reported(hohhot: Path) -> None:
    edit(hohhot / "schemas/target.schema.json", '"title": "Target"', '"title": "Goal"')
    exit_code, report = run_json("validate", hohhot)
    assert exit_code == 1
    assert [(p["code"], p["file"].rsplit("/", 1)[-1]) for p in report["problems"]] == [
        ("generated-stale", "target.schema.json")]


def test_a_missing_descriptor_is_reported(hohhot: Path) -> None:
    (hohhot / "datapackage.json").unlink()
    exit_code, report = run_json("validate", hohhot)
    assert exit_code == 1
    assert [p["code"] for p in report["problems"]] == ["generated-missing"]


def test_records_changed_without_a_build_are_reported(second_city: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    indicator_en: GDP growth\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%",
         "    indicator_en: GRP growth\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%")
    exit_code, report = run_json("validate", second_city)
    assert exit_code == 1
    [problem] = report["problems"]
    assert problem["code"] == "generated-stale"
    assert problem["message"] == "out of date: data/tables/achievements.csv, data/tables/achievements.parquet"
    assert "`commdata build`" in problem["fix"]
    assert run("build", second_city).exit_code == 0
    assert run("validate", second_city).exit_code == 0


def test_a_stale_project_is_one_problem_and_build_makes_it_current(second_city: Path) -> None:
    """Stale tables, a stale schema, stale docs and a missing one: one problem naming them all, and
    the one command it names makes the project current."""
    edit(second_city / SECOND_CITY_FILE, "    indicator_en: GDP growth\n", "    indicator_en: GRP growth\n", count=2)
    edit(second_city / "schemas/target.schema.json", '"title": "Target"', '"title": "Goal"')
    edit(second_city / "docs/codebook.md", "# Codebook\n", "# Code book\n")
    (second_city / "docs/error-codes.md").unlink()
    exit_code, report = run_json("validate", second_city)
    assert exit_code == 1
    [problem] = report["problems"]
    assert problem["code"] == "generated-stale"
    assert problem["message"] == ("out of date: schemas/target.schema.json, docs/codebook.md, "
                                  "data/tables/targets.csv, data/tables/targets.parquet, "
                                  "data/tables/achievements.csv, data/tables/achievements.parquet; "
                                  "missing: docs/error-codes.md")
    result = run("build", second_city)
    assert result.exit_code == 0, result.output
    assert "updated" in result.output and "docs/error-codes.md" in result.output
    assert run("validate", second_city).exit_code == 0
    assert "updated" not in run("build", second_city).output  # nothing left to update


def test_a_hand_edited_descriptor_is_reported(second_city: Path) -> None:
    edit(second_city / "datapackage.json", '"title": "A made-up city', '"title": "An edited city')
    _, report = run_json("validate", second_city)
    assert [(p["code"], p["file"].rsplit("/", 1)[-1]) for p in report["problems"]] == [
        ("generated-stale", "datapackage.json")]


def test_schema_command_writes_every_schema(second_city: Path) -> None:
    for path in (second_city / "schemas").iterdir():
        path.unlink()
    result = run("schema", second_city)
    assert result.exit_code == 0
    assert sorted(p.name for p in (second_city / "schemas").iterdir()) == sorted(json_schemas())
