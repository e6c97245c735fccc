"""The scorecard: for each target of a meeting, the previous achievement on the same indicator, the
target, its outcome where a later record reports one, and the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any, TypeVar

from commdata.domain.assessments import assess
from commdata.domain.models import Achievement, FigureKind
from commdata.domain.periods import span_text
from commdata.domain.quantities import plain
from commdata.records.corpus import Corpus

Record = TypeVar("Record")


@dataclass(frozen=True)
class ScorecardRow:
    """One quantitative target with what came before and after it. Values are exact decimals as text."""

    meeting_id: str
    place: str  # the meeting's division, as written (呼和浩特市)
    place_en: str
    indicator_code: str
    indicator: str
    period: str  # the year the target is set for, or its span (2021–2025)
    period_start: int
    period_end: int
    previous: str | None
    previous_value: str | None
    target: str | None
    target_bound: str | None
    target_value: str | None
    aspirational: bool
    outcome: str | None
    outcome_value: str | None
    outcome_id: str | None
    verdict: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


COLUMNS = tuple(field.name for field in fields(ScorecardRow))


def _valid(records: Sequence[Record | None]) -> list[Record]:
    """The valid records of a part (an invalid file's parts hold None for each invalid record)."""
    return [record for record in records if record is not None]


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def scorecard_rows(corpus: Corpus, meeting: str | None = None) -> list[ScorecardRow]:
    outcomes: dict[str, Achievement] = {}
    for _, model in corpus.checkable_files:
        for record in _valid(model.achievements):
            if record.outcome_of is not None:
                outcomes[record.outcome_of] = record
    rows = []
    for _, model in sorted(corpus.checkable_files, key=lambda item: item[1].meeting.id):
        if meeting is not None and model.meeting.id != meeting:
            continue
        previous = {record.indicator_code: record for record in _valid(model.achievements)
                    if record.indicator_code is not None}
        for target in _valid(model.targets):
            if target.indicator_code is None or target.kind == FigureKind.qualitative:
                continue
            before, outcome = previous.get(target.indicator_code), outcomes.get(target.id)
            indicator = corpus.indicators.get(target.indicator_code)
            rows.append(ScorecardRow(
                meeting_id=model.meeting.id, place=model.meeting.place, place_en=model.meeting.place_en,
                indicator_code=target.indicator_code,
                indicator=indicator.name if indicator else target.indicator,
                period=span_text(target.period, target.period_start), period_start=target.period_span[0],
                period_end=target.period_span[1],
                previous=before.figure if before else None, previous_value=_plain(before.value) if before else None,
                target=target.figure, target_bound=target.bound.value if target.bound else None,
                target_value=_plain(target.value), aspirational=target.aspirational,
                outcome=outcome.figure if outcome else None,
                outcome_value=_plain(outcome.value) if outcome else None,
                outcome_id=outcome.id if outcome else None,
                verdict=assess(target, outcome, corpus.indicators).verdict.value if outcome else None,
            ))
    return rows
