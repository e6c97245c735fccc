"""The library facade: validate() and build(). They return reports and never print."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from .checks import Corpus, check_corpus, check_stable_ids
from .codebook import codebook_markdown
from .coverage import context, coverage
from .detect import find_figures
from .drafting import DraftError, draft_document, read_facts, render_draft, write_draft
from .diff import DiffError, PackageDiff, diff_folders, opened
from .errors import Problem, catalogue_markdown
from .load import LoadedFile, load_meeting_file, load_package_info, load_yaml
from .models import IndicatorFile, TombstoneFile
from . import duckdb_export, releases
from .package_check import check_package
from .project import DATA_DIR, MEETINGS_DIR, PACKAGE_INFO, SCHEMAS_DIR, PathError, Target, resolve
from .render import DESCRIPTOR_PATH, render_descriptor, render_package, render_tables
from .schemas import json_schemas
from .site import write_site
from .sources import SourceText, canonical_text
from .writers import OutputError, check_output_folder, write_package

__all__ = ["Report", "BuildResult", "validate", "build", "write_schemas", "write_docs", "parse_text",
           "coverage_report", "draft", "diff", "release", "rebuild_release", "scorecard",
           "PathError", "OutputError", "DraftError", "DiffError", "ReleaseError"]

ReleaseError = releases.ReleaseError
TOMBSTONES_FILE = "tombstones.yaml"
INDICATORS_FILE = "indicators.yaml"
GENERATED_DOCS = {"docs/codebook.md": codebook_markdown, "docs/error-codes.md": catalogue_markdown}


@dataclass
class Report:
    """The outcome of a validation: every problem found, and what was checked."""

    target: str
    kind: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

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


def _display(path: Path) -> str:
    """The path as the user knows it: relative to the working folder when inside it. Symbolic links
    are not followed, so a problem names the file in meetings/, not where a link points."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(path)


Progress = Callable[[Sequence[Any], str], Iterable[Any]]


def _no_progress(items: Sequence[Any], label: str) -> Iterable[Any]:
    return items


def _load_records(target: Target, progress: Progress = _no_progress) -> tuple[Corpus, LoadedFile | None]:
    assert target.data_root is not None
    files = [load_meeting_file(path, _display(path)) for path in progress(target.meeting_files, "reading records")]
    corpus = Corpus(data_root=target.data_root, files=files)
    info_path = target.data_root / PACKAGE_INFO
    info = load_package_info(info_path, _display(info_path)) if target.kind == "project" or info_path.exists() else None
    indicator_path = target.data_root / INDICATORS_FILE
    if indicator_path.exists():
        indicators = load_yaml(indicator_path, IndicatorFile, _display(indicator_path))
        corpus.problems += indicators.problems
        if indicators.model:
            corpus.indicators = {indicator.code: indicator for indicator in indicators.model.indicators}
            corpus.problems += [Problem("duplicate-id", f"indicator {code!r} is listed twice", file=_display(indicator_path),
                                        record=code) for code in _duplicates(i.code for i in indicators.model.indicators)]
    tombstone_path = target.data_root / TOMBSTONES_FILE
    if tombstone_path.exists():
        tombstones = load_yaml(tombstone_path, TombstoneFile, _display(tombstone_path))
        corpus.problems += tombstones.problems
        corpus.tombstones = list(tombstones.model.tombstones) if tombstones.model else []
    check_corpus(corpus)
    # Records of one file alone cannot show a vanished id; a data folder or project can.
    history = releases.manifests(target.data_root) if target.path.is_dir() else []
    released = releases.released_ids(releases.load_manifest(history[-1])) if history else {}
    check_stable_ids(corpus, released, _display(history[-1]) if history else "", _display(tombstone_path))
    return corpus, info


