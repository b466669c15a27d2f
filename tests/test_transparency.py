"""Module 09 helpers: the differentiable MiniLM classifier, attributions, sanity check, cards, openness."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression

from raikit import data, models, transparency

TEXTS = ["Sturdy, comfortable and worth every penny.", "The zip broke after a week. Avoid.",
         "Not bad at all for the price.", "I would not call this knife sharp."]
LABELS = [1, 0, 1, 0]


@pytest.fixture(scope="module")
def clf():
    return transparency.MiniLMClassifier.fit(TEXTS, LABELS)


# ---------------------------------------------------------------- the classifier


def test_torch_classifier_reproduces_the_sklearn_head():
    train, test = data.review_splits()
    texts, labels = list(train["text"][:40]), train["label"][:40]
    clf = transparency.MiniLMClassifier.fit(texts, labels)
    head = LogisticRegression(C=10.0, max_iter=1000).fit(models.embed(texts), labels)
    others = list(test["text"][:10])
    np.testing.assert_allclose(clf.logits(others), head.decision_function(models.embed(others)), atol=1e-4)
    np.testing.assert_allclose(clf.predict_proba(others), head.predict_proba(models.embed(others))[:, 1], atol=1e-5)


def test_classifier_checks_its_inputs(clf):
    with pytest.raises(ValueError, match="hidden size"):
        transparency.MiniLMClassifier(np.zeros(10), 0.0)
    with pytest.raises(TypeError, match="list of strings"):
        clf.logits("one text")


# ---------------------------------------------------------------- gradient x input


def test_gradient_x_input_is_the_derivative_along_each_token_vector(clf):
    text = TEXTS[2]
    (attribution,) = transparency.gradient_x_input(clf, [text])
    assert attribution.tokens == clf.tokens(text) and "[CLS]" not in attribution.tokens
    encoded = clf._encode([text])
    embeddings = clf.body.get_input_embeddings()(encoded["input_ids"]).detach().double()
    positions = torch.nonzero(encoded["special_tokens_mask"][0] == 0).flatten()
    step = 1e-3
    with torch.no_grad():
        for value, position in zip(attribution.values, positions.tolist(), strict=True):
            up, down = embeddings.clone(), embeddings.clone()
            up[0, position] *= 1 + step
            down[0, position] *= 1 - step
            slope = (clf._logits_from(up.float(), encoded["attention_mask"])
                     - clf._logits_from(down.float(), encoded["attention_mask"])) / (2 * step)
            assert float(slope) == pytest.approx(value, abs=2e-3)


def test_batched_attributions_equal_single_ones(clf):
    batched = transparency.gradient_x_input(clf, TEXTS, batch_size=3)
    for text, attribution in zip(TEXTS, batched, strict=True):
        (alone,) = transparency.gradient_x_input(clf, [text])
        assert attribution.tokens == alone.tokens
        np.testing.assert_allclose(attribution.values, alone.values, atol=1e-5)
    together = transparency.occlusion(clf, TEXTS, batch_size=5)
    for text, attribution in zip(TEXTS, together, strict=True):
        (alone,) = transparency.occlusion(clf, [text])
        np.testing.assert_allclose(attribution.values, alone.values, atol=1e-4)


# ---------------------------------------------------------------- occlusion


def test_occlusion_is_logit_minus_logit_without_the_token(clf):
    text = TEXTS[0]
    (attribution,) = transparency.occlusion(clf, [text])
    encoded = clf._encode([text])
    full = clf._logits_of_ids(encoded["input_ids"], encoded["attention_mask"])[0]
    mask = encoded["attention_mask"].clone()
    mask[0, 2] = 0  # word piece 2 = the second content token
    assert attribution.values[1] == pytest.approx(full - clf._logits_of_ids(encoded["input_ids"], mask)[0], abs=1e-5)
    assert len(attribution.values) == len(clf.tokens(text))
    (masked,) = transparency.occlusion(clf, [text], mode="mask")
    assert masked.tokens == attribution.tokens and not np.allclose(masked.values, attribution.values)
    with pytest.raises(ValueError, match="mode"):
        transparency.occlusion(clf, [text], mode="blur")
    assert transparency.occlusion(clf, []) == []


def test_deletion_effect_removes_the_top_tokens(clf):
    attributions = transparency.occlusion(clf, TEXTS)
    assert np.allclose(transparency.deletion_effect(clf, attributions, k=0), 0.0, atol=1e-6)
    effect = transparency.deletion_effect(clf, attributions, k=1)
    for attribution, value in zip(attributions, effect, strict=True):
        sign = 1.0 if clf.logits([attribution.text])[0] >= 0 else -1.0
        assert value == pytest.approx(float(np.max(sign * attribution.values)), abs=1e-4)  # one token: occlusion itself
    with pytest.raises(ValueError, match="scores for"):
        transparency.deletion_effect(clf, attributions[:1], scores=[np.zeros(2)])


# ---------------------------------------------------------------- the sanity check


def test_randomized_copies_never_touch_the_original_or_the_cached_model(clf):
    before = {name: p.detach().clone() for name, p in models.load_model("classifier_base").named_parameters()}
    head = clf.weight.clone()
    two = clf.randomized(top_layers=2, seed=7)
    one = clf.randomized(top_layers=1, seed=7)
    only_head = clf.randomized(top_layers=0, seed=7)
    for name, p in models.load_model("classifier_base").named_parameters():
        assert torch.equal(p, before[name]), f"{name} changed"
    assert torch.equal(clf.weight, head) and only_head.body is clf.body
    assert torch.equal(only_head.weight, one.weight) and not torch.allclose(only_head.weight, clf.weight)
    layers = clf.body.encoder.layer
    for index in range(len(layers)):  # exactly the top layers change; the cascade extends the previous stage
        query = layers[index].attention.self.query.weight
        same = torch.equal(two.body.encoder.layer[index].attention.self.query.weight, query)
        assert same == (index < len(layers) - 2)
    top = len(layers) - 1
    assert torch.equal(one.body.encoder.layer[top].output.dense.weight, two.body.encoder.layer[top].output.dense.weight)
    with pytest.raises(ValueError, match="top_layers"):
        clf.randomized(top_layers=7)


# ---------------------------------------------------------------- toy scorer, occlusion_scores, agreement


def test_lexicon_scorer_and_generic_occlusion():
    toy = transparency.LexiconScorer()
    sentence = "the handle is not good but the blade is great".split()
    assert toy(sentence) == 1.0
    np.testing.assert_array_equal(transparency.occlusion_scores(toy, sentence), [0, 0, 0, -2, 3, 0, 0, 0, 0, 2])
    wordy = transparency.LexiconScorer(weights={"meh": -0.5}, per_token=0.1)
    np.testing.assert_allclose(transparency.occlusion_scores(wordy, ["meh", "x"]), [-0.4, 0.1])
    np.testing.assert_allclose(transparency.occlusion_scores(wordy, ["meh", "x"], mask_token="[MASK]"), [-0.5, 0.0])
    assert transparency.occlusion_scores(toy, []).shape == (0,)
    again = pickle.loads(pickle.dumps(wordy))  # assignments send scorers between processes
    assert again == wordy and again(["meh", "meh"]) == wordy(["meh", "meh"])
    with pytest.raises(TypeError, match="list of tokens"):
        toy("not good")


def test_agreement_matches_scipy_and_handles_constant_input():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=9), rng.normal(size=9)
    got = transparency.agreement(a, b, k=3)
    assert got["spearman"] == pytest.approx(spearmanr(a, b).statistic)
    assert got["abs_spearman"] == pytest.approx(spearmanr(np.abs(a), np.abs(b)).statistic)
    assert transparency.agreement(a, -2 * a, k=4) == pytest.approx({"spearman": -1.0, "abs_spearman": 1.0,
                                                                    "top_k_overlap": 1.0})
    assert transparency.agreement([1.0, 2.0, 3.0], [0.1, 0.3, 0.2], k=1)["top_k_overlap"] == 0.0
    assert math.isnan(transparency.agreement(np.ones(4), a[:4])["spearman"])
    with pytest.raises(ValueError, match="same length"):
        transparency.agreement(a, b[:3])


# ---------------------------------------------------------------- cards


def test_shipped_cards_are_valid():
    assert transparency.validate_card(transparency.load_card("all-MiniLM-L6-v2.model_card.yaml"), "model") == []
    assert transparency.validate_card(transparency.load_card("product_reviews.dataset_card.yaml"), "dataset") == []
    for kind in ("model", "dataset"):
        table = transparency.schema_table(kind)
        assert list(table.columns) == ["field", "type", "required", "description"]
        assert {"licence", "intended_use", "out_of_scope_use", "limitations", "ethical_considerations",
                "contact"} <= set(table["field"])


def test_model_card_facts_match_the_model():
    card = transparency.load_card("all-MiniLM-L6-v2.model_card.yaml")
    model = models.load_model("classifier_base")
    assert card["parameters"] == sum(p.numel() for p in model.parameters())
    assert card["licence"] == "Apache-2.0"
    assert "384" in card["summary"] and f"{model.config.num_hidden_layers} layers" in card["model_type"]


def test_dataset_card_counts_match_the_data():
    card = transparency.load_card("product_reviews.dataset_card.yaml")
    reviews = data.load("product_reviews")
    train, test = data.review_splits()
    assert card["rows"] == len(reviews)
    assert {s["name"]: s["rows"] for s in card["splits"]} == {"train": len(train), "test": len(test)}
    assert [c["name"] for c in card["columns"]] == list(reviews.columns)
    assert card["licence"] == "CC-BY-4.0" and "CC BY 4.0" in data.datasheet("product_reviews")


@pytest.mark.slow
def test_model_card_evaluation_numbers_are_reproduced():
    from sklearn.metrics import roc_auc_score

    card = transparency.load_card("all-MiniLM-L6-v2.model_card.yaml")
    claimed = {(e["metric"], e["data"].split(",")[0].split(" ")[0]): e["value"] for e in card["evaluation"]}
    train, test = data.review_splits()
    clf = transparency.MiniLMClassifier.fit(train["text"], train["label"])
    correct = (clf.logits(test["text"]) > 0).astype(int) == test["label"]
    assert claimed[("accuracy", "product_reviews")] == pytest.approx(correct.mean(), abs=5e-4)
    for phenomenon in ("negation", "sarcasm", "plain"):
        measured = correct[test["phenomenon"] == phenomenon].mean()
        assert claimed[(f"accuracy on the {phenomenon} slice", "product_reviews")] == pytest.approx(measured, abs=5e-4)
    comments = data.load("moderation_comments")
    tr, te = comments[comments["split"] == "train"], comments[comments["split"] == "test"]
    head = LogisticRegression(max_iter=1000).fit(models.embed(list(tr["text"])), tr["toxic"])
    auc = roc_auc_score(te["toxic"], head.predict_proba(models.embed(list(te["text"])))[:, 1])
    assert claimed[("ROC AUC", "moderation_comments")] == pytest.approx(auc, abs=5e-4)


def _kinds(card, schema="model"):
    return {(p.path, p.kind) for p in transparency.validate_card(card, schema)}


def test_validator_reports_every_kind_of_problem_with_its_path():
    card = transparency.load_card("all-MiniLM-L6-v2.model_card.yaml")
    broken = copy.deepcopy(card)
    del broken["licence"]
    broken["license"] = "MIT"
    broken["parameters"] = True
    broken["intended_use"] = " "
    broken["limitations"].append("TBD")
    broken["out_of_scope_use"] = []
    broken["evaluation"][1]["value"] = "0.4"
    broken["evaluation"][2]["value"] = float("nan")
    broken["last_updated"] = "yesterday"
    broken["openness"]["code"] = False
    broken["training_data"] = "lots of text"
    assert _kinds(broken) == {
        ("licence", "missing"), ("license", "unknown"), ("parameters", "wrong type"), ("intended_use", "empty"),
        (f"limitations[{len(card['limitations'])}]", "placeholder"), ("out_of_scope_use", "empty"),
        ("evaluation[1].value", "wrong type"), ("evaluation[2].value", "out of range"),
        ("last_updated", "bad format"), ("openness.code", "wrong type"), ("training_data", "wrong type")}
    messages = [str(p) for p in transparency.validate_card(broken, "model")]
    assert any("Did you mean 'licence'" in m for m in messages)
    assert any("quote the text" in m for m in messages)  # YAML's bare `no` becomes False
    assert any("without quotes" in m for m in messages)
    assert _kinds({"name": "x"}, "dataset") >= {("licence", "missing"), ("rows", "missing")}
    assert _kinds(["not", "a", "mapping"]) == {("(card)", "wrong type")}


def test_schema_options_and_errors():
    schema = {"fields": {"kind": {"type": "text", "choices": ["a", "b"]}, "n": {"type": "integer", "minimum": 1},
                         "tags": {"type": "list", "items": {"type": "text"}, "min_items": 2},
                         "note": {"type": "text", "required": False}, "ok": {"type": "boolean"}}}
    assert transparency.validate_card({"kind": "a", "n": 3, "tags": ["x", "y"], "ok": True}, schema) == []
    assert _kinds({"kind": "c", "n": 0, "tags": ["x"], "ok": "yes"}, schema) == {
        ("kind", "not allowed"), ("n", "out of range"), ("tags", "too few items"), ("ok", "wrong type")}
    assert _kinds({"kind": "a", "n": 2.0, "tags": ["x", "y"], "ok": False}, schema) == {("n", "wrong type")}
    with pytest.raises(ValueError, match="unknown type"):
        transparency.validate_card({"x": 1}, {"fields": {"x": {"type": "colour"}}})
    with pytest.raises(ValueError, match="kind must be"):
        transparency.load_schema("system")
    with pytest.raises(FileNotFoundError, match="cards"):
        transparency.load_card("no-such-card.yaml")


@pytest.mark.parametrize("text, flagged", [
    ("TODO", True), ("add numbers (tbd)", True), ("FIXME later", True), ("<your name>", True), ("???", True),
    ("insert the licence here", True), ("Lorem ipsum dolor", True),
    ("accuracy < 0.5 on sarcasm and > 0.9 on plain reviews", False), ("Todorov et al. (2019)", False),
    ("the mastodon thread", False), ("a to-do list app", False)])
def test_placeholder_detection(text, flagged):
    assert bool(transparency.PLACEHOLDER.search(text)) is flagged


# ---------------------------------------------------------------- openness


@pytest.mark.parametrize("weights, code, documented, category, missing", [
    ("Apache-2.0", "MIT", True, "open source AI", []),
    (" apache-2.0 ", "mit", True, "open source AI", []),
    ("Llama 3 Community License", None, False, "open weights", ["code", "data_information", "weights"]),
    ("MIT", "MIT", False, "open weights", ["data_information"]),
    ("OpenRAIL-M", "Apache-2.0", True, "open weights", ["weights"]),
    (None, "MIT", True, "closed", ["weights"]),
])
def test_openness(weights, code, documented, category, missing):
    assert transparency.openness(weights, code, documented) == {"category": category, "missing": missing}
