"""A demo class: synthetic students of one assignment, graded for real, then reported on.

Instructors and contributors can see the whole grading flow (sandboxed parallel autograde,
gradebook, grade report) without real students. Each synthetic student has an *ability*
(seeded, normal); for every question a stronger student is more likely to hand in a correct
answer (the instructor's solution or the known correct alternative in
``tests/fixtures/<assignment>.py``) and a weaker one a partial, wrong or crashing answer, or
nothing. This gives the report realistic spreads and meaningful item discrimination. A few
students cheat with objects that "equal everything" (the ``fake_equality`` fixture), and one
student on the roster hands in nothing, so the report has flagged submissions to show.

The class is graded into its own course folder (default ``demo-course/``, git-ignored) with
its own SQLite gradebook, never into ``assignments/`` or a gradebook named by ``RAIKIT_DB_URL``.

    raikit-grade demo [--assignment 02_calibration] [--students 30]    (or: make demo)
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from graders import course as ops
from graders.demo.submissions import fill_cells, load_fixtures, nbgrader_meta, solution_answers

DEFAULT_ASSIGNMENT = "02_calibration"  # loads no transformer: the quickest assignment to grade (see README)
DEFAULT_STUDENTS = 30
DEFAULT_COURSE = ops.KIT_ROOT / "demo-course"
FIXTURES = ops.KIT_ROOT / "tests" / "fixtures"
MARKER = ".raikit-demo"  # a course folder holding this file was made by the demo and may be replaced

CORRECT_KINDS = ("solution", "correct_alt")
INCORRECT_KINDS = ("partial", "wrong", "raising", "blank")
CHEAT_KIND = "fake_equality"
OWN_WORDS = ("My answer: the numbers differ between groups, so one metric alone does not settle whether "
             "the model is fair; I would report the trade-off and the uncertainty.")


@dataclass
class DemoStudent:
    """One synthetic student: id, ability, and which kind of answer they gave to each solution cell."""

    student: str
    ability: float
    answers: dict[str, str] = field(default_factory=dict)  # grade_id -> kind ("solution", "wrong", "blank", ...)
    cheater: bool = False
    no_show: bool = False


@dataclass
class DemoResult:
    course: Path
    assignment: str
    students: list[DemoStudent]
    report: object | None  # graders.reports.report.ReportFiles, when the report was written
    seconds: dict[str, float]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def plan_class(answer_cells: list[str], written_cells: list[str], kinds_by_cell: dict[str, list[str]],
               students: int, seed: int = 0) -> list[DemoStudent]:
    """Decide every synthetic student's answers (pure: no files, same seed -> same class).

    ``answer_cells``: code solution cells in notebook order; ``written_cells``: written answers;
    ``kinds_by_cell``: the answer kinds available for each code cell. Question k's difficulty
    rises along the notebook, so later questions are answered correctly less often. About one
    student in twelve cheats (at least one in a class of four or more); with 8 or more students
    the last one hands in nothing (on the roster, no submission).
    """
    if students < 1:
        raise ValueError(f"a demo class needs at least one student (got {students})")
    rng = np.random.default_rng(seed)
    abilities = rng.normal(0.0, 1.0, students)
    difficulties = np.linspace(-0.8, 0.8, max(len(answer_cells), 1)) + rng.normal(0.0, 0.25, max(len(answer_cells), 1))
    no_show = students - 1 if students >= 8 else None
    present = students - (no_show is not None)
    cheaters = set(rng.choice(present, size=max(1, round(present / 12)), replace=False).tolist()) \
        if present >= 4 else set()
    plan = []
    for i in range(students):
        student = DemoStudent(f"student-{i + 1:03d}", round(float(abilities[i]), 3),
                              cheater=i in cheaters, no_show=i == no_show)
        if not student.no_show:
            for k, cell in enumerate(answer_cells):
                available = kinds_by_cell.get(cell, ["solution"])
                if student.cheater and CHEAT_KIND in available:
                    student.answers[cell] = CHEAT_KIND
                    continue
                p_correct = _sigmoid(1.8 * (abilities[i] - difficulties[k]))
                pool = [c for c in (CORRECT_KINDS if rng.random() < p_correct else INCORRECT_KINDS)
                        if c in available or c == "blank"]
                student.answers[cell] = str(rng.choice(pool))
            for cell in written_cells:  # stronger students write more; a few copy the model answer
                if rng.random() < _sigmoid(abilities[i] + 1.0):
                    student.answers[cell] = "solution" if rng.random() < 0.5 else "own_words"
                else:
                    student.answers[cell] = "blank"
        plan.append(student)
    return plan


def _cells(source_notebook: Path) -> tuple[list[str], list[str]]:
    """(code solution cells, written solution cells) of the source, by grade_id in notebook order."""
    notebook = nbformat.read(source_notebook, as_version=4)
    code, written = [], []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            (code if cell.cell_type == "code" else written).append(meta["grade_id"])
    return code, written


def write_inbox(plan: list[DemoStudent], source_notebook: Path, release_notebook: Path, fixtures: dict,
                inbox: Path) -> None:
    """Write ``inbox/<student>/<notebook>.ipynb`` for every planned student who hands something in."""
    solution = solution_answers(source_notebook)
    for student in plan:
        if student.no_show:
            continue
        folder = inbox / student.student
        answers = {}
        for cell, kind in student.answers.items():
            if kind == "solution":
                answers[cell] = solution[cell]
            elif kind == "own_words":
                answers[cell] = OWN_WORDS
            elif kind != "blank":
                answers[cell] = fixtures[kind]["cells"][cell]
        fill_cells(release_notebook, answers, folder / release_notebook.name)


def enrol(students: list[str], course: Path) -> None:
    """Add students to the course's gradebook roster (as an LMS roster would) without a submission."""
    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:
        for student in students:
            gradebook.update_or_create_student(student)