def _duplicates(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for item in items:
        if item in seen:
            repeated.append(item)
        seen.add(item)
    return repeated


def _record_problems(corpus: Corpus, info: LoadedFile | None) -> list[Problem]:
    problems = [problem for loaded in corpus.files for problem in loaded.problems]
    if info is not None:
        problems += info.problems
    return problems + corpus.problems


def _record_counts(corpus: Corpus) -> dict[str, int]:
    models = [loaded.model for loaded in corpus.valid_files]
    return {"files": len(corpus.files), "meetings": len(models),
            "achievements": sum(len(model.achievements) for model in models),
            "targets": sum(len(model.targets) for model in models)}


def validate(path: Path | None = None, progress: Progress = _no_progress) -> Report:
    """Validate a project, a folder or file of records, or a built package (see project.resolve).
    ``progress`` may wrap the files as they are read (the CLI draws a bar on a terminal)."""
    target = resolve(path)
    report = Report(target=_display(target.path), kind=target.kind)
    if target.kind == "package":
        package = check_package(target.descriptor)
        report.problems = package.problems
        report.counts = {"resources": len(package.tables), "rows": sum(t.num_rows for t in package.tables.values())}
        return report
    corpus, info = _load_records(target, progress)
    report.problems = _record_problems(corpus, info)
    report.counts = _record_counts(corpus)
    if target.kind == "project" and not report.problems and info is not None:
        report.problems += _generated_problems(target.path, corpus, info)
    return report


def build(path: Path | None = None, out: Path | None = None, progress: Progress = _no_progress) -> BuildResult:
    """Validate the records of a project and write its package: into ``out``, or else into the project
    itself (the root datapackage.json and data/tables/). Nothing is written when validation fails."""
    target = _project(path)
    if out is not None:
        check_output_folder(out)
    corpus, info = _load_records(target, progress)
    report = Report(target=_display(target.path), kind=target.kind, problems=_record_problems(corpus, info),
                    counts=_record_counts(corpus))
    if report.problems or info is None or info.model is None:
        return BuildResult(report)
    files = render_package(corpus, info.model)
    destination = out if out is not None else target.path
    write_package(files, destination)
    return BuildResult(report, destination, {name: len(data) for name, data in files.items()})


def write_schemas(path: Path | None = None) -> dict[str, Path]:
    """Write the JSON Schema of every model into the project's schemas/ folder."""
    target = _project(path)
    folder = target.path / SCHEMAS_DIR
    folder.mkdir(exist_ok=True)
    written = {}
    for name, text in json_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written[name] = folder / name
    return written


def write_docs(path: Path | None = None) -> list[Path]:
    """Write the generated docs (codebook, error codes) into the project's docs/ folder."""
    target = _project(path)
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


def release(path: Path | None, bump: str, *, notes: list[str] = (), released: str | None = None,
            dist: Path | None = None) -> dict[str, Any]:
    """Make a release: validate, check the bump against the last release, set the version, rebuild the
    package, record the release, update CHANGELOG.md and CITATION.cff, and write the release folder,
    archive and checksums into dist/. Refuses (ReleaseError) rather than overwrite anything."""
    target = _project(path)
    data_root = target.data_root
    assert data_root is not None
    report = validate(target.path)
    if not report.ok:
        raise ReleaseError(f"validation fails with {len(report.problems)} problems: run `commdata validate`")
    released = releases.release_date(released)
    history = releases.manifests(data_root)
    last = releases.load_manifest(history[-1]) if history else None
    info = load_package_info(data_root / PACKAGE_INFO).model
    version = releases.bump_version(last["version"], bump) if last else info.version
    dist = dist or target.path / "dist"
    for existing in (data_root / releases.RELEASES_DIR / f"{version}.json", dist / f"{info.name}-{version}"):
        if existing.exists():
            raise ReleaseError(f"release {version} exists already ({existing}): releases are never overwritten")
    with tempfile.TemporaryDirectory(prefix="commdata-release-") as folder:
        corpus, loaded_info = _load_records(target)
        write_package(render_package(corpus, loaded_info.model), Path(folder))
        manifest = releases.package_manifest(Path(folder), version, released)
    change = releases.diff_manifests(last, manifest) if last else None
    if change is not None:
        releases.check_bump(change.required_bump, bump)
    releases.set_package_version(data_root / PACKAGE_INFO, version)
    built = build(target.path)
    if not built.report.ok:
        raise ReleaseError("the package could not be rebuilt with the new version")
    releases.write_manifest(data_root, manifest)
    changes = change.summary() if change else releases.first_release_summary(manifest)
    releases.add_changelog_section(target.path / "CHANGELOG.md",
                                   releases.changelog_section(version, released, changes, list(notes)))
    if (target.path / "CITATION.cff").exists():
        releases.update_citation(target.path / "CITATION.cff", version, released)
    folder = _write_release(target, dist, version, released)
    return {"version": version, "required_bump": change.required_bump if change else None,
            "changes": changes, "folder": folder, "archive": releases.archive_path(folder),
            "checksums": dist / "SHA256SUMS"}


def rebuild_release(path: Path | None = None, dist: Path | None = None) -> Path:
    """Write the release folder and archive of the project's current version again, from the committed
    files: byte-identical to the original release."""
    target = _project(path)
    data_root = target.data_root
    assert data_root is not None
    info = load_package_info(data_root / PACKAGE_INFO).model
    manifest_path = data_root / releases.RELEASES_DIR / f"{info.version}.json"
    if not manifest_path.exists():
        raise ReleaseError(f"version {info.version} was never released (no {manifest_path})")
    report = validate(target.path)
    if not report.ok:
        raise ReleaseError(f"validation fails with {len(report.problems)} problems: run `commdata validate`")
    dist = dist or target.path / "dist"
    if (dist / f"{info.name}-{info.version}").exists():
        raise ReleaseError(f"{dist / f'{info.name}-{info.version}'} exists: releases are never overwritten")
    return _write_release(target, dist, info.version, releases.load_manifest(manifest_path)["date"])


def _write_release(target: Target, dist: Path, version: str, released: str) -> Path:
    """dist/NAME-VERSION/ (the package, a README, the codebook, changelog and citation), its zip, and
    dist/SHA256SUMS."""
    root = target.path
    descriptor = json.loads((root / DESCRIPTOR_PATH).read_text(encoding="utf-8"))
    name = descriptor["name"]
    folder = dist / f"{name}-{version}"
    staging = dist / f".{name}-{version}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "data").mkdir(parents=True)
    shutil.copy2(root / DESCRIPTOR_PATH, staging / DESCRIPTOR_PATH)
    shutil.copytree(root / "data" / "tables", staging / "data" / "tables")
    counts = {resource["name"].removesuffix("-csv"): pq.read_metadata(root / resource["path"].replace(".csv", ".parquet")).num_rows
              for resource in descriptor["resources"] if resource["format"] == "csv"}
    citation = root / "CITATION.cff"
    (staging / "README.md").write_text(releases.release_readme(
        descriptor, released, releases.citation_text(citation, version), counts), encoding="utf-8")
    (staging / "CODEBOOK.md").write_text(codebook_markdown(), encoding="utf-8")
    (staging / duckdb_export.SCRIPT_NAME).write_text(duckdb_export.duckdb_script(), encoding="utf-8")
    write_site(staging, staging)
    for extra in ("CHANGELOG.md", "CITATION.cff"):
        if (root / extra).exists():
            shutil.copy2(root / extra, staging / extra)
    database = dist / f"{name}-{version}.duckdb"
    try:
        duckdb_export.write_database(staging, database)
    except RuntimeError as error:
        shutil.rmtree(staging)
        raise ReleaseError(str(error)) from error
    staging.rename(folder)
    releases.write_archive(folder, releases.archive_path(folder))
    releases.write_checksums(dist)
    releases.write_checksum(database)
    return folder


def scorecard(path: Path | None, meeting: str | None = None) -> tuple[Report, list[dict[str, Any]]]:
    """The scorecard rows of a project (all meetings, or one), with the records' validation report."""
    from .scorecard import scorecard_rows

    target = _project(path)
    corpus, info = _load_records(target)
    report = Report(target=_display(target.path), kind=target.kind, problems=_record_problems(corpus, info),
                    counts=_record_counts(corpus))
    if meeting is not None and meeting not in {model.meeting.id for _, model in corpus.checkable_files}:
        raise PathError(f"no meeting {meeting!r} in {target.path}")
    return report, scorecard_rows(corpus, meeting)


def parse_text(text: str) -> dict[str, Any]:
    """Every figure in ``text`` (taken to its canonical form), parsed, as JSON-ready data."""
    canonical = canonical_text(text)
    figures = []
    for found in find_figures(canonical):
        quantity = found.quantity
        figures.append({
            "figure": found.figure, "start": found.start, "end": found.end,
            "parsed": quantity is not None,
            "prefix": quantity.prefix if quantity else None,
            "number_as_written": quantity.number_as_written if quantity else None,
            "number": _decimal_text(quantity.number) if quantity else None,
            "multiplier": quantity.multiplier if quantity else None,
            "unit": quantity.unit if quantity else None,
            "value": _decimal_text(quantity.value) if quantity else None,
            "bound": found.bound.value, "bound_word": found.bound_word, "date_like": found.date_like,
        })
    return {"text": canonical, "figures": figures}


def _decimal_text(value: Any) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def coverage_report(path: Path | None, sources: list[Path]) -> dict[str, Any]:
    """Each figure of each source (all of the project's, or those given) with what accounts for it."""
    target = _project(path)
    corpus, _ = _load_records(target)
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
            figures.append({"source": _display(source_path), "meeting": model.meeting.id, "figure": found.figure,
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
    names = {i.name: i.code for i in codebook.model.indicators} if codebook and codebook.model else {}
    document = draft_document(text, f"sources/{source.name}", facts, names)
    path = out or data_root / MEETINGS_DIR / f"{document['meeting']['id']}.yaml"
    write_draft(path, render_draft(document), force)
    return {"path": _display(path), "achievements": len(document["achievements"]),
            "targets": len(document["targets"]), "not_recorded": len(document["not_recorded"])}


def _project(path: Path | None) -> Target:
    target = resolve(path)
    if target.kind != "project":
        raise PathError(f"{target.path} is not a project (a folder holding {DATA_DIR}/meetings)")
    return target


def _generated_problems(root: Path, corpus: Corpus, info: LoadedFile) -> list[Problem]:
    """Committed generated files must be what the records generate now, and the package must be sound."""
    problems: list[Problem] = []

    def stale(relative: str, message: str, code: str = "generated-stale") -> None:
        problems.append(Problem(code, message, file=_display(root / relative)))

    for name, text in json_schemas().items():
        committed = root / SCHEMAS_DIR / name
        if not committed.is_file():
            stale(f"{SCHEMAS_DIR}/{name}", "missing: run `commdata schema`", "generated-missing")
        elif committed.read_text(encoding="utf-8") != text:
            stale(f"{SCHEMAS_DIR}/{name}", "differs from the models: run `commdata schema`")
    for relative, generate in GENERATED_DOCS.items():
        committed = root / relative
        if not committed.is_file():
            stale(relative, "missing: run `commdata docs`", "generated-missing")
        elif committed.read_text(encoding="utf-8") != generate():
            stale(relative, "differs from the models: run `commdata docs`")
    descriptor_path = root / DESCRIPTOR_PATH
    if not descriptor_path.is_file():
        stale(DESCRIPTOR_PATH, "missing: run `commdata build`", "generated-missing")
        return problems
    try:
        created = json.loads(descriptor_path.read_text(encoding="utf-8")).get("created")
    except (ValueError, AttributeError):
        created = None
    committed_created = created if isinstance(created, str) else None
    committed_tables: dict[str, bytes] = {}
    for relative, data in render_tables(corpus, info.model).items():
        path = root / relative
        if not path.is_file():
            stale(relative, "missing: run `commdata build`", "generated-missing")
            continue
        committed_tables[relative] = path.read_bytes()
        if not _same_table(relative, committed_tables[relative], data):
            stale(relative, "differs from what the records generate: run `commdata build`")
    if problems:
        return problems
    # Parquet bytes may differ between pyarrow versions while the content is the same: judge the
    # descriptor against the committed files' own hashes.
    expected = render_descriptor(corpus, info.model, committed_tables, committed_created)
    if descriptor_path.read_bytes() != expected:
        stale(DESCRIPTOR_PATH, "differs from what the records generate: run `commdata build`")
        return problems
    return check_package(descriptor_path).problems


def _same_table(relative: str, committed: bytes, fresh: bytes) -> bool:
    if committed == fresh or not relative.endswith(".parquet"):
        return committed == fresh
    try:
        old, new = pq.read_table(pa.BufferReader(committed)), pq.read_table(pa.BufferReader(fresh))
    except (pa.ArrowException, OSError, ValueError):
        return False
    return old.equals(new, check_metadata=True)
