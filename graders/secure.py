"""Safe autograding: validate, run each submission in two sandboxes, record every outcome.

Why not plain ``nbgrader autograde``: it runs student code in the same kernel as the tests
and with the grader's rights, so a submission can read other students' work, rewrite the
gradebook, or make every test "pass" (patch the checks, hook IPython, exit the kernel). Here:

1. **Validate** the submitted notebook against the instructor's source (JSON, nbformat,
   grade cells missing / duplicated / moved / re-typed / edited). Problems are flagged for
   manual review; the notebook is still graded where possible, rebuilt from the source.
2. **Student sandbox**: the student's code cells run in a bubblewrap sandbox (graders.sandbox)
   holding a private copy of their files only. Locked instructor cells come from the source.
3. **Test sandbox**: the instructor's setup and test cells (with hidden tests) run in a
   second sandbox that never runs student code; the student's functions are proxies whose
   answers come back as plain data (graders.protocol). Pass/fail is decided there.
4. **Record**: a notebook with the student's answers and the test outcomes as outputs is
   handed to ``nbgrader autograde --no-execute`` (nbgrader's own grade rules and gradebook),
   every submission's outcome goes to ``reports/<assignment>.json``/``.csv``, and flagged
   submissions are marked for manual review in the gradebook.

Originals in ``submitted/`` are never modified. Each outcome is cached under
``grading/<assignment>/<student>/`` keyed by a hash of the submission, the source and the
limits, so re-running is idempotent and a run killed midway resumes where it stopped.
"""

from __future__ import annotations

import ast
import copy
import csv
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from graders import protocol, sandbox

ENGINE_VERSION = "1"
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_RESTARTS = 2


@dataclass
class Outcome:
    """What happened to one submission. ``status`` is "graded" or "failed"."""

    student: str
    status: str = "graded"
    reason: str = ""
    flags: list[str] = field(default_factory=list)
    tests: dict[str, dict] = field(default_factory=dict)  # grade_id -> {"passed", "error"}
    seconds: float = 0.0
    key: str = ""
    score: float | None = None
    max_score: float | None = None


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _is_test(cell) -> bool:
    meta = _meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _is_solution(cell) -> bool:
    return bool(_meta(cell).get("solution"))


def imported_modules(source: nbformat.NotebookNode) -> list[str]:
    """Absolute modules the source notebook's code cells import: what a warm template preloads."""
    names: list[str] = []
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        text = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found = [node.module]
            else:
                continue
            names += [n for n in found if n not in names]
    return names


def interface_names(source: nbformat.NotebookNode) -> list[str]:
    """Top-level names the source's solution cells define: what the tests may call or read."""
    names: list[str] = []
    for cell in source.cells:
        if cell.cell_type != "code" or not _is_solution(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                targets = [node.name]
            elif isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            names += [t for t in targets if t not in names]
    return names


# ---------------------------------------------------------------- validation


def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, list[str], str]:
    """``(notebook or None, flags, fatal reason)`` for a submitted file."""
    flags: list[str] = []
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, flags, f"cannot read {path.name}: {exc}"
    if size > MAX_NOTEBOOK_BYTES:
        limit = MAX_NOTEBOOK_BYTES // 1_000_000
        return None, flags, f"{path.name} is {size // 1_000_000} MB, over the {limit} MB limit"
    try:
        raw = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        return None, flags, f"{path.name} is not valid JSON ({exc.__class__.__name__}: {str(exc)[:120]})"
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return None, flags, f"{path.name} is JSON but not a notebook (no cells)"
    major = raw.get("nbformat")
    if major != 4:
        flags.append(f"notebook format version {major!r}, expected 4")
    try:
        notebook = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for malformed files
        return None, flags, f"{path.name} cannot be read as a notebook ({type(exc).__name__}: {str(exc)[:120]})"
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as exc:
        flags.append(f"notebook does not validate against the nbformat schema ({str(exc).splitlines()[0][:120]})")
    for cell in notebook.cells:
        if not isinstance(cell.get("source"), str):
            cell["source"] = "".join(cell.get("source") or [])
    return notebook, flags, ""


