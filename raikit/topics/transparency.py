"""Transparency tools: token attributions for a MiniLM classifier, and cards checked against a schema.

Three parts, one per idea of module 09.

**Attributions.** :class:`MiniLMClassifier` is the kit's usual "frozen MiniLM + logistic
regression" classifier rebuilt as a differentiable PyTorch function of the input: word-piece
embeddings -> MiniLM -> mean pooling (padding masked) -> L2 normalisation -> a linear head ->
a logit. Its logits equal those of the scikit-learn head on :func:`raikit.models.embed`
vectors, so a lesson can train the head in seconds and still take gradients. Two ways to
say how much each token contributed to a text's logit ``f``:

=====================  ========================================================================
method                 attribution of token ``i``
=====================  ========================================================================
gradient x input       ``sum_d x[i, d] * df/dx[i, d]`` where ``x[i]`` is the token's *word
                       embedding* (the row of the embedding matrix, before position embeddings)
occlusion              ``f(text) - f(text without token i)``; "without" means the token is
                       removed (attention mask 0: nothing attends to it and it is not pooled) or,
                       with ``mode="mask"``, replaced by ``[MASK]``
=====================  ========================================================================

Gradient x input is a first-order Taylor term: exact for a linear model, a local
approximation for a transformer. Occlusion measures a real change of the output but one
token at a time, so it misses interactions (see :class:`LexiconScorer`). Special tokens
(``[CLS]``, ``[SEP]``) and padding are left out of every returned attribution.
:meth:`MiniLMClassifier.randomized` gives the model-randomisation *sanity check* of Adebayo
et al. (2018): attributions that barely change when the model's weights are destroyed
describe the input, not the model.

**Cards.** Model cards (Mitchell et al. 2019) and dataset cards (after Gebru et al.'s
datasheets) are YAML files in ``raikit/cards/``, checked against the kit's schemas
(``model_card.schema.yaml``, ``dataset_card.schema.yaml``) by :func:`validate_card`, which
returns a list of :class:`Problem` (missing field, unknown field, wrong type, empty text,
placeholder text such as "TODO", too few items, value out of range, bad format).

**Openness.** :func:`openness` applies a simplified reading of the OSI Open Source AI
Definition 1.0 (2024) to the licences of a system's weights and code and to whether its
training data is documented.

``torch`` and ``transformers`` are imported inside the functions that need them.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from raikit import models

CARDS_DIR = Path(__file__).resolve().parents[1] / "cards"


# ---------------------------------------------------------------- attributions on MiniLM


class Attribution(NamedTuple):
    """Per-token attributions of one text: ``tokens[i]`` (a word piece) gets ``values[i]``."""

    text: str
    tokens: list[str]
    values: np.ndarray

    def frame(self):
        """The attributions as a two-column DataFrame (``token``, ``attribution``)."""
        import pandas as pd

        return pd.DataFrame({"token": self.tokens, "attribution": self.values})




class MiniLMClassifier:
    """A logistic-regression head on mean-pooled, L2-normalised MiniLM embeddings, as a torch function.

    ``weight`` (shape ``(hidden_size,)``) and ``bias`` are the head; ``body`` defaults to the
    cached transformer of ``role`` (never modified here: :meth:`randomized` works on a copy).
    The output of every method is the *logit* ``w . normalise(mean_pool(MiniLM(text))) + b``;
    ``predict_proba`` applies the sigmoid.
    """

    def __init__(self, weight, bias: float, *, role: str = "classifier_base", body=None):
        import torch

        self.role = role
        self.tokenizer = models.load_tokenizer(role)
        self.body = body if body is not None else models.load_model(role)
        hidden = self.body.config.hidden_size
        weight = np.asarray(weight, dtype=np.float32).reshape(-1)
        if weight.shape != (hidden,):
            raise ValueError(f"weight must have {hidden} numbers (the model's hidden size), got {weight.shape}.")
        self.weight = torch.tensor(weight)
        self.bias = float(bias)
        self.max_length = models.max_sequence_length(role)

    @classmethod
    def fit(cls, texts, labels, *, C: float = 10.0, role: str = "classifier_base") -> MiniLMClassifier:
        """Train the head with scikit-learn's ``LogisticRegression(C=C)`` on :func:`raikit.models.embed`
        vectors of ``texts`` (the transformer stays frozen) and wrap it. ``C=10``: weak regularisation,
        because the unit-length embeddings give small logits under the default ``C=1``."""
        from sklearn.linear_model import LogisticRegression

        texts = models.text_list(texts, "MiniLMClassifier.fit()")
        vectors = models.embed(texts, role=role)
        head = LogisticRegression(C=C, max_iter=1000).fit(vectors, np.asarray(labels).astype(int))
        return cls(head.coef_[0], float(head.intercept_[0]), role=role)

    # -- plumbing
    def _encode(self, texts: list[str]):
        return self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_length,
                              return_tensors="pt", return_special_tokens_mask=True)

    def _logits_from(self, word_embeddings, attention_mask):
        import torch

        tokens = self.body(inputs_embeds=word_embeddings, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1) @ self.weight + self.bias

    def _logits_of_ids(self, input_ids, attention_mask, batch_size: int = 64) -> np.ndarray:
        import torch

        chunks = []
        with torch.no_grad():
            for start in range(0, len(input_ids), batch_size):
                ids, mask = input_ids[start:start + batch_size], attention_mask[start:start + batch_size]
                chunks.append(self._logits_from(self.body.get_input_embeddings()(ids), mask).numpy())
        return np.concatenate(chunks).astype(float) if chunks else np.zeros(0)

    # -- predictions
    def logits(self, texts, batch_size: int = 64) -> np.ndarray:
        """The head's logit (log-odds of label 1) for each text."""
        texts = models.text_list(texts, "MiniLMClassifier.logits()")
        out = [self._logits_of_ids(*self._ids(texts[s:s + batch_size])) for s in range(0, len(texts), batch_size)]
        return np.concatenate(out) if out else np.zeros(0)

    def _ids(self, texts):
        encoded = self._encode(texts)
        return encoded["input_ids"], encoded["attention_mask"]

    def predict_proba(self, texts, batch_size: int = 64) -> np.ndarray:
        """P(label 1) for each text."""
        return 1.0 / (1.0 + np.exp(-self.logits(texts, batch_size)))

    def tokens(self, text: str) -> list[str]:
        """The word pieces of ``text`` that attributions are reported for (no special tokens)."""
        encoded = self._encode([text])
        keep = encoded["special_tokens_mask"][0] == 0
        return self.tokenizer.convert_ids_to_tokens(encoded["input_ids"][0][keep].tolist())

    # -- sanity check
    def randomized(self, top_layers: int = 0, seed: int = 2024) -> MiniLMClassifier:
        """A copy with a random head and the top ``top_layers`` transformer layers re-initialised.

        This is the *cascading* model-randomisation test of Adebayo et al. (2018), "Sanity Checks
        for Saliency Maps": randomise from the output backwards and watch whether the attributions
        change. The head is drawn from a normal distribution with the trained head's standard
        deviation (same logit scale, random direction); layers get BERT's initialisation
        (linear weights ~ N(0, initializer_range), biases 0, LayerNorm 1 and 0). The original
        classifier and the shared cached model are left untouched.
        """
        import torch

        layers = self.body.encoder.layer
        if not 0 <= top_layers <= len(layers):
            raise ValueError(f"top_layers must be between 0 and {len(layers)}, got {top_layers}.")
        generator = torch.Generator().manual_seed(seed)
        weight = torch.randn(self.weight.shape, generator=generator) * float(self.weight.std())
        body = self.body
        if top_layers:
            body = copy.deepcopy(self.body)
            std = float(getattr(body.config, "initializer_range", 0.02))
            with torch.no_grad():  # top layer first: with one seed, each stage extends the previous one
                for layer in list(body.encoder.layer)[::-1][:top_layers]:
                    for module in layer.modules():
                        if isinstance(module, torch.nn.Linear):
                            module.weight.normal_(0.0, std, generator=generator)
                            module.bias.zero_()
                        elif isinstance(module, torch.nn.LayerNorm):
                            module.weight.fill_(1.0)
                            module.bias.zero_()
        return MiniLMClassifier(weight.numpy(), self.bias, role=self.role, body=body)


