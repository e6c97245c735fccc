"""Edits of a curated YAML file that keep everything else byte for byte: a scalar value replaced, a key
inserted into a mapping, a key removed.

Why not a round-trip library (ruamel.yaml): it re-emits the whole document, so its indentation rules
would rewrite a file laid out another way (`commdata draft` writes sequences unindented, curated files
indented) and a diff of one changed offset would touch every line. Here the parser only says where
each value stands (character offsets from PyYAML's events), and an edit changes those characters and
nothing else: comments, key order, quoting, blank lines and layout stay as the curator left them.

Values written are plain scalars (numbers, true/false, short text); text is written plain when YAML
reads it back as the same string, else double-quoted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

import yaml

from commdata.domain.quantities import plain
from commdata.records.yaml_reading import Path_

Scalar = str | int | bool | Decimal | None


@dataclass(frozen=True)
class Entry:
    """One key of a mapping and where its value stands."""

    key_start: int
    value_start: int
    value_end: int
    scalar: bool


@dataclass
class Mapping:
    """A mapping of the document: block or flow, its keys in order, and where it ends."""

    flow: bool
    end: int
    entries: dict[str, Entry] = field(default_factory=dict)


class EditError(ValueError):
    """An edit this module cannot make without touching more than the value (say why)."""


def scalar_text(value: Scalar) -> str:
    """A value as YAML text that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return plain(Decimal(value))
    plain_text = value.strip() == value and "\n" not in value and " #" not in value and ": " not in value
    try:
        if plain_text and yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


class YamlDocument:
    """A YAML text and the place of each of its mappings' keys and values, to edit in place."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mappings: dict[Path_, Mapping] = {}
        self._edits: list[tuple[int, int, int, str]] = []  # (start, end, order, replacement)
        self._walk()

    def _walk(self) -> None:
        # Per open container: [its path, its Mapping (None for a sequence), the pending key as
        # (key, start) while its value is read, the next sequence index, its start event].
        stack: list[list] = []
        for event in yaml.parse(self.text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent)) and stack:
                path = self._child_path(stack[-1])
            else:
                path = ()
            if isinstance(event, yaml.MappingStartEvent):
                self.mappings[path] = Mapping(bool(event.flow_style), -1)
                stack.append([path, self.mappings[path], None, 0, event])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append([path, None, None, 0, event])
            elif isinstance(event, yaml.ScalarEvent):
                self._value(stack, event, event.start_mark.index, event.end_mark.index, scalar=True)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame[1] is not None:
                    frame[1].end = event.end_mark.index
                if stack:
                    self._value(stack, frame[4], frame[4].start_mark.index, event.end_mark.index, scalar=False)
            elif isinstance(event, yaml.AliasEvent):
                raise EditError("the file uses a YAML alias")

    @staticmethod
    def _child_path(frame: list) -> Path_:
        """The path of the node that starts now inside ``frame``'s container: a sequence's next item,
        or the value of a mapping's pending key (a key itself gets its mapping's path)."""
        path, mapping, pending, index, _ = frame
        if mapping is None:
            return (*path, index)
        return (*path, pending[0]) if pending is not None else path

    def _value(self, stack: list[list], event: yaml.Event, start: int, end: int, scalar: bool) -> None:
        """Record a node that just ended as the value (or key) it is in its parent."""
        frame = stack[-1]
        mapping = frame[1]
        if mapping is None:
            frame[3] += 1
        elif frame[2] is None:  # a key
            frame[2] = (event.value if scalar else None, start)
        else:
            key, key_start = frame[2]
            if key is not None:
                mapping.entries[str(key)] = Entry(key_start, start, end, scalar)
            frame[2] = None

    def set(self, path: Path_, key: str, value: Scalar, after: list[str]) -> None:
        """Write ``key: value`` into the mapping at ``path``: replace its value, or insert the key
        after the last key of ``after`` (keys in the order they should come) that the mapping holds."""
        mapping = self._mapping(path)
        entry = mapping.entries.get(key)
        order = len(self._edits)
        if entry is not None:
            if not entry.scalar:
                raise EditError(f"{key} holds a list or mapping, not a value")
            self._edits.append((entry.value_start, entry.value_end, order, scalar_text(value)))
            return
        if mapping.flow:
            closing = self.text.rindex("}", 0, mapping.end)
            self._edits.append((closing, closing, order, f", {key}: {scalar_text(value)}"))
            return
        anchors = [name for name in after if name in mapping.entries] or list(mapping.entries)
        anchor = mapping.entries[anchors[-1]]
        line_start = self.text.rfind("\n", 0, anchor.key_start) + 1
        first = min(mapping.entries.values(), key=lambda item: item.key_start)
        indent = first.key_start - (self.text.rfind("\n", 0, first.key_start) + 1)
        if self.text[line_start:anchor.key_start].strip(" -"):
            raise EditError(f"the keys of the mapping holding {key} do not each start a line")
        position = self._line_end(anchor.value_end)
        newline = "" if position == 0 or self.text[position - 1] == "\n" else "\n"
        self._edits.append((position, position, order, f"{newline}{' ' * indent}{key}: {scalar_text(value)}\n"))

    def remove(self, path: Path_, key: str) -> None:
        """Remove ``key`` and its value from the mapping at ``path`` (set to null in a flow mapping)."""
        mapping = self._mapping(path)
        entry = mapping.entries.get(key)
        if entry is None:
            return
        if mapping.flow:
            self.set(path, key, None, [])
            return
        line_start = self.text.rfind("\n", 0, entry.key_start) + 1
        if self.text[line_start:entry.key_start].strip():
            raise EditError(f"{key} shares its line with another key: remove it by hand")
        self._edits.append((line_start, self._line_end(entry.value_end), len(self._edits), ""))

    def _mapping(self, path: Path_) -> Mapping:
        mapping = self.mappings.get(path)
        if mapping is None:
            raise EditError(f"no mapping at {'.'.join(map(str, path)) or 'the top'}")
        return mapping

    def _line_end(self, position: int) -> int:
        """Just past the end of the line ``position`` is on (a value's comment stays with it); a
        position at the start of a line (after a block scalar) is that line's start."""
        if position == 0 or self.text[position - 1] == "\n":
            return position
        newline = self.text.find("\n", position)
        return len(self.text) if newline < 0 else newline + 1

    def edited(self) -> str:
        """The text with every edit made (later edits at one place come after earlier ones)."""
        text = self.text
        for start, end, _, replacement in sorted(self._edits, key=lambda edit: (edit[0], edit[2]), reverse=True):
            text = text[:start] + replacement + text[end:]
        return text
