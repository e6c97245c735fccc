"""The library facade: every command's work as a function that returns a typed result (a dataclass)
and never prints. The CLI calls these; so can anyone's Python.

Errors a caller can act on are raised as subclasses of commdata.errors.CommdataError; problems found
in records or packages are data, in the Report of a validation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from commdata.domain.coverage import context, coverage
from commdata.domain.detect import find_figures
from commdata.domain.models import IndicatorFile
from commdata.domain.sources import SourceText, canonical_text
from commdata.errors import (CommdataError, DiffError, DraftError, OutputError, PackageReadError, PartitionError,
                             PathError, ReleaseError)
from commdata.inputs import display, resolve_project
from commdata.layout import CLI_REFERENCE_DOC, INDICATORS_FILE, MEETINGS_DIR, SCHEMAS_DIR, SOURCES_DIR
from commdata.package.build import BuildResult, build as build_package
from commdata.package.gate import descriptor_file
from commdata.package.info import PackageSummary, package_summary
from commdata.package.validation import Report, validate as validate_path
from commdata.records.cache import CheckCache
from commdata.records.corpus import record_counts, record_problems
from commdata.records.drafting import draft_document, read_facts, render_draft, write_draft
from commdata.records.json_schemas import json_schemas
from commdata.records.load_corpus import Progress, load_records, no_progress
from commdata.records.loading import load_yaml
from commdata.records.scorecard import ScorecardRow, scorecard_rows
from commdata.release.diff import PackageDiff, diff_folders, opened
from commdata.release.result import ReleaseResult

__all__ = ["Report", "BuildResult", "CheckCache", "PackageDiff", "PackageSummary", "ParsedFigure", "ParsedText",
           "CoveredFigure", "CoverageReport", "DraftResult", "Scorecard", "ScorecardRow", "ReleaseResult",
           "validate", "build", "write_schemas", "write_docs", "parse_text", "coverage_report", "draft", "diff",
           "info", "site", "release", "recover_release", "rebuild_release", "scorecard", "CommdataError", "PathError", "OutputError",
           "PartitionError", "DraftError", "DiffError", "PackageReadError", "ReleaseError"]


def validate(path: Path | None = None, progress: Progress = no_progress, cache: CheckCache | None = None) -> Report:
    """Validate a project, a folder or file of records, or a built package (see inputs.resolve).
    ``progress`` may wrap the files as they are read (the CLI draws a bar on a terminal); ``cache``
    (CheckCache.open()) reuses the checks of meeting files unchanged since an earlier run."""
    return validate_path(path, progress, cache)


def build(path: Path | None = None, out: Path | None = None, progress: Progress = no_progress,
          partition_by: tuple[str, ...] = (), cache: CheckCache | None = None) -> BuildResult:
    """Validate the records of a project and write its package: into ``out``, or else into the project
    itself (the root datapackage.json and data/tables/). Nothing is written when validation fails.
    ``partition_by`` adds Hive-partitioned Parquet; ``cache`` reuses the checks and rows of meeting
    files unchanged since an earlier run."""
    return build_package(path, out, progress, partition_by, cache)


def write_schemas(path: Path | None = None) -> list[Path]:
    """Write the JSON Schema of every model into the project's schemas/ folder; the files written."""
    target = resolve_project(path)
    folder = target.path / SCHEMAS_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def write_docs(path: Path | None = None, cli_reference: str | None = None) -> list[Path]:
    """Write the generated docs (codebook, error codes, and the CLI reference when given: only the CLI
    can make it) into the project's docs/ folder; the files written."""
    from commdata.package.generated import GENERATED_DOCS  # pyarrow, for the staleness checks beside them

    target = resolve_project(path)
    documents = dict(GENERATED_DOCS)
    written = []
    for relative, text in [*((relative, generate()) for relative, generate in documents.items()),
                           *([(CLI_REFERENCE_DOC, cli_reference)] if cli_reference is not None else [])]:
        destination = target.path / relative
        destination.parent.mkdir(exist_ok=True)
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    return written


def diff(old: str, new: str, repository: Path | None = None) -> PackageDiff:
    """Compare two packages: folders, datapackage.json files, release archives or git revisions."""
    with opened(old, repository) as old_folder, opened(new, repository) as new_folder:
        return diff_folders(old_folder, new_folder)


def info(path: Path) -> PackageSummary:
    """A built package's version, tables, rows, fields and sources."""
    return package_summary(path)


def site(package: Path, out: Path) -> Path:
    """Write the release page (index.html) of a built package into ``out``; its path."""
    from commdata.release.site import write_site  # pyarrow: the page is made from the Parquet tables

    folder = descriptor_file(package).parent
    if not descriptor_file(folder).is_file():
        raise PackageReadError(f"{folder} holds no datapackage.json")
    return write_site(folder, out)


@dataclass(frozen=True)
class Scorecard:
    """A project's targets against outcomes, with the validation report of its records."""

    report: Report
    rows: list[ScorecardRow]


