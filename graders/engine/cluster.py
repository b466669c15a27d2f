"""Grading a class on a Dask distributed cluster, for classes too big for one machine.

Each job becomes a task (:func:`grade_remote`) that carries the submission, source and
release as bytes and returns the outcome, graded notebooks and log as bytes, so workers need
no shared file system. Every Dask worker grades in its own bubblewrap sandbox and grading
slot, exactly as a local thread does (docs/SCALING.md).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

import nbformat

from graders.engine import sandbox
from graders.engine.files import STAGING_CAPS, read_tree, remove_tree, write_tree
from graders.engine.jobs import Job, grade_job
from graders.engine.outcomes import Outcome
from graders.engine.validate import imported_modules


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    """The regular files of a folder within the caps (links, pipes and devices are never read)."""
    return read_tree(folder, STAGING_CAPS).files


def grade_remote(payload: dict) -> dict:
    """Grade one submission on a Dask worker: everything it needs arrives as bytes, and the
    outcome, graded notebooks and log go back as bytes, so workers need no shared file system.

    Runs on the worker's machine with its own bubblewrap sandbox and grading slot, exactly as
    a local worker would; the worker's scratch copy is deleted afterwards.
    """
    limits = sandbox.Limits(**payload["limits"])
    if not payload["unsafe"]:
        sandbox.require_bwrap()
    root = Path(tempfile.mkdtemp(prefix="raikit-remote-"))
    try:
        for part, files in (("submitted", payload["files"]), ("source", payload["sources"]),
                            ("release", payload["releases"])):
            write_tree(files, root / part)
        os.chmod(root, 0o755)  # the sandbox users must traverse it, as for a local course
        job = Job(payload["student"], payload["assignment"], root / "submitted", root / "source", root / "release",
                  root / "sandboxed", root / "grading", payload["notebooks"], payload["key"],
                  payload.get("problem", ""))
        job.folder.mkdir(exist_ok=True)
        slot = _worker_slot(payload.get("warm", True), None if payload["unsafe"] else limits.work_mb)
        if slot.zygote is None and not slot.preload:
            slot.preload = tuple(dict.fromkeys(name for notebook in job.notebooks for name in imported_modules(
                nbformat.read(job.source_dir / notebook, as_version=4))))
        outcome = grade_job(job, limits, slot, unsafe=payload["unsafe"])
        return {"outcome": asdict(outcome), "graded": _folder_bytes(job.graded_dir),
                "log": (job.run_root / "grading.log").read_text(),
                "host": f"{os.uname().nodename}, process {os.getpid()}"}
    finally:
        remove_tree(root)  # whatever the submission's code left, at any depth


_WORKER_SLOTS = threading.local()
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler (a cluster that is still starting gets this long)


def _worker_slot(warm: bool, work_mb: int | None = None) -> sandbox.Slot:
    """The grading slot of this Dask worker thread, kept (with its warm template) between tasks.

    A worker process holds its slots until it exits (the OS then drops the locks and the
    templates die with it), so each task after the first starts warm.
    """
    slot = getattr(_WORKER_SLOTS, "slot", None)
    if slot is None:
        log = Path(tempfile.gettempdir()) / f"raikit-warm-template-{os.getpid()}.log"
        slot = _WORKER_SLOTS.slot = sandbox.claim_slot(warm=warm, zygote_log=log, work_mb=work_mb,
                                                       memory_group=work_mb is not None)
    return slot


def grade_on_cluster(jobs: list[Job], limits: sandbox.Limits, unsafe: bool, _workers, scheduler: str,
                      warm: bool, _memo: bool = True):
    """Send each job to a Dask distributed cluster; write back what its workers return."""
    if not jobs:
        return
    from distributed import Client
    from distributed import as_completed as completed

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise sandbox.SandboxUnavailable(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}. Start one with `dask scheduler` "
            "and workers with `dask worker <address>` (docs/SCALING.md)") from exc
    with client:
        futures = {}
        for job in jobs:
            payload = {"student": job.student, "assignment": job.assignment, "key": job.key, "warm": warm,
                       "notebooks": job.notebooks, "limits": limits.as_dict(), "unsafe": unsafe, "problem": job.problem,
                       "files": {} if job.problem else _folder_bytes(job.folder),
                       "sources": {n: (job.source_dir / n).read_bytes() for n in job.notebooks},
                       "releases": {n: (job.release_dir / n).read_bytes() for n in job.notebooks}}
            futures[client.submit(grade_remote, payload, key=f"grade-{job.assignment}-{job.student}-{job.key[:12]}",
                                  pure=False)] = job
        for future in completed(list(futures)):
            job = futures[future]
            result = future.result()
            remove_tree(job.graded_dir)
            write_tree(result["graded"], job.graded_dir)
            job.run_root.mkdir(parents=True, exist_ok=True)
            (job.run_root / "grading.log").write_text(f"graded on {result['host']}\n" + result["log"])
            outcome = Outcome(**result["outcome"])
            job.outcome_file.write_text(json.dumps(asdict(outcome), indent=1))
            yield outcome

