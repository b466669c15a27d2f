"""raikit.multilingual and the parallel sentence set: counts, premiums, retrieval, coverage, against plain oracles."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from raikit import data, models, multilingual

DATASETS = Path(data.__file__).resolve().parent / "datasets"


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer("embedder")


@pytest.fixture(scope="module")
def sentences():
    return data.load("parallel_sentences").pivot(index="sentence_id", columns="language", values="text")


def test_build_script_reproduces_the_csv_byte_for_byte(tmp_path):
    original = (DATASETS / "parallel_sentences.csv").read_bytes()
    script = tmp_path / "build_parallel_sentences.py"
    script.write_text((DATASETS / "build_parallel_sentences.py").read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True)
    assert (tmp_path / "parallel_sentences.csv").read_bytes() == original


def test_parallel_set_is_complete_and_clean(sentences):
    assert sentences.shape == (40, 14)
    assert sentences.notna().all().all() and (sentences != "").all().all()
    for column in sentences:
        assert sentences[column].is_unique
        assert all(unicodedata.normalize("NFC", t) == t and not any(c.isdigit() for c in t) for t in sentences[column])
    assert "native speaker" in data.datasheet("parallel_sentences")


def test_token_stats_match_tokenize(tokenizer):
    texts = ["I drink a cup of tea every morning.", "Ich trinke Tee.", "በየጠዋቱ ሻይ እጠጣለሁ።", "我喝茶。", ""]
    stats = multilingual.token_stats(texts, tokenizer)
    for text, row in zip(texts, stats.itertuples(), strict=True):
        pieces = tokenizer.tokenize(text)
        assert row.tokens == len(pieces)
        assert row.unk == pieces.count(tokenizer.unk_token)
        assert row.chars == len("".join(text.split()))
        assert row.words == len(text.split())
    assert stats.loc[0, "tokens"] == 9 and stats.loc[0, "unk"] == 0
    amharic = stats.loc[2]
    assert amharic.unk == 4 and amharic.unk_chars == amharic.chars  # each Ge'ez word and the "።" is one [UNK]
    assert multilingual.token_stats([], tokenizer).empty
    with pytest.raises(TypeError):
        multilingual.token_stats("one string", tokenizer)


def test_token_premium_is_a_ratio_of_totals():
    assert multilingual.token_premium([12, 18], [4, 12]) == pytest.approx(30 / 16)
    assert multilingual.token_premium(np.array([5, 5]), [5, 5]) == 1.0
    with pytest.raises(ValueError):
        multilingual.token_premium([1, 2], [1])
    with pytest.raises(ValueError):
        multilingual.token_premium([1], [0])


@pytest.mark.parametrize(("counts", "context", "expected"), [
    ([10, 20, 30], 30, 2), ([10, 20, 30], 29, 1), ([10, 20, 30], 60, 3), ([10, 20, 30], 1000, 3),
    ([40, 1, 1], 30, 0), ([], 100, 0), ([5, 50, 1], 10, 1),
])
def test_sentences_that_fit_counts_a_prefix(counts, context, expected):
    assert multilingual.sentences_that_fit(counts, context) == expected


def test_retrieval_hits_are_strict_and_allow_distractors():
    sims = np.array([[0.9, 0.1, 0.2], [0.5, 0.4, 0.3], [0.7, 0.7, 0.7]])
    np.testing.assert_array_equal(multilingual.retrieval_hits(sims), [True, False, False])
    assert multilingual.retrieval_accuracy(sims) == pytest.approx(1 / 3)
    wide = np.array([[0.9, 0.1, 0.95], [0.2, 0.8, 0.1]])  # a distractor column beats row 0
    np.testing.assert_array_equal(multilingual.retrieval_hits(wide), [False, True])
    rng = np.random.default_rng(0)
    for _ in range(5):
        m = rng.random((12, 15))
        oracle = [all(m[i, i] > m[i, j] for j in range(15) if j != i) for i in range(12)]
        np.testing.assert_array_equal(multilingual.retrieval_hits(m), oracle)
    with pytest.raises(ValueError):
        multilingual.retrieval_hits(np.ones((3, 2)))


def test_top_words_refuses_languages_wordfreq_lacks():
    words = multilingual.top_words("en", 50)
    assert len(words) == 50 and words[0] == "the" and all(any(c.isalpha() for c in w) for w in words)
    with pytest.raises(ValueError, match="no word list"):
        multilingual.top_words("sw")


def test_single_token_share(tokenizer):
    assert multilingual.single_token_share(["the", "house", "tokenization", "ሻይ"], tokenizer) == 0.5
    words = multilingual.top_words("de", 200)
    oracle = np.mean([len(p) == 1 and p[0] != tokenizer.unk_token for p in map(tokenizer.tokenize, words)])
    assert multilingual.single_token_share(words, tokenizer) == pytest.approx(oracle)
    assert multilingual.single_token_share(multilingual.top_words("en", 200), tokenizer) > 0.9


def test_altered_char_share_counts_stripped_marks_not_case(tokenizer):
    assert multilingual.altered_char_share("Hello World", tokenizer) == 0.0
    assert multilingual.altered_char_share("mañana", tokenizer) == pytest.approx(1 / 6)
    assert multilingual.altered_char_share("한국어", tokenizer) == 0.0  # decomposed, not lost
    assert multilingual.altered_char_share("が", tokenizer) == 1.0  # the voicing mark is deleted
    assert multilingual.altered_char_share("हूँ", tokenizer) == pytest.approx(2 / 3)  # two vowel marks lost
    assert multilingual.altered_char_share("   ", tokenizer) == 0.0
