"""Static checks of the lessons' figures (docs/ACCESSIBILITY.md); the executed checks are in test_lessons.py.

- Every code cell that creates a figure shows it with ``show_figure(fig, alt="...")``: a
  written sentence (a string literal, at least ``MIN_ALT_WORDS`` words), never ``plt.show()``.
- Alt texts are not repeated within a lesson (each one describes its own figure).
- The course style (Okabe-Ito palette, cividis colormap) is switched on before the first figure.
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from conftest import LESSONS

from raikit.plotting import MIN_ALT_WORDS

FIGURE_MAKERS = {"subplots", "figure", "subplot_mosaic"}


def _tree(source: str) -> ast.Module:
    """Parse a cell, ignoring IPython magics and shell lines."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    return ast.parse("\n".join(lines))


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    """Calls to ``name(...)`` or ``<anything>.name(...)``."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) == name or getattr(node.func, "id", None) == name)]


def _figure_cells(notebook) -> list[tuple[int, nbformat.NotebookNode, ast.Module]]:
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            tree = _tree(cell.source)
            if any(_calls(tree, maker) for maker in FIGURE_MAKERS) or _calls(tree, "show"):
                cells.append((index, cell, tree))
    return cells


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_figure_is_shown_with_alt_text(lesson):
    notebook = nbformat.read(lesson, as_version=4)
    figure_cells = _figure_cells(notebook)
    assert figure_cells, f"{lesson.name} has no figure"
    seen = {}
    for _, cell, tree in figure_cells:
        assert not _calls(tree, "show"), (f"{lesson.name} cell {cell.id}: plt.show() gives the figure no alt text; "
                                          "use show_figure(fig, alt=...)")
        shows = _calls(tree, "show_figure")
        assert shows, f"{lesson.name} cell {cell.id} creates a figure but never shows it with show_figure(fig, alt=...)"
        for call in shows:
            alt = next((kw.value for kw in call.keywords if kw.arg == "alt"), None)
            assert isinstance(alt, ast.Constant) and isinstance(alt.value, str), (
                f"{lesson.name} cell {cell.id}: write the alt text as a string literal, alt=\"...\"")
            assert len(alt.value.split()) >= MIN_ALT_WORDS, f"{lesson.name} cell {cell.id}: alt text too short"
            assert alt.value not in seen, f"{lesson.name}: cells {seen.get(alt.value)} and {cell.id} share alt text"
            seen[alt.value] = cell.id


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_course_style_is_on_before_the_first_figure(lesson):
    notebook = nbformat.read(lesson, as_version=4)
    first_figure = _figure_cells(notebook)[0][0]
    style_cells = [i for i, cell in enumerate(notebook.cells)
                   if cell.cell_type == "code" and _calls(_tree(cell.source), "use_course_style")]
    assert style_cells and style_cells[0] <= first_figure, (
        f"{lesson.name}: call raikit.plotting.use_course_style() in the setup cell, before the first figure")