def compare_with_source(submission: nbformat.NotebookNode, source: nbformat.NotebookNode,
                        release: nbformat.NotebookNode | None = None) -> list[str]:
    """Flags for grade/locked cells that are missing, duplicated, moved, re-typed or edited."""
    flags = []
    released = {_meta(c)["grade_id"]: c for c in (release.cells if release else []) if _meta(c).get("grade_id")}
    source_cells = {_meta(c)["grade_id"]: c for c in source.cells if _meta(c).get("grade_id")}
    seen: dict[str, list] = {}
    for cell in submission.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id:
            seen.setdefault(grade_id, []).append(cell)
    for grade_id, original in source_cells.items():
        found = seen.get(grade_id, [])
        if not found:
            flags.append(f"cell {grade_id} is missing")
            continue
        if len(found) > 1:
            flags.append(f"cell {grade_id} appears {len(found)} times")
        cell = found[0]
        if cell.cell_type != original.cell_type:
            flags.append(f"cell {grade_id} changed type from {original.cell_type} to {cell.cell_type}")
        if _meta(original).get("locked") and not _is_test(original) and cell.source != original.source:
            flags.append(f"locked cell {grade_id} was edited (the original is used)")
        if _is_test(original) and not _is_test(cell):
            flags.append(f"test cell {grade_id} lost its grading metadata (the original is used)")
        elif _is_test(original) and grade_id in released and cell.source != released[grade_id].source:
            flags.append(f"test cell {grade_id} was edited (the original is used)")
    unknown = [g for g in seen if g not in source_cells]
    if unknown:
        flags.append(f"unknown grade cells {unknown[:5]}")
    order = [g for g in (_meta(c).get("grade_id") for c in submission.cells) if g in source_cells]
    expected = [g for g in source_cells if g in order]
    if list(dict.fromkeys(order)) != expected:
        flags.append("grade cells were moved out of their original order")
    return flags


# ---------------------------------------------------------------- plans


@dataclass
class StudentCell:
    key: str  # grade_id, or "extra-N" for a cell the student added
    source: str
    after: str | None  # grade_id of the source cell this one follows (for extra cells)


def student_plan(submission: nbformat.NotebookNode | None, source, release) -> list[StudentCell]:
    """The code the student sandbox runs, in the student's order, with locked cells restored."""
    source_cells = {_meta(c)["grade_id"]: c for c in source.cells if _meta(c).get("grade_id")}
    release_cells = {_meta(c)["grade_id"]: c for c in release.cells if _meta(c).get("grade_id")}
    plan: list[StudentCell] = []
    used: set[str] = set()
    last: str | None = None
    extra = 0
    for cell in (submission.cells if submission is not None else []):
        grade_id = _meta(cell).get("grade_id")
        if grade_id in source_cells:
            if grade_id in used:
                continue  # a duplicated grade cell: the first copy counts (flagged)
            used.add(grade_id)
            original = source_cells[grade_id]
            last = grade_id
            if original.cell_type != "code" or _is_test(original):
                continue
            if _is_solution(original):
                text = cell.source if cell.cell_type == "code" else release_cells[grade_id].source
                plan.append(StudentCell(grade_id, text, None))
            else:
                plan.append(StudentCell(grade_id, original.source, None))
        elif cell.cell_type == "code" and not _is_test(cell):
            extra += 1
            plan.append(StudentCell(f"extra-{extra}", cell.source, last))
    # cells the student deleted: locked ones come back from the source, answers as release stubs
    for grade_id, original in source_cells.items():
        if grade_id not in used and original.cell_type == "code" and not _is_test(original):
            text = release_cells[grade_id].source if _is_solution(original) else original.source
            later = (i for i, c in enumerate(plan) if _index(source, c.key) > _index(source, grade_id))
            position = next(later, len(plan))
            plan.insert(position, StudentCell(grade_id, text, None))
    return plan


