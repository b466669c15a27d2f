"""Group fairness metrics for binary decisions, their uncertainty, and group-specific thresholds.

Conventions (module 03): ``y_true`` is the outcome (1 = the positive class, e.g. "good
credit risk"), ``y_pred`` the decision (1 = the favourable decision, e.g. "approve"),
``groups`` the value of a protected attribute for each person. Per group:

- **selection rate**: share of the group given the favourable decision, P(D=1 | G=g);
- **TPR** (true positive rate): share of the group's positives given it, P(D=1 | Y=1, G=g);
- **FPR** (false positive rate): share of the group's negatives given it, P(D=1 | Y=0, G=g);
- **PPV** (positive predictive value): share of the selected who are positives, P(Y=1 | D=1, G=g).

A rate whose denominator is empty (a group with no positives, say) is NaN. Gaps are
``max - min`` over groups, the ``between_groups`` convention of ``fairlearn.metrics``.
Every resampling function takes an explicit ``rng`` (see ``raikit.seeding``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RATES = ("selection_rate", "tpr", "fpr")
GAP_NAMES = {"selection_rate": "demographic_parity_difference", "tpr": "equal_opportunity_difference",
             "fpr": "false_positive_rate_difference"}


def _as_arrays(y_true, y_pred, groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true).astype(int)
    y_pred = np.asarray(y_pred).astype(int)
    groups = np.asarray(groups).astype(str)
    if not (y_true.shape == y_pred.shape == groups.shape) or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(f"need three non-empty 1-D arrays of equal length, got shapes "
                         f"{y_true.shape}, {y_pred.shape}, {groups.shape}")
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if not np.isin(values, (0, 1)).all():
            raise ValueError(f"{name} must hold only 0 and 1")
    return y_true, y_pred, groups


def _ratio(numerator, denominator):
    """numerator / denominator, NaN where the denominator is 0 (works on scalars and arrays)."""
    numerator, denominator = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def group_rates(y_true, y_pred, groups) -> pd.DataFrame:
    """One row per group (as ``str``, sorted): n, base rate, selection rate, TPR, FPR, PPV, accuracy."""
    y_true, y_pred, groups = _as_arrays(y_true, y_pred, groups)
    rows = {}
    for group in sorted(set(groups.tolist())):
        t, p = y_true[groups == group], y_pred[groups == group]
        rows[group] = {
            "n": int(t.size),
            "base_rate": float(t.mean()),
            "selection_rate": float(p.mean()),
            "tpr": float(_ratio((p & t).sum(), t.sum())),
            "fpr": float(_ratio((p & (1 - t)).sum(), (1 - t).sum())),
            "ppv": float(_ratio((p & t).sum(), p.sum())),
            "accuracy": float((p == t).mean()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "group"
    return table


def gaps(table: pd.DataFrame) -> dict[str, float]:
    """Largest minus smallest group value of each rate in a :func:`group_rates` table.

    ``equalized_odds_difference`` is the larger of the TPR and FPR gaps (fairlearn's
    ``equalized_odds_difference`` with its defaults).
    """
    result = {GAP_NAMES[rate]: float(table[rate].max() - table[rate].min()) for rate in RATES}
    result["equalized_odds_difference"] = max(result["equal_opportunity_difference"],
                                              result["false_positive_rate_difference"])
    return result


def _resampled_rates(y_true, y_pred, groups, indices, rates) -> dict[str, dict[str, np.ndarray]]:
    """For each rate and group, the rate in every resample (rows of ``indices``); vectorised."""
    t, p = y_true[indices], y_pred[indices]
    out: dict[str, dict[str, np.ndarray]] = {rate: {} for rate in rates}
    for group in sorted(set(groups.tolist())):
        member = (groups[indices] == group).astype(int)
        counts = {"selection_rate": ((p * member).sum(axis=1), member.sum(axis=1)),
                  "tpr": ((p * t * member).sum(axis=1), (t * member).sum(axis=1)),
                  "fpr": ((p * (1 - t) * member).sum(axis=1), ((1 - t) * member).sum(axis=1)),
                  "ppv": ((p * t * member).sum(axis=1), (p * member).sum(axis=1)),
                  "base_rate": ((t * member).sum(axis=1), member.sum(axis=1)),
                  "accuracy": (((p == t) * member).sum(axis=1), member.sum(axis=1))}
        for rate in rates:
            out[rate][group] = _ratio(*counts[rate])
    return out


def bootstrap_rates(y_true, y_pred, groups, *, rates=RATES, reference: str | None = None, n_boot: int = 1000,
                    alpha: float = 0.05, rng: np.random.Generator) -> pd.DataFrame:
    """Percentile bootstrap intervals for each group's rates, their gap, and differences to a reference group.

    Resamples whole people (rows) with replacement, ``n_boot`` times, so group sizes vary
    between resamples as they would in another sample of the same size. ``rates`` may
    name any column of :func:`group_rates` except ``n``.

    Returns a long table with columns ``rate``, ``group``, ``estimate``, ``low``, ``high``.
    ``group`` is a group name, ``"gap"`` (max - min over groups, always >= 0, as fairlearn
    reports it) or, if ``reference`` is given, ``"<group> - <reference>"`` for each other
    group: a *signed* difference, whose interval can include 0. Prefer the signed
    difference for inference: the max - min gap is biased upwards (noise alone makes it
    positive), so its interval never includes 0. Resamples in which a rate is undefined
    (NaN) are left out of its interval.
    """
    y_true, y_pred, groups = _as_arrays(y_true, y_pred, groups)
    observed = group_rates(y_true, y_pred, groups)
    if reference is not None and str(reference) not in observed.index:
        raise ValueError(f"reference group {reference!r} is not among {list(observed.index)}")
    indices = rng.integers(0, y_true.size, size=(n_boot, y_true.size))
    resampled = _resampled_rates(y_true, y_pred, groups, indices, rates)
    rows = []

    def add(rate, group, estimate, values):
        low, high = np.nanquantile(values, [alpha / 2, 1 - alpha / 2])
        rows.append({"rate": rate, "group": group, "estimate": float(estimate), "low": float(low),
                     "high": float(high)})

    for rate in rates:
        per_group = resampled[rate]
        for group, values in per_group.items():
            add(rate, group, observed.loc[group, rate], values)
        stacked = np.vstack(list(per_group.values()))
        add(rate, "gap", observed[rate].max() - observed[rate].min(),
            stacked.max(axis=0) - stacked.min(axis=0))  # NaN where some group's rate is undefined
        if reference is not None:
            ref = str(reference)
            for group, values in per_group.items():
                if group != ref:
                    add(rate, f"{group} - {ref}", observed.loc[group, rate] - observed.loc[ref, rate],
                        values - per_group[ref])
    return pd.DataFrame(rows)


def threshold_for_tpr(scores, y_true, target_tpr: float) -> float:
    """The largest threshold ``t`` among the scores of positives such that TPR(t) >= target_tpr.

    The decision is ``score >= t``. TPR only changes at the scores of positives, so this is
    also the largest *observed* score meeting the target. Raises ``ValueError`` if there is
    no positive or the target is not in (0, 1].
    """
    scores, y_true = np.asarray(scores, dtype=float), np.asarray(y_true).astype(int)
    if not 0 < target_tpr <= 1:
        raise ValueError(f"target_tpr must be in (0, 1], got {target_tpr}")
    positives = np.sort(scores[y_true == 1])[::-1]  # highest first
    if positives.size == 0:
        raise ValueError("no positives: the TPR is undefined")
    # the k highest positive scores are selected by t = positives[k-1] (and ties below it);
    # compare fractions, not ceil(target * n), which floating-point rounding can push up by one
    at_or_above = np.searchsorted(-positives, -positives, side="right")  # positives scoring >= each one
    tpr_at = at_or_above / positives.size
    return float(positives[np.flatnonzero(tpr_at >= target_tpr)[0]])


def group_thresholds(scores, y_true, groups, target_tpr: float) -> dict[str, float]:
    """Per group (as ``str``), :func:`threshold_for_tpr` on that group's people."""
    scores, groups = np.asarray(scores, dtype=float), np.asarray(groups).astype(str)
    y_true = np.asarray(y_true).astype(int)
    return {group: threshold_for_tpr(scores[groups == group], y_true[groups == group], target_tpr)
            for group in sorted(set(groups.tolist()))}


def apply_thresholds(scores, groups, thresholds: dict[str, float]) -> np.ndarray:
    """Decisions (0/1 ints): 1 where a person's score is at least their group's threshold."""
    scores, groups = np.asarray(scores, dtype=float), np.asarray(groups).astype(str)
    missing = set(groups.tolist()) - set(thresholds)
    if missing:
        raise KeyError(f"no threshold for groups {sorted(missing)}")
    cut = np.array([thresholds[g] for g in groups], dtype=float)
    return (scores >= cut).astype(int)
