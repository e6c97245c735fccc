"""What can go wrong, in two kinds.

Problems are data, not exceptions: every problem found in records or a package has a stable code
from the catalogue below, a title and a location. Validation collects all of them into a report that
the CLI prints as text, JSON or GitHub annotations, and that the docs list from this same catalogue.

Errors are exceptions: a request commdata cannot carry out (a path that is not a project, an output
folder that is not empty, a release that must not be made). They all derive from CommdataError, whose
exit_code the CLI uses (in one place, cli/group.py): 2 for a usage error, 1 for a refusal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class CommdataError(Exception):
    """A request commdata cannot carry out; the message says why and what to do."""

    exit_code = EXIT_USAGE
    label = "Error"  # how the CLI introduces the message


class UsageError(CommdataError):
    """The request itself is wrong: a path, an option or an output folder that does not fit (exit 2)."""


class RefusedError(CommdataError):
    """The request is understood but the data forbids it, e.g. a release of invalid records (exit 1)."""

    exit_code = EXIT_INVALID


class PathError(UsageError):
    """A path that is not something commdata can work on: not a project, records or a package."""


class OutputError(UsageError):
    """An output folder that cannot take a package (not empty, not writable)."""


class PartitionError(UsageError, ValueError):
    """Partition columns, or a value, that cannot make a partitioned copy of the tables."""


class PackageReadError(UsageError):
    """A package that cannot be read at all (its descriptor is missing or not JSON)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class PackageRefusedError(RefusedError):
    """A package the gate refuses (commdata.package.gate): a path that leaves it, a special file, a
    descriptor that is not sound JSON, breaks the profiles or says what commdata does not read."""

    label = "package refused"
    SHOWN = 3  # problems named in the message; `commdata validate` lists them all

    def __init__(self, descriptor: Path, problems: list[Problem]) -> None:
        shown = "; ".join(f"{problem.code}: {' '.join(filter(None, (problem.record, problem.field)))}"
                          f"{': ' if problem.record or problem.field else ''}{problem.message}"
                          for problem in problems[:self.SHOWN])
        more = f" (and {len(problems) - self.SHOWN} more)" if len(problems) > self.SHOWN else ""
        super().__init__(f"{descriptor}: {shown}{more}; `commdata validate {descriptor}` lists every problem")
        self.problems = problems


class ArchiveError(UsageError):
    """A release archive that cannot be unpacked safely."""


class DiffError(UsageError):
    """A side of a diff that cannot be opened."""


class DraftError(UsageError):
    """A draft that cannot be written (a source that is not UTF-8, an existing file, facts missing)."""


class VersionError(UsageError):
    """Text that is not a version X.Y.Z."""


class ReleaseError(RefusedError):
    """A release that must not be made (invalid data, a bump too small, a version that exists)."""

    label = "release refused"


@dataclass(frozen=True)
class ErrorType:
    code: str
    title: str
    hint: str  # what to do about it, in general