def prepare_course(course: Path, assignment: str) -> None:
    """Make ``course`` a fresh demo course holding ``assignment``'s source.

    Refuses a folder that exists and was not made by the demo (no marker file), so the demo
    can never wipe a real course such as ``assignments/``.
    """
    course = course.resolve()
    if course == ops.DEFAULT_COURSE.resolve():
        raise ops.CourseError(f"The demo never grades into the real course folder {course}; "
                              "choose another --out folder.")
    if course.exists() and any(course.iterdir()):
        if not (course / MARKER).is_file():
            raise ops.CourseError(f"{course} exists and is not a demo course (no {MARKER} file): "
                                  "choose an empty or new folder for the demo.")
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True, exist_ok=True)
    (course / MARKER).write_text("made by `raikit-grade demo`; deleted and rebuilt by the next demo run\n")
    shutil.copytree(ops.DEFAULT_COURSE / "source" / assignment, course / "source" / assignment)


def run_demo(assignment: str = DEFAULT_ASSIGNMENT, students: int = DEFAULT_STUDENTS,
             course: Path = DEFAULT_COURSE, *, seed: int = 0, workers: int | None = None,
             report: bool = True, quiet: bool = False) -> DemoResult:
    """Build, grade (sandboxed, in parallel) and report on a demo class; returns where and how long.

    The gradebook is ``<course>/gradebook.db`` whatever ``RAIKIT_DB_URL`` says, so demo students
    never reach a real gradebook.
    """
    known = ops.assignments(ops.DEFAULT_COURSE)
    if assignment not in known:
        raise ops.CourseError(f"No assignment {assignment!r}. Known: {', '.join(known)}.")
    if not (FIXTURES / f"{assignment}.py").is_file():
        raise ops.CourseError(f"The demo needs known answers in {FIXTURES / (assignment + '.py')}, which is missing.")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    saved_url = os.environ.pop(ops.DB_URL_VARIABLE, None)
    try:
        if not quiet:
            print(f"building a demo class of {students} students for {assignment} in {course} ...", flush=True)
        prepare_course(course, assignment)
        ops.release([assignment], course, quiet=True)
        source = course / "source" / assignment / f"{assignment}.ipynb"
        release = course / "release" / assignment / f"{assignment}.ipynb"
        fixtures = load_fixtures(assignment, FIXTURES)
        code_cells, written_cells = _cells(source)
        kinds = {cell: ["solution"] + [k for k, f in fixtures.items() if cell in f["cells"]] for cell in code_cells}
        plan = plan_class(code_cells, written_cells, kinds, students, seed)
        inbox = course / "demo-inbox"
        write_inbox(plan, source, release, fixtures, inbox)
        (course / "demo-class.json").write_text(json.dumps(
            {"assignment": assignment, "seed": seed, "students": [vars(s) for s in plan]}, indent=1))
        seconds["build"] = time.perf_counter() - started
        mark = time.perf_counter()
        if not quiet:
            print(f"grading {sum(not s.no_show for s in plan)} submissions of {assignment} in the sandbox "
                  f"(about 5 s each per core) ...", flush=True)
        ops.autograde(assignment, course, inbox, quiet=True, workers=workers,
                      progress=None if quiet else (lambda line: print(line, flush=True)))
        enrol([s.student for s in plan if s.no_show], course)
        seconds["autograde"] = time.perf_counter() - mark
        files = None
        if report:
            from graders.reports import report as grade_report

            mark = time.perf_counter()
            if not quiet:
                print("writing the grade report ...", flush=True)
            files = grade_report.write_report(assignment, course)
            seconds["report"] = time.perf_counter() - mark
    finally:
        if saved_url is not None:
            os.environ[ops.DB_URL_VARIABLE] = saved_url
    seconds["total"] = time.perf_counter() - started
    return DemoResult(course.resolve(), assignment, plan, files, seconds)
