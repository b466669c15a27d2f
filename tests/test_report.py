"""The grade report: item statistics on hand-computed examples, flags, the LMS rows, the CLI's
errors, and (slow) a demo class graded for real and reported on."""

from __future__ import annotations

import csv
import math
import shutil
from html.parser import HTMLParser

import numpy as np
import pytest
from conftest import ROOT
from test_parallel_grading import postgres_url as postgres_url_fixture  # noqa: F401 - fresh PostgreSQL database

from graders import cli
from graders import course as ops
from graders.demo import classroom as demo
from graders.reports import itemstats, report

# ------------------------------------------------------------------ item statistics

# 4 students x 3 items. Item 0's rest totals (items 1 + 2) are [3, 1, 2, 0].
MATRIX = np.array([[1, 2, 1],
                   [1, 1, 0],
                   [0, 1, 1],
                   [0, 0, 0]], dtype=float)


def test_difficulty_is_the_mean_fraction_of_points():
    assert itemstats.difficulty(np.array([0, 1, 2]), 2) == pytest.approx(0.5)
    assert itemstats.difficulty(np.array([2, np.nan]), 2) == pytest.approx(1.0)  # missing scores left out
    assert math.isnan(itemstats.difficulty(np.array([np.nan, np.nan]), 2))
    assert math.isnan(itemstats.difficulty(np.array([0.0]), 0))


def test_pearson_on_hand_examples():
    assert itemstats.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert itemstats.pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(itemstats.pearson([1, 1, 1], [1, 2, 3]))  # zero variance: undefined, not a crash
    assert math.isnan(itemstats.pearson([1], [2]))
    with pytest.raises(ValueError, match="equal length"):
        itemstats.pearson([1, 2], [1, 2, 3])


def test_corrected_item_total_leaves_the_item_out_of_the_total():
    # item 0 = [1, 1, 0, 0], rest = [3, 1, 2, 0]: deviations [.5, .5, -.5, -.5] and [1.5, -.5, .5, -1.5],
    # sum of products 1.0, sums of squares 1 and 5, so r = 1 / sqrt(5)
    assert itemstats.corrected_item_total(MATRIX, 0) == pytest.approx(1 / math.sqrt(5))
    uncorrected = itemstats.pearson(MATRIX[:, 0], MATRIX.sum(axis=1))
    assert uncorrected > itemstats.corrected_item_total(MATRIX, 0) + 0.2  # the item inflates its own correlation


def test_statistics_are_undefined_not_errors_for_one_student_or_zero_variance():
    one = itemstats.item_statistics(np.array([[2.0, 1.0]]), ["a", "b"], [2, 2])
    assert math.isnan(one[0].discrimination) and math.isnan(one[0].upper_lower)
    assert one[0].difficulty == 1.0
    assert any("fewer than 3 students" in reason for reason in one[0].review)
    same = itemstats.item_statistics(np.array([[2.0, 0], [2, 1], [2, 2]]), ["everyone", "spread"], [2, 2])
    assert math.isnan(same[0].discrimination)
    assert any("very easy" in r for r in same[0].review)
    assert any("every student got the same score" in r for r in same[0].review)


def test_missing_submissions_are_left_out_of_item_statistics():
    with_missing = np.vstack([MATRIX, np.full(3, np.nan)])
    for j in range(3):
        expected = itemstats.corrected_item_total(MATRIX, j)
        assert itemstats.corrected_item_total(with_missing, j) == pytest.approx(expected)
        assert itemstats.difficulty(with_missing[:, j], 2) == pytest.approx(itemstats.difficulty(MATRIX[:, j], 2))


def test_upper_lower_index_on_a_hand_example():
    # 27% of 4 rounds to 1 student per group; by rest total [3, 1, 2, 0] the top is student 0 (item 1 point),
    # the bottom student 3 (0 points): D = 1 - 0
    assert itemstats.upper_lower_index(MATRIX, 0, 1) == pytest.approx(1.0)
    # item 2 = [1, 0, 1, 0], rest = [3, 2, 1, 0]: top student 0 (1), bottom student 3 (0)
    assert itemstats.upper_lower_index(MATRIX, 2, 1) == pytest.approx(1.0)
    assert math.isnan(itemstats.upper_lower_index(MATRIX[:1], 0, 1))


