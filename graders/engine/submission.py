"""One submission, start to finish: validate, run, test, rebuild the graded notebook.

:func:`grade_submission` is the unit of grading. It reads the student's notebook
(graders.engine.validate), stages a private copy of their files for the sandbox, runs the
student session and the test run, and writes :func:`graded_notebook`: the source's cells with
the student's answers, their outputs and each test's verdict as outputs, which
``nbgrader autograde --no-execute`` then records with nbgrader's own rules. Its
:class:`~graders.engine.outcomes.Outcome` says what happened, flags included.
"""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import nbformat

from graders.engine import sandbox
from graders.engine.files import (
    Caps,
    UnsafeFile,
    clear_folder,
    display,
    is_regular,
    read_regular,
    read_tree,
    remove_tree,
    write_tree,
)
from graders.engine.instructor_run import run_tests
from graders.engine.outcomes import Outcome
from graders.engine.student_session import StudentSession, forbidden_helpers, student_plan
from graders.engine.text import clean_text, clean_tree
from graders.engine.validate import (
    cells_by_grade_id,
    compare_with_source,
    is_solution,
    is_test,
    nbgrader_meta,
    read_submission,
)


def graded_notebook(source, release, submission, session: StudentSession | None, tests: dict[str, dict],
                    reason: str = "") -> nbformat.NotebookNode:
    """Source-shaped notebook: the student's answers, their cells' outputs, the test outcomes."""
    graded = copy.deepcopy(source)
    answers = {}
    extras: dict[str | None, list] = {}
    if submission is not None:
        for cell in submission.cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if grade_id and grade_id not in answers:
                answers[grade_id] = cell
    release_cells = cells_by_grade_id(release)
    # The source's own ungraded code cells (a demo, "Putting it together") come back in the
    # submission without a grade_id, like cells the student added. One that still reads as in
    # the source *is* that cell: its outputs go there, and it is not added a second time.
    ungraded = [c for c in graded.cells if c.cell_type == "code" and not nbgrader_meta(c).get("grade_id")]
    same_as: dict[str, object] = {}
    if session is not None:
        for cell in session.plan:
            if not cell.key.startswith("extra-"):
                continue
            twin = next((c for c in ungraded if c.source.strip() == cell.source.strip() and id(c) not in
                         {id(v) for v in same_as.values()}), None)
            if twin is not None:
                same_as[cell.key] = twin
            else:
                extras.setdefault(cell.after, []).append(cell)
    outputs_of = {id(twin): key for key, twin in same_as.items()}
    cells = [nbformat.v4.new_code_cell(c.source) for c in extras.get(None, [])]
    for cell in graded.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if id(cell) in outputs_of:
                cell.outputs = _student_outputs(session, outputs_of[id(cell)])
        if is_solution(cell):
            mine = answers.get(grade_id)
            cell.source = mine.source if mine is not None and mine.cell_type == cell.cell_type \
                else release_cells[grade_id].source
        if is_test(cell):
            result = tests.get(grade_id) or {"passed": False, "error": {
                "type": "NotGraded", "message": reason or "the tests could not run"}}
            if result["passed"]:
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                       text=result.get("output") or "tests passed\n")]
            else:
                error = result.get("error") or {}
                ename, evalue = str(error.get("type", "Error")), str(error.get("message", ""))[:4000]
                cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                                       traceback=[f"{ename}: {evalue}"])]
        elif cell.cell_type == "code" and session is not None and grade_id:
            cell.outputs = _student_outputs(session, grade_id)
        cells.append(cell)
        for extra in extras.get(grade_id, []) if grade_id else []:
            added = nbformat.v4.new_code_cell(extra.source)
            added.outputs = _student_outputs(session, extra.key)
            cells.append(added)
    graded.cells = cells
    return graded


MAX_KEPT_OUTPUT = 1_000_000  # characters of student output kept per graded notebook, all cells together


def _student_outputs(session: StudentSession, key: str) -> list:
    if key in session.skipped:
        return [nbformat.v4.new_output("stream", name="stdout", text=f"[not run: {session.skipped[key]}]\n")]
    result = session.outputs.get(key)
    if not result or not result["output"]:
        return []
    left = MAX_KEPT_OUTPUT - session.kept_output
    text = result["output"] if len(result["output"]) <= left else result["output"][:max(left, 0)] + \
        "\n[output dropped: this notebook reached the grader's limit on kept output]\n"
    session.kept_output += len(text)
    return [nbformat.v4.new_output("stream", name="stdout", text=text)]


