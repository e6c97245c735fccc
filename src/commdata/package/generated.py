"""Generated files must be current: the committed schemas, docs, tables and descriptor are what the
models and records generate now, and the committed package passes the package checks."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # this module assembles the tables to compare: only projects are validated with it

from commdata.errors import PartitionError, Problem, catalogue_markdown
from commdata.inputs import display
from commdata.layout import CODEBOOK_DOC, DESCRIPTOR_PATH, ERROR_CODES_DOC, SCHEMAS_DIR
from commdata.package.assemble import descriptor_bytes, table_files
from commdata.package.check import check_package
from commdata.package.codebook import codebook_markdown
from commdata.package.gate import MAX_DESCRIPTOR_BYTES, MAX_TABLE_BYTES, GateError, parse_json, read_file
from commdata.package.gate.parquet import parquet_table
from commdata.package.partition_columns import check_columns, declared_columns
from commdata.records.corpus import Corpus
from commdata.records.json_schemas import json_schemas
from commdata.records.loading import LoadedFile

GENERATED_DOCS = {CODEBOOK_DOC: codebook_markdown, ERROR_CODES_DOC: catalogue_markdown}


def generated_problems(root: Path, corpus: Corpus, info: LoadedFile) -> list[Problem]:
    """Committed generated files must be what the records generate now, and the package must be sound.
    Files that are not are reported in one problem: one command (`commdata build`) writes them all."""
    missing: list[str] = []
    stale: list[str] = []

    def compare(relative: str, expected: str) -> None:
        committed = root / relative
        if not committed.is_file():
            missing.append(relative)
        elif committed.read_text(encoding="utf-8") != expected:
            stale.append(relative)

    for name, text in json_schemas().items():
        compare(f"{SCHEMAS_DIR}/{name}", text)
    for relative, generate in GENERATED_DOCS.items():
        compare(relative, generate())
    descriptor_path = root / DESCRIPTOR_PATH
    committed_created: str | None = None
    partition_by: tuple[str, ...] = ()
    unreadable: list[Problem] = []  # a committed file that is a link, a FIFO or too large is no table
    if not descriptor_path.is_file():
        missing.append(DESCRIPTOR_PATH)
    else:
        try:  # committed files are read as any package's are
            descriptor = parse_json(read_file(root, DESCRIPTOR_PATH, MAX_DESCRIPTOR_BYTES), DESCRIPTOR_PATH)
            created = descriptor.get("created") if isinstance(descriptor, dict) else None
            partition_by = check_columns(declared_columns(descriptor))  # a package built with --partition-by
        except (GateError, PartitionError):  # the package check below says what is wrong
            created, partition_by = None, ()
        committed_created = created if isinstance(created, str) else None
    committed_tables: dict[str, bytes] = {}
    for relative, data in table_files(corpus, info.model, partition_by).items():
        try:
            committed_tables[relative] = read_file(root, relative, MAX_TABLE_BYTES)
        except GateError as error:
            if error.code == "resource-missing":
                missing.append(relative)
            else:
                unreadable.append(Problem(error.code, error.message, file=display(root / relative)))
            continue
        if not same_table(relative, committed_tables[relative], data):
            stale.append(relative)
    if not missing and not stale and not unreadable:
        # Parquet bytes may differ between pyarrow versions while the content is the same: judge the
        # descriptor against the committed files' own hashes.
        expected = descriptor_bytes(corpus, info.model, committed_tables, committed_created, partition_by)
        if committed_descriptor(root) != expected:
            stale.append(DESCRIPTOR_PATH)
    if missing or stale:
        unreadable.append(_one_problem(root, missing, stale))
    if unreadable:
        return unreadable
    return check_package(descriptor_path).problems


def _one_problem(root: Path, missing: list[str], stale: list[str]) -> Problem:
    said = [f"{what}: {', '.join(files)}" for what, files in (("out of date", stale), ("missing", missing)) if files]
    return Problem("generated-stale" if stale else "generated-missing", "; ".join(said),
                   file=display(root / (stale or missing)[0]))


def committed_descriptor(root: Path) -> bytes | None:
    try:
        return read_file(root, DESCRIPTOR_PATH, MAX_DESCRIPTOR_BYTES)
    except GateError:
        return None


def same_table(relative: str, committed: bytes, fresh: bytes) -> bool:
    if committed == fresh or not relative.endswith(".parquet"):
        return committed == fresh
    try:
        old, new = parquet_table(committed), parquet_table(fresh)
    except (GateError, pa.ArrowException, OSError, ValueError):  # unreadable or a bomb: not the table it should be
        return False
    return old.equals(new, check_metadata=True)
