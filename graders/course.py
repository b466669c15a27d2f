"""The instructor's operations over nbgrader, as plain functions (the CLI calls these).

Every operation runs the real ``nbgrader`` apps in a subprocess from the kit's root (so
``nbgrader_config.py`` applies) and points them at a course folder, by default
``assignments/``. Tests point them at a temporary copy instead.

Student submissions are *copied* into the course's ``submitted/`` folder; the files the
instructor handed in are never modified.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent

# nbgrader shells out to `alembic` (found on PATH) whenever it opens a gradebook. When this
# tool is run as .venv/bin/raikit-grade without activating the venv, PATH lacks .venv/bin,
# so put the running interpreter's bin folder first for us and the nbgrader we start.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
DEFAULT_COURSE = KIT_ROOT / "assignments"
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class CourseError(RuntimeError):
    """An instructor-facing problem with a clear message (bad name, missing folder, nbgrader failure)."""


@dataclass(frozen=True)
class Score:
    student: str
    assignment: str
    score: float
    max_score: float
    needs_manual_grade: bool


def assignments(course: Path = DEFAULT_COURSE) -> list[str]:
    """Names of the authored assignments (folders under ``source/``), in course order."""
    source = course / "source"
    if not source.is_dir():
        raise CourseError(f"{source} does not exist: is {course} an nbgrader course folder?")
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))


def _check_assignment(name: str, course: Path) -> None:
    known = assignments(course)
    if name not in known:
        raise CourseError(f"No assignment {name!r} in {course / 'source'}. Known: {', '.join(known) or 'none'}.")


def run_nbgrader(args: list[str], course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` against ``course``; raise CourseError with nbgrader's log on failure."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course.resolve()}"]
    result = subprocess.run(command, cwd=KIT_ROOT, capture_output=True, text=True)
    if not quiet or result.returncode != 0:
        sys.stderr.write(result.stderr[-20000:])
    if result.returncode != 0:
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}); its log is above.")
    return result


def release(names: list[str] | None = None, course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> list[Path]:
    """Generate student versions (``release/<name>/``) from ``source/``; returns their folders."""
    names = names or assignments(course)
    for name in names:
        _check_assignment(name, course)
        run_nbgrader(["generate_assignment", name, "--force"], course, quiet=quiet)
    return [course / "release" / name for name in names]


def collect_submissions(name: str, submissions: Path, course: Path = DEFAULT_COURSE) -> list[str]:
    """Copy ``submissions/<student>/*.ipynb`` into ``course/submitted/<student>/<name>/``.

    Originals are left untouched. Returns the student ids copied. A student folder with no
    notebook, or an unsafe folder name, is reported and skipped (the rest still go in).
    """
    _check_assignment(name, course)
    if not submissions.is_dir():
        raise CourseError(f"Submissions folder {submissions} does not exist. "
                          "Expected <folder>/<student_id>/<notebook>.ipynb.")
    students = []
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir()):
        if not STUDENT_ID.match(folder.name):
            print(f"skipped {folder.name!r}: student ids may use letters, digits, '_', '-', '.'", file=sys.stderr)
            continue
        notebooks = sorted(folder.glob("*.ipynb")) or sorted((folder / name).glob("*.ipynb"))
        if not notebooks:
            print(f"skipped {folder.name}: no .ipynb file in {folder}", file=sys.stderr)
            continue
        target = course / "submitted" / folder.name / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for notebook in notebooks:
            shutil.copy2(notebook, target / notebook.name)
        students.append(folder.name)
    return students


def autograde(name: str, course: Path = DEFAULT_COURSE, submissions: Path | None = None, *,
              quiet: bool = False) -> list[Score]:
    """Autograde every submission of ``name`` (after copying in ``submissions`` if given)."""
    _check_assignment(name, course)
    if not (course / "release" / name).is_dir():
        release([name], course, quiet=quiet)  # puts the assignment and its tests in the gradebook
    if submissions is not None:
        collect_submissions(name, submissions, course)
    if not (course / "submitted").is_dir():
        raise CourseError(f"Nothing to grade: {course / 'submitted'} is empty. Pass --submissions <folder>.")
    run_nbgrader(["autograde", name, "--force"], course, quiet=quiet)
    return scores(name, course)


def feedback(name: str, course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> Path:
    """Generate HTML feedback for every autograded submission; returns ``course/feedback``."""
    _check_assignment(name, course)
    run_nbgrader(["generate_feedback", name, "--force"], course, quiet=quiet)
    return course / "feedback"


def export(out: Path, course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> Path:
    """Export all grades with nbgrader's CSV plugin (one row per student and assignment)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    run_nbgrader(["export", f"--to={out}"], course, quiet=quiet)
    return out


def scores(name: str, course: Path = DEFAULT_COURSE) -> list[Score]:
    """Scores of every submission of ``name`` recorded in the course's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    db = course / "gradebook.db"
    if not db.is_file():
        raise CourseError(f"No gradebook at {db}: release and autograde first.")
    rows = []
    with Gradebook(f"sqlite:///{db}") as gradebook:
        try:
            assignment = gradebook.find_assignment(name)
        except MissingEntry as exc:
            raise CourseError(f"Assignment {name!r} is not in the gradebook; release it first.") from exc
        for submission in assignment.submissions:
            rows.append(Score(submission.student_id, name, float(submission.score),
                              float(submission.max_score), bool(submission.needs_manual_grade)))
    return sorted(rows, key=lambda s: s.student)


def workspace(target: Path = KIT_ROOT / "my-work", course: Path = DEFAULT_COURSE) -> list[Path]:
    """Give a self-paced learner their own copy of every released assignment.

    Releases assignments that are not released yet, then copies each release folder's
    files into ``my-work/<assignment>/`` *only where the learner has no file of that name*,
    so re-running never overwrites work.
    """
    missing = [a for a in assignments(course) if not (course / "release" / a).is_dir()]
    if missing:
        release(missing, course, quiet=True)
    copied = []
    for name in assignments(course):
        for source in sorted((course / "release" / name).rglob("*")):
            if source.is_file():
                destination = target / name / source.relative_to(course / "release" / name)
                if not destination.exists():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)
                    copied.append(destination)
    return copied
