"""The student sandbox: a submission's code cells, run in the student's order.

Owns what happens on the *untrusted* side of grading:

- :func:`student_plan` decides which code runs: the student's answer cells and extra cells in
  their order, locked instructor cells restored from the source, deleted cells brought back;
- :class:`StudentSession` runs that plan in a sandboxed worker (``graders.engine.workers.student``),
  restarts it without a cell that killed or hung it (at most ``MAX_RESTARTS`` times), keeps
  each cell's output, and answers the test run's calls to the student's functions.

The student's code never runs in the grader's process; everything that crosses back is a
plain-data frame (graders.engine.protocol).
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.engine import protocol, sandbox
from graders.engine.text import clean_text, clean_tree
from graders.engine.validate import cells_by_grade_id, is_solution, is_test, nbgrader_meta

MAX_RESTARTS = 2
STUDENT_WORKER = "graders.engine.workers.student"


@dataclass
class StudentCell:
    key: str  # grade_id, or "extra-N" for a cell the student added
    source: str
    after: str | None  # grade_id of the source cell this one follows (for extra cells)
    student: bool = True  # the student's code (an answer or an added cell), not a provided cell


def forbidden_helpers(source) -> list[str]:
    """The helpers the source notebook forbids in answers (``metadata.raikit.forbidden``, e.g.
    ``["raikit.efficiency.latency_summary", "fairlearn.metrics.*"]``); refused when student
    code calls them (graders/engine/workers/forbidden.py)."""
    kit = source.metadata.get("raikit") if isinstance(source.metadata, dict) else None
    names = kit.get("forbidden") if isinstance(kit, dict) else None
    return [str(name) for name in names] if isinstance(names, list) else []


def student_plan(submission: nbformat.NotebookNode | None, source, release) -> list[StudentCell]:
    """The code the student sandbox runs, in the student's order, with locked cells restored."""
    source_cells = cells_by_grade_id(source)
    release_cells = cells_by_grade_id(release)
    plan: list[StudentCell] = []
    used: set[str] = set()
    last: str | None = None
    extra = 0
    for cell in (submission.cells if submission is not None else []):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in source_cells:
            if grade_id in used:
                continue  # a duplicated grade cell: the first copy counts (flagged)
            used.add(grade_id)
            original = source_cells[grade_id]
            last = grade_id
            if original.cell_type != "code" or is_test(original):
                continue
            if is_solution(original):
                text = cell.source if cell.cell_type == "code" else release_cells[grade_id].source
                plan.append(StudentCell(grade_id, text, None))
            else:
                plan.append(StudentCell(grade_id, original.source, None, student=False))
        elif cell.cell_type == "code" and not is_test(cell):
            extra += 1
            plan.append(StudentCell(f"extra-{extra}", cell.source, last))
    # cells the student deleted: locked ones come back from the source, answers as release stubs
    for grade_id, original in source_cells.items():
        if grade_id not in used and original.cell_type == "code" and not is_test(original):
            text = release_cells[grade_id].source if is_solution(original) else original.source
            later = (i for i, c in enumerate(plan) if _index(source, c.key) > _index(source, grade_id))
            position = next(later, len(plan))
            plan.insert(position, StudentCell(grade_id, text, None, student=is_solution(original)))
    return plan


def _index(source, key: str) -> int:
    for i, cell in enumerate(source.cells):
        if nbgrader_meta(cell).get("grade_id") == key:
            return i
    return -1



class StudentSession:
    """The student sandbox, restartable without the cells that killed it."""

    def __init__(self, plan: list[StudentCell], limits: sandbox.Limits, workdir: Path, unsafe: bool, log: Path,
                 slot: sandbox.Slot, forbidden: list[str] | None = None):
        self.plan, self.limits, self.workdir, self.unsafe, self.log = plan, limits, workdir, unsafe, log
        self.forbidden = list(forbidden or [])
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
        return self.slot.spawn(STUDENT_WORKER, self.limits, uid=self.slot.student_uid,
                               writable=self.workdir, unsafe=self.unsafe, log=self.log)

    def _run_cells(self) -> str | None:
        """Run the plan; return the key of a cell that killed or hung the worker (it is then skipped)."""
        if self.forbidden:
            try:
                protocol.send(self.worker.outbound, {"op": "forbid", "names": self.forbidden}, timeout=self._budget())
                protocol.receive(self.worker.inbound, timeout=self._budget())
            except (protocol.ProtocolError, OSError):
                pass  # a worker that cannot take the list fails its first cell below, with a reason
        for cell in self.plan:
            if cell.key in self.skipped:
                continue
            try:
                protocol.send(self.worker.outbound, {"op": "exec", "source": cell.source, "student": cell.student},
                              timeout=self._budget())
                reply = protocol.receive(self.worker.inbound, timeout=self._budget())
            except protocol.FrameTimeout:
                self.skipped[cell.key] = f"stopped after {self.limits.cell_timeout:g} s (time limit)"
                return cell.key
            except (protocol.ProtocolError, OSError):
                self.skipped[cell.key] = death_reason(self.worker)
                return cell.key
            self.outputs[cell.key] = {"ok": bool(reply.get("ok")),
                                      "output": clean_text(reply.get("output", ""))[:20000],
                                      "error": clean_tree(reply.get("error"), 4000)}
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
            reason = death_reason(self.worker)
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


def death_reason(worker: sandbox.Worker) -> str:
    try:
        worker.process.wait(timeout=2)
    except Exception:  # noqa: BLE001
        worker.kill()
    code = worker.process.returncode
    number = -code if code is not None and code < 0 else code - 128 if code is not None and code > 128 else 0
    if number:  # bwrap reports a child killed by signal N as exit status 128 + N
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        return f"the student's code was killed by {name} (a limit, or the code itself)"
    return f"the student's code ended the process (exit status {code})"

