"""YAML to plain values, safely: the bytes of a regular file under a size limit, then one of two
walks over libyaml's events.

The YAML is never constructed by PyYAML, so that no tag can build an object; aliases are refused
before they can multiply, duplicate keys are caught, and no file can hold more than MAX_NODES nodes
or nest deeper than MAX_DEPTH (a 10 MiB flow list would otherwise take half a minute and gigabytes to
compose). Floats are read as exact Decimals from their text; dates stay strings for Pydantic to check.
Only regular files are read (not symbolic links, folders, FIFOs or devices), at most MAX_FILE_BYTES.

Why two walks: ``fast_values`` keeps no line and runs on every file; ``located_values`` keeps the line
of every value and says what is wrong and where. The fast walk refuses nothing itself: at the first
thing the located walk would refuse, or might (an anchor, an alias, a tag, a repeated, merge or
complex key, a second document, the node or depth limit), it raises Unusual and the located walk
reads the file again. They cannot be one function without putting the located walk's per-event line
bookkeeping back on the path every file takes (the fast walk was a third of validation time before).
The list of what is refused is therefore written twice, side by side in this module, and
tests/test_fuzz.py holds them to it: on generated documents and on a list of hostile ones, the fast
walk either gives the located walk's value or hands over, and never accepts what the other refuses.
"""

from __future__ import annotations

import os
import re
import stat
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

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

Path_ = tuple[str | int, ...]


class NodeError(Exception):
    """What a file holds that commdata refuses, with its problem code, message and line."""

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
            raise NodeError("invalid-value", f"a number of {len(digits.lstrip('+-'))} digits is out of range: at most "
                             f"{MAX_DIGITS} digits before the point", line)
        return int(digits)
    if tag == "tag:yaml.org,2002:float":
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise NodeError("yaml-not-a-number", f"{text!r} is not a finite number", line)
        if number.adjusted() >= MAX_DIGITS:  # 0.0e+999999999 too: its exponent is the danger
            raise NodeError("invalid-value", f"{text[:40]!r} is out of range: at most {MAX_DIGITS} digits before "
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


class Unusual(NodeError):
    """What fast_values does not handle: located_values reads the file again and says what and where."""

    def __init__(self) -> None:
        super().__init__("unusual", "", None)


def fast_values(text: str) -> Any:
    """The document's value, for a file with nothing to refuse: the fast reading, in one pass over
    libyaml's events, with no line kept. At the first thing located_values would refuse, or might (an
    anchor, a tag, a repeated or complex key, a second document, too many nodes or levels), it raises
    Unusual, and located_values, which tracks lines, reads the file again to report it."""
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
                    raise Unusual  # the node limit at once: a hostile list is refused before it is built
                if in_mapping and key is None:
                    key = event.value
                    if key in container or key == "<<":
                        raise Unusual
                    continue
                value = event.value
                if event.implicit[0]:  # plain: maybe a number, a boolean or a null
                    plain_value = _PLAIN_VALUES.get(value, _MISSING)
                    value = _plain_value(value, 0) if plain_value is _MISSING else plain_value
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                nodes += 1
                if event.anchor is not None or event.tag is not None or nodes > MAX_NODES or \
                        len(parents) >= MAX_DEPTH or in_mapping and key is None:
                    raise Unusual
                value = {} if kind is yaml.MappingStartEvent else []
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, in_mapping = parents.pop()
                continue
            elif kind is yaml.AliasEvent or kind is yaml.DocumentStartEvent and documents:
                raise Unusual
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
        raise Unusual
    return root


def located_values(text: str, lines: dict[Path_, int]) -> Any:
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
                    raise NodeError("yaml-syntax", "a second document (---): one file holds one meeting",
                                     event.start_mark.line + 1)
                continue
            if kind not in _NODE_EVENTS:
                continue  # stream and document ends
            line = event.start_mark.line + 1
            if kind is yaml.AliasEvent:
                raise NodeError("yaml-alias", f"alias *{event.anchor}: anchors and aliases (&name, *name) are "
                                 "not allowed", line)
            if event.anchor is not None:
                raise NodeError("yaml-alias", f"anchor &{event.anchor}: anchors and aliases (&name, *name) are "
                                 "not allowed", line)
            if event.tag is not None:
                raise NodeError("yaml-tag", f"tag {event.tag!r} is not allowed: plain values only", line)
            nodes += 1
            if nodes > MAX_NODES:
                raise NodeError("file-too-large", f"more than {MAX_NODES:,} keys, values, lists and mappings: "
                                 "one meeting holds far fewer", line)
            if len(stack) > MAX_DEPTH:
                raise NodeError("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", line)
            parent = stack[-1] if stack else None
            in_mapping = parent is not None and type(parent[0]) is dict
            if in_mapping and parent[2] is None:  # type: ignore[index]
                # A mapping's key: a plain name, once.
                if kind is not yaml.ScalarEvent:
                    raise NodeError("yaml-syntax", "keys must be plain names (no complex keys)", line)
                key = event.value
                if key == "<<" and event.implicit[0]:
                    raise NodeError("yaml-alias", "merge keys (<<) are not allowed", line)
                if key in parent[0]:  # type: ignore[index]
                    first = f" (first on line {lines[(*parent[1], key)]})"  # type: ignore[index]
                    raise NodeError("yaml-duplicate-key", f"key {key!r} appears twice in this mapping{first}", line)
                parent[2], parent[3] = key, line  # type: ignore[index]
                continue
            if kind is yaml.ScalarEvent:
                # Only plain scalars can be anything but strings; most values are quoted or text.
                try:
                    value = _plain_value(event.value, line) if event.implicit[0] else event.value
                except NodeError as error:
                    error.location = () if parent is None else \
                        (*parent[1], parent[2] if in_mapping else len(parent[0]))
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
        raise NodeError("file-empty", "the file holds no YAML document", None)
    return root


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES + 1 of them.

    A symbolic link is refused whatever it points to (like a symlinked source: what is validated must
    be what is committed, and a link may lead out of the data folder or to /dev/zero); so are
    folders, FIFOs (reading one would wait forever), sockets and devices.
    """
    if path.is_symlink():
        raise NodeError("file-unreadable", f"it is a symbolic link (to {os.readlink(path)}): commdata reads "
                         "only regular files; copy the file here instead", None)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except (OSError, ValueError) as error:
        raise NodeError("file-unreadable", f"cannot read the file: {getattr(error, 'strerror', None) or error}",
                         None) from None
    try:
        info = os.fstat(handle)
        mode, size = info.st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise NodeError("file-unreadable", "it is a folder, not a file", None)
        if not stat.S_ISREG(mode):
            raise NodeError("file-unreadable", "it is not a regular file (a FIFO, socket or device)", None)
        if size > MAX_FILE_BYTES:
            raise NodeError("file-too-large", f"{size} bytes is over the limit of {MAX_FILE_BYTES}", None)
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
        raise NodeError("file-unreadable", f"cannot read the file: {error.strerror}", None) from None
    finally:
        os.close(handle)



def bytes_problem(data: bytes) -> tuple[str, str, int | None] | None:
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

