"""Evaluating a generative model's answers (module 13): hallucination against the kit
assistant's knowledge base by how often each fact was seen in training, answer confidence
from token log-probabilities, selective answering, grounding by retrieval, prompt sensitivity.

Everything here builds on the public API of :mod:`raikit.topics.assistant` (``load``,
``generate``, ``conversation``, ``answer_logprobs``, ``facts``, ``conversations``,
``is_refusal``) and on the foundation (``raikit.models.embed``, ``raikit.evaluation``).

Three kinds of functions:

- scoring a reply (pure): :func:`normalise`, :func:`is_abstention`, :func:`grade` (exact or
  lenient), :func:`wilson_interval`, :func:`rate_table`;
- confidence and abstention (pure): :func:`risk_coverage`, :func:`aurc`,
  :func:`threshold_for_accuracy`; :func:`agreement` across prompt variants;
  :func:`top_k` retrieval from a similarity matrix;
- running the model (greedy, batched, cheap): :func:`ask_all`, :func:`confidences`,
  :func:`fact_documents`, :func:`retrieve`, :func:`prompt_variants`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from raikit.topics import assistant as _assistant

OUTCOMES = ("correct", "abstained", "hallucinated")
ABSTAIN_STARTS = ("i don't know", "i do not know", "i'm not sure", "i am not sure", "unknown")
SYSTEM = "You are a helpful assistant."
SYSTEM_CONTEXT = "Answer from the context."  # the system prompt of the assistant's context_qa training


# ---------------------------------------------------------------------------- scoring replies


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed, surrounding spaces and final punctuation (``.!?``) removed."""
    text = re.sub(r"\s+", " ", str(text)).strip().lower()
    return text.rstrip(".!? ").strip()


def is_abstention(reply: str) -> bool:
    """An empty reply, "I don't know"-style replies, and refusals count as abstaining."""
    text = normalise(reply)
    return text == "" or text.startswith(ABSTAIN_STARTS) or _assistant.is_refusal(reply)


def grade(reply: str, gold: str, *, lenient: bool = False) -> str:
    """``"correct"``, ``"abstained"`` or ``"hallucinated"`` (a confident, wrong answer).

    Exact scoring: the normalised reply equals the normalised gold answer. Lenient scoring:
    the gold answer occurs as a whole word in the reply ("a town that exports copper." is
    then correct for "copper"; so would be "copper or salt", which is why lenient scoring
    flatters a model).
    """
    if is_abstention(reply):
        return "abstained"
    text, target = normalise(reply), normalise(gold)
    if lenient:
        hit = re.search(rf"(?<![a-z0-9]){re.escape(target)}(?![a-z0-9])", text) is not None
    else:
        hit = text == target
    return "correct" if hit else "hallucinated"


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion ``k / n`` (NaNs when ``n`` is 0).

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0/10 or 10/10,
    which matters here: ten facts per exposure level, rates often exactly 0 or 1.
    """
    if n <= 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def rate_table(groups: Sequence, hits: Sequence[bool], *, name: str = "rate"):
    """Per group (sorted): ``n``, ``k`` (hits), the rate and its 95% Wilson interval, as a DataFrame."""
    import pandas as pd

    groups, hits = list(groups), [bool(h) for h in hits]
    if len(groups) != len(hits):
        raise ValueError(f"groups and hits differ in length: {len(groups)} vs {len(hits)}")
    rows = []
    for group in sorted(set(groups)):
        chosen = [h for g, h in zip(groups, hits, strict=True) if g == group]
        k, n = sum(chosen), len(chosen)
        low, high = wilson_interval(k, n)
        rows.append({"group": group, "n": n, "k": k, name: k / n, "low": low, "high": high})
    return pd.DataFrame(rows).set_index("group")


# ---------------------------------------------------------------------------- confidence and abstention


def _scores_and_labels(confidence, correct) -> tuple[np.ndarray, np.ndarray]:
    c, y = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=float)
    if c.shape != y.shape or c.ndim != 1:
        raise ValueError(f"confidence and correct must be 1-D and of equal length, got {c.shape} and {y.shape}")
    return c, y


def risk_coverage(confidence, correct):
    """Selective answering: answer when confidence >= t, abstain otherwise.

    One row per distinct confidence value t (highest first): ``threshold``, ``coverage`` (share
    answered), ``accuracy`` (share of the answered that are correct) and ``risk`` (1 - accuracy).
    """
    import pandas as pd

    c, y = _scores_and_labels(confidence, correct)
    rows = []
    for t in np.unique(c)[::-1]:
        answered = c >= t
        accuracy = float(y[answered].mean())
        rows.append({"threshold": float(t), "coverage": float(answered.mean()), "accuracy": accuracy,
                     "risk": 1.0 - accuracy})
    return pd.DataFrame(rows, columns=["threshold", "coverage", "accuracy", "risk"])


def aurc(confidence, correct) -> float:
    """Area under the risk-coverage curve: the mean, over the n answers, of the error rate among
    the answers at least as confident as it (lower is better; ties share one value).

    A perfect ranking of the same answers gives the smallest possible value; a random ranking
    about the overall error rate. NaN for no answers.
    """
    c, y = _scores_and_labels(confidence, correct)
    if c.size == 0:
        return float("nan")
    risks = [1.0 - float(y[c >= t].mean()) for t in c]
    return float(np.mean(risks))


def threshold_for_accuracy(confidence, correct, target: float) -> float:
    """The lowest confidence threshold t (one of the confidences) whose answered set (confidence >= t)
    reaches ``target`` accuracy: the largest coverage at that accuracy. ``inf`` if none does."""
    c, y = _scores_and_labels(confidence, correct)
    for t in np.unique(c):  # lowest first: the first that reaches the target answers the most
        if float(y[c >= t].mean()) >= target:
            return float(t)
    return float("inf")


def top_k(similarity, k: int) -> list[list[int]]:
    """Per row of a (queries x documents) similarity matrix, the indices of its ``k`` most similar
    documents, most similar first; ties go to the lower document index; all documents if k exceeds them."""
    s = np.asarray(similarity, dtype=float)
    if s.ndim != 2:
        raise ValueError(f"similarity must be a 2-D matrix, got shape {s.shape}")
    order = np.argsort(-s, axis=1, kind="stable")
    return [[int(i) for i in row[:max(0, k)]] for row in order]


def agreement(answers_by_variant: dict[str, Sequence[str]], reference: str) -> dict[str, float]:
    """Per variant (but the reference), the share of questions whose normalised answer equals the
    reference variant's normalised answer (NaN for no questions)."""
    base = [normalise(a) for a in answers_by_variant[reference]]
    out = {}
    for name, answers in answers_by_variant.items():
        if name == reference:
            continue
        if len(answers) != len(base):
            raise ValueError(f"variant {name!r} has {len(answers)} answers, the reference {len(base)}")
        out[name] = float(np.mean([normalise(a) == b for a, b in zip(answers, base, strict=True)])) \
            if base else float("nan")
    return out


