"""Structural mutations of a notebook's JSON: what a corrupted, hand-edited or hostile file looks like.

Used two ways: ``tests/test_untrusted_files.py`` drives :func:`mutate` with hypothesis through the
engine's reader in-process (many examples, fast), and ``tests/test_odd_class.py`` grades a seeded
batch of mutants in one real, sandboxed ``autograde`` run next to honest canaries.
"""

from __future__ import annotations

import copy
import json
import random

ODD_VALUES = [None, 0, -1, 3.5, 1e308, True, "", "x" * 100_000, "\ud800 lone surrogate", "zoë ünïcødé \u202e",
              "../../../etc/passwd", [], ["a", 1, None], {}, {"nested": {"deep": [1, 2]}}, "\x00\x1b[31m"]
CELL_FIELDS = ["cell_type", "source", "metadata", "outputs", "execution_count", "id", "attachments"]
NBGRADER_FIELDS = ["grade_id", "solution", "grade", "locked", "points", "schema_version"]


def mutate(notebook: dict, choices: list[int]) -> dict:
    """Apply one mutation per number in ``choices`` (any integers; each picks what and how)."""
    nb = copy.deepcopy(notebook)
    for number in choices:
        rng = random.Random(number)
        cells = nb.get("cells") if isinstance(nb.get("cells"), list) else []
        kind = rng.randrange(8)
        value = rng.choice(ODD_VALUES)
        if kind == 0 and cells:  # a cell field gets an odd value
            cell = rng.choice(cells)
            if isinstance(cell, dict):
                cell[rng.choice(CELL_FIELDS)] = value
        elif kind == 1 and cells:  # an nbgrader field gets an odd value (or the whole metadata)
            cell = rng.choice(cells)
            if isinstance(cell, dict) and isinstance(cell.get("metadata"), dict):
                meta = cell["metadata"].get("nbgrader")
                if isinstance(meta, dict) and rng.random() < 0.8:
                    meta[rng.choice(NBGRADER_FIELDS)] = value
                else:
                    cell["metadata"]["nbgrader"] = value
        elif kind == 2 and cells:  # a key disappears
            cell = rng.choice(cells)
            if isinstance(cell, dict) and cell:
                cell.pop(rng.choice(sorted(cell)), None)
        elif kind == 3 and cells:  # a cell is duplicated
            cells.insert(rng.randrange(len(cells) + 1), copy.deepcopy(rng.choice(cells)))
        elif kind == 4 and len(cells) > 1:  # two cells swap
            i, j = rng.sample(range(len(cells)), 2)
            cells[i], cells[j] = cells[j], cells[i]
        elif kind == 5 and cells:  # a cell becomes something that is not a cell
            cells[rng.randrange(len(cells))] = value
        elif kind == 6:  # a top-level field gets an odd value
            nb[rng.choice(["metadata", "nbformat", "nbformat_minor", "cells"])] = value
        elif kind == 7 and cells:  # a source becomes a list of odd pieces
            cell = rng.choice(cells)
            if isinstance(cell, dict):
                cell["source"] = [rng.choice(["line\n", "\ud83d", "", "\u0000"]) for _ in range(rng.randrange(1, 5))]
    return nb


def mutant_text(notebook: dict, choices: list[int]) -> str:
    """The mutant as the bytes a student would hand in (lone surrogates escaped, as JSON allows)."""
    return json.dumps(mutate(notebook, choices), ensure_ascii=True)
