"""raikit: the shared helper package of the responsible-AI course kit.

Lessons and assignments import these small, tested modules instead of pasting code into
cells. The package is arranged by audience:

**Foundation** (``raikit/``), used by every module's notebooks:

- ``raikit.seeding``      one function that seeds every random source the course uses
- ``raikit.models``       model *roles* (embedder, classifier_base) with offline defaults
- ``raikit.data``         loaders for the datasets the course uses, each with a datasheet
- ``raikit.evaluation``   metrics, bootstrap intervals, paired comparison, near-duplicates
- ``raikit.plotting``     colour-blind-safe course style for figures
- ``raikit.checks``       strict comparisons used by assignment tests (cannot be fooled by
                          objects that claim to equal everything)
- ``raikit.legal``        the kit's dated legal facts (``datasets/legal_facts.json``): dates,
                          articles, fines and scopes with their sources and as-of date
- ``raikit.lesson``       ``expect()`` for statements a lesson's text makes about its numbers
                          (a note when a learner's change breaks one; an error under
                          ``RAIKIT_STRICT_LESSONS=1``), and numbers printed for readers

**One helper module per course topic** (``raikit/topics/``); notebooks import them by their
short names, ``from raikit import fairness`` (see "Short names" below):

- ``calibration``  reliability bins, ECE, temperature scaling, reliability diagram (module 02)
- ``fairness``     group rates and gaps, bootstrap intervals, group thresholds (03)
- ``bias``         WEAT/SEAT association tests on embeddings (04)
- ``moderation``   counterfactual identity suites and bias AUCs for moderation audits (05)
- ``finetune``     fine-tuning a classification head on a transformer role (05)
- ``perturb``      text perturbation attacks and a normalisation defence (06)
- ``security``     prompt-injection rules, detectors and a small retrieval pipeline (07)
- ``privacy``      PII span scoring and redaction, canary exposure, membership inference,
                   the Laplace mechanism (and a guarded diffprivlib loader) (08)
- ``tiny_lm``      the small GPT-2-style model the kit trains, caches and documents (08)
- ``transparency`` attributions (gradient x input, occlusion), sanity checks, model and
                   dataset cards validated against the kit's schemas (``cards/``) (09)
- ``efficiency``   latency, throughput, memory, parameter and FLOP counts, int8
                   quantization, energy and carbon estimates (10)
- ``multilingual`` tokenizer premiums, [UNK] rates, translation retrieval, coverage (11)
- ``governance``   EU AI Act tiers, NIST AI RMF functions, system cards, audits (12)
- ``assistant``    the kit-trained chat assistant: load, generate, answer log-probs (07, 13, 14)
- ``geneval``      evaluating generated answers: hallucination by exposure, confidence,
                   selective answering, grounding, prompt sensitivity (13)
- ``redteam``      jailbreaks and attack success rates, guards, indirect injection,
                   green-list watermarking (14)

**The learner's tools** (``raikit/learner/``), run on a learner's own work rather than read:

- ``progress``     your progress per module, checked by nbgrader (``make progress``)

**Data** ships beside the code: ``raikit/datasets/`` (CSV files, their datasheets and the
scripts that build them) and ``raikit/cards/`` (model and dataset cards, their schemas).

Short names: ``raikit.fairness`` and ``raikit.progress`` are the names lessons, assignments
and learners' own notebooks use. They are the same module objects as ``raikit.topics.fairness``
and ``raikit.learner.progress``, found by a small import hook below (every import form works:
``from raikit import fairness``, ``import raikit.fairness``, ``from raikit.fairness import x``).

Heavy libraries (torch, transformers) are imported lazily inside the functions that need them,
so ``import raikit`` stays cheap.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.1.0"

TOPICS = ("assistant", "bias", "calibration", "efficiency", "fairness", "finetune", "geneval", "governance",
          "moderation", "multilingual", "perturb", "privacy", "redteam", "security", "tiny_lm", "transparency")
LEARNER_TOOLS = ("progress",)
SHORT_NAMES = {**{f"raikit.{name}": f"raikit.topics.{name}" for name in TOPICS},
               **{f"raikit.{name}": f"raikit.learner.{name}" for name in LEARNER_TOOLS}}


class _ShortNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import ``raikit.<name>`` as the module that holds its code (``raikit.topics.<name>``...).

    The loader puts the real module into ``sys.modules`` under the short name too, so both names
    give one module object: its functions, classes and state are never duplicated.
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname in SHORT_NAMES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return None  # a placeholder module; exec_module replaces it with the real one

    def exec_module(self, module) -> None:
        # importlib returns whatever sys.modules holds under the name after exec_module
        sys.modules[module.__name__] = importlib.import_module(SHORT_NAMES[module.__name__])


def __getattr__(name: str):
    """``raikit.fairness`` after a plain ``import raikit``: import the topic module on first use."""
    if f"raikit.{name}" in SHORT_NAMES:
        return importlib.import_module(f"raikit.{name}")
    raise AttributeError(f"module 'raikit' has no attribute {name!r}")


if not any(isinstance(finder, _ShortNames) for finder in sys.meta_path):
    sys.meta_path.append(_ShortNames())
