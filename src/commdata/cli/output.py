"""Render reports for people and machines: text, JSON and GitHub annotations."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from commdata.errors import Problem
from commdata.cli.terminal import Settings

if TYPE_CHECKING:
    from commdata.api import Report

FORMATS = ("text", "json", "github")


# Characters that could make a line of output say something else: control characters (a line break, a
# terminal escape), line and paragraph separators and the bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` on one line, every unprintable character written as an escape (\\n, \\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def printable_lines(text: str) -> str:
    """``text`` with each of its lines made printable (see printable)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _where(problem: Problem) -> str:
    place = problem.file or "-"
    if problem.line is not None:
        place += f":{problem.line}"
    return place


def problem_text(problem: Problem, settings: Settings = Settings()) -> str:
    about = " ".join(part for part in (problem.record, problem.field) if part)
    code = settings.style(f"error[{problem.code}]", fg="red", bold=True)
    about, message = printable(about), printable(problem.message)
    return (f"{settings.style(printable(_where(problem)), bold=True)}: {code} {about + ': ' if about else ''}{message}\n"
            f"    {settings.style('fix: ' + printable(problem.fix), dim=True)}")


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
    target = printable(report.target)
    if report.ok:
        return f"{target}: {settings.style('valid', fg='green', bold=True)} {report.kind} ({counted})"
    problems = f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}"
    return f"{target}: {settings.style(problems, fg='red', bold=True)} ({counted})"


def summary_github(report: "Report") -> str:
    """The summary as a workflow command of its own (a notice): no text of the report can start a line."""
    return f"::notice title=commdata validate::{_escape_github(summary(report))}"


def format_report(report: "Report", fmt: str, settings: Settings = Settings()) -> str:
    """The report as text (problems, then a summary unless quiet), JSON or GitHub annotations."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    lines = [problem_github(p) if fmt == "github" else problem_text(p, settings) for p in report.problems]
    if not settings.quiet:
        lines.append(summary_github(report) if fmt == "github" else summary(report, settings))
    return "\n".join(lines)
