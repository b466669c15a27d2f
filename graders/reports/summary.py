"""The one-screen summary an autograde run ends with: counts, and the next step for each problem.

A class run never stops for one bad submission (graders/engine): it ends with some graded,
some flagged for review and some failed. :func:`run_summary` says how many of each, which
were recorded in the gradebook this time and which kept their manual grading, and, for each
kind of failure, what the instructor can do about it.
"""

from __future__ import annotations

# (words in a failure's reason or flag, kind, next step): the first match names the kind
NEXT_STEPS = (
    (("no .ipynb", "not a valid notebook", "not valid json", "cannot be read", "does not validate",
      "format version", "could not be validated"),
     "unreadable notebook", "ask the student to download the notebook again (JupyterLab: File > Download) "
                            "and hand it in; their other files were kept"),
    (("link", "not a folder", "pipe", "socket"),
     "not a plain folder", "unpack the student's files into a real folder (links are never followed) "
                           "and run autograde again"),
    (("time limit", "timed out", "stopped after"),
     "time limit", "look for an endless loop in the flagged cell; if the work is legitimately slow, "
                   "raise --cell-timeout / --notebook-timeout"),
    (("killed", "memory"),
     "killed (memory or processes)", "read the worker log under grading/<assignment>/<student>/; "
                                     "raise --memory-mb only if the solution itself needs more"),
    (("over the cap", "left out", "too large", "too many"),
     "files left out", "nothing to do unless the left-out files were needed; --max-handin-mb raises the cap"),
    (("edited", "missing", "appears", "changed type", "moved", "unknown grade cells", "renamed", "metadata"),
     "changed notebook structure", "the original cells were used; open the graded notebook in the "
                                   "formgrader and check the answers landed where they should"),
)
OTHER = ("other", "read the reason in reports/<assignment>.csv and the graded notebook in the formgrader")


def kind_of_problem(text: str) -> tuple[str, str]:
    """``(kind, next step)`` for a failure reason or flag, by its wording (graders/engine, graders/collect)."""
    lowered = text.lower()
    for words, kind, step in NEXT_STEPS:
        if any(word in lowered for word in words):
            return kind, step
    return OTHER


def run_summary(assignment: str, result) -> list[str]:
    """Lines for the end of ``raikit-grade autograde`` (``result``: graders.course.AutogradeResult)."""
    outcomes = result.outcomes
    if not outcomes:  # graded by stock nbgrader: no per-submission outcomes
        return [f"== {assignment}: {len(result.scores)} submission(s) recorded by stock nbgrader, "
                f"{len(result.problems)} not graded ==", f"then: make report A={assignment}"]
    failed = [o for o in outcomes if o.status == "failed"]
    flagged = [o for o in outcomes if o.status != "failed" and o.flags]
    clean = len(outcomes) - len(failed) - len(flagged)
    lines = [f"== {assignment}: {len(outcomes)} submission(s): {clean} graded, {len(flagged)} graded but flagged "
             f"for review, {len(failed)} failed =="]
    if outcomes:
        kept = len(outcomes) - len(result.recorded)
        lines.append(f"gradebook: {len(result.recorded)} new or changed submission(s) recorded; {kept} unchanged "
                     "kept as they were (manual grades included)")
    if result.superseded:
        lines.append(f"{len(result.superseded)} changed submission(s) had manual grading that may no longer apply "
                     f"({', '.join(sorted(result.superseded))}): grade them again in the formgrader")
    kinds: dict[tuple[str, str], list[str]] = {}
    for outcome in failed + flagged:
        for text in ([outcome.reason] if outcome.status == "failed" else []) + list(outcome.flags):
            if text:
                kinds.setdefault(kind_of_problem(text), [])
                if outcome.student not in kinds[kind_of_problem(text)]:
                    kinds[kind_of_problem(text)].append(outcome.student)
                break  # the first problem names the kind; the report lists them all
    for (kind, step), students in sorted(kinds.items()):
        shown = ", ".join(students[:6]) + (f" and {len(students) - 6} more" if len(students) > 6 else "")
        lines.append(f"  {kind} ({len(students)}: {shown})")
        lines.append(f"    next: {step.replace('<assignment>', assignment)}")
    if result.problems:
        lines.append(f"  not graded ({len(result.problems)}): see the list above; the originals are untouched")
    steps = [f"make report A={assignment}  (item statistics, flagged.csv, lms.csv)",
             f"make feedback A={assignment}", "make export  (all assignments, with statuses, for the LMS)"]
    lines.append("then: " + "; ".join(steps))
    return lines
