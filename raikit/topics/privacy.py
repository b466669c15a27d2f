"""Privacy measurements: PII detection scores and redaction, canary exposure, membership
inference, and the Laplace mechanism of differential privacy.

Four tools of Module 08 ("Privacy") live here; the tiny language model they are applied to is
in :mod:`raikit.tiny_lm`.

**PII detection and redaction.** A *span* is a tuple ``(start, end, label)`` of character
offsets (``text[start:end]``) or, across a corpus, ``(doc_id, start, end, label)``. The
``pii_documents`` dataset ships the gold spans (:func:`gold_spans`). :func:`span_scores`
counts a predicted span as correct only if it matches a gold span *exactly* (same offsets and
label), as CoNLL-style named-entity evaluation does; :func:`character_scores` asks the
question a redaction cares about (which characters of personal data were hidden?), ignoring
labels and exact boundaries. :func:`redact` replaces spans by ``[LABEL]``.

**Canary exposure** (Carlini et al. 2019, "The Secret Sharer"). Given the log-perplexity of
every candidate secret in the randomness space R (for a 4-digit PIN, the 10,000 PINs), the
canary's *rank* is 1 + the number of candidates the model finds strictly more likely (lower
log-perplexity), and ``exposure = log2 |R| - log2 rank``. It is 0 when the canary is the
least likely of all candidates and log2 |R| (13.3 bits for PINs) when it is the most likely;
a canary the model never saw sits around the middle, about 1 bit.

**Membership inference** (Yeom et al. 2018): a model's loss on its training examples
(members) tends to be lower than on unseen ones; an attacker who guesses "member" when the
loss is below a threshold wins as often as :func:`membership_auc` says (0.5 = chance), and
:func:`tpr_at_fpr` says how many members it finds while wrongly accusing at most a given
share of non-members (Carlini et al. 2022, "Membership inference attacks from first
principles", argue for reporting this low-FPR number).

**Differential privacy** (Dwork et al. 2006): the Laplace mechanism adds noise of scale
``sensitivity / epsilon``. :func:`laplace_count` (sensitivity 1) and :func:`laplace_mean`
(values clipped to ``[lower, upper]``, so one person changes the mean of ``n`` values by at
most ``(upper - lower) / n``). :func:`load_diffprivlib` imports IBM's ``diffprivlib`` for
cross-checks.
"""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from raikit.data import DATA_DIR, DatasetError

SPANS_FILE = "pii_spans.csv"
PII_LABELS = ("NAME", "EMAIL", "PHONE", "ADDRESS", "ID")


# ---------------------------------------------------------------------------- PII data


def pii_spans() -> pd.DataFrame:
    """The gold PII spans of ``pii_documents``: ``doc_id``, ``start``, ``end``, ``label``, ``value``."""
    path = DATA_DIR / SPANS_FILE
    if not path.is_file():
        raise DatasetError(f"{path} is missing; restore it from git or rerun build_pii_documents.py.")
    frame = pd.read_csv(path, keep_default_na=False)
    missing = [c for c in ("doc_id", "start", "end", "label", "value") if c not in frame.columns]
    if missing:
        raise DatasetError(f"{path} lacks columns {missing}; rerun build_pii_documents.py.")
    return frame


def gold_spans(doc_ids: Iterable[str] | None = None) -> dict[str, list[tuple[int, int, str]]]:
    """Gold spans per document, ``{doc_id: [(start, end, label), ...]}`` sorted by start.

    Every requested document gets an entry, an empty list if it holds no personal data.
    """
    frame = pii_spans()
    wanted = list(doc_ids) if doc_ids is not None else sorted(set(frame["doc_id"]))
    out: dict[str, list[tuple[int, int, str]]] = {d: [] for d in wanted}
    for doc_id, start, end, label in zip(frame["doc_id"], frame["start"], frame["end"], frame["label"], strict=True):
        if doc_id in out:
            out[doc_id].append((int(start), int(end), str(label)))
    return {d: sorted(spans) for d, spans in out.items()}


def flatten(spans_by_doc: dict[str, Sequence[tuple]]) -> list[tuple]:
    """``{doc_id: [(start, end, label)]}`` to one list ``[(doc_id, start, end, label)]`` for corpus scores."""
    return [(doc_id, *span) for doc_id, spans in spans_by_doc.items() for span in spans]