@pytest.mark.parametrize(("p", "r", "expected"), [
    (0.6, 0.5, []),
    (0.97, 0.5, ["very easy"]),
    (0.1, 0.5, ["very hard"]),
    (0.6, 0.1, ["low discrimination"]),
    (0.6, -0.3, ["negative discrimination"]),
    (0.1, 0.05, ["very hard", "low discrimination"]),
])
def test_review_reasons_follow_the_thresholds(p, r, expected):
    reasons = itemstats.review_reasons(p, r, scored=20, pending=0)
    assert len(reasons) == len(expected)
    for reason, start in zip(reasons, expected, strict=True):
        assert reason.startswith(start)


def test_items_awaiting_manual_grading_are_provisional():
    pending = np.zeros(MATRIX.shape, dtype=bool)
    pending[0, 1] = True
    matrix = MATRIX.copy()
    matrix[0, 1] = np.nan
    stats = itemstats.item_statistics(matrix, ["a", "b", "c"], [1, 2, 1], pending=pending)
    assert stats[1].pending == 1 and math.isnan(stats[1].difficulty) and stats[1].review == []
    assert stats[0].pending == 0 and stats[0].difficulty == pytest.approx(0.5)


def test_item_statistics_rejects_a_mismatched_matrix():
    with pytest.raises(ValueError, match="does not match"):
        itemstats.item_statistics(MATRIX, ["a", "b"], [1, 1])


# ------------------------------------------------------------------ flags and LMS rows

OPAQUE = "f(x): expected a number, but got graders.engine.protocol.Opaque.\nHint: return a float"


def test_submission_flags_name_every_reason():
    outcomes = [
        {"student": "ann", "status": "graded", "flags": [], "tests": {"q1": {"passed": True, "error": None}}},
        {"student": "bob", "status": "graded", "flags": [],
         "tests": {"q1": {"passed": False, "error": {"type": "AssertionError", "message": OPAQUE}},
                   "q2": {"passed": False, "error": {"type": "AssertionError", "message": "expected 2, got 3"}}}},
        {"student": "cy", "status": "failed", "reason": "x.ipynb was not submitted",
         "flags": ["x.ipynb was not submitted"], "tests": {}},
        {"student": "dee", "status": "graded", "reason": "",
         "flags": ["cell q1_answer not run: stopped after 60 s (time limit)",
                   "test q2: the student's code was killed by SIGKILL (a limit, or the code itself)",
                   "test cell q3_tests was edited (the original is used)"], "tests": {}},
    ]
    flags = report.submission_flags(outcomes, ["ann", "bob", "cy", "dee", "eve"], {"ann", "bob", "cy", "dee"})
    found = [(f.student, f.kind) for f in flags]
    assert found == [("bob", "fake equality suspected"), ("cy", "failed"), ("dee", "timeout"),
                     ("dee", "killed"), ("dee", "sandbox flag"), ("eve", "missing")]
    assert "q1" in flags[0].reason and "q2" not in flags[0].reason  # an honest wrong answer is not a fake
    assert report.submission_flags(None, ["ann"], set(), {"ann"})[0].kind == "missing"


def _grades(**changes) -> report.ClassGrades:
    values = dict(assignment="a", items=["q1", "w1"], max_points=[2.0, 2.0], written=[False, True],
                  students=["ann", "bob", "cy"], points=np.array([[2, 2], [1, np.nan], [np.nan, np.nan]]),
                  pending=np.array([[False, False], [False, True], [False, False]]),
                  submitted=np.array([True, True, False]), scores={"ann": 4.0, "bob": 1.0}, max_score=4.0)
    values.update(changes)
    return report.ClassGrades(**values)


def test_lms_rows_one_per_roster_student():
    rows = report.lms_rows(_grades(), flagged=set())
    assert [r["student_id"] for r in rows] == ["ann", "bob", "cy"]
    assert rows[0] == {"student_id": "ann", "score": "4", "max_score": "4", "percent": "100.0", "status": "final"}
    assert rows[1]["status"] == "provisional" and rows[1]["percent"] == "25.0"  # a written answer is ungraded
    assert rows[2] == {"student_id": "cy", "score": "", "max_score": "4", "percent": "", "status": "missing"}
    assert report.lms_rows(_grades(), flagged={"ann"})[0]["status"] == "provisional"
    assert list(rows[0]) == list(report.LMS_COLUMNS)


