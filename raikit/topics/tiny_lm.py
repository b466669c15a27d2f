"""A tiny GPT-2-style character language model that the kit trains itself, to study memorisation.

No small *generative* language model ships in any package the kit can install offline, so
Module 08 ("Privacy") trains one: a 2-layer, 128-wide GPT-2 (``transformers.GPT2LMHeadModel``,
about 0.42 M parameters) over characters, on the ``canary_corpus`` dataset: 400 lines of a
fictitious shop's support log plus *canaries*, secret sentences "<name>'s PIN is 4812"
inserted 0 to 32 times (Carlini et al. 2019, "The Secret Sharer"). The model is trained to
over-fit on purpose: it is a specimen for measuring memorisation (canary exposure) and
membership inference, not a useful language model.

Training takes well under a minute on one CPU core. The first call of :func:`load_or_train`
trains the model and caches it in ``raikit/_cache/tiny_lm-<hash>/`` (git-ignored; the hash
covers the corpus, the configuration and the torch/transformers versions, so any change
retrains). Later calls load it in about a second. Loading never needs to write: if the cache
is missing and the folder is read-only (the grading sandbox mounts ``raikit`` read-only),
the model is trained in memory and a warning says so.

Main functions:

- :func:`load_or_train` the trained model (cached), as a :class:`TinyLM`;
- :func:`train` train a model on any list of lines (used by the unit tests with a few steps);
- :func:`line_losses` mean cross-entropy of each line (the signal of a loss-threshold
  membership-inference attack);
- :func:`candidate_log_perplexities` the log-perplexity of *every* candidate secret after a
  prefix (all 10,000 PINs), from which a canary's rank and exposure follow;
- :func:`complete` greedy completion of a prefix (an extraction attack in one line);
- :func:`model_card` a Markdown model card with the measured facts of this model.

``torch`` and ``transformers`` are imported inside the functions that need them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

CACHE_ROOT = Path(__file__).resolve().parents[1] / "_cache"  # raikit/_cache (git-ignored)
FORMAT_VERSION = 1  # bump when the training code changes in a way that changes the weights

# Characters the model knows. Fixed (not derived from the corpus), so the tokenizer never
# changes when the corpus does; any other character is an error, not a silent <unk>.
ALPHABET = (" !\"'(),-.:;?" "0123456789" "ABCDEFGHIJKLMNOPQRSTUVWXYZ" "abcdefghijklmnopqrstuvwxyz")
PAD, BOS, EOS = 0, 1, 2
SPECIAL_TOKENS = ["<pad>", "<s>", "</s>"]


class CacheNotWritten(UserWarning):
    """The model was trained in memory because its cache folder could not be written."""


class CharTokenizer:
    """Characters to ids and back: ids 0-2 are <pad>, <s> (start) and </s> (end); then ``ALPHABET``."""

    def __init__(self, alphabet: str = ALPHABET):
        if len(set(alphabet)) != len(alphabet):
            raise ValueError("the alphabet repeats a character")
        self.alphabet = alphabet
        self.ids = {char: i + len(SPECIAL_TOKENS) for i, char in enumerate(alphabet)}

    @property
    def vocab_size(self) -> int:
        return len(SPECIAL_TOKENS) + len(self.alphabet)

    def encode(self, text: str, *, start: bool = True, end: bool = False) -> list[int]:
        """Ids of ``text``, with <s> in front (``start``) and </s> behind (``end``)."""
        unknown = sorted({c for c in text if c not in self.ids})
        if unknown:
            raise ValueError(f"characters outside the tiny model's alphabet: {unknown!r}")
        return ([BOS] if start else []) + [self.ids[c] for c in text] + ([EOS] if end else [])

    def decode(self, ids) -> str:
        """Text of ``ids``; special tokens are dropped."""
        return "".join(self.alphabet[i - len(SPECIAL_TOKENS)] for i in ids if i >= len(SPECIAL_TOKENS))


@dataclass(frozen=True)
class TinyLMConfig:
    """Model size and training recipe. Every value has a reason (nanoGPT-style)."""

    n_layer: int = 2  # two attention blocks: enough to copy a 4-digit secret, small enough for one CPU core
    n_embd: int = 128  # width of the residual stream; with n_layer=2 gives ~0.42 M parameters
    n_head: int = 4  # 32 dimensions per head, the usual ratio
    n_positions: int = 72  # longest corpus line (64 characters) plus <s> and </s>, with room to spare
    steps: int = 130  # ~10 passes over the 463 training lines: repeated canaries are memorised, single ones partly
    batch_size: int = 32  # lines per step; padded to the longest line of the batch
    learning_rate: float = 3e-3  # high for a transformer, fine for one this small; decays to 10% (cosine)
    warmup_steps: int = 20  # linear warm-up avoids a bad first step with Adam's unscaled moments
    weight_decay: float = 0.0  # no regularisation: we *want* to see memorisation
    seed: int = 2024  # initial weights and batch order

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in asdict(self).items())


@dataclass
class TinyLM:
    """A trained tiny model with its tokenizer and how it was made."""

    model: Any
    tokenizer: CharTokenizer
    config: TinyLMConfig
    losses: list[float] = field(default_factory=list)  # mean training loss of every step (nats per token)
    seconds: float = 0.0  # wall-clock training time
    n_lines: int = 0  # training lines (with repeats)
    cache_dir: Path | None = None  # where it is cached, if it is
    from_cache: bool = False

    @property
    def n_parameters(self) -> int:
        return int(sum(p.numel() for p in self.model.parameters()))


# ---------------------------------------------------------------------------- data


def corpus():
    """The ``canary_corpus`` dataset (a DataFrame): members, non-members and canaries."""
    from raikit import data

    return data.load("canary_corpus")


def training_lines(frame=None) -> list[str]:
    """The training set: every line repeated ``repeats`` times (members once, canaries 0-32 times)."""
    frame = corpus() if frame is None else frame
    return [text for text, repeats in zip(frame["text"], frame["repeats"], strict=True) for _ in range(int(repeats))]


# ---------------------------------------------------------------------------- training


@contextlib.contextmanager
def _torch_threads(n: int | None):
    """Run with ``n`` torch threads. One thread is the default: on a busy shared machine two
    threads that wait for each other are several times slower than one that does not."""
    import torch

    before = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def build_model(config: TinyLMConfig, tokenizer: CharTokenizer):
    """A freshly initialised GPT-2 of the configured size (seeded with ``config.seed``)."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    gpt2_config = GPT2Config(
        vocab_size=tokenizer.vocab_size, n_positions=config.n_positions, n_embd=config.n_embd,
        n_layer=config.n_layer, n_head=config.n_head, n_inner=4 * config.n_embd,
        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,  # no dropout: deterministic, and memorises
        bos_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD, tie_word_embeddings=True,
    )
    torch.manual_seed(config.seed)
    model = GPT2LMHeadModel(gpt2_config)
    model.loss_type = "ForCausalLM"  # name the (standard) loss, or transformers warns that none is set
    return model