CATALOGUE: dict[str, ErrorType] = {
    error.code: error
    for error in [
        # Reading files
        ErrorType("file-unreadable", "File cannot be read", "Check that the path exists and is a readable file."),
        ErrorType("file-encoding", "File is not clean UTF-8", "Save the file as UTF-8 without a byte-order mark, with LF line ends and no NUL bytes."),
        ErrorType("file-empty", "File is empty", "Add the meeting's content or delete the file."),
        ErrorType("file-too-large", "File is over the size limit", "Split the data: one meeting per file. A package file over its limit is refused unread."),
        ErrorType("yaml-syntax", "YAML cannot be parsed", "Fix the YAML syntax at the given line."),
        ErrorType("yaml-duplicate-key", "A key appears twice in one mapping", "Keep one of the two keys."),
        ErrorType("yaml-alias", "YAML anchors and aliases are not allowed", "Write the value out in full."),
        ErrorType("yaml-tag", "YAML tag not allowed", "Remove the tag (e.g. !!python/object): plain values only."),
        ErrorType("yaml-too-deep", "Nesting too deep", "Records are at most a few levels deep; flatten the value."),
        ErrorType("yaml-not-a-number", "NaN or infinity", "Write a finite number."),
        # Models
        ErrorType("missing-field", "Required field is missing", "Add the field."),
        ErrorType("unknown-field", "Field is not in the schema", "Remove it or fix its spelling (see schemas/)."),
        ErrorType("invalid-value", "Value does not fit the field", "Write a value of the field's type, or one of its allowed values: schemas/ lists every field with its type and values."),
        ErrorType("inconsistent-record", "Fields of a record contradict each other", "Add the field the rule names or remove the one it forbids: a figure needs number, value and bound; a verdict needs outcome_of and verdict_reason; an id ends in -a (achievement) or -t (target)."),
        ErrorType("placeholder-left", "A TODO placeholder is left in the file", "Replace the TODO with the real value: `commdata draft` leaves one wherever only a curator can know."),
        # Cross-record checks
        ErrorType("duplicate-id", "The same id is used twice", "Give each record its own id; never reuse a published one."),
        ErrorType("id-mismatch", "An id does not belong to its meeting", "Record ids start with the id of the meeting they belong to."),
        ErrorType("unresolved-reference", "A reference points at nothing", "Point it at an id that exists."),
        ErrorType("source-path", "Source path leaves the data folder", "Put the text under sources/ and give its relative path."),
        ErrorType("source-missing", "Source file not found", "Add the source text under the data folder's sources/."),
        ErrorType("source-empty", "Source text is empty", "Put the document's text into the source file: there is nothing to quote."),
        ErrorType("source-hash-mismatch", "Source file does not match its SHA-256", "Restore the original bytes, or if the source really changed, update sha256 and re-check every quote."),
        ErrorType("quote-out-of-range", "Quote offsets fall outside the text", "Run `commdata fix` to set quote_start and quote_end from the quote, or `commdata locate SOURCE QUOTE` to see them."),
        ErrorType("quote-not-in-source", "Quote is not at its offsets in the canonical text", "Run `commdata fix` to set the offsets from the quote; if the quote itself is wrong, copy it from the canonical text (`commdata locate` finds it)."),
        ErrorType("quote-ambiguous", "Quote occurs more than once in the text", "Lengthen the quote until it occurs once: a reader searching for it must find this record's place."),
        ErrorType("section-mismatch", "Quote lies outside its section", "Put the record under the section whose text holds the quote."),
        ErrorType("heading-not-in-source", "Section heading not found in the source", "Copy the heading verbatim from the canonical text."),
        ErrorType("figure-not-in-quote", "Figure not found in the quote at a number boundary", "Copy the figure exactly as written in the quote."),
        ErrorType("figure-ambiguous", "Figure occurs more than once in the quote", "Narrow the quote to the clause with this figure."),
        ErrorType("figure-unparseable", "Figure does not follow the quantity grammar", "Write the figure as in the text: number, multiplier, unit."),
        ErrorType("value-mismatch", "Stored value differs from the parsed figure", "Set the fields to what the figure parses to (`commdata fix` writes them)."),
        ErrorType("bound-mismatch", "Bound differs from the bound words in the text", "Set bound to what the words next to the figure say (`commdata fix` writes it)."),
        ErrorType("direction-mismatch", "Direction differs from the text", "Set direction to what the text says: up for 增长, down for 下降 or a printed minus sign (`commdata fix` writes it)."),
        ErrorType("flag-mismatch", "A flag contradicts the quote", "Set cumulative or aspirational to what the quote says (`commdata fix` writes it)."),
        ErrorType("kind-mismatch", "Kind does not fit the figure", "Choose the kind that fits the unit (share and growth take %)."),
        ErrorType("unit-mismatch", "Unit does not fit the indicator", "Use the indicator's unit, or add the unit to its also_written in data/indicators.yaml."),
        ErrorType("measure-mismatch", "Record does not fit its indicator's measure", "Choose the code whose measure fits the figure (docs/codebook.md: a flow, a stock, a running total, a change, a share and a place are different indicators), or set period_start on a running total."),
        ErrorType("period-mismatch", "Period does not agree with the meeting date", "Achievements report the meeting's year (or the one before); targets the meeting's year, the next, or a later year the quote names; an outcome reports its target's period."),
        # The codebook
        ErrorType("indicator-unused", "No record uses an indicator", "Remove the indicator, or say in its kept_unused why it stays: a code is added with the first record that uses it."),
        ErrorType("codebook-city-wording", "A codebook entry names a city", "Define the indicator for any city: a city's own wording and figures belong in its records."),
        ErrorType("precision-exceeded", "Too many digits", "Values carry at most 32 digits before the point and 6 after; check the figure."),
        ErrorType("uncited-figure", "A figure in the source is neither recorded nor explained", "Add a record that cites it, or list it under not_recorded with a reason."),
        ErrorType("mark-not-found", "A not_recorded entry matches no figure in the source", "Copy figure and at from `commdata coverage`."),
        ErrorType("mark-cited", "A not_recorded figure is also cited by a record", "Remove the not_recorded entry or the record."),
        ErrorType("id-vanished", "A published id disappeared without a tombstone", "Restore the record, or add a tombstone for its id to data/tombstones.yaml."),
        ErrorType("id-reused", "A retired id is used again", "Give the record a new id: retired ids are never reused."),
        ErrorType("csv-formula", "A text would begin a CSV cell with = + - or @", "A spreadsheet runs such a cell as a formula: start the quote one character later (quote_start + 1, and drop its first character); a source text must not begin so either (remove the extraction artefact before the text, such as a page number, and update its sha256)."),
        ErrorType("draft-not-reviewed", "The file is an unreviewed draft", "Review every record against the source, then remove `draft: true`."),
        # Generated files
        ErrorType("generated-missing", "A generated file is missing", "Run `commdata build` (it writes the package, schemas/ and docs/), then commit the result."),
        ErrorType("generated-stale", "A generated file is out of date", "Run `commdata build` (it writes the package, schemas/ and docs/), then commit the result."),
        # Built packages: what the gate refuses before any data is read
        ErrorType("path-outside-package", "A path leaves the package", "Paths are relative POSIX paths inside the package folder: no absolute path, `..`, URL, backslash or NUL. Rebuild the package with `commdata build`."),
        ErrorType("path-not-regular-file", "A path is not a regular file", "Every file of a package is a regular file: no symbolic link anywhere on its path, no folder, FIFO or device. Restore the file or rebuild the package."),
        ErrorType("json-duplicate-key", "A key appears twice in one JSON object", "Keep one of the two keys: readers disagree on which one counts."),
        ErrorType("json-too-deep", "JSON nested too deep", "A descriptor nests a few levels; flatten the value."),
        ErrorType("json-not-a-number", "NaN or infinity in JSON", "Write a finite number: NaN and Infinity are not JSON."),
        ErrorType("descriptor-invalid", "datapackage.json is not a valid descriptor", "Rebuild the package with `commdata build`."),
        ErrorType("property-unsupported", "A property commdata does not honour", "Remove the property, or rebuild the package with `commdata build`: commdata refuses what it would otherwise ignore."),
        ErrorType("hash-missing", "A resource declares no hash", "Every resource needs `hash: sha256:…`: rebuild the package with `commdata build`."),
        ErrorType("twin-type-mismatch", "The CSV and Parquet copies of a table declare different fields or types", "Both copies come from one build: rebuild the package with `commdata build`."),
        ErrorType("resource-missing", "A resource's file is missing", "Rebuild the package or restore the file."),
        ErrorType("resource-hash-mismatch", "A file does not match its declared hash", "The file changed after the build: rebuild or restore it."),
        ErrorType("resource-bytes-mismatch", "A file's size differs from the descriptor", "The file changed after the build: rebuild or restore it."),
        ErrorType("table-unreadable", "A table cannot be read", "Rebuild the package or restore the file."),
        ErrorType("field-mismatch", "Table columns differ from the schema", "Columns must match the Table Schema in name, order and type."),
        ErrorType("row-length-mismatch", "A CSV row has more or fewer cells than the header", "Every row needs one cell per column: look for a stray or missing comma or quote."),
        ErrorType("blank-row", "A CSV row is empty", "Remove the empty line or restore the row."),
        ErrorType("cell-type-error", "A cell is not a value of its field's type", "Write the value as the type requires: integer, number (at most 32 digits before the point and 6 after), YYYY-MM-DD date, true or false."),
        ErrorType("constraint-violation", "A cell breaks a field constraint", "Fix the value (required, enum, pattern or minimum)."),
        ErrorType("primary-key-violation", "Primary key is duplicated or empty", "Each row needs a unique key."),
        ErrorType("foreign-key-violation", "Foreign key does not resolve", "Point it at a row that exists in the referenced table."),
        ErrorType("csv-parquet-mismatch", "CSV and Parquet hold different rows", "Rebuild the package: both formats come from one build."),
        ErrorType("partition-missing", "A file of the partitioned Parquet copy is missing", "Rebuild the package with `commdata build --partition-by …` or restore the file."),
        ErrorType("partition-mismatch", "The partitioned Parquet copy differs from its table or the descriptor", "Rebuild the package with `commdata build --partition-by …`: the copy and the descriptor come from one build."),
    ]
}


