"""Each YAML value against the type of the field it fills, before Pydantic sees it.

Pydantic's lax mode would turn 85.0 or "85" or true into an offset of 85 or 1, a Unix time into a
date, and 1 into true; its strict mode (used by the models for ints and bools) takes no string for a
date and no int for a Decimal, which is what YAML gives for those. So a scalar whose YAML type does not
fit its field is refused here, with a message that says how to write it, and replaced by a stand-in
that the model refuses too. Text values are also searched for control characters and lone surrogates.
The walk over a model's fields follows a plan worked out once per model class.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from commdata.domain.annotations import field_type
from commdata.records.yaml_reading import Path_

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Control characters (other than tab and line feed) and lone surrogates: a double-quoted YAML string
# can hold them as escapes ("\x07", "\ud800"), and no curated text needs them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class _Refused:
    """Stands in for a value refused before validation, so that the model rejects it too."""

    def __repr__(self) -> str:
        return "<refused>"


_REFUSED = _Refused()


# By id(annotation), holding the annotation itself so that its id cannot be reused: unwrapping the
# typing objects of every value of every file was a tenth of validation.
_FIELD_TYPES: dict[int, tuple[Any, Any]] = {}


def _field_type(annotation: Any) -> Any:
    """The type a field holds (None for a real union), worked out once per annotation."""
    cached = _FIELD_TYPES.get(id(annotation))
    if cached is None or cached[0] is not annotation:
        cached = _FIELD_TYPES[id(annotation)] = (annotation, field_type(annotation)[0])
    return cached[1]


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


def check_types(value: Any, annotation: Any, location: Path_, refused: dict[Path_, str], text_clean: bool = False) -> Any:
    """``value`` with every scalar whose YAML type does not fit its field replaced by _REFUSED, and
    why in ``refused``: Pydantic's lax mode would turn 85.0 or "85" or true into an offset of 85 or 1,
    a Unix time into a date, and 1 into true. With ``text_clean`` (no value can hold a control
    character: see text_clean), the text fields are not looked at."""
    plan = _plan(annotation)
    if text_clean:
        typed = _typed_only(plan)
        if typed is None:
            return value
        plan = typed
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


def text_clean(text: str) -> bool:
    """Whether no value parsed from ``text`` can hold a control character or a lone surrogate: the
    text has none, and no backslash, without which a double-quoted escape cannot make one (CR is
    refused with the file's bytes; UTF-8 cannot encode a lone surrogate)."""
    return "\\" not in text and _CONTROL.search(text) is None


def _apply(value: Any, plan: tuple, location: Path_, refused: dict[Path_, str]) -> Any:
    """check_types for a model or list plan; a scalar's location is built only when it is refused."""
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

