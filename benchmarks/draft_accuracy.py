"""How well `commdata draft` recovers the curated figures of every meeting in the repository.

Run: python benchmarks/draft_accuracy.py   (prints one line per meeting and the totals)
"""

from __future__ import annotations

from pathlib import Path

from commdata.records.draft import compare_with_curated, draft_document, read_facts
from commdata.records.loading import load_meeting_file
from commdata.domain.sources import SourceText

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> None:
    totals = {"curated_figures": 0, "drafted_figures": 0, "recovered": 0, "right_part": 0, "right_value_and_bound": 0}
    for path in sorted((DATA / "meetings").glob("*.yaml")):
        model = load_meeting_file(path).model
        source = SourceText.read(DATA / model.source.file)
        facts = read_facts(source.text, model.meeting.admin_code, None, None, None)
        result = compare_with_curated(draft_document(source, model.source.file, facts), model)
        for key in totals:
            totals[key] += result[key]
        print(f"{model.meeting.id}: recall {result['recall']:.1%} ({result['recovered']}/{result['curated_figures']}), "
              f"precision {result['precision']:.1%} ({result['recovered']}/{result['drafted_figures']}), "
              f"right part {result['right_part']}/{result['recovered']}, "
              f"right value and bound {result['right_value_and_bound']}/{result['recovered']}")
    print(f"total: recall {totals['recovered'] / totals['curated_figures']:.1%}, "
          f"precision {totals['recovered'] / totals['drafted_figures']:.1%}")


if __name__ == "__main__":
    main()
