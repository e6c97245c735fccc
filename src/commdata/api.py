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
                             PathError, ReleaseError, UsageError)
from commdata.inputs import ResolvedPath, display, find_project, resolve, resolve_project
from commdata.layout import CLI_REFERENCE_DOC, INDICATORS_FILE, MEETINGS_DIR, SCHEMAS_DIR, SOURCES_DIR
from commdata.package.build import BuildResult, build as build_package
from commdata.package.gate import descriptor_file
from commdata.package.info import PackageSummary, package_summary
from commdata.package.validation import Report, validate as validate_path
from commdata.records.cache import CheckCache
from commdata.records.corpus import record_counts, record_problems
from commdata.records.draft import draft_document, read_facts, draft_yaml, write_draft
from commdata.records.fixing import Change, FileFix, Note, fix_file, write as write_fixed
from commdata.records.json_schemas import json_schemas
from commdata.records.load_corpus import Progress, load_records, no_progress
from commdata.records.loading import load_yaml
from commdata.records.placing import places
from commdata.records.scorecard import ScorecardRow, scorecard_rows
from commdata.release.diff import PackageDiff, diff_folders, opened
from commdata.release.result import ReleaseResult

__all__ = ["Report", "BuildResult", "CheckCache", "PackageDiff", "PackageSummary", "ParsedFigure", "ParsedText",
           "CoveredFigure", "CoverageReport", "DraftResult", "Scorecard", "ScorecardRow", "ReleaseResult",
           "FixReport", "FileFix", "Change", "Note", "Located", "Occurrence",
           "validate", "build", "fix", "locate", "write_schemas", "write_docs", "parse_text", "coverage_report",
           "draft", "diff", "info", "site", "release", "recover_release", "rebuild_release", "scorecard", "CommdataError", "PathError",
           "OutputError", "PartitionError", "DraftError", "DiffError", "PackageReadError", "ReleaseError"]


def validate(path: Path | None = None, progress: Progress = no_progress, cache: CheckCache | None = None) -> Report:
    """Validate a project, a folder or file of records, or a built package (see inputs.resolve).
    ``progress`` may wrap the files as they are read (the CLI draws a bar on a terminal); ``cache``
    (CheckCache.open()) reuses the checks of meeting files unchanged since an earlier run."""
    return validate_path(path, progress, cache)


def build(path: Path | None = None, out: Path | None = None, progress: Progress = no_progress,
          partition_by: tuple[str, ...] = (), cache: CheckCache | None = None,
          cli_reference: str | None = None) -> BuildResult:
    """Validate the records of a project and write its package: into ``out``, or else into the project
    itself (the root datapackage.json and data/tables/), together with every other generated file of
    the project (schemas/, the docs, and docs/cli.md when ``cli_reference`` gives it): one command
    makes a project current. Nothing is written when validation fails. ``partition_by`` adds
    Hive-partitioned Parquet; ``cache`` reuses the checks and rows of meeting files unchanged since an
    earlier run."""
    result = build_package(path, out, progress, partition_by, cache)
    if out is None and result.out is not None:
        result.generated = [destination for destination, text in _generated_files(result.out, cli_reference).items()
                            if _write_if_changed(destination, text)]
    return result


@dataclass(frozen=True)
class FixReport:
    """What `fix` did (or, with check, would do) to each meeting file."""

    files: list[FileFix]
    written: bool  # the fixed files were written (not a check)

    @property
    def changed(self) -> list[FileFix]:
        return [fixed for fixed in self.files if fixed.changed]


def fix(path: Path | None = None, *, check: bool = False) -> FixReport:
    """Write back into the meeting files of a project, a data folder or one meeting file what their text
    determines: offsets from quotes, values from figures, flags from words, the source's sha256
    (records/fixing.py). With ``check``, nothing is written: the report says what would change."""
    target = resolve(path)
    if target.kind == "package" or target.data_root is None:
        raise PathError(f"{target.path} is a package: fix works on records (a project, a data folder or a meeting file)")
    files = [fix_file(meeting, display(meeting), target.data_root) for meeting in target.meeting_files]
    if not check:
        for fixed in files:
            if fixed.changed:
                write_fixed(fixed)
    return FixReport(files, written=not check)


@dataclass(frozen=True)
class Occurrence:
    """One place of a quote in a source's canonical text."""

    start: int
    end: int
    context: str


