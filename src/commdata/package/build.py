"""A build: the records of a project validated, then its package assembled and written, atomically,
into the project or another folder. Nothing is written when the records are invalid."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from commdata.inputs import display, resolve_project
from commdata.package.csv_rows import file_csv_rows
from commdata.package.partition_columns import check_columns
from commdata.package.validation import Report
from commdata.package.writer import check_output_folder, write_package
from commdata.records.cache import CheckCache
from commdata.records.corpus import cached_count, record_counts, record_problems
from commdata.records.load_corpus import Progress, load_records, no_progress


@dataclass
class BuildResult:
    report: Report
    out: Path | None = None  # where the package was written (None: nothing was)
    files: dict[str, int] = field(default_factory=dict)  # path in package → bytes
    # A build of the project in place also writes its generated schemas and docs: those it changed.
    generated: list[Path] = field(default_factory=list)


def build(path: Path | None = None, out: Path | None = None, progress: Progress = no_progress,
          partition_by: tuple[str, ...] = (), cache: CheckCache | None = None) -> BuildResult:
    """Validate the records of a project and write its package: into ``out``, or else into the project
    itself (the root datapackage.json and data/tables/). ``cache`` (CheckCache.open()) reuses the
    checks and rows of meeting files unchanged since an earlier run."""
    target = resolve_project(path)
    partition_by = check_columns(partition_by)
    if out is not None:
        check_output_folder(out)
    corpus, info = load_records(target, progress, render=file_csv_rows, cache=cache)
    report = Report(display(target.path), target.kind, record_problems(corpus, info), record_counts(corpus),
                    cached_count(corpus))
    if report.problems or info is None or info.model is None:
        return BuildResult(report)
    from commdata.package.assemble import package_files  # pyarrow: a third of a second, once the records are valid

    files = package_files(corpus, info.model, partition_by=partition_by, consume=True)
    destination = out if out is not None else target.path
    write_package(files, destination)
    return BuildResult(report, destination, {name: len(data) for name, data in files.items()})
