"""The instructor's operations over nbgrader, as plain functions (the CLI calls these).

Every operation runs the real ``nbgrader`` apps in a subprocess from the kit's root (so
``nbgrader_config.py`` applies) and points them at a course folder, by default
``assignments/``. Tests point them at a temporary copy instead.

Student submissions are *copied* into the course's ``submitted/`` folder; the files the
instructor handed in are never modified.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from graders import collect as collecting
from graders import lms_import

KIT_ROOT = Path(__file__).resolve().parent.parent

# nbgrader shells out to `alembic` (found on PATH) whenever it opens a gradebook. When this
# tool is run as .venv/bin/raikit-grade without activating the venv, PATH lacks .venv/bin,
# so put the running interpreter's bin folder first for us and the nbgrader we start.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
DEFAULT_COURSE = KIT_ROOT / "assignments"


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


def check_assignment(name: str, course: Path) -> None:
    known = assignments(course)
    if name not in known:
        raise CourseError(f"No assignment {name!r} in {course / 'source'}. Known: {', '.join(known) or 'none'}.")


DB_URL_VARIABLE = "RAIKIT_DB_URL"


def gradebook_url(course: Path = DEFAULT_COURSE) -> str:
    """The gradebook's SQLAlchemy URL: ``$RAIKIT_DB_URL`` if set, else ``<course>/gradebook.db``.

    SQLite (the default) suits one machine: the kit records a whole class in one nbgrader
    process. Point ``RAIKIT_DB_URL`` (or ``raikit-grade --db-url``) at PostgreSQL, e.g.
    ``postgresql://grader:secret@db.example.edu/ai_course``, when several graders write at
    once (parallel recording, several instructors, a Dask cluster): see docs/SCALING.md.
    """
    url = os.environ.get(DB_URL_VARIABLE, "").strip()
    if not url:
        return f"sqlite:///{course.resolve() / 'gradebook.db'}"
    if not url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://")):
        raise CourseError(f"{DB_URL_VARIABLE}={_hide_password(url)!r} is not a gradebook URL the kit supports: "
                          "use sqlite:////absolute/path/gradebook.db or postgresql://user:password@host/database.")
    return url


def uses_postgresql(url: str) -> bool:
    return url.startswith("postgresql")


def _hide_password(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def check_gradebook(course: Path = DEFAULT_COURSE) -> str:
    """Connect once to the gradebook database; a CourseError says what is wrong and what to do."""
    url = gradebook_url(course)
    if not uses_postgresql(url):
        return url
    import sqlalchemy

    try:
        with sqlalchemy.create_engine(url).connect():
            pass
    except Exception as exc:  # noqa: BLE001 - drivers raise many types; all mean "cannot use it"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CourseError(f"Cannot open the gradebook at {_hide_password(url)}: {reason[:300]}. "
                          "Check that the PostgreSQL server is running and reachable, that the database "
                          "exists (createdb), and the user name and password.") from exc
    return url


def run_nbgrader(args: list[str], course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` against ``course``; raise CourseError with nbgrader's log on failure."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course.resolve()}",
               f"--CourseDirectory.db_url={gradebook_url(course)}"]
    result = subprocess.run(command, cwd=KIT_ROOT, capture_output=True, text=True)
    if not quiet or result.returncode != 0:
        sys.stderr.write(result.stderr[-20000:])
    if result.returncode != 0:
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}); its log is above.")
    return result


def release(names: list[str] | None = None, course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> list[Path]:
    """Generate student versions (``release/<name>/``) from ``source/``; returns their folders."""
    every = assignments(course)
    names = names or every
    for name in names:
        check_assignment(name, course)
    if len(names) > 1 and sorted(names) == sorted(every):
        # One nbgrader process for the whole course: starting nbgrader costs seconds, a notebook less.
        run_nbgrader(["generate_assignment", "*", "--force"], course, quiet=quiet)
    else:
        for name in names:
            run_nbgrader(["generate_assignment", name, "--force"], course, quiet=quiet)
    return [course / "release" / name for name in names]


@dataclass
class AutogradeResult:
    """Scores recorded in the gradebook, submissions left out (with why), and per-submission outcomes."""

    scores: list[Score]
    problems: dict[str, str]
    outcomes: list = field(default_factory=list)  # graders.engine.Outcome, for the sandboxed engines
    report: Path | None = None
    recorded: list[str] = field(default_factory=list)  # students (re)recorded in the gradebook by this run
    superseded: dict[str, list[str]] = field(default_factory=dict)  # student -> manual work that no longer applies


ENGINES = ("sandbox", "unsafe", "stock")
COLLECTED = "collected.json"  # grading/<assignment>/collected.json: what the last collection found per entry
UNSAFE_BANNER = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  GRADING WITHOUT A SANDBOX (--unsafe-no-sandbox): student code runs with  !!
!!  your rights and can read or change any file you can, including the      !!
!!  gradebook and other students' work. Use only for trusted submissions.    !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def _notebook_problem(name: str, data: bytes) -> str | None:
    """Why a notebook's bytes cannot be graded by stock nbgrader, or None if it looks valid."""
    import nbformat

    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises several unrelated types for broken files
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{collecting.display(name)} is not a valid notebook ({type(exc).__name__}: {first_line[:160]})"
    return None