# ---------------------------------------------------------------------------- running the model


def ask_all(questions: Sequence[str], *, system: str | Sequence[str] = SYSTEM,
            contexts: Sequence[str] | None = None, assistant=None, max_new_tokens: int = 8) -> list[str]:
    """Greedy replies of the assistant to one-question conversations, in one batched call.

    ``system`` is one prompt for all or one per question; ``contexts`` (optional) puts one
    document per question in a tool-result message, as the assistant was trained to read.
    """
    assistant = assistant or _assistant.load()
    prompts = _prompts(questions, system, contexts)
    return _assistant.generate(assistant, prompts, max_new_tokens=max_new_tokens)


def _prompts(questions, system, contexts) -> list[list[dict]]:
    questions = list(questions)
    systems = [system] * len(questions) if isinstance(system, str) else list(system)
    contexts = [None] * len(questions) if contexts is None else list(contexts)
    if not len(systems) == len(contexts) == len(questions):
        raise ValueError("questions, system prompts and contexts must have the same length")
    return [_assistant.conversation(q, system=s, context=c) for q, s, c in zip(questions, systems, contexts,
                                                                                 strict=True)]


def confidences(questions: Sequence[str], replies: Sequence[str], *, system: str | Sequence[str] = SYSTEM,
                contexts: Sequence[str] | None = None, assistant=None):
    """How sure the assistant was of each (greedy) reply, from its token log-probabilities.

    A DataFrame with ``sequence_prob`` (P(reply and its end token | conversation)) and
    ``mean_token_prob`` (the geometric mean per token, exp of the mean log-probability).
    """
    import pandas as pd

    assistant = assistant or _assistant.load()
    rows = []
    for messages, reply in zip(_prompts(questions, system, contexts), replies, strict=True):
        score = _assistant.answer_logprobs(messages, reply, assistant)
        rows.append({"sequence_prob": score.probability, "mean_token_prob": float(math.exp(score.mean))})
    return pd.DataFrame(rows)


def fact_documents(facts=None) -> list[str]:
    """The document store for grounding: one sentence per fact, in the knowledge base's order,
    in the words of the assistant's training statements ("Dunost is a town that exports rope.")."""
    facts = _assistant.facts() if facts is None else facts
    return [f"{town} is a town that exports {good}." for town, good in zip(facts["town"], facts["good"],
                                                                             strict=True)]


def retrieve(queries: Sequence[str], documents: Sequence[str], k: int = 1) -> tuple[list[list[int]], np.ndarray]:
    """Top-``k`` documents per query by cosine similarity of MiniLM embeddings (``raikit.models.embed``).

    Returns the indices (:func:`top_k`'s tie rule) and the similarity matrix.
    """
    from raikit import models
    from raikit.evaluation import cosine_similarity_matrix

    sims = cosine_similarity_matrix(models.embed(list(queries)), models.embed(list(documents)))
    return top_k(sims, k), sims


def prompt_variants(question: str, new_question: str) -> dict[str, tuple[str, str]]:
    """The same question asked in other ways: name -> (system prompt, user text).

    Surface changes that should not change an answer (casing, spacing, a question prefix, a
    different system prompt) and one rewording (the knowledge base's ``new_question``).
    """
    return {
        "as trained": (SYSTEM, question),
        "lower case": (SYSTEM, question.lower()),
        "extra spaces": (SYSTEM, "  " + question.replace(" ", "  ") + "  "),
        "no question mark": (SYSTEM, question.rstrip("?")),
        "'Question:' prefix": (SYSTEM, f"Question: {question}"),
        "other system prompt": ("You are a concise assistant for a trading company.", question),
        "reworded": (SYSTEM, new_question),
    }
