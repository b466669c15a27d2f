"""The kit's one dated source of legal facts is complete, and nothing teaches a date it does not hold.

``raikit/datasets/legal_facts.json`` carries an as-of date and, per fact, a source and the status
that could be confirmed. Lessons 03 and 12, ``raikit.governance`` and the module 12 data read it
through ``raikit.legal``. These tests fail when a lesson (markdown or code), the governance data
or its helpers write a date ("2 August 2026", "Aug 2, 2026", "2026-08-02") that is not a date of
the file: after the law changes, the file is updated and the stale date is found here.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import nbformat
import pytest
from conftest import LESSONS, ROOT

from raikit import governance, legal

MONTHS = {name: number for number, name in enumerate(legal.MONTHS, 1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["Sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b")
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# Other kit files that state legal dates (the governance data, its builder and its helpers).
GOVERNANCE_FILES = [ROOT / "raikit" / "topics" / "governance.py",
                    ROOT / "raikit" / "datasets" / "build_governance_data.py",
                    ROOT / "raikit" / "datasets" / "governance_systems.csv",
                    ROOT / "raikit" / "datasets" / "governance_systems.datasheet.md",
                    ROOT / "raikit" / "datasets" / "governance_controls.datasheet.md"]


def dates_in(text: str) -> list[tuple[str, dt.date]]:
    """Every full date written in ``text`` as (the text found, the date)."""
    found = []
    for match in DAY_MONTH_YEAR.finditer(text):
        day, month, year = match.groups()
        found.append((match.group(0), dt.date(int(year), MONTHS[month], int(day))))
    for match in MONTH_DAY_YEAR.finditer(text):
        month, day, year = match.groups()
        found.append((match.group(0), dt.date(int(year), MONTHS[month], int(day))))
    for match in ISO.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append((match.group(0), dt.date(year, month, day)))
    return found


def test_dates_in_reads_the_usual_ways_of_writing_a_date():
    text = "from 2 Aug 2026, 2 December 2027, Dec. 2, 2027, 2nd August 2028 and 2027-12-02; not 1973-75"
    assert [d for _, d in dates_in(text)] == [dt.date(2026, 8, 2), dt.date(2027, 12, 2), dt.date(2028, 8, 2),
                                             dt.date(2027, 12, 2), dt.date(2027, 12, 2)]


def test_the_facts_file_has_an_as_of_date_and_a_source_and_status_for_every_fact():
    raw = json.loads(legal.FACTS_FILE.read_text(encoding="utf-8"))
    assert dt.date.fromisoformat(raw["as_of"]) == legal.as_of()
    for field in ("about", "how_to_check", "update_policy"):
        assert raw[field].strip(), f"legal_facts.json needs {field!r}"
    for name, origin in raw["sources"].items():
        for field in ("title", "reference", "status"):
            assert origin.get(field, "").strip(), f"source {name!r} lacks {field!r}"
    for key, entry in raw["facts"].items():
        assert entry.get("fact", "").strip() and entry.get("status", "").strip(), f"fact {key!r} lacks text or status"
        assert entry.get("source") in raw["sources"], f"fact {key!r} names an unknown source {entry.get('source')!r}"
        for field in legal.DATE_FIELDS:
            if entry.get(field):
                dt.date.fromisoformat(entry[field])  # every date is ISO


def test_published_and_effective_dates_are_not_after_the_as_of_date():
    for key, entry in legal.facts()["facts"].items():
        for field in ("published", "effective"):
            if entry.get(field):
                assert legal.date_of(key, field) <= legal.as_of(), f"{key}: {field} lies after as_of"


def test_the_timetable_is_ordered_and_moved_dates_moved_later():
    rows = legal.timetable("ai_act")
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    moved = [r for r in rows if r["was"]]
    assert moved and all(r["was"] < r["date"] for r in moved)
    assert legal.long_date("ai_act.annex_iii_high_risk") == "2 December 2027"
    assert legal.long_date("ai_act.annex_i_high_risk") == "2 August 2028"
    assert legal.long_date("ai_act.general_application") == "2 August 2026"


def test_the_disclaimer_says_how_to_check_and_that_the_course_is_updated():
    text = legal.disclaimer()
    assert "Not legal advice" in text and "EUR-Lex" in text and "updated when the law changes" in text
    assert legal.long_date(legal.as_of()) in text


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_lesson_states_a_date_the_facts_file_does_not_hold(lesson):
    known = legal.all_dates()
    notebook = nbformat.read(lesson, as_version=4)
    stale = [f"cell {cell.get('id')}: {text!r}" for cell in notebook.cells
             for text, date in dates_in(cell.source) if date not in known]
    assert not stale, (f"{lesson.name} states dates that raikit/datasets/legal_facts.json does not hold (update the "
                       "file with its source, or read the date from it with raikit.legal):\n" + "\n".join(stale))


def test_the_governance_data_and_helpers_state_only_dates_of_the_facts_file():
    known = legal.all_dates()
    stale = [f"{path.name}: {text!r}" for path in GOVERNANCE_FILES
             for text, date in dates_in(path.read_text(encoding="utf-8")) if date not in known]
    assert not stale, "dates not in legal_facts.json:\n" + "\n".join(stale)


def test_lessons_03_and_12_read_the_facts_file_and_print_the_as_of_date():
    for stem, needle in [("03_fairness", 'legal.cite("us.reg_b_effects_test")'),
                         ("12_governance", 'legal.timetable_markdown("ai_act")')]:
        notebook = nbformat.read(ROOT / "lessons" / f"{stem}.ipynb", as_version=4)
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        assert "from raikit import legal" in code and needle in code, f"{stem} should read raikit.legal"
    assert legal.long_date(legal.as_of()) in legal.timetable_markdown("ai_act")
    assert legal.long_date(legal.as_of()) in legal.cite("us.reg_b_effects_test")


def test_governance_reads_its_dates_and_prohibited_practices_from_the_facts_file():
    assert legal.long_date("ai_act.annex_iii_high_risk") in governance.TIER_DESCRIPTIONS["high"]
    assert legal.long_date("ai_act.annex_i_high_risk") in governance.TIER_DESCRIPTIONS["high"]
    items = legal.fact("ai_act.prohibited_practices")["items"]
    assert set(governance.PROHIBITED_PRACTICES) == {i["kit_practice"] for i in items if i["kit_practice"]}
    assert set(governance.PROHIBITED_PRACTICES) <= set(governance.SYSTEM_ATTRIBUTES["practice"][1])
    assert len(governance.PROHIBITED_PRACTICES_NOT_IN_DATA) == 2  # the Digital Omnibus's additions
    table = governance.timetable()
    assert list(table.columns) == ["applies from", "was", "what", "status"]
    assert "2 December 2027" in set(table["applies from"])