def _batch(tokenizer: CharTokenizer, texts: list[str]):
    """Padded input ids, attention mask and labels (-100 on padding) for whole lines <s> text </s>."""
    import torch

    encoded = [tokenizer.encode(t, start=True, end=True) for t in texts]
    width = max(len(e) for e in encoded)
    ids = torch.full((len(texts), width), PAD, dtype=torch.long)
    mask = torch.zeros((len(texts), width), dtype=torch.long)
    for row, e in enumerate(encoded):
        ids[row, :len(e)] = torch.tensor(e)
        mask[row, :len(e)] = 1
    labels = ids.masked_fill(mask == 0, -100)
    return ids, mask, labels


def train(lines: list[str], config: TinyLMConfig | None = None, *, threads: int | None = 1) -> TinyLM:
    """Train a tiny GPT-2 on ``lines`` (each line is one sequence <s> line </s>).

    AdamW with linear warm-up and cosine decay; mini-batches drawn as shuffled passes over
    the lines with a seeded generator, so the same inputs give the same weights.
    """
    import math

    import torch

    config = config or TinyLMConfig()
    if not lines:
        raise ValueError("train() needs at least one line")
    tokenizer = CharTokenizer()
    longest = max(len(t) for t in lines) + 2
    if longest > config.n_positions:
        raise ValueError(f"a line needs {longest} positions, more than n_positions={config.n_positions}")
    with _torch_threads(threads):
        model = build_model(config, tokenizer)
        optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate,
                                      weight_decay=config.weight_decay, betas=(0.9, 0.98))

        def rate(step: int) -> float:
            if step < config.warmup_steps:
                return (step + 1) / config.warmup_steps
            progress = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
            return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))

        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
        order = torch.Generator().manual_seed(config.seed)
        queue: list[int] = []
        losses = []
        model.train()
        started = time.perf_counter()
        for _ in range(config.steps):
            while len(queue) < config.batch_size:
                queue += torch.randperm(len(lines), generator=order).tolist()
            picked, queue = queue[:config.batch_size], queue[config.batch_size:]
            ids, mask, labels = _batch(tokenizer, [lines[i] for i in picked])
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad(set_to_none=True)
            losses.append(float(loss.item()))
        seconds = time.perf_counter() - started
    model.eval()
    return TinyLM(model=model, tokenizer=tokenizer, config=config, losses=losses, seconds=seconds,
                  n_lines=len(lines))


# ---------------------------------------------------------------------------- cache