def _index(source, key: str) -> int:
    for i, cell in enumerate(source.cells):
        if _meta(cell).get("grade_id") == key:
            return i
    return -1


def test_plan(source) -> list[dict]:
    """The instructor cells the test sandbox runs: every non-solution code cell of the source."""
    cells = []
    for i, cell in enumerate(source.cells):
        if cell.cell_type == "code" and not _is_solution(cell):
            cells.append({"key": _meta(cell).get("grade_id") or f"source-{i}", "grade_id": _meta(cell).get("grade_id"),
                          "test": _is_test(cell), "source": cell.source})
    return cells


# ---------------------------------------------------------------- running


class _StudentSession:
    """The student sandbox, restartable without the cells that killed it."""

    def __init__(self, plan: list[StudentCell], limits: sandbox.Limits, workdir: Path, unsafe: bool, log: Path,
                 slot: sandbox.Slot):
        self.plan, self.limits, self.workdir, self.unsafe, self.log = plan, limits, workdir, unsafe, log
        self.slot = slot
        self.skipped: dict[str, str] = {}
        self.outputs: dict[str, dict] = {}
        self.worker: sandbox.Worker | None = None
        self.restarts = 0
        self.deadline = 0.0
        self.kept_output = 0  # characters of output already placed in the graded notebook

    def _budget(self) -> float:
        return max(0.0, min(self.limits.cell_timeout, self.deadline - time.monotonic()))

    def start(self, deadline: float) -> None:
        self.deadline = deadline
        while True:
            self.worker = self._spawn()
            failed = self._run_cells()
            if failed is None:
                return
            self.worker.kill()
            if self.restarts >= MAX_RESTARTS or time.monotonic() >= self.deadline:
                self.worker = None
                return
            self.restarts += 1

    def _spawn(self) -> sandbox.Worker:
        return self.slot.spawn("graders.student_worker", self.limits, uid=self.slot.student_uid,
                               writable=self.workdir, unsafe=self.unsafe, log=self.log)

    def _run_cells(self) -> str | None:
        """Run the plan; return the key of a cell that killed or hung the worker (it is then skipped)."""
        for cell in self.plan:
            if cell.key in self.skipped:
                continue
            try:
                protocol.send(self.worker.outbound, {"op": "exec", "source": cell.source}, timeout=self._budget())
                reply = protocol.receive(self.worker.inbound, timeout=self._budget())
            except protocol.FrameTimeout:
                self.skipped[cell.key] = f"stopped after {self.limits.cell_timeout:g} s (time limit)"
                return cell.key
            except (protocol.ProtocolError, OSError):
                self.skipped[cell.key] = _death_reason(self.worker)
                return cell.key
            self.outputs[cell.key] = {"ok": bool(reply.get("ok")), "output": str(reply.get("output", ""))[:20000],
                                      "error": reply.get("error")}
        return None

    def manifest(self, names: list[str]) -> dict:
        if self.worker is None or not self.worker.alive():
            return {name: {"kind": "missing"} for name in names}
        try:
            protocol.send(self.worker.outbound, {"op": "manifest", "names": names}, timeout=self._budget())
            reply = protocol.receive(self.worker.inbound, timeout=self._budget())
            entries = reply.get("names")
            entries = entries if isinstance(entries, dict) else {}
            return {n: entries[n] if isinstance(entries.get(n), dict) else {"kind": "missing"} for n in names}
        except (protocol.ProtocolError, OSError):
            return {name: {"kind": "missing"} for name in names}

    def call(self, message: dict) -> dict:
        """Relay one call from the test worker; a dead or hung student worker answers with an error."""
        if self.worker is None or not self.worker.alive():
            return {"ok": False, "error": {"type": "StudentProcessError",
                                           "message": "the student's code is no longer running"}}
        try:
            protocol.send(self.worker.outbound, {"op": "call", "name": message.get("name"),
                                                 "payload": message.get("payload")}, timeout=self._budget())
            return protocol.receive(self.worker.inbound, timeout=self._budget())
        except protocol.FrameTimeout:
            reason = f"the call did not return within {self.limits.cell_timeout:g} s"
        except (protocol.ProtocolError, OSError):
            reason = _death_reason(self.worker)
        self.worker.kill()
        if self.restarts < MAX_RESTARTS and time.monotonic() < self.deadline:
            self.restarts += 1
            self.worker = self._spawn()
            if self._run_cells() is not None:
                self.worker.kill()
                self.worker = None
        else:
            self.worker = None
        return {"ok": False, "error": {"type": "StudentProcessError", "message": reason}}

    def close(self) -> None:
        if self.worker is not None:
            self.worker.kill()


