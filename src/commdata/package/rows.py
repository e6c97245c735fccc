"""The rows of every table: those one meeting file gives (drawn where the file is read), the codebook's
and the tombstones', and the assessments worked out from the published targets and achievements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from commdata.domain import models
from commdata.domain.assessments import Assessment, assess
from commdata.domain import periods
from commdata.domain.quantities import Bound, bound_near, parse_figure
from commdata.domain.sources import SourceText
from commdata.package.specs import (ACHIEVEMENTS, ASSESSMENTS, INDICATORS, MEETINGS, PARTICIPANTS, SECTIONS, SOURCES,
                                    TARGETS, TOMBSTONES, TableSpec)

if TYPE_CHECKING:  # pyarrow takes a third of a second to import: only where tables become Arrow
    import pyarrow as pa


def _figure_rows(spec: TableSpec, records: Sequence[models.FigureRecord], meeting_id: str, text: str) -> list[list[Any]]:
    rows = []
    for record in records:
        first, last = periods.span(record.period, record.period_start)
        row = {**record.__dict__, "meeting_id": meeting_id, "bound_word": None, "figure_start": None,
               "section_id": f"{meeting_id}-{record.section}" if record.section else None,
               "period_start": first, "period_end": last}
        span = record.figure_span
        if span is not None:
            row["figure_start"] = span[0]
            in_figure = parse_figure(record.figure).bound.value != "exact"
            row["bound_word"] = None if in_figure else bound_near(text, *span)[1]
        rows.append(row)
    return _ordered(spec, rows)


def _ordered(spec: TableSpec, rows: list[dict[str, Any]]) -> list[list[Any]]:
    names = spec.column_names
    return [[row[name] for name in names] for row in rows]


def file_rows(model: models.MeetingFile, text: SourceText) -> dict[str, list[list[Any]]]:
    """The rows one meeting file gives each table drawn from meetings, values in column order."""
    source, meeting = model.source, model.meeting
    canonical = text.text
    return {
        SOURCES.name: _ordered(SOURCES, [{**source.__dict__, "canonical_sha256": text.canonical_sha256,
                                          "characters": len(canonical), "text": canonical}]),
        MEETINGS.name: _ordered(MEETINGS, [meeting.__dict__]),
        PARTICIPANTS.name: _ordered(PARTICIPANTS, [{**participant.__dict__, "meeting_id": meeting.id, "seq": seq}
                                                   for seq, participant in enumerate(meeting.participants, start=1)]),
        SECTIONS.name: _ordered(SECTIONS, [{**section.__dict__, "id": f"{meeting.id}-{section.id}", "local_id": section.id,
                                            "meeting_id": meeting.id} for section in meeting.sections]),
        TARGETS.name: _figure_rows(TARGETS, model.targets, meeting.id, canonical),
        ACHIEVEMENTS.name: _figure_rows(ACHIEVEMENTS, model.achievements, meeting.id, canonical),
    }


FILE_TABLES = (SOURCES, MEETINGS, PARTICIPANTS, SECTIONS, TARGETS, ACHIEVEMENTS)  # the tables file_rows fills


def indicator_rows(indicators: Iterable[models.Indicator]) -> list[list[Any]]:
    return _ordered(INDICATORS, [_indicator_row(indicator) for indicator in sorted(indicators, key=lambda i: i.code)])


def _indicator_row(indicator: models.Indicator) -> dict[str, Any]:
    ranking = indicator.ranking
    return {**indicator.__dict__, **{f"ranking_{name}": getattr(ranking, name) if ranking else None
                                     for name in ("publisher", "title", "order", "note")},
            **{name: ", ".join(getattr(indicator, name)) or None for name in ("also_written", "components", "see_also")}}


def tombstone_rows(tombstones: Iterable[models.Tombstone]) -> list[list[Any]]:
    return _ordered(TOMBSTONES, [tombstone.__dict__ for tombstone in tombstones])


_TARGET_FIELDS = ("id", "indicator_code", "bound", "value", "aspirational", "unit", "cumulative", "period_start",
                  "period_end")
_OUTCOME_FIELDS = ("id", "outcome_of", "indicator_code", "value", "unit", "cumulative", "period_start", "period_end",
                   "verdict", "verdict_reason")


def outcome_rows(achievements: pa.Table) -> list[dict[str, Any]]:
    """The achievements that report a target's outcome, with what their assessment reads."""
    import pyarrow.compute as pc  # a third of a second: only where tables become Arrow

    return achievements.filter(pc.is_valid(achievements["outcome_of"])).select(list(_OUTCOME_FIELDS)).to_pylist()


def linked_targets(targets: pa.Table, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The targets among ``ids``, with what their assessment reads."""
    import pyarrow as pa
    import pyarrow.compute as pc  # a third of a second: only where tables become Arrow

    wanted = pa.array(sorted(set(ids)), pa.string())
    return targets.filter(pc.is_in(targets["id"], value_set=wanted)).select(list(_TARGET_FIELDS)).to_pylist()


def assessment_rows(targets: list[dict[str, Any]], outcomes: list[dict[str, Any]],
                    indicators: dict[str, models.Indicator]) -> list[list[Any]]:
    """Each target whose outcome a later record reports, with its verdict, by target id.

    Worked out from rows of the published targets and achievements tables (linked_targets,
    outcome_rows), as anyone can do again from the package, not from the records: those never reach
    the process that writes the package. Decimals come back with the tables' six places, which
    changes no comparison and no printed value.
    """
    by_id: dict[str, Any] = {target["id"]: SimpleNamespace(**{**target, "bound": target["bound"] and Bound(target["bound"]),
                                                               "period_span": _period_span(target)})
                             for target in targets}
    rows = []
    for outcome in outcomes:
        figure: Any = SimpleNamespace(**{**outcome, "verdict": outcome["verdict"] and models.Verdict(outcome["verdict"]),
                                         "period_span": _period_span(outcome)})
        rows.append(_assessment_row(assess(by_id[outcome["outcome_of"]], figure, indicators)))
    rows.sort(key=lambda row: row["target_id"])
    return _ordered(ASSESSMENTS, rows)


def _period_span(row: dict[str, Any]) -> tuple[int, int]:
    return row["period_start"], row["period_end"]


def _assessment_row(assessment: Assessment) -> dict[str, Any]:
    target, outcome = assessment.target, assessment.outcome
    return {"target_id": target.id, "outcome_id": outcome.id, "indicator_code": target.indicator_code,
            "period_start": target.period_span[0], "period_end": target.period_span[1], "target_bound": target.bound,
            "target_value": target.value, "aspirational": target.aspirational,
            "outcome_value": outcome.value, "unit": target.unit, "verdict": assessment.verdict,
            "curated": assessment.curated, "reason": assessment.reason}
