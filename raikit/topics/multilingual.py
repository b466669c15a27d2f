"""Multilingual measurements: who pays more tokens, and how much of a language a model can read.

Module 11 ("Multilingual and inclusive AI") uses these helpers on the kit's parallel
sentence set (``raikit.data.load("parallel_sentences")``: the same 40 sentences in 14
languages) and on word-frequency lists from the ``wordfreq`` package:

- :func:`token_stats` counts, per text, the word pieces a tokenizer produces, how many are
  ``[UNK]``, how many characters those ``[UNK]`` pieces swallow, and characters and
  whitespace-separated words;
- :func:`token_premium` is the *tokenization premium* of Petrov et al. (2023): the tokens a
  language needs for a parallel text divided by the tokens English needs for the same text;
- :func:`sentences_that_fit` counts how many leading sentences of a document fit in a
  context window;
- :func:`retrieval_hits` / :func:`retrieval_accuracy` score translation retrieval from a
  similarity matrix (row ``i``'s true partner is column ``i``);
- :func:`top_words` and :func:`single_token_share` measure how much of a language's frequent
  vocabulary a tokenizer keeps whole;
- :func:`altered_char_share` measures how many characters a tokenizer's normaliser changes
  (beyond lowercasing) before the model ever sees the text.

Functions that need a tokenizer take one as ``tokenizer``; by default they use the
``embedder`` role's tokenizer (``raikit.models.load_tokenizer``), loaded lazily.

Petrov, A., La Malfa, E., Torr, P. H. S. and Bibi, A. (2023). Language model tokenizers
introduce unfairness between languages. NeurIPS 2023.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from raikit import models


def _tokenizer(tokenizer):
    if tokenizer is not None:
        return tokenizer
    return models.load_tokenizer("embedder")


def token_stats(texts: Sequence[str], tokenizer=None) -> pd.DataFrame:
    """One row per text: ``tokens``, ``unk``, ``unk_chars``, ``chars``, ``words``.

    - ``tokens``: word pieces, *without* the special tokens ``[CLS]``/``[SEP]`` that the
      model adds to every input (they cost the same in every language);
    - ``unk``: how many of those pieces are the unknown token;
    - ``unk_chars``: how many characters of the text fall inside ``[UNK]`` pieces (a WordPiece
      tokenizer turns a whole word into one ``[UNK]`` when any of its characters is unknown,
      so this says how much of the text the model cannot read, where ``unk`` undercounts);
    - ``chars``: characters that are not whitespace;
    - ``words``: whitespace-separated words (meaningless for Chinese and Japanese, which
      do not separate words by spaces: compare those by characters or by the premium).

    Needs a "fast" tokenizer (one that reports character offsets), as every Hugging Face
    BERT-style tokenizer in the kit does.
    """
    texts = models.text_list(texts, "token_stats()")
    tok = _tokenizer(tokenizer)
    if not texts:
        return pd.DataFrame(columns=["tokens", "unk", "unk_chars", "chars", "words"], dtype=int)
    encoded = tok(texts, add_special_tokens=False, return_offsets_mapping=True)
    unk_id = tok.unk_token_id
    rows = []
    for text, ids, offsets in zip(texts, encoded["input_ids"], encoded["offset_mapping"], strict=True):
        unk_spans = {(start, end) for (start, end), i in zip(offsets, ids, strict=True) if i == unk_id}
        rows.append({
            "tokens": len(ids),
            "unk": sum(i == unk_id for i in ids),
            "unk_chars": sum(not text[p].isspace() for s, e in unk_spans for p in range(s, e)),
            "chars": sum(not c.isspace() for c in text),
            "words": len(text.split()),
        })
    return pd.DataFrame(rows)


def token_premium(counts, english_counts) -> float:
    """Tokens a language needs for a parallel text, relative to English (ratio of totals).

    ``counts[i]`` and ``english_counts[i]`` are the token counts of the ``i``-th sentence and
    of its English original. The premium is ``sum(counts) / sum(english_counts)``: a premium
    of 2 means the same content costs twice as many tokens, so twice the price under
    per-token pricing and half as much content in a fixed context window. (The mean of
    per-sentence ratios would give short sentences as much weight as long ones.)
    """
    counts = np.asarray(counts, dtype=float)
    english = np.asarray(english_counts, dtype=float)
    if counts.shape != english.shape or counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"need two non-empty 1-D sequences of equal length, got {counts.shape} and {english.shape}")
    if english.sum() <= 0:
        raise ValueError("the English token counts sum to zero")
    return float(counts.sum() / english.sum())


def sentences_that_fit(counts, context: int) -> int:
    """How many *leading* sentences of a document fit in ``context`` tokens.

    ``counts`` are the token counts of the document's sentences in order. The answer is the
    largest ``k`` with ``sum(counts[:k]) <= context``; reading stops at the first sentence
    that does not fit (a model truncates its input, it does not skip ahead).
    """
    total = np.cumsum(np.asarray(counts, dtype=float))
    return int(np.searchsorted(total, context, side="right"))


def retrieval_hits(similarity) -> np.ndarray:
    """For each row of ``similarity``, whether its true partner (column ``i``) is the strict best.

    ``similarity[i, j]`` compares item ``i`` of one language with item ``j`` of another; the
    matrix may have more columns than rows (extra distractors). A tie for the best score
    counts as a miss: a retriever that cannot tell two candidates apart has not found the
    right one. Returns a boolean array of length ``n_rows``.
    """
    sims = np.asarray(similarity, dtype=float)
    if sims.ndim != 2 or sims.shape[1] < sims.shape[0]:
        raise ValueError(f"need an n x m similarity matrix with m >= n, got shape {sims.shape}")
    rows = np.arange(sims.shape[0])
    own = sims[rows, rows]
    others = sims.copy()
    others[rows, rows] = -np.inf
    return own > others.max(axis=1) if sims.shape[1] > 1 else np.ones(len(rows), dtype=bool)


def retrieval_accuracy(similarity) -> float:
    """Top-1 translation-retrieval accuracy: the share of rows whose partner is the strict best."""
    return float(np.mean(retrieval_hits(similarity)))


def top_words(language: str, n: int = 1000) -> list[str]:
    """The ``n`` most frequent words of ``language`` in ``wordfreq`` that contain a letter.

    ``wordfreq`` falls back to the *nearest* language it has (English, for Swahili or Amharic)
    when asked for one it lacks, and only logs a warning (which a notebook may not show); this
    function refuses instead, because a coverage number for "Swahili" computed on English words
    would be a lie that is easy to miss.
    """
    import wordfreq

    if language not in wordfreq.available_languages():
        raise ValueError(f"wordfreq has no word list for {language!r}; it has: "
                         f"{', '.join(sorted(wordfreq.available_languages()))}.")
    words = [w for w in wordfreq.top_n_list(language, 3 * n + 100) if any(c.isalpha() for c in w)]
    return words[:n]


def single_token_share(words: Sequence[str], tokenizer=None) -> float:
    """Share of ``words`` that the tokenizer keeps whole: exactly one piece, and not ``[UNK]``."""
    words = models.text_list(words, "single_token_share()")
    if not words:
        raise ValueError("need at least one word")
    tok = _tokenizer(tokenizer)
    ids = tok(words, add_special_tokens=False)["input_ids"]
    return float(np.mean([len(i) == 1 and i[0] != tok.unk_token_id for i in ids]))


def altered_char_share(text: str, tokenizer=None) -> float:
    """Share of the non-space characters of ``text`` that the tokenizer's normaliser changes.

    Lowercasing is not counted as a change. BERT-style *uncased* tokenizers also strip
    accents: they decompose characters (Unicode NFD) and delete the non-spacing marks (Unicode
    category Mn). That turns Spanish "mañana" into "manana", but it also deletes the Hindi vowel
    signs that are non-spacing marks (ु ू ृ े ै; the spacing signs ा ि ी ो ौ survive), the
    Japanese voicing marks (が becomes か) and the Russian breve (й becomes и): letters that
    change the word. Characters are compared after NFC composition, so a Korean syllable that
    is merely decomposed into its letters counts as unchanged. Needs a tokenizer with a
    ``backend_tokenizer.normalizer`` (a Hugging Face "fast" tokenizer).
    """
    tok = _tokenizer(tokenizer)
    normalizer = tok.backend_tokenizer.normalizer
    chars = [c for c in text if not c.isspace()]
    if not chars or normalizer is None:
        return 0.0
    nfc = unicodedata.normalize
    changed = sum(nfc("NFC", normalizer.normalize_str(c).strip()) != nfc("NFC", c.lower()) for c in chars)
    return changed / len(chars)
