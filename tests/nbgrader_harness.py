"""Build submissions from a released notebook and read per-cell grades from the gradebook.

Fixture submissions (tests/fixtures/<assignment>.py) say which solution cells a student
filled in (by nbgrader ``grade_id``) and the points each test cell must award; this module
turns them into real notebooks that real ``nbgrader autograde`` grades.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from graders import course as ops
from graders.demo.submissions import fill_cells, load_fixtures, nbgrader_meta, solution_submission

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
MARK_SCHEME_REGION = re.compile(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===", re.S)


def cell_meta(**fields) -> dict:
    """nbgrader cell metadata for notebooks that tests build programmatically."""
    meta = {"schema_version": 3, "task": False, "locked": False, "solution": False, "grade": False}
    meta.update(fields)
    return {"nbgrader": meta}


def grade_ids(notebook, *, tests: bool) -> list[str]:
    """grade_ids of the autograded test cells (tests=True) or of the code solution cells."""
    ids = []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if tests and meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            ids.append(meta["grade_id"])
        if not tests and meta.get("solution") and cell.cell_type == "code":
            ids.append(meta["grade_id"])
    return ids


def cell_points(course: Path, assignment: str) -> dict[str, dict[str, float]]:
    """``{student: {test cell grade_id: auto points}}`` for every graded submission (graders.course)."""
    return ops.cell_points(assignment, course)


def secret_lines(source_notebook: Path, min_length: int = 12, *, hidden_tests_only: bool = False) -> set[str]:
    """Lines of solutions, hidden tests and mark schemes that must never reach a release.

    With ``hidden_tests_only``, just the hidden-test lines (what feedback must not show).
    """
    notebook = nbformat.read(source_notebook, as_version=4)
    patterns = (HIDDEN_REGION,) if hidden_tests_only else (SOLUTION_REGION, HIDDEN_REGION, MARK_SCHEME_REGION)
    secrets: set[str] = set()
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        regions = [m.group(1) for rx in patterns for m in rx.finditer(cell.source)]
        if not hidden_tests_only and cell.cell_type == "markdown" and meta.get("solution") and not regions:
            regions = [cell.source]  # a whole written model answer
        for region in regions:
            secrets.update(line.strip() for line in region.splitlines() if len(line.strip()) >= min_length)
    return secrets - _public_lines(notebook)


def _public_lines(notebook) -> set[str]:
    """Lines the source shows outside every secret region (a hidden test may repeat an import)."""
    public: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution"):
            continue
        text = cell.source
        for rx in (SOLUTION_REGION, HIDDEN_REGION, MARK_SCHEME_REGION):
            text = rx.sub("", text)
        public.update(line.strip() for line in text.splitlines())
    return public


def release_text(release_notebook: Path) -> str:
    notebook = nbformat.read(release_notebook, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells)


__all__ = ["ops", "cell_meta", "fill_cells", "solution_submission", "load_fixtures", "cell_points",
           "secret_lines", "release_text", "grade_ids"]
