"""raikit.perturb: attacks are deterministic and do what they say; the normaliser undoes what it claims."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from raikit import perturb

SENTENCES = [
    "You are a complete idiot and everyone knows it.",
    "Shut up, nobody asked for your stupid opinion!",
    "What a lovely afternoon for a walk in the park.",
    "Thanks for the quick reply, that fixed my problem.",
    "This is the dumbest thing I have read all week.",
]


@pytest.mark.parametrize("kind", sorted(perturb.ATTACKS))
def test_attacks_are_deterministic_and_rate_zero_changes_nothing(kind):
    first = perturb.attack(SENTENCES, kind, rate=0.5, seed=3)
    again = perturb.attack(SENTENCES, kind, rate=0.5, seed=3)
    assert first == again
    assert perturb.attack(SENTENCES, kind, rate=0.0, seed=3) == SENTENCES
    fn = perturb.ATTACKS[kind]
    assert fn(SENTENCES[0], 0.7, np.random.default_rng(9)) == fn(SENTENCES[0], 0.7, 9)


@pytest.mark.parametrize("kind", sorted(perturb.ATTACKS))
def test_full_budget_changes_every_toxic_example(kind):
    for text in SENTENCES[:2]:
        assert perturb.ATTACKS[kind](text, 1.0, 0) != text


def test_examples_from_the_docstring():
    assert perturb.leetspeak("idiot") == "1d10t"
    assert perturb.spacing("idiot") == "i d i o t"
    assert perturb.homoglyph("idiot") == "\u0456\u0501\u0456\u043et"
    assert perturb.zero_width("idiot").replace(perturb.ZERO_WIDTH_SPACE, "") == "idiot"
    assert len(perturb.zero_width("idiot")) == 6
    assert perturb.paraphrase("Idiot!") in {"Nitwit!", "Dimwit!", "Numbskull!"}
    assert perturb.leetspeak("an ox is ok") == "an ox is ok"  # words shorter than 3 letters are left alone


def test_typo_is_one_edit_that_keeps_the_first_letter():
    rng = np.random.default_rng(0)
    kinds = set()
    for _ in range(300):
        out = perturb.typo("moderation", 1.0, rng)
        assert out[0] == "m" and out != "moderation"
        if len(out) == 9:
            kinds.add("drop")
        elif len(out) == 11:
            kinds.add("duplicate")
        else:
            assert sorted(out) == sorted("moderation")
            kinds.add("swap")
    assert kinds == {"swap", "drop", "duplicate"}


def test_rate_is_the_expected_share_of_words_changed():
    words = " ".join(["harmless"] * 2000)
    out = perturb.leetspeak(words, 0.3, 1).split()
    assert 0.27 < np.mean([w != "harmless" for w in out]) < 0.33


def test_bad_arguments_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="rate"):
        perturb.typo("idiot", 1.5)
    with pytest.raises(TypeError, match="rng"):
        perturb.typo("idiot", 1.0, rng="seed")
    with pytest.raises(ValueError, match="unknown attack"):
        perturb.attack(["x"], "rot13")
    with pytest.raises(TypeError, match="list"):
        perturb.attack("idiot", "typo")
    with pytest.raises(TypeError):
        perturb.normalise(None)


@pytest.mark.parametrize("kind", ["leetspeak", "homoglyph", "zero_width"])
def test_normalise_undoes_character_attacks(kind):
    # words that keep at least one letter outside LEET, so their leet form is not a pure number
    text = "you are such a stupid idiot and a clueless moron"
    for seed in range(5):
        assert perturb.normalise(perturb.ATTACKS[kind](text, 1.0, seed)) == text


def test_normalise_undoes_spacing_of_isolated_words():
    assert perturb.normalise("you are an i d i o t!") == "you are an idiot!"
    assert perturb.normalise("what an 1 d 1 0 t") == "what an idiot"
    assert perturb.normalise("what a 1 d 1 0 t") == "what aidiot"  # greedy: the lone "a" joins the run


def test_normalise_examples_and_documented_limits():
    assert perturb.normalise("\uff49\uff44\uff49\uff4f\uff54") == "idiot"  # full-width letters (NFKC)
    assert perturb.normalise("st\u03bfp") == "stop"  # Greek omicron
    assert perturb.normalise("i\u00a0d\u00a0i\u00a0o\u00a0t") == "idiot"  # non-breaking spaces (NFKC)
    assert perturb.normalise("b@d $h1t") == "bad shit"
    assert perturb.normalise("I paid $5 in 2024.") == "I paid $5 in 2024."
    assert perturb.normalise("5tup1d 4nd 5ad") == "stupid and sad"
    assert perturb.normalise("the 3rd time in the 1990s") == "the erd time in the i99os"  # documented costs
    assert perturb.normalise("455") == "455"  # a word written wholly in digits stays a number


@pytest.mark.parametrize("text", SENTENCES + ["", "Hello, World!", "Is it OK? No, it is not.",
                                              "I think so: yes / no (maybe)."])
def test_normalise_keeps_plain_ascii_text(text):
    assert perturb.normalise(text) == text


def test_normalise_is_idempotent_on_random_obfuscated_strings():
    alphabet = list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789@$!?.,'- ") + list(perturb.HOMOGLYPHS_TO_LATIN) \
        + sorted(perturb.ZERO_WIDTH) + ["\uff41", "\uff10", "\u00a0", "\ufb01", "\u2460"]
    rng = np.random.default_rng(0)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 25))))
        once = perturb.normalise(text)
        assert perturb.normalise(once) == once, repr(text)
        assert not set(once) & perturb.ZERO_WIDTH
        assert unicodedata.normalize("NFKC", once) == once


def test_maps_are_consistent():
    assert len(set(perturb.HOMOGLYPHS.values())) == len(perturb.HOMOGLYPHS)
    for latin, lookalike in perturb.HOMOGLYPHS.items():
        assert latin.isascii() and not lookalike.isascii()
        assert unicodedata.normalize("NFKC", lookalike) == lookalike  # NFKC alone does not undo them
    for digit, letter in perturb.LEET_TO_LATIN.items():
        assert letter.isalpha() and not digit.isalpha()
    assert all(perturb.LEET_TO_LATIN[v] == k for k, v in perturb.LEET.items())


def test_attack_success_rate_counts_only_caught_toxic_texts():
    labels = [1, 1, 1, 1, 0, 0]
    clean = [0.9, 0.8, 0.2, 0.5, 0.9, 0.1]  # items 0, 1, 3 caught; item 2 missed anyway
    attacked = [0.1, 0.85, 0.0, 0.49, 0.0, 0.99]
    assert perturb.attack_success_rate(clean, attacked, labels, 0.5) == pytest.approx(2 / 3)
    assert np.isnan(perturb.attack_success_rate([0.1, 0.2], [0.0, 0.0], [1, 1], 0.5))
    with pytest.raises(ValueError, match="shapes"):
        perturb.attack_success_rate([0.1], [0.1, 0.2], [1], 0.5)


def test_invariance_and_directional_failure_rates():
    original = np.array([0.9, 0.2, 0.6])
    variants = np.array([[0.95, 0.7], [0.1, 0.3], [0.4, 0.7]])  # item 0 stable, 1 stable, 2 flips
    assert perturb.invariance_failure_rate(original, variants, 0.5) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="n_items"):
        perturb.invariance_failure_rate(original, variants[:2], 0.5)
    before, after = np.array([0.5, 0.5, 0.5, 0.5]), np.array([0.7, 0.5, 0.46, 0.3])
    assert perturb.directional_failure_rate(before, after, +1) == pytest.approx(0.5)
    assert perturb.directional_failure_rate(before, after, +1, min_change=-0.05) == pytest.approx(0.25)
    assert perturb.directional_failure_rate(before, after, -1, min_change=0.1) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="direction"):
        perturb.directional_failure_rate(before, after, 0)
