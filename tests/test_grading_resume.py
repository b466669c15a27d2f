"""Nothing lost: re-running is idempotent, and a grading run killed midway resumes.

Uses a tiny assignment (no model) so each submission takes about a second.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from conftest import ROOT
from nbgrader_harness import cell_points, fill_cells, ops
from test_grading_rules import NAME, _assignment

pytestmark = pytest.mark.slow

SLOW_CORRECT = "import time\ndef double(x):\n    return 2 * x\ntime.sleep(1.5)"


def _course(tmp_path, students: int):
    course = tmp_path / "course"
    (course / "source" / NAME).mkdir(parents=True)
    nbformat.write(_assignment(), course / "source" / NAME / f"{NAME}.ipynb")
    ops.release([NAME], course, quiet=True)
    release = course / "release" / NAME / f"{NAME}.ipynb"
    inbox = tmp_path / "inbox"
    for i in range(students):
        answer = SLOW_CORRECT if i % 2 == 0 else "def double(x):\n    return x + 1"
        fill_cells(release, {"q1_answer": answer, "written_1": f"Answer of student {i}."},
                   inbox / f"s{i:02d}" / release.name)
    return course, inbox


def test_rerun_is_idempotent_and_reuses_outcomes(tmp_path):
    course, inbox = _course(tmp_path, 3)
    first = ops.autograde(NAME, course, inbox, quiet=True)
    points = cell_points(course, NAME)
    started = time.monotonic()
    second = ops.autograde(NAME, course, inbox, quiet=True)
    assert time.monotonic() - started < 30
    assert cell_points(course, NAME) == points
    assert [(s.student, s.score) for s in first.scores] == [(s.student, s.score) for s in second.scores]
    rows = list(csv.DictReader((course / "reports" / f"{NAME}.csv").open()))
    assert [r["student"] for r in rows] == ["s00", "s01", "s02"]  # one row each, no duplicates


def test_killed_run_resumes_without_losing_or_duplicating_grades(tmp_path):
    course, inbox = _course(tmp_path, 6)
    command = [sys.executable, "-m", "graders.cli", "--course", str(course), "autograde", NAME,
               "--submissions", str(inbox)]
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           start_new_session=True, text=True)
    grading = course / "grading" / NAME
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(grading.glob("*/outcome.json"))) < 2:
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    done_before = {p.parent.name for p in grading.glob("*/outcome.json")}
    assert 2 <= len(done_before) < 6, "the run should have been killed midway"

    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    stale = [str(p) for p in grading.glob(".slots/slot-*/work") if os.path.ismount(p)]
    assert not stale, f"the killed run's work-folder quotas are still mounted after the resumed run: {stale}"
    for student in done_before:
        assert f"{student}: unchanged since the last run, kept" in resumed.stdout
    points = cell_points(course, NAME)
    assert sorted(points) == [f"s{i:02d}" for i in range(6)]
    right, wrong = {"strict_tests": 2.0, "naive_tests": 1.0}, {"strict_tests": 0.0, "naive_tests": 0.0}
    for i in range(6):
        assert points[f"s{i:02d}"] == (right if i % 2 == 0 else wrong)


# ---------------------------------------------------------------- manual grading survives a re-run

def _grade_by_hand(course, student: str, score: float, comment: str, extra: float | None = None) -> None:
    """What the formgrader's API does when an instructor grades a written answer (nbgrader
    server_extensions/formgrader/apihandlers.py: GradeHandler.put and CommentHandler.put)."""
    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:
        grade = gradebook.find_grade("written_1", NAME, NAME, student)
        grade.manual_score, grade.extra_credit = score, extra
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        gradebook.find_comment("written_1", NAME, NAME, student).manual_comment = comment
        gradebook.db.commit()


def _gradebook_state(course) -> dict:
    """Every field a person or the autograder sets, per student, grade and comment."""
    from nbgrader.api import Gradebook

    state = {}
    with Gradebook(ops.gradebook_url(course)) as gradebook:
        for submission in gradebook.find_assignment(NAME).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    state[(submission.student_id, grade.name)] = (
                        grade.auto_score, grade.manual_score, grade.extra_credit, grade.needs_manual_grade)
                for comment in notebook.comments:
                    state[(submission.student_id, comment.name, "comment")] = (
                        comment.auto_comment, comment.manual_comment)
                state[(submission.student_id, "flagged")] = notebook.flagged
            state[(submission.student_id, "needs_manual_grade")] = submission.needs_manual_grade
    return state


def test_rerun_keeps_manual_grades_and_names_the_ones_a_changed_submission_replaces(tmp_path):
    course, inbox = _course(tmp_path, 3)
    ops.autograde(NAME, course, inbox, quiet=True)
    _grade_by_hand(course, "s00", 1.0, "clear and complete", extra=0.5)
    _grade_by_hand(course, "s01", 0.0, "does not answer the question")
    graded = _gradebook_state(course)
    assert graded[("s00", "written_1")][1:] == (1.0, 0.5, False)
    assert not graded[("s00", "needs_manual_grade")] and graded[("s02", "needs_manual_grade")]

    again = ops.autograde(NAME, course, inbox, quiet=True)  # nothing changed: nothing re-recorded
    assert again.recorded == [] and again.superseded == {}
    assert _gradebook_state(course) == graded
    assert {row.student: row.needs_manual_grade for row in again.scores} == {"s00": False, "s01": False, "s02": True}

    # a late resubmission by s01 (graded by hand) and a new student s03
    release = course / "release" / NAME / f"{NAME}.ipynb"
    for student in ("s01", "s03"):
        fill_cells(release, {"q1_answer": "def double(x):\n    return x * 2", "written_1": "Because."},
                   inbox / student / release.name)
    late = ops.autograde(NAME, course, inbox, quiet=True)
    assert late.recorded == ["s01", "s03"]
    assert late.superseded == {"s01": ["written_1: manual score 0", "written_1: comment"]}
    now = _gradebook_state(course)
    for key, value in graded.items():  # s00 and s02 exactly as they were
        if key[0] != "s01":
            assert now[key] == value, key
    assert now[("s01", "strict_tests")][0] == 2.0  # the new work is graded ...
    assert now[("s01", "written_1")][3] is True  # ... and its written answer awaits a person again
    assert now[("s03", "strict_tests")][0] == 2.0
    assert "manual grading that may no longer apply" in ops.superseded_message(late.superseded)
