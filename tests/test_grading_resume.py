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
        fill_cells(release, {"q1_answer": answer}, inbox / f"s{i:02d}" / release.name)
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
    for student in done_before:
        assert f"{student}: unchanged since the last run, kept" in resumed.stdout
    points = cell_points(course, NAME)
    assert sorted(points) == [f"s{i:02d}" for i in range(6)]
    right, wrong = {"strict_tests": 2.0, "naive_tests": 1.0}, {"strict_tests": 0.0, "naive_tests": 0.0}
    for i in range(6):
        assert points[f"s{i:02d}"] == (right if i % 2 == 0 else wrong)
