"""Module 05 helpers: moderation data, counterfactual suites, Borkan et al. AUCs, fine-tuning."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from raikit import data, moderation
from raikit.data import DATA_DIR


def test_comments_dataset_matches_its_datasheet():
    comments = data.load("moderation_comments")
    assert list(comments.columns) == ["comment_id", "text", "toxic", "identity", "split"]
    assert len(comments) == 564 and comments["comment_id"].is_unique and comments["text"].is_unique
    assert comments["split"].value_counts().to_dict() == {"train": 282, "test": 282}
    assert int(comments["toxic"].sum()) == 182
    tagged = comments[comments["identity"] != ""]
    assert tagged["identity"].nunique() == 13 and len(tagged) == 244
    shares = tagged.groupby("identity")["toxic"].mean()
    assert set(shares[shares == 0.5].index) == {"gay", "transgender", "muslim", "black", "immigrant"}
    for identity in ("gay", "woman"):  # both splits hold toxic and non-toxic items of every identity
        rows = comments[comments["identity"] == identity]
        assert rows.groupby(["split", "toxic"]).size().min() >= 2


def test_build_script_reproduces_the_csv_files(tmp_path):
    before = {name: (DATA_DIR / name).read_bytes() for name in
              ("moderation_comments.csv", "moderation_templates.csv", "moderation_identities.csv")}
    subprocess.run([sys.executable, str(DATA_DIR / "build_moderation_data.py")], check=True, capture_output=True)
    for name, content in before.items():
        assert (DATA_DIR / name).read_bytes() == content, f"{name} changed when rebuilt"


def test_fill_templates_crosses_every_template_with_every_identity():
    templates = pd.DataFrame({"template_id": ["a", "b"], "template": ["I am {person}.", "I like {people}."],
                              "toxic": [0, 1]})
    identities = pd.DataFrame({"identity": ["x", "y"], "person": ["an X", "a Y"], "people": ["Xs", "Ys"]})
    suite = moderation.fill_templates(templates, identities)
    assert list(suite.columns) == moderation.SUITE_COLUMNS
    assert list(suite["text"]) == ["I am an X.", "I am a Y.", "I like Xs.", "I like Ys."]
    assert list(suite["identity"]) == ["x", "y", "x", "y"] and list(suite["toxic"]) == [0, 0, 1, 1]


def test_shipped_suite_is_balanced_and_counterfactual():
    suite = moderation.counterfactual_suite()
    identities, templates = moderation.load_identities(), moderation.load_templates()
    assert len(suite) == len(identities) * len(templates) == 320
    assert not suite["text"].str.contains("{", regex=False).any()
    assert (suite.groupby("template_id")["identity"].nunique() == len(identities)).all()
    two = moderation.counterfactual_suite(["gay", "straight"])
    assert set(two["identity"]) == {"gay", "straight"} and len(two) == 2 * len(templates)
    with pytest.raises(ValueError, match="unknown identities"):
        moderation.counterfactual_suite(["martian"])


def _random_audit_data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    group = rng.random(n) < 0.3
    scores = np.round(rng.random(n) * 0.6 + 0.3 * labels + 0.2 * group, 1)  # rounded: many ties
    return scores, labels, group


def test_aucs_match_sklearn_on_the_right_subsets():
    scores, labels, group = _random_audit_data()
    assert moderation.subgroup_auc(scores, labels, group) == pytest.approx(roc_auc_score(labels[group], scores[group]))
    bpsn = (group & (labels == 0)) | (~group & (labels == 1))
    bnsp = (group & (labels == 1)) | (~group & (labels == 0))
    assert moderation.bpsn_auc(scores, labels, group) == pytest.approx(roc_auc_score(labels[bpsn], scores[bpsn]))
    assert moderation.bnsp_auc(scores, labels, group) == pytest.approx(roc_auc_score(labels[bnsp], scores[bnsp]))


def test_bpsn_falls_when_harmless_subgroup_items_score_high():
    labels = np.array([0, 0, 1, 1, 0, 0, 1, 1])
    group = np.array([True, True, True, True, False, False, False, False])
    scores = np.array([0.9, 0.8, 0.95, 0.99, 0.1, 0.2, 0.7, 0.6])  # subgroup scores shifted up
    assert moderation.subgroup_auc(scores, labels, group) == 1.0
    assert moderation.bpsn_auc(scores, labels, group) == 0.0
    assert moderation.bnsp_auc(scores, labels, group) == 1.0
    assert np.isnan(moderation.subgroup_auc(scores, np.zeros(8), group))  # one class only: undefined
    with pytest.raises(ValueError, match="equally long"):
        moderation.bpsn_auc(scores, labels, group[:5])


def test_identity_report_by_hand():
    scores = [0.9, 0.2, 0.8, 0.6, 0.1, 0.4, 0.7]
    labels = [0, 0, 1, 0, 0, 1, 1]
    identities = ["a", "a", "a", "b", "", "", "b"]
    report = moderation.identity_report(scores, labels, identities, threshold=0.5)
    assert list(report.index) == ["a", "b"]
    assert report.loc["a", "fpr"] == 0.5 and report.loc["b", "fpr"] == 1.0
    assert report.loc["a", "fnr"] == 0.0 and report.loc["b", "fnr"] == 0.0
    assert report.loc["a", "mean_score_nontoxic"] == pytest.approx(0.55)
    assert report.loc["a", "n"] == 3 and report.loc["a", "n_toxic"] == 1
    assert report.loc["a", "subgroup_auc"] == 0.5  # toxic 0.8 beats 0.2, loses to 0.9
    assert moderation.false_positive_rate([0.5, 0.4], [0, 0], 0.5) == 0.5
    assert np.isnan(moderation.false_positive_rate([0.5], [1], 0.5))


def test_profanity_model_weights_identity_words():
    from profanity_check import predict_prob

    weights = moderation.profanity_word_weights(["gay", "straight", "idiot", "zzzzqqq"])
    assert weights["gay"] > weights["straight"] and weights["idiot"] > 1
    assert np.isnan(weights["zzzzqqq"])
    gay, straight = predict_prob(["I am a gay man", "I am a straight man"])
    assert gay > 0.5 > straight  # the identity-term false positive the lesson studies


@pytest.mark.slow
def test_fine_tuning_learns_a_tiny_task_and_repeats():
    from raikit.finetune import fine_tune_classifier

    texts = ["you are a stupid idiot", "shut up, moron", "what a pathetic loser", "nobody likes you, idiot",
             "lovely weather today", "thanks for the recipe", "the train was on time", "great match last night"]
    labels = [1, 1, 1, 1, 0, 0, 0, 0]
    first = fine_tune_classifier(texts, labels, epochs=4, learning_rate=1e-3, batch_size=4, max_length=16,
                                 trainable_layers=1)
    probs = first.predict_proba(texts)
    assert probs.shape == (8,) and ((probs >= 0) & (probs <= 1)).all()
    assert probs[:4].min() > probs[4:].max()
    assert first.losses[-1] < first.losses[0]
    again = fine_tune_classifier(texts, labels, epochs=4, learning_rate=1e-3, batch_size=4, max_length=16,
                                 trainable_layers=1)
    np.testing.assert_allclose(again.predict_proba(texts), probs, atol=1e-5)
    full = fine_tune_classifier(texts[:4] + texts[4:], labels, epochs=1, batch_size=8, max_length=16)
    assert len(full.losses) == 1 and all(p.requires_grad for p in full.model.parameters())
    with pytest.raises(ValueError, match="0/1"):
        fine_tune_classifier(texts, [2] * 8, epochs=1)
