"""What happened to each submission, and the per-run report that lists them all.

:class:`Outcome` is the engine's answer for one student ("graded" or "failed", with the reason,
the flags for the instructor and each test cell's verdict). :func:`write_report` writes
``reports/<assignment>.json`` and ``.csv`` with one row per submission, nothing left out.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graders.engine.text import clean_tree


@dataclass
class Outcome:
    """What happened to one submission. ``status`` is "graded" or "failed"."""

    student: str
    status: str = "graded"
    reason: str = ""
    flags: list[str] = field(default_factory=list)
    tests: dict[str, dict] = field(default_factory=dict)  # grade_id -> {"passed", "error"}
    seconds: float = 0.0
    key: str = ""
    score: float | None = None
    max_score: float | None = None
    folder: str = ""  # the submissions folder's entry this student id was collected from (graders/collect.py)

def summary(outcome: Outcome) -> str:
    passed = sum(1 for t in outcome.tests.values() if t["passed"])
    return (f"{outcome.status}, {passed}/{len(outcome.tests)} test cells passed, {outcome.seconds:.1f} s"
            + (f", flagged: {outcome.flags[0]}" if outcome.flags else ""))


def write_report(assignment: str, course: Path, outcomes: list[Outcome]) -> Path:
    """``reports/<assignment>.json`` and ``.csv``: one row per submission, nothing left out."""
    reports = course / "reports"
    reports.mkdir(exist_ok=True)
    rows = [clean_tree(asdict(o)) for o in outcomes]
    (reports / f"{assignment}.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    with open(reports / f"{assignment}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "folder", "status", "score", "max_score", "needs_review", "reason", "flags",
                         "seconds"])
        for o in rows:
            writer.writerow([_cell(v) for v in (o["student"], o["folder"] or o["student"], o["status"], o["score"],
                                                 o["max_score"], bool(o["flags"]), o["reason"], " | ".join(o["flags"]),
                                                 o["seconds"])])
    return reports / f"{assignment}.csv"


def _cell(value):
    """A CSV field that a spreadsheet will not run as a formula (student-chosen text can start with '=')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