def _death_reason(worker: sandbox.Worker) -> str:
    try:
        worker.process.wait(timeout=2)
    except Exception:  # noqa: BLE001
        worker.kill()
    import signal as _signal

    code = worker.process.returncode
    number = -code if code is not None and code < 0 else code - 128 if code is not None and code > 128 else 0
    if number:  # bwrap reports a child killed by signal N as exit status 128 + N
        name = _signal.Signals(number).name if number in _signal.Signals._value2member_map_ else str(number)
        return f"the student's code was killed by {name} (a limit, or the code itself)"
    return f"the student's code ended the process (exit status {code})"


def run_tests(session: _StudentSession, source, limits: sandbox.Limits, unsafe: bool, log: Path) -> dict[str, dict]:
    """Run the instructor's cells in the test sandbox; returns grade_id -> {"passed", "error", "output"}."""
    names = interface_names(source)
    plan = {"op": "plan", "cells": test_plan(source), "interface": session.manifest(names)}
    tester = session.slot.spawn("graders.test_worker", limits, uid=session.slot.test_uid, unsafe=unsafe, log=log)
    results: dict[str, dict] = {}
    try:
        protocol.send(tester.outbound, plan, timeout=limits.cell_timeout)
        while True:
            left = session.deadline - time.monotonic()
            message = protocol.receive(tester.inbound, timeout=max(left, 0.0) + limits.cell_timeout)
            op = message.get("op")
            if op == "call":
                protocol.send(tester.outbound, session.call(message), timeout=limits.cell_timeout)
            elif op == "cell":
                if message.get("grade_id") and any(c["grade_id"] == message["grade_id"] and c["test"]
                                                   for c in plan["cells"]):
                    results[message["grade_id"]] = {"passed": bool(message.get("passed")),
                                                    "error": message.get("error"),
                                                    "output": str(message.get("output", ""))[:20000]}
            elif op == "done":
                break
    except protocol.ProtocolError as exc:
        for cell in plan["cells"]:
            if cell["test"] and cell["grade_id"] not in results:
                results[cell["grade_id"]] = {"passed": False, "output": "",
                                             "error": {"type": "GradingStopped", "message": f"tests stopped: {exc}"}}
    finally:
        tester.kill()
    return results


# ---------------------------------------------------------------- the graded notebook


def graded_notebook(source, release, submission, session: _StudentSession | None, tests: dict[str, dict],
                    reason: str = "") -> nbformat.NotebookNode:
    """Source-shaped notebook: the student's answers, their cells' outputs, the test outcomes."""
    graded = copy.deepcopy(source)
    answers = {}
    extras: dict[str | None, list] = {}
    if submission is not None:
        for cell in submission.cells:
            grade_id = _meta(cell).get("grade_id")
            if grade_id and grade_id not in answers:
                answers[grade_id] = cell
    release_cells = {_meta(c)["grade_id"]: c for c in release.cells if _meta(c).get("grade_id")}
    if session is not None:
        for cell in session.plan:
            if cell.key.startswith("extra-"):
                extras.setdefault(cell.after, []).append(cell)
    cells = [nbformat.v4.new_code_cell(c.source) for c in extras.get(None, [])]
    for cell in graded.cells:
        grade_id = _meta(cell).get("grade_id")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if _is_solution(cell):
            mine = answers.get(grade_id)
            cell.source = mine.source if mine is not None and mine.cell_type == cell.cell_type \
                else release_cells[grade_id].source
        if _is_test(cell):
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


