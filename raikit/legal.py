"""The kit's legal facts: one dated file, read by lessons, data builders and topic helpers.

Laws change while a course is in use: the EU AI Act's high-risk timetable moved in 2026, and a
US rule changed what Regulation B says about disparate impact. So no lesson, dataset or helper
writes a legal date, article list, fine or scope from memory: they read it from
``raikit/datasets/legal_facts.json``, which holds an ``as_of`` date and, for each fact, its
source (Official Journal / CELEX reference, Federal Register document...) and the status that
could be confirmed. ``tests/test_legal_facts.py`` fails when a lesson states a date the file
does not hold.

- :func:`facts`, :func:`fact`, :func:`source`: the raw entries;
- :func:`as_of`, :func:`date_of`, :func:`long_date`: dates, written "2 December 2027";
- :func:`timetable_markdown`: a dated timetable for a lesson to display;
- :func:`cite`: one fact with its source, status and the as-of date, for a lesson to print;
- :func:`disclaimer`: how to check the current text, and how the course is kept current.

**Not legal advice**: a teaching summary that says how far it could be checked.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
from pathlib import Path
from typing import Any

FACTS_FILE = Path(__file__).resolve().parent / "datasets" / "legal_facts.json"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DATE_FIELDS = ("date", "was", "published", "effective", "applies_from")


@functools.lru_cache(maxsize=1)
def facts() -> dict[str, Any]:
    """The whole file as a dict (``about``, ``as_of``, ``how_to_check``, ``sources``, ``facts``...)."""
    with open(FACTS_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def as_of() -> _dt.date:
    """The date on which the facts were last checked."""
    return _dt.date.fromisoformat(facts()["as_of"])


def fact(key: str) -> dict[str, Any]:
    """One entry of ``facts``, e.g. ``fact("ai_act.annex_iii_high_risk")``; KeyError names the known keys."""
    entries = facts()["facts"]
    if key not in entries:
        raise KeyError(f"no legal fact {key!r}; known: {', '.join(sorted(entries))}")
    return entries[key]


def source(key: str) -> dict[str, Any]:
    """The source (title, reference, status) behind the fact ``key``."""
    return facts()["sources"][fact(key)["source"]]


def date_of(key: str, field: str = "date") -> _dt.date:
    """A date of the fact ``key`` (``"date"``, or ``"was"``, ``"published"``, ``"effective"``)."""
    value = fact(key).get(field)
    if value is None:
        raise KeyError(f"legal fact {key!r} has no {field!r} date")
    return _dt.date.fromisoformat(value)


def long_date(value: _dt.date | str) -> str:
    """``2027-12-02`` (a date or ISO text) or a fact key -> ``"2 December 2027"``."""
    if isinstance(value, str):
        value = date_of(value) if value in facts()["facts"] else _dt.date.fromisoformat(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def all_dates() -> set[_dt.date]:
    """Every date the file states (facts, sources' ``as_of``, prohibited practices' start dates)."""
    found = {as_of()}
    for entry in facts()["facts"].values():
        found |= {_dt.date.fromisoformat(entry[f]) for f in DATE_FIELDS if entry.get(f)}
        for item in entry.get("items", []):
            found |= {_dt.date.fromisoformat(item[f]) for f in DATE_FIELDS if item.get(f)}
    return found


def timetable(name: str = "ai_act") -> list[dict[str, Any]]:
    """The dated facts of one timetable, oldest first: ``[{"key", "date", "was", "fact", "status"}]``."""
    rows = [{"key": key, "date": _dt.date.fromisoformat(entry["date"]),
             "was": _dt.date.fromisoformat(entry["was"]) if entry.get("was") else None,
             "fact": entry["fact"], "status": entry["status"]}
            for key, entry in facts()["facts"].items() if entry.get("timetable") == name]
    return sorted(rows, key=lambda row: row["date"])


def timetable_markdown(name: str = "ai_act") -> str:
    """A Markdown table of :func:`timetable`, headed by the as-of date and the sources."""
    checked = long_date(as_of())
    lines = [f"**Timetable as of {checked}** (from `raikit/datasets/legal_facts.json`; "
             "an amendment moved the dates marked 'was')", "",
             "| applies from | what | status of the source |", "|---|---|---|"]
    for row in timetable(name):
        when = long_date(row["date"])
        if row["was"]:
            when += f" (was {long_date(row['was'])})"
        lines.append(f"| {when} | {row['fact']} | {row['status']} |")
    return "\n".join(lines) + "\n"


def cite(key: str) -> str:
    """One fact as plain text with its source, its status and the as-of date (for ``print``)."""
    entry, origin = fact(key), source(key)
    dates = [f"{label} {long_date(entry[field])}" for field, label in
             (("date", "from"), ("published", "published"), ("effective", "in force from")) if entry.get(field)]
    lines = [f"As of {long_date(as_of())}: {entry['fact']}"]
    if dates:
        lines.append("Dates: " + ", ".join(dates) + ".")
    lines += [f"Source: {origin['title']}; {origin['reference']}.", f"Status: {entry['status']}."]
    return "\n".join(lines)


def disclaimer() -> str:
    """The course's standing note on legal content: not advice, how to check, how it is kept current."""
    data = facts()
    return (f"Not legal advice. The legal facts in this course were last checked on {long_date(as_of())}. "
            f"How to check the current text: {data['how_to_check']} "
            f"How the course stays current: {data['update_policy']}")
