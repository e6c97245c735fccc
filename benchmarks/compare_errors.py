"""Do `commdata validate` and `frictionless validate` find the same errors in a built package?

    python benchmarks/compare_errors.py [--records 1000] [--seed 1] [--work /tmp/bench/compare] [--package PKG]

Builds a package from a synthetic corpus (corpus.py, then `commdata build`), or takes --package, and
copies it. Into the copy's CSV files it injects one error of every kind frictionless checks in a CSV
resource, each in a row of its own: a cell of the wrong type (integer, number, date, boolean), an
empty required cell, a pattern, an enum and a minimum (two integer columns) violated, a repeated
primary key (one column and two), a foreign key that resolves nowhere, a row with an extra cell, a
row with a cell missing and an empty row. A quoted value with a line break goes before the errors of
one table, so that there frictionless's row numbers (records) and commdata's lines (physical lines in
the file) differ by one. The descriptor's hash and bytes are rewritten for every changed file, so
that only row-level errors remain.

It then runs `frictionless validate --json` on the CSV resources only (as run.py does) and
`commdata validate --format json` on the whole package, and maps both to one form: resource, row as
frictionless counts it (the header is row 1, the first data row row 2; commdata's line is turned
into that row by reading the file with Python's csv module, and must agree with the row in its
message), field and kind of error. It prints, for every injected error, the row where each tool
found it, then the errors nobody injected. commdata also compares each CSV with its Parquet twin,
which frictionless does not read: the CSV-Parquet differences that injected errors cause are listed
apart and are no disagreement.

Last, a second copy gets one changed character in a CSV without the descriptor being updated: both
tools must report the hash (and size) mismatch.

Exit 0 when both tools report every injected error at the same row and field, neither reports a
row-level error the other does not, and both catch the hash mismatch; 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # commdata and frictionless of the running environment

# Kinds of the common form; frictionless error types and commdata codes map onto them.
FRICTIONLESS_KINDS = {"type-error": "type", "primary-key": "primary-key", "foreign-key": "foreign-key",
                      "extra-cell": "extra-cell", "missing-cell": "missing-cell", "blank-row": "blank-row",
                      "hash-count": "hash", "byte-count": "bytes"}
COMMDATA_KINDS = {"cell-type-error": "type", "primary-key-violation": "primary-key",
                  "foreign-key-violation": "foreign-key", "blank-row": "blank-row", "resource-hash-mismatch": "hash",
                  "resource-bytes-mismatch": "bytes", "csv-parquet-mismatch": "csv-parquet"}
CONSTRAINT_WORDS = [("is required", "required"), ("must be one of", "enum"), ("must match", "pattern"),
                    ("must be at least", "minimum"), ("must be at most", "maximum")]
COMMDATA_ONLY = {"csv-parquet"}  # what frictionless does not check: no disagreement
FILE_LEVEL = {"hash", "bytes"}
TAMPERED = {"hash": "the file's SHA-256 is not the declared one", "bytes": "its size is not the declared one"}


@dataclass
class Injected:
    kind: str  # in the common form
    resource: str
    row: int  # frictionless's row number: the header is row 1
    field: str | None  # None where frictionless names none (extra cell, empty row)
    what: str


@dataclass
class Found:
    kind: str
    resource: str
    row: int | None
    field: str | None
    text: str  # the tool's own code or error type
    line: int | None = None  # commdata: the line in the file


# ---------------------------------------------------------------------------------------------------
# The package and its CSV files.

def build_package(records: int, seed: int, work: Path) -> Path:
    corpus, package = work / "corpus", work / "package"
    shutil.rmtree(package, ignore_errors=True)
    subprocess.run([sys.executable, str(HERE / "corpus.py"), "--records", str(records), "--seed", str(seed),
                    "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(BIN / "commdata"), "build", str(corpus), "--out", str(package)], check=True,
                   stdout=subprocess.DEVNULL)
    return package


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """As commdata writes it (csv.writer, LF line ends); an empty list is an empty line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def record_of_line(path: Path) -> dict[int, int]:
    """Physical line where each record starts → its record number (the header is record 1)."""
    starts, line = {}, 1
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        for number, _ in enumerate(reader, start=1):
            starts[line] = number
            line = reader.line_num + 1
    return starts


