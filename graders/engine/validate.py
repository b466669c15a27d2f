"""Reading a submitted notebook and checking it against the instructor's source.

Owns everything the engine knows about notebook *files* before any code runs:

- :func:`read_submission` reads a handed-in file defensively (size cap, JSON, nbformat, schema)
  and returns a notebook, flags for the instructor, or the reason it cannot be graded;
- :func:`compare_with_source` flags grade and locked cells that are missing, duplicated,
  moved, re-typed or edited (the grader then uses the source's original);
- :func:`interface_names` and :func:`imported_modules` read the source: the names the tests
  may call, and the modules a warm template should preload;
- the cell predicates (:func:`nbgrader_meta`, :func:`is_test`, :func:`is_solution`) the
  other engine modules share.
"""

from __future__ import annotations

import ast
import json
import math
import warnings
from pathlib import Path

import nbformat
from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

from graders.engine.files import UnsafeFile, display, read_regular
from graders.engine.text import clean_text

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


def nbgrader_meta(cell) -> dict:
    """The cell's ``metadata.nbgrader`` dict (empty for a cell nbgrader does not grade)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test(cell) -> bool:
    """An autograded test cell: a graded code cell that is not an answer."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_solution(cell) -> bool:
    """An answer cell (the student writes it; the source holds the solution)."""
    return bool(nbgrader_meta(cell).get("solution"))


def cells_by_grade_id(notebook: nbformat.NotebookNode | None) -> dict[str, nbformat.NotebookNode]:
    """The cells of ``notebook`` that carry a grade_id, by grade_id (none for ``None``)."""
    cells = notebook.cells if notebook is not None else []
    return {nbgrader_meta(c)["grade_id"]: c for c in cells if nbgrader_meta(c).get("grade_id")}


def imported_modules(source: nbformat.NotebookNode) -> list[str]:
    """Absolute modules the source notebook's code cells import: what a warm template preloads."""
    names: list[str] = []
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        text = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found = [node.module]
            else:
                continue
            names += [n for n in found if n not in names]
    return names


def interface_names(source: nbformat.NotebookNode) -> list[str]:
    """Top-level names the source's solution cells define: what the tests may call or read."""
    names: list[str] = []
    for cell in source.cells:
        if cell.cell_type != "code" or not is_solution(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                targets = [node.name]
            elif isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            names += [t for t in targets if t not in names]
    return names



def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, list[str], str]:
    """``(notebook or None, flags, fatal reason)`` for a submitted file.

    The file is read only if it is a regular file within MAX_NOTEBOOK_BYTES (never through a
    link, never from a pipe). What is taken from it is each cell's type, source and nbgrader
    metadata, checked field by field and rebuilt into a fresh notebook; everything else
    (outputs, attachments, odd keys and types) is left behind, so no JSON a student can write
    makes the later steps crash. Each repair is a flag for the instructor.
    """
    flags: list[str] = []
    name = display(path.name)
    try:
        data = read_regular(path, MAX_NOTEBOOK_BYTES)
    except UnsafeFile as exc:
        return None, flags, str(exc)
    except OSError as exc:
        return None, flags, f"cannot read {name}: {exc.strerror or exc}"
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None, flags, f"{name} is not valid JSON ({exc.__class__.__name__}: {clean_text(exc, 120)})"
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return None, flags, f"{name} is JSON but not a notebook (no cells)"
    major = raw.get("nbformat")
    if major != 4:
        flags.append(f"notebook format version {clean_text(repr(major), 40)}, expected 4")
    if "cells" not in raw:  # an nbformat 3 notebook: nbformat converts it
        try:
            raw = json.loads(nbformat.writes(nbformat.reads(json.dumps(raw), as_version=4)))
        except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for malformed files
            return None, flags, f"{name} cannot be read as a notebook ({type(exc).__name__}: {clean_text(exc, 120)})"
    try:
        with warnings.catch_warnings():  # missing or repeated cell ids are not worth a flag: cells get new ids below
            warnings.simplefilter("ignore", MissingIDFieldWarning)
            warnings.simplefilter("ignore", DuplicateCellId)
            nbformat.validate(raw)
    except nbformat.ValidationError as exc:
        flags.append("notebook does not validate against the nbformat schema "
                     f"({clean_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 120)})")
    except Exception as exc:  # noqa: BLE001 - the validator itself can fail on odd types
        flags.append(f"notebook could not be validated ({type(exc).__name__})")
    if not isinstance(raw.get("cells"), list):
        return None, flags, f"{name}: its 'cells' field is not a list"
    notebook, repairs = rebuild_cells(raw["cells"])
    flags += repairs[:10] + ([f"... and {len(repairs) - 10} more repaired cells"] if len(repairs) > 10 else [])
    return notebook, flags, ""