def collect(name: str, submissions: Path, course: Path = DEFAULT_COURSE, *, keep_invalid: bool = False,
            roster: Path | None = None, quiet: bool = False, caps=None,
            received: dict[str, str] | None = None) -> list[collecting.Entry]:
    """Copy every entry of ``submissions`` into ``course/submitted/<student_id>/<name>/``.

    See graders/collect.py for the rules (ids for any folder name, regular files only, caps).
    Originals are never modified. ``keep_invalid``: entries without a gradable notebook are
    kept too (an empty folder), so the sandboxed engines record a failed outcome for each.
    """
    check_assignment(name, course)
    expected = {p.name for p in (course / "release" / name).glob("*.ipynb")}
    try:
        entries = collecting.collect(name, submissions, course, expected=expected, keep_invalid=keep_invalid,
                                     roster=collecting.read_roster(roster) if roster else None,
                                     notebook_problem=None if keep_invalid else _notebook_problem, caps=caps,
                                     received=received)
    except collecting.CollectError as exc:
        raise CourseError(str(exc)) from exc
    if not quiet:
        collecting.print_summary(entries, keep_invalid)
    return entries


def collect_submissions(name: str, submissions: Path, course: Path = DEFAULT_COURSE, *,
                        keep_invalid: bool = False) -> tuple[list[str], dict[str, str]]:
    """:func:`collect`, summed up: ``(student ids copied, {student id: problem})``."""
    entries = collect(name, submissions, course, keep_invalid=keep_invalid)
    copied = [e.student for e in entries if keep_invalid or (e.notebooks and not e.rejected)]
    problems = {e.student: "; ".join(p for p in [e.problem, *e.flags] if p)
                for e in entries if e.problem or e.flags}
    return copied, problems


