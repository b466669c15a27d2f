"""The grade report for instructors: how the class did, which items and submissions need a look.

Reads nbgrader's gradebook through its API (SQLite or PostgreSQL: :func:`graders.course.gradebook_url`)
and the kit's per-submission outcomes (``<course>/reports/<assignment>.json``, written by
:func:`graders.engine.write_report`), and writes into ``<course>/reports/<assignment>/``:

- ``total.png``, ``items.png``, ``item-map.png``: total score histogram, per-item score
  distributions, difficulty against discrimination (course style, colour-blind safe);
- ``items.csv``: per item, its points, mean, difficulty, discrimination, zeros, answers
  awaiting manual grading, and why to review it (graders/reports/itemstats.py explains the numbers);
- ``flagged.csv``: submissions to look at (kit flags, failed grading, suspected fake
  equality, missing submissions), and answers awaiting manual grading, each with a reason;
- ``lms.csv``: one row per student for an LMS gradebook import (format in :data:`LMS_COLUMNS`);
- ``report.html`` (self-contained: figures embedded, with alt text) and ``report.md``.

    raikit-grade report ASSIGNMENT     (or: make report A=ASSIGNMENT)
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graders import course as ops
from graders.reports.itemstats import ItemStats, item_statistics

# The LMS CSV: a generic grade import. Moodle's "Import grades > CSV file", Blackboard's
# offline grade upload and D2L map an identifier column and a grade column at import time;
# the other columns are informative and can be left unmapped. An empty score = no submission.
LMS_COLUMNS = ("student_id", "score", "max_score", "percent", "status")
STATUS_FINAL, STATUS_PROVISIONAL, STATUS_MISSING, STATUS_FAILED = "final", "provisional", "missing", "failed"
STATUSES = (STATUS_FINAL, STATUS_PROVISIONAL, STATUS_MISSING, STATUS_FAILED)
# A test that received one of these from a student's function got an object the grader could
# not carry as plain data (graders/engine/protocol.py Opaque): the usual way to fake `==`.
FAKE_MARKERS = ("protocol.Opaque", "returned by student code")


@dataclass
class ClassGrades:
    """An assignment's grades as the gradebook holds them, in a matrix the statistics can use."""

    assignment: str
    items: list[str]  # grade cell names ("notebook:cell" when the assignment has several notebooks)
    max_points: list[float]
    written: list[bool]  # graded by a person
    students: list[str]  # the roster: every student in the gradebook
    points: np.ndarray  # students x items; NaN = no submission or awaiting manual grading
    pending: np.ndarray  # students x items, bool: awaiting manual grading
    submitted: np.ndarray  # per student, bool
    scores: dict[str, float]  # nbgrader's total per submitting student
    max_score: float
    flagged_in_gradebook: set[str] = field(default_factory=set)
    late: dict[str, float] = field(default_factory=dict)  # student -> seconds after the due date (nbgrader's rule)


@dataclass
class Flag:
    """One reason to look at one student's submission."""

    student: str
    kind: str  # missing, failed, timeout, killed, fake equality suspected, sandbox flag
    reason: str


@dataclass
class ReportFiles:
    folder: Path
    html: Path
    markdown: Path
    lms_csv: Path
    items_csv: Path
    flagged_csv: Path
    figures: dict[str, Path]
    items: list[ItemStats]
    flags: list[Flag]
    pending: dict[str, list[str]]


# ------------------------------------------------------------------ reading the gradebook and outcomes

