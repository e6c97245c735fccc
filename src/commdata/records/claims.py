"""What a record with a problem still cites. A record whose quote is not at its offsets, whose figure
cannot be read from its quote, or that fails its model is reported once, where it is wrong; the
figures it means to cite are not then reported uncited as well."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from commdata.domain.quantities import occurrences_at_number_boundary
from commdata.records.placing import place_quote

Span = tuple[int, int]


@dataclass(frozen=True)
class Claim:
    """A troubled record's quote, figure, section and offsets, as far as they are known."""

    quote: str
    figure: str | None
    section: str | None
    offsets: Span | None
    whole_quote: bool = False  # its figure cannot be read: it claims every figure of its quote


def claimed_spans(claims: Iterable[Claim], text: str, sections: dict[str, Span]) -> list[Span]:
    """The spans of the text the records claim: their figure where the quote stands (every place it
    may stand, when that is undecided), or the whole quote; where the quote stands nowhere, the
    text at the record's offsets."""
    spans: list[Span] = []
    for claim in claims:
        placement = place_quote(text, claim.quote, sections.get(claim.section or ""),
                                claim.offsets[0] if claim.offsets else None)
        starts = [placement.start] if placement.start is not None else list(placement.candidates)
        regions = [(start, start + len(claim.quote)) for start in starts]
        if not regions and claim.offsets is not None and 0 <= claim.offsets[0] < claim.offsets[1]:
            regions = [claim.offsets]
        for start, end in regions:
            inside = text[start:end]
            places = [] if claim.whole_quote or not claim.figure else occurrences_at_number_boundary(inside, claim.figure)
            if places:
                spans += [(start + place, start + place + len(claim.figure or "")) for place in places]
            else:
                spans.append((start, end))
    return spans


def overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
