"""Targets against outcomes: the verdict on each target whose outcome a later record reports.

A verdict is computed from the target's bound and value and the outcome's value, when both measure
the same indicator in the same unit; a curator may set it by hand, with a reason.

| target bound | met | exceeded | missed |
| --- | --- | --- | --- |
| exact, at_least (以上) | outcome = target | outcome > target | outcome < target |
| more_than (突破, 超过) | outcome > target | — | outcome ≤ target |
| about (左右, 约) | within ±5% of the target | above that | below that |
| at_most (以内, 不超过) | outcome ≤ target | — | outcome > target |
| just_under (近) | 90% of the target ≤ outcome ≤ target | outcome > target | outcome < 90% |

A target for several years (到2025年累计…, 十四五期间) is assessed only by an outcome for the same
span: ``period_span`` (first year, last year) of both must agree.

Aspirational wording (争取达到, 力争) does not change the arithmetic: the verdict says whether the
figure was reached, and the `aspirational` column says how firmly it was promised. An outcome's own
bound (突破600家) is read as its value (600).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from commdata.domain.models import Indicator, Verdict
from commdata.domain.periods import span_text
from commdata.domain.quantities import Bound, plain

ABOUT_TOLERANCE = Decimal("0.05")
JUST_UNDER_FLOOR = Decimal("0.9")


class AssessedFigure(Protocol):
    """What an assessment reads of either side: a record, or a row of its published table."""

    @property
    def id(self) -> str: ...
    @property
    def indicator_code(self) -> str | None: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def cumulative(self) -> bool: ...
    @property
    def period_span(self) -> tuple[int, int]: ...


class AssessedTarget(AssessedFigure, Protocol):
    @property
    def bound(self) -> Bound | None: ...
    @property
    def aspirational(self) -> bool: ...


class AssessedOutcome(AssessedFigure, Protocol):
    @property
    def verdict(self) -> Verdict | None: ...
    @property
    def verdict_reason(self) -> str | None: ...


@dataclass(frozen=True)
class Assessment:
    target: AssessedTarget
    outcome: AssessedOutcome
    verdict: Verdict
    curated: bool  # set by hand rather than computed
    reason: str


def same_measure(target: AssessedTarget, outcome: AssessedOutcome, indicators: dict[str, Indicator]) -> str | None:
    """Why the two cannot be compared, or None when they can."""
    if target.value is None or outcome.value is None:
        return "the target or the outcome has no figure"
    if target.indicator_code != outcome.indicator_code:
        return f"indicators differ ({target.indicator_code} and {outcome.indicator_code})"
    indicator = indicators.get(target.indicator_code or "")
    units = {indicator.unit, *indicator.also_written} if indicator else {target.unit}
    if target.unit not in units or outcome.unit not in units:
        return f"units differ ({target.unit} and {outcome.unit})"
    if target.cumulative != outcome.cumulative:
        return "one figure is cumulative and the other is not"
    if target.period_span != outcome.period_span:
        return (f"periods differ ({span_text(*reversed(target.period_span))} and "
                f"{span_text(*reversed(outcome.period_span))}): an outcome assesses a target only for its own period")
    return None


def computed_verdict(bound: Bound, target: Decimal, outcome: Decimal) -> Verdict:
    if bound in (Bound.exact, Bound.at_least):
        return Verdict.met if outcome == target else Verdict.exceeded if outcome > target else Verdict.missed
    if bound == Bound.more_than:
        return Verdict.met if outcome > target else Verdict.missed
    if bound == Bound.about:
        low, high = target * (1 - ABOUT_TOLERANCE), target * (1 + ABOUT_TOLERANCE)
        return Verdict.met if low <= outcome <= high else Verdict.exceeded if outcome > high else Verdict.missed
    if bound == Bound.at_most:
        return Verdict.met if outcome <= target else Verdict.missed
    return Verdict.exceeded if outcome > target else Verdict.met if outcome >= target * JUST_UNDER_FLOOR else Verdict.missed


def assess(target: AssessedTarget, outcome: AssessedOutcome, indicators: dict[str, Indicator]) -> Assessment:
    if outcome.verdict is not None:
        return Assessment(target, outcome, outcome.verdict, True, outcome.verdict_reason or "")
    why_not = same_measure(target, outcome, indicators)
    if why_not is not None:
        return Assessment(target, outcome, Verdict.not_comparable, False, why_not)
    assert target.value is not None and outcome.value is not None and target.bound is not None
    verdict = computed_verdict(target.bound, target.value, outcome.value)
    return Assessment(target, outcome, verdict, False,
                      f"outcome {plain(outcome.value)} against target {target.bound.value} {plain(target.value)}")