def autograde(name: str, course: Path = DEFAULT_COURSE, submissions: Path | None = None, *,
              engine: str = "sandbox", limits=None, quiet: bool = False,
              workers: int | None = None, scheduler: str | None = None, warm: bool = True,
              memo: bool = True, roster: Path | None = None, caps=None, progress=None) -> AutogradeResult:
    """Autograde every submission of ``name`` (after copying in ``submissions`` if given).

    ``engine``: "sandbox" (default: graders.engine in bubblewrap), "unsafe" (the same without
    isolation, for trusted code on machines without bubblewrap), or "stock" (plain
    ``nbgrader autograde``, kept for comparison and for tests that show what it lets through).
    ``workers``: submissions graded at once by the sandboxed engines (default: one per core).
    ``scheduler``: a Dask distributed scheduler address; submissions are then graded on its
    workers (docs/SCALING.md). ``warm``: fork sandboxed workers from a pre-imported template
    (graders/engine/zygote.py) where possible; ``False`` starts each one cold (same grades, slower).
    ``memo``: warm workers reuse the embeddings the solution computes (graders/engine/memo.py; same
    grades, faster for transformer-heavy assignments).
    ``roster``: a CSV naming the student id of each submission folder (graders/collect.py).
    ``caps``: what collection takes from each folder (``graders.engine.files.Caps``: bytes, files, depth).
    ``progress``: called with one line per graded submission (default: print, or nothing when ``quiet``).
    The gradebook is :func:`gradebook_url`.
    """
    if engine not in ENGINES:
        raise CourseError(f"Unknown engine {engine!r}; choose one of {', '.join(ENGINES)}.")
    check_assignment(name, course)
    if scheduler and engine == "stock":
        raise CourseError("--scheduler grades with the kit's engine; it cannot be combined with --engine stock.")
    check_gradebook(course)
    if not (course / "release" / name).is_dir():
        release([name], course, quiet=quiet)  # puts the assignment and its tests in the gradebook
    problems: dict[str, str] = {}
    if submissions is not None:
        entries = collect(name, submissions, course, keep_invalid=engine != "stock", roster=roster, quiet=quiet,
                          caps=caps, received=lms_import.receipts_for(submissions, course, name))
        problems = {e.student: "; ".join(p for p in [e.problem, *e.flags] if p)
                    for e in entries if not (e.notebooks and not e.rejected) and engine == "stock"}
        collecting.save_entries(entries, course / "grading" / name / COLLECTED)
    submitted = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{name}"))
    if not submitted:
        raise CourseError(f"Nothing to grade for {name} in {course / 'submitted'}. Pass --submissions <folder>.")
    if engine == "stock":
        return _autograde_stock(name, course, submitted, problems, quiet)
    from graders import engine as grading

    if engine == "unsafe":
        print(UNSAFE_BANNER, file=sys.stderr)
    try:
        outcomes = grading.grade_class(name, course, limits, unsafe=engine == "unsafe",
                                       progress=progress or ((lambda *_: None) if quiet else print),
                                       workers=workers,
                                       scheduler=scheduler, warm=warm, memo=memo)
    except grading.SandboxUnavailable as exc:
        raise CourseError(str(exc)) from exc
    collecting.merge_into(outcomes, collecting.load_entries(course / "grading" / name / COLLECTED))
    ledger = RecordLedger(course, name)
    to_record = ledger.needing_record(outcomes, _recorded_rows(name, course))
    superseded = manual_work(name, course, to_record)
    if to_record:
        record(name, course, to_record, quiet=quiet, parts=workers or grading.default_workers())
    recorded = scores(name, course)
    by_student = {row.student: row for row in recorded}
    for outcome in outcomes:
        row = by_student.get(outcome.student)
        if row is None:
            outcome.status, outcome.reason = "failed", outcome.reason or "nbgrader recorded no score"
        else:
            outcome.score, outcome.max_score = row.score, row.max_score
    ledger.remember([o for o in outcomes if o.student in set(to_record) and o.student in by_student])
    _flag_for_review(name, course, [o.student for o in outcomes
                                    if o.student in set(to_record) and (o.flags or o.status == "failed")])
    if superseded and not quiet:
        print(superseded_message(superseded), file=sys.stderr)
    report = grading.write_report(name, course, outcomes)
    return AutogradeResult(recorded, problems, outcomes, report, to_record, superseded)