def gradient_x_input(classifier: MiniLMClassifier, texts, batch_size: int = 32) -> list[Attribution]:
    """Gradient x input of the logit with respect to each token's word embedding, one entry per text.

    Texts are processed in padded batches; padding cannot influence a text's logit (it is masked
    in attention and pooling), so each text's attributions are those of the text alone.
    """
    import torch

    texts = models.text_list(texts, "gradient_x_input()")
    results: list[Attribution] = []
    for start in range(0, len(texts), batch_size):
        batch = texts[start:start + batch_size]
        encoded = classifier._encode(batch)
        embeddings = classifier.body.get_input_embeddings()(encoded["input_ids"]).detach().requires_grad_(True)
        logits = classifier._logits_from(embeddings, encoded["attention_mask"])
        (gradient,) = torch.autograd.grad(logits.sum(), embeddings)
        values = (gradient * embeddings).sum(dim=-1).detach().numpy().astype(float)
        for row, text in enumerate(batch):
            keep = ((encoded["special_tokens_mask"][row] == 0) & (encoded["attention_mask"][row] == 1)).numpy()
            ids = encoded["input_ids"][row].numpy()[keep].tolist()
            results.append(Attribution(text, classifier.tokenizer.convert_ids_to_tokens(ids), values[row][keep]))
    return results