def test_csv_fields_cannot_become_formulas(tmp_path):
    path = report._write_csv(tmp_path / "x.csv", ["student"], [["=HYPERLINK(1)"], ["ann"]])
    assert [row[0] for row in csv.reader(path.open())] == ["student", "'=HYPERLINK(1)", "ann"]


# ------------------------------------------------------------------ reading a gradebook (SQLite and PostgreSQL)

# student: (q1 auto score of 2, w1 manual score of 2 or "pending"); dee is on the roster, no submission
HAND_GRADES = {"ann": (2.0, 2.0), "bob": (2.0, "pending"), "cy": (0.0, 1.0), "dan": (0.0, 0.0)}


def _hand_gradebook(url: str, course) -> None:
    """A gradebook written through nbgrader's API: assignment a1, a code test q1 and a written w1."""
    from nbgrader.api import Gradebook

    (course / "source" / "a1").mkdir(parents=True)
    with Gradebook(url) as gradebook:
        gradebook.update_or_create_assignment("a1")
        gradebook.update_or_create_notebook("a1", "a1")
        gradebook.update_or_create_grade_cell("q1", "a1", "a1", max_score=2.0, cell_type="code")
        gradebook.update_or_create_grade_cell("w1", "a1", "a1", max_score=2.0, cell_type="markdown")
        gradebook.update_or_create_student("dee")
        for student, (auto, manual) in HAND_GRADES.items():
            gradebook.update_or_create_student(student)
            gradebook.add_submission("a1", student)
            q1 = gradebook.find_grade("q1", "a1", "a1", student)
            q1.auto_score, q1.needs_manual_grade = auto, False
            w1 = gradebook.find_grade("w1", "a1", "a1", student)
            w1.needs_manual_grade = manual == "pending"
            w1.manual_score = None if manual == "pending" else manual
        gradebook.db.commit()


def _check_hand_report(course) -> None:
    grades = report.load_grades("a1", course)
    assert grades.students == ["ann", "bob", "cy", "dan", "dee"] and grades.items == ["q1", "w1"]
    assert grades.written == [False, True] and grades.max_score == 4.0
    np.testing.assert_array_equal(grades.submitted, [True, True, True, True, False])
    np.testing.assert_array_equal(grades.pending[:, 1], [False, True, False, False, False])
    assert grades.scores == {"ann": 4.0, "bob": 2.0, "cy": 1.0, "dan": 0.0}
    files = report.write_report("a1", course)
    q1 = files.items[0]
    assert q1.difficulty == pytest.approx(0.5) and q1.zeros == 2 and q1.scored == 4
    # q1 = [2, 2, 0, 0] against the rest w1 = [2, 0 (pending), 1, 0]: r = 0.5 / sqrt(1 * 2.75) by hand
    assert q1.discrimination == pytest.approx(0.5 / math.sqrt(2.75))
    assert files.items[1].pending == 1 and math.isnan(files.items[1].difficulty)
    rows = {r["student_id"]: r for r in csv.DictReader(files.lms_csv.open())}
    assert rows["ann"]["status"] == "final" and rows["bob"]["status"] == "provisional"
    assert rows["dee"]["status"] == "missing" and rows["dee"]["score"] == ""
    assert files.pending == {"bob": ["w1"]}


# nbgrader's own add_submission() warns so while it builds the submission's grades
NBGRADER_SESSION_WARNING = "ignore:Object of type <Submitted:sqlalchemy.exc.SAWarning"


@pytest.mark.filterwarnings(NBGRADER_SESSION_WARNING)
def test_report_reads_a_sqlite_gradebook(tmp_path, monkeypatch):
    monkeypatch.delenv(ops.DB_URL_VARIABLE, raising=False)
    _hand_gradebook(ops.gradebook_url(tmp_path), tmp_path)
    _check_hand_report(tmp_path)


@pytest.mark.filterwarnings(NBGRADER_SESSION_WARNING)
def test_report_reads_a_postgresql_gradebook(tmp_path, postgres_url_fixture):  # noqa: F811 - the fixture
    _hand_gradebook(postgres_url_fixture, tmp_path)
    _check_hand_report(tmp_path)
    assert not (tmp_path / "gradebook.db").exists()


# ------------------------------------------------------------------ demo planning and CLI errors

