"""An instructor's term, scripted (issue 16): release, a Canvas zip and a Moodle zip imported
through one roster, autograde, written answers graded through nbgrader's gradebook API (as the
formgrader does), a late resubmission and a re-run, feedback and the export. At the end every
manual grade is intact and the export holds exactly the expected statuses and scores."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile

import pytest
from conftest import ROOT
from nbgrader_harness import fill_cells, solution_submission

from graders import cli, lms_import
from graders import course as ops
from graders.reports import export, report

pytestmark = pytest.mark.slow
A = "00_orientation"
ROSTER = ("student_id,lms_id,name,email\n"
          "ann,4001,Ann Archer,ann@uni.example\n"
          "bob,4002,Bob Brown,bob@uni.example\n"
          "cy,,Cy Chen,cy@uni.example\n"
          "dee,4004,Dee Diaz,dee@uni.example\n")


def _zip(path, members: dict[str, bytes], when=(2026, 12, 1, 9, 0, 0)):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def _notebook_bytes(path) -> bytes:
    return path.read_bytes()


def _grade_written(course, student: str, score: float, comment: str) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:
        grade = gradebook.find_grade("written_1", A, A, student)
        grade.manual_score = score
        grade.needs_manual_grade = False
        gradebook.find_comment("written_1", A, A, student).manual_comment = comment
        gradebook.db.commit()


def _manual_state(course) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:
        return {(s.student_id, g.name): (g.manual_score, g.needs_manual_grade)
                for s in gradebook.find_assignment(A).submissions for nb in s.notebooks for g in nb.grades
                if g.cell_type == "markdown"}


def test_a_term_from_lms_downloads_to_the_lms_export(tmp_path, monkeypatch):
    monkeypatch.delenv(ops.DB_URL_VARIABLE, raising=False)
    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "source" / A, course / "source" / A)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert cli.main(["--course", str(course), "release", A]) == 0
    release = course / "release" / A / f"{A}.ipynb"
    work = tmp_path / "work"
    solution_submission(course / "source" / A / f"{A}.ipynb", release, work / "solution.ipynb")
    fill_cells(work / "solution.ipynb", {"written_1": "Because the model was never tested on this group."},
               work / "answered.ipynb")
    untouched = release.read_bytes()

    # Canvas: ann on time, bob late with the untouched handout; Moodle: cy (matched by name)
    canvas = _zip(tmp_path / "canvas.zip", {f"archerann_4001_501_{A}.ipynb": _notebook_bytes(work / "answered.ipynb"),
                                            f"brownbob_late_4002_502_{A}.ipynb": untouched,
                                            f"strangerx_4999_503_{A}.ipynb": untouched})
    moodle = _zip(tmp_path / "moodle.zip", {f"Cy Chen_77_assignsubmission_file_/{A}.ipynb":
                                            _notebook_bytes(work / "answered.ipynb")})
    first = lms_import.import_submissions(A, canvas, course, roster)
    assert sorted(first.imported) == ["ann", "bob"] and first.late == [f"bob: brownbob_late_4002_502_{A}.ipynb"]
    assert any("strangerx" in line for line in first.unmatched)
    assert sorted(lms_import.import_submissions(A, moodle, course, roster).imported) == ["cy"]
    inbox = course / "imports" / A / "inbox"

    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:  # what `nbgrader db assignment add --duedate` sets
        gradebook.update_or_create_assignment(A, duedate="2026-12-02 00:00:00 UTC")
    graded = ops.autograde(A, course, inbox, quiet=True)
    assert sorted(graded.recorded) == ["ann", "bob", "cy"]
    scores = {row.student: row.score for row in graded.scores}
    assert scores["ann"] == scores["cy"] == 10.0 and scores["bob"] == 0.0
    stamps = {s: (course / "submitted" / s / A / "timestamp.txt").read_text() for s in ("ann", "bob", "cy")}
    assert all(stamp.startswith("2026-12-01 09:00:00") for stamp in stamps.values())  # the LMS's time, not now

    _grade_written(course, "ann", 4.0, "complete")
    _grade_written(course, "cy", 2.0, "names the harm, not the group")
    graded_by_hand = _manual_state(course)

    # bob resubmits (late) through Canvas; re-import and re-grade: only bob is recorded again
    late = _zip(tmp_path / "canvas2.zip", {f"brownbob_late_4002_504_{A}-1.ipynb":
                                           _notebook_bytes(work / "answered.ipynb")}, when=(2026, 12, 3, 18, 0, 0))
    again = lms_import.import_submissions(A, late, course, roster)
    assert "bob" in again.replaced and (again.replaced["bob"] / f"{A}.ipynb").read_bytes() == untouched
    rerun = ops.autograde(A, course, inbox, quiet=True)
    assert rerun.recorded == ["bob"] and rerun.superseded == {}
    after = _manual_state(course)
    for key in (("ann", "written_1"), ("cy", "written_1")):
        assert after[key] == graded_by_hand[key] == (4.0 if key[0] == "ann" else 2.0, False)
    assert after[("bob", "written_1")] == (None, True)  # his new written answer awaits a person
    assert (course / "submitted" / "bob" / A / "timestamp.txt").read_text().startswith("2026-12-03 18:00:00")

    files = report.write_report(A, course)
    assert [(f.student, f.kind) for f in files.flags if f.kind in ("late", "missing")] == [("bob", "late")]
    assert "42.0 hours after the due date" in next(f.reason for f in files.flags if f.kind == "late")

    assert cli.main(["--course", str(course), "feedback", A]) == 0
    assert (course / "feedback" / "ann" / A / f"{A}.html").is_file()

    grades = export.collect_grades(course, roster)
    out = export.write(grades, tmp_path / "canvas.csv", "canvas")
    rows = list(csv.reader(io.StringIO(out.read_text())))
    by_login = {row[3]: row for row in rows[1:]}
    assert rows[0][5] == A and rows[1][5] == "14"  # Points Possible: 10 autograded + 4 written
    assert by_login["ann"][5] == "14" and by_login["cy"][5] == "12" and by_login["dee"][5] == ""
    statuses = {sid: row["status"] for (sid, _), row in grades.rows.items()}
    assert statuses == {"ann": "final", "bob": "provisional", "cy": "final", "dee": "missing"}
