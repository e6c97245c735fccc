"""Render reports for people and machines: text, JSON and GitHub annotations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .errors import CATALOGUE, Problem

if TYPE_CHECKING:
    from .api import Report

FORMATS = ("text", "json", "github")


def _where(problem: Problem) -> str:
    place = problem.file or "-"
    if problem.line is not None:
        place += f":{problem.line}"
    return place


def problem_text(problem: Problem) -> str:
    about = " ".join(part for part in (problem.record, problem.field) if part)
    hint = CATALOGUE[problem.code].hint
    return f"{_where(problem)}: error[{problem.code}] {about + ': ' if about else ''}{problem.message}\n    fix: {hint}"


def _escape_github(text: str, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_ else text


def problem_github(problem: Problem) -> str:
    properties = [f"title={_escape_github(problem.code + ': ' + problem.title, True)}"]
    if problem.file:
        properties.insert(0, f"file={_escape_github(problem.file, True)}")
    if problem.line is not None:
        properties.insert(1, f"line={problem.line}")
    about = " ".join(part for part in (problem.record, problem.field) if part)
    message = f"{about + ': ' if about else ''}{problem.message} (fix: {CATALOGUE[problem.code].hint})"
    return f"::error {','.join(properties)}::{_escape_github(message)}"


def summary(report: "Report") -> str:
    counted = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    if report.ok:
        return f"{report.target}: valid {report.kind} ({counted})"
    return f"{report.target}: {len(report.problems)} problem{'s' if len(report.problems) != 1 else ''} ({counted})"


def render(report: "Report", fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    lines = [problem_github(p) if fmt == "github" else problem_text(p) for p in report.problems]
    return "\n".join([*lines, summary(report)])
