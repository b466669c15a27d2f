"""The test run: the instructor's setup and test cells, in a sandbox of their own.

Owns the *trusted* side of grading. :func:`instructor_plan` lists the source's non-solution code
cells (hidden tests included); :func:`run_tests` runs them in a worker
(``graders.engine.workers.instructor``) that never executes student code: each function the
tests call is a proxy whose calls are relayed to the student session and answered with plain
data. Returns one verdict per test cell: ``{"passed", "error", "output"}``.
"""

from __future__ import annotations

import time
from pathlib import Path

from graders.engine import protocol, sandbox
from graders.engine.student_session import StudentSession
from graders.engine.text import clean_text, clean_tree
from graders.engine.validate import interface_names, is_solution, is_test, nbgrader_meta

INSTRUCTOR_WORKER = "graders.engine.workers.instructor"


def instructor_plan(source) -> list[dict]:
    """The instructor cells the test sandbox runs: every non-solution code cell of the source."""
    cells = []
    for i, cell in enumerate(source.cells):
        if cell.cell_type == "code" and not is_solution(cell):
            grade_id = nbgrader_meta(cell).get("grade_id")
            cells.append({"key": grade_id or f"source-{i}", "grade_id": grade_id, "test": is_test(cell),
                          "source": cell.source})
    return cells


def public_markdown(source) -> str:
    """The markdown a student's copy shows (every markdown cell but written-answer ones): failing
    hidden tests may quote a value their label shares with it (graders/engine/workers/hidden.py)."""
    return "\n".join(str(cell.source) for cell in source.cells
                     if cell.cell_type == "markdown" and not is_solution(cell))


def run_tests(session: StudentSession, source, limits: sandbox.Limits, unsafe: bool, log: Path) -> dict[str, dict]:
    """Run the instructor's cells in the test sandbox; returns grade_id -> {"passed", "error", "output"}."""
    names = interface_names(source)
    plan = {"op": "plan", "cells": instructor_plan(source), "interface": session.manifest(names),
            "public": public_markdown(source)}
    tester = session.slot.spawn(INSTRUCTOR_WORKER, limits, uid=session.slot.test_uid, unsafe=unsafe, log=log)
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
                                                    "error": clean_tree(message.get("error"), 4000),
                                                    "output": clean_text(message.get("output", ""))[:20000]}
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

