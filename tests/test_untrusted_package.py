"""Issue #16: a downloaded package is untrusted input. Every command that reads one (`validate`,
`info`, `diff`, `site`, and `diff` of a release archive) must survive anything.

This module attacks those commands through the public CLI only: ``commdata.cli.main`` under Click's
CliRunner, in this process, or in a driver subprocess (memory capped, killed on a deadline) wherever
the attack could hang or exhaust memory. It builds its own package once per module from a copy of the
repository's project (``commdata build``) and copies it per test (hard links; the descriptor and any
file a test writes are its own). Slow and dangerous jobs (special files, the retyping matrix) start in
the background as soon as the package is built and run on the second core while the other tests run.

Every test checks the same things, in this order, and its failure message starts with a tag that
says which one broke:

    HANG         the command did not finish within HANG_SECONDS (killed)
    TRACEBACK    an uncaught exception (or "Traceback" in the output)
    LEAK         bytes from outside the package (MARKER, SECRET, the environment) were printed or
                 embedded in the page
    FALSE-VALID  `validate` said valid (exit 0) about a package that must be refused
    NOT-REFUSED  `info`, `diff` or `site` went on (exit 0) with a package they must refuse
    REFUSED      a command refused (exit 1 or 2) what it must accept (a correctly quoted CSV header)
    EXIT         an exit code other than 0, 1 or 2
    CODE         refused, but not with the stable error code asked for below
    INJECTION    output that turns against its reader (the release page, --format github, action.yml)

Stable error codes: the issue asks for them; the names below are proposals. Align them here, in one
place, with what the implementation calls them.
"""

from __future__ import annotations

import base64
import copy
import csv
import hashlib
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
import traceback
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from commdata.cli import main
from commdata.package.gate import GateError
from commdata.package.gate.parquet import parquet_table

# ---------------------------------------------------------------------------------------------------
# The stable error codes (proposed names: align them here).

PATH_OUTSIDE = "path-outside-package"      # absolute, "..", URL, NUL, a link leading out of the package
NOT_REGULAR = "path-not-regular-file"       # FIFO, device, folder, symbolic link
DESCRIPTOR_INVALID = "descriptor-invalid"   # fails the Data Package v2 / Table Schema profiles or their rules
UNSUPPORTED = "property-unsupported"        # a property commdata does not honour (dialect, encoding, …)
HASH_MISSING = "hash-missing"               # a resource without a usable hash
DUPLICATE_KEY = "json-duplicate-key"
TOO_DEEP = "json-too-deep"
NOT_A_NUMBER = "json-not-a-number"          # NaN, Infinity, -Infinity in the descriptor
TOO_LARGE = "file-too-large"
CSV_FORMULA = "csv-formula"                 # a quote or source text that would begin a CSV cell with = + - @
TWIN_MISMATCH = "twin-type-mismatch"        # CSV and Parquet copies of a table declare different types
# Codes that exist today and keep their meaning:
TABLE_UNREADABLE = "table-unreadable"
FIELD_MISMATCH = "field-mismatch"
CELL_TYPE_ERROR = "cell-type-error"
CONSTRAINT_VIOLATION = "constraint-violation"
CSV_PARQUET_MISMATCH = "csv-parquet-mismatch"
HASH_MISMATCH = "resource-hash-mismatch"

# ---------------------------------------------------------------------------------------------------
# Limits of the suite itself.

HANG_SECONDS = 10  # a job of a driver subprocess (one takes well under a second)
EXAMPLE_SECONDS = 20  # hard limit for one in-process hypothesis example (four commands)
TEST_SECONDS = 180  # hard limit for any test (the first retyping test waits for the background matrix)
MEMORY_LIMIT = 3 << 30  # address space of a subprocess: reading /dev/zero fails instead of eating the machine
HUGE = 1 << 40  # a sparse file of 1 TiB: no sane limit lets it through, and it takes no disk

MARKER = f"OUTSIDE{uuid.uuid4().hex[:12]}"  # only in files outside the package
SECRET = f"SECRET{uuid.uuid4().hex}"  # only in the environment of the subprocesses
SECRET_VARIABLE = "COMMDATA_ISSUE16_SECRET"
INJECTED = "::error title=INJECTED::"  # a GitHub workflow command an attacker wants on a line of its own
COMMANDS = ("validate", "info", "diff", "site")
TYPES = ("string", "integer", "number", "date", "boolean")


REPO = Path(__file__).resolve().parents[1]  # for the repository's own files (action.yml); never its data
FROZEN_PROJECT = REPO / "tests" / "fixtures" / "hohhot"  # the suite's own project, which the package is built from


# ---------------------------------------------------------------------------------------------------
# Running the CLI.

@dataclass
class Outcome:
    command: str
    code: int | None  # None: it hung and was killed
    stdout: str
    stderr: str
    crash: str | None = None  # the traceback of an uncaught exception
    page: str = ""  # what `site` wrote, when it wrote anything

    @property
    def text(self) -> str:
        return self.stdout + "\n" + self.stderr + "\n" + self.page

    def brief(self) -> str:
        shown = (self.crash or self.stderr or self.stdout).strip()
        return f"{self.command} exit {self.code}: {shown[-1200:]}"


def cli(*args: Any, env: dict[str, str] | None = None) -> Outcome:
    """Run the CLI in this process; an uncaught exception is recorded, never raised."""
    result = CliRunner().invoke(main, [str(arg) for arg in args], env=env, catch_exceptions=True)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    try:
        stderr = result.stderr
    except ValueError:  # Click 8.1 mixes stderr into stdout
        stderr = ""
    return Outcome(" ".join(str(arg) for arg in args[:1]), result.exit_code, result.stdout, stderr, crash)


# Runs CLI commands in a subprocess of its own, one after the other, and prints one JSON line per
# command as it ends: the jobs of the commands that could hang share one import of commdata.
DRIVER = r"""
import json, resource, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from click.testing import CliRunner
from commdata.cli import main
jobs = json.load(open(sys.argv[1], encoding="utf-8"))
for job in jobs[int(sys.argv[2]):]:
    result = CliRunner().invoke(main, job["args"], catch_exceptions=True)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    try:
        stderr = result.stderr
    except ValueError:
        stderr = ""
    record = {"id": job["id"], "code": result.exit_code, "stdout": result.stdout, "stderr": stderr, "crash": crash}
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()
"""


