"""What a record's own text determines: the figure's number, multiplier, unit, value and bound, and the
cumulative and aspirational flags. Validation proves a record agrees with these; `commdata fix`
writes them. Both read them here, so the two can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commdata.domain.detect import figure_reading
from commdata.domain.quantities import Bound, Direction, Quantity, QuantityError, occurrences_at_number_boundary

CUMULATIVE_WORDS = ("累计",)
ASPIRATIONAL_WORDS = ("争取", "力争", "争创")


def says_cumulative(quote: str) -> bool:
    return any(word in quote for word in CUMULATIVE_WORDS)


def says_aspirational(quote: str) -> bool:
    return any(word in quote for word in ASPIRATIONAL_WORDS)


class FigureError(ValueError):
    """A figure whose values the text cannot give: not in the quote, in it twice, or unreadable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ReadFigure:
    """A record's figure as its text gives it."""

    start: int  # its offset in the canonical text
    quantity: Quantity
    bound: Bound
    bound_word: str | None  # the word touching the figure that sets its bound, if any
    direction: Direction | None  # up or down, for a change

    def values(self) -> dict[str, Decimal | str | None]:
        """The record's fields the figure determines, by name (multiplier and unit None when not written)."""
        quantity = self.quantity
        return {"number": quantity.number, "multiplier": quantity.multiplier, "unit": quantity.unit,
                "value": quantity.value, "bound": self.bound.value}


def read_figure(figure: str, quote: str, quote_start: int, text: str) -> ReadFigure:
    """The figure of a record whose quote stands at ``quote_start`` of ``text``. FigureError when the
    figure is not once in the quote at a number boundary or does not follow the grammar."""
    places = occurrences_at_number_boundary(quote, figure)
    if not places:
        raise FigureError("figure-not-in-quote", f"{figure!r} does not occur in the quote at a number boundary")
    if len(places) > 1:
        raise FigureError("figure-ambiguous", f"{figure!r} occurs {len(places)} times in the quote: narrow the quote")
    start = quote_start + places[0]
    try:  # as the detector reads it, so that parse, draft and validate agree (分别 lists, class names)
        reading = figure_reading(text, start, figure)
    except QuantityError as error:
        raise FigureError("figure-unparseable", str(error)) from None
    assert reading.quantity is not None  # figure_reading raises rather than leave a figure unread
    return ReadFigure(start, reading.quantity, reading.bound, reading.bound_word, reading.direction)