def csv_only_descriptor(package: Path) -> Path:
    """A copy of the descriptor with only the CSV resources, beside the original (see run.py)."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [resource for resource in descriptor["resources"] if resource["format"] == "csv"]
    copy = package / "datapackage-csv.json"
    copy.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return copy


def rewrite_hashes(package: Path, changed: set[str]) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] in changed:
            data = (package / resource["path"]).read_bytes()
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
            resource["bytes"] = len(data)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------
# Injection.

class Injector:
    """Breaks rows of a package's CSV tables, each row at most once, and remembers what it broke."""

    def __init__(self, package: Path, seed: int) -> None:
        self.package = package
        self.rng = random.Random(f"commdata-bench/{seed}/compare")
        self.descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
        self.resources = {r["name"]: r for r in self.descriptor["resources"] if r["format"] == "csv"}
        self.rows = {name: read_csv(package / r["path"]) for name, r in self.resources.items()}
        for name, resource in self.resources.items():  # rewriting must not change an untouched file
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(self.rows[name])
            assert buffer.getvalue().encode() == (package / resource["path"]).read_bytes(), name
        self.used: dict[str, set[int]] = defaultdict(set)  # record numbers broken per resource
        self.after: dict[str, int] = defaultdict(int)  # errors only after this record (a line break before)
        self.injected: list[Injected] = []
        self.referenced = self._referenced()

    def _referenced(self) -> dict[str, set[tuple]]:
        """Key values that foreign keys point at: a row holding one must keep its key."""
        values: dict[str, set[tuple]] = defaultdict(set)
        for name, resource in self.resources.items():
            header = self.rows[name][0]
            for key in resource["schema"].get("foreignKeys", []):
                target = key["reference"].get("resource") or name
                columns = [header.index(field) for field in key["fields"]]
                for row in self.rows[name][1:]:
                    values[target].add(tuple(row[column] for column in columns))
        return values

    def field(self, resource: str, name: str) -> dict:
        return next(field for field in self.resources[resource]["schema"]["fields"] if field["name"] == name)

    def column(self, resource: str, name: str) -> int:
        return self.rows[resource][0].index(name)

    def pick(self, resource: str, want=lambda row: True, free_key: bool = False) -> int:
        """A record number not yet broken, after any line break, whose row ``want``s; with ``free_key``
        one whose primary key nothing points at (for a row that loses its key)."""
        schema = self.resources[resource]["schema"]
        header, rows = self.rows[resource][0], self.rows[resource]
        key = [header.index(field) for field in schema.get("primaryKey", [])]
        candidates = [number for number in range(max(2, self.after[resource] + 1), len(rows) + 1)
                      if number not in self.used[resource] and want(rows[number - 1])
                      and not (free_key and key and tuple(rows[number - 1][c] for c in key)
                               in self.referenced.get(resource, set()))]
        if not candidates:
            raise LookupError(f"no row of {resource} to break")
        number = self.rng.choice(candidates)
        self.used[resource].add(number)
        return number

    def set_cell(self, kind: str, resource: str, field: str, value: str, what: str, want=lambda row: True) -> None:
        column = self.column(resource, field)
        number = self.pick(resource, lambda row: row[column] != value and want(row))
        self.rows[resource][number - 1][column] = value
        self.injected.append(Injected(kind, resource, number, field, what))

    def line_break(self, resource: str, field: str) -> None:
        """A quoted value with a line break in an early row: the rows after it start a line later."""
        column = self.column(resource, field)
        number = self.rng.randrange(2, max(3, len(self.rows[resource]) // 4))
        self.used[resource].add(number)
        self.rows[resource][number - 1][column] = "a note written\non two lines"
        self.after[resource] = number
        self.injected.append(Injected("none", resource, number, field, "a line break in a quoted value: no error"))

    def repeat_key(self, resource: str) -> None:
        schema = self.resources[resource]["schema"]
        columns = [self.column(resource, field) for field in schema["primaryKey"]]
        rows = self.rows[resource]
        number = self.pick(resource, lambda row: row is not rows[1], free_key=True)
        first = self.rng.randrange(2, number)
        for column in columns:
            rows[number - 1][column] = rows[first - 1][column]
        self.injected.append(Injected("primary-key", resource, number, ",".join(schema["primaryKey"]),
                                      f"the primary key of row {first} again"))

    def dangling_reference(self, resource: str, field: str) -> None:
        key = next(key for key in self.resources[resource]["schema"]["foreignKeys"] if key["fields"] == [field])
        target = key["reference"]["resource"]
        existing = {row[self.column(target, key["reference"]["fields"][0])] for row in self.rows[target][1:]}
        pattern = self.field(resource, field).get("constraints", {}).get("pattern", ".*")
        column = self.column(resource, field)
        number = self.pick(resource, lambda row: bool(row[column]))
        value = self.rows[resource][number - 1][column]
        for digit in "9876543210":  # the same value with another last digit: still matches the pattern
            candidate = value[:-1] + digit
            if candidate not in existing and re.fullmatch(pattern, candidate):
                break
        else:
            raise LookupError(f"no value of {field} that matches its pattern and resolves nowhere")
        self.rows[resource][number - 1][column] = candidate
        self.injected.append(Injected("foreign-key", resource, number, field, f"a {field} not in {target}"))

    def extra_cell(self, resource: str) -> None:
        number = self.pick(resource)
        self.rows[resource][number - 1].append("extra")
        self.injected.append(Injected("extra-cell", resource, number, None, "a cell more than the header"))

    def missing_cell(self, resource: str) -> None:
        """The last cell left out: choose a row where it was empty, so that no other check objects."""
        number = self.pick(resource, lambda row: row[-1] == "")
        row = self.rows[resource][number - 1]
        row.pop()
        self.injected.append(Injected("missing-cell", resource, number, self.rows[resource][0][len(row)],
                                      "the last cell left out"))

    def blank_row(self, resource: str) -> None:
        number = self.pick(resource, free_key=True)
        self.rows[resource][number - 1] = []
        self.injected.append(Injected("blank-row", resource, number, None, "an empty line instead of a row"))
        key = self.resources[resource]["schema"].get("primaryKey")
        if key:  # frictionless reports the empty primary key too, and so does commdata
            self.injected.append(Injected("primary-key", resource, number, ",".join(key), "the empty row's key"))

    def write(self) -> set[str]:
        changed = {injected.resource for injected in self.injected}
        for name in changed:
            write_csv(self.package / self.resources[name]["path"], self.rows[name])
        rewrite_hashes(self.package, changed)
        return changed


# Cells set to a value their field does not take: (kind, resource, field, its type, the constraint it
# breaks, value, description).
CELLS = [
    ("type", "targets-csv", "period", "integer", None, "20x4", "'20x4' in a column of type integer"),
    ("type", "achievements-csv", "value", "number", None, "1.2.3", "'1.2.3' in a column of type number"),
    ("type", "meetings-csv", "date", "date", None, "2024-02-30", "'2024-02-30' in a column of type date"),
    ("type", "targets-csv", "cumulative", "boolean", None, "yes", "'yes' in a column of type boolean"),
    ("required", "targets-csv", "indicator", "string", "required", "", "a required cell left empty"),
    ("pattern", "sections-csv", "local_id", "string", "pattern", "Key Points", "'Key Points' against the pattern"),
    ("enum", "targets-csv", "kind", "string", "enum", "amount", "'amount', not in the enum"),
    ("enum", "participants-csv", "role", "string", "enum", "chaired", "'chaired', not in the enum"),
    ("minimum", "achievements-csv", "quote_start", "integer", "minimum", "-1", "-1 under the minimum 0"),
    ("minimum", "sections-csv", "number", "integer", "minimum", "0", "0 under the minimum 1"),
]


def inject_all(injector: Injector) -> None:
    """One error of every kind, spread over the tables. A field that lacks what its injection needs
    (the schema changed) stops the script: fix the plan rather than compare less."""
    fields = {(resource, field["name"]): field for resource, r in injector.resources.items()
              for field in r["schema"]["fields"]}
    injector.line_break("targets-csv", "note")
    for kind, resource, field, type_, constraint, value, what in CELLS:
        spec = fields.get((resource, field))
        if spec is None or spec["type"] != type_ or (constraint and constraint not in spec.get("constraints", {})):
            raise SystemExit(f"the plan needs {resource}.{field} of type {type_}"
                             + (f" with {constraint}" if constraint else "") + "; the schema changed")
        injector.set_cell(kind, resource, field, value, what)
    injector.repeat_key("targets-csv")
    injector.repeat_key("participants-csv")  # a key of two columns
    injector.dangling_reference("targets-csv", "meeting_id")
    injector.dangling_reference("sections-csv", "meeting_id")
    injector.extra_cell("sections-csv")
    injector.missing_cell("achievements-csv")
    injector.blank_row("targets-csv")


# ---------------------------------------------------------------------------------------------------
# Running both tools and mapping their reports to the common form.

def run_frictionless(package: Path) -> list[Found]:
    descriptor = csv_only_descriptor(package)
    result = subprocess.run([str(BIN / "frictionless"), "validate", "--json", str(descriptor)],
                            check=False, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"frictionless gave no JSON (exit {result.returncode}): {result.stderr.strip()[-500:]}")
    keys = {r["name"]: r["schema"].get("primaryKey", [])
            for r in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]}
    found: list[Found] = []
    missing_cells: dict[tuple[str, int], dict] = {}
    for task in report["tasks"]:
        resource = task["name"]
        for error in task["errors"]:
            kind = FRICTIONLESS_KINDS.get(error["type"])
            if error["type"] == "constraint-error":
                match = re.match(r'constraint "(\w+)"', error.get("note", ""))
                kind = match[1] if match else "constraint"
            field = error.get("fieldName") or None
            if error["type"] == "primary-key":
                field = ",".join(keys.get(resource, []))
            elif error["type"] == "foreign-key":
                field = ",".join(error.get("fieldNames", []))
            elif error["type"] == "missing-cell":  # one per missing cell: keep the first of the row
                seen = missing_cells.get((resource, error["rowNumber"]))
                if seen is not None and seen["fieldNumber"] <= error["fieldNumber"]:
                    continue
                missing_cells[(resource, error["rowNumber"])] = error
                found = [f for f in found if not (f.kind == "missing-cell" and f.resource == resource
                                                  and f.row == error["rowNumber"])]
            found.append(Found(kind or error["type"], resource, error.get("rowNumber"), field, error["type"]))
    for error in report.get("errors", []):
        found.append(Found(error["type"], "-", None, None, error["type"]))
    return found


def run_commdata(package: Path) -> tuple[list[Found], list[str]]:
    """commdata's problems in the common form, and anything inconsistent within them (a line that is not
    where a record starts, or whose record is not the row its message names)."""
    result = subprocess.run([str(BIN / "commdata"), "validate", str(package), "--format", "json"],
                            check=False, capture_output=True, text=True, cwd=package)
    if result.returncode not in (0, 1):
        raise SystemExit(f"commdata validate exited {result.returncode}: {result.stderr.strip()[-500:]}")
    report = json.loads(result.stdout)
    records: dict[str, dict[int, int]] = {}
    found: list[Found] = []
    inconsistent: list[str] = []
    for problem in report["problems"]:
        kind = COMMDATA_KINDS.get(problem["code"], problem["code"])
        message = problem["message"]
        if problem["code"] == "constraint-violation":
            kind = next((name for words, name in CONSTRAINT_WORDS if words in message), "constraint")
        elif problem["code"] == "row-length-mismatch":
            kind = "extra-cell" if "belong to no field" in message else "missing-cell"
        row = None
        if problem["line"] is not None:
            path = package / problem["file"] if not Path(problem["file"]).is_absolute() else Path(problem["file"])
            if path.suffix == ".csv":
                starts = records.setdefault(str(path), record_of_line(path))
                row = starts.get(problem["line"])
                named = re.search(r"\brow (\d+)", message)
                if row is None or named is None or int(named[1]) != row:
                    inconsistent.append(f"{problem['code']} at {problem['file']}:{problem['line']} "
                                        f"(record {row}): {message}")
        found.append(Found(kind, problem["record"] or "-", row, problem["field"], problem["code"], problem["line"]))
    return found, inconsistent


def same(injected: Injected, found: Found) -> bool:
    return (found.kind, found.resource, found.row) == (injected.kind, injected.resource, injected.row) \
        and found.field == injected.field


# ---------------------------------------------------------------------------------------------------
# Report.

def cell(items: list[Found]) -> str:
    """How a tool reported an error: its code, the row and, when it differs, the line."""
    return ", ".join(f"{item.text} {item.row}" + (f" (line {item.line})" if item.line not in (None, item.row) else "")
                     for item in items) or "-"


def compare(package: Path, seed: int) -> tuple[bool, list[str]]:
    injector = Injector(package, seed)
    inject_all(injector)
    injector.write()
    frictionless = run_frictionless(package)
    commdata, inconsistent = run_commdata(package)
    lines = [(f"{'injected error':46} {'resource':16} {'row':>4} {'field':14} {'frictionless: row':22} "
              f"{'commdata: row (line)':36} agree")]
    agree = 0
    ok = True
    for item in injector.injected:
        by_frictionless = [found for found in frictionless if same(item, found)]
        by_commdata = [found for found in commdata if same(item, found)]
        if item.kind == "none":  # nothing may be reported at this row but the CSV-Parquet difference
            by_frictionless = [f for f in frictionless if (f.resource, f.row) == (item.resource, item.row)]
            by_commdata = [f for f in commdata if (f.resource, f.row) == (item.resource, item.row)
                           and f.kind not in COMMDATA_ONLY]
            both = not by_frictionless and not by_commdata
        else:
            both = len(by_frictionless) == 1 and len(by_commdata) == 1
        agree += both
        ok &= both
        lines.append(f"{item.kind + ': ' + item.what:46.46} {item.resource:16} {item.row:>4} {item.field or '-':14.14} "
                     f"{cell(by_frictionless) if item.kind != 'none' else 'nothing':22} "
                     f"{cell(by_commdata) if item.kind != 'none' else 'nothing':36} {'yes' if both else 'NO'}")
    claimed = [found for found in frictionless + commdata if any(same(item, found) for item in injector.injected)]
    rest_frictionless = [f for f in frictionless if f not in claimed]
    rest_commdata = [f for f in commdata if f not in claimed and f.kind not in COMMDATA_ONLY]
    by_design = [f for f in commdata if f.kind in COMMDATA_ONLY]
    real = [item for item in injector.injected if item.kind != "none"]
    lines.append("")
    lines.append(f"{len(real)} errors injected (and one line break that is no error) into "
                 f"{len({item.resource for item in real})} CSV tables; frictionless found "
                 f"{sum(any(same(i, f) for f in frictionless) for i in real)}, commdata "
                 f"{sum(any(same(i, f) for f in commdata) for i in real)}; the two agree on {agree} of "
                 f"{len(injector.injected)} rows")
    lines.append(f"not injected, found by frictionless: {len(rest_frictionless)}; by commdata: {len(rest_commdata)}")
    for found in rest_frictionless:
        lines.append(f"  frictionless only: {found.text} {found.resource} row {found.row} field {found.field}")
    for found in rest_commdata:
        lines.append(f"  commdata only: {found.text} {found.resource} row {found.row} field {found.field}")
    lines.append(f"commdata's CSV-Parquet comparison (frictionless does not read Parquet): {len(by_design)} "
                 f"problems, in {', '.join(sorted({f.resource for f in by_design})) or 'no table'}")
    for text in inconsistent:
        lines.append(f"  INCONSISTENT commdata line and row: {text}")
    ok &= not rest_frictionless and not rest_commdata and not inconsistent
    return ok, lines


def compare_hash(package: Path) -> tuple[bool, list[str]]:
    """One character changed in a CSV, the descriptor left as built: both report the file's hash and
    size, nothing else but commdata's CSV-Parquet difference."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "targets-csv")
    path = package / resource["path"]
    rows = read_csv(path)
    column = rows[0].index("quote")
    rows[2][column] = "X" + rows[2][column][1:]  # a CJK character (3 bytes) becomes one byte
    write_csv(path, rows)
    frictionless = run_frictionless(package)
    commdata, _ = run_commdata(package)
    lines = [f"{'tampered file (descriptor not updated)':46} {'resource':16} {'frictionless':27} {'commdata':36} agree"]
    ok = True
    for kind in ("hash", "bytes"):
        by_frictionless = [f.text for f in frictionless if (f.kind, f.resource) == (kind, resource["name"])]
        by_commdata = [f.text for f in commdata if (f.kind, f.resource) == (kind, resource["name"])]
        both = len(by_frictionless) == 1 and len(by_commdata) == 1
        ok &= both
        lines.append(f"{TAMPERED[kind]:46} {resource['name']:16} "
                     f"{', '.join(by_frictionless) or '-':27} {', '.join(by_commdata) or '-':36} "
                     f"{'yes' if both else 'NO'}")
    others = [f for f in frictionless + commdata if f.kind not in FILE_LEVEL | COMMDATA_ONLY]
    for found in others:
        lines.append(f"  also: {found.text} {found.resource} row {found.row} field {found.field}")
    return ok and not others, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000, help="records of the synthetic corpus (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus and choice of rows (default 1)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/compare"), help="scratch folder")
    parser.add_argument("--package", type=Path, help="a built package to start from instead of building one")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    package = args.package or build_package(args.records, args.seed, args.work)
    copies = {}
    for name in ("injected", "tampered"):
        copies[name] = args.work / name
        shutil.rmtree(copies[name], ignore_errors=True)
        shutil.copytree(package, copies[name])
    ok_rows, lines = compare(copies["injected"], args.seed)
    print(f"package: {package}; injected copy: {copies['injected']}")
    print("\n".join(lines))
    ok_hash, lines = compare_hash(copies["tampered"])
    print()
    print("\n".join(lines))
    print()
    print("OK: both tools find every injected error at the same row and field, and nothing else"
          if ok_rows and ok_hash else "DISAGREEMENT: see the rows marked NO and the lines above")
    return 0 if ok_rows and ok_hash else 1


if __name__ == "__main__":
    sys.exit(main())