def drive(jobs: list[dict[str, Any]], folder: Path, env: dict[str, str] | None = None) -> dict[str, Outcome]:
    """Run the jobs ({"id", "command", "args"}) in a driver subprocess, its memory capped; a job that
    has not ended HANG_SECONDS after the one before it is recorded as hung, its driver killed (its own
    session: only what this suite started), and the jobs after it go on in a new driver."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    environment = {**os.environ, "COMMDATA_CACHE_DIR": str(folder / "cache"), **(env or {})}
    results: dict[str, Outcome] = {}
    start = 0
    while start < len(jobs):
        errors = folder / f"driver-{start}.err"
        with open(errors, "wb") as stderr:
            process = subprocess.Popen([sys.executable, "-c", DRIVER, str(jobs_file), str(start), str(MEMORY_LIMIT)],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
                                       env=environment, start_new_session=True)
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        buffer, deadline = b"", time.monotonic() + HANG_SECONDS
        while start < len(jobs):
            if b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                record = json.loads(line)
                job = jobs[start]
                assert record["id"] == job["id"]
                results[job["id"]] = Outcome(job["command"], record["code"], record["stdout"], record["stderr"],
                                             record["crash"])
                start += 1
                deadline = time.monotonic() + HANG_SECONDS
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(timeout=remaining):
                os.killpg(process.pid, signal.SIGKILL)
                results[jobs[start]["id"]] = Outcome(jobs[start]["command"], None, "", "")
                start += 1
                break
            chunk = os.read(process.stdout.fileno(), 1 << 16)
            if not chunk:  # the driver died outside the CLI (the memory limit, a signal)
                process.wait()
                died = errors.read_text(encoding="utf-8", errors="replace")
                results[jobs[start]["id"]] = Outcome(jobs[start]["command"], process.returncode, "", died,
                                                     died or f"the process died with {process.returncode}")
                start += 1
                break
            buffer += chunk
        selector.close()
        process.stdout.close()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return results


def command_args(command: str, package: Path, base: Path, out: Path) -> list[Any]:
    """The arguments that point ``command`` at ``package`` (diff: the clean base against it)."""
    return {"validate": ["validate", package, "--format", "json", "--no-cache"],
            "info": ["-v", "info", package],
            "diff": ["diff", base, package],
            "site": ["site", package, "--out", out]}[command]


def run_command(command: str, package: Path, base: Path, out: Path) -> Outcome:
    if command == "site":
        shutil.rmtree(out, ignore_errors=True)  # no page of an earlier run is taken for this one's
    outcome = cli(*command_args(command, package, base, out))
    outcome.command = command
    if command == "site":
        outcome.page = _read_page(out)
    return outcome


def _read_page(out: Path) -> str:
    page = out / "index.html"
    return page.read_text(encoding="utf-8", errors="replace") if page.is_file() else ""


# ---------------------------------------------------------------------------------------------------
# What every outcome must satisfy.

def _environment_entries() -> list[str]:
    """KEY=VALUE entries of this process's own environment as the kernel shows it, long enough not to
    occur by chance: none may be printed (the /proc/self/environ leak)."""
    try:
        raw = Path("/proc/self/environ").read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return []
    return [entry for entry in raw.split("\0") if len(entry) >= 12 and "=" in entry
            and not entry.startswith(("PYTEST_", "PWD=", "OLDPWD=", "_="))]


ENVIRONMENT = _environment_entries()


def fail(message: str) -> None:
    """Fail with ``message`` alone (pytest does not take apart an explicit raise: fast, and readable)."""
    raise AssertionError(message)


def check_safe(outcome: Outcome, allowed: tuple[int, ...] = (0, 1, 2), what: str = "") -> None:
    """No hang, no traceback, nothing from outside the package, an exit code in ``allowed``."""
    where = f"{outcome.command}{' ' + what if what else ''}"
    if outcome.code is None:
        fail(f"HANG: {where} still ran after {HANG_SECONDS} s")
    if outcome.crash is not None:
        fail(f"TRACEBACK: {where}: {crash_summary(outcome.crash)}")
    if "Traceback (most recent call last)" in outcome.text:
        fail(f"TRACEBACK: {where}: {crash_summary(outcome.text[outcome.text.index('Traceback (most recent'):])}")
    for secret, name in ((MARKER, "a file outside the package"), (SECRET, "the environment")):
        if secret in outcome.text:
            fail(f"LEAK: {where} printed or embedded {name}: {_around(outcome.text, secret)}")
    leaked = [entry for entry in ENVIRONMENT if entry in outcome.text]
    if leaked:
        fail(f"LEAK: {where} printed the environment: {leaked[0][:40]}…")
    if outcome.code not in (0, 1, 2):
        fail(f"EXIT: {where} exited {outcome.code}: {outcome.brief()}")
    if outcome.code not in allowed:
        if outcome.code != 0:
            tag = "REFUSED"  # something that must be accepted
        else:
            tag = "FALSE-VALID" if outcome.command == "validate" else "NOT-REFUSED"
        fail(f"{tag}: {where} exited {outcome.code}, expected one of {allowed}: {outcome.brief()}")


def crash_summary(crash: str) -> str:
    """The exception and where in commdata it was raised (the innermost commdata frame), then the tail."""
    lines = [line for line in crash.strip().splitlines() if line.strip()]
    frames = [line.strip() for line in lines if line.strip().startswith("File ") and "commdata" in line
              and "click" not in line]
    return f"{lines[-1][:300] if lines else '?'} [at {frames[-1] if frames else '?'}]\n{crash[-1200:]}"


def _around(text: str, secret: str) -> str:
    at = text.index(secret)
    return repr(text[max(0, at - 150): at + 60])


def problems_of(outcome: Outcome) -> list[dict[str, Any]]:
    try:
        return json.loads(outcome.stdout)["problems"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError(f"EXIT: validate --format json printed no report: {outcome.brief()}") from None


def check_invalid(outcome: Outcome, codes: tuple[str, ...], usage_ok: bool = False, what: str = "") -> None:
    """`validate` refuses the package (exit 1, or 2 where the path itself is refused), without a
    traceback or a leak, with at least one problem whose code is in ``codes``."""
    check_safe(outcome, (1, 2) if usage_ok else (1,), what)
    if outcome.code == 2:
        return
    found = sorted({problem["code"] for problem in problems_of(outcome)})
    if not set(found) & set(codes):
        fail(f"CODE: validate{' ' + what if what else ''} refused with {found}, expected one of {list(codes)}: "
             + "; ".join(f"{p['code']}: {p['message'][:120]}" for p in problems_of(outcome)[:3]))


# ---------------------------------------------------------------------------------------------------
# The package and what lies outside it.

DESCRIPTOR = "datapackage.json"
TABLES = "data/tables"


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No run writes to the user's cache (commands that do not take --no-cache)."""
    monkeypatch.setenv("COMMDATA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def no_test_hangs_the_suite() -> Any:
    """A hang in this process (a Python loop; a blocking read in C is why the special files run in
    drivers) fails its test after TEST_SECONDS instead of stopping the suite."""
    def expire(signum: int, frame: Any) -> None:
        raise Hung(f"HANG: the test took longer than {TEST_SECONDS} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the suite's frozen Hohhot project and the package built from it, once per module; and
    the files planted outside every package copy (MARKER in each)."""
    folder = tmp_path_factory.mktemp("issue16")
    project = folder / "project"
    shutil.copytree(FROZEN_PROJECT / "data", project / "data")
    built = cli("build", project, "--out", folder / "base", "--no-cache")
    assert built.code == 0 and built.crash is None, built.brief()
    _plant_outside(folder / "base", folder / "outside")
    return folder


def _plant_outside(base: Path, outside: Path) -> None:
    """outside/secret.parquet and secret.csv: the sources table with MARKER in its ids, titles and
    texts; outside/tables/: the package's tables with those two in place of sources.*."""
    outside.mkdir()
    table = pq.read_table(base / TABLES / "sources.parquet")
    rows = table.to_pylist() * 3
    for index, row in enumerate(rows):
        row.update(id=f"{MARKER}-{index}", title=f"{MARKER} title", text=f"{MARKER} text")
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), outside / "secret.parquet")
    with open(base / TABLES / "sources.csv", newline="", encoding="utf-8") as handle:
        header, *records = list(csv.reader(handle))
    records = (records * 3)[:3]
    for index, record in enumerate(records):
        for column, value in (("id", f"{MARKER}-{index}"), ("title", f"{MARKER} title"), ("text", f"{MARKER} text")):
            record[header.index(column)] = value
    with open(outside / "secret.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *records])
    shutil.copytree(base / TABLES, outside / "tables")
    for fmt in ("csv", "parquet"):
        shutil.copy2(outside / f"secret.{fmt}", outside / "tables" / f"sources.{fmt}")


@pytest.fixture(scope="module")
def base(work: Path) -> Path:
    """The clean package (never changed by a test)."""
    return work / "base"


def linked_copy(source: Path, destination: Path) -> Path:
    """A copy of a package whose data files are hard links (fast); its descriptor is a file of its own.
    A mutation that writes into a data file first makes it its own (see own())."""
    shutil.copytree(source, destination, copy_function=os.link)
    (destination / DESCRIPTOR).unlink()
    shutil.copy2(source / DESCRIPTOR, destination / DESCRIPTOR)
    return destination


def own(path: Path) -> Path:
    """Break a hard link before writing into a file, so that no test changes the base package."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    return path


@pytest.fixture
def pkg(tmp_path: Path, work: Path) -> Path:
    """A copy of the clean package at tmp_path/pkg, with the planted files at tmp_path/outside (a link
    to the module's: "../outside/secret.csv" reaches them from the package)."""
    (tmp_path / "outside").symlink_to(work / "outside")
    return linked_copy(work / "base", tmp_path / "pkg")


def load(package: Path) -> dict[str, Any]:
    return json.loads((package / DESCRIPTOR).read_text(encoding="utf-8"))


def save(package: Path, descriptor: Any) -> None:
    # ASCII escapes: a lone surrogate (a fuzzed value) is written as JSON can write it
    (package / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=True, indent=1), encoding="utf-8")


def res(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def fld(descriptor: dict[str, Any], resource_name: str, field_name: str) -> dict[str, Any]:
    return next(f for f in res(descriptor, resource_name)["schema"]["fields"] if f["name"] == field_name)


def rehash(package: Path, resource_name: str) -> None:
    """Declare the current hash (and size, for CSV) of a resource's file: only its content is wrong."""
    descriptor = load(package)
    resource_ = res(descriptor, resource_name)
    data = (package / resource_["path"]).read_bytes()
    resource_["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    if "bytes" in resource_:
        resource_["bytes"] = len(data)
    save(package, descriptor)


Mutation = Callable[[Path], None]


def edit(change: Callable[[dict[str, Any]], Any]) -> Mutation:
    """A mutation of the parsed descriptor."""
    def mutate(package: Path) -> None:
        descriptor = load(package)
        change(descriptor)
        save(package, descriptor)
    return mutate


def both(table: str, change: Callable[[dict[str, Any]], Any]) -> Mutation:
    """The same change to the CSV and the Parquet resource of a table (``change`` takes the resource)."""
    return edit(lambda d: [change(res(d, f"{table}-{fmt}")) for fmt in ("csv", "parquet")])


def text(change: Callable[[str], str]) -> Mutation:
    """A mutation of the descriptor's text (for what the JSON parser alone sees)."""
    def mutate(package: Path) -> None:
        path = package / DESCRIPTOR
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return mutate


def raw(data: bytes) -> Mutation:
    return lambda package: (package / DESCRIPTOR).write_bytes(data)


class Background:
    """Driver subprocesses started once per module, as soon as the base package is built, that run the
    slow and the dangerous jobs on the second core while the other tests run: the special files (they
    may hang, or exhaust memory) and the retyping matrix (hundreds of validations)."""

    def __init__(self, work: Path, special: bool, retype: bool) -> None:
        self.work = work
        self.executor = ThreadPoolExecutor(len(COMMANDS) + 1)
        jobs: dict[str, list[dict[str, Any]]] = {command: [] for command in COMMANDS}
        for case, (mutate, _, _) in SPECIAL_CASES.items() if special else ():
            folder = work / "special" / case
            shutil.copytree(work / "outside", folder / "outside")
            package = Path(shutil.copytree(work / "base", folder / "pkg"))
            mutate(package)
            for command in COMMANDS:
                jobs[command].append({"id": f"{case}/{command}", "command": command, "args": [
                    str(arg) for arg in command_args(command, package, work / "base", folder / "site")]})
        self._special = {command: self.executor.submit(drive, jobs[command], work / "drivers" / command,
                                                       {SECRET_VARIABLE: SECRET}) for command in COMMANDS}
        descriptor = load(work / "base")
        retype_jobs, self._retyped_keys = [], {}
        for number, key in enumerate(retypings(descriptor) if retype else ()):
            resource_name, index, _, _, new = key
            variant = copy.deepcopy(descriptor)
            res(variant, resource_name)["schema"]["fields"][index]["type"] = new
            package = linked_copy(work / "base", work / "retyped" / str(number))
            save(package, variant)
            retype_jobs.append({"id": str(number), "command": "validate",
                                "args": ["validate", str(package), "--format", "json", "--no-cache"]})
            self._retyped_keys[str(number)] = key
        self._retyped = self.executor.submit(drive, retype_jobs, work / "drivers" / "retype")

    def special(self) -> dict[tuple[str, str], Outcome]:
        """(case, command) → outcome, the page read for site."""
        outcomes = {}
        for command, future in self._special.items():
            for key, outcome in future.result().items():
                case = key.split("/")[0]
                if command == "site" and not outcome.page:
                    outcome.page = _read_page(self.work / "special" / case / "site")
                outcomes[case, command] = outcome
        return outcomes

    def retyped(self) -> dict[tuple[str, int, str, str, str], Outcome]:
        return {self._retyped_keys[number]: outcome for number, outcome in self._retyped.result().items()}


@pytest.fixture(scope="module", autouse=True)
def background(work: Path, request: pytest.FixtureRequest) -> Any:
    """Started before the first test; runs only what the selected tests need."""
    names = [item.name for item in request.session.items]
    runner = Background(work, special=any(name.startswith("test_special_files") for name in names),
                        retype=any("retyped" in name or "pair_of_types" in name for name in names))
    yield runner
    runner.executor.shutdown(wait=True)


# ---------------------------------------------------------------------------------------------------
# 0. Controls: the fixture is valid everywhere, so that every refusal below is the attack's doing.

def test_control_the_clean_package_passes_every_command(pkg: Path, base: Path, tmp_path: Path) -> None:
    for command in COMMANDS:
        outcome = run_command(command, pkg, base, tmp_path / "site")
        check_safe(outcome, (0,))
    assert json.loads(cli("validate", pkg, "--format", "json", "--no-cache").stdout)["valid"] is True
    from frictionless import Package  # the oracle of the property test accepts the clean descriptor
    assert Package.validate_descriptor(load(pkg)).valid


# ---------------------------------------------------------------------------------------------------
# 1. Reads outside the package: absolute, "..", URL, NUL, symbolic links; in every command.

def _point_sources_at(paths: Callable[[Path], tuple[str, str]]) -> Mutation:
    """Make the sources table's CSV and Parquet resources name other files: (csv path, parquet path)."""
    def mutate(package: Path) -> None:
        csv_path, parquet_path = paths(package)
        descriptor = load(package)
        res(descriptor, "sources-csv")["path"] = csv_path
        res(descriptor, "sources-parquet")["path"] = parquet_path
        save(package, descriptor)
    return mutate


def _link_sources(target: Callable[[Path], Path]) -> Mutation:
    """Replace data/tables/sources.{csv,parquet} with symbolic links (the descriptor is untouched)."""
    def mutate(package: Path) -> None:
        for fmt in ("csv", "parquet"):
            link = package / TABLES / f"sources.{fmt}"
            link.unlink()
            link.symlink_to(target(package) / f"secret.{fmt}" if target(package).is_dir() else target(package))
    return mutate


def _link_tables_folder(package: Path) -> None:
    """data/tables is a link to a folder outside, whose sources.* hold MARKER."""
    shutil.rmtree(package / TABLES)
    (package / TABLES).symlink_to(package.parent / "outside" / "tables")


def _sources_folder(package: Path) -> None:
    """data/tables/sources.parquet and .csv are folders (pyarrow reads a folder of Parquet files as one
    table): the folder holds the outside rows."""
    for fmt in ("csv", "parquet"):
        path = package / TABLES / f"sources.{fmt}"
        path.unlink()
        path.mkdir()
        shutil.copy2(package.parent / "outside" / f"secret.{fmt}", path / f"part-0.{fmt}")


PATH_CASES: dict[str, tuple[Mutation, tuple[str, ...]]] = {
    "absolute-path": (_point_sources_at(lambda p: (str(p.parent / "outside/secret.csv"),
                                                   str(p.parent / "outside/secret.parquet"))), (PATH_OUTSIDE,)),
    "dotdot-path": (_point_sources_at(lambda p: ("../outside/secret.csv", "../outside/secret.parquet")), (PATH_OUTSIDE,)),
    "dotdot-inside-path": (_point_sources_at(lambda p: ("data/tables/../../../outside/secret.csv",
                                                        "data/tables/../../../outside/secret.parquet")), (PATH_OUTSIDE,)),
    "url-path": (_point_sources_at(lambda p: ("https://example.invalid/sources.csv",
                                              "https://example.invalid/sources.parquet")), (PATH_OUTSIDE, UNSUPPORTED)),
    "file-url-path": (_point_sources_at(lambda p: (f"file://{p.parent}/outside/secret.csv",
                                                   f"file://{p.parent}/outside/secret.parquet")), (PATH_OUTSIDE, UNSUPPORTED)),
    "nul-in-path": (_point_sources_at(lambda p: ("data/tables/sources.csv\x00.txt", "data/tables/sources.parquet\x00.txt")),
                    (PATH_OUTSIDE, DESCRIPTOR_INVALID)),
    "symlink-to-outside-file": (_link_sources(lambda p: p.parent / "outside"), (PATH_OUTSIDE, NOT_REGULAR)),
    "symlinked-tables-folder": (_link_tables_folder, (PATH_OUTSIDE, NOT_REGULAR)),
    "resource-is-a-folder": (_sources_folder, (NOT_REGULAR,)),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", list(PATH_CASES))
def test_no_read_outside_the_package(case: str, command: str, pkg: Path, base: Path, tmp_path: Path) -> None:
    mutate, codes = PATH_CASES[case]
    mutate(pkg)
    outcome = run_command(command, pkg, base, tmp_path / "site")
    if command == "validate":
        check_invalid(outcome, codes)
    else:
        check_safe(outcome, (1, 2))


# ---------------------------------------------------------------------------------------------------
# 2. Special and huge files: nothing may block or read without end (subprocesses, killed on a deadline).

def _fifo(relative: str) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        (package / relative).unlink()
        os.mkfifo(package / relative)
    return mutate


def _to_dev_zero(relative: str) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        (package / relative).unlink()
        (package / relative).symlink_to("/dev/zero")
    return mutate


def _sparse(relative: str) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        with open(own(package / relative), "r+b") as handle:
            handle.truncate(HUGE)
    return mutate


def _parquet_bomb(resource_name: str, make_column: Callable[[], pa.Array], row_groups: int) -> Mutation:
    """A small Parquet file (dictionary and run-length encoded) that decodes into more than a table may
    take (4 GiB), declared with its own hash: a column repeated in ``row_groups`` row groups."""
    def mutate(package: Path) -> None:
        path, column = package / res(load(package), resource_name)["path"], make_column()
        with pq.ParquetWriter(own(path), pa.schema([("id", column.type)]), store_schema=False) as writer:
            for _ in range(row_groups):
                writer.write_table(pa.table({"id": column}))
        assert path.stat().st_size < 1 << 22  # a thousandth of what it decodes to, or less
        rehash(package, resource_name)
    return mutate


def _parquet_bytes(columns: dict[str, pa.Array], row_groups: int = 1) -> bytes:
    """A Parquet file of ``columns``, repeated in ``row_groups`` row groups, without the Arrow schema (so
    that a reader decodes dictionaries into plain values)."""
    sink = pa.BufferOutputStream()
    table = pa.table(columns)
    with pq.ParquetWriter(sink, table.schema, store_schema=False, compression="zstd") as writer:
        for _ in range(row_groups):
            writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _zeros(rows: int, kind: pa.DataType = pa.int32()) -> pa.Array:
    return pa.repeat(pa.scalar(0, kind), rows)


# (what a file holds, a limit it outgrows, whether that is known before any page is read)
PARQUET_OVER_LIMITS = {
    "fixed-width": (lambda: {"n": _zeros(1_000_000, pa.int64())}, 4 << 20, True),  # 8 MB of zeros
    "text-rows": (lambda: {"s": pa.DictionaryArray.from_arrays(_zeros(1_000_000), pa.array(["z"]))}, 4 << 20, True),
    "unused-dictionary": (lambda: {"s": pa.DictionaryArray.from_arrays(
        _zeros(3), pa.array([f"{index:04d}" + "z" * 1000 for index in range(5000)]))}, 2 << 20, True),
    "text-values": (lambda: {"s": pa.DictionaryArray.from_arrays(_zeros(10_000), pa.array(["z" * 1000]))},
                    5 << 20, False),  # 10 MB once decoded, 80 KB of indices and offsets
}


@pytest.mark.parametrize("case", list(PARQUET_OVER_LIMITS))
def test_a_parquet_file_is_refused_before_it_outgrows_the_limit(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    columns, limit, before_reading = PARQUET_OVER_LIMITS[case]
    data = _parquet_bytes(columns())
    assert len(data) < limit // 10
    if before_reading:
        monkeypatch.setattr(pq.ParquetFile, "read", lambda *args, **kwargs: pytest.fail("its pages were read"))
    with pytest.raises(GateError) as refused:
        parquet_table(data, limit)
    assert refused.value.code == TOO_LARGE and "over the limit" in refused.value.message


def test_a_parquet_file_within_the_limit_reads_as_written() -> None:
    table = pa.table({"n": pa.array([1, None, 3]), "s": pa.array(["a", None, "ccc"]),
                      "d": pa.array(["x", "x", None]).dictionary_encode(), "b": pa.array([True, None, False])})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    assert parquet_table(sink.getvalue().to_pybytes(), 1 << 20).equals(table)
    assert parquet_table(_parquet_bytes({"n": pa.array([], pa.int64())})).num_rows == 0


def _all(*mutations: Callable[[Path], None]) -> Mutation:
    return lambda package: [mutation(package) for mutation in mutations]


SPECIAL_CASES: dict[str, tuple[Mutation, tuple[str, ...], bool]] = {
    # name: (mutation, codes validate may give, whether validate may refuse the path as a usage error)
    "fifo-resources": (_all(_fifo(f"{TABLES}/sources.csv"), _fifo(f"{TABLES}/sources.parquet")), (NOT_REGULAR,), False),
    "fifo-descriptor": (_fifo(DESCRIPTOR), (NOT_REGULAR,), True),
    "dev-zero-resources": (_all(_to_dev_zero(f"{TABLES}/sources.csv"), _to_dev_zero(f"{TABLES}/sources.parquet")),
                           (NOT_REGULAR, PATH_OUTSIDE), False),
    "dev-zero-descriptor": (_to_dev_zero(DESCRIPTOR), (NOT_REGULAR, PATH_OUTSIDE), True),
    "terabyte-resources": (_all(_sparse(f"{TABLES}/sources.csv"), _sparse(f"{TABLES}/sources.parquet")), (TOO_LARGE,), False),
    "terabyte-descriptor": (_sparse(DESCRIPTOR), (TOO_LARGE,), False),
}


# Five million copies of a kilobyte of text: 5 GB once read, from half a megabyte. (The other ways a
# Parquet file can outgrow its size are tested on parquet_table with small limits, below: at 4 GiB each
# would take seconds to write.)
SPECIAL_CASES["parquet-bomb"] = (_parquet_bomb("sources-parquet", lambda: pa.DictionaryArray.from_arrays(
    pa.repeat(pa.scalar(0, pa.int32()), 1_000_000), pa.array(["z" * 1000])), 5), (TOO_LARGE,), False)
SPECIAL_CASES["proc-self-environ-resources"] = (_link_sources(lambda p: Path("/proc/self/environ")),
                                                (PATH_OUTSIDE, NOT_REGULAR), False)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", list(SPECIAL_CASES))
def test_special_files_neither_hang_nor_exhaust_memory_nor_leak(case: str, command: str, background: Background) -> None:
    _, codes, usage_ok = SPECIAL_CASES[case]
    outcome = background.special()[case, command]
    if command == "validate":
        check_invalid(outcome, codes, usage_ok=usage_ok)
    elif command == "info" and case == "parquet-bomb":
        check_safe(outcome, (0, 1, 2))  # info reads a Parquet file's footer only (its row count), never its pages
    else:
        check_safe(outcome, (1, 2))


# ---------------------------------------------------------------------------------------------------
# 3. Changed field types: the CSV and Parquet copies then declare different types. A problem (never a
# traceback, never "valid"), for every field and every other type.

CSV_RESOURCES = ["sources-csv", "meetings-csv", "participants-csv", "sections-csv", "indicators-csv", "targets-csv",
                 "achievements-csv", "assessments-csv", "tombstones-csv"]
# Every CSV field is retyped to the type most easily confused with its own (integer→number,
# string→integer, …); every other pair of types is tried once, on the first CSV field of that type; and
# the first Parquet field of each type is retyped too. (Run in the background: see Background.)
RETYPE = {"string": "integer", "integer": "number", "number": "integer", "date": "string", "boolean": "string"}
OTHER_PAIRS = [(old, new) for old in TYPES for new in TYPES if new not in (old, RETYPE[old])]


def retypings(descriptor: dict[str, Any]) -> list[tuple[str, int, str, str, str]]:
    """(resource, field index, field name, old type, new type) of every retyping tried."""
    def first(fmt: str, kind: str) -> tuple[str, int, str]:
        return next((r["name"], i, f["name"]) for r in descriptor["resources"] if r["format"] == fmt
                    for i, f in enumerate(r["schema"]["fields"]) if f["type"] == kind)

    tried = [(r["name"], index, f["name"], f["type"], RETYPE[f["type"]]) for r in descriptor["resources"]
             if r["format"] == "csv" for index, f in enumerate(r["schema"]["fields"])]
    tried += [(*first("csv", old), old, new) for old, new in OTHER_PAIRS]
    tried += [(*first("parquet", old), old, RETYPE[old]) for old in TYPES]
    return tried


def _retyping_failures(outcomes: dict[tuple, Outcome], wanted: Callable[[tuple], bool]) -> list[str]:
    failures = []
    for key, outcome in outcomes.items():
        if wanted(key):
            try:
                check_invalid(outcome, (TWIN_MISMATCH,))
            except AssertionError as error:
                failures.append(f"{key[0]}.{key[2]} {key[3]}→{key[4]}: {str(error)[:300]}")
    return failures


@pytest.mark.parametrize("resource_name", CSV_RESOURCES + ["parquet"])
def test_every_field_retyped_is_a_twin_problem(resource_name: str, background: Background) -> None:
    outcomes = background.retyped()
    def wanted(key: tuple) -> bool:
        if resource_name == "parquet":  # the same rule seen from the other copy
            return key[0].endswith("-parquet")
        return key[0] == resource_name and (key[3], key[4]) not in OTHER_PAIRS

    assert any(wanted(key) for key in outcomes)
    failures = _retyping_failures(outcomes, wanted)
    assert not failures, f"{len(failures)} retypings fail:\n" + "\n".join(failures)


@pytest.mark.parametrize(("old", "new"), OTHER_PAIRS)
def test_every_other_pair_of_types_is_a_twin_problem(old: str, new: str, background: Background) -> None:
    outcomes = background.retyped()
    assert any((key[3], key[4]) == (old, new) for key in outcomes)
    failures = _retyping_failures(outcomes, lambda key: (key[3], key[4]) == (old, new))
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------------
# 4. Descriptors of the wrong shape, and JSON that only the parser sees. Each case runs in every
# command: `validate` must refuse it with one of the codes; the others must not crash, leak or hang,
# and (where "refuse" names them) must refuse it rather than go on.

@dataclass
class Case:
    mutate: Mutation
    codes: tuple[str, ...] | None  # None: validate may accept it (Data Package v2 allows it), but must not crash
    refuse: tuple[str, ...] = ()  # commands besides validate that must exit 1 or 2
    usage_ok: bool = False  # validate may refuse it as a usage error (exit 2)


ALL = ("info", "diff", "site")


def _deep(depth: int = 10_000) -> Mutation:
    return text(lambda t: t.replace('"name": "commdata"', '"x-nested": ' + "[" * depth + "]" * depth + ',\n "name": "commdata"', 1))


def _set(resource_name: str, key: str, value: Any) -> Mutation:
    return edit(lambda d: res(d, resource_name).__setitem__(key, value))


def _drop(resource_name: str, key: str) -> Mutation:
    return edit(lambda d: res(d, resource_name).pop(key))


def _constraint(table: str, field_name: str, key: str, value: Any) -> Mutation:
    """Set a constraint on a field of both copies of a table."""
    return edit(lambda d: [fld(d, f"{table}-{fmt}", field_name).setdefault("constraints", {}).__setitem__(key, value)
                           for fmt in ("csv", "parquet")])


def _schema(table: str, key: str, value: Any) -> Mutation:
    return both(table, lambda r: r["schema"].__setitem__(key, copy.deepcopy(value)))


def _foreign_key(table: str, change: Callable[[dict[str, Any]], Any]) -> Mutation:
    return both(table, lambda r: change(r["schema"]["foreignKeys"][0]))


def _descriptor_folder(package: Path) -> None:
    (package / DESCRIPTOR).unlink()
    (package / DESCRIPTOR).mkdir()


def _replace_parquet(table: str, data: Callable[[Path], bytes]) -> Mutation:
    """Replace a table's Parquet file and declare its new hash: only the content is wrong."""
    def mutate(package: Path) -> None:
        path = package / TABLES / f"{table}.parquet"
        replacement = data(package)
        path.unlink()
        path.write_bytes(replacement)
        rehash(package, f"{table}-parquet")
    return mutate


SHAPE_CASES: dict[str, Case] = {
    # primaryKey and foreignKeys naming fields that do not exist
    "primary-key-missing-field": Case(_schema("meetings", "primaryKey", ["nope"]), (DESCRIPTOR_INVALID,)),
    "primary-key-string-missing-field": Case(_schema("meetings", "primaryKey", "nope"), (DESCRIPTOR_INVALID,)),
    "foreign-key-missing-field": Case(_foreign_key("meetings", lambda k: k.__setitem__("fields", ["nope"])), (DESCRIPTOR_INVALID,)),
    "foreign-key-missing-referenced-field": Case(_foreign_key("meetings", lambda k: k["reference"].__setitem__("fields", ["nope"])),
                                                 (DESCRIPTOR_INVALID,)),
    # constraints that cannot be applied
    "pattern-unbalanced": Case(_constraint("meetings", "id", "pattern", "("), (DESCRIPTOR_INVALID,)),
    "pattern-backreference": Case(_constraint("meetings", "id", "pattern", r"(1)\1.*"),
                                  (DESCRIPTOR_INVALID, UNSUPPORTED, CONSTRAINT_VIOLATION)),  # XSD has none; Python re has
    "minimum-not-a-number": Case(_constraint("meetings", "term", "minimum", "abc"), (DESCRIPTOR_INVALID,)),
    "minimum-fraction-on-integer": Case(_constraint("meetings", "term", "minimum", 1.5), (DESCRIPTOR_INVALID,)),
    "minimum-list": Case(_constraint("meetings", "term", "minimum", []), (DESCRIPTOR_INVALID,)),
    "maximum-not-a-number": Case(_constraint("meetings", "term", "maximum", "abc"), (DESCRIPTOR_INVALID,)),
    "enum-not-a-list": Case(_constraint("meetings", "kind", "enum", "plenary_session"), (DESCRIPTOR_INVALID,)),
    "enum-of-other-type": Case(_constraint("meetings", "kind", "enum", [1, 2]), (DESCRIPTOR_INVALID, CONSTRAINT_VIOLATION)),
    "required-not-a-boolean": Case(_constraint("meetings", "kind", "required", "no"), (DESCRIPTOR_INVALID,)),
    # null where an object belongs
    "null-resource": Case(edit(lambda d: d["resources"].__setitem__(10, None)), (DESCRIPTOR_INVALID,), ALL),
    "null-schema": Case(both("meetings", lambda r: r.__setitem__("schema", None)), (DESCRIPTOR_INVALID,), ALL),
    "null-field": Case(both("meetings", lambda r: r["schema"]["fields"].__setitem__(0, None)), (DESCRIPTOR_INVALID,), ALL),
    "null-constraints": Case(edit(lambda d: [fld(d, f"meetings-{fmt}", "id").__setitem__("constraints", None)
                                             for fmt in ("csv", "parquet")]), (DESCRIPTOR_INVALID,), ALL),
    "null-foreign-key": Case(both("meetings", lambda r: r["schema"]["foreignKeys"].__setitem__(0, None)), (DESCRIPTOR_INVALID,), ALL),
    "null-reference": Case(_foreign_key("meetings", lambda k: k.__setitem__("reference", None)), (DESCRIPTOR_INVALID,), ALL),
    "null-licenses-entry": Case(edit(lambda d: d.__setitem__("licenses", [None])), (DESCRIPTOR_INVALID,), ALL),
    "null-sources-entry": Case(edit(lambda d: d.__setitem__("sources", [None])), (DESCRIPTOR_INVALID,), ALL),
    "null-contributors-entry": Case(edit(lambda d: d.__setitem__("contributors", [None])), (DESCRIPTOR_INVALID,), ALL),
    # missing or mistyped name, schema, path, format (on the Parquet resource, which info, diff and site read)
    "name-missing": Case(_drop("meetings-parquet", "name"), (DESCRIPTOR_INVALID,), ALL),
    "name-number": Case(_set("meetings-parquet", "name", 5), (DESCRIPTOR_INVALID,), ALL),
    "name-null": Case(_set("meetings-parquet", "name", None), (DESCRIPTOR_INVALID,), ALL),
    "name-list": Case(_set("meetings-parquet", "name", ["meetings-parquet"]), (DESCRIPTOR_INVALID,), ALL),
    "schema-missing": Case(_drop("meetings-parquet", "schema"), (DESCRIPTOR_INVALID,), ALL),
    "schema-string": Case(_set("meetings-parquet", "schema", "meetings"), (DESCRIPTOR_INVALID, UNSUPPORTED), ALL),
    "schema-fields-string": Case(_set("meetings-parquet", "schema", {"fields": "id"}), (DESCRIPTOR_INVALID,), ALL),
    "schema-field-number": Case(_set("meetings-parquet", "schema", {"fields": [5]}), (DESCRIPTOR_INVALID,), ALL),
    "schema-field-without-name": Case(edit(lambda d: fld(d, "meetings-parquet", "id").pop("name")), (DESCRIPTOR_INVALID,), ALL),
    "schema-field-without-type": Case(edit(lambda d: fld(d, "meetings-parquet", "id").pop("type")),
                                      (DESCRIPTOR_INVALID, UNSUPPORTED, TWIN_MISMATCH)),
    "path-missing": Case(_drop("meetings-parquet", "path"), (DESCRIPTOR_INVALID,), ALL),
    "path-number": Case(_set("meetings-parquet", "path", 5), (DESCRIPTOR_INVALID,), ALL),
    "path-null": Case(_set("meetings-parquet", "path", None), (DESCRIPTOR_INVALID,), ALL),
    "path-empty": Case(_set("meetings-parquet", "path", ""), (DESCRIPTOR_INVALID, NOT_REGULAR, PATH_OUTSIDE), ALL),
    "path-list-multipart": Case(_set("meetings-parquet", "path", ["data/tables/meetings.parquet"]),
                                (UNSUPPORTED, DESCRIPTOR_INVALID), ALL),
    "format-missing": Case(_drop("meetings-parquet", "format"), None),  # v2: format may be inferred from the path
    # JSON that only the parser sees
    "json-10000-deep": Case(_deep(), (TOO_DEEP,), ALL),
    "json-duplicate-top-key": Case(text(lambda t: t.replace('"name": "commdata"', '"name": "evil",\n "name": "commdata"', 1)),
                                   (DUPLICATE_KEY,), ALL),
    "json-duplicate-path": Case(text(lambda t: t.replace('"path": "data/tables/sources.parquet"',
                                                         '"path": "../outside/secret.parquet",\n   "path": "data/tables/sources.parquet"', 1)),
                                (DUPLICATE_KEY,), ALL),
    "json-nan": Case(text(lambda t: t.replace('"name": "commdata"', '"x-count": NaN,\n "name": "commdata"', 1)), (NOT_A_NUMBER,), ALL),
    "json-infinity-minimum": Case(text(lambda t: re.sub(r'"minimum": 1(?=\s*[,}])', '"minimum": -Infinity', t, count=1)), (NOT_A_NUMBER,), ALL),
    "json-lone-surrogate": Case(text(lambda t: t.replace('"title": "', '"title": "\\ud800', 1)), (DESCRIPTOR_INVALID,)),
    # descriptors that cannot be read as one
    "descriptor-not-utf8": Case(lambda p: (p / DESCRIPTOR).write_bytes(b"\xff\xfe" + (p / DESCRIPTOR).read_bytes()),
                                (DESCRIPTOR_INVALID,), ALL),
    "descriptor-utf16": Case(lambda p: (p / DESCRIPTOR).write_bytes((p / DESCRIPTOR).read_text("utf-8").encode("utf-16")),
                             (DESCRIPTOR_INVALID,), ALL),
    "descriptor-empty": Case(raw(b""), (DESCRIPTOR_INVALID,), ALL),
    "descriptor-not-json": Case(raw(b"{"), (DESCRIPTOR_INVALID,), ALL),
    "descriptor-array": Case(raw(b"[]"), (DESCRIPTOR_INVALID,), ALL),
    "descriptor-null": Case(raw(b"null"), (DESCRIPTOR_INVALID,), ALL),
    "descriptor-string": Case(raw(b'"datapackage"'), (DESCRIPTOR_INVALID,), ALL),
    "descriptor-is-a-folder": Case(_descriptor_folder, (NOT_REGULAR, DESCRIPTOR_INVALID), ALL, usage_ok=True),
    # Parquet files that cannot be read, or hold another table (hash declared anew: only the content is wrong)
    "parquet-garbage": Case(_replace_parquet("sources", lambda p: b"PAR1 not parquet at all PAR1"), (TABLE_UNREADABLE,), ("diff", "site")),
    "parquet-truncated": Case(_replace_parquet("sources", lambda p: (p / TABLES / "sources.parquet").read_bytes()[:2000]),
                              (TABLE_UNREADABLE,), ("diff", "site")),
    "parquet-empty": Case(_replace_parquet("sources", lambda p: b""), (TABLE_UNREADABLE,), ("diff", "site")),
    "parquet-of-another-table": Case(_replace_parquet("sources", lambda p: (p / TABLES / "participants.parquet").read_bytes()),
                                     (FIELD_MISMATCH,), ("diff", "site")),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", list(SHAPE_CASES))
def test_hostile_descriptor_shapes(case: str, command: str, pkg: Path, base: Path, tmp_path: Path) -> None:
    spec = SHAPE_CASES[case]
    spec.mutate(pkg)
    outcome = run_command(command, pkg, base, tmp_path / "site")
    if command == "validate" and spec.codes is None:
        check_safe(outcome, (0, 1))
    elif command == "validate":
        check_invalid(outcome, spec.codes, usage_ok=spec.usage_ok)
    else:
        check_safe(outcome, (1, 2) if command in spec.refuse else (0, 1, 2))


# ---------------------------------------------------------------------------------------------------
# 5. False "valid": what validate must refuse (the other commands: no crash, no leak).

FALSE_VALID_CASES: dict[str, tuple[Mutation, tuple[str, ...]]] = {
    "resources-empty": (edit(lambda d: d.__setitem__("resources", [])), (DESCRIPTOR_INVALID,)),
    "hash-null-csv": (_set("meetings-csv", "hash", None), (HASH_MISSING, DESCRIPTOR_INVALID)),
    "hash-null-parquet": (_set("meetings-parquet", "hash", None), (HASH_MISSING, DESCRIPTOR_INVALID)),
    "hash-missing-csv": (_drop("meetings-csv", "hash"), (HASH_MISSING,)),
    "hash-missing-parquet": (_drop("meetings-parquet", "hash"), (HASH_MISSING,)),
    # Properties that change what a file means, which commdata does not honour: refused, never
    # ignored. The values are chosen so that honouring them would also make this package invalid,
    # hence the second set of codes.
    "dialect-delimiter": (_set("meetings-csv", "dialect", {"delimiter": ";"}), (UNSUPPORTED, FIELD_MISMATCH)),
    "dialect-header-false": (_set("meetings-csv", "dialect", {"header": False}), (UNSUPPORTED, CELL_TYPE_ERROR)),
    "dialect-comment-char": (_set("meetings-csv", "dialect", {"commentChar": "1"}), (UNSUPPORTED, CSV_PARQUET_MISMATCH)),
    "encoding-utf16": (_set("meetings-csv", "encoding", "utf-16"), (UNSUPPORTED, TABLE_UNREADABLE)),
    "compression-gzip": (_set("meetings-csv", "compression", "gz"), (UNSUPPORTED, TABLE_UNREADABLE)),
    "decimal-char": (edit(lambda d: fld(d, "targets-csv", "number").__setitem__("decimalChar", ",")), (UNSUPPORTED, CELL_TYPE_ERROR)),
    "group-char": (edit(lambda d: fld(d, "targets-csv", "number").__setitem__("groupChar", ".")), (UNSUPPORTED, CSV_PARQUET_MISMATCH)),
    "date-format": (edit(lambda d: fld(d, "meetings-csv", "date").__setitem__("format", "%d/%m/%Y")), (UNSUPPORTED, CELL_TYPE_ERROR)),
    "string-format-email": (edit(lambda d: fld(d, "meetings-csv", "body_en").__setitem__("format", "email")),
                            (UNSUPPORTED, CONSTRAINT_VIOLATION, CELL_TYPE_ERROR)),
    "field-missing-values": (edit(lambda d: fld(d, "meetings-csv", "term").__setitem__("missingValues", ["13"])),
                             (UNSUPPORTED, CONSTRAINT_VIOLATION)),
    "max-length": (edit(lambda d: fld(d, "meetings-csv", "title").setdefault("constraints", {}).__setitem__("maxLength", 1)),
                   (UNSUPPORTED, CONSTRAINT_VIOLATION)),
    "min-length": (edit(lambda d: fld(d, "meetings-csv", "title").setdefault("constraints", {}).__setitem__("minLength", 1000)),
                   (UNSUPPORTED, CONSTRAINT_VIOLATION)),
    "exclusive-minimum": (edit(lambda d: fld(d, "meetings-csv", "term")["constraints"].__setitem__("exclusiveMinimum", 13)),
                          (UNSUPPORTED, CONSTRAINT_VIOLATION)),
    "exclusive-maximum": (edit(lambda d: fld(d, "meetings-csv", "term")["constraints"].__setitem__("exclusiveMaximum", 13)),
                          (UNSUPPORTED, CONSTRAINT_VIOLATION)),
    "unique": (edit(lambda d: fld(d, "sections-csv", "meeting_id")["constraints"].__setitem__("unique", True)),
               (UNSUPPORTED, CONSTRAINT_VIOLATION)),
    "unknown-field-type": (edit(lambda d: fld(d, "meetings-csv", "term").__setitem__("type", "year")),
                           (UNSUPPORTED, DESCRIPTOR_INVALID, TWIN_MISMATCH)),
}


def _parquet_with_a_list_column(package: Path) -> None:
    """The sources table's Parquet file with its first column a list of numbers (declared with its hash)."""
    path = own(package / res(load(package), "sources-parquet")["path"])
    table = pq.read_table(path)
    lists = pa.array([[index] for index in range(table.num_rows)], pa.list_(pa.int64()))
    pq.write_table(table.set_column(0, table.column_names[0], lists), path)
    rehash(package, "sources-parquet")


def _parquet_with_a_column_twice(package: Path) -> None:
    """The sources table's Parquet file with its second column renamed as its first."""
    path = own(package / res(load(package), "sources-parquet")["path"])
    table = pq.read_table(path)
    pq.write_table(table.rename_columns([table.column_names[0], *table.column_names]
                                        [:table.num_columns]), path)
    rehash(package, "sources-parquet")


FALSE_VALID_CASES["parquet-list-column"] = (_parquet_with_a_list_column, (TABLE_UNREADABLE, FIELD_MISMATCH))
FALSE_VALID_CASES["parquet-column-twice"] = (_parquet_with_a_column_twice, (FIELD_MISMATCH,))


@pytest.mark.parametrize("case", list(FALSE_VALID_CASES))
def test_never_valid_when_it_must_be_refused(case: str, pkg: Path, base: Path, tmp_path: Path) -> None:
    mutate, codes = FALSE_VALID_CASES[case]
    mutate(pkg)
    check_invalid(run_command("validate", pkg, base, tmp_path / "site"), codes)


@pytest.mark.parametrize("case", list(FALSE_VALID_CASES))
def test_the_other_commands_survive_what_validate_must_refuse(case: str, pkg: Path, base: Path, tmp_path: Path) -> None:
    FALSE_VALID_CASES[case][0](pkg)
    for command in ("info", "diff", "site"):
        check_safe(run_command(command, pkg, base, tmp_path / "site"))


def test_a_correctly_quoted_csv_header_is_accepted(pkg: Path, base: Path, tmp_path: Path) -> None:
    """RFC 4180 lets every field be quoted: a header of quoted names is the same header."""
    path = own(pkg / TABLES / "meetings.csv")
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(",".join(f'"{name}"' for name in header.split(",")) + "\n" + rest, encoding="utf-8")
    rehash(pkg, "meetings-csv")
    for command in COMMANDS:
        check_safe(run_command(command, pkg, base, tmp_path / "site"), (0,))


# ---------------------------------------------------------------------------------------------------
# 6. Output that cannot be turned against its reader.

SCRIPT_BREAKERS = "<!--<script> </script><script>alert(1)</script> & <b>"


def _inject_page_texts(descriptor: dict[str, Any]) -> None:
    descriptor["description"] = f"before {SCRIPT_BREAKERS} after"
    descriptor["licenses"][0]["name"] = f"CC-BY-4.0 {SCRIPT_BREAKERS}"
    res(descriptor, "meetings-parquet")["description"] = SCRIPT_BREAKERS
    fld(descriptor, "meetings-parquet", "title")["description"] = SCRIPT_BREAKERS


def test_release_page_survives_script_breakers_and_carries_a_csp(pkg: Path, tmp_path: Path) -> None:
    """`<!--<script>` in a text must not swallow the page's script: the embedded JSON escapes < > &,
    and the page carries a Content-Security-Policy that allows only its own inline script."""
    edit(_inject_page_texts)(pkg)
    outcome = cli("site", pkg, "--out", tmp_path / "site")
    outcome.page = _read_page(tmp_path / "site")
    check_safe(outcome, (0,))
    page = outcome.page
    data = re.search(r"<script\b[^>]*\bid=[\"']?data[\"']?[^>]*>(.*?)</script>", page, re.DOTALL | re.IGNORECASE)
    assert data, "INJECTION: the page has no data block (the first </script> closed it early?)"
    payload = data.group(1)
    for body in re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.DOTALL | re.IGNORECASE):
        found = re.search(r"<!--|<script", body, re.IGNORECASE)
        assert not found, f"INJECTION: a script element holds {found.group(0)!r}: the HTML parser swallows the " \
                          f"rest of the page into it (the page is blank): {_around(body, found.group(0))}"
    assert not set("<>&") & set(payload), f"INJECTION: the embedded JSON holds raw < > or &: " \
                                          f"{_around(payload, next(c for c in payload if c in '<>&'))}"
    strings: list[str] = []
    _walk_strings(json.loads(payload), strings)
    assert any(SCRIPT_BREAKERS in s for s in strings), "the injected text did not survive the round trip"
    metas = _Metas()
    metas.feed(page)
    csp = [(at, content) for at, attributes in metas.found if (attributes.get("http-equiv") or "").lower()
           == "content-security-policy" for content in [attributes.get("content") or ""]]
    assert csp, "INJECTION: the page carries no Content-Security-Policy"
    at, policy = csp[0]
    assert at < page.lower().index("<script"), "INJECTION: the CSP comes after a script"
    assert "default-src 'none'" in policy, f"INJECTION: the CSP allows loading by default: {policy}"
    script_src = re.search(r"script-src([^;]*)", policy)
    assert script_src and "'unsafe-inline'" not in script_src.group(1), f"INJECTION: inline scripts allowed: {policy}"
    for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", page, re.DOTALL | re.IGNORECASE):
        if "application/json" not in tag:
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in policy, "INJECTION: the CSP does not allow the page's own script by its hash"


class _Metas(HTMLParser):
    """The <meta> tags of a page: (offset in the page, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, dict[str, str | None]]] = []
        self._lines: list[int] = []

    def feed(self, data: str) -> None:
        self._lines = [0] + [index + 1 for index, character in enumerate(data) if character == "\n"]
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            line, column = self.getpos()
            self.found.append((self._lines[line - 1] + column, dict(attrs)))


def _walk_strings(value: Any, found: list[str]) -> None:
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            found.append(key)
            _walk_strings(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk_strings(item, found)


def _github_lines(outcome: Outcome) -> list[str]:
    return (outcome.stdout + "\n" + outcome.stderr).splitlines()


def _check_github(outcome: Outcome) -> None:
    check_safe(outcome)
    injected = [line for line in _github_lines(outcome) if line.startswith(INJECTED)]
    assert not injected, f"INJECTION: a line of --format github output is a workflow command of the attacker's: {injected[0]!r}"
    for line in _github_lines(outcome):
        if line.startswith("::"):
            assert re.match(r"^::(error|warning|notice)( [^:]*)?::", line), f"INJECTION: malformed command line {line!r}"


def test_github_summary_line_is_escaped(tmp_path: Path, base: Path) -> None:
    """The summary line names the package folder: a folder name holding a line break and a workflow
    command must not give that command a line of its own."""
    folder = Path(shutil.copytree(base, tmp_path / f"pkg\n{INJECTED}x"))
    edit(lambda d: res(d, "meetings-csv").__setitem__("bytes", 1))(folder)  # a problem too, so both kinds of line show
    _check_github(cli("validate", folder, "--format", "github", "--no-cache"))


def test_github_usage_errors_are_escaped(tmp_path: Path) -> None:
    _check_github(cli("validate", tmp_path / f"nope\n{INJECTED}x", "--format", "github", "--no-cache"))


def test_github_problem_lines_are_escaped(pkg: Path) -> None:
    """A resource name (it is in every problem of the resource) holding a line break and a command."""
    edit(lambda d: res(d, "meetings-csv").__setitem__("name", f"meetings\n{INJECTED}x"))(pkg)
    edit(lambda d: res(d, f"meetings\n{INJECTED}x").__setitem__("bytes", 1))(pkg)
    _check_github(cli("validate", pkg, "--format", "github", "--no-cache"))


def test_action_passes_its_inputs_through_the_environment() -> None:
    """`${{ inputs.path }}` pasted into a `run:` script is shell injection: inputs go through `env:`."""
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    steps = [step for step in action["runs"]["steps"] if "run" in step]
    assert steps, "action.yml has no run step"
    for step in steps:
        pasted = re.findall(r"\$\{\{[^}]*\b(?:inputs|github\.event|github\.head_ref)\b[^}]*\}\}", step["run"])
        assert not pasted, f"INJECTION: action.yml pastes {pasted} into a shell script: {step['run']!r}"


# ---------------------------------------------------------------------------------------------------
# 7. Quotes and source texts that would begin a CSV cell with = + - @ (spreadsheet formulas): refused
# by validation of the records, with a fix.

FORMULA_CHARACTERS = ("=", "+", "-", "@")


@pytest.fixture
def records(tmp_path: Path, work: Path) -> Path:
    """A copy of the project's data folder (records, sources)."""
    return Path(shutil.copytree(work / "project" / "data", tmp_path / "data"))


def _meeting_and_source(data: Path) -> tuple[Path, Path]:
    [meeting] = sorted((data / "meetings").glob("*.yaml"))
    document = yaml.safe_load(meeting.read_text(encoding="utf-8"))
    return meeting, data / document["source"]["file"]


def _set_source(meeting: Path, source: Path, new_text: str) -> None:
    old_digest = hashlib.sha256(source.read_bytes()).hexdigest()
    source.write_text(new_text, encoding="utf-8")
    content = meeting.read_text(encoding="utf-8")
    assert content.count(old_digest) == 1
    meeting.write_text(content.replace(old_digest, hashlib.sha256(new_text.encode("utf-8")).hexdigest()), encoding="utf-8")


def _formula_quote(data: Path, character: str) -> str:
    """Make the first record whose quote starts with a CJK character start with ``character``, in the
    source text and in the record alike (offsets unchanged); returns the record's id."""
    meeting, source = _meeting_and_source(data)
    document = yaml.safe_load(meeting.read_text(encoding="utf-8"))
    raw_text = source.read_text(encoding="utf-8")
    content = meeting.read_text(encoding="utf-8")
    for record in document.get("achievements", []) + document.get("targets", []):
        quote = record["quote"]
        line = f"    quote: {quote}\n"
        if not "\u4e00" <= quote[0] <= "\u9fff" or content.count(line) != 1:
            continue
        found = list(re.finditer(r"\s*".join(map(re.escape, quote)), raw_text))
        if len(found) != 1:
            continue
        at = found[0].start()
        _set_source(meeting, source, raw_text[:at] + character + raw_text[at + 1:])
        content = meeting.read_text(encoding="utf-8")
        meeting.write_text(content.replace(line, f'    quote: "{character}{quote[1:]}"\n'), encoding="utf-8")
        return record["id"]
    raise AssertionError("no record to change")


@pytest.mark.parametrize("character", FORMULA_CHARACTERS)
def test_a_quote_that_would_begin_a_csv_cell_with_a_formula_is_refused(character: str, records: Path) -> None:
    record = _formula_quote(records, character)
    outcome = cli("validate", records, "--format", "json", "--no-cache")
    outcome.command = "validate"
    check_invalid(outcome, (CSV_FORMULA,))
    assert any(p["code"] == CSV_FORMULA and p["record"] == record for p in problems_of(outcome)), \
        f"CODE: no {CSV_FORMULA} problem on record {record}"
    text_output = cli("validate", records, "--no-cache").stdout
    assert re.search(rf"error\[{CSV_FORMULA}\].*\n\s+fix: .*\S", text_output), "the problem comes without a fix"


@pytest.mark.parametrize("character", FORMULA_CHARACTERS)
def test_a_source_text_that_would_begin_a_csv_cell_with_a_formula_is_refused(character: str, records: Path) -> None:
    meeting, source = _meeting_and_source(records)
    raw_text = source.read_text(encoding="utf-8")
    first = len(raw_text) - len(raw_text.lstrip())  # the canonical text starts at the first non-space
    _set_source(meeting, source, raw_text[:first] + character + raw_text[first + 1:])
    outcome = cli("validate", records, "--format", "json", "--no-cache")
    outcome.command = "validate"
    check_invalid(outcome, (CSV_FORMULA,))


# ---------------------------------------------------------------------------------------------------
# 8. The archive route: `diff` reads release archives (.zip) like packages.

def release_zip(package: Path, archive: Path, prefix: str = "commdata-0.1.0",
                extra: list[tuple[zipfile.ZipInfo, bytes]] = ()) -> Path:
    """A zip laid out as `commdata release` writes it (PREFIX/datapackage.json, PREFIX/data/tables/…)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                zipped.write(path, f"{prefix}/{path.relative_to(package).as_posix()}")
        for info, data in extra:
            zipped.writestr(info, data)
    return archive


def _entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.external_attr = mode << 16
    return info


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Archives are unpacked under tmp_path/t (so that a path can be aimed at tmp_path/outside)."""
    (tmp_path / "t").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "t"))
    return tmp_path


ARCHIVE_CASES: dict[str, Mutation] = {
    "absolute-path": PATH_CASES["absolute-path"][0],
    # unpacked into tmp_path/t/commdata-diff-XXXX/commdata-0.1.0/: three levels up is tmp_path
    "dotdot-path": _point_sources_at(lambda p: ("../../../outside/secret.csv", "../../../outside/secret.parquet")),
    "json-10000-deep": SHAPE_CASES["json-10000-deep"].mutate,
    "name-missing": SHAPE_CASES["name-missing"].mutate,
    "path-number": SHAPE_CASES["path-number"].mutate,
    "null-resource": SHAPE_CASES["null-resource"].mutate,
    "json-duplicate-path": SHAPE_CASES["json-duplicate-path"].mutate,
    "parquet-of-another-table": SHAPE_CASES["parquet-of-another-table"].mutate,
}


@pytest.mark.parametrize("case", list(ARCHIVE_CASES))
def test_diff_of_a_hostile_release_archive(case: str, pkg: Path, base: Path, in_tmp: Path) -> None:
    ARCHIVE_CASES[case](pkg)
    archive = release_zip(pkg, in_tmp / "commdata-0.1.0.zip")
    clean = release_zip(base, in_tmp / "clean.zip")
    for old, new in ((clean, archive), (archive, clean)):
        outcome = cli("diff", old, new)
        outcome.command = "diff"
        check_safe(outcome, (1, 2), f"{old.name} {new.name}")


@pytest.mark.parametrize("kind", ["symlink-entry", "zip-slip-entry", "absolute-entry", "fifo-entry"])
def test_diff_refuses_hostile_archive_entries(kind: str, base: Path, in_tmp: Path) -> None:
    """Entries that are links, leave the folder, or claim to be special files (regressions: the first
    three are refused today)."""
    entry = {"symlink-entry": (_entry("commdata-0.1.0/data/tables/sources.parquet", 0o120777), b"/proc/self/environ"),
             "zip-slip-entry": (_entry("commdata-0.1.0/../../outside-evil.txt", 0o100644), b"x"),
             "absolute-entry": (_entry(str(in_tmp / "absolute-evil.txt"), 0o100644), b"x"),
             "fifo-entry": (_entry("commdata-0.1.0/data/tables/sources.parquet", 0o010644), b"")}[kind]
    package = Path(shutil.copytree(base, in_tmp / "pkg"))
    (package / TABLES / "sources.parquet").unlink()
    archive = release_zip(package, in_tmp / "hostile.zip", extra=[entry])
    outcome = cli("diff", base, archive)
    outcome.command = "diff"
    check_safe(outcome, (1, 2))
    assert not list(in_tmp.glob("*evil*")) and not (in_tmp.parent / "outside-evil.txt").exists(), "an entry was written outside"


# ---------------------------------------------------------------------------------------------------
# 9. Fuzzing: mutated descriptors fed to all four commands, and mutated archives to diff.

FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True, max_examples=30,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: keeps a failing run short
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

ABSOLUTE = "<absolute outside>"  # replaced by the absolute path of outside/secret.parquet
PATHS = [ABSOLUTE, "../outside/secret.parquet", "../outside/secret.csv", "data/tables/../../../outside/secret.csv",
         "/proc/self/environ", "/dev/null", "/etc/passwd", "data/tables", "", ".", "data/tables/meetings.csv",
         "data/tables/meetings.parquet", "data/tables/nope.csv", "data/tables/x\x00.csv",
         "https://example.invalid/x.csv", "file:///etc/passwd", "data\\tables\\meetings.csv", "~/x.csv",
         "data/tables/meetings.csv/", "DATA/TABLES/MEETINGS.CSV", " data/tables/meetings.csv"]
SPECIAL_STRINGS = ["(", "[", "abc", "1", "1e5", "sha256:00", "md5:00", "<!--<script>", "\n::error::x", "=1+1",
                   "../x", "utf-16", "gz", ";", "%d/%m/%Y", "any", "year", "object", "\ud800"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 70), 2 ** 70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6) | st.sampled_from(SPECIAL_STRINGS + list(TYPES)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6)
CONSTRAINT_KEYS = ["required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                   "minLength", "maxLength", "pattern", "enum", "jsonSchema"]
FIELD_KEYS = ["type", "type", "type", "name", "format", "constraints", "missingValues", "trueValues",
              "falseValues", "decimalChar", "groupChar", "bareNumber", "categories", "description"]
RESOURCE_KEYS = ["path", "path", "name", "format", "hash", "bytes", "encoding", "mediatype", "dialect",
                 "compression", "schema", "type", "scheme"]
SCHEMA_KEYS = ["primaryKey", "foreignKeys", "missingValues", "fields", "uniqueKeys", "fieldsMatch"]
TOP_KEYS = ["name", "version", "created", "licenses", "sources", "resources", "$schema", "title", "id", "contributors"]
@st.composite
def operations(draw: st.DrawFn) -> list[tuple]:
    chosen = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["field", "field", "constraint", "constraint", "resource", "resource",
                                     "resource-drop", "schema", "field-drop", "top", "top-drop"]))
        where = draw(st.integers(0, 17))
        index = draw(st.integers(0, 30))
        if kind == "field":
            key = draw(st.sampled_from(FIELD_KEYS))
            value = draw(st.sampled_from(list(TYPES) + ["any", "year", "datetime", "INTEGER", ""]) | json_values
                         if key == "type" else json_values)
            chosen.append((kind, where, index, key, value))
        elif kind == "constraint":
            chosen.append((kind, where, index, draw(st.sampled_from(CONSTRAINT_KEYS)), draw(json_values)))
        elif kind == "resource":
            key = draw(st.sampled_from(RESOURCE_KEYS))
            chosen.append((kind, where, None, key, draw(st.sampled_from(PATHS) if key == "path" else json_values)))
        elif kind == "resource-drop":
            chosen.append((kind, where, None, draw(st.sampled_from(RESOURCE_KEYS)), None))
        elif kind == "schema":
            key = draw(st.sampled_from(SCHEMA_KEYS))
            value = draw(st.sampled_from([["nope"], "nope", ["id", "id"], [], None, "id"]) | json_values
                         if key == "primaryKey" else json_values)
            chosen.append((kind, where, None, key, value))
        elif kind == "field-drop":
            chosen.append((kind, where, index, None, None))
        elif kind == "top":
            key = draw(st.sampled_from(TOP_KEYS))
            chosen.append((kind, None, None, key, draw(st.just([]) | json_values if key == "resources" else json_values)))
        else:
            chosen.append((kind, None, None, draw(st.sampled_from(TOP_KEYS)), None))
    return chosen


def apply(descriptor: dict[str, Any], chosen: list[tuple], outside: Path) -> None:
    """Apply the operations that still find their target."""
    for kind, where, index, key, value in chosen:
        value = str(outside / "secret.parquet") if value == ABSOLUTE else copy.deepcopy(value)
        try:
            if kind == "top":
                descriptor[key] = value
            elif kind == "top-drop":
                descriptor.pop(key, None)
            else:
                resource_ = descriptor["resources"][where % len(descriptor["resources"])]
                if kind == "resource":
                    resource_[key] = value
                elif kind == "resource-drop":
                    resource_.pop(key, None)
                elif kind == "schema":
                    resource_["schema"][key] = value
                else:
                    fields = resource_["schema"]["fields"]
                    if kind == "field-drop":
                        fields.pop(index % len(fields))
                    elif kind == "field":
                        fields[index % len(fields)][key] = value
                    else:
                        fields[index % len(fields)].setdefault("constraints", {})[key] = value
        except (KeyError, IndexError, TypeError, AttributeError, ZeroDivisionError):
            continue  # an earlier operation removed or retyped the target


def must_refuse(original: dict[str, Any], mutated: dict[str, Any]) -> bool:
    """Whether the mutated descriptor describes files that no longer match it, whatever else it says:
    a resource gone, renamed to nothing, or with another path, hash, format or schema; a field with
    another name or type; a field gone."""
    resources = mutated.get("resources")
    if not isinstance(resources, list) or len(resources) != len(original["resources"]):
        return True
    for before, after in zip(original["resources"], resources, strict=True):
        if not isinstance(after, dict) or not isinstance(after.get("name"), str):
            return True
        if any(after.get(key, KeyError) != before[key] for key in ("path", "hash", "format")):
            return True
        schema = after.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            return True
        if len(schema["fields"]) != len(before["schema"]["fields"]):
            return True
        for old, new in zip(before["schema"]["fields"], schema["fields"], strict=True):
            if not isinstance(new, dict) or (new.get("name"), new.get("type")) != (old["name"], old["type"]):
                return True
    return False


class Hung(Exception):
    """Raised on SIGALRM (not an OSError, so no `except OSError` swallows it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hung(f"HANG: an example took longer than {EXAMPLE_SECONDS} s")


def _frictionless_rejects(descriptor: Any) -> bool:
    from frictionless import Package
    try:
        return not Package.validate_descriptor(descriptor).valid
    except Exception:  # noqa: BLE001 - a descriptor frictionless cannot even look at is one it rejects
        return True


@FUZZ
@given(chosen=operations())
def test_fuzzed_descriptors_never_crash_hang_leak_or_pass_wrongly(chosen: list[tuple], pkg: Path, base: Path,
                                                                    tmp_path: Path) -> None:
    descriptor = load(base)
    apply(descriptor, chosen, pkg.parent / "outside")
    save(pkg, descriptor)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(EXAMPLE_SECONDS)
    try:
        outcomes = {command: run_command(command, pkg, base, tmp_path / "site") for command in COMMANDS}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    for outcome in outcomes.values():
        check_safe(outcome, what=f"after {chosen!r}")
    if outcomes["validate"].code == 0:
        assert not must_refuse(load(base), descriptor), f"FALSE-VALID: validate passed after {chosen!r}"
        assert not _frictionless_rejects(descriptor), f"FALSE-VALID: frictionless rejects what validate passed: {chosen!r}"


ENTRY_NAMES = ["../evil", "/evil", "a/../../evil", "C:\\evil", "commdata-0.1.0\\..\\..\\evil", "", "./",
               "commdata-0.1.0/datapackage.json", "commdata-0.1.0/data/tables/sources.parquet",
               "datapackage.json", "commdata-0.1.0/data/tables/", "commdata-0.1.0/data/tables/sources.parquet/x"]
MODES = [0o100644, 0o120777, 0o010644, 0o020644, 0o060644, 0o040755, 0]
CONTENTS = [b"", b"/proc/self/environ", b"../../outside/secret.parquet", b"{}", b"[]", b"{" * 10_000, b"PAR1",
            b'{"resources": [{"name": "x", "path": "/proc/self/environ", "format": "parquet"}]}']


@FUZZ
@given(entries=st.lists(st.tuples(st.sampled_from(ENTRY_NAMES), st.sampled_from(MODES), st.sampled_from(CONTENTS)),
                        min_size=1, max_size=3),
       chosen=st.none() | operations())
def test_fuzzed_archives_never_crash_hang_or_leak(entries: list[tuple], chosen: list[tuple] | None, pkg: Path,
                                                  base: Path, in_tmp: Path) -> None:
    if chosen is not None:
        descriptor = load(base)
        apply(descriptor, chosen, pkg.parent / "outside")
        save(pkg, descriptor)
    archive = in_tmp / "fuzzed.zip"
    archive.unlink(missing_ok=True)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of duplicate names: they are the point
        release_zip(pkg, archive, extra=[(_entry(name, mode), data) for name, mode, data in entries])
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(EXAMPLE_SECONDS)
    try:
        outcome = cli("diff", base, archive)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    outcome.command = "diff"
    check_safe(outcome, what=f"of an archive with {entries!r} after {chosen!r}")
    assert not list(in_tmp.glob("**/evil")), "an archive entry was written outside its folder"
