"""The instructor CLI: clear errors for bad input, and a full release -> autograde -> feedback -> export run."""

from __future__ import annotations

import csv
import shutil
from html import escape as html_escape

import nbformat
import pytest
from conftest import ROOT
from nbgrader_harness import secret_lines, solution_submission

from graders import cli
from graders import course as ops


def test_unknown_assignment_is_a_clear_error(capsys):
    assert cli.main(["release", "99_nothing"]) == 2
    assert "No assignment '99_nothing'" in capsys.readouterr().err


def test_missing_course_folder_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["--course", str(tmp_path / "nowhere"), "release"]) == 2
    assert "is {} an nbgrader course folder".format(tmp_path / "nowhere") in capsys.readouterr().err


def test_missing_submissions_folder_is_a_clear_error(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "01_x").mkdir(parents=True)
    with pytest.raises(ops.CourseError, match="does not exist"):
        ops.collect_submissions("01_x", tmp_path / "inbox", course)


def test_collect_copies_valid_notebooks_and_reports_the_rest(tmp_path, capsys):
    course = tmp_path / "course"
    (course / "source" / "01_x").mkdir(parents=True)
    (course / "release" / "01_x").mkdir(parents=True)
    good = nbformat.writes(nbformat.v4.new_notebook())
    (course / "release" / "01_x" / "01_x.ipynb").write_text(good)
    inbox = tmp_path / "inbox"
    for student, filename, text in [("alice", "01_x.ipynb", good), ("carol", "01_x.ipynb", '{"cells": ['),
                                    ("dave", "01_x (1).ipynb", good), ("bad name!", "01_x.ipynb", good)]:
        (inbox / student).mkdir(parents=True)
        (inbox / student / filename).write_text(text)
    (inbox / "bob").mkdir()  # no notebook
    before = {p: (p.read_bytes(), p.stat().st_mtime) for p in inbox.rglob("*.ipynb")}
    students, problems = ops.collect_submissions("01_x", inbox, course)
    # A folder name that is not a safe nbgrader id is mapped to one (graders/collect.py), never dropped.
    assert students == ["alice", "bad_name-12ad77e9"]
    assert (course / "submitted" / "alice" / "01_x" / "01_x.ipynb").read_text() == good
    assert (course / "submitted" / "bad_name-12ad77e9" / "01_x" / "01_x.ipynb").read_text() == good
    assert set(problems) == {"bob", "carol", "dave"}
    assert "not a valid notebook" in problems["carol"] and "renamed?" in problems["dave"]
    assert {p: (p.read_bytes(), p.stat().st_mtime) for p in inbox.rglob("*.ipynb")} == before
    err = capsys.readouterr().err
    assert "not graded: bob" in err and "flagged: carol" in err and "'bad name!' is recorded as student" in err
    # The sandboxed engines keep every student, so each gets a row: an empty folder included.
    kept, _ = ops.collect_submissions("01_x", inbox, course, keep_invalid=True)
    assert kept == ["alice", "bad_name-12ad77e9", "bob", "carol", "dave"]
    assert (course / "submitted" / "bob" / "01_x").is_dir()


def test_submission_time_is_the_time_of_receipt_never_the_students_own_file(tmp_path):
    from nbgrader.utils import parse_utc

    from graders import collect as collecting

    course = tmp_path / "course"
    (course / "source" / "01_x").mkdir(parents=True)
    (course / "release" / "01_x").mkdir(parents=True)
    good = nbformat.writes(nbformat.v4.new_notebook())
    (course / "release" / "01_x" / "01_x.ipynb").write_text(good)
    inbox = tmp_path / "inbox"
    (inbox / "ann").mkdir(parents=True)
    (inbox / "ann" / "01_x.ipynb").write_text(good)
    (inbox / "ann" / "timestamp.txt").write_text("2001-01-01 00:00:00.000000 UTC")  # backdated by the student
    stamp = course / "submitted" / "ann" / "01_x" / "timestamp.txt"

    entries = collecting.collect("01_x", inbox, course)
    first = stamp.read_text()
    assert parse_utc(first).year >= 2026 and "ignored" in " ".join(entries[0].flags)
    collecting.collect("01_x", inbox, course)  # unchanged: the same receipt time, so nothing re-grades
    assert stamp.read_text() == first
    (inbox / "ann" / "01_x.ipynb").write_text(good.replace('"cells": []', '"cells": [ ]'))
    collecting.collect("01_x", inbox, course)  # a resubmission is received now
    assert parse_utc(stamp.read_text()) > parse_utc(first)
    collecting.collect("01_x", inbox, course, received={"ann": "2026-12-01 09:30:00 UTC"})  # the LMS's record
    assert stamp.read_text() == "2026-12-01 09:30:00 UTC"


@pytest.mark.slow
def test_full_instructor_pipeline(tmp_path):
    """release -> autograde -> feedback -> export on the first assignment, through the CLI."""
    assignment = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir())[0]
    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "source" / assignment, course / "source" / assignment)
    assert cli.main(["--course", str(course), "release", assignment]) == 0
    notebook = f"{assignment}.ipynb"
    inbox = tmp_path / "inbox"
    solution_submission(course / "source" / assignment / notebook, course / "release" / assignment / notebook,
                        inbox / "solution" / notebook)
    (inbox / "untouched").mkdir()
    shutil.copy(course / "release" / assignment / notebook, inbox / "untouched" / notebook)
    (inbox / "corrupt").mkdir()
    (inbox / "corrupt" / notebook).write_text('{"cells": [')
    # one broken submission: the rest are graded; it gets a recorded failure, is flagged, and the run exits 1
    assert cli.main(["--course", str(course), "autograde", assignment, "--submissions", str(inbox)]) == 1
    assert (inbox / "corrupt" / notebook).read_text() == '{"cells": ['
    recorded = {row.student: row for row in ops.scores(assignment, course)}
    assert set(recorded) == {"solution", "untouched", "corrupt"} and recorded["corrupt"].score == 0
    report = {row["student"]: row for row in csv.DictReader((course / "reports" / f"{assignment}.csv").open())}
    assert report["corrupt"]["status"] == "failed" and "not valid JSON" in report["corrupt"]["reason"]
    assert report["solution"]["status"] == "graded" and report["solution"]["needs_review"] == "False"
    assert cli.main(["--course", str(course), "feedback", assignment]) == 0
    for student in ("solution", "untouched"):
        html = (course / "feedback" / student / assignment / f"{assignment}.html").read_text()
        hidden = secret_lines(course / "source" / assignment / notebook, hidden_tests_only=True)
        leaked = [line for line in hidden if html_escape(line) in html or line in html]
        assert "BEGIN HIDDEN TESTS" not in html and not leaked, f"{student}'s feedback shows hidden tests {leaked[:3]}"
    out = tmp_path / "grades.csv"
    assert cli.main(["--course", str(course), "export", "--out", str(out)]) == 0
    rows = {row["student_id"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == {"solution", "untouched", "corrupt"}
    assert float(rows["untouched"]["score"]) == 0 and rows["untouched"]["status"] == "final"
    assert rows["corrupt"]["score"] == "" and rows["corrupt"]["status"] == "failed"  # never a 0 for the LMS
    assert rows["solution"]["status"] == "provisional"  # its written answers await a person
    written = sum(c.metadata["nbgrader"].get("points", 0) for c in nbformat.read(
        course / "source" / assignment / notebook, as_version=4).cells
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade"))
    assert float(rows["solution"]["score"]) == float(rows["solution"]["max_score"]) - written
