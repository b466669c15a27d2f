"""Auditing a moderation model for identity bias: counterfactual suites and subgroup AUCs.

Two tools of a moderation audit live here.

*Templated counterfactual test suites* (Dixon et al. 2018, "Measuring and Mitigating
Unintended Bias in Text Classification"): sentence templates such as "I am {person}." are
filled with every identity in a list, so the sentences differ *only* in the identity. A fair
model gives them the same score; any gap comes from the identity word alone.

*Subgroup AUCs* (Borkan et al. 2019, "Nuanced Metrics for Measuring Unintended Bias with
Real Data for Text Classification"). For the items that mention one identity (the
*subgroup*) and all other items (the *background*):

==================  ====================================================================
metric              ROC AUC computed on
==================  ====================================================================
subgroup AUC        subgroup items only (toxic and non-toxic)
BPSN AUC            non-toxic subgroup items + toxic background items
                    ("background positive, subgroup negative"); low when the model scores
                    harmless mentions of the identity as high as real abuse elsewhere
BNSP AUC            toxic subgroup items + non-toxic background items
                    ("background negative, subgroup positive"); low when abuse aimed at
                    the identity scores as low as harmless text elsewhere
==================  ====================================================================

AUCs use :func:`sklearn.metrics.roc_auc_score` (ties between a toxic and a non-toxic item
count one half). When a subset lacks toxic or non-toxic items the AUC is undefined and the
functions return ``nan``.

The template and identity tables ship in ``raikit/datasets/`` (built by
``build_moderation_data.py``; documented in ``moderation_comments.datasheet.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from raikit.data import DATA_DIR, DatasetError

TEMPLATES_FILE = "moderation_templates.csv"
IDENTITIES_FILE = "moderation_identities.csv"
SUITE_COLUMNS = ["text", "template_id", "identity", "toxic"]


def _read(filename: str, required: list[str]) -> pd.DataFrame:
    path = DATA_DIR / filename
    if not path.is_file():
        raise DatasetError(f"{path} is missing; restore it from git or rerun build_moderation_data.py.")
    frame = pd.read_csv(path, keep_default_na=False)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DatasetError(f"{path} lacks columns {missing}; rerun build_moderation_data.py.")
    return frame


def load_templates() -> pd.DataFrame:
    """The counterfactual templates: ``template_id``, ``template`` (a ``{person}`` or ``{people}`` slot), ``toxic``."""
    return _read(TEMPLATES_FILE, ["template_id", "template", "toxic"])


def load_identities() -> pd.DataFrame:
    """Identities for the templates: ``identity``, ``person`` ("a gay person"), ``people`` ("gay people"),
    ``category``, ``in_comments`` (1 if the ``moderation_comments`` data tags it)."""
    return _read(IDENTITIES_FILE, ["identity", "person", "people", "category", "in_comments"])


def fill_templates(templates: pd.DataFrame, identities: pd.DataFrame) -> pd.DataFrame:
    """Every template filled with every identity: one row per (template, identity) pair.

    ``{person}`` takes the identity's ``person`` form and ``{people}`` its ``people`` form.
    Rows come template by template, identities in the given order within each template.
    Returns columns ``text``, ``template_id``, ``identity``, ``toxic``.
    """
    rows = [
        {"text": template.template.format(person=who.person, people=who.people),
         "template_id": template.template_id, "identity": who.identity, "toxic": int(template.toxic)}
        for template in templates.itertuples(index=False)
        for who in identities.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=SUITE_COLUMNS)


def counterfactual_suite(identities: Sequence[str] | None = None) -> pd.DataFrame:
    """The shipped templates filled with the shipped identities (or the named subset of them)."""
    table = load_identities()
    if identities is not None:
        unknown = sorted(set(identities) - set(table["identity"]))
        if unknown:
            raise ValueError(f"unknown identities {unknown}; known: {', '.join(table['identity'])}")
        table = table.set_index("identity").loc[list(identities)].reset_index()
    return fill_templates(load_templates(), table)


def _arrays(scores, labels, in_group) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels).astype(int)
    in_group = np.asarray(in_group, dtype=bool)
    if not (scores.shape == labels.shape == in_group.shape) or scores.ndim != 1:
        raise ValueError(f"scores, labels and in_group must be 1-D and equally long; got shapes "
                         f"{scores.shape}, {labels.shape}, {in_group.shape}")
    return scores, labels, in_group


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if len(np.unique(labels)) < 2:
        return float("nan")
    return float(roc_auc_score(labels, scores))


def subgroup_auc(scores, labels, in_group) -> float:
    """ROC AUC on the subgroup's items only: does the model separate toxic from non-toxic *within* it?"""
    scores, labels, in_group = _arrays(scores, labels, in_group)
    return _auc(scores[in_group], labels[in_group])