def scorecard(path: Path | None, meeting: str | None = None) -> Scorecard:
    """The scorecard rows of a project (all meetings, or one), with the records' validation report."""
    target = resolve_project(path)
    corpus, info_file = load_records(target)
    report = Report(target=display(target.path), kind=target.kind, problems=record_problems(corpus, info_file),
                    counts=record_counts(corpus))
    if meeting is not None and meeting not in {model.meeting.id for _, model in corpus.checkable_files}:
        raise PathError(f"no meeting {meeting!r} in {target.path}")
    return Scorecard(report, scorecard_rows(corpus, meeting))


@dataclass(frozen=True)
class ParsedFigure:
    """One figure found in a text, with its offsets in the canonical text and what it parses to."""

    figure: str
    start: int
    end: int
    parsed: bool
    prefix: str | None
    number_as_written: str | None
    number: str | None  # exact decimals as text, never floats
    multiplier: str | None
    unit: str | None
    value: str | None
    bound: str
    bound_word: str | None
    direction: str | None  # up or down, for a change
    date_like: bool
    aside: str | None  # what the figure is when it is not a value to record (a date, a document number…)


@dataclass(frozen=True)
class ParsedText:
    text: str  # the canonical form of the text given
    figures: list[ParsedFigure]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_text(text: str) -> ParsedText:
    """Every figure in ``text`` (taken to its canonical form), parsed."""
    canonical = canonical_text(text)
    return ParsedText(canonical, [ParsedFigure(**found.as_dict()) for found in find_figures(canonical)])


@dataclass(frozen=True)
class CoveredFigure:
    """A figure of a source and what accounts for it: records that cite it, or a not_recorded reason."""

    source: str
    meeting: str
    figure: str
    start: int
    end: int
    status: str  # cited, not_recorded or uncited
    records: list[str]
    reason: str | None
    context: str


@dataclass(frozen=True)
class CoverageReport:
    figures: list[CoveredFigure]
    unreadable: list[str]  # meeting files that could not be read
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def coverage_report(path: Path | None, sources: list[Path]) -> CoverageReport:
    """Each figure of each source (all of the project's, or those given) with what accounts for it."""
    target = resolve_project(path)
    corpus, _ = load_records(target)
    wanted = {source.resolve() for source in sources}
    figures, seen = [], set()
    checkable = dict(corpus.checkable_files)
    unreadable = [loaded.display for loaded in corpus.files
                  if loaded not in checkable or checkable[loaded].source.id not in corpus.sources]
    assert target.data_root is not None
    for loaded, model in checkable.items():
        text = corpus.sources.get(model.source.id)
        source_path = (target.data_root / model.source.file).resolve()
        if text is None or wanted and source_path not in wanted:
            continue
        seen.add(source_path)
        items, _ = coverage(model, text.text)
        for item in items:
            found = item.found
            figures.append(CoveredFigure(display(source_path), model.meeting.id, found.figure, found.start, found.end,
                                         item.status, list(item.records),
                                         item.mark.reason.value if item.mark else None,
                                         context(text.text, found.start, found.end)))
    missing = wanted - seen
    if missing:
        raise PathError(f"no valid meeting file cites {', '.join(sorted(map(str, missing)))}")
    statuses = [figure.status for figure in figures]
    return CoverageReport(figures, unreadable, {"figures": len(figures), "cited": statuses.count("cited"),
                                                "not_recorded": statuses.count("not_recorded"),
                                                "uncited": statuses.count("uncited")})


@dataclass(frozen=True)
class DraftResult:
    path: str  # as the user knows it
    achievements: int
    targets: int
    not_recorded: int


def draft(source: Path, admin_code: str, *, term: int | None = None, plenary: int | None = None,
          held: date | None = None, out: Path | None = None, force: bool = False) -> DraftResult:
    """Write a draft meeting file for ``source`` (which must sit in a data folder's sources/)."""
    if not source.is_file():
        raise PathError(f"{source} is not a file")
    if source.resolve().parent.name != SOURCES_DIR:
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
    document = draft_document(text, f"{SOURCES_DIR}/{source.name}", facts, entries)
    path = out or data_root / MEETINGS_DIR / f"{document['meeting']['id']}.yaml"
    write_draft(path, render_draft(document), force)
    return DraftResult(display(path), len(document["achievements"]), len(document["targets"]),
                       len(document["not_recorded"]))


def release(path: Path | None, bump: str, *, notes: tuple[str, ...] | list[str] = (), released: str | None = None,
            dist: Path | None = None) -> ReleaseResult:
    """Release a new version: validate, check the bump, set the version, rebuild, record the release,
    update CHANGELOG.md and CITATION.cff, and write the release folder, archive and checksums. Raises
    ReleaseError rather than overwrite anything."""
    from commdata.release.publish import release as make_release  # pyarrow and DuckDB: only for releases

    return make_release(path, bump, notes=notes, released=released, dist=dist)


def recover_release(path: Path | None = None) -> list[str]:
    """Finish or undo a release of the project that was killed part-way; what was done, one line each.
    (release and rebuild_release do this first too.)"""
    from commdata.release.publish import recover_release as recover  # pyarrow and DuckDB: only for releases

    return recover(path)


def rebuild_release(path: Path | None = None, dist: Path | None = None) -> Path:
    """Write the current version's release again, byte-identical, from the committed files."""
    from commdata.release.publish import rebuild_release as remake  # pyarrow and DuckDB: only for releases

    return remake(path, dist)

