"""The library facade: every command's work as a function that returns data (reports, results) and
never prints. The CLI calls these; so can anyone's Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import CheckCache
from .corpus import (INDICATORS_FILE, Progress, cached_count, display, load_records, no_progress, record_counts,
                     record_problems)
from .coverage import context, coverage
from .detect import find_figures
from .diff import DiffError, PackageDiff, diff_folders, opened
from .drafting import DraftError, draft_document, read_facts, render_draft, write_draft
from .errors import Problem
from .load import load_yaml
from .models import IndicatorFile
from .project import MEETINGS_DIR, SCHEMAS_DIR, PathError, resolve, resolve_project
from .releases import ReleaseError
from .schemas import json_schemas
from .sources import SourceText, canonical_text
from .writers import OutputError, check_output_folder, write_package

__all__ = ["Report", "BuildResult", "CheckCache", "validate", "build", "write_schemas", "write_docs", "parse_text",
           "coverage_report", "draft", "diff", "release", "rebuild_release", "scorecard",
           "PathError", "OutputError", "DraftError", "DiffError", "ReleaseError"]


@dataclass
class Report:
    """The outcome of a validation: every problem found, and what was checked."""

    target: str
    kind: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cached_files: int = 0  # meeting files whose own checks came from the cache

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "kind": self.kind, "valid": self.ok, "counts": self.counts,
                "problems": [problem.as_dict() for problem in self.problems]}


@dataclass
class BuildResult:
    report: Report
    out: Path | None = None
    files: dict[str, int] = field(default_factory=dict)  # path in package → bytes


def release(path: Path | None, bump: str, **options: Any) -> dict[str, Any]:
    """Release a new version (see publishing.release)."""
    from .publishing import release as make_release
    return make_release(path, bump, **options)


def rebuild_release(path: Path | None = None, dist: Path | None = None) -> Path:
    """Write the current version's release again, byte-identical (see publishing.rebuild_release)."""
    from .publishing import rebuild_release as remake
    return remake(path, dist)


def validate(path: Path | None = None, progress: Progress = no_progress, cache: CheckCache | None = None) -> Report:
    """Validate a project, a folder or file of records, or a built package (see project.resolve).
    ``progress`` may wrap the files as they are read (the CLI draws a bar on a terminal); ``cache``
    (CheckCache.open()) reuses the checks of meeting files unchanged since an earlier run."""
    target = resolve(path)
    report = Report(target=display(target.path), kind=target.kind)
    if target.kind == "package":
        from .package_check import check_package  # Arrow: a third of a second to import, for packages only

        package = check_package(target.descriptor)
        report.problems = package.problems
        report.counts = {"resources": len(package.tables), "rows": sum(t.num_rows for t in package.tables.values())}
        return report
    # A project's generated tables are compared with what its records render.
    corpus, info = load_records(target, progress, keep_records=False, render=target.kind == "project", cache=cache)
    report.problems = record_problems(corpus, info)
    report.counts = record_counts(corpus)
    report.cached_files = cached_count(corpus)
    if target.kind == "project" and not report.problems and info is not None:
        from .generated import generated_problems

        report.problems += generated_problems(target.path, corpus, info)
    return report


def build(path: Path | None = None, out: Path | None = None, progress: Progress = no_progress,
          partition_by: tuple[str, ...] = (), cache: CheckCache | None = None) -> BuildResult:
    """Validate the records of a project and write its package: into ``out``, or else into the project
    itself (the root datapackage.json and data/tables/). Nothing is written when validation fails.
    ``cache`` (CheckCache.open()) reuses the checks and rows of meeting files unchanged since."""
    target = resolve_project(path)
    if out is not None:
        check_output_folder(out)
    corpus, info = load_records(target, progress, render=True, cache=cache)
    report = Report(target=display(target.path), kind=target.kind, problems=record_problems(corpus, info),
                    counts=record_counts(corpus), cached_files=cached_count(corpus))
    if report.problems or info is None or info.model is None:
        return BuildResult(report)
    from .render import render_package

    files = render_package(corpus, info.model, partition_by=partition_by, consume=True)
    destination = out if out is not None else target.path
    write_package(files, destination)
    return BuildResult(report, destination, {name: len(data) for name, data in files.items()})


def write_schemas(path: Path | None = None) -> dict[str, Path]:
    """Write the JSON Schema of every model into the project's schemas/ folder."""
    target = resolve_project(path)
    folder = target.path / SCHEMAS_DIR
    folder.mkdir(exist_ok=True)
    written = {}
    for name, text in json_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written[name] = folder / name
    return written