# ---------------------------------------------------------------------------- scoring


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


def _prf(tp: int, n_predicted: int, n_gold: int) -> dict[str, float]:
    precision, recall = _ratio(tp, n_predicted), _ratio(tp, n_gold)
    if math.isnan(precision) or math.isnan(recall):
        f1 = float("nan")
    else:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


def span_scores(predicted: Iterable[tuple], gold: Iterable[tuple]) -> dict[str, float]:
    """Exact-match span precision, recall and F1 (plus counts ``tp``, ``n_predicted``, ``n_gold``).

    Spans are tuples (``(start, end, label)`` or ``(doc_id, start, end, label)``); duplicates
    count once. Precision is NaN when nothing is predicted, recall NaN when there is no gold
    span, F1 NaN when either is.
    """
    predicted, gold = set(map(tuple, predicted)), set(map(tuple, gold))
    tp = len(predicted & gold)
    return {**_prf(tp, len(predicted), len(gold)), "tp": tp, "n_predicted": len(predicted), "n_gold": len(gold)}


def scores_by_label(predicted: Iterable[tuple], gold: Iterable[tuple]) -> pd.DataFrame:
    """:func:`span_scores` for each label (the last element of a span), one row per label."""
    predicted, gold = list(map(tuple, predicted)), list(map(tuple, gold))
    labels = sorted({s[-1] for s in predicted} | {s[-1] for s in gold},
                    key=lambda x: (PII_LABELS.index(x) if x in PII_LABELS else len(PII_LABELS), x))
    rows = {label: span_scores([s for s in predicted if s[-1] == label], [s for s in gold if s[-1] == label])
            for label in labels}
    return pd.DataFrame(rows).T[["precision", "recall", "f1", "tp", "n_predicted", "n_gold"]]


def _characters(spans: Iterable[tuple]) -> set[tuple]:
    chars = set()
    for span in spans:
        *doc, start, end, _label = span
        chars.update((*doc, i) for i in range(int(start), int(end)))
    return chars


def character_scores(predicted: Iterable[tuple], gold: Iterable[tuple]) -> dict[str, float]:
    """Character-level precision, recall and F1, ignoring labels: the redaction view.

    Recall = share of the characters of personal data that some predicted span covers (what a
    redaction hides); precision = share of the covered characters that are personal data.
    """
    p, g = _characters(predicted), _characters(gold)
    return _prf(len(p & g), len(p), len(g))


# ---------------------------------------------------------------------------- redaction