def occlusion(classifier: MiniLMClassifier, texts, mode: str = "remove", batch_size: int = 64) -> list[Attribution]:
    """Occlusion attributions: logit of the text minus logit with one token occluded, for every token.

    ``mode="remove"`` sets the token's attention mask to 0 (no other token attends to it and the
    pooling skips it; positions of the other tokens do not move). ``mode="mask"`` replaces it with
    the tokenizer's ``[MASK]`` token. A text with ``n`` tokens costs ``n + 1`` forward passes;
    the occluded copies of all texts are run in padded batches of ``batch_size``.
    """
    import torch

    if mode not in ("remove", "mask"):
        raise ValueError(f"mode must be 'remove' or 'mask', got {mode!r}.")
    texts = models.text_list(texts, "occlusion()")
    if not texts:
        return []
    encoded = classifier._encode(texts)
    ids, mask = encoded["input_ids"], encoded["attention_mask"]
    variant_ids, variant_masks, spans, token_lists = [], [], [], []
    for row in range(len(texts)):
        positions = torch.nonzero((encoded["special_tokens_mask"][row] == 0) & (mask[row] == 1)).flatten()
        count = len(positions)
        row_ids, row_mask = ids[row].repeat(count + 1, 1), mask[row].repeat(count + 1, 1)
        occluded = torch.arange(1, count + 1)
        if mode == "remove":
            row_mask[occluded, positions] = 0
        else:
            row_ids[occluded, positions] = classifier.tokenizer.mask_token_id
        spans.append((sum(len(v) for v in variant_ids), count))
        variant_ids.append(row_ids)
        variant_masks.append(row_mask)
        token_lists.append(classifier.tokenizer.convert_ids_to_tokens(ids[row][positions].tolist()))
    logits = classifier._logits_of_ids(torch.cat(variant_ids), torch.cat(variant_masks), batch_size)
    return [Attribution(text, tokens, logits[start] - logits[start + 1:start + 1 + count])
            for text, tokens, (start, count) in zip(texts, token_lists, spans, strict=True)]


def deletion_effect(classifier: MiniLMClassifier, attributions: Sequence[Attribution], k: int = 3,
                    scores: Sequence[np.ndarray] | None = None) -> np.ndarray:
    """A faithfulness check: how much the prediction weakens when the top-``k`` tokens are removed.

    For each text, the ``k`` tokens that most support the predicted class (the highest
    ``score * sign(logit)``) are removed together (attention mask 0). Returns, per text,
    ``sign(logit) * (logit before - logit after)``: positive when removing them weakened the
    prediction. ``scores`` (one array per text, aligned with the tokens) defaults to the
    attributions' values; pass random numbers to get a random-deletion baseline.
    """
    import torch

    texts = [attribution.text for attribution in attributions]
    if not texts:
        return np.zeros(0)
    encoded = classifier._encode(texts)
    ids, mask = encoded["input_ids"], encoded["attention_mask"]
    full = classifier._logits_of_ids(ids, mask)
    removed = mask.clone()
    for row, attribution in enumerate(attributions):
        ranking = np.asarray(attribution.values if scores is None else scores[row], dtype=float)
        positions = torch.nonzero((encoded["special_tokens_mask"][row] == 0) & (mask[row] == 1)).flatten().numpy()
        if len(positions) != len(ranking):
            raise ValueError(f"text {row}: {len(ranking)} scores for {len(positions)} tokens.")
        sign = 1.0 if full[row] >= 0 else -1.0
        removed[row, positions[np.argsort(-sign * ranking, kind="stable")[:k]]] = 0
    after = classifier._logits_of_ids(ids, removed)
    return np.where(full >= 0, 1.0, -1.0) * (full - after)


