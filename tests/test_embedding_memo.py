"""The embedding memo (graders/engine/memo.py) makes grading faster and changes nothing else.

One small class of an embedding assignment is graded twice, with and without the memo: the
points, outcomes and the exact bytes of every vector a student's function returned (their
SHA-256, printed by the test cell) must be identical, and the memo must really have been
used (the students' processes could see it) in the first run and not in the second.
Needs warm starts (root and bubblewrap), as in CI.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader_harness import cell_meta, cell_points, fill_cells, ops

from graders.engine import sandbox
from graders.engine.sandbox import Limits

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sandbox.warm_starts_possible(), reason="the memo needs warm starts (root)")]

NAME = "memo_check"
LIMITS = Limits(cell_timeout=60, notebook_timeout=120, memory_mb=3072, max_processes=64)
SEEN = "print('memo batches seen by the student:', len(models._BATCH_MEMO))"
CLASS = {
    "same": "def vectors(texts):\n    return models.embed(list(texts))\n" + SEEN,  # the solution's batches
    "one_by_one": "import numpy as np\ndef vectors(texts):\n    return np.vstack([models.embed([t]) for t in texts])",
    "wrong": "import numpy as np\ndef vectors(texts):\n    return np.zeros((len(texts), 384), dtype=np.float32)",
}


def _assignment() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        new_code_cell("import hashlib\nimport numpy as np\nfrom raikit import models\n"
                      "TEXTS = [f'Review {i}: the product works as described.' for i in range(70)]"),
        new_code_cell("def vectors(texts):\n    ### BEGIN SOLUTION\n    return models.embed(list(texts))\n"
                      "    ### END SOLUTION", metadata=cell_meta(solution=True, grade_id="q1_answer")),
        new_code_cell("from raikit.checks import check_array\nresult = np.asarray(vectors(TEXTS), dtype=np.float32)\n"
                      "print('sha256', hashlib.sha256(result.tobytes()).hexdigest())\n"
                      "check_array(result, models.embed(TEXTS), 'vectors(TEXTS)', atol=1e-5)",
                      metadata=cell_meta(grade=True, locked=True, points=2, grade_id="q1_tests")),
    ]
    return notebook


def _grade(root, memo: bool) -> tuple[dict, dict, dict, str]:
    course = root / "course"
    (course / "source" / NAME).mkdir(parents=True)
    nbformat.write(_assignment(), course / "source" / NAME / f"{NAME}.ipynb")
    ops.release([NAME], course, quiet=True)
    release = course / "release" / NAME / f"{NAME}.ipynb"
    for student, answer in CLASS.items():
        fill_cells(release, {"q1_answer": answer}, root / "inbox" / student / release.name)
    result = ops.autograde(NAME, course, root / "inbox", limits=LIMITS, quiet=True, workers=1, memo=memo)
    printed = {}
    for student in CLASS:
        graded = nbformat.read(course / "autograded" / student / NAME / f"{NAME}.ipynb", as_version=4)
        text = "".join(out.get("text", "") for cell in graded.cells if cell.cell_type == "code"
                       for out in cell.get("outputs", []))
        printed[student] = text
    outcomes = {o.student: (o.status, o.score, {k: v["passed"] for k, v in o.tests.items()})
                for o in result.outcomes}
    log = (course / "grading" / NAME / "warm-template.log")
    return cell_points(course, NAME), outcomes, printed, log.read_text() if log.is_file() else ""


def test_the_memo_changes_no_grade_and_no_bit_of_any_vector(tmp_path):
    points, outcomes, printed, log = _grade(tmp_path / "with", memo=True)
    points_without, outcomes_without, printed_without, _ = _grade(tmp_path / "without", memo=False)

    assert points == points_without and outcomes == outcomes_without
    assert points == {"same": {"q1_tests": 2.0}, "one_by_one": {"q1_tests": 2.0}, "wrong": {"q1_tests": 0.0}}
    for student in ("same", "one_by_one"):  # a failing test cell's printout is replaced by its error
        hashes = re.findall(r"sha256 ([0-9a-f]{64})", printed[student])
        assert hashes and hashes == re.findall(r"sha256 ([0-9a-f]{64})", printed_without[student]), student
    assert "embedding memo: 2 batches" in log  # 70 texts: batches of 64 and 6
    assert "memo batches seen by the student: 2" in printed["same"]
    assert "memo batches seen by the student: 0" in printed_without["same"]
