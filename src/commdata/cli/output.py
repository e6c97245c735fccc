"""Render reports for people and machines: text, JSON and GitHub annotations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from commdata.errors import Problem
from commdata.cli.terminal import Settings

if TYPE_CHECKING:
    from commdata.api import Report

FORMATS = ("text", "json", "github")


def _where(problem: Problem) -> str:
    place = problem.file or "-"
    if problem.line is not None:
        place += f":{problem.line}"
    return place


def problem_text(problem: Problem, settings: Settings = Settings()) -> str:
    about = " ".join(part for part in (problem.record, problem.field) if part)
    code = settings.style(f"error[{problem.code}]", fg="red", bold=True)
    return (f"{settings.style(_where(problem), bold=True)}: {code} {about + ': ' if about else ''}{problem.message}\n"
            f"    {settings.style('fix: ' + problem.fix, dim=True)}")


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
    message = f"{about + ': ' if about else ''}{problem.message} (fix: {problem.fix})"
    return f"::error {','.join(properties)}::{_escape_github(message)}"


def summary(report: "Report", settings: Settings = Settings()) -> str:
    counted = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    if report.ok:
        return f"{report.target}: {settings.style('valid', fg='green', bold=True)} {report.kind} ({counted})"
    problems = f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}"
    return f"{report.target}: {settings.style(problems, fg='red', bold=True)} ({counted})"


def format_report(report: "Report", fmt: str, settings: Settings = Settings()) -> str:
    """The report as text (problems, then a summary unless quiet), JSON or GitHub annotations."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    lines = [problem_github(p) if fmt == "github" else problem_text(p, settings) for p in report.problems]
    if not settings.quiet:
        lines.append(summary(report, settings))
    return "\n".join(lines)