class RecordLedger:
    """Which graded version of each submission the gradebook holds: ``grading/<A>/recorded.json``.

    Recording a submission (``nbgrader autograde --force``) resets its manual grading state:
    nbgrader marks every manually scored answer "needs manual grade" again. So a re-run records
    only submissions whose outcome key (a hash of the submission, the source, the limits and
    the engine: graders/engine/jobs.py) differs from the one recorded, or that the gradebook
    lacks. Unchanged submissions keep their manual scores, comments and graded state exactly.
    """

    def __init__(self, course: Path, name: str):
        self.path = course / "grading" / name / "recorded.json"

    def keys(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no ledger (first run) or an unreadable one: record everything again
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def needing_record(self, outcomes: list, in_gradebook: list[Score]) -> list[str]:
        """Students whose outcome is new or changed, or whose gradebook row is missing."""
        known, present = self.keys(), {row.student for row in in_gradebook}
        return sorted(o.student for o in outcomes
                      if o.student not in present or not o.key or known.get(o.student) != o.key)

    def remember(self, outcomes: list) -> None:
        keys = self.keys()
        keys.update({o.student: o.key for o in outcomes if o.key})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(keys, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(self.path)


def has_gradebook(course: Path) -> bool:
    return uses_postgresql(gradebook_url(course)) or (course / "gradebook.db").is_file()


def _recorded_rows(name: str, course: Path) -> list[Score]:
    """The gradebook's rows for ``name``, or none when nothing is recorded yet."""
    try:
        return scores(name, course) if has_gradebook(course) else []
    except CourseError:
        return []


def _recorded_submissions(gradebook, name: str, students: list[str]):
    """``(student, submission)`` for each of ``students`` whose submission of ``name`` the gradebook holds."""
    from nbgrader.api import MissingEntry

    for student in students:
        try:
            yield student, gradebook.find_submission(name, student)
        except MissingEntry:
            continue


def manual_work(name: str, course: Path, students: list[str]) -> dict[str, list[str]]:
    """``{student: [what a person graded]}`` among ``students``' recorded submissions of ``name``.

    Lists manual scores, manual comments and extra credit as the formgrader stores them, so a
    re-recording that makes them stale can be reported by name.
    """
    from nbgrader.api import Gradebook

    if not students or not has_gradebook(course):
        return {}
    found: dict[str, list[str]] = {}
    with Gradebook(gradebook_url(course)) as gradebook:
        for student, submission in _recorded_submissions(gradebook, name, students):
            work = []
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None:
                        work.append(f"{grade.name}: manual score {grade.manual_score:g}")
                    if grade.extra_credit:
                        work.append(f"{grade.name}: extra credit {grade.extra_credit:g}")
                for comment in notebook.comments:
                    if comment.manual_comment:
                        work.append(f"{comment.name}: comment")
            if work:
                found[student] = work
    return found


def superseded_message(superseded: dict[str, list[str]]) -> str:
    """What the instructor must look at again after changed submissions replaced graded ones."""
    lines = [f"{len(superseded)} re-recorded submission(s) had manual grading that may no longer apply "
             "(the handed-in work or the source changed). The scores are kept, marked 'needs manual grade': "
             "review them in the formgrader."]
    lines += [f"  {student}: {'; '.join(work)}" for student, work in sorted(superseded.items())]
    return "\n".join(lines)


def record(name: str, course: Path, students: list[str], *, quiet: bool = False, parts: int = 1) -> None:
    """Record the graded notebooks (``sandboxed/``) of ``students`` with ``nbgrader autograde --no-execute``.

    nbgrader applies its own grade rules and writes the gradebook. Only ``students`` are shown
    to nbgrader (through a folder of links), so the others' gradebook rows, manual grades
    included, are not touched. With SQLite, one nbgrader process records them (SQLite allows
    one writer at a time). With PostgreSQL, they are split into ``parts`` chunks recorded by
    concurrent nbgrader processes.
    """
    common = ["autograde", name, "--force", "--no-execute"]
    everyone = sorted(p.parent.name for p in (course / "sandboxed").glob(f"*/{name}"))
    single = parts <= 1 or len(students) < 2 or not uses_postgresql(gradebook_url(course))
    if single and sorted(students) == everyone:
        run_nbgrader([*common, "--CourseDirectory.submitted_directory=sandboxed"], course, quiet=quiet)
        return
    from concurrent.futures import ThreadPoolExecutor

    parts = 1 if single else parts
    chunks = [students[k::parts] for k in range(min(parts, len(students)))]
    staging = course / "recording"
    if staging.exists():
        shutil.rmtree(staging)
    for k, chunk in enumerate(chunks):
        (staging / str(k)).mkdir(parents=True)
        for student in chunk:  # each nbgrader process sees only its chunk of the class
            (staging / str(k) / student).symlink_to(course.resolve() / "sandboxed" / student)
    try:
        with ThreadPoolExecutor(len(chunks)) as pool:
            list(pool.map(lambda k: run_nbgrader(
                [*common, f"--CourseDirectory.submitted_directory=recording/{k}"], course, quiet=quiet),
                range(len(chunks))))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _autograde_stock(name: str, course: Path, submitted: list[str], problems: dict[str, str],
                     quiet: bool) -> AutogradeResult:
    try:
        run_nbgrader(["autograde", name, "--force"], course, quiet=quiet)
    except CourseError:
        graded = {row.student for row in scores(name, course)}
        for student in submitted:
            if student not in graded:
                problems[student] = "nbgrader could not grade this submission; see its log above"
        if not problems:
            raise
    recorded = scores(name, course)
    graded = {row.student for row in recorded}
    for student in submitted:
        if student not in graded and student not in problems:
            problems[student] = "no score was recorded; see nbgrader's log"
    return AutogradeResult(recorded, problems)


def _flag_for_review(name: str, course: Path, students: list[str]) -> None:
    """Mark submissions for manual review in nbgrader's gradebook (the formgrader shows the flag)."""
    from nbgrader.api import Gradebook

    if not students:
        return
    with Gradebook(gradebook_url(course)) as gradebook:
        for _, submission in _recorded_submissions(gradebook, name, students):
            for notebook in submission.notebooks:
                notebook.flagged = True
        gradebook.db.commit()


def feedback(name: str, course: Path = DEFAULT_COURSE, *, quiet: bool = False) -> Path:
    """Generate HTML feedback for every autograded submission; returns ``course/feedback``."""
    check_assignment(name, course)
    run_nbgrader(["generate_feedback", name, "--force"], course, quiet=quiet)
    return course / "feedback"


def scores(name: str, course: Path = DEFAULT_COURSE) -> list[Score]:
    """Scores of every submission of ``name`` recorded in the course's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    url = gradebook_url(course)
    if not uses_postgresql(url) and not (course / "gradebook.db").is_file():
        raise CourseError(f"No gradebook at {course / 'gradebook.db'}: release and autograde first.")
    rows = []
    with Gradebook(url) as gradebook:
        try:
            assignment = gradebook.find_assignment(name)
        except MissingEntry as exc:
            raise CourseError(f"Assignment {name!r} is not in the gradebook; release it first.") from exc
        for submission in assignment.submissions:
            rows.append(Score(submission.student_id, name, float(submission.score),
                              float(submission.max_score), bool(submission.needs_manual_grade)))
    return sorted(rows, key=lambda s: s.student)


def cell_points(name: str, course: Path = DEFAULT_COURSE) -> dict[str, dict[str, float]]:
    """``{student: {test cell grade_id: automatic points}}`` for every recorded submission of ``name``."""
    from nbgrader.api import Gradebook

    points: dict[str, dict[str, float]] = {}
    with Gradebook(gradebook_url(course)) as gradebook:
        for submission in gradebook.find_assignment(name).submissions:
            per_cell = points.setdefault(submission.student_id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.cell_type == "code":
                        per_cell[grade.name] = float(grade.auto_score or 0.0)
    return points


def workspace(target: Path = KIT_ROOT / "my-work", course: Path = DEFAULT_COURSE) -> list[Path]:
    """Give a self-paced learner their own copy of every released assignment.

    Releases assignments that are not released yet, then copies what the learner lacks
    (raikit/learner/workspace.py: never overwrites a file, so re-running never loses work).
    """
    from raikit.learner.workspace import copy_handouts

    missing = [a for a in assignments(course) if not (course / "release" / a).is_dir()]
    if missing:
        release(missing, course, quiet=True)
    return copy_handouts(course / "release", target, KIT_ROOT / "learner")
