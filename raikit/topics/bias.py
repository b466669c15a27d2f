"""Embedding association tests (WEAT and SEAT): effect sizes, permutation tests, instability.

The Word Embedding Association Test (WEAT; Caliskan, Bryson and Narayanan, 2017) asks
whether two *target* sets X and Y (say, male and female first names) sit differently
close to two *attribute* sets A and B (say, career and family words) in an embedding
space. SEAT (May et al., 2019) runs the same test on sentence embeddings of short
templated sentences ("This is Amy.").

For a vector ``w``, the association is

    s(w, A, B) = mean_{a in A} cos(w, a) - mean_{b in B} cos(w, b)

and the effect size is

    d = (mean_{x in X} s(x, A, B) - mean_{y in Y} s(y, A, B)) / std_{w in X u Y} s(w, A, B)

with the *sample* standard deviation (``ddof=1``) over all target vectors. The
one-sided permutation test asks how often a random re-split of X u Y into two sets of
the sizes of X and Y gives an effect at least as large as the observed one.

Module 04 uses these helpers; the assignment asks learners to write the core functions
themselves. Every function takes embedding matrices (one row per item) and never embeds
text itself: embed once with :func:`raikit.models.embed` and reuse the vectors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from raikit import data
from raikit.evaluation import cosine_similarity_matrix

ROLES = ("target_x", "target_y", "attribute_a", "attribute_b")
TIE_TOLERANCE = 1e-12  # statistics this close to the observed one count as ties (floating-point rounding)


@dataclass(frozen=True)
class WeatSpec:
    """What the four sets of one test are called, and where the lists come from."""

    test_id: str
    target_x: str
    target_y: str
    attribute_a: str
    attribute_b: str
    source: str

    @property
    def title(self) -> str:
        number = self.test_id.removeprefix("weat")
        return f"WEAT {number}: {self.target_x} vs {self.target_y} ~ {self.attribute_a} vs {self.attribute_b}"


SPECS: dict[str, WeatSpec] = {
    s.test_id: s
    for s in [
        WeatSpec("weat1", "flowers", "insects", "pleasant", "unpleasant", "Greenwald et al. (1998)"),
        WeatSpec("weat6", "male names", "female names", "career", "family", "Nosek et al. (2002a)"),
        WeatSpec("weat7", "math", "arts", "male terms", "female terms", "Nosek et al. (2002a)"),
        WeatSpec("weat8", "science", "arts", "male terms", "female terms", "Nosek et al. (2002b)"),
    ]
}


def load_sets(test_id: str, kind: str = "word") -> dict[str, list[str]]:
    """The four item lists of one test from the ``weat_sets`` dataset: ``{role: [items]}``.

    ``kind`` is ``"word"`` (Caliskan et al.'s lists) or ``"sentence"`` (SEAT-style templates).
    """
    table = data.load("weat_sets")
    if test_id not in set(table["test_id"]):
        raise KeyError(f"unknown test {test_id!r}; available: {', '.join(sorted(set(table['test_id'])))}")
    if kind not in ("word", "sentence"):
        raise ValueError(f"kind must be 'word' or 'sentence', got {kind!r}")
    rows = table[(table["test_id"] == test_id) & (table["kind"] == kind)]
    return {role: rows.loc[rows["role"] == role, "item"].tolist() for role in ROLES}


def associations(W, A, B) -> np.ndarray:
    """``s(w, A, B)`` for every row ``w`` of ``W``: mean cosine with A minus mean cosine with B."""
    W, A, B = (np.atleast_2d(np.asarray(m, dtype=float)) for m in (W, A, B))
    return cosine_similarity_matrix(W, A).mean(axis=1) - cosine_similarity_matrix(W, B).mean(axis=1)


def _split_scores(X, Y, A, B) -> tuple[np.ndarray, int]:
    X, Y = np.atleast_2d(np.asarray(X, dtype=float)), np.atleast_2d(np.asarray(Y, dtype=float))
    if len(X) < 1 or len(Y) < 1 or len(X) + len(Y) < 3:
        raise ValueError("need at least one item in each target set and three in total")
    return associations(np.vstack([X, Y]), A, B), len(X)


def effect_size(X, Y, A, B, ddof: int = 1) -> float:
    """Caliskan's effect size d (sample standard deviation over X u Y unless ``ddof`` says otherwise)."""
    scores, n_x = _split_scores(X, Y, A, B)
    return float((scores[:n_x].mean() - scores[n_x:].mean()) / scores.std(ddof=ddof))


def n_partitions(n_x: int, n_y: int) -> int:
    """Number of ways to split ``n_x + n_y`` items into a set of ``n_x`` and a set of ``n_y``."""
    return math.comb(n_x + n_y, n_x)


def permutation_test(X, Y, A, B, *, n_perm: int = 10_000, rng: np.random.Generator | None = None,
                     exact_limit: int = 50_000) -> dict:
    """One-sided permutation test of the WEAT effect: is d larger than chance re-splits give?

    The statistic is the difference of mean associations (equivalent to Caliskan's difference
    of sums when ``len(X) == len(Y)``; the effect size is this divided by a constant).

    * If X u Y has at most ``exact_limit`` splits, all of them are enumerated and
      ``p = #{splits with statistic >= observed} / #splits`` (the observed split included).
    * Otherwise ``n_perm`` random splits are drawn from ``rng`` and
      ``p = (1 + #{random splits with statistic >= observed}) / (1 + n_perm)``, which never
      reports 0 and is a valid p-value (Phipson and Smyth, 2010).

    Returns a dict: ``effect_size``, ``statistic``, ``p_value``, ``exact`` (bool),
    ``n_null`` (splits used) and ``null_effect_sizes`` (the effect size of every split used:
    its quantiles show what d looks like when group membership is arbitrary).
    """
    scores, n_x = _split_scores(X, Y, A, B)
    n = len(scores)
    spread = scores.std(ddof=1)
    observed = scores[:n_x].mean() - scores[n_x:].mean()
    total = scores.sum()
    exact = n_partitions(n_x, n - n_x) <= exact_limit
    if exact:
        chosen = np.array(list(combinations(range(n), n_x)), dtype=int)
    else:
        if rng is None:
            raise ValueError("a sampled permutation test needs rng (a numpy Generator, e.g. from seed_everything())")
        chosen = rng.permuted(np.tile(np.arange(n), (n_perm, 1)), axis=1)[:, :n_x]
    sums_x = scores[chosen].sum(axis=1)
    null = sums_x / n_x - (total - sums_x) / (n - n_x)
    at_least = int(np.sum(null >= observed - TIE_TOLERANCE))
    p_value = at_least / len(null) if exact else (1 + at_least) / (1 + n_perm)
    return {"effect_size": float(observed / spread), "statistic": float(observed), "p_value": float(p_value),
            "exact": bool(exact), "n_null": int(len(null)), "null_effect_sizes": null / spread}


def bootstrap_effect_sizes(X, Y, A, B, *, n_boot: int = 1000, rng: np.random.Generator) -> np.ndarray:
    """Effect sizes over ``n_boot`` resamples of the *item sets*: X, Y, A and B each drawn with replacement.

    This asks how much d depends on which particular words happened to be chosen (Antoniak
    and Mimno, 2021), not on sampling of people or text. A resample whose target scores are
    all equal has no defined d and gives NaN.
    """
    X, Y, A, B = (np.atleast_2d(np.asarray(m, dtype=float)) for m in (X, Y, A, B))
    sim_a = cosine_similarity_matrix(np.vstack([X, Y]), A)
    sim_b = cosine_similarity_matrix(np.vstack([X, Y]), B)
    n_x, n_y = len(X), len(Y)
    out = np.empty(n_boot)
    for i in range(n_boot):
        rows = np.concatenate([rng.integers(0, n_x, n_x), n_x + rng.integers(0, n_y, n_y)])
        cols_a, cols_b = rng.integers(0, len(A), len(A)), rng.integers(0, len(B), len(B))
        scores = sim_a[np.ix_(rows, cols_a)].mean(axis=1) - sim_b[np.ix_(rows, cols_b)].mean(axis=1)
        spread = scores.std(ddof=1)
        out[i] = (scores[:n_x].mean() - scores[n_x:].mean()) / spread if spread > 0 else np.nan
    return out
