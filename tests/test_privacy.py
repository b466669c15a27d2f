"""raikit.privacy and raikit.tiny_lm (module 08): scores, redaction, exposure, membership
inference, the Laplace mechanism, the module's datasets, and the tiny model's training code."""

from __future__ import annotations

import importlib.util
import math
import warnings

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from raikit import data, privacy, tiny_lm

DATASETS = data.DATA_DIR


# ---------------------------------------------------------------------------- datasets


def _build_module(name: str):
    spec = importlib.util.spec_from_file_location(name, DATASETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pii_build_script_reproduces_the_shipped_csvs(tmp_path, monkeypatch):
    builder = _build_module("build_pii_documents")
    monkeypatch.setattr(builder, "HERE", tmp_path)
    builder.main()
    for name in ("pii_documents.csv", "pii_spans.csv"):
        assert (tmp_path / name).read_bytes() == (DATASETS / name).read_bytes(), f"{name} differs from its build script"


def test_canary_build_script_reproduces_the_shipped_csv(tmp_path, monkeypatch):
    builder = _build_module("build_canary_corpus")
    monkeypatch.setattr(builder, "OUT", tmp_path / "canary_corpus.csv")
    builder.main()
    assert (tmp_path / "canary_corpus.csv").read_bytes() == (DATASETS / "canary_corpus.csv").read_bytes()


def test_gold_spans_point_at_their_values():
    docs = data.load("pii_documents").set_index("doc_id")
    spans = privacy.pii_spans()
    assert len(docs) == 240 and (docs["split"] == "dev").sum() == 120
    assert set(spans["label"]) == set(privacy.PII_LABELS)
    for doc_id, start, end, value in zip(spans["doc_id"], spans["start"], spans["end"], spans["value"], strict=True):
        assert docs.loc[doc_id, "text"][start:end] == value
    gold = privacy.gold_spans(docs.index)
    assert set(gold) == set(docs.index) and sum(map(len, gold.values())) == len(spans)
    assert sum(not s for s in gold.values()) == 11, "eleven documents hold no personal data"
    assert "datasheet" in data.datasheet("pii_documents").lower()


def test_canary_corpus_shape():
    frame = data.load("canary_corpus")
    assert (frame["split"] == "member").sum() == 400 and (frame["split"] == "nonmember").sum() == 400
    canaries = frame[frame["split"] == "canary"]
    assert list(canaries["repeats"]) == [0, 1, 2, 4, 8, 16, 32]
    assert all(t.endswith(s) and len(s) == 4 for t, s in zip(canaries["text"], canaries["secret"], strict=True))
    assert len(tiny_lm.training_lines(frame)) == 400 + 63
    assert "datasheet" in data.datasheet("canary_corpus").lower()


# ---------------------------------------------------------------------------- scores and redaction


def test_span_scores_exact_match_and_edge_cases():
    gold = [(0, 4, "NAME"), (10, 20, "EMAIL"), (30, 35, "PHONE")]
    predicted = [(0, 4, "NAME"), (10, 19, "EMAIL"), (30, 35, "ID"), (0, 4, "NAME")]  # duplicate counts once
    scores = privacy.span_scores(predicted, gold)
    assert scores["tp"] == 1 and scores["n_predicted"] == 3 and scores["n_gold"] == 3
    assert scores["precision"] == pytest.approx(1 / 3) and scores["recall"] == pytest.approx(1 / 3)
    assert scores["f1"] == pytest.approx(1 / 3)
    empty = privacy.span_scores([], gold)
    assert math.isnan(empty["precision"]) and empty["recall"] == 0 and math.isnan(empty["f1"])
    assert privacy.span_scores([(1, 2, "X")], [(3, 4, "X")])["f1"] == 0.0
    table = privacy.scores_by_label([("d1", *s) for s in predicted], [("d1", *s) for s in gold])
    assert list(table.index) == ["NAME", "EMAIL", "PHONE", "ID"]
    assert table.loc["NAME", "precision"] == 1.0 and table.loc["EMAIL", "recall"] == 0.0


def test_character_scores_ignore_labels_and_count_overlap():
    gold = [("a", 0, 10, "EMAIL")]
    predicted = [("a", 5, 15, "NAME")]
    scores = privacy.character_scores(predicted, gold)
    assert scores["precision"] == pytest.approx(0.5) and scores["recall"] == pytest.approx(0.5)
    assert privacy.character_scores([("b", 0, 10, "X")], gold)["recall"] == 0.0


def test_redact_merges_overlaps_and_checks_bounds():
    text = "Call Ines Varga on 07700 900123."
    spans = [(19, 31, "PHONE"), (5, 15, "NAME"), (5, 9, "NAME")]
    assert privacy.redact(text, spans) == "Call [NAME] on [PHONE]."
    assert privacy.redact(text, []) == text
    assert privacy.redact(text, [(5, 15, "NAME")], template="<{label}>") == "Call <NAME> on 07700 900123."
    assert privacy.merge_spans([(0, 3, "A"), (2, 9, "B")]) == [(0, 9, "B")]
    with pytest.raises(ValueError):
        privacy.redact("short", [(2, 10, "NAME")])


# ---------------------------------------------------------------------------- exposure and membership


def test_rank_and_exposure():
    values = np.array([5.0, 1.0, 3.0, 3.0, 9.0, 2.0, 7.0, 8.0])
    assert privacy.canary_rank(values, 1) == 1
    assert privacy.exposure(values, 1) == pytest.approx(3.0)  # log2(8) - log2(1)
    assert privacy.canary_rank(values, 2) == 3  # ties with index 3 do not push it down
    assert privacy.exposure(values, 4) == pytest.approx(0.0)
    assert privacy.exposure(values, 0) == pytest.approx(3 - math.log2(5))


def test_membership_auc_matches_sklearn_and_tpr_matches_brute_force():
    rng = np.random.default_rng(0)
    members = np.round(rng.normal(0.8, 0.3, 300), 2)  # rounding makes ties
    others = np.round(rng.normal(1.0, 0.3, 250), 2)
    expected = roc_auc_score(np.r_[np.ones(300), np.zeros(250)], -np.r_[members, others])
    assert privacy.membership_auc(members, others) == pytest.approx(expected)
    for alpha in (0.0, 0.01, 0.1, 0.5, 1.0):
        thresholds = np.r_[np.unique(np.r_[members, others]), np.inf]
        best = max(np.mean(members < t) for t in thresholds if np.mean(others < t) <= alpha + 1e-12)
        assert privacy.tpr_at_fpr(members, others, alpha) == pytest.approx(best)
    fpr, tpr = privacy.roc_points(members, others)
    assert fpr[0] == 0 and tpr[-1] == 1
    assert math.isnan(privacy.membership_auc([], others))


# ---------------------------------------------------------------------------- differential privacy


def test_laplace_mechanisms_have_the_right_scale():
    assert privacy.laplace_scale(2.0, 0.5) == 4.0
    with pytest.raises(ValueError):
        privacy.laplace_scale(1.0, 0.0)
    rng = np.random.default_rng(1)
    counts = np.array([privacy.laplace_count(100, 0.5, rng) for _ in range(4000)])
    assert abs(counts.mean() - 100) < 0.2 and np.std(counts) == pytest.approx(math.sqrt(2) * 2, rel=0.06)
    values = np.r_[np.full(50, 10.0), np.full(50, 500.0)]  # the 500s are clipped to 100
    means = np.array([privacy.laplace_mean(values, 0, 100, 1.0, rng) for _ in range(4000)])
    assert abs(means.mean() - 55) < 0.05 and np.std(means) == pytest.approx(math.sqrt(2) * 1.0, rel=0.06)


def test_diffprivlib_loads_and_agrees_with_the_laplace_scale():
    dp = privacy.load_diffprivlib()
    mechanism = dp.mechanisms.Laplace(epsilon=0.5, sensitivity=2.0, random_state=0)
    assert mechanism.variance(0.0) == pytest.approx(2 * privacy.laplace_scale(2.0, 0.5) ** 2)
    values = np.linspace(0, 10, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # bounds are given: no PrivacyLeakWarning expected
        noisy = [dp.tools.mean(values, bounds=(0, 10), epsilon=1.0, random_state=i) for i in range(200)]
    assert abs(np.mean(noisy) - 5.0) < 0.01
    if (dp.models.__doc__ or "").startswith("placeholder"):  # diffprivlib 0.6.6 with scikit-learn >= 1.9
        with pytest.raises(AttributeError, match="scikit-learn"):
            dp.models.LogisticRegression  # noqa: B018  (the placeholder explains why models are missing)


# ---------------------------------------------------------------------------- tiny language model

TINY = tiny_lm.TinyLMConfig(steps=40, batch_size=8, n_embd=32, n_head=2, n_positions=40, warmup_steps=5,
                            learning_rate=1e-2)
LINES = ["Ada Ito's PIN is 1234", "Bo Park ordered a lamp.", "Cleo Dunn ordered a mug."] * 4


def test_tokenizer_round_trip_and_unknown_characters():
    tok = tiny_lm.CharTokenizer()
    ids = tok.encode("Hi, 42!", end=True)
    assert ids[0] == tiny_lm.BOS and ids[-1] == tiny_lm.EOS and tok.decode(ids) == "Hi, 42!"
    with pytest.raises(ValueError, match="alphabet"):
        tok.encode("café")


def test_training_is_deterministic_and_learns():
    first, second = tiny_lm.train(LINES, TINY), tiny_lm.train(LINES, TINY)
    assert first.losses == second.losses and len(first.losses) == TINY.steps
    assert np.mean(first.losses[-5:]) < 0.6 * np.mean(first.losses[:5])
    assert first.n_parameters < 50_000
    losses = tiny_lm.line_losses(first, ["Bo Park ordered a lamp.", "Zed Zane zigzags."])
    assert losses.shape == (2,) and losses[0] < losses[1]
    card = tiny_lm.model_card(first)
    assert f"{first.n_parameters:,} parameters" in card and "Intended use" in card


def test_candidate_log_perplexities_match_a_direct_computation():
    import torch

    lm = tiny_lm.train(LINES, TINY)
    prefix = "Ada Ito's PIN is "
    all_candidates = tiny_lm.candidate_log_perplexities(lm, prefix, n_digits=4)
    assert all_candidates.shape == (10_000,)
    for candidate in ("1234", "0000", "9071"):
        ids = lm.tokenizer.encode(prefix + candidate)
        with torch.no_grad():
            logp = torch.log_softmax(lm.model(input_ids=torch.tensor([ids])).logits[0], dim=-1)
        n = len(ids)
        direct = -sum(float(logp[n - 5 + k, ids[n - 4 + k]]) for k in range(4)) / math.log(2)
        assert all_candidates[int(candidate)] == pytest.approx(direct, rel=1e-4, abs=1e-4)
    assert privacy.exposure(all_candidates, 1234) > privacy.exposure(all_candidates, 9071)
    two = tiny_lm.candidate_log_perplexities(lm, prefix, n_digits=1)
    assert two.shape == (10,)


def test_load_or_train_caches_and_survives_a_read_only_place(tmp_path):
    first = tiny_lm.load_or_train(TINY, lines=LINES, cache_root=tmp_path)
    assert not first.from_cache and first.cache_dir is not None and (first.cache_dir / "README.md").is_file()
    second = tiny_lm.load_or_train(TINY, lines=LINES, cache_root=tmp_path)
    assert second.from_cache and second.losses == first.losses
    text = ["Ada Ito's PIN is 1234"]
    assert tiny_lm.line_losses(second, text) == pytest.approx(tiny_lm.line_losses(first, text), rel=1e-5)
    blocked = tmp_path / "a_file"
    blocked.write_text("not a folder")
    with pytest.warns(tiny_lm.CacheNotWritten):
        third = tiny_lm.load_or_train(TINY, lines=LINES, cache_root=blocked / "cache")
    assert third.cache_dir is None and third.losses == first.losses