def grade_submission(student: str, folder: Path, notebook_name: str, source_path: Path, release_path: Path,
                     out_dir: Path, run_dir: Path, limits: sandbox.Limits, slot: sandbox.Slot | None = None, *,
                     unsafe: bool = False) -> Outcome:
    """Grade one student's submission folder; writes the graded notebook into ``out_dir``.

    ``slot`` gives the sandbox user ids; without one, a free slot is claimed for this call.
    """
    if slot is None:
        slot = sandbox.claim_slot(work_mb=None if unsafe else limits.work_mb, memory_group=not unsafe)
        try:
            return grade_submission(student, folder, notebook_name, source_path, release_path, out_dir, run_dir,
                                    limits, slot, unsafe=unsafe)
        finally:
            slot.release()
    started = time.monotonic()
    source = nbformat.read(source_path, as_version=4)
    release = nbformat.read(release_path, as_version=4)
    submitted = folder / notebook_name
    outcome = Outcome(student)
    others = sorted(p for p in folder.glob("*.ipynb") if p.name != notebook_name and is_regular(p))
    if not os.path.lexists(submitted) and len(others) == 1:  # a renamed notebook: grade it, but flag it
        submitted = others[0]
        outcome.flags.append(f"notebook was renamed to {display(others[0].name)!r}; graded as {notebook_name}")
    run_dir.mkdir(parents=True, exist_ok=True)
    log = run_dir / "worker.log"
    log.write_text("")
    submission, flags, fatal = read_submission(submitted) if os.path.lexists(submitted) else (
        None, [], f"{notebook_name} was not submitted")
    outcome.flags += flags
    session = None
    tests: dict[str, dict] = {}
    if submission is not None:
        outcome.flags += compare_with_source(submission, source, release)
        workdir = sandbox.stage_for_sandbox(folder, slot, unsafe)
        session = StudentSession(student_plan(submission, source, release), limits, workdir, unsafe, log, slot,
                                 forbidden=forbidden_helpers(source))
        try:
            session.start(deadline=started + limits.notebook_timeout)
            tests = run_tests(session, source, limits, unsafe, log)
        finally:
            session.close()
            kept = run_dir / "work"  # kept with the logs: what the submission's code left behind
            keep_work_folder(workdir, kept)
        if session.skipped:
            outcome.flags += [f"cell {k} not run: {why}" for k, why in session.skipped.items()]
            outcome.reason = "; ".join(f"{k}: {why}" for k, why in session.skipped.items())
        lost = {k: v["error"]["message"] for k, v in tests.items()
                if not v["passed"] and (v.get("error") or {}).get("type") in ("StudentProcessError", "GradingStopped")}
        if lost:
            outcome.flags += [f"test {k}: {why}" for k, why in lost.items()]
            outcome.reason = "; ".join(r for r in [outcome.reason] + [f"{k}: {why}" for k, why in lost.items()] if r)
        if time.monotonic() - started > limits.notebook_timeout:
            outcome.flags.append(f"notebook time limit of {limits.notebook_timeout:g} s reached")
    else:
        outcome.status, outcome.reason = "failed", fatal
        outcome.flags.append(fatal)
    outcome.flags = [clean_text(flag, 500) for flag in outcome.flags]
    outcome.reason = clean_text(outcome.reason, 2000)
    outcome.tests = {k: {"passed": v["passed"], "error": clean_tree(v.get("error"), 4000)} for k, v in tests.items()}
    graded = graded_notebook(source, release, submission, session, tests, reason=outcome.reason)
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(graded, out_dir / notebook_name)
    stamp, problem = read_timestamp(folder / "timestamp.txt")
    (out_dir / "timestamp.txt").unlink(missing_ok=True)
    if stamp is not None:
        (out_dir / "timestamp.txt").write_text(stamp, encoding="utf-8")
    if problem:
        outcome.flags.append(problem)
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome



def read_timestamp(path: Path) -> tuple[str | None, str]:
    """``(timestamp text, "")`` if ``path`` is a timestamp nbgrader can parse; ``(None, flag)`` if
    it is unusable (then left out: nbgrader records the submission without one); ``(None, "")``
    if there is none."""
    if not os.path.lexists(path):
        return None, ""
    try:
        text = read_regular(path, 1024).decode("utf-8").strip()
        from nbgrader.utils import parse_utc  # the parser nbgrader itself applies to timestamp.txt

        parse_utc(text)
    except UnsafeFile as exc:
        return None, f"timestamp.txt left out: {exc}"
    except Exception as exc:  # noqa: BLE001 - dateutil raises several types (ValueError, OverflowError...)
        return None, f"timestamp.txt left out: not a date and time nbgrader can read ({type(exc).__name__})"
    return text, ""


def keep_work_folder(workdir: Path, kept: Path) -> None:
    """Move what the submission's code left in its folder to ``kept`` (next to the logs).

    The folder may have any shape (thousands of levels, odd names, no permissions): an
    earlier copy is removed with :func:`remove_tree`, and the move is a rename. Where the
    two folders are on different file systems, the work folder is dropped and a note says so.
    """
    remove_tree(kept)
    if os.path.ismount(workdir):  # the slot's quota tmpfs: copy out what fits the caps, then empty it
        walk = read_tree(workdir, Caps())
        write_tree(walk.files, kept)
        if walk.left_out:
            (kept / "NOT-KEPT.txt").write_text("Left out when keeping this folder:\n" + "\n".join(walk.left_out) + "\n")
        clear_folder(workdir)
        return
    try:
        os.replace(workdir, kept)
    except OSError:
        remove_tree(workdir)
        kept.mkdir(parents=True, exist_ok=True)
        (kept / "NOT-KEPT.txt").write_text("The submission's work folder was on another file system and was "
                                           "deleted after grading instead of being kept here.\n")
