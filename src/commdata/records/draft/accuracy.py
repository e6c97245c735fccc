"""How well a draft recovers a curated meeting's figures (benchmarks/draft_accuracy.py and the tests
measure `commdata draft` on the repository's own curated meetings with it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def compare_with_curated(document: dict[str, Any], curated: Any) -> dict[str, Any]:
    """How well a draft recovers a curated meeting's figures: precision and recall of the figure spans,
    and among the recovered ones, how many were placed in the right part, with the right value and
    bound. ``curated`` is a MeetingFile."""
    curated_spans: dict[tuple[int, int], tuple[str, Any]] = {}
    for part in ("achievements", "targets"):
        for record in getattr(curated, part):
            if record.figure_span is not None:
                curated_spans[record.figure_span] = (part, record)
    drafted: dict[tuple[int, int], tuple[str, dict[str, Any]]] = {}
    for part in ("achievements", "targets"):
        for stub in document[part]:
            start = stub["quote_start"] + stub["quote"].index(stub["figure"])
            drafted.setdefault((start, start + len(stub["figure"])), (part, stub))
    matched = drafted.keys() & curated_spans.keys()
    right_part = sum(1 for span in matched if drafted[span][0] == curated_spans[span][0])
    right_value = sum(1 for span in matched if Decimal(drafted[span][1]["value"]) == curated_spans[span][1].value
                      and drafted[span][1]["bound"] == curated_spans[span][1].bound.value)
    return {
        "curated_figures": len(curated_spans), "drafted_figures": len(drafted), "recovered": len(matched),
        "recall": len(matched) / len(curated_spans) if curated_spans else 1.0,
        "precision": len(matched) / len(drafted) if drafted else 1.0,
        "right_part": right_part, "right_value_and_bound": right_value,
    }