_NEW_CELL = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
             "raw": nbformat.v4.new_raw_cell}
_NBGRADER_FLAGS = ("grade", "solution", "locked")


def rebuild_cells(cells: list) -> tuple[nbformat.NotebookNode, list[str]]:
    """A fresh notebook with each cell's type, source and checked nbgrader metadata; and repairs."""
    notebook = nbformat.v4.new_notebook()
    repairs: list[str] = []
    for i, cell in enumerate(cells):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        if not isinstance(kind, str) or kind not in _NEW_CELL:
            repairs.append(f"cell {i} is not a notebook cell (no valid cell_type); ignored")
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        elif not isinstance(source, str):
            repairs.append(f"cell {i} has a source of type {type(source).__name__}; read as empty")
            source = ""
        new = _NEW_CELL[kind](clean_text(source))
        metadata = cell.get("metadata")
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        if meta is not None:
            kept, problems = _checked_nbgrader_meta(meta)
            repairs += [f"cell {i}: {problem}" for problem in problems]
            if kept:
                new.metadata["nbgrader"] = kept
        notebook.cells.append(new)
    return notebook, repairs


def _checked_nbgrader_meta(meta) -> tuple[dict, list[str]]:
    """The nbgrader metadata fields the engine reads, each of the type nbgrader writes."""
    if not isinstance(meta, dict):
        return {}, [f"nbgrader metadata is a {type(meta).__name__}, not a mapping; ignored"]
    kept: dict = {}
    problems = []
    grade_id = meta.get("grade_id")
    if isinstance(grade_id, str) and grade_id.strip():
        kept["grade_id"] = clean_text(grade_id, 200)
    elif "grade_id" in meta:
        problems.append(f"grade_id is {clean_text(repr(grade_id), 60)}, not a name; ignored")
    for key in _NBGRADER_FLAGS:
        if key in meta:
            if type(meta[key]) is bool:
                kept[key] = meta[key]
            else:
                problems.append(f"nbgrader {key!r} is {clean_text(repr(meta[key]), 60)}, not true/false; ignored")
    points = meta.get("points")
    if type(points) in (int, float) and math.isfinite(points):
        kept["points"] = points
    for key in ("schema_version", "task"):
        if key in meta and type(meta[key]) in (int, bool):
            kept[key] = meta[key]
    return kept, problems


def compare_with_source(submission: nbformat.NotebookNode, source: nbformat.NotebookNode,
                        release: nbformat.NotebookNode | None = None) -> list[str]:
    """Flags for grade/locked cells that are missing, duplicated, moved, re-typed or edited."""
    flags = []
    released = cells_by_grade_id(release)
    source_cells = cells_by_grade_id(source)
    seen: dict[str, list] = {}
    for cell in submission.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id:
            seen.setdefault(grade_id, []).append(cell)
    for grade_id, original in source_cells.items():
        found = seen.get(grade_id, [])
        if not found:
            flags.append(f"cell {grade_id} is missing")
            continue
        if len(found) > 1:
            flags.append(f"cell {grade_id} appears {len(found)} times")
        cell = found[0]
        if cell.cell_type != original.cell_type:
            flags.append(f"cell {grade_id} changed type from {original.cell_type} to {cell.cell_type}")
        if nbgrader_meta(original).get("locked") and not is_test(original) and cell.source != original.source:
            flags.append(f"locked cell {grade_id} was edited (the original is used)")
        if is_test(original) and not is_test(cell):
            flags.append(f"test cell {grade_id} lost its grading metadata (the original is used)")
        elif is_test(original) and grade_id in released and cell.source != released[grade_id].source:
            flags.append(f"test cell {grade_id} was edited (the original is used)")
    unknown = [g for g in seen if g not in source_cells]
    if unknown:
        flags.append(f"unknown grade cells {unknown[:5]}")
    order = [g for g in (nbgrader_meta(c).get("grade_id") for c in submission.cells) if g in source_cells]
    expected = [g for g in source_cells if g in order]
    if list(dict.fromkeys(order)) != expected:
        flags.append("grade cells were moved out of their original order")
    return flags

