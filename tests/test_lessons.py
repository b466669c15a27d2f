"""Every lesson executes top to bottom, headless, within a time limit (nbgrader's own docs CI does this)."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from conftest import ARTIFACTS, LESSONS
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

CELL_TIMEOUT = 300  # seconds; a lesson should take well under a minute in total


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_executes_top_to_bottom(lesson, monkeypatch):
    # Headless but still rendering: the inline backend stores figures as PNG outputs
    # (the Agg backend would silently draw nothing into the notebook).
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(lesson, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(lesson.parent)}})
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    ARTIFACTS.mkdir(exist_ok=True)
    nbformat.write(notebook, ARTIFACTS / lesson.name)  # executed copy, for a human to look at
    with open(ARTIFACTS / "lesson_times.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps({"lesson": lesson.stem, "seconds": round(seconds, 1)}) + "\n")
    figures = sum(1 for cell in notebook.cells if cell.cell_type == "code"
                  for out in cell.get("outputs", []) if "image/png" in out.get("data", {}))
    assert figures >= 1, f"{lesson.name} draws no figure; every lesson teaches with at least one plot"
