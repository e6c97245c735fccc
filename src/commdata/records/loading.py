"""Curated YAML files to models, keeping the file and line of every value for the problems.

A file is read and walked (yaml_reading.py), its values checked against their fields' types
(field_types.py) and validated by its model; every problem is collected on the LoadedFile with its
line, never raised. An invalid meeting file keeps its valid parts, so that the checks across records
still run on everything they can.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from commdata.domain.models import Achievement, Meeting, MeetingFile, NotRecorded, PackageInfo, SourceDocument, Target
from commdata.errors import Problem
from commdata.records.field_types import check_types, text_clean
from commdata.records.placeholders import placeholders
from commdata.records.yaml_reading import (NodeError, Path_, bytes_problem, fast_values, located_values,
                                           read_regular_file)


@dataclass(frozen=True)
class UnreadRecord:
    """A record of an invalid meeting file that failed its model, as far as its raw values tell: its
    quote and figure still say which figure of the source it cites, so that no knock-on problem
    calls that figure uncited."""

    location: Path_  # (part, index)
    quote: str
    figure: str | None
    section: str | None
    offsets: tuple[int, int] | None  # quote_start and quote_end, when both are whole numbers


@dataclass(eq=False)  # identity, not field equality: files are keys in dicts
class LoadedFile:
    """One YAML file: its model (None when invalid), the lines of its values and its problems."""

    path: Path
    display: str
    model: Any = None  # an instance of the model class it was loaded as
    # When a meeting file is invalid, its valid parts (invalid records as None), so that the
    # cross-record checks still run on everything they can.
    partial: MeetingFile | None = None
    # The line of every value, read again from the file only when a problem needs one: kept for every
    # file, it would cost more memory than the records themselves (a few KB per record).
    _lines: dict[Path_, int] | None = None
    problems: list[Problem] = field(default_factory=list)
    _raw_ids: dict[Path_, str] = field(default_factory=dict)
    # A meeting file's FileFacts (facts.py) once its own checks ran: what the checks across files
    # need, kept when the records themselves are not.
    facts: Any = None
    # Its rows of the package's tables as CSV lines (facts.FileTables), when it was read to be
    # published and is valid.
    tables: Any = None
    valid: bool = False  # the whole file fits its model (stays true when the model is dropped)
    from_cache: bool = False  # its checks' outcome came from the cache (cache.py)
    unread: list[UnreadRecord] = field(default_factory=list)  # records that failed their model

    def drop_records(self) -> None:
        """Forget the models (their facts stay): validation needs no more than the facts."""
        self.model = self.partial = None
        self._raw_ids = {}
        self.unread = []

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = {}
            try:
                located_values(read_regular_file(self.path).decode("utf-8"), self._lines)
            except (NodeError, yaml.YAMLError, UnicodeDecodeError):
                pass  # the file changed since it was read: lines up to the change are all there are
        return self._lines

    def line_of(self, location: Path_) -> int | None:
        """Line of the value at ``location``, or of its nearest ancestor that has one."""
        lines = self.lines
        for end in range(len(location), -1, -1):
            if location[:end] in lines:
                return lines[location[:end]]
        return None

    def record_id_at(self, location: Path_) -> str | None:
        """The id of the record or meeting that ``location`` falls in, read from the raw data."""
        if len(location) >= 2 and location[0] in ("achievements", "targets") and isinstance(location[1], int):
            return self._raw_ids.get(location[:2])
        if location and location[0] in ("meeting", "source"):
            return self._raw_ids.get(location[:1])
        return None


_PYDANTIC_CODES = {"missing": "missing-field", "extra_forbidden": "unknown-field"}


def problems_from_validation_error(loaded: LoadedFile, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        # Our own ValueErrors come from model validators: fields that contradict each other.
        code = _PYDANTIC_CODES.get(detail["type"], "inconsistent-record" if detail["type"] == "value_error" else "invalid-value")
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] not in ("missing", "extra_forbidden") and "input" in detail:
            shown = repr(detail["input"])
            if len(shown) <= 80:
                message = f"{message} (got {shown})"
        problems.append(Problem(
            code=code,
            message=message,
            file=loaded.display,
            line=loaded.line_of(location),
            record=loaded.record_id_at(location),
            field=".".join(str(part) for part in location) or None,
        ))
    return problems


def load_meeting_file(path: Path, display: str | None = None, data: bytes | None = None) -> LoadedFile:
    """Read one meeting file (or parse ``data``, its bytes already read). Never raises for bad
    content: problems are collected on the result."""
    return load_yaml(path, MeetingFile, display, data)


def load_package_info(path: Path, display: str | None = None) -> LoadedFile:
    return load_yaml(path, PackageInfo, display)


def read_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file, or None when it cannot be read (load_yaml then says why)."""
    try:
        return read_regular_file(path)
    except NodeError:
        return None


