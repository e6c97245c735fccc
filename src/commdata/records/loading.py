"""Curated YAML to models, keeping the file and line of every value.

The YAML is composed into nodes (never constructed by PyYAML), so that no tag can build an object,
aliases are refused before they can multiply, duplicate keys are caught, and every value keeps its
line for error messages. Floats are read as exact Decimals from their text; dates stay strings for
Pydantic to check.

Bad input never wins: before anything is composed, the YAML's events are walked once, so that
anchors, aliases and explicit tags are refused where they stand and no file can hold more than
MAX_NODES nodes or nest deeper than MAX_DEPTH (a 10 MiB flow list would otherwise take half a minute
and gigabytes to compose). Only regular files are read (not symbolic links, folders, FIFOs or
devices), at most MAX_FILE_BYTES of them. Scalars must have the YAML type their field has: Pydantic
alone would take 85.0 or "85" or true for an offset and a Unix time for a date.
"""

from __future__ import annotations

import os
import re
import stat
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from commdata.errors import Problem
from commdata.domain.models import Achievement, Meeting, MeetingFile, NotRecorded, PackageInfo, SourceDocument, Target

MAX_FILE_BYTES = 10 * 1024 * 1024  # a meeting file is far smaller; a larger one is a mistake
MAX_DEPTH = 12
MAX_NODES = 100_000  # keys, values, lists and mappings: a meeting file holds a few thousand
MAX_DIGITS = 100  # before the decimal point: refused before any arithmetic can overflow

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
_INT = re.compile(r"^[-+]?[0-9]+$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Control characters (other than tab and line feed) and lone surrogates: a double-quoted YAML string
# can hold them as escapes ("\x07", "\ud800"), and no curated text needs them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

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
    # The line of every value, read again from the file only when a problem needs one: kept for every
    # file, it would cost more memory than the records themselves (a few KB per record).
    _lines: dict[Path_, int] | None = None
    problems: list[Problem] = field(default_factory=list)
    _raw_ids: dict[Path_, str] = field(default_factory=dict)
    # A meeting file's FileFacts (filecheck.py) once its own checks ran: what the checks across files
    # need, kept when the records themselves are not.
    facts: Any = None
    # Its rows of the package's tables as CSV lines (file_tables.FileTables), when it was read to be
    # published and is valid.
    tables: Any = None
    valid: bool = False  # the whole file fits its model (stays true when the model is dropped)
    from_cache: bool = False  # its checks' outcome came from the cache (cache.py)

    def drop_records(self) -> None:
        """Forget the models (their facts stay): validation needs no more than the facts."""
        self.model = self.partial = None
        self._raw_ids = {}

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = {}
            try:
                _compose(_read(self.path).decode("utf-8"), self._lines)
            except (_NodeError, yaml.YAMLError, UnicodeDecodeError):
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


class _NodeError(Exception):
    def __init__(self, code: str, message: str, line: int | None, location: Path_ | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.location = code, message, line, location


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers  # PyYAML's own rules, by first character
_STR = "tag:yaml.org,2002:str"


def _resolve(value: str, plain: bool) -> str:
    """The implicit tag of a scalar, by PyYAML's rules (YAML 1.1): only plain scalars can be numbers,
    booleans, nulls or timestamps."""
    if not plain:
        return _STR
    for tag, pattern in _RESOLVERS.get(value[:1], []) + _RESOLVERS.get(None, []):
        if pattern.match(value):
            return tag
    return _STR


def _scalar(tag: str, text: str, line: int) -> Any:
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:int":
        digits = text.replace("_", "")
        if not _INT.match(digits) or _LEADING_ZERO.match(digits):
            # 0x…, 0o…, sexagesimal (1:30) and 017 (octal in YAML 1.1, decimal in YAML 1.2): the text
            # stays a string, which no number field takes.
            return text
        if len(digits.lstrip("+-")) > MAX_DIGITS:
            raise _NodeError("invalid-value", f"a number of {len(digits.lstrip('+-'))} digits is out of range: at most "
                             f"{MAX_DIGITS} digits before the point", line)
        return int(digits)
    if tag == "tag:yaml.org,2002:float":
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise _NodeError("yaml-not-a-number", f"{text!r} is not a finite number", line)
        if number.adjusted() >= MAX_DIGITS:  # 0.0e+999999999 too: its exponent is the danger
            raise _NodeError("invalid-value", f"{text[:40]!r} is out of range: at most {MAX_DIGITS} digits before "
                             "the point", line)
        return number
    return text  # str and timestamp: Pydantic parses dates itself and reports impossible ones


_MISSING = object()
_PLAIN_VALUES: dict[str, Any] = {}  # short plain scalars (numbers, true, kinds) repeat from record to record
_PLAIN_CACHE_LIMIT = 50_000


def _plain_value(text: str, line: int) -> Any:
    """The value of a plain (unquoted) scalar, by PyYAML's implicit types."""
    value = _PLAIN_VALUES.get(text, _MISSING)
    if value is _MISSING:
        value = _scalar(_resolve(text, True), text, line)
        if len(text) <= 16 and len(_PLAIN_VALUES) < _PLAIN_CACHE_LIMIT:
            _PLAIN_VALUES[text] = value
    return value


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


class _Unusual(_NodeError):
    """What _read_values does not handle: _compose reads the file again and says what and where."""

    def __init__(self) -> None:
        super().__init__("unusual", "", None)


def _read_values(text: str) -> Any:
    """The document's value, for a file with nothing to refuse: the fast reading, in one pass over
    libyaml's events, with no line kept. At the first thing _compose would refuse, or might (an
    anchor, a tag, a repeated or complex key, a second document, too many nodes or levels), it raises
    _Unusual, and _compose, which tracks lines, reads the file again to report it."""
    root: Any = _MISSING
    parents: list[tuple[Any, bool]] = []  # the open containers above ``container``, and whether each is a mapping
    container: Any = None
    in_mapping = False
    key: str | None = None  # in a mapping: the key whose value comes next
    nodes = documents = 0
    parser = Loader(text)
    next_event = parser.get_event
    try:
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                nodes += 1
                if event.anchor is not None or event.tag is not None or nodes > MAX_NODES:
                    raise _Unusual  # the node limit at once: a hostile list is refused before it is built
                if in_mapping and key is None:
                    key = event.value
                    if key in container or key == "<<":
                        raise _Unusual
                    continue
                value = event.value
                if event.implicit[0]:  # plain: maybe a number, a boolean or a null
                    plain_value = _PLAIN_VALUES.get(value, _MISSING)
                    value = _plain_value(value, 0) if plain_value is _MISSING else plain_value
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                nodes += 1
                if event.anchor is not None or event.tag is not None or nodes > MAX_NODES or \
                        len(parents) >= MAX_DEPTH or in_mapping and key is None:
                    raise _Unusual
                value = {} if kind is yaml.MappingStartEvent else []
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, in_mapping = parents.pop()
                continue
            elif kind is yaml.AliasEvent or kind is yaml.DocumentStartEvent and documents:
                raise _Unusual
            else:
                documents += kind is yaml.DocumentStartEvent
                continue
            if in_mapping:
                container[key] = value
                key = None
            elif container is not None:
                container.append(value)
            else:
                root = value
            if kind is not yaml.ScalarEvent:
                parents.append((container, in_mapping))
                container, in_mapping = value, kind is yaml.MappingStartEvent
    finally:
        parser.dispose()
    if root is _MISSING:
        raise _Unusual
    return root


def _compose(text: str, lines: dict[Path_, int]) -> Any:
    """The document's value, built in one pass over libyaml's events, with the line of every value
    (of a mapping's value: its key's line) in ``lines``.

    One pass does what compose and construct would do in three, and refuses on the way what bad input
    would use: anchors and aliases (before they can multiply), explicit tags (before they can build
    an object), duplicate and complex keys, more than MAX_NODES nodes, nesting deeper than MAX_DEPTH,
    and a second document.
    """
    root: Any = _MISSING
    # Open containers: [container, its location, the pending key of a mapping or None, that key's line]
    stack: list[list[Any]] = []
    nodes = documents = 0
    parser = Loader(text)
    next_event = parser.get_event  # not yaml.parse: its generator cost a tenth of reading a file
    try:
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _NodeError("yaml-syntax", "a second document (---): one file holds one meeting",
                                     event.start_mark.line + 1)
                continue
            if kind not in _NODE_EVENTS:
                continue  # stream and document ends
            line = event.start_mark.line + 1
            if kind is yaml.AliasEvent:
                raise _NodeError("yaml-alias", f"alias *{event.anchor}: anchors and aliases (&name, *name) are "
                                 "not allowed", line)
            if event.anchor is not None:
                raise _NodeError("yaml-alias", f"anchor &{event.anchor}: anchors and aliases (&name, *name) are "
                                 "not allowed", line)
            if event.tag is not None:
                raise _NodeError("yaml-tag", f"tag {event.tag!r} is not allowed: plain values only", line)
            nodes += 1
            if nodes > MAX_NODES:
                raise _NodeError("file-too-large", f"more than {MAX_NODES:,} keys, values, lists and mappings: "
                                 "one meeting holds far fewer", line)
            if len(stack) > MAX_DEPTH:
                raise _NodeError("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", line)
            parent = stack[-1] if stack else None
            in_mapping = parent is not None and type(parent[0]) is dict
            if in_mapping and parent[2] is None:  # type: ignore[index]
                # A mapping's key: a plain name, once.
                if kind is not yaml.ScalarEvent:
                    raise _NodeError("yaml-syntax", "keys must be plain names (no complex keys)", line)
                key = event.value
                if key == "<<" and event.implicit[0]:
                    raise _NodeError("yaml-alias", "merge keys (<<) are not allowed", line)
                if key in parent[0]:  # type: ignore[index]
                    first = f" (first on line {lines[(*parent[1], key)]})"  # type: ignore[index]
                    raise _NodeError("yaml-duplicate-key", f"key {key!r} appears twice in this mapping{first}", line)
                parent[2], parent[3] = key, line  # type: ignore[index]
                continue
            if kind is yaml.ScalarEvent:
                # Only plain scalars can be anything but strings; most values are quoted or text.
                try:
                    value = _plain_value(event.value, line) if event.implicit[0] else event.value
                except _NodeError as error:
                    error.location = () if parent is None else \
                        (*parent[1], parent[2] if in_mapping else len(parent[0]))  # type: ignore[index]
                    raise
            else:
                value = {} if kind is yaml.MappingStartEvent else []
            if parent is None:
                location: Path_ = ()
                root = value
            elif in_mapping:
                location = (*parent[1], parent[2])
                parent[0][parent[2]] = value
                line = parent[3]  # the key's line, not the value's, locates the field
                parent[2] = None
            else:
                location = (*parent[1], len(parent[0]))
                parent[0].append(value)
            lines[location] = line
            if kind is not yaml.ScalarEvent:
                stack.append([value, location, None, 0])
    finally:
        parser.dispose()
    if root is _MISSING:
        raise _NodeError("file-empty", "the file holds no YAML document", None)
    return root


def _read(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES + 1 of them.

    A symbolic link is refused whatever it points to (like a symlinked source: what is validated must
    be what is committed, and a link may lead out of the data folder or to /dev/zero); so are
    folders, FIFOs (reading one would wait forever), sockets and devices.
    """
    if path.is_symlink():
        raise _NodeError("file-unreadable", f"it is a symbolic link (to {os.readlink(path)}): commdata reads "
                         "only regular files; copy the file here instead", None)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except (OSError, ValueError) as error:
        raise _NodeError("file-unreadable", f"cannot read the file: {getattr(error, 'strerror', None) or error}",
                         None) from None
    try:
        info = os.fstat(handle)
        mode, size = info.st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise _NodeError("file-unreadable", "it is a folder, not a file", None)
        if not stat.S_ISREG(mode):
            raise _NodeError("file-unreadable", "it is not a regular file (a FIFO, socket or device)", None)
        if size > MAX_FILE_BYTES:
            raise _NodeError("file-too-large", f"{size} bytes is over the limit of {MAX_FILE_BYTES}", None)
        chunks, remaining = [], MAX_FILE_BYTES + 1
        wanted = size + 1  # the size it has, and a byte more to see it grew: no 1 MiB buffer for a 80 KB file
        while remaining > 0:
            chunk = os.read(handle, min(remaining, wanted, 1 << 20))
            wanted = 1 << 20
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise _NodeError("file-unreadable", f"cannot read the file: {error.strerror}", None) from None
    finally:
        os.close(handle)


class _Refused:
    """Stands in for a value refused before validation, so that the model rejects it too."""

    def __repr__(self) -> str:
        return "<refused>"


_REFUSED = _Refused()


# By id(annotation), holding the annotation itself so that its id cannot be reused: unwrapping the
# typing objects of every value of every file was a tenth of validation.
_FIELD_TYPES: dict[int, tuple[Any, Any]] = {}


def _field_type(annotation: Any) -> Any:
    """The type a field holds, without Annotated and Optional (None for a real union)."""
    cached = _FIELD_TYPES.get(id(annotation))
    if cached is None or cached[0] is not annotation:
        cached = _FIELD_TYPES[id(annotation)] = (annotation, _unwrap(annotation))
    return cached[1]


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [option for option in get_args(annotation) if option is not type(None)]
            if len(options) != 1:
                return None
            annotation = options[0]
        else:
            return annotation


def _refusal(value: Any, expected: Any) -> str | None:
    """Why a value, as YAML typed it, cannot stand for a field of type ``expected``; None if it can
    (or if only the model can tell)."""
    if isinstance(value, str) and (bad := _CONTROL.search(value)):
        what = "lone surrogate" if "\ud800" <= bad.group() <= "\udfff" else "control character"
        return f"{what} U+{ord(bad.group()):04X} in the text: remove it"
    if value is None:
        return None  # the model says whether the field may be empty
    if expected is bool and not isinstance(value, bool):
        return "write true or false"
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        return "write a whole number in decimal digits, without quotes, leading zeros or a decimal point"
    if expected is Decimal and (isinstance(value, bool) or not isinstance(value, (int, Decimal))):
        return "write a number without quotes"
    if expected is date and not (isinstance(value, str) and _DATE.fullmatch(value)):
        return "write the date as YYYY-MM-DD"
    return None


def _check_types(value: Any, annotation: Any, location: Path_, refused: dict[Path_, str], text_clean: bool = False) -> Any:
    """``value`` with every scalar whose YAML type does not fit its field replaced by _REFUSED, and
    why in ``refused``: Pydantic's lax mode would turn 85.0 or "85" or true into an offset of 85 or 1,
    a Unix time into a date, and 1 into true. With ``text_clean`` (no value can hold a control
    character: see _text_clean), the text fields are not looked at."""
    plan = _plan(annotation)
    if text_clean:
        plan = _typed_only(plan)
        if plan is None:
            return value
    if plan[0] is _SCALAR:
        reason = _refusal(value, plan[1])
        return value if reason is None else _refuse(value, reason, location, refused)
    return _apply(value, plan, location, refused)


_MODEL, _LIST, _SCALAR = "model", "list", "scalar"
_PLANS: dict[int, tuple[Any, tuple]] = {}  # by id(annotation), like _FIELD_TYPES


def _plan(annotation: Any) -> tuple:
    """What _apply does with a value of this annotation, worked out once: (_MODEL, ((field name,
    plan), …)), (_LIST, item plan) or (_SCALAR, expected type). Walking the typing objects for every
    value of every file was a fifth of reading a file."""
    cached = _PLANS.get(id(annotation))
    if cached is not None and cached[0] is annotation:
        return cached[1]
    expected = _field_type(annotation)
    if isinstance(expected, type) and issubclass(expected, BaseModel):
        plan: tuple = (_MODEL, tuple((name, _plan(info.annotation)) for name, info in expected.model_fields.items()))
    elif get_origin(expected) is list:
        plan = (_LIST, _plan((get_args(expected) or (Any,))[0]))
    else:
        plan = (_SCALAR, expected)
    _PLANS[id(annotation)] = (annotation, plan)
    return plan


_TYPED = (bool, int, Decimal, date)  # what _refusal checks beyond control characters
_TYPED_PLANS: dict[int, tuple[tuple, tuple | None]] = {}  # by id(plan); plans live in _PLANS for good


def _typed_only(plan: tuple) -> tuple | None:
    """``plan`` without the scalars that only the control-character check concerns (None if nothing
    is left): most fields are text, and most files hold no control character at all."""
    cached = _TYPED_PLANS.get(id(plan))
    if cached is not None and cached[0] is plan:
        return cached[1]
    if plan[0] is _SCALAR:
        typed: tuple | None = plan if plan[1] in _TYPED else None
    elif plan[0] is _LIST:
        item = _typed_only(plan[1])
        typed = None if item is None else (_LIST, item)
    else:
        fields = tuple((name, kept) for name, field_plan in plan[1] if (kept := _typed_only(field_plan)) is not None)
        typed = (_MODEL, fields) if fields else None
    _TYPED_PLANS[id(plan)] = (plan, typed)
    return typed


def _text_clean(text: str) -> bool:
    """Whether no value parsed from ``text`` can hold a control character or a lone surrogate: the
    text has none, and no backslash, without which a double-quoted escape cannot make one (CR is
    refused with the file's bytes; UTF-8 cannot encode a lone surrogate)."""
    return "\\" not in text and _CONTROL.search(text) is None


def _apply(value: Any, plan: tuple, location: Path_, refused: dict[Path_, str]) -> Any:
    """_check_types for a model or list plan; a scalar's location is built only when it is refused."""
    if plan[0] is _MODEL:
        if type(value) is dict:
            for name, field_plan in plan[1]:
                if name in value:
                    if field_plan[0] is _SCALAR:
                        reason = _refusal(value[name], field_plan[1])
                        if reason is not None:
                            value[name] = _refuse(value[name], reason, (*location, name), refused)
                    else:
                        value[name] = _apply(value[name], field_plan, (*location, name), refused)
        return value
    if type(value) is list:
        item_plan = plan[1]
        for index, element in enumerate(value):
            if item_plan[0] is _SCALAR:
                reason = _refusal(element, item_plan[1])
                if reason is not None:
                    value[index] = _refuse(element, reason, (*location, index), refused)
            else:
                value[index] = _apply(element, item_plan, (*location, index), refused)
    return value


def _refuse(value: Any, reason: str, location: Path_, refused: dict[Path_, str]) -> Any:
    shown = repr(value)
    refused[location] = f"{reason} (got {shown})" if len(shown) <= 80 else reason
    return _REFUSED


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


def load_meeting_file(path: Path, display: str | None = None, data: bytes | None = None) -> LoadedFile:
    """Read one meeting file (or parse ``data``, its bytes already read). Never raises for bad
    content: problems are collected on the result."""
    return load_yaml(path, MeetingFile, display, data)


def load_package_info(path: Path, display: str | None = None) -> LoadedFile:
    return load_yaml(path, PackageInfo, display)


def read_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file, or None when it cannot be read (load_yaml then says why)."""
    try:
        return _read(path)
    except _NodeError:
        return None


def load_yaml(path: Path, model_class: type[BaseModel], display: str | None = None,
              data: bytes | None = None) -> LoadedFile:
    """Read one YAML file as ``model_class`` (or parse ``data``, its bytes already read), collecting
    every problem with its line."""
    loaded = LoadedFile(path=path, display=display or str(path))
    if data is None:
        try:
            data = _read(path)
        except _NodeError as error:
            loaded.problems.append(Problem(error.code, error.message, file=loaded.display))
            return loaded
    bad_bytes = _check_bytes(data)
    if bad_bytes is not None:
        code, message, line = bad_bytes
        loaded.problems.append(Problem(code, message, file=loaded.display, line=line))
        return loaded
    try:
        text = data.decode("utf-8")
        try:
            raw = _read_values(text)
        except _NodeError:
            loaded._lines = {}
            raw = _compose(text, loaded._lines)  # again, to say where: errors are rare, lines costly
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
    refused: dict[Path_, str] = {}
    _check_types(raw, model_class, (), refused, _text_clean(text))
    try:
        loaded.model = model_class.model_validate(raw)
        loaded.valid = True
    except ValidationError as error:
        fields = {".".join(str(part) for part in location) for location in refused}
        mine = [Problem("invalid-value", message, file=loaded.display, line=loaded.line_of(location),
                        record=loaded.record_id_at(location), field=".".join(str(part) for part in location))
                for location, message in refused.items()]
        theirs = [problem for problem in problems_from_validation_error(loaded, error)
                  if not any(problem.field == name or (problem.field or "").startswith(name + ".") for name in fields)]
        loaded.problems.extend(sorted(mine + theirs, key=lambda problem: problem.line or 0) if mine else theirs)
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
