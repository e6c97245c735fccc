"""Validation of whatever a path names: a project (records, then its generated files and committed
package), a data folder or one meeting file (records), or a built package (the package check)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commdata.errors import Problem
from commdata.inputs import ResolvedPath, display, resolve
from commdata.package.csv_rows import file_csv_rows
from commdata.records.cache import CheckCache
from commdata.records.corpus import cached_count, record_counts, record_problems
from commdata.records.load_corpus import Progress, load_records, no_progress


@dataclass
class Report:
    """The outcome of a validation: every problem found, and what was checked."""

    target: str
    kind: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cached_files: int = 0  # meeting files whose own checks came from the cache

    def __post_init__(self) -> None:
        self.problems.sort(key=Problem.sort_key)  # by file and line: in the order a curator reads them

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "kind": self.kind, "valid": self.ok, "counts": self.counts,
                "problems": [problem.as_dict() for problem in self.problems]}


def validate(path: Path | None = None, progress: Progress = no_progress, cache: CheckCache | None = None) -> Report:
    """Validate a project, a folder or file of records, or a built package (see inputs.resolve).
    ``progress`` may wrap the files as they are read (the CLI draws a bar on a terminal); ``cache``
    (CheckCache.open()) reuses the checks of meeting files unchanged since an earlier run."""
    target = resolve(path)
    if target.kind == "package":
        return _validate_package(target)
    return _validate_records(target, progress, cache)


def _validate_package(target: ResolvedPath) -> Report:
    from commdata.package.check import check_package  # pyarrow: a third of a second, for packages only

    package = check_package(target.descriptor)
    return Report(display(target.path), target.kind, package.problems,
                  {"resources": len(package.tables), "rows": sum(t.num_rows for t in package.tables.values())})


def _validate_records(target: ResolvedPath, progress: Progress, cache: CheckCache | None) -> Report:
    # A project's generated tables are compared with what its records make, so its files' rows are made too.
    render = file_csv_rows if target.kind == "project" else None
    corpus, info = load_records(target, progress, keep_records=False, render=render, cache=cache)
    problems = record_problems(corpus, info)
    if target.kind == "project" and not problems and info is not None:
        from commdata.package.generated import generated_problems  # pyarrow: only when the records are valid

        problems += generated_problems(target.path, corpus, info)
    return Report(display(target.path), target.kind, problems, record_counts(corpus), cached_count(corpus))
