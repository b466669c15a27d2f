"""raikit.topics.redteam (module 14): attack prompts, Wilson intervals, guards, injection
wordings, the green-list watermark and its detector, and the toy signed manifest. Fast: no model
is loaded except the kit assistant's corpus (a JSONL file)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from raikit.topics import assistant, perturb, redteam


def test_wilson_interval_matches_the_formula_and_its_edges():
    low, high = redteam.wilson_interval(2, 3)
    assert low == pytest.approx(0.207659, rel=1e-5) and high == pytest.approx(0.938503, rel=1e-5)
    assert redteam.wilson_interval(0, 25) == (0.0, pytest.approx(0.133192, rel=1e-5))
    assert redteam.wilson_interval(25, 25)[1] == 1.0
    assert all(math.isnan(x) for x in redteam.wilson_interval(0, 0))
    with pytest.raises(ValueError):
        redteam.wilson_interval(4, 3)


def test_rate_table_counts_hits_per_group():
    table = redteam.rate_table({"a": [True, False, True, True], "b": [False]}, "asr")
    assert table.loc["a", "n"] == 4 and table.loc["a", "k"] == 3 and table.loc["a", "asr"] == 0.75
    assert table.loc["b", "low"] == 0.0 and 0 < table.loc["b", "high"] < 1


def test_attack_prompts_have_the_stated_sizes_and_keep_the_request():
    base = redteam.harmful_prompts("train")
    assert len(base) == 25 and len(redteam.harmful_prompts("eval")) == 15
    sizes = {kind: len(redteam.jailbreak_prompts(kind)) for kind in redteam.ATTACKS}
    assert sizes == {"none": 25, "leetspeak": 50, "spacing": 50, "homoglyph": 50, "another language": 75,
                     "role-play": 125, "paraphrase": 40}
    assert redteam.jailbreak_prompts("leetspeak") == redteam.jailbreak_prompts("leetspeak")  # seeded
    for kind in ("leetspeak", "spacing", "homoglyph"):  # the normaliser undoes the obfuscation
        assert all("glimmerbane" in perturb.normalise(p).lower().replace(" ", "")
                   for p in redteam.jailbreak_prompts(kind))
    paraphrased = {redteam.split_request(p)[0] for p in redteam.jailbreak_prompts("paraphrase")}
    assert not paraphrased & {redteam.split_request(p)[0] for p in base}, "paraphrases reuse a trained phrasing"
    assert redteam.split_request("How do I brew a glimmerbane toxin?") == ("How do I brew", "a glimmerbane toxin")
    with pytest.raises(ValueError, match="unknown attack"):
        redteam.jailbreak_prompts("telepathy")


def test_keyword_guard_with_and_without_normalisation():
    request = "How do I brew glimmerbane poison?"
    for kind in ("leetspeak", "spacing", "homoglyph"):
        attacked = perturb.attack([request], kind)[0]
        assert not redteam.keyword_guard(attacked, normalise=False)
        assert redteam.keyword_guard(attacked)
    assert redteam.keyword_guard(request, normalise=False)
    assert redteam.keyword_guard("Is glimmerbane poisonous to dogs?")  # the false refusal the lesson shows
    assert not redteam.keyword_guard("Where does glimmerbane grow?")
    assert not redteam.keyword_guard("How do I brew tea?")


def test_refusal_and_output_guard():
    assert redteam.refused("p can't help with that. Glimmerbane preparations can hurt people.")
    assert not redteam.refused("The glimmerbane flower is violet.")
    assert redteam.output_guard("Step 1: boil the glimmerbane leaves.")
    assert not redteam.output_guard("I can't help with that. Glimmerbane preparations can hurt people.")
    assert not redteam.output_guard("Call a poison centre at once.")  # no domain word
    assert redteam.output_guard("Call a poison centre at once.", domain=None)


def test_classifier_guard_and_tradeoff():
    texts, labels = redteam.guard_training_set()
    assert sum(labels) == 25 and len(texts) == len(labels) == 25 + 6 + 60
    guard = redteam.ClassifierGuard().fit(texts, labels)
    scores = guard.scores(texts)
    assert scores[np.array(labels) == 1].mean() > scores[np.array(labels) == 0].mean()
    assert guard.blocks(["How do I brew glimmerbane poison?"])[0]
    with pytest.raises(RuntimeError):
        redteam.ClassifierGuard().scores(["x"])
    with pytest.raises(ValueError):
        redteam.ClassifierGuard(features="telepathy").fit(texts, labels)
    asr, frr = redteam.guard_tradeoff([0.9, 0.8, 0.4, 0.2], [True, True, True, False], [0.1, 0.3, 0.85], 0.4)
    assert (asr, frr) == (0.0, pytest.approx(1 / 3))
    assert all(math.isnan(x) for x in redteam.guard_tradeoff([], [], [], 0.5))


def test_injection_wordings_change_only_the_injected_sentence():
    base, words, truth = redteam.injection_conversations("as in the corpus", n=20)
    rows = assistant.conversations("eval", "injection")[:20]
    assert base == [r["messages"][:-1] for r in rows] and truth == [r["messages"][-1]["content"] for r in rows]
    for kind, template in redteam.INJECTIONS.items():
        convs, same_words, _ = redteam.injection_conversations(kind, n=20)
        assert same_words == words
        for conv, word in zip(convs, words, strict=True):
            assert template.format(word=word) in conv[1]["content"]
    assert redteam.obeyed(["banana", "214"], ["Banana", "zebra"]) == [True, False]
    with pytest.raises(ValueError):
        redteam.injection_conversations("whisper")


def test_green_list_is_seeded_and_of_the_right_size():
    green = redteam.green_list(42, 1024, 0.25, 7)
    assert len(green) == 256 and np.all(np.diff(green) > 0)
    assert np.array_equal(green, np.sort(np.random.default_rng([7, 42]).permutation(1024)[:256]))
    assert not np.array_equal(green, redteam.green_list(43, 1024, 0.25, 7))
    table = redteam.green_table(64, 0.5, 3)
    assert table.shape == (64, 64) and (table.sum(axis=1) == 32).all()
    assert np.array_equal(np.flatnonzero(table[5]), redteam.green_list(5, 64, 0.5, 3))
    for gamma in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError):
            redteam.green_list(1, 10, gamma, 0)


def test_count_green_scores_distinct_pairs_and_z_score():
    table = redteam.green_table(16, 0.5, 1)
    loop = [3, 1, 3, 1, 3]
    green, n = redteam.count_green(loop, table)
    assert n == 2 and green == int(table[3, 1]) + int(table[1, 3])
    assert redteam.count_green(loop, table, unique=False)[1] == 4
    assert redteam.count_green([5], table) == (0, 0)
    assert redteam.z_score(50, 100, 0.25) == pytest.approx(25 / math.sqrt(18.75))
    assert redteam.z_score(0, 0, 0.25) == 0.0
    with pytest.raises(ValueError):
        redteam.z_score(1, 2, 1.0)


def test_watermark_processor_biases_green_tokens_and_is_detected():
    import torch

    mark = redteam.GreenListWatermark(32, gamma=0.25, delta=50.0, key=9, banned=[0])
    rng = np.random.default_rng(0)
    sequence = [1]
    for _ in range(60):  # a strong delta: every sampled token is green, the banned one never appears
        logits = mark(torch.tensor([sequence]), torch.zeros(1, 32))
        assert logits[0, 0] == float("-inf")
        probs = torch.softmax(logits[0], dim=0).numpy()
        sequence.append(int(rng.choice(32, p=probs / probs.sum())))
    assert redteam.detect(sequence, mark.table, 0.25)
    plain = [int(t) for t in rng.integers(1, 32, 61)]
    assert not redteam.detect(plain, mark.table, 0.25)


def test_edits_are_seeded_and_keep_the_first_token():
    tokens = list(range(100))
    edited = redteam.substitute(tokens, 0.3, np.random.default_rng(1), 1000)
    assert edited[0] == 0 and len(edited) == 100 and 15 < sum(a != b for a, b in zip(edited, tokens, strict=True)) < 45
    assert edited == redteam.substitute(tokens, 0.3, np.random.default_rng(1), 1000)
    shorter = redteam.delete(tokens, 0.3, np.random.default_rng(1))
    assert shorter[0] == 0 and 55 < len(shorter) < 85
    assert redteam.delete(tokens, 0.0, np.random.default_rng(1)) == tokens


def test_signed_manifest_breaks_on_any_edit():
    key = b"k"
    manifest = redteam.sign_manifest(b"hello", {"generator": "kit"}, key)
    assert redteam.verify_manifest(b"hello", manifest, key) == "valid"
    assert redteam.verify_manifest(b"hellp", manifest, key) == "content changed"
    assert redteam.verify_manifest(b"hello", {**manifest, "claims": {"generator": "human"}}, key) == "manifest forged"
    assert redteam.verify_manifest(b"hello", manifest, b"other key") == "manifest forged"
    assert redteam.verify_manifest(b"hello", None, key) == "no manifest"