def _student_outputs(session: _StudentSession, key: str) -> list:
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


# ---------------------------------------------------------------- one submission, one class


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256(ENGINE_VERSION.encode())
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


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
        workdir = stage_for_sandbox(folder, slot, unsafe)
        session = _StudentSession(student_plan(submission, source, release), limits, workdir, unsafe, log, slot)
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


def stage_for_sandbox(folder: Path, slot: sandbox.Slot, unsafe: bool = False) -> Path:
    """A fresh private copy of ``folder`` in the slot's staging folder, owned by the slot's
    student user: the only files a student (or memo) worker sees and may write."""
    workdir = slot.workspace / "work"
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(folder, workdir, symlinks=True, ignore=_not_for_the_sandbox)
    _give_to(workdir, slot.student_uid, unsafe)
    return workdir


def _not_for_the_sandbox(folder: str, names: list[str]) -> set[str]:
    """Files not copied into the student's sandbox: notebooks (rebuilt), and symlinks, which
    would otherwise be followed by this root process and leak whatever they point to."""
    return {n for n in names if n.endswith(".ipynb") or n in (".ipynb_checkpoints", "timestamp.txt")
            or os.path.islink(os.path.join(folder, n))}


def _give_to(path: Path, uid: int, unsafe: bool) -> None:
    if unsafe or os.geteuid() != 0:
        return
    for item in [path, *path.rglob("*")]:
        os.lchown(item, uid, uid)


@dataclass
class Job:
    """One student's submission of one assignment, with the paths grading reads and writes."""

    student: str
    assignment: str
    folder: Path  # submitted/<student>/<assignment>: the student's files (never modified)
    source_dir: Path
    release_dir: Path
    graded_dir: Path  # sandboxed/<student>/<assignment>: the rebuilt notebooks nbgrader records
    run_root: Path  # grading/<assignment>/<student>: outcome cache, worker logs, the sandbox's copy
    notebooks: list[str]
    key: str = ""

    @property
    def outcome_file(self) -> Path:
        return self.run_root / "outcome.json"


def default_workers() -> int:
    """One grading worker per CPU core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def class_jobs(assignment: str, course: Path, limits: sandbox.Limits, unsafe: bool) -> list[Job]:
    """A job per student folder in ``course/submitted``, keyed by what its outcome depends on."""
    source_dir = course / "source" / assignment
    notebooks = sorted(p.name for p in source_dir.glob("*.ipynb"))
    students = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{assignment}") if p.is_dir())
    limits_blob = json.dumps(limits.as_dict(), sort_keys=True).encode()
    jobs = []
    for student in students:
        folder = course / "submitted" / student / assignment
        parts = [limits_blob, b"unsafe" if unsafe else b"sandboxed"]
        for name in notebooks:
            submitted = folder / name
            parts += [(source_dir / name).read_bytes(), submitted.read_bytes() if submitted.is_file() else b""]
        jobs.append(Job(student, assignment, folder, source_dir, course / "release" / assignment,
                        course / "sandboxed" / student / assignment, course / "grading" / assignment / student,
                        notebooks, _hash(*parts)))
    return jobs


def cached_outcome(job: Job) -> Outcome | None:
    """The outcome of an earlier run on exactly these inputs, if its graded notebooks still exist."""
    if not job.outcome_file.is_file() or not all((job.graded_dir / n).is_file() for n in job.notebooks):
        return None
    try:
        cached = json.loads(job.outcome_file.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != job.key:
        return None
    return Outcome(**{k: v for k, v in cached.items() if k in Outcome.__dataclass_fields__})


def grade_job(job: Job, limits: sandbox.Limits, slot: sandbox.Slot, *, unsafe: bool = False) -> Outcome:
    """Grade every notebook of one student's submission in ``slot``; caches and logs the outcome."""
    merged = Outcome(job.student, key=job.key)
    for name in job.notebooks:
        one = grade_submission(job.student, job.folder, name, job.source_dir / name, job.release_dir / name,
                               job.graded_dir, job.run_root / Path(name).stem, limits, slot, unsafe=unsafe)
        merged.flags += one.flags
        merged.tests.update(one.tests)
        merged.seconds = round(merged.seconds + one.seconds, 2)
        if one.status == "failed":
            merged.status = "failed"
        merged.reason = "; ".join(r for r in (merged.reason, one.reason) if r)
    job.run_root.mkdir(parents=True, exist_ok=True)
    job.outcome_file.write_text(json.dumps(asdict(merged), indent=1))
    lines = [f"student {job.student}, assignment {job.assignment}: {merged.status} in {merged.seconds:.1f} s"]
    lines += [f"  {k}: {'passed' if v['passed'] else 'failed'}"
              + ("" if v["passed"] else f" ({(v.get('error') or {}).get('type', 'Error')}: "
                 f"{str((v.get('error') or {}).get('message', ''))[:200]})") for k, v in sorted(merged.tests.items())]
    lines += [f"  flag: {flag}" for flag in merged.flags]
    lines += [f"  worker log: {p}" for p in sorted(job.run_root.glob("*/worker.log"))]
    (job.run_root / "grading.log").write_text("\n".join(lines) + "\n")
    return merged


