"""raikit.fairness, checked against fairlearn and against brute-force reference implementations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    equal_opportunity_difference,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)

from raikit import fairness


def _random_decisions(seed: int, n: int = 600, groups=("a", "b", "c")):
    rng = np.random.default_rng(seed)
    g = rng.choice(groups, size=n, p=np.linspace(1, 2, len(groups)) / np.linspace(1, 2, len(groups)).sum())
    y = (rng.random(n) < np.where(g == groups[0], 0.6, 0.75)).astype(int)
    d = (rng.random(n) < 0.3 + 0.5 * y).astype(int)
    return y, d, g


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_group_rates_match_fairlearn_metricframe(seed):
    y, d, g = _random_decisions(seed)
    table = fairness.group_rates(y, d, g)
    frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate,
                                 "fpr": false_positive_rate}, y_true=y, y_pred=d, sensitive_features=g)
    for rate in ("selection_rate", "tpr", "fpr"):
        np.testing.assert_allclose(table[rate].to_numpy(), frame.by_group[rate].loc[table.index].to_numpy())
    assert table["n"].sum() == len(y)
    ppv = [d[(g == k) & (d == 1)].astype(bool) & y[(g == k) & (d == 1)].astype(bool) for k in table.index]
    np.testing.assert_allclose(table["ppv"].to_numpy(), [p.mean() for p in ppv])


def test_gaps_match_fairlearn_difference_functions():
    y, d, g = _random_decisions(3)
    result = fairness.gaps(fairness.group_rates(y, d, g))
    assert math.isclose(result["demographic_parity_difference"],
                        demographic_parity_difference(y, d, sensitive_features=g))
    assert math.isclose(result["equal_opportunity_difference"],
                        equal_opportunity_difference(y, d, sensitive_features=g))
    assert math.isclose(result["equalized_odds_difference"], equalized_odds_difference(y, d, sensitive_features=g))


def test_undefined_rates_are_nan_and_bad_inputs_are_refused():
    table = fairness.group_rates([0, 0, 1, 1], [1, 0, 1, 0], ["x", "x", "y", "y"])
    assert math.isnan(table.loc["x", "tpr"]) and math.isnan(table.loc["y", "fpr"])
    assert table.loc["x", "fpr"] == 0.5 and table.loc["y", "tpr"] == 0.5
    with pytest.raises(ValueError):
        fairness.group_rates([0, 2], [0, 1], ["x", "y"])
    with pytest.raises(ValueError):
        fairness.group_rates([0, 1], [0, 1, 1], ["x", "y", "y"])


def test_bootstrap_rates_intervals_and_signed_differences():
    y, d, g = _random_decisions(4, n=2000, groups=("a", "b"))
    table = fairness.bootstrap_rates(y, d, g, rates=("selection_rate", "tpr", "fpr", "ppv"), reference="b",
                                     n_boot=400, rng=np.random.default_rng(0))
    observed = fairness.group_rates(y, d, g)
    for _, row in table.iterrows():
        assert row["low"] <= row["high"]
        if row["group"] in ("a", "b"):
            assert math.isclose(row["estimate"], observed.loc[row["group"], row["rate"]])
            assert row["low"] <= row["estimate"] <= row["high"]
            # about 2 binomial standard errors on each side
            n = {"selection_rate": (g == row["group"]).sum(), "tpr": ((g == row["group"]) & (y == 1)).sum(),
                 "fpr": ((g == row["group"]) & (y == 0)).sum(),
                 "ppv": ((g == row["group"]) & (d == 1)).sum()}[row["rate"]]
            se = math.sqrt(row["estimate"] * (1 - row["estimate"]) / n)
            assert 2.8 * se < row["high"] - row["low"] < 5.0 * se
    diff = table[(table["rate"] == "tpr") & (table["group"] == "a - b")].iloc[0]
    assert math.isclose(diff["estimate"], observed.loc["a", "tpr"] - observed.loc["b", "tpr"])
    gap = table[(table["rate"] == "tpr") & (table["group"] == "gap")].iloc[0]
    assert math.isclose(gap["estimate"], abs(diff["estimate"])) and gap["low"] >= 0
    again = fairness.bootstrap_rates(y, d, g, reference="b", n_boot=400, rng=np.random.default_rng(0))
    assert again[["low", "high"]].equals(table[table["rate"] != "ppv"][["low", "high"]].reset_index(drop=True))
    with pytest.raises(ValueError):
        fairness.bootstrap_rates(y, d, g, reference="z", n_boot=10, rng=np.random.default_rng(0))


def _reference_threshold(scores, y, target):
    """Brute force: the largest observed score whose TPR (as a fraction) reaches the target."""
    candidates = sorted(set(scores.tolist()), reverse=True)
    for t in candidates:
        if np.sum((scores >= t) & (y == 1)) / np.sum(y == 1) >= target:
            return t
    raise AssertionError("unreachable")


@pytest.mark.parametrize("seed", range(5))
def test_threshold_for_tpr_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random(300), 2)  # many ties
    y = (rng.random(300) < scores).astype(int)
    for target in (0.1, 0.5, 0.7, 0.9, 1.0):
        assert fairness.threshold_for_tpr(scores, y, target) == _reference_threshold(scores, y, target)


def test_threshold_for_tpr_has_no_floating_point_off_by_one():
    scores = np.arange(25, 0, -1) / 25  # 25 positives: 1.0, 0.96, ..., 0.04
    assert math.ceil(0.56 * 25) == 15  # the trap: 0.56 * 25 = 14.000000000000002, but 14 / 25 == 0.56
    assert fairness.threshold_for_tpr(scores, np.ones(25, dtype=int), 0.56) == pytest.approx(12 / 25)
    with pytest.raises(ValueError):
        fairness.threshold_for_tpr([0.2, 0.4], [0, 0], 0.5)
    with pytest.raises(ValueError):
        fairness.threshold_for_tpr([0.2, 0.4], [1, 1], 0.0)


def test_group_thresholds_equalise_tpr_and_apply_thresholds():
    rng = np.random.default_rng(7)
    g = rng.choice(["x", "y"], size=1000)
    y = (rng.random(1000) < 0.7).astype(int)
    scores = np.clip(rng.normal(0.5 + 0.2 * y - 0.1 * (g == "y"), 0.2), 0, 1)
    thresholds = fairness.group_thresholds(scores, y, g, 0.8)
    assert set(thresholds) == {"x", "y"} and thresholds["y"] < thresholds["x"]
    decisions = fairness.apply_thresholds(scores, g, thresholds)
    assert decisions.dtype.kind == "i" and set(np.unique(decisions)) <= {0, 1}
    tpr = fairness.group_rates(y, decisions, g)["tpr"]
    assert (tpr >= 0.8).all() and (tpr < 0.81).all()
    with pytest.raises(KeyError):
        fairness.apply_thresholds(scores, g, {"x": 0.5})