# ---------------------------------------------------------------- attributions on any scorer


@dataclass(frozen=True)
class LexiconScorer:
    """A toy sentiment scorer of a token list, with known ground truth: deterministic and picklable.

    The score is ``bias`` plus the weight of every token found in ``weights`` (lower-cased),
    plus ``per_token`` times the number of tokens (a length effect: removing a token changes
    the score even if the token has no weight, replacing it does not). A negator ("not",
    "never", "no", "n't" by default) flips the sign of the *next* weighted token, so the model
    has an interaction that per-token occlusion cannot split fairly.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: {
        "good": 1.0, "great": 2.0, "love": 2.0, "sturdy": 1.0, "bad": -1.0, "awful": -2.0,
        "broke": -1.5, "cheap": -0.5})
    negators: tuple[str, ...] = ("not", "never", "no", "n't")
    bias: float = 0.0
    per_token: float = 0.0

    def __call__(self, tokens: Sequence[str]) -> float:
        if isinstance(tokens, str):
            raise TypeError("a LexiconScorer scores a list of tokens, e.g. 'not good'.split().")
        tokens = list(tokens)
        total, negate = float(self.bias) + self.per_token * len(tokens), False
        for token in tokens:
            word = str(token).lower()
            if word in self.negators:
                negate = True
            elif word in self.weights:
                total += -self.weights[word] if negate else self.weights[word]
                negate = False
        return total


def occlusion_scores(score_fn: Callable[[list[str]], float], tokens: Sequence[str],
                     mask_token: str | None = None) -> np.ndarray:
    """Occlusion for any function of a token list: ``score_fn(tokens) - score_fn(tokens with token i occluded)``.

    Occluded means removed from the list, or replaced by ``mask_token`` when one is given.
    """
    tokens = list(tokens)
    full = float(score_fn(tokens))
    values = []
    for i in range(len(tokens)):
        occluded = tokens[:i] + ([] if mask_token is None else [mask_token]) + tokens[i + 1:]
        values.append(full - float(score_fn(occluded)))
    return np.asarray(values, dtype=float)


def agreement(a, b, k: int = 3) -> dict[str, float]:
    """How similar two attribution vectors of the same tokens are.

    - ``spearman``: Spearman rank correlation of the signed values;
    - ``abs_spearman``: Spearman rank correlation of their absolute values (same tokens
      important, whatever the direction);
    - ``top_k_overlap``: share of the ``k`` tokens with the largest ``|value|`` that both pick.

    A correlation is ``nan`` when either vector is constant (ranks undefined).
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"need two 1-D arrays of the same length, got shapes {a.shape} and {b.shape}.")
    k = min(k, len(a))
    top_a = set(np.argsort(-np.abs(a), kind="stable")[:k].tolist())
    top_b = set(np.argsort(-np.abs(b), kind="stable")[:k].tolist())
    return {"spearman": _spearman(a, b), "abs_spearman": _spearman(np.abs(a), np.abs(b)),
            "top_k_overlap": len(top_a & top_b) / k if k else float("nan")}


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import rankdata

    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(np.corrcoef(rankdata(a), rankdata(b))[0, 1])


# ---------------------------------------------------------------- cards and their schemas


class Problem(NamedTuple):
    """One thing wrong with a card: where (``path``, e.g. ``evaluation[0].value``), what (``kind``), and a message."""

    path: str
    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


PROBLEM_KINDS = ("missing", "unknown", "wrong type", "empty", "placeholder", "too few items", "out of range",
                 "not allowed", "bad format")
