"""Embedding memo: the instructor's solution embeds once per class; students reuse its batches.

In a transformer-using assignment most of a correct submission's time is spent embedding the
same texts the solution embeds (module 01: about 1,300 reviews per submission), and stock
nbgrader recomputes them for every student. Before grading, the kit runs the assignment's
*source* notebook (trusted instructor code: solutions and tests) once in a sandbox forked from
a warm template (graders/engine/workers/memo_recorder.py) and records every batch ``raikit.models.embed``
computes. Each slot's template then loads those batches (``models.remember_batches``), and a
student's ``embed`` call whose batch has exactly the same texts, order and model gets the
recorded vectors instead of recomputing them.

Why the grades cannot change: a batch's vectors depend only on the texts in it, the model and
the number of torch threads, and the memo run uses the same template, model and thread count
as the students' workers, so a recorded batch holds the vectors the student's process would
have computed. A batch that differs in any text is computed as before. Only the instructor's
code ever writes the memo; a student can read or change it only inside their own process.

The memo is kept in ``grading/<assignment>/`` keyed by everything it depends on (source,
model, thread count, library versions), so re-grading reuses it. Warm starts only (root):
cold workers compute everything, as do Dask workers.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import nbformat
import numpy as np

from graders.engine import protocol, sandbox
from graders.engine.workers.memo_recorder import MEMO_FILE

MEMO_VERSION = "1"
MEMO_WORKER = "graders.engine.workers.memo_recorder"
MAX_MEMO_MB = 512  # a memo bigger than this is not worth holding in every template


def memo_key(source_path: Path, threads: int) -> str:
    """What the recorded vectors depend on: the source notebook, model, threads and versions."""
    from importlib.metadata import version  # not `import torch`: seconds the grader process need not spend

    from raikit import models

    digest = hashlib.sha256(f"{MEMO_VERSION}|{version('torch')}|{version('transformers')}|{threads}|"
                            f"{models.resolve('embedder')[0]}".encode())
    digest.update(source_path.read_bytes())
    return digest.hexdigest()[:20]


def _code_cells(source_path: Path) -> list[str]:
    notebook = nbformat.read(source_path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def build(source_path: Path, slot: sandbox.Slot, limits: sandbox.Limits, cache_dir: Path,
          log: Path | None = None) -> Path | None:
    """The memo file for this source notebook, recorded now in ``slot`` unless already kept.

    Returns None (grading then computes everything) when the slot has no warm template or the
    memo run fails (the reason goes to ``log``). A source that embeds nothing gets an empty
    memo, kept like any other so that re-grading does not run the source again.
    """
    if slot.zygote is None:
        return None
    target = cache_dir / f"embedding-memo-{source_path.stem}-{memo_key(source_path, slot.threads or 1)}.npz"
    if target.is_file():
        return target
    started = time.monotonic()
    workdir = sandbox.stage_for_sandbox(source_path.parent, slot)
    worker = slot.spawn(MEMO_WORKER, limits, uid=slot.student_uid, writable=workdir, log=log)
    try:
        protocol.send(worker.outbound, {"op": "record", "cells": _code_cells(source_path)},
                      timeout=limits.cell_timeout)
        reply = protocol.receive(worker.inbound, timeout=limits.notebook_timeout)
    except (protocol.ProtocolError, OSError) as exc:
        note(log, f"embedding memo not recorded ({type(exc).__name__}: {exc}); students' embeddings are computed")
        return None
    finally:
        worker.kill()
    try:
        batches = _read_checked(workdir / MEMO_FILE)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if batches is None:
        note(log, "embedding memo missing or malformed; students' embeddings are computed")
        return None
    if reply.get("errors"):
        note(log, f"embedding memo: the source notebook raised errors {reply['errors']}; kept what it recorded")
    cache_dir.mkdir(parents=True, exist_ok=True)  # kept even when empty: a re-grade need not run the source again
    partial = target.with_suffix(".partial.npz")
    np.savez(partial, **batches)
    partial.replace(target)
    note(log, f"embedding memo: {len(batches)} batches of the solution recorded in {time.monotonic() - started:.1f} s")
    return target


def _read_checked(path: Path) -> dict[str, np.ndarray] | None:
    """The recorded batches, if the file is a plain npz of 2-D float32 arrays (no pickles)."""
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MEMO_MB * 1024 * 1024:
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            batches = {name: data[name] for name in data.files}
    except (OSError, ValueError):
        return None
    if any(v.dtype != np.float32 or v.ndim != 2 for v in batches.values()):
        return None
    return batches


def load_into(slot: sandbox.Slot, memo: Path) -> int:
    """Give the memo to the slot's warm template; returns the number of batches it now serves."""
    if slot.zygote is None:
        return 0
    with np.load(memo, allow_pickle=False) as data:
        if not data.files:
            return 0
    staged = slot.workspace / MEMO_FILE  # the template sees the slot's workspace at /staging
    shutil.copyfile(memo, staged)
    try:
        reply = slot.zygote.request({"op": "memo", "path": f"/staging/{MEMO_FILE}"})
    finally:
        staged.unlink(missing_ok=True)
    if "error" in reply:
        raise sandbox.SandboxUnavailable(f"the warm template could not load the embedding memo: {reply['error']}")
    return int(reply.get("batches", 0))


def note(log: Path | None, line: str) -> None:
    if log is not None:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
