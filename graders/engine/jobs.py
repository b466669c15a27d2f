"""A class as jobs: one per student folder, keyed by everything its outcome depends on.

:func:`class_jobs` turns ``course/submitted/*/<assignment>`` into :class:`Job` objects whose
``key`` hashes the submission, the source, the limits and the engine version;
:func:`cached_outcome` returns an earlier outcome for exactly that key (so re-running is
idempotent and a killed run resumes); :func:`grade_job` grades every notebook of one job in
a grading slot and caches its outcome and log under ``grading/<assignment>/<student>/``.
Local threads (graders.engine.schedule) and Dask workers (graders.engine.cluster) both run
jobs through :func:`grade_job`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from graders.engine import sandbox
from graders.engine.files import STAGING_CAPS, display, is_real_dir, read_tree
from graders.engine.outcomes import Outcome
from graders.engine.submission import grade_submission

ENGINE_VERSION = "1"


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256(ENGINE_VERSION.encode())
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@dataclass
class Job:
    """One student's submission of one assignment, with the paths grading reads and writes."""

    student: str
    assignment: str
    folder: Path  # submitted/<student>/<assignment>: the student's files (never modified)
    source_dir: Path
    release_dir: Path
    graded_dir: Path  # sandboxed/<student>/<assignment>: the rebuilt notebooks nbgrader records
    run_root: Path  # grading/<assignment>/<student>: outcome cache, worker logs, the sandbox's copy
    notebooks: list[str]
    key: str = ""
    problem: str = ""  # why the folder cannot be read at all (then nothing in it is opened)

    @property
    def outcome_file(self) -> Path:
        return self.run_root / "outcome.json"


def class_jobs(assignment: str, course: Path, limits: sandbox.Limits, unsafe: bool) -> list[Job]:
    """A job per student folder in ``course/submitted``, keyed by what its outcome depends on."""
    source_dir = course / "source" / assignment
    notebooks = sorted(p.name for p in source_dir.glob("*.ipynb"))
    submitted = course / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if os.path.lexists(p / assignment)) \
        if is_real_dir(submitted) else []
    limits_blob = json.dumps(limits.as_dict(), sort_keys=True).encode()
    jobs = []
    for student in students:
        folder = submitted / student / assignment
        problem = ""
        for path in (submitted / student, folder):  # never follow a link to another student or the source
            if not is_real_dir(path):
                problem = f"{display(str(path.relative_to(course)))} is not a folder (a link is never followed)"
                break
        parts = [limits_blob, b"unsafe" if unsafe else b"sandboxed", problem.encode()]
        parts += [(source_dir / name).read_bytes() for name in notebooks]
        if not problem:  # everything handed in, read as the sandbox will see it
            for relative, data in sorted(read_tree(folder, STAGING_CAPS).files.items()):
                parts += [relative.encode("utf-8", "surrogateescape"), data]
        jobs.append(Job(student, assignment, folder, source_dir, course / "release" / assignment,
                        course / "sandboxed" / student / assignment, course / "grading" / assignment / student,
                        notebooks, _hash(*parts), problem))
    return jobs


def cached_outcome(job: Job) -> Outcome | None:
    """The outcome of an earlier run on exactly these inputs, if its graded notebooks still exist."""
    if not job.outcome_file.is_file() or not all((job.graded_dir / n).is_file() for n in job.notebooks):
        return None
    try:
        cached = json.loads(job.outcome_file.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != job.key:
        return None
    return Outcome(**{k: v for k, v in cached.items() if k in Outcome.__dataclass_fields__})


def grade_job(job: Job, limits: sandbox.Limits, slot: sandbox.Slot, *, unsafe: bool = False) -> Outcome:
    """Grade every notebook of one student's submission in ``slot``; caches and logs the outcome."""
    merged = Outcome(job.student, key=job.key)
    # An unreadable folder is graded as "nothing handed in" (so nbgrader records a row) and fails with why.
    folder = job.run_root / "nothing-read" if job.problem else job.folder
    for name in job.notebooks:
        one = grade_submission(job.student, folder, name, job.source_dir / name, job.release_dir / name,
                               job.graded_dir, job.run_root / Path(name).stem, limits, slot, unsafe=unsafe)
        if job.problem:
            one.status, one.reason, one.flags = "failed", job.problem, [job.problem]
        merged.flags += one.flags
        merged.tests.update(one.tests)
        merged.seconds = round(merged.seconds + one.seconds, 2)
        if one.status == "failed":
            merged.status = "failed"
        merged.reason = "; ".join(r for r in (merged.reason, one.reason) if r)
    job.run_root.mkdir(parents=True, exist_ok=True)
    job.outcome_file.write_text(json.dumps(asdict(merged), indent=1))
    lines = [f"student {job.student}, assignment {job.assignment}: {merged.status} in {merged.seconds:.1f} s"]
    lines += [f"  {k}: {'passed' if v['passed'] else 'failed'}"
              + ("" if v["passed"] else f" ({(v.get('error') or {}).get('type', 'Error')}: "
                 f"{str((v.get('error') or {}).get('message', ''))[:200]})") for k, v in sorted(merged.tests.items())]
    lines += [f"  flag: {flag}" for flag in merged.flags]
    lines += [f"  worker log: {p}" for p in sorted(job.run_root.glob("*/worker.log"))]
    (job.run_root / "grading.log").write_text("\n".join(lines) + "\n")
    return merged

