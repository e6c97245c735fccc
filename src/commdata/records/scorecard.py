"""The scorecard: for each target of a meeting, the previous achievement on the same indicator, the
target, its outcome where a later record reports one, and the verdict."""

from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal
from typing import Any

from commdata.domain.assessments import assess
from commdata.records.cross_checks import Corpus, Part, records
from commdata.domain.models import Achievement, FigureKind
from commdata.domain.quantities import plain

COLUMNS = ("meeting_id", "indicator_code", "indicator", "previous", "previous_value", "target", "target_bound",
           "target_value", "aspirational", "outcome", "outcome_value", "outcome_id", "verdict")


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def scorecard_rows(corpus: Corpus, meeting: str | None = None) -> list[dict[str, Any]]:
    outcomes: dict[str, Achievement] = {}
    for _, model in corpus.checkable_files:
        for _, record in records(model, Part.achievements):
            if record.outcome_of is not None:
                outcomes[record.outcome_of] = record
    rows = []
    for _, model in sorted(corpus.checkable_files, key=lambda item: item[1].meeting.id):
        if meeting is not None and model.meeting.id != meeting:
            continue
        previous = {record.indicator_code: record for _, record in records(model, Part.achievements)
                    if record.indicator_code is not None}
        for _, target in records(model, Part.targets):
            if target.indicator_code is None or target.kind == FigureKind.qualitative:
                continue
            before, outcome = previous.get(target.indicator_code), outcomes.get(target.id)
            indicator = corpus.indicators.get(target.indicator_code)
            rows.append({
                "meeting_id": model.meeting.id, "indicator_code": target.indicator_code,
                "indicator": indicator.name if indicator else target.indicator,
                "previous": before.figure if before else None, "previous_value": _plain(before.value) if before else None,
                "target": target.figure, "target_bound": target.bound.value if target.bound else None,
                "target_value": _plain(target.value), "aspirational": target.aspirational,
                "outcome": outcome.figure if outcome else None,
                "outcome_value": _plain(outcome.value) if outcome else None,
                "outcome_id": outcome.id if outcome else None,
                "verdict": assess(target, outcome, corpus.indicators).verdict.value if outcome else None,
            })
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(rows: list[dict[str, Any]]) -> str:
    shown = ("indicator", "previous", "target", "target_bound", "outcome", "verdict")
    cells = [[str(row[name]) if row[name] is not None else "—" for name in shown] for row in rows]
    widths = [max([_width(name)] + [_width(cell[i]) for cell in cells]) for i, name in enumerate(shown)]
    lines = ["  ".join(_pad(name, width) for name, width in zip(shown, widths)).rstrip()]
    lines += ["  ".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def render_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: ("" if value is None else str(value).lower() if isinstance(value, bool) else value)
                      for key, value in row.items()} for row in rows)
    return buffer.getvalue()