def test_demo_plan_is_seeded_and_ability_matters():
    cells, written = ["q1", "q2", "q3"], ["w1"]
    kinds = {c: ["solution", "correct_alt", "partial", "wrong", "raising", "fake_equality"] for c in cells}
    plan = demo.plan_class(cells, written, kinds, 240, seed=3)
    assert [vars(s) for s in plan] == [vars(s) for s in demo.plan_class(cells, written, kinds, 240, seed=3)]
    honest = [s for s in plan if not s.cheater and not s.no_show]
    correct = np.array([sum(s.answers[c] in demo.CORRECT_KINDS for c in cells) for s in honest])
    assert np.corrcoef([s.ability for s in honest], correct)[0, 1] > 0.4
    cheaters = [s for s in plan if s.cheater]
    assert len(cheaters) == 20 and all(set(s.answers[c] for c in cells) == {"fake_equality"} for s in cheaters)
    assert plan[-1].no_show and plan[-1].answers == {}
    small = demo.plan_class(cells, written, kinds, 8)
    assert sum(s.cheater for s in small) == 1 and small[-1].no_show and not small[-1].cheater
    with pytest.raises(ValueError, match="at least one student"):
        demo.plan_class(cells, written, kinds, 0)


def test_demo_never_replaces_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ops.CourseError, match="not a demo course"):
        demo.prepare_course(tmp_path, "02_calibration")
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    with pytest.raises(ops.CourseError, match="real course"):
        demo.prepare_course(ops.DEFAULT_COURSE, "02_calibration")


def test_report_cli_says_what_to_run_first(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ops.DB_URL_VARIABLE, raising=False)
    shutil.copytree(ROOT / "assignments" / "source" / "02_calibration", tmp_path / "source" / "02_calibration")
    assert cli.main(["--course", str(tmp_path), "report", "02_calibration"]) == 2
    assert "make autograde A=02_calibration" in capsys.readouterr().err
    assert cli.main(["--course", str(tmp_path), "report", "99_nothing"]) == 2
    assert "No assignment '99_nothing'" in capsys.readouterr().err
    assert cli.main(["demo", "--students", "0"]) == 2
    assert "--students must be 1 or more" in capsys.readouterr().err


# ------------------------------------------------------------------ a demo class graded for real

class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.mark.slow
def test_demo_class_is_graded_and_reported(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ops.DB_URL_VARIABLE, raising=False)
    course = tmp_path / "demo"
    result = demo.run_demo("02_calibration", 8, course, workers=2, quiet=True)
    files = result.report
    capsys.readouterr()

    assert cli.main(["--course", str(course), "scores", "02_calibration"]) == 0
    printed = {line.split()[0]: float(line.split()[1]) for line in capsys.readouterr().out.splitlines()[1:]}
    rows = list(csv.DictReader(files.lms_csv.open()))
    assert [r["student_id"] for r in rows] == [s.student for s in result.students]
    no_show = next(s.student for s in result.students if s.no_show)
    for row in rows:
        if row["student_id"] == no_show:
            assert row["score"] == "" and row["status"] == "missing"
        else:
            assert float(row["score"]) == pytest.approx(printed[row["student_id"]])
            assert float(row["max_score"]) == 15.0

    cheater = next(s.student for s in result.students if s.cheater)
    assert (cheater, "fake equality suspected") in {(f.student, f.kind) for f in files.flags}
    assert (no_show, "missing") in {(f.student, f.kind) for f in files.flags}
    honest_flags = {f.student for f in files.flags} - {cheater, no_show}
    assert not honest_flags, f"honest demo students flagged: {honest_flags}"

    items = list(csv.DictReader(files.items_csv.open()))
    assert [r["item"] for r in items] == ["q1_tests", "q2_tests", "q3_tests", "q4_tests", "written_1", "written_2"]
    for row in items:
        if row["difficulty p"] != "undefined":
            assert 0.0 <= float(row["difficulty p"]) <= 1.0
        if row["discrimination r"] != "undefined":
            assert -1.0 <= float(row["discrimination r"]) <= 1.0
        assert 0 <= int(row["zeros"]) <= int(row["scored"]) <= 7
    assert sum(int(r["awaiting manual grading"]) for r in items) == sum(len(c) for c in files.pending.values())

    page = _Images()
    page.feed(files.html.read_text())
    assert len(page.images) == 3
    for image in page.images:
        assert image["src"].startswith("data:image/png;base64,")
        assert len(image.get("alt", "").split()) >= 8, image.get("alt")
    for png in files.figures.values():
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # graded without the kit's outcomes (e.g. --engine stock): the report still works and says so
    (course / "reports" / "02_calibration.json").unlink()
    again = report.write_report("02_calibration", course)
    assert "No per-submission outcomes" in again.html.read_text()
    assert {f.kind for f in again.flags} <= {"missing", "flagged in gradebook"}


