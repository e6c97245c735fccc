"""Cross-record checks on small made-up texts: what a figure must be to pass, and what fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from commdata import api

from conftest import make_records

FIGURE = {"figure": "30条", "number": "30", "unit": "条", "value": "30", "bound": "exact"}


def codes(folder: Path) -> list[str]:
    """Problem codes, leaving out the coverage check (these small texts do not mark their dates)."""
    return [problem.code for problem in api.validate(folder).problems if problem.code != "uncited-figure"]


def test_a_valid_small_meeting_passes(tmp_path: Path) -> None:
    folder = make_records(tmp_path / "d", "全年打通断头路 30条。", [{"quote": "打通断头路30条", **FIGURE}])
    assert codes(folder) == []


def test_figure_twice_in_the_quote_is_ambiguous(tmp_path: Path) -> None:
    folder = make_records(tmp_path / "d", "打通城区断头路 30条，新续建道路 30条。",
                          targets=[{"quote": "打通城区断头路30条，新续建道路30条", **FIGURE}])
    assert codes(folder) == ["figure-ambiguous"]


def test_two_records_may_share_one_quote(tmp_path: Path) -> None:
    quote = "接待游客人数、旅游收入分别增长256%、387%"
    growth = {"kind": "growth", "unit": "%", "bound": "exact", "quote": quote}
    folder = make_records(tmp_path / "d", f"{quote}。", [
        {**growth, "indicator": "接待游客人数", "figure": "256%", "number": "256", "value": "256"},
        {**growth, "indicator": "旅游收入", "figure": "387%", "number": "387", "value": "387"},
    ])
    assert codes(folder) == []


def test_more_than_six_decimal_places_is_refused(tmp_path: Path) -> None:
    folder = make_records(tmp_path / "d", "比重达到 1.2345678%。", [{
        "quote": "比重达到1.2345678%", "kind": "share", "figure": "1.2345678%", "number": "1.2345678",
        "unit": "%", "value": "1.2345678", "bound": "exact"}])
    assert codes(folder) == ["precision-exceeded", "precision-exceeded"]


def test_value_stays_exact(tmp_path: Path) -> None:
    # 0.1 + 0.2 style rounding would turn 5.63万 into 56299.999…; Decimals keep it exact.
    folder = make_records(tmp_path / "d", "新增就业 5.63万人。", [{
        "quote": "新增就业5.63万人", "figure": "5.63万人", "number": "5.63", "multiplier": "万", "unit": "人",
        "value": "56300", "bound": "exact"}])
    assert codes(folder) == []


@pytest.mark.parametrize(("text", "quote", "figure", "bound"), [
    ("新引进亿元以上项目 400个以上。", "新引进亿元以上项目400个以上", "400个", "at_least"),
    ("产值占规模以上工业总产值的 89%。", "产值占规模以上工业总产值的89%", "89%", "exact"),
])
def test_yi_shang_inside_a_name_is_not_a_bound(tmp_path: Path, text: str, quote: str, figure: str, bound: str) -> None:
    from commdata.domain.quantities import parse_figure
    parsed = parse_figure(figure)
    kind = "share" if parsed.unit == "%" else "quantity"
    folder = make_records(tmp_path / "d", text, targets=[{
        "quote": quote, "kind": kind, "figure": figure, "number": str(parsed.number), "unit": parsed.unit,
        "value": str(parsed.value), "bound": bound}])
    assert codes(folder) == []


def test_figure_inside_a_longer_number_is_not_found(tmp_path: Path) -> None:
    folder = make_records(tmp_path / "d", "新增就业 15.63万人。", [{
        "quote": "新增就业15.63万人", "figure": "5.63万人", "number": "5.63", "multiplier": "万", "unit": "人",
        "value": "56300", "bound": "exact"}])
    assert codes(folder) == ["figure-not-in-quote"]


def test_qualitative_record_needs_no_figure_but_quantity_does(tmp_path: Path) -> None:
    ok = make_records(tmp_path / "ok", "全力创建全国文明城市。", targets=[{"quote": "全力创建全国文明城市", "kind": "qualitative"}])
    assert codes(ok) == []
    bad = make_records(tmp_path / "bad", "全力创建全国文明城市。", targets=[{"quote": "全力创建全国文明城市", "kind": "quantity"}])
    assert codes(bad) == ["inconsistent-record"]
