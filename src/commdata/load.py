"""Curated YAML to models, keeping the file and line of every value.

The YAML is composed into nodes (never constructed by PyYAML), so that no tag can build an object,
aliases are refused before they can multiply, duplicate keys are caught, and every value keeps its
line for error messages. Floats are read as exact Decimals from their text; dates stay strings for
Pydantic to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem
from .models import Achievement, Meeting, MeetingFile, NotRecorded, PackageInfo, SourceDocument, Target

MAX_FILE_BYTES = 10 * 1024 * 1024  # a meeting file is far smaller; a larger one is a mistake
MAX_DEPTH = 12

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
_INT = re.compile(r"^[-+]?[0-9]+$")

Path_ = tuple[str | int, ...]


@dataclass(eq=False)  # identity, not field equality: files are keys in dicts
class LoadedFile:
    """One YAML file: its model (None when invalid), the lines of its values and its problems."""

    path: Path
    display: str
    model: Any = None  # an instance of the model class it was loaded as
    # When a meeting file is invalid, its valid parts (invalid records as None), so that the
    # cross-record checks still run on everything they can.
    partial: MeetingFile | None = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _raw_ids: dict[Path_, str] = field(default_factory=dict)

    def line_of(self, location: Path_) -> int | None:
        """Line of the value at ``location``, or of its nearest ancestor that has one."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return None

    def record_id_at(self, location: Path_) -> str | None:
        """The id of the record or meeting that ``location`` falls in, read from the raw data."""
        if len(location) >= 2 and location[0] in ("achievements", "targets") and isinstance(location[1], int):
            return self._raw_ids.get(location[:2])
        if location and location[0] in ("meeting", "source"):
            return self._raw_ids.get(location[:1])
        return None


class _NodeError(Exception):
    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:int":
        if _INT.match(text.replace("_", "")):
            return int(text.replace("_", ""))
        return text  # 0x…, 0o… and sexagesimal forms: let the model reject the string
    if tag == "tag:yaml.org,2002:float":
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise _NodeError("yaml-not-a-number", f"{text!r} is not a finite number", _line(node))
        return number
    return text  # str and timestamp: Pydantic parses dates itself and reports impossible ones


def _build(node: yaml.Node, location: Path_, lines: dict[Path_, int], seen: set[int], depth: int) -> Any:
    if id(node) in seen:
        raise _NodeError("yaml-alias", "anchors and aliases (&name, *name) are not allowed", _line(node))
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _NodeError("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", _line(node))
    if node.tag not in _PLAIN_TAGS:
        raise _NodeError("yaml-tag", f"tag {node.tag!r} is not allowed", _line(node))
    lines[location] = _line(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*location, index), lines, seen, depth + 1) for index, item in enumerate(node.value)]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            raise _NodeError("yaml-alias" if key_node.tag == "tag:yaml.org,2002:merge" else "yaml-syntax",
                             "keys must be plain names (no merge keys or complex keys)", _line(key_node))
        key = key_node.value
        if key in mapping:
            raise _NodeError("yaml-duplicate-key", f"key {key!r} appears twice in this mapping "
                             f"(first on line {lines[(*location, key)]})", _line(key_node))
        lines[(*location, key)] = _line(key_node)
        mapping[key] = _build(value_node, (*location, key), lines, seen, depth + 1)
        lines[(*location, key)] = _line(key_node)  # the key's line, not the value's, locates the field
    return mapping


def _check_bytes(data: bytes) -> tuple[str, str, int | None] | None:
    """The first problem with a file's bytes as (code, message, line), if any."""
    if not data.strip():
        return "file-empty", "the file is empty", None
    if len(data) > MAX_FILE_BYTES:
        return "file-too-large", f"{len(data)} bytes is over the limit of {MAX_FILE_BYTES}", None
    if data.startswith(b"\xef\xbb\xbf"):
        return "file-encoding", "the file starts with a byte-order mark: save it as UTF-8 without BOM", 1
    if b"\x00" in data:
        return "file-encoding", "the file contains NUL bytes", data[: data.index(b"\x00")].count(b"\n") + 1
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return "file-encoding", f"not UTF-8: {error.reason} at byte {error.start}", data[: error.start].count(b"\n") + 1
    if b"\r" in data:
        return "file-encoding", "CR line ends: save the file with LF line ends", data[: data.index(b"\r")].count(b"\n") + 1
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


def load_meeting_file(path: Path, display: str | None = None) -> LoadedFile:
    """Read one meeting file. Never raises for bad content: problems are collected on the result."""
    return load_yaml(path, MeetingFile, display)


def load_package_info(path: Path, display: str | None = None) -> LoadedFile:
    return load_yaml(path, PackageInfo, display)


def load_yaml(path: Path, model_class: type[BaseModel], display: str | None = None) -> LoadedFile:
    """Read one YAML file as ``model_class``, collecting every problem with its line."""
    loaded = LoadedFile(path=path, display=display or str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        loaded.problems.append(Problem("file-unreadable", f"cannot read the file: {error.strerror}", file=loaded.display))
        return loaded
    bad_bytes = _check_bytes(data)
    if bad_bytes is not None:
        code, message, line = bad_bytes
        loaded.problems.append(Problem(code, message, file=loaded.display, line=line))
        return loaded
    try:
        node = yaml.compose(data.decode("utf-8"), Loader=Loader)
        if node is None:
            raise _NodeError("file-empty", "the file holds no YAML document", None)
        raw = _build(node, (), loaded.lines, set(), 0)
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
    except _NodeError as error:
        loaded.problems.append(Problem(error.code, error.message, file=loaded.display, line=error.line))
        return loaded
    except RecursionError:
        loaded.problems.append(Problem("yaml-too-deep", "nesting too deep", file=loaded.display))
        return loaded
    if not isinstance(raw, dict):
        loaded.problems.append(Problem("invalid-value", f"the file must hold a mapping of the fields of "
                                       f"{model_class.__name__}", file=loaded.display, line=1))
        return loaded
    loaded._raw_ids = _raw_ids(raw)
    try:
        loaded.model = model_class.model_validate(raw)
    except ValidationError as error:
        loaded.problems.extend(problems_from_validation_error(loaded, error))
        if model_class is MeetingFile:
            loaded.partial = _partial_meeting_file(raw)
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
    return MeetingFile.model_construct(source=source, meeting=meeting, **records, draft=raw.get("draft") is True,
                                       not_recorded=[mark for mark in marks if mark is not None])


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