class Progress:
    """Thread-safe progress: one line per finished student with a bar, counts, elapsed time and ETA."""

    def __init__(self, total: int, write=print):
        self.total, self.done, self.write = total, 0, write
        self.started = time.monotonic()
        self.lock = threading.Lock()

    def finished(self, outcome: Outcome, note: str) -> None:
        with self.lock:
            self.done += 1
            elapsed = time.monotonic() - self.started
            eta = elapsed / self.done * (self.total - self.done)
            filled = round(20 * self.done / max(self.total, 1))
            self.write(f"[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} "
                       f"{elapsed:5.0f}s elapsed, ~{eta:.0f}s left | {outcome.student}: {note}")


def _summary(outcome: Outcome) -> str:
    passed = sum(1 for t in outcome.tests.values() if t["passed"])
    return (f"{outcome.status}, {passed}/{len(outcome.tests)} test cells passed, {outcome.seconds:.1f} s"
            + (f", flagged: {outcome.flags[0]}" if outcome.flags else ""))


def grade_class(assignment: str, course: Path, limits: sandbox.Limits | None = None, *,
                unsafe: bool = False, progress=print, workers: int | None = None,
                scheduler: str | None = None, warm: bool = True, memo: bool = True) -> list[Outcome]:
    """Grade every submission of ``assignment`` in ``course/submitted``; resumable and idempotent.

    Locally, ``workers`` submissions are graded at once (default: one per CPU core), each in a
    grading slot of its own (its own sandbox user ids), so parallel grading keeps every limit
    and isolation of sequential grading and produces the same outcomes. With ``scheduler``
    (a Dask distributed address such as ``tcp://10.0.0.5:8786``), each submission is graded
    on a worker of that cluster instead (see :func:`grade_remote`). ``warm``: start sandboxed
    workers from a warm template (graders/zygote.py) where possible; ``memo``: with warm
    templates, reuse the embeddings the solution computes (graders/memo.py). Results are the
    same either way.
    """
    limits = limits or sandbox.Limits()
    if not unsafe and scheduler is None:
        sandbox.require_bwrap()
    jobs = class_jobs(assignment, course, limits, unsafe)
    tracker = Progress(len(jobs), progress)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for job in jobs:
        cached = cached_outcome(job)
        if cached is not None:
            outcomes[job.student] = cached
            tracker.finished(cached, "unchanged since the last run, kept")
        else:
            todo.append(job)
    grade = _grade_on_cluster if scheduler else _grade_here
    for outcome in grade(todo, limits, unsafe, workers, scheduler, warm, memo):
        outcomes[outcome.student] = outcome
        tracker.finished(outcome, _summary(outcome))
    return [outcomes[job.student] for job in jobs]


