"""raikit.bias: WEAT associations, effect sizes and permutation tests, checked against plain oracles."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from raikit import bias, data


def _cos(u, v):
    return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


def _sets(seed, n_x=5, n_y=5, n_a=4, n_b=6, dim=7, shift=0.0):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n_a, dim)) * 3, rng.normal(size=(n_b, dim)) * 0.5  # not unit length on purpose
    X = rng.normal(size=(n_x, dim)) + shift * A.mean(axis=0)
    Y = rng.normal(size=(n_y, dim)) + shift * B.mean(axis=0)
    return X, Y, A, B


def test_associations_match_a_loop_over_cosines():
    X, _, A, B = _sets(0)
    expected = [np.mean([_cos(w, a) for a in A]) - np.mean([_cos(w, b) for b in B]) for w in X]
    np.testing.assert_allclose(bias.associations(X, A, B), expected, atol=1e-12)
    np.testing.assert_allclose(bias.associations(X[0], A, B), expected[:1], atol=1e-12)


def test_effect_size_matches_caliskan_formula_with_sample_std():
    X, Y, A, B = _sets(1)
    s = [np.mean([_cos(w, a) for a in A]) - np.mean([_cos(w, b) for b in B]) for w in np.vstack([X, Y])]
    sx, sy = s[:5], s[5:]
    mean_all = sum(s) / len(s)
    sample_sd = math.sqrt(sum((v - mean_all) ** 2 for v in s) / (len(s) - 1))
    assert bias.effect_size(X, Y, A, B) == pytest.approx((np.mean(sx) - np.mean(sy)) / sample_sd, abs=1e-12)
    assert bias.effect_size(X, Y, A, B, ddof=0) == pytest.approx(
        bias.effect_size(X, Y, A, B) * math.sqrt(len(s) / (len(s) - 1)), abs=1e-12)


def test_effect_size_symmetries():
    X, Y, A, B = _sets(2, shift=1.0)
    d = bias.effect_size(X, Y, A, B)
    assert d > 0
    assert bias.effect_size(Y, X, A, B) == pytest.approx(-d)
    assert bias.effect_size(X, Y, B, A) == pytest.approx(-d)
    assert bias.effect_size(3 * X, 0.5 * Y, 2 * A, B) == pytest.approx(d)  # cosines ignore length
    assert abs(d) < 2  # equal-size sets: |d| <= 2*sqrt((n-1)/n) < 2, n = |X|+|Y| (each set constant)


def test_exact_permutation_p_value_matches_brute_force():
    X, Y, A, B = _sets(3, n_x=4, n_y=4, shift=0.3)
    scores = bias.associations(np.vstack([X, Y]), A, B)
    observed = scores[:4].mean() - scores[4:].mean()
    stats = [scores[list(c)].mean() - np.delete(scores, list(c)).mean() for c in combinations(range(8), 4)]
    expected = np.mean([s >= observed - 1e-12 for s in stats])
    result = bias.permutation_test(X, Y, A, B)
    assert result["exact"] and result["n_null"] == 70
    assert result["p_value"] == pytest.approx(expected)
    assert result["effect_size"] == pytest.approx(bias.effect_size(X, Y, A, B))
    assert result["null_effect_sizes"].shape == (70,)


def test_sampled_permutation_p_value_agrees_with_exact_and_is_never_zero():
    X, Y, A, B = _sets(4, n_x=6, n_y=6, shift=0.4)
    exact = bias.permutation_test(X, Y, A, B)
    sampled = bias.permutation_test(X, Y, A, B, n_perm=20_000, rng=np.random.default_rng(5), exact_limit=0)
    assert not sampled["exact"] and sampled["n_null"] == 20_000
    assert sampled["p_value"] == pytest.approx(exact["p_value"], abs=0.015)
    separated = bias.permutation_test(*_sets(6, n_x=15, n_y=15, shift=50.0), n_perm=99,
                                      rng=np.random.default_rng(7))
    assert separated["p_value"] == pytest.approx(1 / 100)  # the floor (1 + 0) / (1 + n_perm), not 0
    with pytest.raises(ValueError, match="rng"):
        bias.permutation_test(X, Y, A, B, exact_limit=0)


def test_exact_p_value_of_a_perfect_split_is_one_over_the_number_of_splits():
    result = bias.permutation_test(*_sets(8, n_x=5, n_y=5, shift=50.0))
    assert result["p_value"] == pytest.approx(1 / bias.n_partitions(5, 5)) == pytest.approx(1 / 252)


def test_bootstrap_effect_sizes_repeat_and_spread_around_d():
    X, Y, A, B = _sets(9, n_x=20, n_y=20, n_a=20, n_b=20, shift=0.3)
    first = bias.bootstrap_effect_sizes(X, Y, A, B, n_boot=300, rng=np.random.default_rng(10))
    again = bias.bootstrap_effect_sizes(X, Y, A, B, n_boot=300, rng=np.random.default_rng(10))
    np.testing.assert_array_equal(first, again)
    assert first.shape == (300,) and np.isfinite(first).all()
    low, high = np.quantile(first, [0.025, 0.975])
    assert low < bias.effect_size(X, Y, A, B) < high


def test_weat_sets_are_caliskans_lists_with_three_templates_each():
    table = data.load("weat_sets")
    assert set(table["role"]) == set(bias.ROLES) and set(table["kind"]) == {"word", "sentence"}
    assert set(table["test_id"]) == set(bias.SPECS)
    six = bias.load_sets("weat6")
    assert six["target_x"] == ["John", "Paul", "Mike", "Kevin", "Steve", "Greg", "Jeff", "Bill"]
    assert six["attribute_b"][:3] == ["home", "parents", "children"]
    for test_id in bias.SPECS:
        words, sentences = bias.load_sets(test_id, "word"), bias.load_sets(test_id, "sentence")
        for role in bias.ROLES:
            assert len(sentences[role]) == 3 * len(words[role])
            assert all(w.lower() in s.lower() for w, s in zip(np.repeat(words[role], 3), sentences[role], strict=True))
    assert len(bias.load_sets("weat1")["attribute_a"]) == 25
    assert bias.SPECS["weat6"].title.startswith("WEAT 6: male names vs female names")
    with pytest.raises(KeyError, match="available"):
        bias.load_sets("weat99")