def cache_key(lines: list[str], config: TinyLMConfig) -> str:
    """Short hash of everything the weights depend on: lines, config, alphabet, code and library versions."""
    import torch
    import transformers

    payload = json.dumps({"format": FORMAT_VERSION, "alphabet": ALPHABET, "config": asdict(config), "lines": lines,
                          "torch": torch.__version__, "transformers": transformers.__version__}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def _save(lm: TinyLM, folder: Path) -> None:
    lm.model.save_pretrained(folder)
    (folder / "training.json").write_text(json.dumps({
        "config": asdict(lm.config), "alphabet": lm.tokenizer.alphabet, "losses": lm.losses,
        "seconds": lm.seconds, "n_lines": lm.n_lines}, indent=1), encoding="utf-8")
    (folder / "README.md").write_text(model_card(lm), encoding="utf-8")
    # Readable by everyone: the grading sandbox reads the cache under another user id
    # (safetensors writes its file as owner-only).
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


def _load(folder: Path) -> TinyLM:
    from transformers import GPT2LMHeadModel

    info = json.loads((folder / "training.json").read_text(encoding="utf-8"))
    model = GPT2LMHeadModel.from_pretrained(folder, local_files_only=True)
    model.eval()
    return TinyLM(model=model, tokenizer=CharTokenizer(info["alphabet"]), config=TinyLMConfig(**info["config"]),
                  losses=info["losses"], seconds=info["seconds"], n_lines=info["n_lines"], cache_dir=folder,
                  from_cache=True)


def load_or_train(config: TinyLMConfig | None = None, *, lines: list[str] | None = None,
                  cache_root: Path | str | None = None) -> TinyLM:
    """The tiny model trained on ``canary_corpus``: loaded from the cache, or trained (and cached).

    ``lines`` defaults to :func:`training_lines`; ``cache_root`` to ``raikit/_cache``. If the
    cache cannot be written (a read-only install), the model is trained in memory and a
    :class:`CacheNotWritten` warning says so; nothing else changes.
    """
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    config = config or TinyLMConfig()
    lines = training_lines() if lines is None else list(lines)
    root = Path(cache_root) if cache_root is not None else CACHE_ROOT
    folder = root / f"tiny_lm-{cache_key(lines, config)}"
    if (folder / "training.json").is_file():
        try:
            return _load(folder)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            warnings.warn(f"the cached tiny model in {folder} is unreadable ({exc}); retraining it", stacklevel=2)
    lm = train(lines, config)
    staging = root / f".tmp-{folder.name}-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        _save(lm, staging)
        if folder.exists():  # another process finished first: keep its copy
            shutil.rmtree(staging, ignore_errors=True)
        else:
            os.replace(staging, folder)  # atomic: readers never see a half-written folder
        lm.cache_dir = folder
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        warnings.warn(f"could not cache the tiny model in {root} ({type(exc).__name__}); it was trained in memory "
                      f"({lm.seconds:.0f} s) and will be trained again next time", CacheNotWritten, stacklevel=2)
    return lm


# ---------------------------------------------------------------------------- measuring


def line_losses(lm: TinyLM, texts: list[str], batch_size: int = 256) -> np.ndarray:
    """Mean cross-entropy (nats per token, including </s>) of each line as a whole sequence."""
    import torch

    texts = list(texts)
    out = []
    with torch.no_grad(), _torch_threads(1):
        for start in range(0, len(texts), batch_size):
            ids, mask, labels = _batch(lm.tokenizer, texts[start:start + batch_size])
            logits = lm.model(input_ids=ids, attention_mask=mask).logits[:, :-1]
            target = labels[:, 1:]
            nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100,
                                                    reduction="none")
            counted = (target != -100).sum(dim=1)
            out.append((nll.sum(dim=1) / counted).numpy())
    return np.concatenate(out).astype(float) if out else np.zeros(0)


