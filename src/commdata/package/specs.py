"""Models to tables: the column specs of every published table.

Each column's type, required-ness, allowed values, pattern and description come from the Pydantic
field it publishes; derived columns (meeting_id, figure_start…) are declared here with their own
description. Arrow schemas and Frictionless Table Schemas are both generated from these specs
(types.py, descriptor.py); the rows come from rows.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from commdata.domain import models
from commdata.domain.annotations import field_type


@dataclass(frozen=True)
class Column:
    name: str
    type: type  # str, int, Decimal, date, bool or an Enum
    required: bool
    description: str
    pattern: str | None = None
    minimum: int | None = None

    @property
    def enum(self) -> list[str] | None:
        return [member.value for member in self.type] if isinstance(self.type, type) and issubclass(self.type, Enum) else None


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    reference: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]




def _pattern(info: Any) -> str | None:
    for item in info.metadata:
        pattern = getattr(item, "pattern", None)
        if pattern is not None:
            return pattern
    return None


def _minimum(info: Any) -> int | None:
    for item in info.metadata:
        if getattr(item, "ge", None) is not None:
            return item.ge
    return None


def from_field(model: type[BaseModel], name: str, column: str | None = None, *, required: bool | None = None) -> Column:
    """A column that publishes ``model.name``, with its type, constraints and description."""
    info = model.model_fields[name]
    base, optional = field_type(info.annotation)
    if base is None:
        raise ValueError(f"{model.__name__}.{name} holds more than one type: a column holds one")
    if base is str and info.description is None:
        raise ValueError(f"{model.__name__}.{name} needs a description")
    pattern = _pattern(info)
    if pattern in (models._NO_FORMULA, models._NO_FORMULA_BUT_A_SIGN):  # input guards, not properties of values
        pattern = None
    return Column(
        name=column or name,
        type=base,
        required=not optional if required is None else required,
        description=info.description or f"{name} ({model.__name__})",
        pattern=pattern,
        minimum=_minimum(info),
    )


def derived(name: str, type_: type, description: str, *, required: bool = True, pattern: str | None = None) -> Column:
    return Column(name=name, type=type_, required=required, description=description, pattern=pattern)


_M, _S, _P, _SEC = models.Meeting, models.SourceDocument, models.Participant, models.Section
_R, _T = models.FigureRecord, models.Target
_MEETING_ID = derived("meeting_id", str, "The meeting the row belongs to.", pattern=models.MEETING_ID_PATTERN)
_SECTION_ID_PATTERN = models.MEETING_ID_PATTERN.removesuffix("$") + "-" + models.SECTION_ID_PATTERN.removeprefix("^")

SOURCES = TableSpec(
    "sources", "Source documents", "The published texts the records are drawn from, with their canonical text.",
    (from_field(_S, "id"), from_field(_S, "title"), from_field(_S, "issuing_body"), from_field(_S, "published_on"),
     from_field(_S, "published_in"), from_field(_S, "file"), from_field(_S, "sha256"),
     from_field(_S, "canonical_form", required=True),
     derived("canonical_sha256", str, "SHA-256 of the canonical text in UTF-8.", pattern=r"^[0-9a-f]{64}$"),
     derived("characters", int, "Length of the canonical text in code points."),
     derived("text", str, "The canonical text that quote offsets refer to.")),
    ("id",),
)
MEETINGS = TableSpec(
    "meetings", "Meetings", "Plenary sessions of CPC committees.",
    tuple(from_field(_M, name) for name in ("id", "source_id", "title", "body", "body_en", "admin_code", "place",
                                            "place_en", "term", "plenary", "kind", "held_jointly_with",
                                            "held_jointly_with_en", "date")),
    ("id",), (ForeignKey("source_id", "sources", "id"),),
)
PARTICIPANTS = TableSpec(
    "participants", "Participants", "Who presided, reported, deployed work and gave guidance at each meeting.",
    (_MEETING_ID, derived("seq", int, "Order of mention in the source, from 1."),
     *(from_field(_P, name) for name in ("role", "name", "position", "on_behalf_of", "subject"))),
    ("meeting_id", "seq"), (ForeignKey("meeting_id", "meetings", "id"),),
)
SECTIONS = TableSpec(
    "sections", "Sections", "The numbered items (一是…, 二是…) that achievements and targets stand under.",
    (derived("id", str, "Meeting id and the section's id in the meeting.", pattern=_SECTION_ID_PATTERN),
     _MEETING_ID, from_field(_SEC, "id", "local_id"), from_field(_SEC, "part"), from_field(_SEC, "number"),
     from_field(_SEC, "heading")),
    ("id",), (ForeignKey("meeting_id", "meetings", "id"),),
)


PERIOD_SPAN = (
    derived("period_start", int, "First year the figure refers to: period_start of a figure over several years "
            "(a 累计 total, a plan-period total), else period."),
    derived("period_end", int, "Last year the figure refers to: always period. A figure of one year has "
            "period_start = period_end."),
)


def _figure_columns(extra: tuple[Column, ...]) -> tuple[Column, ...]:
    return (
        from_field(_R, "id"), _MEETING_ID,
        derived("section_id", str, "The section it stands under (sections.id).", required=False, pattern=_SECTION_ID_PATTERN),
        from_field(_R, "period"), *PERIOD_SPAN,
        *(from_field(_R, name) for name in ("indicator", "indicator_en", "indicator_code", "kind", "figure",
                                            "number", "multiplier", "unit", "value", "bound")),
        derived("bound_word", str, "The word in the text that sets the bound (以上, 突破, 左右…).", required=False),
        from_field(_R, "direction"), from_field(_R, "cumulative", required=True), *extra,
        from_field(_R, "quote"), from_field(_R, "quote_start"), from_field(_R, "quote_end"),
        derived("figure_start", int, "Offset of the figure in the canonical text.", required=False),
        from_field(_R, "note"),
    )


_I, _RANKING = models.Indicator, models.Ranking
INDICATORS = TableSpec(
    "indicators", "Indicators", "The indicator codebook: what each figure measures, followed across meetings and cities.",
    (from_field(_I, "code"), from_field(_I, "name"), from_field(_I, "name_en"), from_field(_I, "measure"),
     from_field(_I, "unit"),
     derived("also_written", str, "Other measure words the texts use for this indicator, counting the same things "
             "one for one, separated by commas.", required=False),
     from_field(_I, "definition"), from_field(_I, "definition_zh"), from_field(_I, "nbs_indicator"),
     from_field(_I, "official_note"),
     from_field(_RANKING, "publisher", "ranking_publisher"), from_field(_RANKING, "title", "ranking_title"),
     from_field(_RANKING, "order", "ranking_order", required=False),
     from_field(_RANKING, "note", "ranking_note"),
     derived("components", str, "Codes whose figures, for one place and period, add up to this one's, separated "
             "by commas.", required=False),
     derived("see_also", str, "Related codes not to confuse with this one, separated by commas.", required=False),
     from_field(_I, "kept_unused")),
    ("code",),
)
_FIGURE_KEYS = (ForeignKey("meeting_id", "meetings", "id"), ForeignKey("section_id", "sections", "id"),
                ForeignKey("indicator_code", "indicators", "code"))
_A = models.Achievement
ACHIEVEMENTS = TableSpec("achievements", "Achievements", "What the past year delivered, one figure or result a row.",
                         _figure_columns(tuple(from_field(_A, name) for name in ("outcome_of", "verdict", "verdict_reason"))),
                         ("id",), (*_FIGURE_KEYS, ForeignKey("outcome_of", "targets", "id")))
TARGETS = TableSpec("targets", "Targets", "What the coming year must deliver, one figure or goal a row.",
                    _figure_columns((from_field(_T, "aspirational", required=True),)), ("id",), _FIGURE_KEYS)

_TOMB = models.Tombstone
TOMBSTONES = TableSpec("tombstones", "Tombstones", "Published ids that no longer name a record, and why; never reused.",
                       tuple(from_field(_TOMB, name) for name in ("id", "status", "reason", "superseded_by", "withdrawn_in")),
                       ("id",))

ASSESSMENTS = TableSpec(
    "assessments", "Assessments", "Targets against outcomes: the verdict on each target whose outcome a later record reports.",
    (derived("target_id", str, "The target (targets.id).", pattern=models.RECORD_ID_PATTERN),
     derived("outcome_id", str, "The later record that reports its outcome (achievements.id).",
             pattern=models.RECORD_ID_PATTERN),
     derived("indicator_code", str, "The target's indicator (indicators.code).", required=False),
     derived("period_start", int, "First year of the period the target is set for and the outcome reports."),
     derived("period_end", int, "Last year of that period."),
     derived("target_bound", models.Bound, "How the target bounds its value (empty: the target has no figure).",
             required=False),
     derived("target_value", Decimal, "The target's value in base units.", required=False),
     derived("aspirational", bool, "Whether the target was worded as aspirational (争取, 力争)."),
     derived("outcome_value", Decimal, "The outcome's value in base units.", required=False),
     derived("unit", str, "The unit both values are in.", required=False),
     derived("verdict", models.Verdict, "met, exceeded, missed or not_comparable."),
     derived("curated", bool, "Whether a curator set the verdict by hand."),
     derived("reason", str, "How the verdict was reached, or why it was set by hand.")),
    ("target_id",), (ForeignKey("target_id", "targets", "id"), ForeignKey("outcome_id", "achievements", "id"),
                     ForeignKey("indicator_code", "indicators", "code")),
)

# Referenced tables come before the tables that refer to them (DuckDB creates them in this order).
TABLES: tuple[TableSpec, ...] = (SOURCES, MEETINGS, PARTICIPANTS, SECTIONS, INDICATORS, TARGETS, ACHIEVEMENTS,
                                 ASSESSMENTS, TOMBSTONES)