@dataclass(frozen=True)
class Located:
    source: str  # as the user knows it
    quote: str  # the quote in canonical form, as records write it
    occurrences: list[Occurrence]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def locate(source: Path, quote: str) -> Located:
    """Every place of ``quote`` (taken to canonical form: line breaks and spaces a copy from the raw
    text carries are dropped) in the canonical text of ``source``: the offsets a record writes."""
    if not source.is_file():
        raise PathError(f"{source} is not a file")
    try:
        text = SourceText.read(source).text
    except UnicodeDecodeError as error:
        raise PathError(f"{source} is not UTF-8: {error.reason}") from None
    wanted = canonical_text(quote)
    if not wanted:
        raise UsageError("give the quote to look for: it is empty")
    return Located(display(source), wanted, [Occurrence(start, start + len(wanted), context(text, start, start + len(wanted)))
                                            for start in places(text, wanted)])


def write_schemas(path: Path | None = None) -> list[Path]:
    """Write the JSON Schema of every model into the project's schemas/ folder; the files written."""
    schemas = _schema_files(resolve_project(path).path)
    for destination, text in schemas.items():
        _write_if_changed(destination, text)
    return list(schemas)


def write_docs(path: Path | None = None, cli_reference: str | None = None) -> list[Path]:
    """Write the generated docs (codebook, error codes, and the CLI reference when given: only the CLI
    can make it) into the project's docs/ folder; the files written."""
    root = resolve_project(path).path
    documents = _doc_files(root, cli_reference)
    for destination, text in documents.items():
        _write_if_changed(destination, text)
    return list(documents)


def _schema_files(root: Path) -> dict[Path, str]:
    return {root / SCHEMAS_DIR / name: text for name, text in json_schemas().items()}


def _doc_files(root: Path, cli_reference: str | None) -> dict[Path, str]:
    from commdata.package.generated import GENERATED_DOCS  # pyarrow, for the staleness checks beside them

    documents = {root / relative: generate() for relative, generate in GENERATED_DOCS.items()}
    if cli_reference is not None:
        documents[root / CLI_REFERENCE_DOC] = cli_reference
    return documents


def _generated_files(root: Path, cli_reference: str | None) -> dict[Path, str]:
    return {**_schema_files(root), **_doc_files(root, cli_reference)}


def _write_if_changed(destination: Path, text: str) -> bool:
    """Write ``text`` unless the file holds it already (a file not rewritten keeps its time); whether it wrote."""
    try:
        if destination.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(text, encoding="utf-8")
    return True


def diff(old: str, new: str, repository: Path | None = None) -> PackageDiff:
    """Compare two packages: folders, datapackage.json files, release archives or git revisions."""
    with opened(old, repository) as old_folder, opened(new, repository) as new_folder:
        return diff_folders(old_folder, new_folder)


def _package(path: Path | None) -> Path:
    """The descriptor of the package ``path`` names: a package, or a project's published package."""
    target = resolve(path)
    if target.kind == "records":
        raise PathError(f"{target.path} holds records, not a package: give a project or a built package")
    descriptor = target.descriptor if target.kind == "package" else descriptor_file(target.path)
    if not descriptor.is_file():
        raise PackageReadError(f"{display(target.path)} holds no {descriptor.name}: run `commdata build`")
    return descriptor


def info(path: Path | None = None) -> PackageSummary:
    """A built package's version, tables, rows, fields and sources (default: the project's own)."""
    return package_summary(_package(path))


def site(path: Path | None, out: Path) -> Path:
    """Write the release page (index.html) of a built package (default: the project's own) into
    ``out``; its path."""
    from commdata.release.site import write_site  # pyarrow: the page is made from the Parquet tables

    return write_site(_package(path).parent, out)


def _records(path: Path | None) -> ResolvedPath:
    """What ``path`` names, when it holds records: a project, a data folder or a meeting file."""
    target = resolve(path)
    if target.kind == "package":
        raise PathError(f"{target.path} is a built package: give a project, a data folder or a meeting file")
    return target


@dataclass(frozen=True)
class Scorecard:
    """A project's targets against outcomes, with the validation report of its records."""

    report: Report
    rows: list[ScorecardRow]


def scorecard(path: Path | None, meeting: str | None = None) -> Scorecard:
    """The scorecard rows of a project or data folder (all meetings, or one), with the records'
    validation report."""
    target = _records(path)
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


def coverage_report(path: Path | None, sources: list[Path] | None = None) -> CoverageReport:
    """Each figure of each source (all those the records cite, or those given) with what accounts for
    it. ``path`` is a project, a data folder or a meeting file (only its source, then); without it,
    the project the first source lies in, else the one around the working folder."""
    sources = sources or []
    target = _records(path if path is not None or not sources else find_project(sources[0].resolve().parent))
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
    write_draft(path, draft_yaml(document), force)
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

