"""Notebooks are source code: no outputs committed, standard kernel, valid nbgrader metadata."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import LESSONS, SOURCES

NOTEBOOKS = LESSONS + SOURCES
FORBIDDEN = [
    (re.compile(r"^\s*[!%]\s*pip\b", re.M), "installs packages from a cell"),
    (re.compile(r"filterwarnings\(\s*['\"]ignore['\"]\s*\)"), "hides all warnings"),
    (re.compile(r"['\"]/(home|root|Users|tmp|work)/"), "uses an absolute path"),
]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_clean_source(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    ids = [cell.get("id") for cell in notebook.cells]
    assert all(ids) and len(set(ids)) == len(ids), "every cell needs a unique id"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: committed outputs in cell {cell.id}; clear them"
            assert cell.execution_count is None, f"{path.name}: execution count in cell {cell.id}"
            for pattern, why in FORBIDDEN:
                assert not pattern.search(cell.source), f"{path.name} cell {cell.id} {why}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_states_objectives_and_focus_area(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert "objective" in first.source.lower(), "the first cell lists the learning objectives"
    assert "alliance" in first.source.lower(), "the first cell names the AI Alliance focus area"


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_nbgrader_grade_ids_are_unique_and_points_positive(path):
    notebook = nbformat.read(path, as_version=4)
    metas = [c.metadata["nbgrader"] for c in notebook.cells if "nbgrader" in c.metadata]
    grade_ids = [m["grade_id"] for m in metas]
    assert len(set(grade_ids)) == len(grade_ids), "duplicate nbgrader grade_id"
    for meta in metas:
        if meta.get("grade"):
            assert meta.get("points", 0) > 0, f"graded cell {meta['grade_id']} has no points"
    assert path.stem == path.parent.name, "the notebook is named after its assignment folder"


def _ends_with_a_value(code: str) -> str | None:
    """The cell's last statement if it is an expression other than print(...), else None."""
    import ast

    body = ast.parse(code).body
    last = body[-1] if body else None
    if isinstance(last, ast.Expr) and not (isinstance(last.value, ast.Call)
                                           and getattr(last.value.func, "id", None) == "print"):
        return ast.unparse(last)[:80]
    return None


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_no_test_cell_ends_with_a_value(path):
    """nbgrader reads the value of a test cell's last expression as partial credit: a check that
    returns 4.25 in a 3-point cell crashes Validate ("partial credit cannot be greater than maximum
    points"), and a value in between becomes points. Test cells must end with a statement
    (e.g. a print). Checked for the source and for the release (hidden tests removed)."""
    problems = []
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            released = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", cell.source, flags=re.S)
            for version, code in (("source", cell.source), ("release", released)):
                if (last := _ends_with_a_value(code)) is not None:
                    problems.append(f"{meta['grade_id']} ({version}) ends with `{last}`")
    assert not problems, "end these test cells with a statement, e.g. print('... passed.'): " + "; ".join(problems)
