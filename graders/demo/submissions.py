"""Build student submissions from a released notebook (tests, benchmarks and the demo class).

A submission is the *released* notebook with some solution cells (found by nbgrader
``grade_id``) replaced by a student's answer. Known answers live in
``tests/fixtures/<assignment>.py`` (``SUBMISSIONS = {kind: {"cells": {...}, "expected": {...}}}``);
the instructor's own answers are the solution cells of the source notebook.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata (empty for cells nbgrader does not track)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def fill_cells(release_notebook: Path, answers: dict[str, str], out: Path) -> None:
    """Write a copy of ``release_notebook`` whose listed solution cells (code or written) hold ``answers``."""
    notebook = nbformat.read(release_notebook, as_version=4)
    answer_cells = {nbgrader_meta(c)["grade_id"] for c in notebook.cells if nbgrader_meta(c).get("solution")}
    unknown = set(answers) - answer_cells
    if unknown:
        raise KeyError(f"fixture names cells that are not solution cells: {sorted(unknown)}")
    for cell in notebook.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, out)


def solution_answers(source_notebook: Path) -> dict[str, str]:
    """``{grade_id: source}`` of every solution cell (code and written) of the instructor's notebook."""
    source = nbformat.read(source_notebook, as_version=4)
    return {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if nbgrader_meta(c).get("solution")}


def solution_submission(source_notebook: Path, release_notebook: Path, out: Path) -> None:
    """What a student who answers exactly like the instructor hands in: the release with every
    solution cell (code and written) replaced by the source's version."""
    fill_cells(release_notebook, solution_answers(source_notebook), out)


def load_fixtures(assignment: str, fixtures_dir: Path) -> dict:
    """The ``SUBMISSIONS`` table of ``fixtures_dir/<assignment>.py`` (known student answers)."""
    path = fixtures_dir / f"{assignment}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no fixtures for {assignment}: {path} does not exist")
    spec = importlib.util.spec_from_file_location(f"fixtures_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    helpers = str(fixtures_dir.resolve().parent)  # fixtures share helpers that live next to them (tests/)
    added = helpers not in sys.path
    if added:
        sys.path.insert(0, helpers)
    try:
        spec.loader.exec_module(module)
    finally:
        if added:
            sys.path.remove(helpers)
    return module.SUBMISSIONS