def load_grades(assignment: str, course: Path = ops.DEFAULT_COURSE) -> ClassGrades:
    """The assignment's grades from nbgrader's gradebook; a CourseError says what to run first."""
    from nbgrader.api import Gradebook, MissingEntry

    url = ops.gradebook_url(course)
    first = f"run `make autograde A={assignment}` (or `raikit-grade autograde {assignment}`) first"
    if not ops.uses_postgresql(url) and not (course / "gradebook.db").is_file():
        raise ops.CourseError(f"No gradebook at {course / 'gradebook.db'}: nothing graded yet; {first}.")
    ops.check_gradebook(course)
    with Gradebook(url) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry as exc:
            raise ops.CourseError(f"{assignment!r} is not in the gradebook: nothing graded yet; {first}.") from exc
        notebooks = list(found.notebooks)
        cells = [(nb.name, cell) for nb in notebooks for cell in nb.grade_cells]
        several = len(notebooks) > 1
        items = [f"{nb}:{cell.name}" if several else cell.name for nb, cell in cells]
        keys = [(nb, cell.name) for nb, cell in cells]
        roster = sorted({s.id for s in gradebook.students} | {s.student_id for s in found.submissions})
        index = {student: i for i, student in enumerate(roster)}
        points = np.full((len(roster), len(items)), np.nan)
        pending = np.zeros((len(roster), len(items)), dtype=bool)
        submitted = np.zeros(len(roster), dtype=bool)
        scores, flagged, late = {}, set(), {}
        column = {key: j for j, key in enumerate(keys)}
        for submission in found.submissions:
            i = index[submission.student_id]
            submitted[i] = True
            scores[submission.student_id] = float(submission.score)
            if (submission.total_seconds_late or 0) > 0:  # timestamp.txt (time of receipt) after the due date
                late[submission.student_id] = float(submission.total_seconds_late)
            for notebook in submission.notebooks:
                if notebook.flagged:
                    flagged.add(submission.student_id)
                for grade in notebook.grades:
                    j = column.get((notebook.name, grade.name))
                    if j is None:
                        continue
                    if grade.needs_manual_grade:
                        pending[i, j] = True
                    else:
                        points[i, j] = float(grade.score)
        if not submitted.any():
            raise ops.CourseError(f"No submission of {assignment!r} is graded yet; {first}.")
        return ClassGrades(assignment, items, [float(c.max_score) for _, c in cells],
                           [c.cell_type == "markdown" for _, c in cells], roster, points, pending, submitted,
                           scores, float(found.max_score), flagged, late)


def load_outcomes(assignment: str, course: Path) -> list[dict] | None:
    """The kit's per-submission outcomes (``reports/<assignment>.json``), or None if there are none
    (graded with ``--engine stock``, or before the kit wrote reports)."""
    path = course / "reports" / f"{assignment}.json"
    if not path.is_file():
        return None
    try:
        outcomes = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ops.CourseError(f"{path} is not valid JSON ({exc}); re-run autograde to rewrite it.") from exc
    if not isinstance(outcomes, list):
        raise ops.CourseError(f"{path} should hold a list of outcomes; re-run autograde to rewrite it.")
    return outcomes


# ------------------------------------------------------------------ pure: flags and the LMS rows

def classify_flag(text: str) -> str:
    """The kind of a kit flag, from its wording (graders/engine/submission.py)."""
    lowered = text.lower()
    if "time limit" in lowered or "timed out" in lowered or "stopped after" in lowered:
        return "timeout"
    if "killed" in lowered:
        return "killed"
    return "sandbox flag"


def suspected_fakes(tests: dict) -> list[str]:
    """Test cells that received a value the grader could not trust (a subclass of a built-in
    type or another object standing in for one: the usual way to fake ``==``)."""
    found = []
    for name, result in sorted((tests or {}).items()):
        message = str(((result or {}).get("error") or {}).get("message", ""))
        if not (result or {}).get("passed") and any(marker in message for marker in FAKE_MARKERS):
            found.append(name)
    return found


def failed_students(outcomes: list[dict] | None) -> set[str]:
    """Students whose submission the kit could not grade (their recorded score is not a grade)."""
    return {str(o.get("student")) for o in outcomes or [] if o.get("status", "graded") != "graded"}


