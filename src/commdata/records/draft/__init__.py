"""`commdata draft`: a YAML skeleton for a new meeting, one stub per figure the detector finds.

Everything a draft says is a guess for a curator to review: where a figure stands (achievement or
target, which numbered section), what it counts, its kind, who took part. Figures that are not values
(dates, meeting numbers, names, counts of the text's own items…) go under ``not_recorded`` with a
guessed reason instead of becoming stubs a curator must delete.

The modules, in the order a draft is made: meeting (the meeting's identity from the text), lines
(where the source's lines start), cues and placement (achievement or target, from the document's own
cues), numbering and sections (numbered lists), reasons (why a figure is not a value), quotes (the
clause a stub quotes), indicators (its name and codebook code), stubs (one record), participants,
document (the whole draft), yaml_out (its YAML), and accuracy (a draft against curated records).
"""

from commdata.records.draft.accuracy import compare_with_curated
from commdata.records.draft.document import draft_document
from commdata.records.draft.indicators import CodebookEntry
from commdata.records.draft.lines import line_starts
from commdata.records.draft.meeting import MeetingFacts, read_facts
from commdata.records.draft.participants import participants
from commdata.records.draft.yaml_out import draft_yaml, write_draft

__all__ = ["CodebookEntry", "MeetingFacts", "compare_with_curated", "draft_document", "line_starts", "participants",
           "read_facts", "draft_yaml", "write_draft"]
