"""Which records an indicator's measure takes: the rules that keep a stock, a flow, a running total, a
change, a share and a place apart, so that only figures of one measure are ever compared or summed.

| measure | record kinds | `cumulative: true` (累计) | `period_start` |
| --- | --- | --- | --- |
| flow | quantity | no | no |
| stock | quantity | allowed (累计建成: the level to date) | no |
| cumulative | quantity | allowed (十四五期间 needs no 累计) | required: the year the total runs from |
| count | quantity, streak | no | no |
| growth | growth | no | no |
| share | share | no | no |
| rank | rank | no | no |
"""

from __future__ import annotations

from collections.abc import Iterator

from commdata.domain.models import FigureKind, Measure

MEANINGS: dict[Measure, tuple[str, str]] = {  # what it is; what adding two periods' figures gives
    Measure.flow: ("what happens within the period: things added, built, completed or recognised; money invested "
                   "or earned", "the total over both"),
    Measure.stock: ("a level at the end of the period (enterprises holding a certificate, 5G stations built to "
                    "date), or a headcount counted afresh each period", "nothing meaningful"),
    Measure.cumulative: ("a running total of a flow from a stated start (a plan period, a programme phase) to the "
                         "end of the period; the record's period_start is the start", "nothing meaningful"),
    Measure.count: ("things under way in the period that overlap from one period to the next (projects being "
                    "carried out, new and continued builds), or consecutive occurrences (a streak)",
                    "double counting"),
    Measure.growth: ("a change on the previous period, in % (or 个百分点, 倍); the record's direction says up or "
                     "down", "nothing meaningful"),
    Measure.share: ("a part as a percentage of a whole", "nothing meaningful"),
    Measure.rank: ("a place in the ranking the code names (lower is better unless the ranking says otherwise)",
                   "nothing meaningful"),
}
KINDS: dict[Measure, frozenset[FigureKind]] = {
    Measure.flow: frozenset({FigureKind.quantity}),
    Measure.stock: frozenset({FigureKind.quantity}),
    Measure.cumulative: frozenset({FigureKind.quantity}),
    Measure.count: frozenset({FigureKind.quantity, FigureKind.streak}),
    Measure.growth: frozenset({FigureKind.growth}),
    Measure.share: frozenset({FigureKind.share}),
    Measure.rank: frozenset({FigureKind.rank}),
}
TAKE_CUMULATIVE = frozenset({Measure.stock, Measure.cumulative})  # 累计建成 (a level to date), 累计完成 (a total)


def measure_problems(code: str, measure: Measure, kind: FigureKind, cumulative: bool,
                     period_start: int | None) -> Iterator[tuple[str, str]]:
    """(field, message) for each way a record of ``kind`` does not fit indicator ``code`` of ``measure``."""
    kinds = KINDS[measure]
    if kind not in kinds:
        yield "kind", (f"{code} is a {measure.value} indicator, which takes {' or '.join(sorted(k.value for k in kinds))} "
                       f"figures, not {kind.value}: choose the code of a {_measure_for(kind)} indicator")
    if cumulative and measure not in TAKE_CUMULATIVE:
        yield "cumulative", (f"a 累计 figure is a running total or a level to date, but {code} is a {measure.value} "
                             "indicator: use a cumulative (or stock) code")
    if period_start is None and measure == Measure.cumulative:
        yield "period_start", (f"{code} is a cumulative indicator: a running total needs the year it runs from, "
                               "so set period_start")
    elif period_start is not None and measure != Measure.cumulative:
        yield "period_start", (f"{code} is a {measure.value} indicator: a total over several years (period_start) "
                               "takes a cumulative code; a level or target for a later year needs only period")


def _measure_for(kind: FigureKind) -> str:
    return "/".join(sorted(measure.value for measure, kinds in KINDS.items() if kind in kinds)) or "no"
