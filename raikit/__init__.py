"""raikit: the shared helper package of the responsible-AI course kit.

Lessons and assignments import these small, tested modules instead of pasting code
into cells:

- ``raikit.seeding``      one function that seeds every random source the course uses
- ``raikit.models``       model *roles* (embedder, classifier_base) with offline defaults
- ``raikit.data``         loaders for the datasets the course uses, each with a datasheet
- ``raikit.evaluation``   metrics, bootstrap intervals, paired comparison, near-duplicates
- ``raikit.calibration``  reliability bins, ECE, temperature scaling, reliability diagram
- ``raikit.plotting``     colour-blind-safe course style for figures
- ``raikit.checks``       strict comparisons used by assignment tests (cannot be fooled by
                          objects that claim to equal everything)
- ``raikit.fairness``     group rates and gaps, bootstrap intervals, group thresholds
- ``raikit.bias``         WEAT/SEAT association tests on embeddings
- ``raikit.moderation``   counterfactual identity suites and bias AUCs for moderation audits
- ``raikit.finetune``     fine-tuning a classification head on a transformer role
- ``raikit.perturb``      text perturbation attacks and a normalisation defence
- ``raikit.security``     prompt-injection rules, detectors and a small retrieval pipeline
- ``raikit.privacy``      PII span scoring and redaction, canary exposure, membership
                          inference, the Laplace mechanism (and a guarded diffprivlib loader)
- ``raikit.tiny_lm``      the small GPT-2-style model the kit trains, caches and documents
- ``raikit.transparency`` attributions (gradient x input, occlusion), sanity checks, model
                          and dataset cards validated against the kit's schemas (``cards/``)
- ``raikit.efficiency``   latency, throughput, memory, parameter and FLOP counts, int8
                          quantization, energy and carbon estimates
- ``raikit.multilingual`` tokenizer premiums, [UNK] rates, translation retrieval, coverage
- ``raikit.governance``   EU AI Act tiers, NIST AI RMF functions, system cards, audits
- ``raikit.progress``     your progress per module: your notebooks checked by nbgrader (``make progress``)

Heavy libraries (torch, transformers) are imported lazily inside the functions that
need them, so ``import raikit`` stays cheap.
"""

__version__ = "0.1.0"