PLACEHOLDER = re.compile(
    r"\b(?:todo|tbd|tbc|fixme|xxx|lorem ipsum)\b"  # placeholder words
    r"|\?\?\?|<[A-Za-z][A-Za-z _-]{0,38}>"  # "???" and template slots such as "<your name>"
    r"|\b(?:insert|fill in)\b[^.]{0,30}\bhere\b",  # "insert ... here"
    re.IGNORECASE)
_TYPES = {"text": "a text (string)", "number": "a number", "integer": "a whole number", "boolean": "true or false",
          "list": "a list", "record": "a mapping of named fields"}
SCHEMA_FILES = {"model": "model_card.schema.yaml", "dataset": "dataset_card.schema.yaml"}


def _read_yaml(path: Path) -> Any:
    import yaml

    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist. The kit's cards and schemas live in {CARDS_DIR}.")
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_schema(kind: str = "model") -> dict:
    """The kit's card schema, ``kind`` "model" or "dataset" (a dict; see the YAML file for the format)."""
    if kind not in SCHEMA_FILES:
        raise ValueError(f"kind must be one of {sorted(SCHEMA_FILES)}, got {kind!r}.")
    return _read_yaml(CARDS_DIR / SCHEMA_FILES[kind])


def card_path(name: str) -> Path:
    """Path of a shipped card: ``name`` is a file in ``raikit/cards/`` (e.g. "all-MiniLM-L6-v2.model_card.yaml")."""
    return CARDS_DIR / name


def load_card(name_or_path: str | Path) -> dict:
    """A card as a dict, from a file in ``raikit/cards/`` (by name) or any YAML/JSON path."""
    path = Path(name_or_path)
    if not path.is_file():
        path = card_path(str(name_or_path))
    card = _read_yaml(path)
    if not isinstance(card, dict):
        raise ValueError(f"{path} must hold a mapping of fields at the top level, got {type(card).__name__}.")
    return card


def validate_card(card: Any, schema: str | Mapping = "model") -> list[Problem]:
    """Every problem of ``card`` against ``schema`` ("model", "dataset" or a schema dict); ``[]`` means valid.

    Checks: required fields present, no unknown fields (often a typo: "license" for "licence"),
    each value of the declared type (a bool is not a number; YAML turns a bare ``no`` into
    ``false``), texts not empty and free of placeholders (TODO, TBD, FIXME, "???", "<name>",
    "insert ... here"), lists with at least ``min_items`` items, numbers within
    ``minimum``/``maximum``, texts among ``choices`` or matching ``pattern`` when the schema says so.
    """
    spec = load_schema(schema) if isinstance(schema, str) else schema
    root = {"type": "record", "fields": spec["fields"]}
    problems: list[Problem] = []
    _check(card, root, "", problems)
    return problems


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _describe(value: Any) -> str:
    shown = repr(value)
    return f"{type(value).__name__} {shown[:40] + '...' if len(shown) > 40 else shown}"


