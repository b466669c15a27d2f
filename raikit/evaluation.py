"""Evaluation helpers: metrics with uncertainty, paired comparison, near-duplicate search.

Used by the lessons (module 01 onward) and, as reference implementations, by unit tests.
All resampling takes an explicit ``rng`` (see ``raikit.seeding``) so results repeat.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Metric = Callable[[np.ndarray, np.ndarray], float]


def accuracy(y_true, y_pred) -> float:
    """Share of predictions equal to the labels."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(f"need two non-empty arrays of equal shape, got {y_true.shape} and {y_pred.shape}")
    return float(np.mean(y_true == y_pred))


def bootstrap_ci(y_true, y_pred, metric: Metric = accuracy, *, n_boot: int = 2000,
                 alpha: float = 0.05, rng: np.random.Generator) -> tuple[float, float, float]:
    """Percentile bootstrap: ``(point estimate, lower, upper)`` of ``metric`` at level 1-alpha.

    Resamples test items with replacement ``n_boot`` times. The interval describes how much
    the score would move on another test set drawn the same way; not model randomness.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    n = len(y_true)
    indices = rng.integers(0, n, size=(n_boot, n))
    scores = np.array([metric(y_true[i], y_pred[i]) for i in indices])
    low, high = np.quantile(scores, [alpha / 2, 1 - alpha / 2])
    return metric(y_true, y_pred), float(low), float(high)


def paired_bootstrap(y_true, pred_a, pred_b, metric: Metric = accuracy, *, n_boot: int = 2000,
                     alpha: float = 0.05, rng: np.random.Generator) -> dict[str, float]:
    """Compare two models on the *same* items: the difference ``metric(b) - metric(a)``.

    Resampling the same indices for both models keeps the pairing, so the interval is
    much narrower than comparing two separate intervals. ``p_not_better`` is the share of
    resamples in which B is not better than A (a one-sided bootstrap p-value).
    """
    y_true, pred_a, pred_b = map(np.asarray, (y_true, pred_a, pred_b))
    n = len(y_true)
    indices = rng.integers(0, n, size=(n_boot, n))
    deltas = np.array([metric(y_true[i], pred_b[i]) - metric(y_true[i], pred_a[i]) for i in indices])
    low, high = np.quantile(deltas, [alpha / 2, 1 - alpha / 2])
    return {
        "delta": metric(y_true, pred_b) - metric(y_true, pred_a),
        "low": float(low),
        "high": float(high),
        "p_not_better": float(np.mean(deltas <= 0)),
    }


def cosine_similarity_matrix(a, b) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (shape ``len(a) x len(b)``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a = a / np.clip(np.linalg.norm(a, axis=1, keepdims=True), 1e-12, None)
    b = b / np.clip(np.linalg.norm(b, axis=1, keepdims=True), 1e-12, None)
    return a @ b.T


def nearest_neighbours(queries, corpus) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the index of its most similar corpus row and that similarity."""
    sims = cosine_similarity_matrix(queries, corpus)
    best = sims.argmax(axis=1)
    return best, sims[np.arange(len(best)), best]
