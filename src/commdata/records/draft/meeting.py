"""The meeting a draft is for: its admin code, committee term, plenary number, date, place and body.

Read from the communiqué's title (中国共产党呼和浩特市第十三届委员会第七次全体会议) and its first
full date, unless the caller gives them; the date also fixes which year the text reviews, which
placement and periods need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commdata.domain.models import ADMIN_CODE_PATTERN
from commdata.domain.quantities import chinese_numeral
from commdata.errors import DraftError

_TITLE = re.compile(r"中国共产党(?P<place>\S+?)第(?P<term>[一二三四五六七八九十]+)届委员会第(?P<plenary>[一二三四五六七八九十]+)次全体会议")
_DATE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日")


@dataclass(frozen=True)
class MeetingFacts:
    admin_code: str
    term: int
    plenary: int
    date: date
    place: str
    body: str

    @property
    def review_year(self) -> int:
        """The year the text reports on: a meeting late in the year reviews its own year, one early in
        the year the year before."""
        return self.date.year if self.date.month > 6 else self.date.year - 1

    @property
    def target_year(self) -> int:
        """The year a target is for where its sentence names none: a meeting from July to September
        reviews the first half and sets the rest of its own year (全年目标); any other, the year after
        the one it reviews."""
        return self.date.year if 7 <= self.date.month <= 9 else self.review_year + 1


def read_facts(text: str, admin_code: str, term: int | None, plenary: int | None, when: date | None) -> MeetingFacts:
    """The meeting's identity from the text, where options do not give it."""
    if re.fullmatch(ADMIN_CODE_PATTERN, admin_code) is None:
        raise DraftError(f"the admin code must be a six-digit GB/T 2260 code such as 150100, not {admin_code!r}")
    title, found_date = _TITLE.search(text), _DATE.search(text)
    try:
        term = term or (chinese_numeral(title["term"]) if title else None)
        plenary = plenary or (chinese_numeral(title["plenary"]) if title else None)
        when = when or (date(*map(int, found_date.groups())) if found_date else None)
    except ValueError as error:
        raise DraftError(f"cannot read the meeting's term, plenary or date from the text ({error}): give them as options")
    if term is None or plenary is None or when is None:
        raise DraftError("cannot find the committee term, plenary number and date in the text: give --term, "
                         "--plenary and --date")
    place = title["place"] if title else "TODO"
    return MeetingFacts(admin_code, term, plenary, when, place,
                        f"中国共产党{place}第{title['term']}届委员会" if title else "TODO")