@dataclass(frozen=True)
class Problem:
    """One reported problem with where it is and how to fix it: ``fix`` is concrete where the checks
    know the answer (``set quote_start: 2701, quote_end: 2712``), else the catalogue's hint."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    record: str | None = None
    field: str | None = None
    fix: str = ""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"unknown error code {self.code!r}")
        if not self.fix:
            object.__setattr__(self, "fix", CATALOGUE[self.code].hint)

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    @property
    def concrete(self) -> bool:
        """The fix says exactly what to write, not only the catalogue's general advice."""
        return self.fix != CATALOGUE[self.code].hint

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "title": self.title, **asdict(self)}

    def as_row(self) -> tuple[str, str, str | None, int | None, str | None, str | None, str]:
        """Built-in types only, in field order (the check cache stores problems so)."""
        return (self.code, self.message, self.file, self.line, self.record, self.field, self.fix)

    def sort_key(self) -> tuple[str, int, str, str]:
        """Reports list problems by file, then line; a problem about no line of a file comes first."""
        return (self.file or "", self.line or 0, self.record or "", self.field or "")


def catalogue_markdown() -> str:
    """docs/error-codes.md: the catalogue as a table (generated; a test fails when it is stale)."""
    lines = ["# Error codes", "", "Generated from `src/commdata/errors.py` by `commdata docs`; do not edit by hand.",
             "Every problem commdata reports carries one of these codes.", "",
             "| code | problem | what to do |", "| --- | --- | --- |"]
    lines += [f"| `{error.code}` | {error.title} | {error.hint} |" for error in CATALOGUE.values()]
    return "\n".join(lines) + "\n"
