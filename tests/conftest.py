"""Shared fixtures: copies of the repository's project and of a made-up second city, and helpers to
break them in one place and find the line that was broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from commdata import api
from commdata.cli import main

REPO = Path(__file__).resolve().parents[1]
SECOND_CITY = Path(__file__).resolve().parent / "fixtures" / "second-city"
SECOND_CITY_FILE = "data/meetings/539900-cpc-c04-p06.yaml"


@pytest.fixture(autouse=True)
def own_check_cache(tmp_path_factory, monkeypatch):
    """Each test gets an empty check cache of its own (commdata validate uses one by default), so that
    no test reads what another left, and a test that validates twice sees the cache at work."""
    monkeypatch.setenv("COMMDATA_CACHE_DIR", str(tmp_path_factory.mktemp("check-cache")))


def run(*args: str):
    """Run the CLI; return Click's result (exit_code, output)."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def run_json(*args: str) -> tuple[int, dict]:
    result = run(*args, "--format", "json")
    return result.exit_code, json.loads(result.output)


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in a file (it must occur ``count`` times); return the 1-based line
    of its first occurrence."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def copy_project(source: Path, destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in ("data", "schemas", "docs"):
        if (source / name).exists():
            shutil.copytree(source / name, destination / name)
    if (source / "datapackage.json").exists():
        shutil.copy2(source / "datapackage.json", destination / "datapackage.json")
    return destination


@pytest.fixture
def hohhot(tmp_path: Path) -> Path:
    """A copy of the repository's own project (records, sources, generated files)."""
    return copy_project(REPO, tmp_path / "hohhot")


@pytest.fixture
def second_city(tmp_path: Path) -> Path:
    """A made-up city's project, with its schemas and package generated."""
    root = copy_project(SECOND_CITY, tmp_path / "second-city")
    api.write_schemas(root)
    api.write_docs(root)
    assert api.build(root).report.ok
    return root


def make_records(folder: Path, text: str, achievements: list[dict] = (), targets: list[dict] = ()) -> Path:
    """A data folder with one meeting of a made-up city (2024-12-20) over ``text``. Records give
    ``quote`` and may leave out offsets, which are then found in the canonical text."""
    import hashlib

    from decimal import Decimal

    from commdata.records.draft import render_draft
    from commdata.domain.sources import canonical_text

    (folder / "meetings").mkdir(parents=True)
    (folder / "sources").mkdir()
    raw = text.encode("utf-8")
    (folder / "sources" / "s.txt").write_bytes(raw)
    canonical = canonical_text(text)

    def complete(record: dict, part: str, number: int) -> dict:
        record = {"id": f"539900-cpc-c01-p02-{part}{number:03d}", "period": 2024 if part == "a" else 2025,
                  "indicator": "指标", "indicator_en": "indicator", "kind": "quantity", **record}
        for name in ("number", "value"):  # numbers, not strings: YAML must write them plain
            if name in record:
                record[name] = Decimal(record[name])
        if "figure" in record and record["kind"] not in ("designation", "qualitative"):
            code = f"test.{part}{number}"  # one indicator per record, in the record's unit
            record.setdefault("indicator_code", code)
            indicators.append({"code": code, "name": "指标", "name_en": "indicator", "unit": record.get("unit") or "个",
                               "definition": "a test indicator"})
        start = canonical.index(record["quote"])
        record.setdefault("quote_start", start)
        record.setdefault("quote_end", start + len(record["quote"]))
        return record

    indicators: list[dict] = []
    document = {
        "source": {"id": "539900-test", "title": "测试公报", "issuing_body": "测试委员会", "file": "sources/s.txt",
                   "sha256": hashlib.sha256(raw).hexdigest()},
        "meeting": {"id": "539900-cpc-c01-p02", "source_id": "539900-test", "title": "测试全会", "body": "测试委员会",
                    "body_en": "Test committee", "admin_code": "539900", "place": "测试市", "place_en": "Test City",
                    "term": 1, "plenary": 2, "kind": "plenary_session", "date": "2024-12-20",
                    "participants": [{"role": "presided", "name": "常委会"}]},
        "achievements": [complete(record, "a", number) for number, record in enumerate(achievements, 1)],
        "targets": [complete(record, "t", number) for number, record in enumerate(targets, 1)],
    }
    (folder / "indicators.yaml").write_text(render_draft({"indicators": indicators}), encoding="utf-8")
    path = folder / "meetings" / "539900-cpc-c01-p02.yaml"
    path.write_text(render_draft(document), encoding="utf-8")  # its dumper writes Decimals as plain numbers
    return folder