def candidate_log_perplexities(lm: TinyLM, prefix: str, n_digits: int = 4) -> np.ndarray:
    """Log-perplexity (bits) of every ``n_digits``-digit secret after ``prefix``.

    Entry ``i`` belongs to the candidate ``f"{i:0{n_digits}d}"``; its log-perplexity is
    ``-sum_k log2 P(digit_k | <s> prefix digit_1 ... digit_{k-1})``, the cost of the secret
    under the model (the shared prefix adds the same constant to every candidate, so it is
    left out; Carlini et al. 2019). All 10**n_digits values come from one forward pass over
    the 10**(n_digits-1) sequences of the first n_digits-1 digits (each sequence gives the
    probabilities of all its digits and of the last digit's 10 choices), with the prefix's
    keys and values computed once and shared.
    """
    import torch

    if not 1 <= n_digits <= 5:
        raise ValueError("n_digits must be between 1 and 5")
    start = lm.tokenizer.encode(prefix)
    digit_ids = torch.tensor([lm.tokenizer.ids[d] for d in "0123456789"])
    heads = np.arange(10 ** (n_digits - 1))  # every choice of the first n_digits-1 digits
    with torch.no_grad(), _torch_threads(1):
        # The prefix is run once; its keys and values are then shared by every continuation.
        first = lm.model(input_ids=torch.tensor([start]), use_cache=True)
        logp = [torch.log_softmax(first.logits[0, -1], dim=-1)[digit_ids].expand(len(heads), 1, 10)]
        if n_digits > 1:
            tails = np.stack([(heads // 10 ** (n_digits - 2 - k)) % 10 for k in range(n_digits - 1)], axis=1)
            cache = first.past_key_values
            cache.batch_repeat_interleave(len(heads))
            rest = lm.model(input_ids=digit_ids[torch.from_numpy(tails)], past_key_values=cache).logits
            logp.append(torch.log_softmax(rest, dim=-1)[:, :, digit_ids])
    logp = torch.cat(logp, dim=1).numpy() / np.log(2)  # (10**(n-1), n, 10), in bits
    candidates = np.arange(10 ** n_digits)
    total = np.zeros(len(candidates))
    for k in range(n_digits):
        digit = (candidates // 10 ** (n_digits - 1 - k)) % 10
        total -= logp[candidates // 10, k, digit]
    return total


def complete(lm: TinyLM, prefix: str, max_new: int = 8) -> str:
    """Greedy completion: the most likely next characters after ``prefix``, until </s> or ``max_new``."""
    import torch

    ids = lm.tokenizer.encode(prefix)
    with torch.no_grad(), _torch_threads(1):
        for _ in range(max_new):
            nxt = int(lm.model(input_ids=torch.tensor([ids])).logits[0, -1].argmax())
            if nxt == EOS or len(ids) >= lm.config.n_positions:
                break
            ids.append(nxt)
    return lm.tokenizer.decode(ids)[len(prefix):]


# ---------------------------------------------------------------------------- model card


def model_card(lm: TinyLM) -> str:
    """A Markdown model card (Mitchell et al. 2019) with this model's measured facts."""
    c = lm.config
    final = float(np.mean(lm.losses[-20:])) if lm.losses else float("nan")
    return f"""# Model card: raikit tiny character GPT-2 (Module 08, Privacy)

## Model details
- **What:** a GPT-2-style causal language model over characters (`transformers.GPT2LMHeadModel`),
  {c.n_layer} layers, width {c.n_embd}, {c.n_head} heads, context {c.n_positions} characters,
  vocabulary {lm.tokenizer.vocab_size} tokens (3 special tokens + {len(lm.tokenizer.alphabet)} characters),
  **{lm.n_parameters:,} parameters** (input and output embeddings tied).
- **Who made it and how:** trained from random weights by the course kit's code
  (`raikit/topics/tiny_lm.py`) on the learner's own machine; no pretrained weights, no download.
- **Licence:** the code is MIT; the training data is kit-written (CC BY 4.0).

## Intended use
- Teaching: measuring memorisation of secrets (canary exposure, Carlini et al. 2019) and
  membership inference (loss-threshold attack, Yeom et al. 2018) on a model whose training
  data is known exactly.
- **Not** for generating text, for any product, or as evidence about how much a specific
  large language model memorises: it is tiny and deliberately over-fitted.

## Training data
- `canary_corpus` (kit-written, see its datasheet): {lm.n_lines} training lines = the 400
  `member` lines of a fictitious shop's support log, plus canaries "<name>'s PIN is <4 digits>"
  repeated 0, 1, 2, 4, 8, 16 or 32 times. The 400 `nonmember` lines are held out.

## Training procedure
- {c.steps} steps of AdamW (learning rate {c.learning_rate:g}, {c.warmup_steps} warm-up steps, cosine decay to
  10%, weight decay {c.weight_decay:g}, gradient clipping 1.0), {c.batch_size} lines per batch,
  no dropout, seed {c.seed}; one CPU thread.
- Training time: {lm.seconds:.1f} s on this machine; mean training loss over the last 20 steps
  {final:.3f} nats per character.

## Evaluation
- Module 08 measures it: canary exposure against the number of repeats, and a membership
  inference attack (ROC AUC, TPR at low FPR) on members against non-members.

## Risks and limits
- It memorises its training lines **on purpose** (no regularisation, many passes over a small
  corpus): do not train it on real secrets or personal data.
- Results on this model show the *method*; their size says little about large models trained
  with other data, deduplication or differential privacy.
- Character-level and English-only; knows only the {len(lm.tokenizer.alphabet)} ASCII characters of its alphabet.
"""
