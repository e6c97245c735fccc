"""The models: the contract every curated file and every published table derives from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from commdata.records.loading import load_meeting_file
from commdata.domain.models import Achievement, FigureKind, MeetingFile, Target
from commdata.domain.quantities import Bound
from commdata.package.specs import TABLES
from commdata.package.types import arrow_schema

from commdata.records.json_schemas import json_schemas

from conftest import SECOND_CITY, SECOND_CITY_FILE

RECORD = {"id": "539900-cpc-c04-p06-t001", "period": 2025, "indicator": "新增城镇就业", "indicator_en": "new urban jobs",
          "indicator_code": "employment.new_urban_jobs",
          "kind": "quantity", "figure": "1.3万人", "number": "1.3", "multiplier": "万", "unit": "人", "value": "13000",
          "bound": "at_least", "quote": "新增城镇就业1.3万人以上", "quote_start": 205, "quote_end": 218}


def test_a_target_parses_into_exact_types() -> None:
    target = Target.model_validate(RECORD)
    assert target.value == Decimal("13000") and isinstance(target.number, Decimal)
    assert target.number == Decimal("1.3")  # from text, never through a float
    assert target.bound is Bound.at_least and target.kind is FigureKind.quantity
    assert target.aspirational is False and target.cumulative is False


@pytest.mark.parametrize(("change", "message"), [
    ({"valeu": 1}, "Extra inputs are not permitted"),
    ({"value": "NaN"}, "finite number"),
    ({"bound": "roughly"}, "Input should be"),
    ({"id": "539900-cpc-c04-p06-a001"}, "a target's id ends in -t"),
    ({"figure": None}, "need a figure"),
    ({"value": None}, "a figure needs number, value and bound"),
    ({"indicator_en": "@SUM(A1)"}, "String should match pattern"),
    ({"period": 1800}, "greater than or equal to 1921"),
    ({"indicator_code": None}, "needs an indicator_code"),
    ({"indicator_code": "Employment"}, "String should match pattern"),
])
def test_invalid_records_are_refused(change: dict, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        Target.model_validate({**RECORD, **change})
    assert message in str(error.value)


def test_achievements_have_no_aspirational_flag() -> None:
    with pytest.raises(ValidationError):
        Achievement.model_validate({**RECORD, "id": "539900-cpc-c04-p06-a001", "aspirational": True})


def test_meeting_dates_are_real_dates() -> None:
    model = load_meeting_file(SECOND_CITY / SECOND_CITY_FILE).model
    assert isinstance(model, MeetingFile)
    assert model.meeting.date == date(2025, 1, 15)
    assert model.source.published_on == date(2025, 1, 16)


def test_every_field_of_every_model_has_a_description() -> None:
    schema = json_schemas()["meeting-file.schema.json"]
    import json
    definitions = json.loads(schema)["$defs"]
    for name in ("Achievement", "Target", "Meeting", "SourceDocument", "Participant", "Section"):
        for field, spec in definitions[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field}"


def test_table_columns_carry_descriptions_and_types() -> None:
    for spec in TABLES:
        schema = arrow_schema(spec)
        assert schema.names == spec.column_names
        for field in schema:
            assert field.metadata[b"description"], f"{spec.name}.{field.name}"
