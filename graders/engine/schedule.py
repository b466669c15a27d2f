"""Grading a class on this machine: one thread per grading slot, outcomes as they finish.

:func:`grade_class` is the engine's public entry point (re-exported as
``graders.engine.grade_class``). It turns the class into jobs (graders.engine.jobs), keeps
cached outcomes, and grades the rest either here (:func:`grade_here`: ``workers`` threads,
each holding a grading slot with its own sandbox user ids and, as root, a warm template that
has the embedding memo loaded) or on a Dask cluster (graders.engine.cluster).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat

from graders.engine import memo as embedding_memo
from graders.engine import sandbox
from graders.engine.cluster import grade_on_cluster
from graders.engine.jobs import Job, cached_outcome, class_jobs, grade_job
from graders.engine.outcomes import Outcome, summary
from graders.engine.validate import imported_modules


def default_workers() -> int:
    """One grading worker per CPU core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Progress:
    """Thread-safe progress: one line per finished student with a bar, counts, elapsed time and ETA."""

    def __init__(self, total: int, write=print):
        self.total, self.done, self.write = total, 0, write
        self.started = time.monotonic()
        self.lock = threading.Lock()

    def finished(self, outcome: Outcome, note: str) -> None:
        with self.lock:
            self.done += 1
            elapsed = time.monotonic() - self.started
            eta = elapsed / self.done * (self.total - self.done)
            filled = round(20 * self.done / max(self.total, 1))
            self.write(f"[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} "
                       f"{elapsed:5.0f}s elapsed, ~{eta:.0f}s left | {outcome.student}: {note}")


def grade_class(assignment: str, course: Path, limits: sandbox.Limits | None = None, *,
                unsafe: bool = False, progress=print, workers: int | None = None,
                scheduler: str | None = None, warm: bool = True, memo: bool = True) -> list[Outcome]:
    """Grade every submission of ``assignment`` in ``course/submitted``; resumable and idempotent.

    Locally, ``workers`` submissions are graded at once (default: one per CPU core), each in a
    grading slot of its own (its own sandbox user ids), so parallel grading keeps every limit
    and isolation of sequential grading and produces the same outcomes. With ``scheduler``
    (a Dask distributed address such as ``tcp://10.0.0.5:8786``), each submission is graded
    on a worker of that cluster instead (see :func:`grade_remote`). ``warm``: start sandboxed
    workers from a warm template (graders/zygote.py) where possible; ``memo``: with warm
    templates, reuse the embeddings the solution computes (graders/memo.py). Results are the
    same either way.
    """
    limits = limits or sandbox.Limits()
    if not unsafe and scheduler is None:
        sandbox.require_bwrap()
    jobs = class_jobs(assignment, course, limits, unsafe)
    tracker = Progress(len(jobs), progress)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for job in jobs:
        cached = cached_outcome(job)
        if cached is not None:
            outcomes[job.student] = cached
            tracker.finished(cached, "unchanged since the last run, kept")
        else:
            todo.append(job)
    grade = grade_on_cluster if scheduler else grade_here
    for outcome in grade(todo, limits, unsafe, workers, scheduler, warm, memo):
        outcomes[outcome.student] = outcome
        tracker.finished(outcome, summary(outcome))
    return [outcomes[job.student] for job in jobs]


class _MemoShare:
    """The embedding memo (graders/memo.py) for one grading run, shared by its slots.

    The first slot that starts grading records it from the source notebook while the other
    slots grade; every slot's template loads it before its next submission once it exists.
    Grades are the same with or without it, so a slot that has not loaded it yet just computes.
    """

    def __init__(self, job: Job, limits: sandbox.Limits, log: Path):
        self.sources = [job.source_dir / name for name in job.notebooks]
        self.limits, self.log, self.cache = limits, log, job.run_root.parent
        self.lock = threading.Lock()
        self.claimed, self.ready = False, threading.Event()
        self.paths: list[Path] = []
        self.loaded: set[int] = set()

    def give(self, slot: sandbox.Slot) -> None:
        if slot.start_template() is None:
            return
        with self.lock:
            build, self.claimed = not self.claimed, True
        if build:
            try:
                self.paths = [p for p in (embedding_memo.build(src, slot, self.limits, self.cache, self.log)
                                          for src in self.sources) if p is not None]
            finally:
                self.ready.set()
        if self.ready.is_set() and slot.index not in self.loaded:
            self.loaded.add(slot.index)
            try:
                for path in self.paths:
                    embedding_memo.load_into(slot, path)
            except (OSError, sandbox.SandboxUnavailable) as exc:
                embedding_memo.note(self.log, f"slot {slot.index}: {exc}; its workers compute every embedding")


def grade_here(jobs: list[Job], limits: sandbox.Limits, unsafe: bool, workers: int | None, _scheduler,
                warm: bool, memo: bool = True):
    """Grade ``jobs`` on this machine with a thread per slot; yields outcomes as they finish."""
    if not jobs:
        return
    log = jobs[0].run_root.parent / "warm-template.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    slots = [sandbox.claim_slot(warm=warm, zygote_log=log, staging=log.parent / ".slots",
                                work_mb=None if unsafe else limits.work_mb, memory_group=not unsafe)
             for _ in range(max(1, min(workers or default_workers(), len(jobs))))]
    preload = tuple(dict.fromkeys(name for job in jobs[:1] for notebook in job.notebooks for name in
                                  imported_modules(nbformat.read(job.source_dir / notebook, as_version=4))))
    if not unsafe and slots[0].cgroup is None and slots[0].cgroup_note:
        print(f"note: memory is limited per process only, not per submission: {slots[0].cgroup_note}",
              file=sys.stderr)
    for slot in slots:  # share the cores between the workers instead of oversubscribing them
        slot.threads = max(1, default_workers() // len(slots))
        slot.preload = preload
    free = list(slots)
    slot_lock = threading.Lock()
    memos = _MemoShare(jobs[0], limits, log) if warm and memo and not unsafe else None

    def run(job: Job) -> Outcome:
        with slot_lock:
            slot = free.pop()
        try:
            if memos is not None:
                memos.give(slot)
            return grade_job(job, limits, slot, unsafe=unsafe)
        finally:
            with slot_lock:
                free.append(slot)

    try:
        with ThreadPoolExecutor(max_workers=len(slots), thread_name_prefix="grader") as pool:
            for future in as_completed([pool.submit(run, job) for job in jobs]):
                yield future.result()
    finally:
        for slot in slots:
            slot.release()

