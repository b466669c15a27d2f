"""One seeding helper for the whole course.

Every lesson and assignment calls :func:`seed_everything` once at the top, so numbers
printed in the prose match what the code prints on every machine.
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

DEFAULT_SEED = 2024  # the course's seed; any fixed value works, this one is documented


def seed_everything(seed: int = DEFAULT_SEED) -> np.random.Generator:
    """Seed Python's ``random``, NumPy and (if it is imported) PyTorch.

    Returns a fresh ``numpy.random.Generator`` seeded with ``seed``: pass it to code that
    takes an ``rng`` argument instead of relying on global state.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    os.environ["PYTHONHASHSEED"] = str(seed)  # inherited by subprocesses the lesson starts
    if "torch" in sys.modules:  # do not import torch just to seed it
        import torch

        torch.manual_seed(seed)
    return np.random.default_rng(seed)