class _MemoShare:
    """The embedding memo (graders/memo.py) for one grading run, shared by its slots.

    The first slot that starts grading records it from the source notebook while the other
    slots grade; every slot's template loads it before its next submission once it exists.
    Grades are the same with or without it, so a slot that has not loaded it yet just computes.
    """

    def __init__(self, job: Job, limits: sandbox.Limits, log: Path):
        self.sources = [job.source_dir / name for name in job.notebooks]
        self.limits, self.log, self.cache = limits, log, job.run_root.parent
        self.lock = threading.Lock()
        self.claimed, self.ready = False, threading.Event()
        self.paths: list[Path] = []
        self.loaded: set[int] = set()

    def give(self, slot: sandbox.Slot) -> None:
        from graders import memo

        if slot.start_template() is None:
            return
        with self.lock:
            build, self.claimed = not self.claimed, True
        if build:
            try:
                self.paths = [p for p in (memo.build(src, slot, self.limits, self.cache, self.log)
                                          for src in self.sources) if p is not None]
            finally:
                self.ready.set()
        if self.ready.is_set() and slot.index not in self.loaded:
            self.loaded.add(slot.index)
            try:
                for path in self.paths:
                    memo.load_into(slot, path)
            except (OSError, sandbox.SandboxUnavailable) as exc:
                memo._note(self.log, f"slot {slot.index}: {exc}; its workers compute every embedding")


