"""Shared fixtures: projects the suite owns (a frozen copy of the Hohhot records and a made-up second
city, each with its generated files), and helpers to break them in one place and find the line that
was broken.

The suite never reads the repository's own data/: a curator adding a meeting must not turn it red.
The repository's data is checked by `commdata validate .`, a step of .ci/run of its own. Tests that
read the repository's other files (docs, schemas, the CI script) are marked ``repository``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from commdata import api
from commdata.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOHHOT = FIXTURES / "hohhot"  # the Hohhot records of release 0.1.0 (113), frozen; kept in the current model (codes, direction)
HOHHOT_FILE = "data/meetings/150100-cpc-c13-p07.yaml"
HOHHOT_SOURCE = "data/sources/hohhot-cpc-c13-p07-communique.txt"
SECOND_CITY = FIXTURES / "second-city"
SECOND_CITY_FILE = "data/meetings/539900-cpc-c04-p06.yaml"
# A made-up city whose texts use other measure words (名, 个 for 家 and 所, 处, 座, 户, 台, 项, 千米), a fall
# in words and one with a minus sign, and targets over several years; two meetings, shared codes only.
MEASURE_WORDS = FIXTURES / "measure-words"
MEASURE_WORDS_FILES = ("data/meetings/539700-cpc-c02-p04.yaml", "data/meetings/539700-cpc-c02-p05.yaml")


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


def generated_project(fixture: Path, destination: Path) -> Path:
    """A copy of a fixture project with its schemas, docs and package generated."""
    root = copy_project(fixture, destination)
    api.write_schemas(root)
    api.write_docs(root)
    result = api.build(root)
    assert result.report.ok, result.report.problems
    return root


@pytest.fixture(scope="session")
def _built_fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each fixture project generated once a run; tests get copies of these."""
    folder = tmp_path_factory.mktemp("fixture-projects")
    return {name: generated_project(source, folder / name) for name, source in
            (("hohhot", HOHHOT), ("second-city", SECOND_CITY), ("measure-words", MEASURE_WORDS))}


@pytest.fixture
def hohhot(tmp_path: Path, _built_fixtures: dict[str, Path]) -> Path:
    """The frozen Hohhot project (records, sources, generated files): a real communiqué, 113 records."""
    return Path(shutil.copytree(_built_fixtures["hohhot"], tmp_path / "hohhot"))


@pytest.fixture
def second_city(tmp_path: Path, _built_fixtures: dict[str, Path]) -> Path:
    """A made-up city's project, with its schemas and package generated."""
    return Path(shutil.copytree(_built_fixtures["second-city"], tmp_path / "second-city"))


@pytest.fixture
def measure_words(tmp_path: Path, _built_fixtures: dict[str, Path]) -> Path:
    """The made-up city Chengchuan's project (two meetings), with its schemas and package generated."""
    return Path(shutil.copytree(_built_fixtures["measure-words"], tmp_path / "measure-words"))


def make_records(folder: Path, text: str, achievements: list[dict] = (), targets: list[dict] = ()) -> Path:
    """A data folder with one meeting of a made-up city (2024-12-20) over ``text``. Records give
    ``quote`` and may leave out offsets, which are then found in the canonical text."""
    import hashlib

    from decimal import Decimal

    from commdata.records.draft import draft_yaml
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
            code = f"test.{part}{number}"  # one indicator per record, in the record's unit and of its measure
            record.setdefault("indicator_code", code)
            if record["kind"] == "growth":
                record.setdefault("direction", "up")
            measure = {"quantity": "stock" if record.get("cumulative") else "flow", "streak": "count"}.get(
                record["kind"], record["kind"])
            indicators.append({"code": code, "name": "指标", "name_en": "indicator", "measure": measure,
                               "unit": record.get("unit") or "个", "definition": "an indicator made up for a check",
                               "definition_zh": "示例指标",
                               **({"ranking": {"publisher": "示例机构", "title": "示例排名"}} if measure == "rank" else {})})
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
    (folder / "indicators.yaml").write_text(draft_yaml({"indicators": indicators}), encoding="utf-8")
    path = folder / "meetings" / "539900-cpc-c01-p02.yaml"
    path.write_text(draft_yaml(document), encoding="utf-8")  # its dumper writes Decimals as plain numbers
    return folder