def bpsn_auc(scores, labels, in_group) -> float:
    """Background-positive, subgroup-negative AUC: non-toxic subgroup items vs toxic background items."""
    scores, labels, in_group = _arrays(scores, labels, in_group)
    keep = (in_group & (labels == 0)) | (~in_group & (labels == 1))
    return _auc(scores[keep], labels[keep])


def bnsp_auc(scores, labels, in_group) -> float:
    """Background-negative, subgroup-positive AUC: toxic subgroup items vs non-toxic background items."""
    scores, labels, in_group = _arrays(scores, labels, in_group)
    keep = (in_group & (labels == 1)) | (~in_group & (labels == 0))
    return _auc(scores[keep], labels[keep])


def false_positive_rate(scores, labels, threshold: float) -> float:
    """Share of non-toxic items flagged (score >= threshold); ``nan`` when there are none."""
    scores = np.asarray(scores, dtype=float)
    negatives = np.asarray(labels).astype(int) == 0
    return float(np.mean(scores[negatives] >= threshold)) if negatives.any() else float("nan")


def identity_report(scores, labels, identities, threshold: float = 0.5) -> pd.DataFrame:
    """One row per identity (the empty string, "no identity", is background only).

    Columns: ``n`` items, ``n_toxic``, ``fpr`` (share of its non-toxic items flagged at
    ``threshold``), ``fnr`` (share of its toxic items not flagged), ``mean_score_nontoxic``,
    ``subgroup_auc``, ``bpsn_auc``, ``bnsp_auc``. Rows follow the order in which identities
    first appear.
    """
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels).astype(int)
    identities = np.asarray(identities, dtype=object)
    rows = {}
    for name in pd.unique(identities):
        if name == "":
            continue
        group = identities == name
        toxic = group & (labels == 1)
        rows[name] = {
            "n": int(group.sum()),
            "n_toxic": int(toxic.sum()),
            "fpr": false_positive_rate(scores[group], labels[group], threshold),
            "fnr": float(np.mean(scores[toxic] < threshold)) if toxic.any() else float("nan"),
            "mean_score_nontoxic": float(scores[group & (labels == 0)].mean()) if (group & (labels == 0)).any()
            else float("nan"),
            "subgroup_auc": subgroup_auc(scores, labels, group),
            "bpsn_auc": bpsn_auc(scores, labels, group),
            "bnsp_auc": bnsp_auc(scores, labels, group),
        }
    report = pd.DataFrame.from_dict(rows, orient="index")
    report.index.name = "identity"
    return report


def profanity_word_weights(words: Sequence[str]) -> pd.Series:
    """Weight of each word in ``alt-profanity-check``'s linear model (``nan`` if not in its vocabulary).

    The model is a TF-IDF bag of words fed to a linear SVM, calibrated by
    ``CalibratedClassifierCV`` (5 folds). The weight shown is the mean of the 5 SVMs'
    coefficients: positive pushes a text towards "offensive", negative away from it.
    """
    from profanity_check import profanity_check

    coefficients = np.mean([c.estimator.coef_[0] for c in profanity_check.model.calibrated_classifiers_], axis=0)
    vocabulary = profanity_check.vectorizer.vocabulary_
    return pd.Series({w: float(coefficients[vocabulary[w]]) if w in vocabulary else float("nan") for w in words},
                     name="weight")
