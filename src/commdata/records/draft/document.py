"""The draft meeting file as a document (plain dicts and lists, ready for yaml_out.py): the source and
meeting with its participants and sections, one stub per value under achievements or targets, and
every other figure under ``not_recorded`` with its guessed reason.

Everything in it is a guess for a curator to review. The document is marked ``draft: true`` so
validation refuses it and build never publishes it until a curator has reviewed every record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commdata.domain.detect import find_figures
from commdata.domain.models import meeting_id
from commdata.domain.sources import SourceText
from commdata.records.draft.cues import ACHIEVEMENTS, TARGETS
from commdata.records.draft.indicators import CodebookEntry
from commdata.records.draft.lines import last_line_title, line_starts
from commdata.records.draft.meeting import MeetingFacts
from commdata.records.draft.participants import participants
from commdata.records.draft.placement import Placement
from commdata.records.draft.reasons import not_recorded_reasons
from commdata.records.draft.sections import sections as find_sections
from commdata.records.draft.stubs import ordered, period, stub


def draft_document(source: SourceText, relative_file: str, facts: MeetingFacts,
                   codebook: Sequence[CodebookEntry] = ()) -> dict[str, Any]:
    """The draft; a stub whose indicator the codebook knows, in a unit that fits, gets its code."""
    text = source.text
    the_id = meeting_id(facts.admin_code, facts.term, facts.plenary)
    figures = find_figures(text)
    raw = source.raw.decode("utf-8")
    placement = Placement(text, facts, line_starts(raw))
    sections = find_sections(text, placement)
    records: dict[str, list[dict[str, Any]]] = {ACHIEVEMENTS: [], TARGETS: []}
    not_recorded = []
    for found, guess in zip(figures, not_recorded_reasons(text, placement.folded, facts, figures)):
        if guess is not None:
            reason, note = guess
            not_recorded.append({"figure": found.figure, "at": found.start, "reason": reason,
                                 **({"note": note} if note else {})})
            continue
        quantity = found.quantity
        assert quantity is not None  # not_recorded_reasons gives every figure the grammar cannot read a reason
        part = placement.part_at(found.start, found.end)
        year = period(part, facts, placement.year_at(found.start))
        record = stub(text, found, quantity, figures, part, codebook, year, placement.span_start_at(found.start, year))
        record["id"] = f"{the_id}-{part[0]}{len(records[part]) + 1:03d}"
        section = next((s.id for s in reversed(sections) if s.start <= found.start and s.part == part), None)
        if section:
            record["section"] = section
        records[part].append(ordered(record))
    return {
        "draft": True,
        "source": {"id": f"{the_id}-communique", "title": last_line_title(raw),
                   "issuing_body": facts.body, "file": relative_file, "sha256": source.sha256},
        "meeting": {"id": the_id, "source_id": f"{the_id}-communique", "title": "TODO", "body": facts.body,
                    "body_en": "TODO", "admin_code": facts.admin_code, "place": facts.place, "place_en": "TODO",
                    "term": facts.term, "plenary": facts.plenary, "kind": "plenary_session",
                    "date": facts.date.isoformat(),
                    "participants": participants(text),
                    "sections": [{"id": s.id, "part": s.part, "number": s.number, "heading": s.heading}
                                 for s in sections]},
        **records,
        "not_recorded": not_recorded,
    }
