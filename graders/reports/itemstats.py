"""Item analysis for a graded class: difficulty, discrimination, and which items to review.

Pure functions over a score matrix (rows = students, columns = items = nbgrader grade cells),
so they are easy to check by hand. ``NaN`` in the matrix means "no score": the student
handed nothing in, or the answer awaits manual grading. Statistics that a class cannot
support (one student, every score equal) are ``NaN`` too, never an exception: the report
prints them as "undefined" with the reason.

- **Difficulty** (the classical item p-value): the mean fraction of the item's points that
  students earned. 1.0 = everyone got full marks (an easy item), 0.0 = nobody scored.
- **Discrimination**: the *corrected item-total correlation*, Pearson's r between a
  student's points on the item and their total on all *other* items (so the item is not
  correlated with itself). Near 0 or negative: the item does not separate students who
  do well on the rest from those who do not. Also the upper-lower index D: mean fraction
  of points in the top 27% of the class (by total on the other items) minus that in the
  bottom 27%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

MIN_STUDENTS_FOR_CORRELATION = 3  # with two students r is always +1 or -1: not evidence of anything
LOW_DISCRIMINATION = 0.2
TOO_EASY = 0.95
TOO_HARD = 0.2


def difficulty(points: np.ndarray, max_points: float) -> float:
    """Mean fraction of ``max_points`` earned over the scored students (NaN entries are left out).

    NaN when no student has a score or the item is worth nothing.
    """
    values = np.asarray(points, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0 or not max_points > 0:
        return math.nan
    return float(values.mean() / max_points)


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r of two equal-length vectors; NaN if either is constant or shorter than 2."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"pearson needs vectors of equal length (got {x.shape} and {y.shape})")
    if x.size < 2:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    if denominator == 0.0:
        return math.nan
    return float((dx * dy).sum() / denominator)


def rest_totals(matrix: np.ndarray) -> np.ndarray:
    """Each student's total over all items, counting a missing score as 0 (as the gradebook does)."""
    return np.nansum(np.asarray(matrix, dtype=float), axis=1)


def corrected_item_total(matrix: np.ndarray, item: int) -> float:
    """Corrected item-total correlation of column ``item``: r(item, total of the other items).

    Only students with a score on the item count. NaN with fewer than
    ``MIN_STUDENTS_FOR_CORRELATION`` of them, or when the item or the rest is constant.
    """
    matrix = np.asarray(matrix, dtype=float)
    column = matrix[:, item]
    scored = ~np.isnan(column)
    if scored.sum() < MIN_STUDENTS_FOR_CORRELATION:
        return math.nan
    rest = rest_totals(np.delete(matrix, item, axis=1))
    return pearson(column[scored], rest[scored])


def upper_lower_index(matrix: np.ndarray, item: int, max_points: float, fraction: float = 0.27) -> float:
    """Kelley's upper-lower discrimination index D for column ``item``.

    Students with a score on the item are ranked by their total on the *other* items (like the
    corrected correlation: with few items, ranking by a total that includes the item inflates
    D); D is the mean fraction of the item's points in the top ``fraction`` minus that in the
    bottom ``fraction`` (each group at least one student, groups never overlap; ties keep
    roster order). NaN with fewer than two such students.
    """
    matrix = np.asarray(matrix, dtype=float)
    column = matrix[:, item]
    scored = ~np.isnan(column)
    n = int(scored.sum())
    if n < 2 or not max_points > 0:
        return math.nan
    size = min(max(1, int(round(fraction * n))), n // 2)
    order = np.argsort(rest_totals(np.delete(matrix, item, axis=1))[scored], kind="stable")
    values = column[scored][order] / max_points
    return float(values[-size:].mean() - values[:size].mean())


@dataclass
class ItemStats:
    """One item (grade cell) of the class, with its statistics and why it may need review."""

    name: str
    max_points: float
    written: bool  # graded by a person (nbgrader "manually graded answer")
    scored: int  # students with a score on it
    mean: float
    difficulty: float
    discrimination: float
    upper_lower: float
    zeros: int
    pending: int  # answers awaiting manual grading
    review: list[str] = field(default_factory=list)


def review_reasons(difficulty_p: float, discrimination_r: float, scored: int, pending: int) -> list[str]:
    """Why an item deserves a second look (empty list = nothing to report)."""
    if pending:  # not the item's fault: its statistics wait for the grading (the report says so)
        return []
    if scored == 0:
        return ["no student has a score on this item"]
    reasons = []
    if difficulty_p > TOO_EASY:
        reasons.append(f"very easy: students earned {difficulty_p:.0%} of its points (above {TOO_EASY:.0%})")
    elif difficulty_p < TOO_HARD:
        reasons.append(f"very hard: students earned {difficulty_p:.0%} of its points (below {TOO_HARD:.0%}); "
                       "check the tests and the instructions")
    if math.isnan(discrimination_r):
        if scored < MIN_STUDENTS_FOR_CORRELATION:
            reasons.append(f"discrimination undefined: fewer than {MIN_STUDENTS_FOR_CORRELATION} students scored")
        else:
            reasons.append("discrimination undefined: every student got the same score here (or on the rest)")
    elif discrimination_r < 0:
        reasons.append(f"negative discrimination (r = {discrimination_r:.2f}): students who do worse on the rest "
                       "do better here; check the tests and the answer key")
    elif discrimination_r < LOW_DISCRIMINATION:
        reasons.append(f"low discrimination (r = {discrimination_r:.2f} < {LOW_DISCRIMINATION}): it barely "
                       "separates strong from weak students")
    return reasons


def item_statistics(matrix: np.ndarray, names: list[str], max_points: list[float], *,
                    written: list[bool] | None = None, pending: np.ndarray | None = None) -> list[ItemStats]:
    """Statistics for every column of ``matrix`` (students x items; NaN = no score).

    ``pending`` (same shape, bool) marks answers awaiting manual grading; an item with any is
    reported as provisional: difficulty and discrimination NaN until it is graded, since the
    scores it has (unanswered cells, auto-zeroed) are not a fair sample.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[1] != len(names) or len(names) != len(max_points):
        raise ValueError(f"score matrix of shape {matrix.shape} does not match {len(names)} item names "
                         f"and {len(max_points)} maxima")
    pending = np.zeros(matrix.shape, dtype=bool) if pending is None else np.asarray(pending, dtype=bool)
    written = written or [False] * len(names)
    rows = []
    for j, name in enumerate(names):
        column = matrix[:, j]
        scored = column[~np.isnan(column)]
        waiting = int(pending[:, j].sum())
        p = difficulty(column, max_points[j]) if not waiting else math.nan
        r = corrected_item_total(matrix, j) if not waiting else math.nan
        d = upper_lower_index(matrix, j, max_points[j]) if not waiting else math.nan
        rows.append(ItemStats(name, float(max_points[j]), bool(written[j]), int(scored.size),
                              float(scored.mean()) if scored.size and not waiting else math.nan, p, r, d,
                              int((scored == 0).sum()), waiting, review_reasons(p, r, int(scored.size), waiting)))
    return rows
