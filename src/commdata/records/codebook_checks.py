"""Checks of the codebook (data/indicators.yaml) against the records and itself: every code is used
by a record, is a component of a code that is, or says why it is kept; codes it refers to exist, and no entry names a meeting's place
(a codebook is shared by every city: a definition that names one is that city's wording)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from commdata.domain.models import Indicator
from commdata.errors import Problem
from commdata.records.corpus import Corpus
from commdata.records.facts import NONE
from commdata.records.loading import LoadedFile

WORDED_FIELDS = ("name", "name_en", "definition", "definition_zh", "official_note")
_DIVISION_SUFFIXES = ("自治州", "地区", "市", "州", "盟", "县", "区")


def check_codebook(corpus: Corpus, codebook: LoadedFile | None, whole_folder: bool) -> None:
    """Add the codebook's problems to ``corpus.problems``. Unused codes are known only when every
    meeting file of the data folder was read (``whole_folder``)."""
    if codebook is None or codebook.model is None:
        return
    entries = list(codebook.model.indicators)

    def problem(code: str, message: str, index: int, field_name: str, fix: str = "") -> Problem:
        location = ("indicators", index, field_name)
        return Problem(code, message, file=codebook.display, line=codebook.line_of(location),
                       record=entries[index].code, field=".".join(map(str, location)), fix=fix)

    known = {entry.code for entry in entries}
    for index, entry in enumerate(entries):
        for field_name in ("components", "see_also"):
            for code in getattr(entry, field_name):
                if code not in known:
                    corpus.problems.append(problem("unresolved-reference", f"{field_name} names {code!r}, which is "
                                                   "not in the codebook", index, field_name))
    places = sorted({place for loaded in corpus.checked_files for place in loaded.facts.places})
    for index, entry in enumerate(entries):
        for field_name, place in _place_named(entry, places):
            corpus.problems.append(problem(
                "codebook-city-wording", f"{field_name} names {place!r}, a meeting's place: the codebook is shared "
                "by every city", index, field_name, "write the definition for any city (本市, the city); a city's own "
                "wording and figures belong in its records' indicator and note"))
    if not whole_folder or any(loaded.problems for loaded in corpus.files) or corpus.problems:
        # A file left out, or a record unread, mistyped or coded wrongly, may hold the use of a code: an
        # unused code is reported once the records are otherwise right, not as a second problem of theirs.
        return
    used = {code for loaded in corpus.checked_files for part in loaded.facts.parts.values()
            for code in part.raw("indicator_code")}
    used.discard(NONE)
    # The parts of a used total are part of its definition (new + continued = under construction).
    used |= {code for entry in entries if entry.code in used for code in entry.components}
    for index, entry in enumerate(entries):
        if entry.code not in used and entry.kept_unused is None:
            corpus.problems.append(problem(
                "indicator-unused", f"no record uses {entry.code}", index, "code",
                "remove the indicator, or say in kept_unused why it stays (a code is added with the first record "
                "that uses it)"))


def _place_named(entry: Indicator, places: list[str]) -> Iterator[tuple[str, str]]:
    """(field, place) for each place an entry's wording names: 呼和浩特市 as 呼和浩特 too, Hohhot as Hohhot or
    HOHHOT (a name in Latin letters is capitalised: a place called Yuan is not the currency's yuan).
    The entry's words are looked up in the places' names, not each place searched for in the words: a
    corpus of thousands of meetings has thousands of places, and a codebook a few hundred short texts."""
    stems = _stems(tuple(places))
    for field_name in WORDED_FIELDS:
        text = getattr(entry, field_name) or ""
        named: dict[str, str] = {}  # place → the first (in sorted order) of its stems the text holds
        for stem in _candidates(text, stems):
            for place in stems.places[stem]:
                if place not in named or stem < named[place]:
                    named[place] = stem
        for place in sorted(named):
            yield field_name, named[place]


class _Stems:
    """Every way a place is written (呼和浩特市, 呼和浩特; Hohhot City, Hohhot), and the places each names."""

    def __init__(self, places: tuple[str, ...]) -> None:
        self.places: dict[str, set[str]] = {}
        for place in places:
            stems = {place, *(place.removesuffix(suffix) for suffix in _DIVISION_SUFFIXES
                              if place.endswith(suffix) and len(place) - len(suffix) >= 2)}
            stems |= {re.sub(r"\s+(City|Prefecture|County|District|League)$", "", place, flags=re.IGNORECASE)}
            for stem in stems:
                self.places.setdefault(stem, set()).add(place)
        self.ascii: dict[str, set[str]] = {}  # words in lower case → the stems written so (Hohhot, HOHHOT)
        for stem in self.places:
            if stem.isascii() and _words_key(stem):
                self.ascii.setdefault(_words_key(stem), set()).add(stem)
        self.cjk = {stem for stem in self.places if not stem.isascii()}
        self.cjk_lengths = sorted({len(stem) for stem in self.cjk})
        self.ascii_words = sorted({len(key.split()) for key in self.ascii})


_STEMS: dict[tuple[str, ...], _Stems] = {}


def _stems(places: tuple[str, ...]) -> _Stems:
    if places not in _STEMS:  # one run checks every entry against the same places
        _STEMS.clear()
        _STEMS[places] = _Stems(places)
    return _STEMS[places]


def _words(text: str) -> list[str]:
    """The runs of Latin letters and digits: "Hohhot's" and "Hohhot-based" hold Hohhot, "St. Louis" is St Louis."""
    return re.findall(r"[A-Za-z0-9]+", text)


def _words_key(text: str) -> str:
    return " ".join(_words(text)).lower()


def _candidates(text: str, stems: _Stems) -> Iterator[str]:
    """The stems ``text`` holds: a name in Chinese anywhere in it, a name in Latin letters as whole words
    beginning with a capital, in any case after it."""
    for length in stems.cjk_lengths:
        for start in range(len(text) - length + 1):
            if text[start:start + length] in stems.cjk:
                yield text[start:start + length]
    words = _words(text)
    lowered = [word.lower() for word in words]
    for count in stems.ascii_words:
        for start in range(len(words) - count + 1):
            if not words[start][0].islower():
                yield from stems.ascii.get(" ".join(lowered[start:start + count]), ())
