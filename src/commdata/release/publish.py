"""Make a release: validate, check the bump against the last release, set the version, rebuild, record
the release, update the changelog and citation, and write the release folder, archive, checksums and
DuckDB database. The pieces are in releases.py; this module runs them in order."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from commdata.release import duckdb_export
from commdata.release import manifests as releases
from commdata.api import validate
from commdata.package.codebook import codebook_markdown
from commdata.records.corpus import load_records
from commdata.records.loading import load_package_info
from commdata.inputs import PACKAGE_INFO, Target, resolve_project
from commdata.package.descriptor import DESCRIPTOR_PATH
from commdata.package.render import render_package
from commdata.release.site import write_site
from commdata.package.writer import write_package

ReleaseError = releases.ReleaseError


def release(path: Path | None, bump: str, *, notes: list[str] = (), released: str | None = None,
            dist: Path | None = None) -> dict[str, Any]:
    """Make a release: validate, check the bump against the last release, set the version, rebuild the
    package, record the release, update CHANGELOG.md and CITATION.cff, and write the release folder,
    archive and checksums into dist/. Refuses (ReleaseError) rather than overwrite anything."""
    target = resolve_project(path)
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
        corpus, loaded_info = load_records(target, render=True)
        write_package(render_package(corpus, loaded_info.model), Path(folder))
        manifest = releases.package_manifest(Path(folder), version, released)
    change = releases.diff_manifests(last, manifest) if last else None
    if change is not None:
        releases.check_bump(change.required_bump, bump)
    releases.set_package_version(data_root / PACKAGE_INFO, version)
    # The same records, rendered again under the new version (it stands in the descriptor and in every
    # Parquet file's metadata): no need to read and check them a third time.
    write_package(render_package(corpus, loaded_info.model.model_copy(update={"version": version})), target.path)
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
    target = resolve_project(path)
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


