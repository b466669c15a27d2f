"""Memo worker: runs the instructor's own notebook (solution and tests) and records its embeddings.

Started like the other workers (``python -m graders.engine.workers.memo_recorder``, in a sandbox forked from
the slot's warm template) but it only ever runs trusted cells: the assignment's source.
Protocol (graders.engine.protocol frames over its private pipes):

    {"op": "record", "cells": [source, ...]} -> {"ok", "batches": int, "errors": [...], "output"}

Every batch that ``raikit.models.embed`` computes is saved to ``embedding-memo.npz`` in the
working folder, which graders/engine/memo.py checks and hands to the grading templates.
"""

from __future__ import annotations

import os

import numpy as np

from graders.engine import protocol
from graders.engine.workers.common import Channel, error_summary, make_shell

MEMO_FILE = "embedding-memo.npz"


def main() -> None:
    channel = Channel()
    shell = make_shell()
    message = protocol.receive(channel.inbound)
    if message.get("op") != "record":
        protocol.send(channel.outbound, {"ok": False, "errors": [f"unknown op {message.get('op')!r}"]})
        return
    from raikit import models

    batches = models.record_batches()
    errors = []
    for number, source in enumerate(message.get("cells") or []):
        result = shell.run_cell(str(source), store_history=False)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            errors.append(f"cell {number}: {error_summary(error)}")
    np.savez(os.path.join(os.getcwd(), MEMO_FILE), **batches)
    protocol.send(channel.outbound, {"ok": not errors, "batches": len(batches), "errors": errors[:10],
                                     "output": channel.read_output()[-2000:]})


if __name__ == "__main__":
    main()
