"""Make a release: validate, check the bump against the last release, set the version, rebuild, record
the release, update the changelog and citation, and write the release folder, archive, checksums and
DuckDB database. The pieces are in the other modules of release/; this one runs them in order."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyarrow.parquet as pq  # releases are made of Parquet tables; nothing that only validates imports this

from commdata.domain.versions import bump_version
from commdata.errors import ReleaseError
from commdata.inputs import ResolvedPath, resolve_project
from commdata.layout import (CHANGELOG, CHECKSUMS, CITATION, DESCRIPTOR_PATH, DIST_DIR, PACKAGE_INFO, RELEASE_CODEBOOK,
                             RELEASE_DUCKDB_SCRIPT, RELEASE_README, RELEASES_DIR, TABLES_DIR)
from commdata.package.assemble import package_files
from commdata.package.codebook import codebook_markdown
from commdata.package.csv_rows import file_csv_rows
from commdata.package.gate import require_package
from commdata.package.validation import validate
from commdata.package.writer import write_package
from commdata.records.load_corpus import load_records
from commdata.records.loading import load_package_info
from commdata.records.release_history import load_manifest, manifests
from commdata.release import archive, changelog, duckdb_export
from commdata.release.manifests import check_bump, diff_manifests, package_manifest, write_manifest
from commdata.release.readme import release_readme
from commdata.release.result import ReleaseResult
from commdata.release.site import write_site


def release(path: Path | None, bump: str, *, notes: tuple[str, ...] | list[str] = (), released: str | None = None,
            dist: Path | None = None) -> ReleaseResult:
    """Make a release: validate, check the bump against the last release, set the version, rebuild the
    package, record the release, update CHANGELOG.md and CITATION.cff, and write the release folder,
    archive and checksums into dist/. Refuses (ReleaseError) rather than overwrite anything."""
    target = resolve_project(path)
    data_root = target.data_root
    assert data_root is not None
    report = validate(target.path)
    if not report.ok:
        raise ReleaseError(f"validation fails with {len(report.problems)} problems: run `commdata validate`")
    released = changelog.release_date(released)
    history = manifests(data_root)
    last = load_manifest(history[-1]) if history else None
    info = load_package_info(data_root / PACKAGE_INFO).model
    version = bump_version(last["version"], bump) if last else info.version
    dist = dist or target.path / DIST_DIR
    for existing in (data_root / RELEASES_DIR / f"{version}.json", dist / f"{info.name}-{version}"):
        if existing.exists():
            raise ReleaseError(f"release {version} exists already ({existing}): releases are never overwritten")
    with tempfile.TemporaryDirectory(prefix="commdata-release-") as scratch:
        corpus, loaded_info = load_records(target, render=file_csv_rows)
        assert loaded_info is not None and loaded_info.model is not None  # a valid project has its package.yaml
        write_package(package_files(corpus, loaded_info.model), Path(scratch))
        manifest = package_manifest(Path(scratch), version, released)
    change = diff_manifests(last, manifest) if last else None
    if change is not None:
        check_bump(change.required_bump, bump)
    changelog.set_package_version(data_root / PACKAGE_INFO, version)
    # The same records, rendered again under the new version (it stands in the descriptor and in every
    # Parquet file's metadata): no need to read and check them a third time.
    write_package(package_files(corpus, loaded_info.model.model_copy(update={"version": version})), target.path)
    write_manifest(data_root, manifest)
    changes = change.summary() if change else changelog.first_release_summary(manifest)
    changelog.add_changelog_section(target.path / CHANGELOG,
                                    changelog.changelog_section(version, released, changes, list(notes)))
    if (target.path / CITATION).exists():
        changelog.update_citation(target.path / CITATION, version, released)
    folder = _write_release(target, dist, version, released)
    return ReleaseResult(version, change.required_bump if change else None, changes, folder,
                         archive.archive_path(folder), dist / CHECKSUMS)


def rebuild_release(path: Path | None = None, dist: Path | None = None) -> Path:
    """Write the release folder and archive of the project's current version again, from the committed
    files: byte-identical to the original release."""
    target = resolve_project(path)
    data_root = target.data_root
    assert data_root is not None
    info = load_package_info(data_root / PACKAGE_INFO).model
    manifest_path = data_root / RELEASES_DIR / f"{info.version}.json"
    if not manifest_path.exists():
        raise ReleaseError(f"version {info.version} was never released (no {manifest_path})")
    report = validate(target.path)
    if not report.ok:
        raise ReleaseError(f"validation fails with {len(report.problems)} problems: run `commdata validate`")
    dist = dist or target.path / DIST_DIR
    if (dist / f"{info.name}-{info.version}").exists():
        raise ReleaseError(f"{dist / f'{info.name}-{info.version}'} exists: releases are never overwritten")
    return _write_release(target, dist, info.version, load_manifest(manifest_path)["date"])


def _write_release(target: ResolvedPath, dist: Path, version: str, released: str) -> Path:
    """dist/NAME-VERSION/ (the package, a README, the codebook, changelog and citation), its zip, and
    dist/SHA256SUMS."""
    root = target.path
    descriptor = require_package(root).descriptor
    assert descriptor is not None  # require_package refuses a package without one
    name = descriptor["name"]
    folder = dist / f"{name}-{version}"
    staging = dist / f".{name}-{version}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / TABLES_DIR).parent.mkdir(parents=True)
    shutil.copy2(root / DESCRIPTOR_PATH, staging / DESCRIPTOR_PATH)
    shutil.copytree(root / TABLES_DIR, staging / TABLES_DIR)
    counts = {resource["name"].removesuffix("-csv"): pq.read_metadata(root / resource["path"].replace(".csv", ".parquet")).num_rows
              for resource in descriptor["resources"] if resource["format"] == "csv"}
    citation = root / CITATION
    (staging / RELEASE_README).write_text(release_readme(
        descriptor, released, changelog.citation_text(citation, version), counts), encoding="utf-8")
    (staging / RELEASE_CODEBOOK).write_text(codebook_markdown(), encoding="utf-8")
    (staging / RELEASE_DUCKDB_SCRIPT).write_text(duckdb_export.duckdb_script(), encoding="utf-8")
    write_site(staging, staging)
    for extra in (CHANGELOG, CITATION):
        if (root / extra).exists():
            shutil.copy2(root / extra, staging / extra)
    database = dist / f"{name}-{version}.duckdb"
    try:
        duckdb_export.write_database(staging, database)
    except RuntimeError as error:
        shutil.rmtree(staging)
        raise ReleaseError(str(error)) from error
    staging.rename(folder)
    archive.write_archive(folder, archive.archive_path(folder))
    archive.write_checksums(dist)
    archive.write_checksum(database)
    return folder


