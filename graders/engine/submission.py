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
import shutil
import time
from pathlib import Path

import nbformat

from graders.engine import sandbox
from graders.engine.instructor_run import run_tests
from graders.engine.outcomes import Outcome
from graders.engine.student_session import StudentSession, student_plan
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
    if session is not None:
        for cell in session.plan:
            if cell.key.startswith("extra-"):
                extras.setdefault(cell.after, []).append(cell)
    cells = [nbformat.v4.new_code_cell(c.source) for c in extras.get(None, [])]
    for cell in graded.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
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
        slot = sandbox.claim_slot()
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
    others = sorted(p for p in folder.glob("*.ipynb") if p.name != notebook_name)
    if not submitted.is_file() and len(others) == 1:  # a renamed notebook: grade it, but flag it
        submitted = others[0]
        outcome.flags.append(f"notebook was renamed to {others[0].name!r}; graded as {notebook_name}")
    run_dir.mkdir(parents=True, exist_ok=True)
    log = run_dir / "worker.log"
    log.write_text("")
    submission, flags, fatal = read_submission(submitted) if submitted.is_file() else (
        None, [], f"{notebook_name} was not submitted")
    outcome.flags += flags
    session = None
    tests: dict[str, dict] = {}
    if submission is not None:
        outcome.flags += compare_with_source(submission, source, release)
        workdir = sandbox.stage_for_sandbox(folder, slot, unsafe)
        session = StudentSession(student_plan(submission, source, release), limits, workdir, unsafe, log, slot)
        try:
            session.start(deadline=started + limits.notebook_timeout)
            tests = run_tests(session, source, limits, unsafe, log)
        finally:
            session.close()
            kept = run_dir / "work"  # kept with the logs: what the submission's code left behind
            if kept.exists():
                shutil.rmtree(kept)
            shutil.move(workdir, kept)
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
    outcome.tests = {k: {"passed": v["passed"], "error": v.get("error")} for k, v in tests.items()}
    graded = graded_notebook(source, release, submission, session, tests, reason=outcome.reason)
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(graded, out_dir / notebook_name)
    timestamp = folder / "timestamp.txt"
    if timestamp.is_file():
        shutil.copy2(timestamp, out_dir / "timestamp.txt")
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome

