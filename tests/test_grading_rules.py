"""The course's nbgrader configuration, checked on a tiny assignment with real nbgrader.

Rules under test (see nbgrader_config.py and graders/reports/feedback.py):
- a correct answer that emits warnings keeps its points (stock nbgrader gives 0 for any stderr);
- a wrong answer still scores 0 even if it prints "WARNING" to stderr;
- an object that claims to equal everything scores 0 (raikit.checks), but fools a plain ``==``
  test under stock nbgrader: the reason the kit's tests never use ``assert x == y``.

Each rule is checked under the kit's sandboxed engine and under stock ``nbgrader autograde``.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader_harness import cell_meta, cell_points, fill_cells, ops

pytestmark = pytest.mark.slow

NAME = "99_rules"
FAKE = "class F(float):\n    def __eq__(self, other):\n        return True\n    __hash__ = float.__hash__\n"


def _assignment() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        new_markdown_cell("# Rules", metadata=cell_meta(locked=True, grade_id="intro")),
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                      metadata=cell_meta(solution=True, grade_id="q1_answer")),
        new_code_cell("from raikit.checks import check_number\ncheck_number(double(2.0), 4.0, 'double(2.0)')\n"
                      "### BEGIN HIDDEN TESTS\ncheck_number(double(-1.5), -3.0, 'double(-1.5)')\n### END HIDDEN TESTS",
                      metadata=cell_meta(grade=True, locked=True, points=2, grade_id="strict_tests")),
        new_code_cell("assert double(2.0) == 4.0",
                      metadata=cell_meta(grade=True, locked=True, points=1, grade_id="naive_tests")),
        new_markdown_cell("Why?", metadata=cell_meta(solution=True, grade=True, points=1, grade_id="written_1")),
    ]
    return notebook


ANSWERS = {
    "warns": "import warnings\ndef double(x):\n    warnings.warn('odd input', RuntimeWarning)\n    return 2 * x",
    "wrong_but_warns": "import sys\ndef double(x):\n    print('WARNING: all good', file=sys.stderr)\n    return 3 * x",
    "fake_equality": FAKE + "def double(x):\n    return F(0.0)",
}


def _grade(tmp_path_factory, engine: str) -> dict:
    course = tmp_path_factory.mktemp(f"rules_{engine}")
    (course / "source" / NAME).mkdir(parents=True)
    nbformat.write(_assignment(), course / "source" / NAME / f"{NAME}.ipynb")
    ops.release([NAME], course, quiet=True)
    release = course / "release" / NAME / f"{NAME}.ipynb"
    inbox = tmp_path_factory.mktemp(f"inbox_{engine}")
    for student, source in ANSWERS.items():
        fill_cells(release, {"q1_answer": source}, inbox / student / release.name)
    ops.autograde(NAME, course, inbox, engine=engine, quiet=True)
    return cell_points(course, NAME)


@pytest.fixture(scope="module", params=["sandbox", "stock"])
def graded(request, tmp_path_factory):
    return request.param, _grade(tmp_path_factory, request.param)


def test_warnings_do_not_cost_a_correct_answer_its_points(graded):
    _, points = graded
    assert points["warns"] == {"strict_tests": 2.0, "naive_tests": 1.0}


def test_printing_warning_does_not_rescue_a_wrong_answer(graded):
    _, points = graded
    assert points["wrong_but_warns"] == {"strict_tests": 0.0, "naive_tests": 0.0}


def test_fake_equality_fools_only_a_naive_test_under_stock_nbgrader(graded):
    """Stock nbgrader: the fake passes `assert x == 4.0`. The sandbox engine carries only plain values
    out of the student's process, so the fake fails even the naive test there."""
    engine, points = graded
    naive = 1.0 if engine == "stock" else 0.0
    assert points["fake_equality"] == {"strict_tests": 0.0, "naive_tests": naive}