def write_docs(path: Path | None = None) -> list[Path]:
    """Write the generated docs (codebook, error codes) into the project's docs/ folder."""
    from .generated import GENERATED_DOCS

    target = resolve_project(path)
    written = []
    for relative, generate in GENERATED_DOCS.items():
        destination = target.path / relative
        destination.parent.mkdir(exist_ok=True)
        destination.write_text(generate(), encoding="utf-8")
        written.append(destination)
    return written


def diff(old: str, new: str, repository: Path | None = None) -> PackageDiff:
    """Compare two packages: folders, datapackage.json files, release archives or git revisions."""
    with opened(old, repository) as old_folder, opened(new, repository) as new_folder:
        return diff_folders(old_folder, new_folder)


def scorecard(path: Path | None, meeting: str | None = None) -> tuple[Report, list[dict[str, Any]]]:
    """The scorecard rows of a project (all meetings, or one), with the records' validation report."""
    from .scorecard import scorecard_rows

    target = resolve_project(path)
    corpus, info = load_records(target)
    report = Report(target=display(target.path), kind=target.kind, problems=record_problems(corpus, info),
                    counts=record_counts(corpus))
    if meeting is not None and meeting not in {model.meeting.id for _, model in corpus.checkable_files}:
        raise PathError(f"no meeting {meeting!r} in {target.path}")
    return report, scorecard_rows(corpus, meeting)


def parse_text(text: str) -> dict[str, Any]:
    """Every figure in ``text`` (taken to its canonical form), parsed, as JSON-ready data."""
    canonical = canonical_text(text)
    figures = [found.as_dict() for found in find_figures(canonical)]
    return {"text": canonical, "figures": figures}


def coverage_report(path: Path | None, sources: list[Path]) -> dict[str, Any]:
    """Each figure of each source (all of the project's, or those given) with what accounts for it."""
    target = resolve_project(path)
    corpus, _ = load_records(target)
    wanted = {source.resolve() for source in sources}
    figures, seen = [], set()
    checkable = dict(corpus.checkable_files)
    unreadable = [loaded.display for loaded in corpus.files
                  if loaded not in checkable or checkable[loaded].source.id not in corpus.sources]
    for loaded, model in checkable.items():
        text = corpus.sources.get(model.source.id)
        source_path = (target.data_root / model.source.file).resolve()
        if text is None or wanted and source_path not in wanted:
            continue
        seen.add(source_path)
        items, _ = coverage(model, text.text)
        for item in items:
            found = item.found
            figures.append({"source": display(source_path), "meeting": model.meeting.id, "figure": found.figure,
                            "start": found.start, "end": found.end, "status": item.status,
                            "records": list(item.records), "reason": item.mark.reason.value if item.mark else None,
                            "context": context(text.text, found.start, found.end)})
    missing = wanted - seen
    if missing:
        raise PathError(f"no valid meeting file cites {', '.join(sorted(map(str, missing)))}")
    statuses = [figure["status"] for figure in figures]
    return {"figures": figures, "unreadable": unreadable,
            "counts": {"figures": len(figures), "cited": statuses.count("cited"),
                       "not_recorded": statuses.count("not_recorded"), "uncited": statuses.count("uncited")}}


def draft(source: Path, admin_code: str, *, term: int | None = None, plenary: int | None = None,
          held: Any = None, out: Path | None = None, force: bool = False) -> dict[str, Any]:
    """Write a draft meeting file for ``source`` (which must sit in a data folder's sources/)."""
    if not source.is_file():
        raise PathError(f"{source} is not a file")
    if source.resolve().parent.name != "sources":
        raise PathError(f"{source} must sit in a data folder's sources/ (records cite it as sources/NAME)")
    data_root = source.resolve().parent.parent
    text = SourceText.read(source)
    try:
        text.text
    except UnicodeDecodeError as error:
        raise DraftError(f"{source} is not UTF-8: {error.reason}")
    facts = read_facts(text.text, admin_code, term, plenary, held)
    codebook = load_yaml(data_root / INDICATORS_FILE, IndicatorFile) if (data_root / INDICATORS_FILE).exists() else None
    entries = codebook.model.indicators if codebook and codebook.model else []
    document = draft_document(text, f"sources/{source.name}", facts, entries)
    path = out or data_root / MEETINGS_DIR / f"{document['meeting']['id']}.yaml"
    write_draft(path, render_draft(document), force)
    return {"path": display(path), "achievements": len(document["achievements"]),
            "targets": len(document["targets"]), "not_recorded": len(document["not_recorded"])}