def submission_flags(outcomes: list[dict] | None, roster: list[str], submitted: set[str],
                     flagged_in_gradebook: set[str] = frozenset()) -> list[Flag]:
    """Every reason to look at a submission, sorted by student: missing, failed, kit flags, fakes.

    ``outcomes`` are the kit's per-submission records (None when the class was graded without
    the kit's engine: then only missing submissions and gradebook flags are known).
    """
    flags = [Flag(s, "missing", "no submission recorded for this student") for s in roster if s not in submitted]
    seen = set()
    for outcome in outcomes or []:
        student = str(outcome.get("student", "?"))
        seen.add(student)
        if outcome.get("status", "graded") != "graded":
            flags.append(Flag(student, str(outcome.get("status")), str(outcome.get("reason") or "grading failed")))
        for text in outcome.get("flags") or []:
            if text != outcome.get("reason"):
                flags.append(Flag(student, classify_flag(str(text)), str(text)))
        fakes = suspected_fakes(outcome.get("tests") or {})
        if fakes:
            flags.append(Flag(student, "fake equality suspected",
                              f"{', '.join(fakes)} received objects that are not plain values (e.g. a class "
                              "whose == always answers True); read the answer cells"))
    for student in sorted(flagged_in_gradebook - seen):
        flags.append(Flag(student, "flagged in gradebook", "marked for review in the formgrader"))
    order = {s: i for i, s in enumerate(sorted(set(roster) | {f.student for f in flags}))}
    return sorted(flags, key=lambda f: order[f.student])


