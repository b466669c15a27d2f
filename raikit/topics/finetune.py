"""Fine-tune a pretrained transformer into a binary text classifier, on CPU.

Two ways to turn MiniLM (the ``classifier_base`` role) into a classifier:

1. **Frozen body, trained head** (what the lessons run): embed the texts once with
   :func:`raikit.models.embed` and fit a logistic regression on the vectors. Seconds on a
   laptop; the transformer's weights never change.
2. **Fine-tuning** (this module): put a fresh classification layer on the transformer
   (``transformers.AutoModelForSequenceClassification``) and train the whole network, or
   only its top layers, with cross-entropy and AdamW. On 2 CPU cores one epoch over ~300
   short comments takes roughly 10-30 s for all six layers of MiniLM, so lessons treat it
   as an optional extra; ``trainable_layers=1`` is cheaper.

``transformers`` and ``torch`` are imported inside the functions (start-up stays cheap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from raikit import models


@dataclass
class FineTunedClassifier:
    """A fine-tuned sequence classifier with its tokenizer; ``predict_proba`` gives P(label 1)."""

    model: Any
    tokenizer: Any
    max_length: int
    losses: list[float] = field(default_factory=list)  # mean training loss of each epoch

    def predict_proba(self, texts, batch_size: int = 64) -> np.ndarray:
        """Probability of label 1 for each text: a float array of shape ``(len(texts),)``."""
        import torch

        texts = models.text_list(texts, "predict_proba()")
        self.model.eval()
        chunks = []
        with torch.no_grad():
            for start in range(0, len(texts), batch_size):
                batch = self.tokenizer(texts[start:start + batch_size], padding=True, truncation=True,
                                       max_length=self.max_length, return_tensors="pt")
                chunks.append(torch.softmax(self.model(**batch).logits, dim=-1)[:, 1].numpy())
        return np.concatenate(chunks).astype(float) if chunks else np.zeros(0)




def _load_classifier(role: str):
    from transformers import AutoModelForSequenceClassification
    from transformers.utils import logging as hf_logging

    name, source = models.resolve(role)
    hf_logging.disable_progress_bar()
    # transformers reports that the classification layer is "MISSING" from the checkpoint and
    # newly initialised: that is the point of fine-tuning, so this one report is silenced.
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        return AutoModelForSequenceClassification.from_pretrained(
            name, num_labels=2, local_files_only=Path(name).is_dir())
    except (OSError, ValueError) as exc:
        raise models._load_failure(role, name, source, exc) from exc
    finally:
        hf_logging.set_verbosity(verbosity)


def _freeze_all_but_top(model, trainable_layers: int) -> None:
    encoder = getattr(model.base_model, "encoder", None)
    layers = getattr(encoder, "layer", None)
    if layers is None:
        raise ValueError("trainable_layers needs a BERT-like model (base_model.encoder.layer); "
                         "use trainable_layers=None to train every weight.")
    if not 0 <= trainable_layers <= len(layers):
        raise ValueError(f"trainable_layers must be between 0 and {len(layers)}, got {trainable_layers}.")
    for parameter in model.base_model.parameters():
        parameter.requires_grad = False
    for layer in list(layers)[len(layers) - trainable_layers:]:
        for parameter in layer.parameters():
            parameter.requires_grad = True
    pooler = getattr(model.base_model, "pooler", None)
    if pooler is not None:
        for parameter in pooler.parameters():
            parameter.requires_grad = True


def fine_tune_classifier(texts, labels, *, role: str = "classifier_base", epochs: int = 3,
                         learning_rate: float = 5e-5, batch_size: int = 16, max_length: int = 64,
                         trainable_layers: int | None = None, seed: int = 2024) -> FineTunedClassifier:
    """Fine-tune the ``role``'s transformer with a new 2-class head on ``texts`` and 0/1 ``labels``.

    - ``epochs``, ``learning_rate``, ``batch_size``: AdamW over shuffled mini-batches (5e-5 is
      the usual BERT fine-tuning rate; 3 epochs is enough for a few hundred short texts).
    - ``max_length``: texts are cut to this many word pieces (64 covers a forum comment).
    - ``trainable_layers``: ``None`` trains every weight; ``k`` trains only the top ``k``
      encoder layers, the pooler and the head (cheaper, less prone to overfit tiny data).
    - ``seed``: seeds the head's initialisation and the batch order, so runs repeat.
    """
    import torch

    texts = models.text_list(texts, "fine_tune_classifier()")
    targets = np.asarray(labels).astype(int)
    if targets.shape != (len(texts),) or not np.isin(targets, [0, 1]).all():
        raise ValueError("labels must hold one 0/1 label per text.")
    if epochs < 1 or batch_size < 1:
        raise ValueError("epochs and batch_size must be at least 1.")
    torch.manual_seed(seed)
    model = _load_classifier(role)
    tokenizer = models.load_tokenizer(role)
    if trainable_layers is not None:
        _freeze_all_but_top(model, trainable_layers)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=learning_rate)
    order_rng = torch.Generator().manual_seed(seed)
    label_tensor = torch.tensor(targets)
    losses = []
    model.train()
    for _ in range(epochs):
        total, seen = 0.0, 0
        for batch_index in torch.randperm(len(texts), generator=order_rng).split(batch_size):
            picked = batch_index.tolist()
            batch = tokenizer([texts[i] for i in picked], padding=True, truncation=True,
                              max_length=max_length, return_tensors="pt")
            loss = model(**batch, labels=label_tensor[batch_index]).loss
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
            total += loss.item() * len(picked)
            seen += len(picked)
        losses.append(total / seen)
    model.eval()
    return FineTunedClassifier(model=model, tokenizer=tokenizer, max_length=max_length, losses=losses)