def load_yaml(path: Path, model_class: type[BaseModel], display: str | None = None,
              data: bytes | None = None) -> LoadedFile:
    """Read one YAML file as ``model_class`` (or parse ``data``, its bytes already read), collecting
    every problem with its line."""
    loaded = LoadedFile(path=path, display=display or str(path))
    if data is None:
        try:
            data = read_regular_file(path)
        except NodeError as error:
            loaded.problems.append(Problem(error.code, error.message, file=loaded.display))
            return loaded
    bad_bytes = bytes_problem(data)
    if bad_bytes is not None:
        code, message, line = bad_bytes
        loaded.problems.append(Problem(code, message, file=loaded.display, line=line))
        return loaded
    try:
        text = data.decode("utf-8")
        try:
            raw = fast_values(text)
        except NodeError:
            loaded._lines = {}
            raw = located_values(text, loaded._lines)  # again, to say where: errors are rare, lines costly
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        if error.context and error.context_mark and error.problem_mark:
            message = f"{message} ({error.context} started on line {error.context_mark.line + 1})"
        loaded.problems.append(Problem("yaml-syntax", message, file=loaded.display,
                                       line=mark.line + 1 if mark else None))
        return loaded
    except yaml.YAMLError as error:
        loaded.problems.append(Problem("yaml-syntax", str(error).splitlines()[0], file=loaded.display))
        return loaded
    except NodeError as error:
        field_name = ".".join(str(part) for part in error.location) if error.location else None
        loaded.problems.append(Problem(error.code, error.message, file=loaded.display, line=error.line,
                                       field=field_name))
        return loaded
    except RecursionError:
        loaded.problems.append(Problem("yaml-too-deep", "nesting too deep", file=loaded.display))
        return loaded
    if not isinstance(raw, dict):
        loaded.problems.append(Problem("invalid-value", f"the file must hold a mapping of the fields of "
                                       f"{model_class.__name__}", file=loaded.display, line=1))
        return loaded
    loaded._raw_ids = _raw_ids(raw)
    # A TODO left by draft is one problem of its own, whatever else the model would say of the value
    # (found before the type checks, which replace a value they refuse).
    left = [(location, problem_at(loaded, "placeholder-left", f"{value!r} is a placeholder: write the real value",
                                  location, loaded.record_id_at(location))) for location, value in placeholders(raw, text)]
    refused: dict[Path_, str] = {}
    check_types(raw, model_class, (), refused, text_clean(text))
    for location, _ in left:
        refused.pop(location, None)
    try:
        loaded.model = model_class.model_validate(raw)
        loaded.valid = True
        loaded.problems.extend(problem for _, problem in left)
    except ValidationError as error:
        fields = {".".join(str(part) for part in location) for location in [*refused, *(where for where, _ in left)]}
        mine = [Problem("invalid-value", message, file=loaded.display, line=loaded.line_of(location),
                        record=loaded.record_id_at(location), field=".".join(str(part) for part in location))
                for location, message in refused.items()]
        theirs = [problem for problem in problems_from_validation_error(loaded, error)
                  if not any(problem.field == name or (problem.field or "").startswith(name + ".") for name in fields)]
        loaded.problems.extend(sorted(mine + [problem for _, problem in left] + theirs, key=lambda problem: problem.line or 0))
        if model_class is MeetingFile:
            loaded.partial = _partial_meeting_file(raw)
            if loaded.partial is not None:
                loaded.unread = _unread_records(raw, loaded.partial)
    return loaded


def _valid_or_none(model_class: type[BaseModel], raw: Any) -> Any:
    try:
        return model_class.model_validate(raw)
    except ValidationError:
        return None


def _partial_meeting_file(raw: dict[str, Any]) -> MeetingFile | None:
    source, meeting = _valid_or_none(SourceDocument, raw.get("source")), _valid_or_none(Meeting, raw.get("meeting"))
    if source is None or meeting is None:
        return None
    records = {part: [_valid_or_none(model_class, item) for item in raw.get(part) or []]
               if isinstance(raw.get(part), list) else []
               for part, model_class in (("achievements", Achievement), ("targets", Target))}
    marks = [_valid_or_none(NotRecorded, item) for item in raw.get("not_recorded") or []] \
        if isinstance(raw.get("not_recorded"), list) else []
    return MeetingFile.model_construct(source=source, meeting=meeting, achievements=records["achievements"],
                                       targets=records["targets"], draft=raw.get("draft") is True,
                                       not_recorded=[mark for mark in marks if mark is not None])


def _unread_records(raw: dict[str, Any], partial: MeetingFile) -> list[UnreadRecord]:
    unread = []
    for part in ("achievements", "targets"):
        for index, record in enumerate(getattr(partial, part)):
            item = raw[part][index]
            if record is None and isinstance(item, dict) and isinstance(item.get("quote"), str):
                figure, section, start, end = (item.get(name) for name in ("figure", "section", "quote_start", "quote_end"))
                offsets = (start, end) if type(start) is int and type(end) is int else None
                unread.append(UnreadRecord((part, index), item["quote"], figure_text(figure),
                                           section if isinstance(section, str) else None, offsets))
    return unread


def figure_text(value: Any) -> str | None:
    """A figure as written, from its raw value: YAML reads `figure: 12` as a number."""
    if isinstance(value, bool) or value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _raw_ids(raw: dict[str, Any]) -> dict[Path_, str]:
    ids: dict[Path_, str] = {}
    for key in ("meeting", "source"):
        if isinstance(raw.get(key), dict) and isinstance(raw[key].get("id"), str):
            ids[(key,)] = raw[key]["id"]
    for part in ("achievements", "targets"):
        for index, record in enumerate(raw.get(part) or [] if isinstance(raw.get(part), list) else []):
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                ids[(part, index)] = record["id"]
    return ids


def problem_at(loaded: LoadedFile, code: str, message: str, location: Path_, record: str | None = None,
               fix: str = "") -> Problem:
    """A problem about the value at ``location`` in the file, with its line (and its fix, when the
    check knows it exactly; else the catalogue's hint)."""
    return Problem(code, message, file=loaded.display, line=loaded.line_of(location), record=record,
                   field=".".join(str(part) for part in location), fix=fix)
