"""Prompt-injection detection, its honest evaluation, and screening documents in retrieval.

Module 07 ("LLM security") builds detectors for prompt injection and jailbreaks, evaluates
them on attack styles they have never seen, and puts one in front of a small retrieval
pipeline. No generative model is involved: everything here is about *what text reaches a
model's context*, never about what a model would then do.

===============================  =================================================================
helper                           what it does
===============================  =================================================================
:data:`RULES`                    a baseline list of regular expressions for known attack phrasing
:func:`prepare_for_rules`        NFKC, zero-width characters removed, lower case, single spaces
:func:`rule_detector`            1 if any rule matches the prepared text, else 0
:func:`detection_metrics`        precision, recall and false positive rate at a threshold
:func:`family_split`             train/test masks for in-distribution or leave-one-family-out runs
:func:`evaluate_detector`        fits logistic regression on embeddings and scores one family
:func:`retrieve`                 top-k documents by cosine similarity for each query
:func:`screen`                   drop the documents a detector flags from each retrieved context
:func:`exposure_rate`            share of queries whose context holds a poisoned document
:func:`document_scores`          score documents whole, or by their highest-scoring sentence
:func:`precision_at_prevalence`  the precision a detector would have at a realistic attack rate
:func:`split_sentences`          a document cut into sentences, for sentence-level screening
:func:`assemble_prompt`          the text an LLM application would send to its model
:func:`load_queries`             the customer questions used as retrieval queries
===============================  =================================================================

The data live in ``raikit/datasets/``: ``injection_prompts`` and ``injection_documents``
(``raikit.data.load``), plus ``injection_queries.csv`` (:func:`load_queries`), all built by
``build_injection_data.py`` and described in their datasheets.

Conventions: a score at or above the threshold is *flagged*; label 1 = attack, 0 = benign.
A rate whose denominator is empty is ``nan`` (not 0), so an empty slice never looks perfect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from raikit.data import DATA_DIR, DatasetError

FAMILIES = ("override", "prompt_leak", "roleplay", "fake_system", "indirect", "obfuscated")
BENIGN = "benign"
QUERIES_FILE = "injection_queries.csv"

# Characters that render as nothing: zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

# A baseline rule set, written the way such filters usually are: from the attacks one has
# already seen. Patterns are matched with re.search on prepare_for_rules(text).
RULES = [
    r"\b(ignore|disregard|forget|skip)\b.{0,40}\b(instructions?|rules|guidelines|directions|above|commands?)\b",
    r"\b(previous|prior|earlier|above)\b.{0,20}\b(instructions?|commands?|directions)\b",
    r"\bsystem (prompt|message|note)\b",
    r"\b(developer|admin|god|opposite) mode\b",
    r"\b(no|without) (rules|restrictions|guidelines|limits)\b",
    r"\bpretend (to be|you are)\b",
    r"\b(reveal|print|show|repeat)\b.{0,30}\b(prompt|instructions)\b",
    r"\[system\]|<\/?system>|<<sys>>",
    r"\bnew (instructions?|task|command|directive)\b",
    r"\b(rules|instructions|guidelines)\b.{0,30}\bno longer apply\b",
    r"\b(stop following|do not follow|don't follow)\b",
]


def prepare_for_rules(text: str) -> str:
    """Unicode NFKC form, zero-width characters removed, lower case, runs of whitespace as one space."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if char not in ZERO_WIDTH)
    return re.sub(r"\s+", " ", text.lower()).strip()


def rule_detector(text: str, patterns: Sequence[str] = RULES) -> int:
    """1 if any pattern (a regular expression) matches ``prepare_for_rules(text)``, else 0."""
    prepared = prepare_for_rules(text)
    return int(any(re.search(pattern, prepared) for pattern in patterns))


def rule_scores(texts: Sequence[str], patterns: Sequence[str] = RULES) -> np.ndarray:
    """:func:`rule_detector` for many texts, as an int array (a score of 0 or 1 per text)."""
    return np.array([rule_detector(text, patterns) for text in texts], dtype=int)


