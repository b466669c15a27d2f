"""Grades out to an LMS: one export for every assignment, with a status for every student.

``raikit-grade export [--layout long|canvas|moodle] [--roster roster.csv]`` (``make export``)
writes what the report's ``lms.csv`` holds for one assignment (graders/reports/report.py
:func:`~graders.reports.report.lms_rows`: the same rows, the same rules), for all of them:

- **status** per student and assignment: ``final`` (everything graded, nothing flagged),
  ``provisional`` (written answers await a person, or the submission is flagged),
  ``failed`` (handed in, but could not be graded: the report says why) or ``missing``
  (nothing handed in). A failed or missing score is left **empty, never 0**, so an import
  records nothing for it.
- **students** come from the gradebook, the class roster and the submissions. The roster
  (``--roster``, graders/roster.py) says who each student is in the LMS; nbgrader's own
  student records (``lms_user_id``, names, email) fill what it leaves out.
- **assignments** that were released but never collected are left out (not exported as
  zeros); the command says so.

Layouts (docs/GRADES.md gives the import steps in each LMS):

- ``long``: one row per student and assignment (``student_id, lms_id, name, email,
  assignment, score, max_score, percent, status``): for spreadsheets and scripts.
- ``canvas``: Canvas's gradebook import (Grades > Import): ``Student, ID, SIS User ID,
  SIS Login ID, Section``, then one column per assignment, and a ``Points Possible`` row.
  Canvas matches students by ID, SIS User ID or SIS Login ID (the roster's ``lms_id``,
  ``sis_id``, ``sis_login``).
- ``moodle``: Moodle's "Import grades > CSV file": ``ID number, Email address, Full name``,
  then per assignment a score column and a ``<assignment> status`` column (map it to a
  feedback column or ignore it). Moodle identifies users by the column you map at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graders import course as ops
from graders import roster
from graders.reports import report
from graders.roster import Student

LAYOUTS = ("long", "canvas", "moodle")
LONG_COLUMNS = ("student_id", "lms_id", "name", "email", "assignment", "score", "max_score", "percent", "status")


@dataclass
class Export:
    """Every student's row per exported assignment, and what was left out and why."""

    students: list[Student]
    assignments: list[str]
    max_scores: dict[str, str]
    rows: dict[tuple[str, str], dict]  # (student_id, assignment) -> report.lms_rows row
    skipped: dict[str, str] = field(default_factory=dict)  # assignment -> why it is not exported

    def counts(self) -> dict[str, int]:
        found = {status: 0 for status in report.STATUSES}
        for row in self.rows.values():
            found[row["status"]] += 1
        return found


def read_roster(path: Path) -> dict[str, Student]:
    """``{student_id: Student}`` from the class roster (graders/roster.py), or a CourseError."""
    try:
        return roster.read(path)
    except roster.RosterError as exc:
        raise ops.CourseError(str(exc)) from exc


def _gradebook_students(course: Path) -> dict[str, Student]:
    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:
        return {s.id: Student(s.id, lms_id=s.lms_user_id or "", email=s.email or "",
                              name=" ".join(p for p in (s.first_name, s.last_name) if p))
                for s in gradebook.students}


def collect_grades(course: Path = ops.DEFAULT_COURSE, roster: Path | None = None) -> Export:
    """Every assignment's rows (report.lms_rows) for every known student, merged with the roster."""
    course = course.resolve()
    names = ops.assignments(course)
    listed = read_roster(roster) if roster else {}
    known = _gradebook_students(course) if ops.has_gradebook(course) else {}
    for sid, student in known.items():  # the roster wins; the gradebook fills its gaps
        if sid in listed:
            for key, value in vars(student).items():
                if value and not getattr(listed[sid], key):
                    setattr(listed[sid], key, value)
    people = {**known, **listed}
    rows: dict[tuple[str, str], dict] = {}
    exported, max_scores, skipped = [], {}, {}
    for name in names:
        try:
            grades = report.load_grades(name, course)
        except ops.CourseError:
            skipped[name] = "never collected: no graded submission"
            continue
        outcomes = report.load_outcomes(name, course)
        submitted = {s for s, done in zip(grades.students, grades.submitted, strict=True) if done}
        flags = report.submission_flags(outcomes, grades.students, submitted, grades.flagged_in_gradebook)
        # the gradebook's roster plus the roster file: a listed student with no submission is "missing"
        extra = sorted(set(people) - set(grades.students))
        by_student = {r["student_id"]: r for r in report.lms_rows(
            grades, {f.student for f in flags if f.kind != report.STATUS_MISSING}, report.failed_students(outcomes))}
        for sid in extra:
            by_student[sid] = {"student_id": sid, "score": "", "max_score": report._number(grades.max_score),
                               "percent": "", "status": report.STATUS_MISSING}
        for sid, row in by_student.items():
            rows[(sid, name)] = row
            people.setdefault(sid, Student(sid))
        exported.append(name)
        max_scores[name] = report._number(grades.max_score)
    return Export(sorted(people.values(), key=lambda s: s.student_id), exported, max_scores, rows, skipped)


def _row(export: Export, student: Student, name: str) -> dict:
    return export.rows.get((student.student_id, name)) or {
        "student_id": student.student_id, "score": "", "max_score": export.max_scores[name], "percent": "",
        "status": report.STATUS_MISSING}


def write(export: Export, out: Path, layout: str = "long") -> Path:
    """Write ``export`` to ``out`` in ``layout`` (see the module docstring)."""
    if layout not in LAYOUTS:
        raise ops.CourseError(f"unknown export layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    if layout == "long":
        header = list(LONG_COLUMNS)
        rows = [[student.student_id, student.lms_id, student.name, student.email, name, row["score"],
                 row["max_score"], row["percent"], row["status"]]
                for student in export.students for name in export.assignments
                for row in [_row(export, student, name)]]
    elif layout == "canvas":
        header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *export.assignments]
        rows = [["Points Possible", "", "", "", "", *(export.max_scores[n] for n in export.assignments)]]
        rows += [[student.name or student.student_id, student.lms_id, student.sis_id,
                  student.sis_login or student.student_id, student.section,
                  *(_row(export, student, n)["score"] for n in export.assignments)] for student in export.students]
    else:
        header = ["ID number", "Email address", "Full name",
                  *(c for n in export.assignments for c in (n, f"{n} status"))]
        rows = [[student.lms_id or student.student_id, student.email, student.name or student.student_id,
                 *(cell for n in export.assignments for cell in (_row(export, student, n)["score"],
                                                                 _row(export, student, n)["status"]))]
                for student in export.students]
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    report._write_csv(out, header, rows)  # every field made safe from spreadsheet formulas
    return out


def summary_lines(export: Export, out: Path, layout: str) -> list[str]:
    """What ``raikit-grade export`` prints: where the file is, the statuses, what was left out."""
    counts = export.counts()
    lines = [f"grades written to {out} ({layout} layout): {len(export.students)} student(s), "
             f"{len(export.assignments)} assignment(s)",
             "  " + ", ".join(f"{counts[s]} {s}" for s in report.STATUSES)]
    if counts[report.STATUS_PROVISIONAL]:
        lines.append("  provisional scores may still change: grade the written answers and review the flags "
                     "(make report A=<assignment>), then export again")
    if counts[report.STATUS_FAILED]:
        lines.append("  failed submissions have no score: reports/<assignment>/flagged.csv says why")
    lines += [f"  {name} left out: {why}" for name, why in sorted(export.skipped.items())]
    return lines
