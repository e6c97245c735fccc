"""What a model field holds, read from its annotation: the one place that looks through typing's
Annotated, ``X | None`` and Literal (the YAML type checks and the table specs both need it)."""

from __future__ import annotations

import types
import typing
from typing import Any


def field_type(annotation: Any) -> tuple[Any, bool]:
    """(the type a field holds, whether it may be None), through Annotated and ``X | None``. A Literal
    of strings holds str; a real union (two types besides None) holds None: no one type fits it."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [option for option in typing.get_args(annotation) if option is not type(None)]
            optional = optional or len(options) < len(typing.get_args(annotation))
            if len(options) != 1:
                return None, optional
            annotation = options[0]
        elif origin is typing.Literal:
            return str, optional
        else:
            return annotation, optional
