"""Every lesson executes top to bottom, headless, within a time limit (nbgrader's own docs CI does this),
and every figure it draws follows the course's accessibility rules (docs/ACCESSIBILITY.md).

The lessons run with the same code as the course site (``coursesite.execute.execute_notebook``). Two
cells are added around each lesson: the first records every matplotlib Figure the lesson
creates, the last checks them with ``raikit.plotting.figure_problems`` (title, axis labels,
palette colours) and prints the problems; the executed copy in test-artifacts/ is written
without them.

The lessons run in **strict mode** (``RAIKIT_STRICT_LESSONS=1``): every statement of a lesson's
text that its code checks with ``raikit.lesson.expect`` must hold, so the suite fails when an
unchanged lesson drifts from its prose. A learner's kernel is not strict: there ``expect``
prints what no longer holds and the lesson runs on (tests/test_lesson_tinkering.py).
"""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import ARTIFACTS, LESSONS

from coursesite.execute import CELL_TIMEOUT, execute_notebook
from raikit.lesson import STRICT_ENV

pytestmark = pytest.mark.slow

RECORD_FIGURES = """\
# added by tests/test_lessons.py: remember every figure the lesson creates
import matplotlib.figure as _a11y_figure_module
_a11y_figures = []
_a11y_original_init = _a11y_figure_module.Figure.__init__
def _a11y_recording_init(self, *args, **kwargs):
    _a11y_original_init(self, *args, **kwargs)
    _a11y_figures.append(self)
_a11y_figure_module.Figure.__init__ = _a11y_recording_init
"""

CHECK_FIGURES = """\
# added by tests/test_lessons.py: check every figure against the course's figure rules
import json as _a11y_json
from raikit.plotting import figure_problems as _a11y_problems
print("FIGURE-AUDIT " + _a11y_json.dumps({"figures": len(_a11y_figures), "problems": [
    f"figure {number} ({figure.get_suptitle() or 'no suptitle'}): {problem}"
    for number, figure in enumerate(_a11y_figures, 1) for problem in _a11y_problems(figure)]}))
"""


def _audit_result(cell) -> dict:
    text = "".join(out.get("text", "") for out in cell.outputs if out.get("name") == "stdout")
    line = next(line for line in text.splitlines() if line.startswith("FIGURE-AUDIT "))
    return json.loads(line.removeprefix("FIGURE-AUDIT "))


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_executes_top_to_bottom(lesson, monkeypatch):
    monkeypatch.setenv(STRICT_ENV, "1")  # the kernel inherits it: a prose statement that fails raises
    notebook = nbformat.read(lesson, as_version=4)
    first = nbformat.v4.new_code_cell(RECORD_FIGURES, id="test-record-figures")
    last = nbformat.v4.new_code_cell(CHECK_FIGURES, id="test-check-figures")
    notebook.cells = [first, *notebook.cells, last]
    seconds = execute_notebook(notebook, name=lesson.stem, cwd=lesson.parent, timeout=CELL_TIMEOUT)
    audit = _audit_result(notebook.cells.pop())
    notebook.cells.pop(0)
    ARTIFACTS.mkdir(exist_ok=True)
    nbformat.write(notebook, ARTIFACTS / lesson.name)  # executed copy, for a human to look at
    with open(ARTIFACTS / "lesson_times.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps({"lesson": lesson.stem, "seconds": round(seconds, 1)}) + "\n")

    images = [(cell.id, out) for cell in notebook.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
    assert images, f"{lesson.name} draws no figure; every lesson teaches with at least one plot"
    assert audit["figures"] >= len(images), "every displayed figure was recorded and checked"
    assert not audit["problems"], f"{lesson.name}: figures break the course's figure rules:\n" + "\n".join(
        audit["problems"])
    no_alt = [cell_id for cell_id, out in images if not out.get("metadata", {}).get("image/png", {}).get("alt")]
    assert not no_alt, (f"{lesson.name}: figures without alt text in cells {no_alt}; "
                        "show them with raikit.plotting.show_figure(fig, alt=...)")
