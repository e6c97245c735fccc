"""`commdata fix`: write back what a meeting file's own text already determines, so that a curator never
computes an offset, a value or a hash by hand.

From the source: its sha256. From each record's quote: quote_start and quote_end (the occurrence in
the record's section when the quote is written more than once; when that still leaves a choice, the
record is left alone and both places are reported). From its figure: number, multiplier, unit, value
and bound (and figure_start and bound_word, where the model has them as fields), and the direction of a
change (增长 up, 下降 or a printed minus sign down) on a growth figure. From its quote: the cumulative
and aspirational flags. What only a curator can decide (indicator, codes, part, period,
kind, glosses) is never touched.

The file is read with the same safe reader as validation, and edited in place (yaml_editing.py): a
file with a problem that reading reports (a syntax error, an alias) is left alone, with a note.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from commdata.domain.models import Achievement, FigureKind, Target
from commdata.domain.quantities import Direction
from commdata.domain.sources import SourceText
from commdata.records.derived import FigureError, read_figure, says_aspirational, says_cumulative
from commdata.records.loading import figure_text
from commdata.records.placing import heading_spans, place_quote
from commdata.records.source_files import source_state
from commdata.records.yaml_editing import EditError, Scalar, YamlDocument
from commdata.records.yaml_reading import NodeError, bytes_problem, fast_values, located_values, read_regular_file

# Where a key goes when the record does not have it yet: after the last of the keys before it here.
FIELD_ORDER = ["id", "section", "period", "period_start", "indicator", "indicator_en", "indicator_code", "kind", "figure",
               "figure_start", "number", "multiplier", "unit", "value", "bound", "bound_word", "direction",
               "cumulative", "aspirational", "quote", "quote_start", "quote_end", "note"]
MODEL_FIELDS = {"achievements": set(Achievement.model_fields), "targets": set(Target.model_fields)}


@dataclass(frozen=True)
class Change:
    """One value fix writes (old None: the key was missing; new None: the key is removed)."""

    record: str | None
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Note:
    """Something fix could not decide, left for the curator."""

    record: str | None
    message: str


@dataclass
class FileFix:
    """What fix does to one meeting file: its changes, its notes, and the text before and after."""

    path: Path
    display: str
    before: str = ""
    after: str = ""
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        """The changes as a unified diff, as `git diff` shows them."""
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            f"a/{self.display}", f"b/{self.display}"))


def fix_file(path: Path, display: str, data_root: Path) -> FileFix:
    """What fix writes into one meeting file (nothing is written here: see write)."""
    result = FileFix(path, display)
    try:
        data = read_regular_file(path)
    except NodeError as error:
        result.notes.append(Note(None, f"left alone: {error.message}"))
        return result
    refused = bytes_problem(data)
    if refused is not None:
        result.notes.append(Note(None, f"left alone: {refused[1]}: run `commdata validate`"))
        return result
    result.before = result.after = text = data.decode("utf-8")
    try:
        raw = _values(text)
        document = YamlDocument(text)
    except (NodeError, yaml.YAMLError, EditError, RecursionError) as error:
        result.notes.append(Note(None, f"left alone: it cannot be read ({_reason(error)}): run `commdata validate`"))
        return result
    if not isinstance(raw, dict) or not isinstance(raw.get("source"), dict):
        result.notes.append(Note(None, "left alone: it holds no source mapping"))
        return result
    source = _source_text(raw["source"], data_root, result)
    if source is None:
        return result
    _fix_hash(raw["source"], source, document, result)
    meeting = raw.get("meeting")
    sections = _section_spans(meeting.get("sections") if isinstance(meeting, dict) else None, source.text)
    for part in ("achievements", "targets"):
        for index, record in enumerate(raw.get(part) or [] if isinstance(raw.get(part), list) else []):
            if isinstance(record, dict):
                _fix_record(part, index, record, source.text, sections, document, result)
    try:
        result.after = document.edited()
    except EditError as error:  # pragma: no cover - set and remove raise before edits are made
        result.notes.append(Note(None, f"left alone: {error}"))
    return result


def _values(text: str) -> Any:
    try:
        return fast_values(text)
    except NodeError:
        return located_values(text, {})  # refuses what the fast walk hands over, with a reason


def _reason(error: BaseException) -> str:
    if isinstance(error, NodeError):
        return error.message
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"{error.problem} on line {error.problem_mark.line + 1}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _source_text(source: dict[str, Any], data_root: Path, result: FileFix) -> SourceText | None:
    file = source.get("file")
    if not isinstance(file, str):
        result.notes.append(Note(None, "left alone: source.file is not given"))
        return None
    text, state = source_state(data_root, file)
    if text is None:
        result.notes.append(Note(None, f"left alone: the source {file} cannot be read ({state})"))
        return None
    try:
        text.text
    except UnicodeDecodeError as error:
        result.notes.append(Note(None, f"left alone: the source {file} is not UTF-8 ({error.reason})"))
        return None
    return text


def _fix_hash(source: dict[str, Any], text: SourceText, document: YamlDocument, result: FileFix) -> None:
    if source.get("sha256") != text.sha256:
        _set(document, result, ("source",), source.get("id"), "sha256", source.get("sha256"), text.sha256,
             ["id", "title", "issuing_body", "published_on", "published_in", "file"])


def _section_spans(sections: Any, text: str) -> dict[str, tuple[int, int]]:
    pairs = [(section["id"], section["heading"]) for section in sections or []
             if isinstance(section, dict) and isinstance(section.get("id"), str)
             and isinstance(section.get("heading"), str)] if isinstance(sections, list) else []
    return heading_spans(pairs, text)


def _fix_record(part: str, index: int, record: dict[str, Any], text: str, sections: dict[str, tuple[int, int]],
                document: YamlDocument, result: FileFix) -> None:
    record_id = record.get("id") if isinstance(record.get("id"), str) else f"{part}[{index}]"
    quote = record.get("quote")
    if not isinstance(quote, str) or not quote:
        result.notes.append(Note(record_id, "left alone: it has no quote"))
        return
    current = record.get("quote_start")
    section = sections.get(record["section"]) if isinstance(record.get("section"), str) else None
    placement = place_quote(text, quote, section, current if type(current) is int else None)
    if not placement.found:
        result.notes.append(Note(record_id, "left alone: its quote does not occur in the canonical text "
                                            "(`commdata locate SOURCE \"QUOTE\"` finds a part of it)"))
        return
    if placement.start is None:
        where = " and ".join(f"{start}..{start + len(quote)}" for start in placement.candidates)
        result.notes.append(Note(record_id, f"left alone: its quote occurs at {where}; set quote_start and "
                                            "quote_end to the one meant"))
        return
    start = placement.start
    fields: dict[str, Scalar] = {"quote_start": start, "quote_end": start + len(quote)}
    figure = figure_text(record.get("figure"))
    if figure is not None:
        try:
            read = read_figure(figure, quote, start, text)
        except FigureError as error:
            result.notes.append(Note(record_id, f"figure left alone: {error}"))
        else:
            fields.update(read.values())
            fields.update({"figure_start": read.start, "bound_word": read.bound_word})
            direction = _direction(record, read.direction)
            if direction is not _MISSING:
                fields["direction"] = direction
    fields["cumulative"] = says_cumulative(quote)
    if part == "targets":
        fields["aspirational"] = says_aspirational(quote)
    path = (part, index)
    for name, value in fields.items():
        if name in MODEL_FIELDS[part]:
            _set(document, result, path, record_id, name, record.get(name, _MISSING), value,
                 FIELD_ORDER[:FIELD_ORDER.index(name)])


_MISSING = object()


def _direction(record: dict[str, Any], read: Direction | None) -> Any:
    """The direction to write, as validation wants it: the text's, on a growth figure and on any figure
    that already gives one; none on a figure of another kind the text gives no direction; else
    _MISSING (leave it as it is)."""
    if read is not None and (record.get("kind") == FigureKind.growth.value or "direction" in record):
        return read.value
    if read is None and "direction" in record and record.get("kind") != FigureKind.growth.value:
        return None
    return _MISSING


def _same(old: Any, new: Scalar) -> bool:
    """Whether the value as written already is ``new`` (56300 and 56300.0 are the same number; a
    number written as text is not)."""
    if isinstance(new, bool) or isinstance(old, bool):
        return old is new
    if isinstance(new, (int, Decimal)):
        return isinstance(old, (int, Decimal)) and Decimal(old) == Decimal(new)
    return old == new


def _set(document: YamlDocument, result: FileFix, path: tuple, record_id: Any, name: str, old: Any, new: Scalar,
         after: list[str]) -> None:
    if old is _MISSING and (new is None or new is False):
        return  # a missing multiplier, unit or flag already says none, or false
    if old is not _MISSING and _same(old, new):
        return
    try:
        if new is None:
            document.remove(path, name)
        else:
            document.set(path, name, new, after)
    except EditError as error:
        result.notes.append(Note(record_id if isinstance(record_id, str) else None, f"{name} left alone: {error}"))
        return
    result.changes.append(Change(record_id if isinstance(record_id, str) else None, name,
                                 None if old is _MISSING else old, new))


def write(fixed: FileFix) -> None:
    """Write a file's fixed text, atomically: a reader sees the old file or the new, never half."""
    folder = fixed.path.parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{fixed.path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(fixed.after)
        os.chmod(temporary, fixed.path.stat().st_mode & 0o7777)
        os.replace(temporary, fixed.path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
