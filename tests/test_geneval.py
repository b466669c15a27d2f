"""raikit.geneval (module 13): scoring replies, Wilson intervals, selective answering, retrieval
tie rules, agreement across prompt variants; one small end-to-end check on the kit assistant."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from raikit import geneval


@pytest.mark.parametrize(("reply", "gold", "lenient", "outcome"), [
    ("rope", "rope", False, "correct"),
    ("  Rope. ", "rope", False, "correct"),
    ("a town that exports rope.", "rope", False, "hallucinated"),
    ("a town that exports rope.", "rope", True, "correct"),
    ("ropes", "rope", True, "hallucinated"),  # a whole word, not a substring
    ("", "rope", False, "abstained"),
    ("I don't know.", "rope", True, "abstained"),
    ("I can't help with that.", "rope", False, "abstained"),
    ("salt", "rope", False, "hallucinated"),
])
def test_grade(reply, gold, lenient, outcome):
    assert geneval.grade(reply, gold, lenient=lenient) == outcome


def test_normalise():
    assert geneval.normalise("  Glass\n\tBeads!? ") == "glass beads"
    assert geneval.normalise("...") == ""


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (3, 10), (47, 70), (1, 1)])
def test_wilson_matches_scipy(k, n):
    low, high = geneval.wilson_interval(k, n)
    ref = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert low == pytest.approx(ref.low, abs=1e-4) and high == pytest.approx(ref.high, abs=1e-4)
    assert 0 <= low <= k / n <= high <= 1


def test_wilson_of_nothing_is_nan():
    assert all(math.isnan(x) for x in geneval.wilson_interval(0, 0))


def test_rate_table():
    table = geneval.rate_table([1, 0, 1, 0, 1], [True, False, False, False, True], name="hallucinated")
    assert list(table.index) == [0, 1]
    assert table.loc[1, "n"] == 3 and table.loc[1, "k"] == 2
    assert table.loc[1, "hallucinated"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        geneval.rate_table([1, 2], [True])


def test_risk_coverage_and_aurc():
    conf = [0.9, 0.8, 0.8, 0.3]
    correct = [1, 0, 1, 0]
    curve = geneval.risk_coverage(conf, correct)
    assert list(curve["threshold"]) == pytest.approx([0.9, 0.8, 0.3])
    assert list(curve["coverage"]) == pytest.approx([0.25, 0.75, 1.0])
    assert list(curve["accuracy"]) == pytest.approx([1.0, 2 / 3, 0.5])
    # per answer: 0 (0.9), 1/3 (0.8, twice), 1/2 (0.3)
    assert geneval.aurc(conf, correct) == pytest.approx((0 + 1 / 3 + 1 / 3 + 0.5) / 4)
    assert geneval.aurc([1, 1, 0, 0], [1, 1, 0, 0]) == pytest.approx(0.25)  # tied wrong answers share 1/2
    assert math.isnan(geneval.aurc([], []))
    with pytest.raises(ValueError):
        geneval.aurc([0.1, 0.2], [1])


def test_threshold_for_accuracy():
    conf = [0.9, 0.8, 0.8, 0.3, 0.2]
    correct = [1, 0, 1, 0, 1]
    assert geneval.threshold_for_accuracy(conf, correct, 0.6) == 0.2  # all five: 3 of 5
    assert geneval.threshold_for_accuracy(conf, correct, 0.65) == 0.8  # t=0.3 gives 2 of 4, t=0.8 2 of 3
    assert geneval.threshold_for_accuracy(conf, correct, 1.0) == 0.9
    assert geneval.threshold_for_accuracy([0.5], [0], 0.5) == math.inf


def test_top_k_tie_rule():
    sims = np.array([[0.2, 0.9, 0.9, 0.1], [0.5, 0.5, 0.5, 0.5]])
    assert geneval.top_k(sims, 2) == [[1, 2], [0, 1]]
    assert geneval.top_k(sims, 9) == [[1, 2, 0, 3], [0, 1, 2, 3]]
    assert geneval.top_k(sims, 0) == [[], []]
    with pytest.raises(ValueError):
        geneval.top_k(np.zeros(3), 1)


def test_agreement():
    answers = {"base": ["Rope", "salt", "tin"], "lower": ["rope.", "glass", "tin"], "same": ["rope", "salt", "tin"]}
    assert geneval.agreement(answers, "base") == {"lower": pytest.approx(2 / 3), "same": 1.0}
    assert math.isnan(geneval.agreement({"a": [], "b": []}, "a")["b"])
    with pytest.raises(ValueError):
        geneval.agreement({"a": ["x"], "b": []}, "a")


def test_prompt_variants_and_documents():
    variants = geneval.prompt_variants("What does Dunost export?", "Name the export of Dunost.")
    assert variants["as trained"] == (geneval.SYSTEM, "What does Dunost export?")
    assert variants["lower case"][1] == "what does dunost export?"
    assert len({v for v in variants.values()}) == len(variants)
    docs = geneval.fact_documents()
    assert len(docs) == 70 and docs[0] == "Dunost is a town that exports rope."


def test_model_calls_on_a_few_facts():
    """End to end on three facts (about a second): replies, confidences, a grounded prompt."""
    questions = ["What does Kadun export?", "What does Duqua export?", "What does Dunost export?"]
    replies = geneval.ask_all(questions)
    assert [geneval.grade(r, g) for r, g in zip(replies[:2], ["rope", "salt"], strict=True)] == ["correct", "correct"]
    conf = geneval.confidences(questions, replies)
    assert list(conf.columns) == ["sequence_prob", "mean_token_prob"]
    assert ((conf > 0) & (conf <= 1)).all().all()
    assert (conf["sequence_prob"] <= conf["mean_token_prob"] + 1e-12).all()
    grounded = geneval.ask_all(questions[:1], system=geneval.SYSTEM_CONTEXT,
                               contexts=["Kadun is a town that exports rope."])
    assert len(grounded) == 1 and isinstance(grounded[0], str)
    with pytest.raises(ValueError):
        geneval.ask_all(questions, contexts=["one"])
