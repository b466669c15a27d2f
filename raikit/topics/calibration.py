"""Calibration: does a model's stated confidence match how often it is right?

Binary case throughout: ``probs`` is the predicted probability of the positive class.
"""

from __future__ import annotations

import numpy as np


def reliability_bins(probs, labels, n_bins: int = 10) -> dict[str, np.ndarray]:
    """Equal-width bins over [0, 1]: per bin, mean predicted probability, observed positive rate, count.

    Empty bins have count 0 and NaN means. The last bin includes 1.0.
    """
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels, dtype=float)
    if probs.shape != labels.shape:
        raise ValueError(f"probs and labels differ in shape: {probs.shape} vs {labels.shape}")
    if np.any((probs < 0) | (probs > 1)):
        raise ValueError("probs must lie in [0, 1]")
    which = np.minimum((probs * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        confidence = np.bincount(which, weights=probs, minlength=n_bins) / counts
        frequency = np.bincount(which, weights=labels, minlength=n_bins) / counts
    return {"edges": np.linspace(0, 1, n_bins + 1), "confidence": confidence,
            "frequency": frequency, "count": counts}


def expected_calibration_error(probs, labels, n_bins: int = 10) -> float:
    """ECE: count-weighted mean of |observed positive rate - mean predicted probability| over bins."""
    bins = reliability_bins(probs, labels, n_bins)
    filled = bins["count"] > 0
    gaps = np.abs(bins["frequency"][filled] - bins["confidence"][filled])
    return float(np.sum(gaps * bins["count"][filled]) / bins["count"].sum())


def sigmoid(z):
    """Logistic function, stable for large |z| (no overflow warning, which nbgrader would count as a failure)."""
    from scipy.special import expit

    return expit(np.asarray(z, dtype=float))


def fit_temperature(logits, labels) -> float:
    """Temperature T > 0 minimising the log loss of ``sigmoid(logits / T)`` on held-out data.

    Temperature scaling (Guo et al. 2017) changes confidence, never the ranking or the
    predicted class at threshold 0.5.
    """
    from scipy.optimize import minimize_scalar

    logits, labels = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)

    def nll(log_t: float) -> float:
        p = np.clip(sigmoid(logits / np.exp(log_t)), 1e-12, 1 - 1e-12)
        return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))

    result = minimize_scalar(nll, bounds=(-5, 5), method="bounded")
    return float(np.exp(result.x))


def reliability_diagram(ax, probs, labels, n_bins: int = 10, label: str = "model", color=None):
    """Draw observed frequency against mean confidence per bin, with the diagonal of perfect calibration."""
    bins = reliability_bins(probs, labels, n_bins)
    filled = bins["count"] > 0
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ece = expected_calibration_error(probs, labels, n_bins)
    ax.plot(bins["confidence"][filled], bins["frequency"][filled], marker="o", color=color,
            label=f"{label} (ECE {ece:.3f})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted probability in bin")
    ax.set_ylabel("observed share of positives in bin")
    ax.legend(loc="upper left")
    return ax