def _grade_here(jobs: list[Job], limits: sandbox.Limits, unsafe: bool, workers: int | None, _scheduler,
                warm: bool, memo: bool = True):
    """Grade ``jobs`` on this machine with a thread per slot; yields outcomes as they finish."""
    if not jobs:
        return
    log = jobs[0].run_root.parent / "warm-template.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    slots = [sandbox.claim_slot(warm=warm, zygote_log=log, staging=log.parent / ".slots")
             for _ in range(max(1, min(workers or default_workers(), len(jobs))))]
    preload = tuple(dict.fromkeys(name for job in jobs[:1] for notebook in job.notebooks for name in
                                  imported_modules(nbformat.read(job.source_dir / notebook, as_version=4))))
    for slot in slots:  # share the cores between the workers instead of oversubscribing them
        slot.threads = max(1, default_workers() // len(slots))
        slot.preload = preload
    free = list(slots)
    slot_lock = threading.Lock()
    memos = _MemoShare(jobs[0], limits, log) if warm and memo and not unsafe else None

    def run(job: Job) -> Outcome:
        with slot_lock:
            slot = free.pop()
        try:
            if memos is not None:
                memos.give(slot)
            return grade_job(job, limits, slot, unsafe=unsafe)
        finally:
            with slot_lock:
                free.append(slot)

    try:
        with ThreadPoolExecutor(max_workers=len(slots), thread_name_prefix="grader") as pool:
            for future in as_completed([pool.submit(run, job) for job in jobs]):
                yield future.result()
    finally:
        for slot in slots:
            slot.release()


# ---------------------------------------------------------------- a Dask cluster


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    """The regular files of a submission folder (symlinks are never followed)."""
    files = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and not any(p.is_symlink() for p in path.parents):
                files[str(path.relative_to(folder))] = path.read_bytes()
    return files


def grade_remote(payload: dict) -> dict:
    """Grade one submission on a Dask worker: everything it needs arrives as bytes, and the
    outcome, graded notebooks and log go back as bytes, so workers need no shared file system.

    Runs on the worker's machine with its own bubblewrap sandbox and grading slot, exactly as
    a local worker would; the worker's scratch copy is deleted afterwards.
    """
    limits = sandbox.Limits(**payload["limits"])
    if not payload["unsafe"]:
        sandbox.require_bwrap()
    with tempfile.TemporaryDirectory(prefix="raikit-remote-") as scratch:
        root = Path(scratch)
        for part, files in (("submitted", payload["files"]), ("source", payload["sources"]),
                            ("release", payload["releases"])):
            for relative, data in files.items():
                target = root / part / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        os.chmod(root, 0o755)  # the sandbox users must traverse it, as for a local course
        job = Job(payload["student"], payload["assignment"], root / "submitted", root / "source", root / "release",
                  root / "sandboxed", root / "grading", payload["notebooks"], payload["key"])
        job.folder.mkdir(exist_ok=True)
        slot = _worker_slot(payload.get("warm", True))
        if slot.zygote is None and not slot.preload:
            slot.preload = tuple(dict.fromkeys(name for notebook in job.notebooks for name in imported_modules(
                nbformat.read(job.source_dir / notebook, as_version=4))))
        outcome = grade_job(job, limits, slot, unsafe=payload["unsafe"])
        return {"outcome": asdict(outcome), "graded": _folder_bytes(job.graded_dir),
                "log": (job.run_root / "grading.log").read_text(),
                "host": f"{os.uname().nodename}, process {os.getpid()}"}


_WORKER_SLOTS = threading.local()


def _worker_slot(warm: bool) -> sandbox.Slot:
    """The grading slot of this Dask worker thread, kept (with its warm template) between tasks.

    A worker process holds its slots until it exits (the OS then drops the locks and the
    templates die with it), so each task after the first starts warm.
    """
    slot = getattr(_WORKER_SLOTS, "slot", None)
    if slot is None:
        log = Path(tempfile.gettempdir()) / f"raikit-warm-template-{os.getpid()}.log"
        slot = _WORKER_SLOTS.slot = sandbox.claim_slot(warm=warm, zygote_log=log)
    return slot


def _grade_on_cluster(jobs: list[Job], limits: sandbox.Limits, unsafe: bool, _workers, scheduler: str,
                      warm: bool, _memo: bool = True):
    """Send each job to a Dask distributed cluster; write back what its workers return."""
    if not jobs:
        return
    from distributed import Client
    from distributed import as_completed as completed

    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise sandbox.SandboxUnavailable(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}. Start one with `dask scheduler` "
            "and workers with `dask worker <address>` (docs/SCALING.md)") from exc
    with client:
        futures = {}
        for job in jobs:
            payload = {"student": job.student, "assignment": job.assignment, "key": job.key, "warm": warm,
                       "notebooks": job.notebooks, "limits": limits.as_dict(), "unsafe": unsafe,
                       "files": _folder_bytes(job.folder),
                       "sources": {n: (job.source_dir / n).read_bytes() for n in job.notebooks},
                       "releases": {n: (job.release_dir / n).read_bytes() for n in job.notebooks}}
            futures[client.submit(grade_remote, payload, key=f"grade-{job.assignment}-{job.student}-{job.key[:12]}",
                                  pure=False)] = job
        for future in completed(list(futures)):
            job = futures[future]
            result = future.result()
            if job.graded_dir.exists():
                shutil.rmtree(job.graded_dir)
            job.graded_dir.mkdir(parents=True)
            for relative, data in result["graded"].items():
                target = job.graded_dir / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            job.run_root.mkdir(parents=True, exist_ok=True)
            (job.run_root / "grading.log").write_text(f"graded on {result['host']}\n" + result["log"])
            outcome = Outcome(**result["outcome"])
            job.outcome_file.write_text(json.dumps(asdict(outcome), indent=1))
            yield outcome


def write_report(assignment: str, course: Path, outcomes: list[Outcome]) -> Path:
    """``reports/<assignment>.json`` and ``.csv``: one row per submission, nothing left out."""
    reports = course / "reports"
    reports.mkdir(exist_ok=True)
    (reports / f"{assignment}.json").write_text(json.dumps([asdict(o) for o in outcomes], indent=1))
    with open(reports / f"{assignment}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "score", "max_score", "needs_review", "reason", "flags", "seconds"])
        for o in outcomes:
            writer.writerow([_cell(v) for v in (o.student, o.status, o.score, o.max_score, bool(o.flags), o.reason,
                                                 " | ".join(o.flags), o.seconds)])
    return reports / f"{assignment}.csv"


def _cell(value):
    """A CSV field that a spreadsheet will not run as a formula (student-chosen text can start with '=')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