def _check(value: Any, spec: Mapping, path: str, problems: list[Problem]) -> None:
    kind = spec["type"]
    where = path or "the card"
    hint = f" ({spec['description']})" if spec.get("description") else ""

    def add(problem_kind: str, text: str) -> None:
        problems.append(Problem(path or "(card)", problem_kind, f"{where}: {text}"))

    if kind == "record":
        if not isinstance(value, dict):
            add("wrong type", f"expected {_TYPES['record']}, got {_describe(value)}.")
            return
        fields = spec["fields"]
        for name, child in fields.items():
            if name not in value:
                if child.get("required", True):
                    problems.append(Problem(_join(path, name), "missing",
                                            f"{_join(path, name)}: required field is missing"
                                            + (f" ({child['description']})" if child.get("description") else "")
                                            + "."))
                continue
            _check(value[name], child, _join(path, name), problems)
        for name in value:
            if name not in fields:
                close = [f for f in fields if _similar(str(name), f)]
                suggestion = f" Did you mean {close[0]!r}?" if close else ""
                problems.append(Problem(_join(path, str(name)), "unknown",
                                        f"{_join(path, str(name))}: unknown field; the schema does not define it."
                                        + suggestion))
        return
    if kind == "list":
        if not isinstance(value, list):
            add("wrong type", f"expected {_TYPES['list']}, got {_describe(value)}. Write one item per '- ' line.")
            return
        minimum = spec.get("min_items", 1)
        if len(value) < minimum:
            add("too few items" if value else "empty",
                f"needs at least {minimum} item(s), got {len(value)}{hint}.")
        for index, item in enumerate(value):
            _check(item, spec["items"], f"{path}[{index}]", problems)
        return
    if kind == "text":
        if not isinstance(value, str):
            add("wrong type", f"expected {_TYPES['text']}, got {_describe(value)}."
                + (" YAML reads bare yes/no/on/off as booleans: quote the text." if isinstance(value, bool) else ""))
            return
        if not value.strip():
            add("empty", f"is empty{hint}.")
            return
        found = PLACEHOLDER.search(value)
        if found:
            add("placeholder", f"contains placeholder text {found.group(0)!r}; write the real content.")
            return
        if "choices" in spec and value not in spec["choices"]:
            add("not allowed", f"{value!r} is not one of {spec['choices']}.")
        if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
            add("bad format", f"{value!r} does not have the expected format"
                + (f" ({spec['format_hint']})" if spec.get("format_hint") else f" (pattern {spec['pattern']})") + ".")
        return
    if kind in ("number", "integer"):
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not numeric or (kind == "integer" and not isinstance(value, int)):
            add("wrong type", f"expected {_TYPES[kind]}, got {_describe(value)}."
                + (" Write numbers without quotes." if isinstance(value, str) else ""))
            return
        if not math.isfinite(value):
            add("out of range", f"must be a finite number, got {value!r}.")
            return
        low, high = spec.get("minimum"), spec.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            add("out of range", f"{value!r} is outside [{low}, {high}].")
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            add("wrong type", f"expected {_TYPES['boolean']}, got {_describe(value)}.")
        return
    raise ValueError(f"schema error at {where}: unknown type {kind!r}; use one of {sorted(_TYPES)}.")


def _similar(name: str, known: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, name.lower(), known.lower()).ratio() >= 0.75


def schema_table(schema: str | Mapping = "model"):
    """The top-level fields of a schema as a DataFrame: field, type, required, description."""
    import pandas as pd

    spec = load_schema(schema) if isinstance(schema, str) else schema
    rows = []
    for name, child in spec["fields"].items():
        kind = child["type"]
        if kind == "list":
            inner = child["items"]
            fields = f" ({', '.join(inner['fields'])})" if inner["type"] == "record" else ""
            kind = f"list of {inner['type']}{fields}"
        elif kind == "record":
            kind = f"record ({', '.join(child['fields'])})"
        rows.append({"field": name, "type": kind, "required": bool(child.get("required", True)),
                     "description": child.get("description", "")})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- openness


OSI_APPROVED = frozenset({  # a small subset of OSI-approved licences, as SPDX identifiers
    "apache-2.0", "mit", "bsd-2-clause", "bsd-3-clause", "gpl-2.0-only", "gpl-3.0-only", "lgpl-3.0-only",
    "mpl-2.0", "agpl-3.0-only", "epl-2.0", "isc"})


def openness(weights: str | None, code: str | None, data_information: bool,
             approved: frozenset[str] = OSI_APPROVED) -> dict[str, Any]:
    """Where a system stands under a simplified reading of the OSI Open Source AI Definition 1.0.

    ``weights``/``code``: the SPDX identifier of the licence the trained parameters / the
    training and inference code are released under, or ``None`` if not released. ``data_information``:
    whether the training data is described well enough for a skilled person to build a
    substantially equivalent system (the OSAID does not require releasing the data itself).

    Returns ``{"category": ..., "missing": [...]}`` with category ``"closed"`` (weights not
    released), ``"open source AI"`` (weights and code under approved licences, data documented)
    or ``"open weights"`` (weights released, something else missing); ``missing`` lists, sorted,
    which of ``"code"``, ``"data_information"``, ``"weights"`` fall short.
    """
    def ok(licence: str | None) -> bool:
        return licence is not None and licence.strip().lower() in approved

    missing = sorted(name for name, good in (("weights", ok(weights)), ("code", ok(code)),
                                             ("data_information", data_information is True)) if not good)
    if weights is None:
        category = "closed"
    elif missing:
        category = "open weights"
    else:
        category = "open source AI"
    return {"category": category, "missing": missing}