# ------------------------------------------------------------------ the grades export (make export)

@pytest.mark.filterwarnings(NBGRADER_SESSION_WARNING)
def test_export_gives_every_student_a_status_and_never_a_zero_for_missing_work(tmp_path, monkeypatch, capsys):
    import json

    from graders.reports import export

    monkeypatch.delenv(ops.DB_URL_VARIABLE, raising=False)
    _hand_gradebook(ops.gradebook_url(tmp_path), tmp_path)
    (tmp_path / "source" / "a2").mkdir(parents=True)  # released, never collected: not exported as zeros
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a1.json").write_text(json.dumps(
        [{"student": s, "status": "failed" if s == "dan" else "graded", "reason": "no .ipynb file", "flags": []}
         for s in HAND_GRADES]))
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id,name,email,sis_id\n"
                      "ann,1001,Ann A,ann@uni.example,S1\ncy,1003,=cmd|' /C calc'!A0,cy@uni.example,S3\n"
                      "eve,1005,Eve E,eve@uni.example,S5\n")
    grades = export.collect_grades(tmp_path, roster)
    assert grades.assignments == ["a1"] and "never collected" in grades.skipped["a2"]
    status = {sid: row["status"] for (sid, _), row in grades.rows.items()}
    assert status == {"ann": "final", "bob": "provisional", "cy": "final", "dan": "failed", "dee": "missing",
                      "eve": "missing"}
    assert grades.rows[("dan", "a1")]["score"] == "" and grades.rows[("eve", "a1")]["score"] == ""

    long = {r["student_id"]: r for r in csv.DictReader(export.write(grades, tmp_path / "g.csv").open())}
    assert long["ann"]["lms_id"] == "1001" and long["ann"]["score"] == "4" and long["dee"]["score"] == ""
    assert long["cy"]["name"].startswith("'=")  # a roster name cannot become a spreadsheet formula

    canvas = list(csv.reader(export.write(grades, tmp_path / "c.csv", "canvas").open()))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1"]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "4"
    assert ["Ann A", "1001", "S1", "ann", "", "4"] in canvas
    assert next(r for r in canvas if r[3] == "dan")[5] == ""  # failed: left empty, so Canvas records nothing

    moodle = {r["Email address"]: r for r in csv.DictReader(export.write(grades, tmp_path / "m.csv", "moodle").open())}
    assert moodle["eve@uni.example"]["ID number"] == "1005" and moodle["eve@uni.example"]["a1"] == ""
    assert moodle["eve@uni.example"]["a1 status"] == "missing"

    assert cli.main(["--course", str(tmp_path), "export", "--roster", str(roster), "--layout", "moodle"]) == 0
    printed = capsys.readouterr().out
    assert "2 final, 1 provisional, 2 missing, 1 failed" in printed and "a2 left out" in printed
    with pytest.raises(ops.CourseError, match="student_id"):
        (tmp_path / "bad.csv").write_text("folder,id\nx,y\n")
        export.read_roster(tmp_path / "bad.csv")


def test_run_summary_counts_and_names_a_next_step_for_each_kind_of_failure():
    from graders.course import AutogradeResult
    from graders.engine import Outcome
    from graders.reports.summary import run_summary

    outcomes = [Outcome("ann"), Outcome("bob", status="failed", reason="no .ipynb file in bob",
                                        flags=["no .ipynb file in bob"]),
                Outcome("cy", flags=["cell q2_answer: time limit of 60 s reached"]), Outcome("dan")]
    result = AutogradeResult([], {}, outcomes, None, recorded=["bob"], superseded={"bob": ["w1: manual score 1"]})
    text = "\n".join(run_summary("a1", result))
    assert "4 submission(s): 2 graded, 1 graded but flagged for review, 1 failed" in text
    assert "1 new or changed submission(s) recorded; 3 unchanged kept" in text
    assert "unreadable notebook (1: bob)" in text and "File > Download" in text
    assert "time limit (1: cy)" in text and "--cell-timeout" in text
    assert "grade them again in the formgrader" in text and "make export" in text
