"""The instructor CLI: clear errors for bad input, and a full release -> autograde -> feedback -> export run."""

from __future__ import annotations

import csv
import shutil
from html import escape as html_escape

import nbformat
import pytest
from conftest import ROOT
from nbgrader_harness import secret_lines

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


def test_collect_copies_and_never_touches_originals(tmp_path, capsys):
    course = tmp_path / "course"
    (course / "source" / "01_x").mkdir(parents=True)
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / "01_x.ipynb").write_text("{}")
    (inbox / "bad name!").mkdir()
    (inbox / "bob").mkdir()  # no notebook
    before = (inbox / "alice" / "01_x.ipynb").stat()
    assert ops.collect_submissions("01_x", inbox, course) == ["alice"]
    assert (course / "submitted" / "alice" / "01_x" / "01_x.ipynb").read_text() == "{}"
    assert (inbox / "alice" / "01_x.ipynb").stat().st_mtime == before.st_mtime
    err = capsys.readouterr().err
    assert "skipped 'bad name!'" in err and "skipped bob" in err


@pytest.mark.slow
def test_full_instructor_pipeline(tmp_path):
    """release -> autograde -> feedback -> export on the first assignment, through the CLI."""
    assignment = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir())[0]
    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "source" / assignment, course / "source" / assignment)
    assert cli.main(["--course", str(course), "release", assignment]) == 0
    notebook = f"{assignment}.ipynb"
    inbox = tmp_path / "inbox"
    (inbox / "solution").mkdir(parents=True)
    shutil.copy(course / "source" / assignment / notebook, inbox / "solution" / notebook)
    (inbox / "untouched").mkdir()
    shutil.copy(course / "release" / assignment / notebook, inbox / "untouched" / notebook)
    assert cli.main(["--course", str(course), "autograde", assignment, "--submissions", str(inbox)]) == 0
    assert cli.main(["--course", str(course), "feedback", assignment]) == 0
    for student in ("solution", "untouched"):
        html = (course / "feedback" / student / assignment / f"{assignment}.html").read_text()
        hidden = secret_lines(course / "source" / assignment / notebook, hidden_tests_only=True)
        leaked = [line for line in hidden if html_escape(line) in html or line in html]
        assert "BEGIN HIDDEN TESTS" not in html and not leaked, f"{student}'s feedback shows hidden tests {leaked[:3]}"
    out = tmp_path / "grades.csv"
    assert cli.main(["--course", str(course), "export", "--out", str(out)]) == 0
    rows = {row["student_id"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == {"solution", "untouched"}
    assert float(rows["untouched"]["score"]) == 0
    written = sum(c.metadata["nbgrader"].get("points", 0) for c in nbformat.read(
        course / "source" / assignment / notebook, as_version=4).cells
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade"))
    assert float(rows["solution"]["score"]) == float(rows["solution"]["max_score"]) - written
