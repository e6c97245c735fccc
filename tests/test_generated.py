"""Generated files come from the models and the records; a stale or missing copy fails validation."""

from __future__ import annotations

from pathlib import Path

from commdata.records.json_schemas import json_schemas

from conftest import REPO, SECOND_CITY_FILE, edit, run, run_json


def test_the_repository_is_valid_and_up_to_date() -> None:
    exit_code, report = run_json("validate", REPO)
    assert exit_code == 0, report["problems"]
    assert report["kind"] == "project"
    assert report["counts"]["achievements"] > 0 and report["counts"]["targets"] > 0


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
    assert {(p["code"], p["file"].rsplit("/", 1)[-1]) for p in report["problems"]} == {
        ("generated-stale", "achievements.csv"), ("generated-stale", "achievements.parquet")}
    assert run("build", second_city).exit_code == 0
    assert run("validate", second_city).exit_code == 0


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
