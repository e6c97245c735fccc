"""Known errors injected into a synthetic corpus, with a manifest of the problems validation must report.

Used through ``corpus.py --inject CODE[,CODE…]|all``. Every variant below breaks one thing in one
meeting file (or its source) and predicts each problem commdata should report for it: code, file
(relative to the data folder), line, record and field. One mistake is one problem: a broken record
still claims the figure it cites (no knock-on uncited-figure), a record that fails its model keeps its
id (no knock-on id-vanished). ``consequence`` marks a second problem where one mistake rightly
causes two (none of the variants below does any more).

Variants that make a whole file unreadable or stop its source from being used (YAML errors, source
problems, a wrong heading) each get a meeting of their own, so that they cannot hide the others;
record-level variants share meetings but never a record. Lines come from the emitted YAML, read by a
small indentation parser (the layout is corpus.py's own), with commdata's rule for fields that are
missing: the line of the nearest enclosing value.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import CODEBOOK, WITH_CODES, Doc, MeetingSpec, build_meeting, render_yaml

from commdata.errors import CATALOGUE
from commdata.domain.quantities import occurrences_at_number_boundary

PARTS = ("achievements", "targets")


@dataclass
class Expected:
    """One problem validation must report."""

    variant: str
    code: str
    record: str | None
    location: tuple | None = None  # YAML path whose line (commdata's line_of) is the problem's line
    line: int | None = None  # for text-level injections, the line itself
    field: str | None = None  # defaults to the location joined by dots
    consequence: bool = False
    what: str = ""
    file: str | None = None  # for problems in files other than the meeting's (tombstones.yaml)


@dataclass
class Variant:
    name: str
    code: str
    own_file: bool  # needs a meeting of its own
    apply: Callable[..., list[Expected]]  # (doc, rng, name); folder variants: (injection, specs, rng, name)
    folder: bool = False  # writes files of its own in the data folder instead of changing a meeting


@dataclass
class Injection:
    docs: dict[int, Doc]  # meeting index → mutated document
    expected: dict[int, list[Expected]]
    variants: list[str]
    seed: int
    extra_files: dict[str, str] = field(default_factory=dict)  # path in the data folder → text
    folder_expected: list[Expected] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Choosing records.

def _pick(doc: Doc, rng: random.Random, want: Callable[[dict], bool] = lambda record: True,
          prefer_no_figure: bool = False, reserve_previous: bool = False) -> tuple[str, int, dict]:
    """An untouched record that ``want``s; figure-less ones first when asked."""
    candidates = [(part, index, record) for part in PARTS for index, record in enumerate(getattr(doc, part))
                  if (part, index) not in doc.used and want(record)
                  and (not reserve_previous or index > 0 and (part, index - 1) not in doc.used)]
    if prefer_no_figure and any("figure" not in record for _, _, record in candidates):
        candidates = [candidate for candidate in candidates if "figure" not in candidate[2]]
    if not candidates:
        raise LookupError("no record fits")
    part, index, record = rng.choice(candidates)
    doc.used.add((part, index))
    if reserve_previous:
        doc.used.add((part, index - 1))
    return part, index, record


def _replace(record: dict, key: str, value: Any, after: str | None = None) -> None:
    """Set ``key`` keeping the field order (new keys go after ``after``)."""
    if key in record or after is None:
        record[key] = value
        return
    items = list(record.items())
    position = [name for name, _ in items].index(after) + 1
    record.clear()
    record.update(items[:position] + [(key, value)] + items[position:])


# ---------------------------------------------------------------------------------------------------
# Record-level variants.

def duplicate_id(doc, rng, name):
    part, index, record = _pick(doc, rng, reserve_previous=True)
    record["id"] = getattr(doc, part)[index - 1]["id"]
    return [Expected(name, "duplicate-id", record["id"], (part, index, "id"), what="an id reused by the next record")]


def id_mismatch(doc, rng, name):
    part, index, record = _pick(doc, rng)
    record["id"] = re.sub(r"-c[0-9]{2}-p[0-9]{2}-", "-c99-p99-", record["id"])
    return [Expected(name, "id-mismatch", record["id"], (part, index, "id"), what="a record id of another meeting")]


def unresolved_section(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: "section" in r)
    record["section"] = "nosuch-1"
    return [Expected(name, "unresolved-reference", record["id"], (part, index, "section"),
                     what="a section that is not in meeting.sections")]


def section_mismatch(doc, rng, name):
    starts = {section["id"]: doc.text.find(section["heading"]) for section in doc.meeting["sections"]}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    spans = {sid: (start, end) for (sid, start), end in zip(ordered, [s for _, s in ordered[1:]] + [len(doc.text)])}
    parts = {section["id"]: section["part"] for section in doc.meeting["sections"]}

    def others(record):
        return [sid for sid, (start, end) in spans.items() if parts[sid] == parts.get(record.get("section"))
                and sid != record.get("section") and not start <= record["quote_start"] < record["quote_end"] <= end]

    part, index, record = _pick(doc, rng, lambda r: "section" in r and others(r))
    record["section"] = others(record)[0]
    return [Expected(name, "section-mismatch", record["id"], (part, index, "section"),
                     what="a record put under a section of the same part whose text does not hold its quote")]


def quote_out_of_range(doc, rng, name):
    part, index, record = _pick(doc, rng)
    record["quote_start"] = len(doc.text) + 7
    record["quote_end"] = record["quote_start"] + len(record["quote"])
    return [Expected(name, "quote-out-of-range", record["id"], (part, index, "quote_end"),
                     what="offsets past the end of the text")]


def quote_not_in_source(doc, rng, name):
    def shifted_differs(record):
        start = record["quote_start"] + 1
        return doc.text[start:start + len(record["quote"])] != record["quote"]

    part, index, record = _pick(doc, rng, shifted_differs)
    record["quote_start"] += 1
    if rng.random() < 0.5:  # one offset typed wrong, or both
        record["quote_end"] += 1
    return [Expected(name, "quote-not-in-source", record["id"], (part, index, "quote"),
                     what="offsets one character off")]


def figure_not_in_quote(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: "figure" in r
                                and not occurrences_at_number_boundary(r["quote"], "9" + r["figure"]))
    record["figure"] = "9" + record["figure"]
    return [Expected(name, "figure-not-in-quote", record["id"], (part, index, "figure"),
                     what="a figure with an extra digit")]


def figure_ambiguous(doc, rng, name):
    # The first record of a clause with two figures in %: "%" occurs twice in the quote, and its first
    # place lies inside the record's own figure, which so stays cited.
    def first_of_pair(r):
        return r.get("_shared") and r["quote"].count("%") == 2 and r["_figure_start"] - r["quote_start"] < r["quote"].index("%")

    try:
        part, index, record = _pick(doc, rng, first_of_pair)
    except LookupError:
        return []
    record["figure"] = "%"
    return [Expected(name, "figure-ambiguous", record["id"], (part, index, "figure"),
                     what="a figure that occurs twice in a shared quote")]


def figure_unparseable(doc, rng, name):
    # The character before the figure plus the figure: in the quote once, overlapping the figure it
    # cited (so no uncited-figure), but not starting with a number.
    def fits(r):
        offset = (r.get("_figure_start") or 0) - r["quote_start"]
        if "figure" not in r or offset < 1 or r["quote"][offset - 1] in "第前连续":
            return False
        longer = r["quote"][offset - 1] + r["figure"]
        return len(occurrences_at_number_boundary(r["quote"], longer)) == 1

    part, index, record = _pick(doc, rng, fits)
    offset = record["_figure_start"] - record["quote_start"]
    record["figure"] = record["quote"][offset - 1] + record["figure"]
    return [Expected(name, "figure-unparseable", record["id"], (part, index, "figure"),
                     what="a figure starting one character early")]


def value_mismatch(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: r.get("unit") in ("个", "家", "条", "所"))
    record["unit"] = {"个": "家", "家": "个", "条": "个", "所": "个"}[record["unit"]]
    # One problem: the indicator's units are checked against the unit the figure writes.
    return [Expected(name, "value-mismatch", record["id"], (part, index, "unit"), what="a unit the figure does not have")]


def number_and_value_mismatch(doc, rng, name):
    # number and value both typed otherwise than the figure: one problem naming both.
    part, index, record = _pick(doc, rng, lambda r: "multiplier" in r)
    record["number"] = record["number"] + "1" if "." in record["number"] else record["number"] + ".1"
    record["value"] = record["value"] + "1" if "." in record["value"] else record["value"] + ".1"
    return [Expected(name, "value-mismatch", record["id"], (part, index, "number"),
                     what="number and value both changed")]


def placeholder_left(doc, rng, name):
    part, index, record = _pick(doc, rng)
    record["indicator_en"] = "TODO: English gloss"
    return [Expected(name, "placeholder-left", record["id"], (part, index, "indicator_en"), what="a draft's TODO")]


def bound_mismatch(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: r.get("bound") == "exact")
    record["bound"] = "at_least"
    return [Expected(name, "bound-mismatch", record["id"], (part, index, "bound"),
                     what="at_least where no bound word touches the figure")]


def flag_mismatch(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: "cumulative" not in r)
    _replace(record, "cumulative", True, after="bound" if "bound" in record else "kind")
    return [Expected(name, "flag-mismatch", record["id"], (part, index, "cumulative"),
                     what="cumulative: true without 累计")]


def kind_mismatch(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: r["kind"] == "quantity" and r.get("unit") not in ("%", "个百分点", "倍"))
    record["kind"] = "share"
    return [Expected(name, "kind-mismatch", record["id"], (part, index, "kind"), what="a share that is not in %")]


def period_mismatch(doc, rng, name):
    part, index, record = _pick(doc, rng)
    record["period"] += 3
    return [Expected(name, "period-mismatch", record["id"], (part, index, "period"), what="a period three years off")]


def precision_exceeded(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: "number" in r)
    record["number"] += ("" if "." in record["number"] else ".") + "0000000"
    return [Expected(name, "precision-exceeded", record["id"], (part, index, "number"),
                     what="seven decimal places (numerically the same number)")]


def missing_field(doc, rng, name):
    part, index, record = _pick(doc, rng)
    del record["indicator_en"]
    return [Expected(name, "missing-field", record["id"], (part, index, "indicator_en"), what="indicator_en left out")]


def unknown_field(doc, rng, name):
    part, index, record = _pick(doc, rng)
    _replace(record, "indicater", record["indicator"], after="indicator")
    return [Expected(name, "unknown-field", record["id"], (part, index, "indicater"), what="a misspelt field")]


def invalid_value(doc, rng, name):
    part, index, record = _pick(doc, rng)
    record["kind"] = "amount"
    return [Expected(name, "invalid-value", record["id"], (part, index, "kind"), what="a kind that does not exist")]


def inconsistent_record(doc, rng, name):
    part, index, record = _pick(doc, rng, lambda r: "figure" in r)
    del record["bound"]
    return [Expected(name, "inconsistent-record", record["id"], (part, index),
                     what="a figure without its bound")]


def unit_mismatch(doc, rng, name):
    # Another indicator's code, in whose units the figure's unit is not: the figure itself stays right.
    def other(record):
        return next((entry["code"] for entry in sorted(CODEBOOK.values(), key=lambda e: e["code"])
                     if record["unit"] not in (entry["unit"], *entry["also_written"])), None)

    part, index, record = _pick(doc, rng, lambda r: "indicator_code" in r and "unit" in r and other(r))
    record["indicator_code"] = other(record)
    return [Expected(name, "unit-mismatch", record["id"], (part, index, "unit"),
                     what="indicator_code of an indicator in other units")]


# ---------------------------------------------------------------------------------------------------
# Data-folder variants: files beside the meetings.

def id_reused(injection, specs, rng, name):
    meeting = rng.choice([spec for index, spec in enumerate(specs) if index not in injection.docs]).meeting_id
    injection.extra_files["tombstones.yaml"] = (
        f"tombstones:\n  - id: {meeting}\n    status: withdrawn\n    reason: injected by benchmarks/inject.py\n"
        f"    withdrawn_in: 0.1.0\n")
    return [Expected(name, "id-reused", meeting, line=2, field="tombstones.0.id", file="tombstones.yaml",
                     what="a tombstone for a meeting that exists")]


def id_vanished(injection, specs, rng, name):
    vanished = f"{specs[0].admin_code}-cpc-c98-p98-a001"
    manifest = {"version": "0.1.0", "date": "2024-01-01",
                "tables": {"achievements": {"columns": {}, "rows": {vanished: "0" * 16}}}}
    injection.extra_files["releases/0.1.0.json"] = json.dumps(manifest, indent=2) + "\n"
    # Reported against tombstones.yaml, where the fix (a tombstone) goes, with no line.
    return [Expected(name, "id-vanished", vanished, file="tombstones.yaml",
                     what="an id of the last release that no record holds")]


# ---------------------------------------------------------------------------------------------------
# Meeting-, source- and coverage-level variants (a meeting of their own).

def _meeting_problem(doc, name, code, location, what):
    return [Expected(name, code, doc.meeting["id"], location, what=what)]


def meeting_id_mismatch(doc, rng, name):
    doc.meeting["plenary"] = doc.meeting["plenary"] % 99 + 1 if doc.meeting["plenary"] != 98 else 97
    return _meeting_problem(doc, name, "id-mismatch", ("meeting", "id"), "plenary changed, id not")


def meeting_source_reference(doc, rng, name):
    doc.meeting["source_id"] += "-copy"
    return _meeting_problem(doc, name, "unresolved-reference", ("meeting", "source_id"), "source_id of no source")


def duplicate_section(doc, rng, name):
    sections = doc.meeting["sections"]
    sections.append(dict(sections[0]))
    return _meeting_problem(doc, name, "duplicate-id", ("meeting", "sections", len(sections) - 1, "id"),
                            "a section listed twice")


def heading_not_in_source(doc, rng, name):
    index = rng.randrange(len(doc.meeting["sections"]))
    doc.meeting["sections"][index]["heading"] += "工程"
    return _meeting_problem(doc, name, "heading-not-in-source", ("meeting", "sections", index, "heading"),
                            "a heading not in the text")


def _source_problem(doc, name, code, key, what):
    return [Expected(name, code, doc.source["id"], ("source", key), what=what)]


def source_hash(doc, rng, name):
    doc.source["sha256"] = hashlib.sha256(b"not the source").hexdigest()
    return _source_problem(doc, name, "source-hash-mismatch", "sha256", "sha256 of other bytes")


def source_missing(doc, rng, name):
    doc.source["file"] = doc.source["file"].replace("-communique.txt", "-missing.txt")
    return _source_problem(doc, name, "source-missing", "file", "a source file that does not exist")


def source_path(doc, rng, name):
    doc.source_mode = "symlink"
    return _source_problem(doc, name, "source-path", "file", "the source is a symlink to a file outside the data folder")


def source_encoding(doc, rng, name):
    doc.raw = doc.raw[:40] + b"\xff" + doc.raw[40:]
    doc.source["sha256"] = hashlib.sha256(doc.raw).hexdigest()
    return _source_problem(doc, name, "file-encoding", "file", "a source that is not UTF-8 (with its true sha256)")


def draft(doc, rng, name):
    doc.draft = True
    return _meeting_problem(doc, name, "draft-not-reviewed", ("draft",), "draft: true")


def uncited_figure(doc, rng, name):
    doc.not_recorded.pop(rng.randrange(len(doc.not_recorded)))
    return _meeting_problem(doc, name, "uncited-figure", ("not_recorded",), "a not_recorded mark dropped")


def mark_not_found(doc, rng, name):
    doc.not_recorded.append({"figure": "9999个", "at": 0, "reason": "vague"})
    return _meeting_problem(doc, name, "mark-not-found", ("not_recorded", len(doc.not_recorded) - 1, "at"),
                            "a mark of a figure that is not in the text")


def mark_cited(doc, rng, name):
    _, _, record = _pick(doc, rng, lambda r: "figure" in r)
    doc.not_recorded.append({"figure": record["figure"], "at": record["_figure_start"], "reason": "name"})
    return _meeting_problem(doc, name, "mark-cited", ("not_recorded", len(doc.not_recorded) - 1),
                            f"a mark of {record['id']}'s figure")


# ---------------------------------------------------------------------------------------------------
# File-level variants: they edit the emitted YAML (a list of lines) or how the file is written.

def _line_hook(doc: Doc, hook: Callable[[list[str]], list[Expected]]) -> list[Expected]:
    """Run ``hook`` on the emitted lines at write time; it returns what it expects."""
    doc.yaml_hooks.append(hook)
    return []


def _record_line(lines: list[str], field_name: str, occurrence: int = 0) -> int:
    """Index of the ``occurrence``-th record line of ``field_name`` (4-space indent, in a record)."""
    hits = [index for index, line in enumerate(lines) if line.startswith(f"    {field_name}: ")]
    return hits[occurrence]


def yaml_syntax(doc, rng, name):
    def hook(lines):
        index = _record_line(lines, "period", rng.randrange(3))
        lines[index] += ": 1"
        return [Expected(name, "yaml-syntax", None, line=index + 1, what="'period: 2024: 1' (a second mapping value)")]
    return _line_hook(doc, hook)


def yaml_duplicate_key(doc, rng, name):
    def hook(lines):
        index = _record_line(lines, "period", rng.randrange(3))
        lines.insert(index + 1, lines[index])
        return [Expected(name, "yaml-duplicate-key", None, line=index + 2, what="period written twice")]
    return _line_hook(doc, hook)


def yaml_alias(doc, rng, name):
    def hook(lines):
        first, second = _record_line(lines, "indicator", 0), _record_line(lines, "indicator", 1)
        lines[first] = lines[first].replace("indicator: ", "indicator: &name ", 1)
        lines[second] = "    indicator: *name"
        # Anchors are refused where they stand, and the first problem stops the file: the anchor's line.
        return [Expected(name, "yaml-alias", None, line=first + 1, what="indicator: &name …, then indicator: *name")]
    return _line_hook(doc, hook)


def yaml_tag(doc, rng, name):
    def hook(lines):
        index = _record_line(lines, "indicator", rng.randrange(3))
        lines[index] = lines[index].replace("indicator: ", "indicator: !python/name:os.system ", 1)
        return [Expected(name, "yaml-tag", None, line=index + 1, what="a !python tag")]
    return _line_hook(doc, hook)


def yaml_too_deep(doc, rng, name):
    def hook(lines):
        index = _record_line(lines, "quote_end", rng.randrange(3))
        lines.insert(index + 1, "    note: " + "[" * 14 + "x" + "]" * 14)
        return [Expected(name, "yaml-too-deep", None, line=index + 2, what="a note nested 14 lists deep")]
    return _line_hook(doc, hook)


def yaml_nan(doc, rng, name):
    def hook(lines):
        index = _record_line(lines, "value", rng.randrange(3))
        paths = {line: path for path, line in key_lines("\n".join(lines)).items()}
        lines[index] = "    value: .nan"
        # The scalar is refused while the file is read: its field is known, its record not yet.
        return [Expected(name, "yaml-not-a-number", None, line=index + 1, field=".".join(map(str, paths[index + 1])),
                         what="value: .nan")]
    return _line_hook(doc, hook)


def file_encoding(doc, rng, name):
    def hook(lines):
        index = rng.randrange(5, 40)
        lines[index] += "\r"
        return [Expected(name, "file-encoding", None, line=index + 1, what="one CRLF line end")]
    return _line_hook(doc, hook)


def file_empty(doc, rng, name):
    doc.file_mode = "empty"
    return [Expected(name, "file-empty", None, what="an empty meeting file")]


def file_too_large(doc, rng, name):
    doc.file_mode = "large"
    return [Expected(name, "file-too-large", None, what="a meeting file padded with comments past 10 MiB")]


def file_unreadable(doc, rng, name):
    doc.file_mode = "directory"
    return [Expected(name, "file-unreadable", None, what="a folder where the meeting file should be")]


VARIANTS = [
    # record-level: share meetings, one record each
    Variant("duplicate-id", "duplicate-id", False, duplicate_id),
    Variant("id-mismatch", "id-mismatch", False, id_mismatch),
    Variant("unresolved-reference", "unresolved-reference", False, unresolved_section),
    Variant("section-mismatch", "section-mismatch", False, section_mismatch),
    Variant("quote-out-of-range", "quote-out-of-range", False, quote_out_of_range),
    Variant("quote-not-in-source", "quote-not-in-source", False, quote_not_in_source),
    Variant("figure-not-in-quote", "figure-not-in-quote", False, figure_not_in_quote),
    Variant("figure-ambiguous", "figure-ambiguous", False, figure_ambiguous),
    Variant("figure-unparseable", "figure-unparseable", False, figure_unparseable),
    Variant("value-mismatch", "value-mismatch", False, value_mismatch),
    Variant("number-and-value", "value-mismatch", False, number_and_value_mismatch),
    Variant("placeholder-left", "placeholder-left", False, placeholder_left),
    Variant("bound-mismatch", "bound-mismatch", False, bound_mismatch),
    Variant("flag-mismatch", "flag-mismatch", False, flag_mismatch),
    Variant("kind-mismatch", "kind-mismatch", False, kind_mismatch),
    Variant("period-mismatch", "period-mismatch", False, period_mismatch),
    Variant("precision-exceeded", "precision-exceeded", False, precision_exceeded),
    Variant("missing-field", "missing-field", False, missing_field),
    Variant("unknown-field", "unknown-field", False, unknown_field),
    Variant("invalid-value", "invalid-value", False, invalid_value),
    Variant("inconsistent-record", "inconsistent-record", False, inconsistent_record),
    Variant("unit-mismatch", "unit-mismatch", False, unit_mismatch),
    # files beside the meetings
    Variant("id-reused", "id-reused", False, id_reused, folder=True),
    Variant("id-vanished", "id-vanished", False, id_vanished, folder=True),
    # a meeting each
    Variant("id-mismatch/meeting", "id-mismatch", True, meeting_id_mismatch),
    Variant("unresolved-reference/source-id", "unresolved-reference", True, meeting_source_reference),
    Variant("duplicate-id/section", "duplicate-id", True, duplicate_section),
    Variant("heading-not-in-source", "heading-not-in-source", True, heading_not_in_source),
    Variant("source-hash-mismatch", "source-hash-mismatch", True, source_hash),
    Variant("source-missing", "source-missing", True, source_missing),
    Variant("source-path", "source-path", True, source_path),
    Variant("file-encoding/source", "file-encoding", True, source_encoding),
    Variant("draft-not-reviewed", "draft-not-reviewed", True, draft),
    Variant("uncited-figure", "uncited-figure", True, uncited_figure),
    Variant("mark-not-found", "mark-not-found", True, mark_not_found),
    Variant("mark-cited", "mark-cited", True, mark_cited),
    Variant("yaml-syntax", "yaml-syntax", True, yaml_syntax),
    Variant("yaml-duplicate-key", "yaml-duplicate-key", True, yaml_duplicate_key),
    Variant("yaml-alias", "yaml-alias", True, yaml_alias),
    Variant("yaml-tag", "yaml-tag", True, yaml_tag),
    Variant("yaml-too-deep", "yaml-too-deep", True, yaml_too_deep),
    Variant("yaml-not-a-number", "yaml-not-a-number", True, yaml_nan),
    Variant("file-encoding", "file-encoding", True, file_encoding),
    Variant("file-empty", "file-empty", True, file_empty),
    Variant("file-too-large", "file-too-large", True, file_too_large),
    Variant("file-unreadable", "file-unreadable", True, file_unreadable),
]


def select(names: list[str]) -> list[Variant]:
    """Variants by code or variant name; 'all' for every one whose code the installed commdata knows."""
    known = [variant for variant in VARIANTS if variant.code in CATALOGUE
             and (variant.code != "unit-mismatch" or WITH_CODES)]
    if "all" in names:
        return known
    chosen = [variant for variant in known if variant.code in names or variant.name in names]
    unknown = set(names) - {variant.code for variant in VARIANTS} - {variant.name for variant in VARIANTS}
    if unknown:
        raise ValueError(f"cannot inject {sorted(unknown)}; known: {sorted({v.code for v in VARIANTS})}")
    return chosen


def plan_injections(specs: list[MeetingSpec], names: list[str], seed: int) -> Injection:
    """Decide which meeting gets which variant, and apply them to freshly generated documents."""
    variants = select(names)
    rng = random.Random(f"commdata-bench/{seed}/inject")
    own = [variant for variant in variants if variant.own_file]
    shared = [variant for variant in variants if not variant.own_file and not variant.folder]
    needed = len(own) + (1 if shared else 0)
    if len(specs) < needed:
        raise ValueError(f"injecting {len(variants)} variants needs at least {needed} meetings, the corpus has "
                         f"{len(specs)}: raise --records or lower --per-meeting")
    chosen = rng.sample(range(len(specs)), needed)
    owners = dict(zip(chosen, own))
    shared_meetings = chosen[len(own):] + [index for index in range(len(specs)) if index not in chosen]
    injection = Injection({}, {}, [variant.name for variant in variants], seed)

    def doc_of(index: int) -> Doc:
        if index not in injection.docs:
            injection.docs[index] = build_meeting(specs[index])
        return injection.docs[index]

    for index, variant in owners.items():
        injection.expected.setdefault(index, []).extend(variant.apply(doc_of(index), rng, variant.name))
    for variant in shared:
        for index in shared_meetings:  # the first meeting where it fits
            try:
                injection.expected.setdefault(index, []).extend(variant.apply(doc_of(index), rng, variant.name))
                break
            except LookupError:
                continue
        else:
            raise ValueError(f"no meeting has a record that {variant.name} can break")
    for variant in variants:
        if variant.folder:
            injection.folder_expected += variant.apply(injection, specs, rng, variant.name)
    return injection


# ---------------------------------------------------------------------------------------------------
# Writing the injected meetings and the manifest.

_KEY = re.compile(r"^( *)(- )?(\{)?([A-Za-z_][A-Za-z0-9_]*):")


def key_lines(text: str) -> dict[tuple, int]:
    """Line of every key and list item in corpus.py's YAML layout (block mappings indented by two,
    list items as ``- key: value`` or ``- {key: value, …}``), keyed like commdata's loader keys them."""
    lines: dict[tuple, int] = {}
    container = {0: ()}  # indentation of keys → path of the mapping that holds them
    last_key: dict[int, tuple] = {}  # indentation → path of the last key there (owner of a list below it)
    counters: dict[tuple, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = _KEY.match(line)
        if not match:
            continue
        indent, dash, flow, key = len(match[1]), match[2], match[3], match[4]
        if dash:
            owner = last_key[indent - 2]
            item = (*owner, counters.get(owner, 0))
            counters[owner] = item[-1] + 1
            lines[item] = number
            indent += 2
            container[indent] = item
            if flow:
                for name in re.findall(r"[{,] ?([A-Za-z_][A-Za-z0-9_]*):", line):
                    lines[(*item, name)] = number
                continue
        path = (*container[indent], key)
        lines[path] = number
        last_key[indent] = path
        container[indent + 2] = path
    return lines


def line_of(lines: dict[tuple, int], location: tuple) -> int | None:
    for end in range(len(location), -1, -1):
        if location[:end] in lines:
            return lines[location[:end]]
    return None


def write_injected(injection: Injection, out: Path, manifest_path: Path) -> None:
    data = out / "data"
    entries: list[dict[str, Any]] = []
    for index, doc in sorted(injection.docs.items()):
        expected = list(injection.expected.get(index, []))
        text = render_yaml(doc)
        lines = key_lines(text)
        for item in expected:
            if item.location is not None:
                item.line = line_of(lines, item.location)
        if doc.yaml_hooks:
            rows = text.split("\n")
            for hook in doc.yaml_hooks:
                expected += hook(rows)
            text = "\n".join(rows)
        _write_source(doc, data)
        _write_meeting(doc, data, text)
        for item in expected:
            entries.append({"variant": item.variant, "code": item.code, "file": item.file or doc.file_name,
                            "line": item.line,
                            "record": item.record,
                            "field": item.field or (".".join(map(str, item.location)) if item.location else None),
                            "consequence": item.consequence, "what": item.what})
    for relative, text in injection.extra_files.items():
        (data / relative).parent.mkdir(parents=True, exist_ok=True)
        (data / relative).write_text(text, encoding="utf-8")
    entries += [{"variant": item.variant, "code": item.code, "file": item.file, "line": item.line,
                 "record": item.record, "field": item.field, "consequence": item.consequence, "what": item.what}
                for item in injection.folder_expected]
    entries.sort(key=lambda entry: (entry["file"], entry["line"] or 0, entry["code"]))
    manifest = {"seed": injection.seed, "variants": injection.variants, "problems": entries}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_source(doc: Doc, data: Path) -> None:
    path = data / doc.source["file"]
    if "-missing.txt" in doc.source["file"]:
        path = data / doc.source["file"].replace("-missing.txt", "-communique.txt")  # the real one, unreferenced
    if doc.source_mode == "symlink":
        outside = data.parent / "outside" / path.name
        outside.parent.mkdir(exist_ok=True)
        outside.write_bytes(doc.raw)
        os.symlink(os.path.relpath(outside, path.parent), path)
        return
    path.write_bytes(doc.raw)


def _write_meeting(doc: Doc, data: Path, text: str) -> None:
    path = data / doc.file_name
    if doc.file_mode == "directory":
        path.mkdir()
        return
    if doc.file_mode == "empty":
        text = ""
    elif doc.file_mode == "large":
        padding = "# " + "padding " * 15 + "\n"
        text += padding * (10 * 1024 * 1024 // len(padding.encode()) + 10)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