def lms_rows(grades: ClassGrades, flagged: set[str], failed: set[str] = frozenset()) -> list[dict]:
    """One row per roster student in :data:`LMS_COLUMNS` order (``make export`` and the report share it).

    status ``final``: every answer graded and nothing flagged; ``provisional``: written answers
    await manual grading or the submission is flagged (the score may still change);
    ``failed``: handed in but could not be graded (see the report's flagged.csv for why);
    ``missing``: no submission. Failed and missing rows leave the score empty, so an LMS import
    records no zero for them.
    """
    rows = []
    for i, student in enumerate(grades.students):
        if not grades.submitted[i] or student in failed:
            rows.append({"student_id": student, "score": "", "max_score": _number(grades.max_score),
                         "percent": "", "status": STATUS_FAILED if grades.submitted[i] else STATUS_MISSING})
            continue
        score = grades.scores[student]
        percent = 100.0 * score / grades.max_score if grades.max_score > 0 else 0.0
        final = not grades.pending[i].any() and student not in flagged
        rows.append({"student_id": student, "score": _number(score), "max_score": _number(grades.max_score),
                     "percent": f"{percent:.1f}", "status": STATUS_FINAL if final else STATUS_PROVISIONAL})
    return rows


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _safe(value):
    """A CSV field a spreadsheet will not run as a formula (ids come from folder names)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([[_safe(v) for v in row] for row in rows])
    return path


def _duration(seconds: float) -> str:
    hours = seconds / 3600
    if hours >= 48:
        return f"{hours / 24:.1f} days"
    return f"{hours:.1f} hours" if hours >= 1 else f"{seconds / 60:.0f} min"


def _fmt(value: float, digits: int = 2) -> str:
    return "undefined" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


# ------------------------------------------------------------------ figures

def _figures(grades: ClassGrades, items: list[ItemStats], folder: Path) -> dict[str, tuple[Path, str]]:
    """Write the report's PNGs in the course style; returns ``{key: (path, alt text)}``.

    Uses matplotlib's ``Figure`` (no pyplot, no backend switch) inside an ``rc_context``, so a
    notebook that calls this keeps its own backend and style.
    """
    import matplotlib

    with matplotlib.rc_context():
        from raikit.plotting import use_course_style

        use_course_style()
        return _draw(grades, items, folder)


def _draw(grades: ClassGrades, items: list[ItemStats], folder: Path) -> dict[str, tuple[Path, str]]:
    from matplotlib.figure import Figure

    from raikit.plotting import PALETTE, label_axes

    out: dict[str, tuple[Path, str]] = {}
    totals = np.array([grades.scores[s] for s in grades.students if s in grades.scores])

    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    top = max(grades.max_score, float(totals.max()) if totals.size else 0.0)
    bins = np.arange(0, math.ceil(top) + 2) - 0.5 if top <= 40 else 20
    ax.hist(totals, bins=bins, color=PALETTE[0], edgecolor="white")
    ax.axvline(totals.mean(), color=PALETTE[3], linestyle="--", label=f"mean {totals.mean():.1f}")
    ax.legend()
    label_axes(ax, f"{grades.assignment}: total scores ({totals.size} submissions)",
               f"total points (of {_number(grades.max_score)})", "students")
    fig.tight_layout()
    out["total"] = (folder / "total.png", (
        f"Histogram of total scores for {grades.assignment}: {totals.size} submissions, mean {totals.mean():.1f}, "
        f"median {np.median(totals):.1f}, lowest {totals.min():.1f}, highest {totals.max():.1f} "
        f"of {_number(grades.max_score)} points."))
    fig.savefig(out["total"][0], dpi=110)

    columns = min(3, len(items))
    rows = math.ceil(len(items) / columns)
    fig = Figure(figsize=(4.2 * columns, 3.2 * rows))
    axes = fig.subplots(rows, columns, squeeze=False)
    alt_parts = []
    for j, (item, ax) in enumerate(zip(items, axes.flat, strict=False)):
        column = grades.points[:, j]
        values = column[~np.isnan(column)]
        levels = np.unique(np.concatenate([values, [0.0, item.max_points]]))
        counts = [int((values == level).sum()) for level in levels]
        labels = [_number(level) for level in levels]
        ax.bar(labels, counts, color=PALETTE[0], label="scored")
        if item.pending:
            ax.bar(["awaiting\ngrading"], [item.pending], color=PALETTE[1], hatch="//", label="awaiting grading")
        label_axes(ax, f"{item.name} ({_number(item.max_points)} pts)", "points", "students")
        ax.grid(axis="x", visible=False)
        spread = ", ".join(f"{c} scored {lab}" for lab, c in zip(labels, counts, strict=True) if c)
        waiting = f", {item.pending} awaiting manual grading" if item.pending else ""
        alt_parts.append(f"{item.name}: {spread}{waiting}")
    for ax in list(axes.flat)[len(items):]:
        ax.set_visible(False)
    fig.suptitle(f"{grades.assignment}: points per item", fontweight="bold")
    fig.tight_layout()
    out["items"] = (folder / "items.png", "Bar charts of how many students earned each number of points, "
                    "one per item. " + "; ".join(alt_parts) + ".")
    fig.savefig(out["items"][0], dpi=110)

    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    shown = [it for it in items if not (math.isnan(it.difficulty) or math.isnan(it.discrimination))]
    ax.axhspan(-1, 0.2, color=PALETTE[1], alpha=0.15, label="discrimination < 0.2: review")
    ax.axvspan(0.95, 1.05, color=PALETTE[5], alpha=0.15, label="difficulty > 0.95 or < 0.2: review")
    ax.axvspan(-0.05, 0.2, color=PALETTE[5], alpha=0.15)
    ax.scatter([it.difficulty for it in shown], [it.discrimination for it in shown], color=PALETTE[0], zorder=3)
    for it in shown:
        ax.annotate(it.name, (it.difficulty, it.discrimination), textcoords="offset points", xytext=(5, 4))
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1, 1)
    ax.legend(loc="lower left", fontsize=9)
    label_axes(ax, f"{grades.assignment}: item difficulty and discrimination",
               "difficulty p (mean fraction of points; higher = easier)",
               "discrimination r (item vs rest of total)")
    fig.tight_layout()
    left_out = [it.name for it in items if it not in shown]
    out["item-map"] = (folder / "item-map.png", "Scatter plot of items, difficulty on x and discrimination on y. "
                       + "; ".join(f"{it.name}: p {it.difficulty:.2f}, r {it.discrimination:.2f}" for it in shown)
                       + (f". Not shown (undefined or awaiting grading): {', '.join(left_out)}." if left_out else "."))
    fig.savefig(out["item-map"][0], dpi=110)
    return out


# ------------------------------------------------------------------ documents

PENDING_NOTE = "statistics once its answers are graded (nbgrader formgrader); then re-run the report"
ITEM_HEADER = ["item", "kind", "max points", "scored", "mean", "difficulty p", "discrimination r",
               "upper-lower D", "zeros", "awaiting manual grading", "review"]


def _item_rows(items: list[ItemStats]) -> list[list[str]]:
    return [[it.name, "written" if it.written else "autograded", _number(it.max_points), str(it.scored),
             _fmt(it.mean), _fmt(it.difficulty), _fmt(it.discrimination), _fmt(it.upper_lower), str(it.zeros),
             str(it.pending), "; ".join(it.review) or (PENDING_NOTE if it.pending else "")] for it in items]


def _summary(grades: ClassGrades, items: list[ItemStats], flags: list[Flag], pending: dict) -> list[str]:
    totals = np.array(list(grades.scores.values()))
    return [
        f"{len(grades.students)} students on the roster, {int(grades.submitted.sum())} submissions graded, "
        f"{len(grades.students) - int(grades.submitted.sum())} missing.",
        f"Total: mean {totals.mean():.2f}, median {np.median(totals):.2f}, standard deviation {totals.std():.2f} "
        f"of {_number(grades.max_score)} points.",
        f"{sum(bool(it.review) for it in items)} of {len(items)} items to review; "
        f"{len({f.student for f in flags})} submissions flagged; "
        f"{len(pending)} submissions with written answers awaiting manual grading"
        + (" (totals count them as 0 until they are graded)." if pending else "."),
    ]


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def clean(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(clean(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope=\"col\">{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td>none</td></tr>'}</tbody></table>"


CSS = """body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#111}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{border:1px solid #999;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#eee}img{max-width:100%;height:auto}
.note{color:#333}"""


def _documents(grades: ClassGrades, items: list[ItemStats], flags: list[Flag], pending: dict[str, list[str]],
               figures: dict[str, tuple[Path, str]], lms: Path, has_outcomes: bool) -> tuple[str, str]:
    """(HTML, Markdown) of the report; the HTML embeds its figures so it can be mailed or archived."""
    title = f"Grade report: {grades.assignment}"
    summary = _summary(grades, items, flags, pending)
    flag_rows = [[f.student, f.kind, f.reason] for f in flags]
    pending_rows = [[student, ", ".join(cells)] for student, cells in sorted(pending.items())]
    score_rows = [[r["student_id"], r["score"], r["max_score"], r["percent"], r["status"]]
                  for r in lms_rows(grades, {f.student for f in flags if f.kind != "late"},
                                    {f.student for f in flags if f.kind == STATUS_FAILED})]
    notes = [
        "Difficulty p is the mean fraction of an item's points that students earned (higher = easier). "
        "Discrimination r is the correlation of the item's points with each student's total on the other items; "
        "D is the mean fraction in the top 27% of the class (ranked by the other items) minus that in the "
        "bottom 27%. "
        "Items with r below 0.2, or p above 0.95 or below 0.2, are marked for review. "
        "Items with answers awaiting manual grading get their statistics after grading.",
        f"The LMS file {lms.name} has the columns {', '.join(LMS_COLUMNS)}; an empty score means no submission, "
        "status 'provisional' means the score may still change (written answers to grade, or flagged).",
    ]
    if not has_outcomes:
        notes.append("No per-submission outcomes from the kit's sandboxed grader were found "
                     f"(reports/{grades.assignment}.json): sandbox flags are not shown.")
    sections = [
        ("Items", ITEM_HEADER, _item_rows(items)),
        ("Flagged submissions", ["student", "kind", "reason"], flag_rows),
        ("Awaiting manual grading", ["student", "cells"], pending_rows),
        ("Scores", list(LMS_COLUMNS), score_rows),
    ]
    md = [f"# {title}", "", *[f"- {line}" for line in summary], ""]
    page = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body><main><h1>{html.escape(title)}</h1><ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in summary) + "</ul>"]
    for key, heading in (("total", "Total scores"), ("items", "Points per item"),
                         ("item-map", "Difficulty and discrimination")):
        path, alt = figures[key]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        page.append(f"<h2>{heading}</h2><figure><img src=\"data:image/png;base64,{data}\" "
                    f"alt=\"{html.escape(alt, quote=True)}\"></figure>")
        md += [f"## {heading}", "", f"![{alt.replace(']', ')')}]({path.name})", ""]
    for heading, header, rows in sections:
        page.append(f"<h2>{html.escape(heading)}</h2>{_html_table(header, rows)}")
        md += [f"## {heading}", "", _markdown_table(header, rows) if rows else "none", ""]
    page.append("<h2>Notes</h2>" + "".join(f"<p class=\"note\">{html.escape(n)}</p>" for n in notes))
    page.append("</main></body></html>")
    md += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(page), "\n".join(md)