def detection_metrics(labels, scores, threshold: float = 0.5) -> dict[str, float]:
    """Precision, recall and false positive rate of "flag when score >= threshold".

    ``precision`` = flagged attacks / flagged; ``recall`` = flagged attacks / attacks;
    ``fpr`` = flagged benign / benign. Each is ``nan`` when its denominator is 0.
    """
    labels = np.asarray(labels).astype(int)
    flagged = np.asarray(scores, dtype=float) >= threshold
    if labels.shape != flagged.shape:
        raise ValueError(f"labels and scores differ in shape: {labels.shape} vs {flagged.shape}")
    tp = int(np.sum(flagged & (labels == 1)))
    fp = int(np.sum(flagged & (labels == 0)))
    positives, negatives = int(np.sum(labels == 1)), int(np.sum(labels == 0))

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    return {"precision": ratio(tp, tp + fp), "recall": ratio(tp, positives), "fpr": ratio(fp, negatives)}


def family_split(families, splits, test_family: str, hold_out: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Boolean ``(train, test)`` masks for evaluating a detector on one attack family.

    - test: rows of the ``test`` split whose family is ``test_family`` or ``benign``;
    - train: rows of the ``train`` split; with ``hold_out=True`` (leave one family out) the
      rows of ``test_family`` are removed from training, so the detector never sees its style.

    Both settings test on the *same* rows, so their difference measures only what seeing
    the style in training is worth.
    """
    families, splits = np.asarray(families), np.asarray(splits)
    if test_family == BENIGN or test_family not in set(families.tolist()):
        raise ValueError(f"test_family must be an attack family present in the data, got {test_family!r}")
    test = (splits == "test") & np.isin(families, [test_family, BENIGN])
    train = splits == "train"
    if hold_out:
        train &= families != test_family
    return train, test


def fit_detector(X, y, C: float = 10.0):
    """Logistic regression (``LogisticRegression(C=C, max_iter=1000)``) on embedding rows ``X``.

    ``C=10`` (weak regularisation) because MiniLM embeddings have length 1: with the default
    ``C=1`` the weights stay so small that every score sits near 0.5.
    """
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=1000).fit(np.asarray(X, dtype=float), np.asarray(y).astype(int))


def evaluate_detector(X, labels, families, splits, test_family: str, hold_out: bool = True,
                      threshold: float = 0.5, C: float = 10.0) -> dict[str, float]:
    """Fit :func:`fit_detector` on the train mask of :func:`family_split` and score its test mask.

    Returns :func:`detection_metrics` on the test rows: recall on ``test_family``'s test
    attacks, false positive rate on the benign test prompts, and precision.
    """
    X, labels = np.asarray(X, dtype=float), np.asarray(labels).astype(int)
    train, test = family_split(families, splits, test_family, hold_out)
    model = fit_detector(X[train], labels[train], C=C)
    return detection_metrics(labels[test], model.predict_proba(X[test])[:, 1], threshold)


def retrieve(query_vectors, doc_vectors, k: int) -> np.ndarray:
    """Indices of the ``k`` documents most cosine-similar to each query, best first.

    Returns an int array of shape ``(n_queries, k)``; equal similarities rank the lower
    document index first.
    """
    from raikit.evaluation import cosine_similarity_matrix

    query_vectors = np.atleast_2d(np.asarray(query_vectors, dtype=float))
    doc_vectors = np.asarray(doc_vectors, dtype=float)
    if not 1 <= k <= len(doc_vectors):
        raise ValueError(f"k must lie between 1 and the number of documents ({len(doc_vectors)}), got {k}")
    sims = cosine_similarity_matrix(query_vectors, doc_vectors)
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def screen(contexts, doc_scores, threshold: float = 0.5) -> list[list[int]]:
    """Drop, from each context (a list of document indices), the documents scored ``>= threshold``.

    Order within a context is kept. ``doc_scores[i]`` is the detector's score of document ``i``.
    """
    doc_scores = np.asarray(doc_scores, dtype=float)
    return [[int(i) for i in context if doc_scores[int(i)] < threshold] for context in contexts]


def exposure_rate(contexts, poisoned) -> float:
    """Share of queries whose context holds at least one poisoned document (``nan`` for no queries).

    ``contexts`` is one list (or array row) of document indices per query, possibly empty;
    ``poisoned[i]`` is 1 when document ``i`` carries an injected instruction.
    """
    poisoned = np.asarray(poisoned).astype(int)
    contexts = [list(context) for context in contexts]
    if not contexts:
        return float("nan")
    return float(np.mean([any(poisoned[int(i)] == 1 for i in context) for context in contexts]))


def document_scores(texts: Sequence[str], score_texts, unit: str = "document") -> np.ndarray:
    """A detector's score for each document, reading it whole or sentence by sentence.

    ``score_texts`` maps a list of strings to an array of scores (e.g. embed + classifier).
    With ``unit="document"`` each text is scored as one piece; with ``unit="sentence"`` each
    text is cut by :func:`split_sentences` and gets the *highest* score of its sentences, so
    one injected sentence cannot hide inside a long, harmless document.
    """
    texts = list(texts)
    if unit == "document":
        return np.asarray(score_texts(texts), dtype=float)
    if unit != "sentence":
        raise ValueError(f"unit must be 'document' or 'sentence', got {unit!r}")
    pieces = [split_sentences(text) or [text] for text in texts]
    flat = np.asarray(score_texts([s for group in pieces for s in group]), dtype=float)
    bounds = np.cumsum([0] + [len(group) for group in pieces])
    return np.array([flat[bounds[i]:bounds[i + 1]].max() for i in range(len(texts))])


def precision_at_prevalence(recall: float, fpr: float, prevalence: float) -> float:
    """Precision a detector would have if a share ``prevalence`` of the traffic were attacks.

    Test sets are often half attacks; real traffic rarely is. By Bayes' rule,
    ``precision = recall*p / (recall*p + fpr*(1-p))``; ``nan`` if nothing would be flagged.
    """
    if not 0.0 <= prevalence <= 1.0:
        raise ValueError(f"prevalence is a share and must lie in [0, 1], got {prevalence}")
    flagged = recall * prevalence + fpr * (1.0 - prevalence)
    return recall * prevalence / flagged if flagged > 0 else float("nan")


def split_sentences(text: str) -> list[str]:
    """Cut ``text`` after '.', '!' or '?' followed by whitespace; an HTML comment stays one piece."""
    pieces = re.split(r"(<!--.*?-->)", text)
    out: list[str] = []
    for piece in pieces:
        if piece.startswith("<!--"):
            out.append(piece)
        else:
            out += [s for s in re.split(r"(?<=[.!?])\s+", piece) if s.strip()]
    return [s.strip() for s in out if s.strip()]


def assemble_prompt(system: str, documents: Sequence[str], question: str) -> str:
    """The single text a retrieval-augmented assistant would send to its model.

    Developer instructions, retrieved documents and the user's question end up in one
    string: the model receives no reliable signal of which parts are instructions and
    which are data. That is why injected text in a document can act as an instruction.
    """
    context = "\n".join(f"[document {i + 1}] {doc}" for i, doc in enumerate(documents))
    return f"SYSTEM: {system}\n\nCONTEXT:\n{context}\n\nUSER: {question}\nASSISTANT:"


def load_queries() -> pd.DataFrame:
    """The customer questions used as retrieval queries (``query_id``, ``topic``, ``text``)."""
    path = DATA_DIR / QUERIES_FILE
    if not path.is_file():
        raise DatasetError(f"{path} is missing; restore it from git or rerun build_injection_data.py.")
    return pd.read_csv(path, keep_default_na=False)
