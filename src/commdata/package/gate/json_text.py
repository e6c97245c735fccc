"""JSON read as hostile input: clean UTF-8, no key twice in one object (which of the two would a
reader take?), no NaN or infinity (not JSON, and no number commdata can check against), no lone
surrogate (no UTF-8 can print it), and no nesting deeper than MAX_DEPTH, found before the parser
recurses, so that no RecursionError can ever escape."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from commdata.package.gate.files import GateError

MAX_DEPTH = 32  # a descriptor nests about eight levels (resources, schema, fields, constraints, enum)

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class _Refused(Exception):
    """Raised inside the parser's hooks; turned into a GateError."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Refused("json-duplicate-key", f"the key {key!r} appears twice in one object")
        found[key] = value
    return found


def _constant(name: str) -> Any:
    raise _Refused("json-not-a-number", f"{name} is not a JSON number: write a finite number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("json-not-a-number", f"{text[:40]} is too large for a finite number")
    return value


def depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings, which may hold brackets, left out);
    stops counting past MAX_DEPTH."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    level = deepest = 0
    for bracket in brackets:
        level += 1 if bracket in "[{" else -1
        if level > deepest:
            deepest = level
            if deepest > MAX_DEPTH:
                break
    return deepest


def parse_json(data: bytes, what: str) -> Any:
    """The JSON value in ``data`` (any value: the caller says what it must be); GateError with the
    code of the first thing refused. ``what`` names the file in messages."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GateError("descriptor-invalid", f"{what} is not UTF-8: {error.reason} at byte {error.start}") from None
    if depth(text) > MAX_DEPTH:
        raise GateError("json-too-deep", f"{what} nests arrays and objects more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)
    except _Refused as error:
        raise GateError(error.code, f"{what}: {error}") from None
    except (ValueError, RecursionError) as error:  # RecursionError: cannot happen below MAX_DEPTH; kept as a guard
        raise GateError("descriptor-invalid", f"{what} is not JSON: {error}") from None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise GateError("descriptor-invalid", f"{what} holds a lone surrogate (\\ud800 to \\udfff): no text can "
                        "hold it") from None
    return value