def write_report(assignment: str, course: Path = ops.DEFAULT_COURSE) -> ReportFiles:
    """Write every report file for ``assignment`` into ``<course>/reports/<assignment>/``."""
    course = course.resolve()
    ops.assignments(course)  # a clear error if this is not a course folder
    grades = load_grades(assignment, course)
    outcomes = load_outcomes(assignment, course)
    failed = failed_students(outcomes)
    # item statistics describe answers that were graded: failed and missing submissions are shown apart
    graded = [i for i, s in enumerate(grades.students) if grades.submitted[i] and s not in failed]
    items = item_statistics(grades.points[graded], grades.items, grades.max_points,
                            written=grades.written, pending=grades.pending[graded])
    submitted = {s for s, done in zip(grades.students, grades.submitted, strict=True) if done}
    flags = submission_flags(outcomes, grades.students, submitted, grades.flagged_in_gradebook)
    flags += [Flag(student, "late", f"received {_duration(seconds)} after the due date; nbgrader's late "
                   "penalty rule (LateSubmissionPlugin) applies to the recorded score")
              for student, seconds in sorted(grades.late.items())]
    pending = {s: [grades.items[j] for j in np.flatnonzero(grades.pending[i])]
               for i, s in enumerate(grades.students) if grades.pending[i].any()}
    folder = course / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    figures = _figures(grades, items, folder)
    flagged_students = {f.student for f in flags if f.kind != "late"}  # late work is scored by nbgrader's rule
    lms = _write_csv(folder / "lms.csv", list(LMS_COLUMNS),
                     [[row[c] for c in LMS_COLUMNS] for row in lms_rows(grades, flagged_students, failed)])
    items_csv = _write_csv(folder / "items.csv", ITEM_HEADER, _item_rows(items))
    flagged_csv = _write_csv(folder / "flagged.csv", ["student", "kind", "reason"],
                             [[f.student, f.kind, f.reason] for f in flags]
                             + [[s, "awaiting manual grading", ", ".join(c)] for s, c in sorted(pending.items())])
    page, markdown = _documents(grades, items, flags, pending, figures, lms, outcomes is not None)
    (folder / "report.html").write_text(page, encoding="utf-8")
    (folder / "report.md").write_text(markdown, encoding="utf-8")
    return ReportFiles(folder, folder / "report.html", folder / "report.md", lms, items_csv, flagged_csv,
                       {k: p for k, (p, _) in figures.items()}, items, flags, pending)


def summary_lines(files: ReportFiles) -> list[str]:
    """What the command line prints: where the report is and what needs attention."""
    lines = [f"report: {files.html}", f"LMS CSV ({', '.join(LMS_COLUMNS)}): {files.lms_csv}"]
    review = [it for it in files.items if it.review]
    if review:
        lines.append(f"{len(review)} item(s) to review:")
        lines += [f"  {it.name}: {'; '.join(it.review)}" for it in review]
    if files.flags:
        lines.append(f"{len({f.student for f in files.flags})} submission(s) flagged:")
        lines += [f"  {f.student} [{f.kind}]: {f.reason[:200]}" for f in files.flags]
    waiting = [it.name for it in files.items if it.pending]
    if waiting:
        lines.append(f"item(s) awaiting manual grading: {', '.join(waiting)} (statistics once graded)")
    if files.pending:
        lines.append(f"{len(files.pending)} submission(s) with written answers awaiting manual grading "
                     "(nbgrader formgrader).")
    return lines
