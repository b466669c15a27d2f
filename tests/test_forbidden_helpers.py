"""Helpers a question forbids are refused when the student's own code calls them.

"Do not call raikit.efficiency's latency_summary: rebuilding it is the exercise" cannot be
checked by comparing values (the helper returns the right ones), so the source notebook lists
such helpers in ``metadata.raikit.forbidden`` and the student worker guards them
(graders/engine/workers/forbidden.py). Checked on a tiny assignment graded by the real engine:
an answer that calls the helper scores 0 with a message that says why, an honest answer scores
full, and the instructor's provided cells (and kit helpers that use the forbidden one inside)
still may call it.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader_harness import cell_meta, cell_points, fill_cells, ops

NAME = "98_forbidden"
HELPER = "raikit.efficiency.latency_summary"


def test_install_guards_only_student_calls_from_student_code():
    from graders.engine.workers import forbidden
    from raikit import efficiency

    original = efficiency.latency_summary
    try:
        assert forbidden.install([HELPER, "raikit.efficiency.no_such_helper"]) == ["raikit.efficiency.no_such_helper"]
        assert efficiency.latency_summary([1.0, 2.0, 3.0])["median"] == 2.0, "not guarded outside student code"
        forbidden.STUDENT[0] = True
        with pytest.raises(PermissionError, match="latency_summary is not allowed in this assignment"):
            exec(compile("efficiency.latency_summary([1.0])", "<ipython-input-7-abc>", "exec"),
                 {"efficiency": efficiency})
        assert not hasattr(efficiency.latency_summary, "__wrapped__"), "the original must not be one attribute away"
    finally:
        forbidden.STUDENT[0] = False
        efficiency.latency_summary = original


def _assignment() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["raikit"] = {"forbidden": [HELPER]}
    notebook.cells = [
        new_markdown_cell("# Medians\nDo not call `raikit.efficiency.latency_summary`.",
                          metadata=cell_meta(locked=True, grade_id="intro")),
        new_code_cell("from raikit import efficiency\nprovided = efficiency.latency_summary([3.0, 1.0, 2.0])['median']",
                      metadata=cell_meta(locked=True, grade_id="setup")),
        new_code_cell("def median(values):\n    ### BEGIN SOLUTION\n    import numpy as np\n"
                      "    return float(np.median(values))\n    ### END SOLUTION",
                      metadata=cell_meta(solution=True, grade_id="q1_answer")),
        new_code_cell("from raikit.checks import check_number\ncheck_number(provided, 2.0, 'the provided cell ran')\n"
                      "check_number(median([3.0, 1.0, 2.0]), 2.0, 'median of three')\n"
                      "### BEGIN HIDDEN TESTS\ncheck_number(median([4.0, 1.0]), 2.5, 'median of two')\n"
                      "### END HIDDEN TESTS",
                      metadata=cell_meta(grade=True, locked=True, points=2, grade_id="q1_tests")),
    ]
    return notebook


ANSWERS = {
    "honest": "def median(values):\n    import statistics\n    return float(statistics.median(values))",
    "calls_helper": "from raikit import efficiency\n\ndef median(values):\n"
                    "    return efficiency.latency_summary(values)['median']",
    "imports_helper_by_name": "from raikit.efficiency import latency_summary\n\ndef median(values):\n"
                              "    return latency_summary(values)['median']",
    "calls_it_in_the_cell": "from raikit import efficiency\nKNOWN = efficiency.latency_summary([1.0])\n\n"
                            "def median(values):\n    import statistics\n    return float(statistics.median(values))",
}


@pytest.mark.slow
def test_an_answer_calling_a_forbidden_helper_scores_zero_and_says_why(tmp_path_factory):
    course = tmp_path_factory.mktemp("forbidden_course")
    (course / "source" / NAME).mkdir(parents=True)
    nbformat.write(_assignment(), course / "source" / NAME / f"{NAME}.ipynb")
    ops.release([NAME], course, quiet=True)
    release = course / "release" / NAME / f"{NAME}.ipynb"
    inbox = tmp_path_factory.mktemp("forbidden_inbox")
    for student, answer in ANSWERS.items():
        fill_cells(release, {"q1_answer": answer}, inbox / student / release.name)
    ops.autograde(NAME, course, inbox, quiet=True)
    points = cell_points(course, NAME)
    assert points["honest"]["q1_tests"] == 2.0, "the provided cell may call the helper; an honest answer scores"
    for student in ("calls_helper", "imports_helper_by_name"):
        assert points[student]["q1_tests"] == 0.0, student
        graded = json.loads((course / "autograded" / student / NAME / f"{NAME}.ipynb").read_text(encoding="utf-8"))
        text = json.dumps(graded)
        assert "latency_summary is not allowed in this assignment" in text, student
    assert points["calls_it_in_the_cell"]["q1_tests"] == 0.0, "the answer cell itself is student code"