def merge_spans(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sort spans and merge overlapping ones; a merged span keeps the label of its longest part."""
    merged: list[list] = []
    for start, end, label in sorted((int(s), int(e), str(lab)) for s, e, lab in spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[3]:
                last[2], last[3] = label, end - start
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, label, end - start])
    return [(s, e, lab) for s, e, lab, _ in merged]


def redact(text: str, spans: Iterable[tuple[int, int, str]], template: str = "[{label}]") -> str:
    """``text`` with every span replaced by ``template.format(label=...)`` (overlaps merged first)."""
    pieces, last = [], 0
    for start, end, label in merge_spans(spans):
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span ({start}, {end}) lies outside a text of length {len(text)}")
        pieces += [text[last:start], template.format(label=label)]
        last = end
    return "".join(pieces) + text[last:]


# ---------------------------------------------------------------------------- exposure


def canary_rank(log_perplexities: Sequence[float], canary_index: int) -> int:
    """1 + the number of candidates with a strictly lower log-perplexity than the canary's."""
    values = np.asarray(log_perplexities, dtype=float)
    return int(1 + np.sum(values < values[canary_index]))


def exposure(log_perplexities: Sequence[float], canary_index: int) -> float:
    """Carlini et al.'s exposure: ``log2(|R|) - log2(rank)``, with |R| = number of candidates."""
    return float(math.log2(len(log_perplexities)) - math.log2(canary_rank(log_perplexities, canary_index)))


# ---------------------------------------------------------------------------- membership inference


def membership_auc(member_losses: Sequence[float], nonmember_losses: Sequence[float]) -> float:
    """ROC AUC of the loss-threshold attack: P(a member's loss < a non-member's), ties count 1/2."""
    members = np.asarray(member_losses, dtype=float)
    others = np.sort(np.asarray(nonmember_losses, dtype=float))
    if members.size == 0 or others.size == 0:
        return float("nan")
    below = np.searchsorted(others, members, side="left")  # non-members strictly below each member
    ties = np.searchsorted(others, members, side="right") - below
    wins = others.size - below - ties  # non-members with a strictly higher loss
    return float((wins + 0.5 * ties).sum() / (members.size * others.size))


def tpr_at_fpr(member_losses: Sequence[float], nonmember_losses: Sequence[float], max_fpr: float) -> float:
    """Largest share of members flagged (loss < threshold) while flagging at most ``max_fpr`` of non-members.

    With ``k = floor(max_fpr * n_nonmembers)``, the best threshold is the (k+1)-th smallest
    non-member loss, so the answer is the share of members whose loss is strictly below it
    (1.0 if ``k`` reaches the number of non-members).
    """
    members = np.asarray(member_losses, dtype=float)
    others = np.sort(np.asarray(nonmember_losses, dtype=float))
    k = int(math.floor(max_fpr * others.size + 1e-9))
    if k >= others.size:
        return 1.0
    return float(np.mean(members < others[k]))


def roc_points(member_losses: Sequence[float], nonmember_losses: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """False and true positive rates of the loss-threshold attack at every threshold (for a ROC plot)."""
    from sklearn.metrics import roc_curve

    members, others = np.asarray(member_losses, dtype=float), np.asarray(nonmember_losses, dtype=float)
    fpr, tpr, _ = roc_curve(np.r_[np.ones(members.size), np.zeros(others.size)], -np.r_[members, others])
    return fpr, tpr


# ---------------------------------------------------------------------------- differential privacy


def laplace_scale(sensitivity: float, epsilon: float) -> float:
    """Scale ``b = sensitivity / epsilon`` of the Laplace noise that makes a query epsilon-DP."""
    if epsilon <= 0 or sensitivity < 0:
        raise ValueError("epsilon must be positive and sensitivity non-negative")
    return float(sensitivity / epsilon)


def laplace_count(true_count: float, epsilon: float, rng: np.random.Generator) -> float:
    """An epsilon-DP count: adding or removing one person changes a count by at most 1."""
    return float(true_count + rng.laplace(0.0, laplace_scale(1.0, epsilon)))


def laplace_mean(values: Sequence[float], lower: float, upper: float, epsilon: float,
                 rng: np.random.Generator) -> float:
    """An epsilon-DP mean of ``values`` clipped to ``[lower, upper]``.

    ``n`` is treated as public and neighbouring data sets differ in one person's value, so the
    sensitivity of the clipped mean is ``(upper - lower) / n``.
    """
    clipped = np.clip(np.asarray(values, dtype=float), lower, upper)
    if clipped.size == 0:
        raise ValueError("the mean of no values is undefined")
    return float(clipped.mean() + rng.laplace(0.0, laplace_scale((upper - lower) / clipped.size, epsilon)))


def load_diffprivlib():
    """Import IBM's ``diffprivlib`` (its mechanisms and tools) and return the module.

    diffprivlib 0.6.6, the newest release, imports ``DOUBLE`` and ``DTYPE`` from
    ``sklearn.tree._tree`` in ``diffprivlib.models.forest``; scikit-learn 1.9 removed them, so
    ``import diffprivlib`` fails although its mechanisms and tools do not need scikit-learn's
    trees. If (and only if) that is the failure, this function registers a placeholder for
    ``diffprivlib.models`` that explains the problem when used, and imports the rest.
    """
    try:
        import diffprivlib
    except ImportError as exc:
        if "sklearn.tree._tree" not in str(exc):
            raise
        reason = str(exc)
        placeholder = types.ModuleType("diffprivlib.models")
        placeholder.__doc__ = "placeholder: diffprivlib's models do not import with this scikit-learn"

        def __getattr__(name: str):  # AttributeError, as tools that probe modules (hasattr) expect
            raise AttributeError(f"diffprivlib.models.{name} is unavailable: diffprivlib 0.6.6 does not import with "
                              f"scikit-learn >= 1.9 ({reason}); its mechanisms and tools work.")

        placeholder.__getattr__ = __getattr__
        for name in [m for m in sys.modules if m.startswith("diffprivlib.models")]:
            del sys.modules[name]  # half-imported leftovers of the failed attempt
        sys.modules["diffprivlib.models"] = placeholder
        import diffprivlib
    return diffprivlib
