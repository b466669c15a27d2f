"""The sandboxed grading engine: a class of submissions in, one recorded outcome per student out.

Public entry point (what the course operations in ``graders/course.py`` use)::

    from graders import engine
    outcomes = engine.grade_class("02_calibration", course, engine.Limits(), workers=4)
    engine.write_report("02_calibration", course, outcomes)

How it is built, from the top of the call chain down (each module's docstring says what it owns):

- ``schedule``         grade_class: cached outcomes kept, the rest graded by threads, one grading slot each
- ``cluster``          the same on a Dask distributed cluster (each job a task carrying bytes)
- ``jobs``             one Job per student folder, keyed by what its outcome depends on; the outcome cache
- ``submission``       one submission: validate, stage, student session, test run, rebuilt graded notebook
- ``student_session``  the student's code in a sandboxed worker, restarted without cells that kill it
- ``instructor_run``   the instructor's setup and test cells in a second sandbox, calling the student's functions
- ``validate``         reading a handed-in notebook and comparing it with the source
- ``outcomes``         Outcome and the per-run report (reports/<assignment>.json/.csv)
- ``memo``             the embedding memo: the solution's embedded batches, recorded once per class
- ``sandbox``          bubblewrap command lines, limits, grading slots (user ids), staging, warm templates
- ``zygote``           the warm template process that forks one fresh sandboxed worker per request
- ``protocol``         framed messages and the plain-data value codec between the grader and workers
- ``workers/``         the programs that run *inside* sandboxes (student, instructor, memo_recorder);
                       they import only ``protocol`` and ``workers.common``

The names below are imported on first use, so that a sandboxed worker, which imports this
package on its way to ``graders.engine.workers``, does not pay for nbformat and the scheduler.
"""

from __future__ import annotations

import importlib

_PUBLIC = {
    "grade_class": "graders.engine.schedule",
    "default_workers": "graders.engine.schedule",
    "Outcome": "graders.engine.outcomes",
    "write_report": "graders.engine.outcomes",
    "Limits": "graders.engine.sandbox",
    "SandboxUnavailable": "graders.engine.sandbox",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'graders.engine' has no attribute {name!r}")
