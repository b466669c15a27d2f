"""Taking a class's submissions in: every entry of the folder becomes exactly one student.

``raikit-grade autograde A --submissions DIR`` reads ``DIR/<folder>/`` (or
``DIR/<folder>/<A>/``) for each student and copies what it finds into the course's
``submitted/<student_id>/<A>/``. The folders come from an LMS download, a shared drive or an
unzip, so anything can be in them. The rules:

- **Every entry gets exactly one student id and one outcome.** Folder names may hold Unicode
  letters, spaces, apostrophes or a leading dash; they are mapped to an nbgrader id by
  :func:`student_id_for` (deterministic: a name that is already a safe id keeps it; any other
  name becomes its ASCII letters and digits plus 8 hex digits of its SHA-256, e.g.
  ``jane doe`` -> ``jane_doe-a1b2c3d4``). A roster CSV (``--roster``, columns
  ``folder,student_id``) may name the id instead. ``reports/<A>.csv`` lists each folder next
  to its id. An entry that is not a folder (a link, a file, a pipe) still gets an id and a
  failed outcome saying why; nothing in it is read.
- **Only regular files are read** (graders/engine/files.py): links are never followed, pipes,
  sockets and devices never opened; each is flagged. Handed-in files are capped (bytes, count,
  depth: :class:`~graders.engine.files.Caps`); what is over the cap is flagged and left out.
- **Originals are never modified.** Student-chosen names never reach a command line or SQL:
  only the mapped ids do, and they cannot start with a dash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graders import roster as class_roster
from graders.engine.files import (
    SKIPPED_SILENTLY,
    STAGING_CAPS,
    Caps,
    display,
    is_real_dir,
    kind_of,
    read_tree,
    remove_tree,
)
from graders.engine.files import write_tree as write_files

TIMESTAMP = "timestamp.txt"  # nbgrader reads a submission's time from this file
SAFE_ID = class_roster.SAFE_ID


class CollectError(RuntimeError):
    """A problem with the submissions folder or roster as a whole (the run cannot start)."""


@dataclass
class Entry:
    """One entry of the submissions folder and what became of it."""

    folder: str  # the entry's name as the instructor sees it (undecodable bytes shown as U+FFFD)
    student: str  # the nbgrader student id it is recorded under
    flags: list[str] = field(default_factory=list)  # things left out or repaired
    problem: str = ""  # why there is nothing to grade (the outcome then fails with this reason)
    notebooks: list[str] = field(default_factory=list)
    rejected: bool = False  # a notebook failed ``notebook_problem`` (the stock engine then skips the entry)


def student_id_for(name: str) -> str:
    """The nbgrader id for a submission folder called ``name``: itself if it is already safe
    (ASCII letters, digits, ``_ . -``, not starting with a punctuation mark, at most 64
    characters), otherwise its ASCII letters and digits joined by ``_`` plus 8 hex digits of
    the SHA-256 of the name, so different names never share an id."""
    if SAFE_ID.match(name):
        return name
    raw = name.encode("utf-8", "surrogateescape")
    letters = "".join(c for c in unicodedata.normalize("NFKD", raw.decode("utf-8", "replace"))
                      if not unicodedata.combining(c))  # "zoë" -> "zoe"
    base = re.sub(r"[^A-Za-z0-9]+", "_", letters).strip("_")[:40] or "student"
    return f"{base}-{hashlib.sha256(raw).hexdigest()[:8]}"


def read_roster(path: Path) -> dict[str, str]:
    """``{folder name: student id}`` from the class roster's ``folder`` and ``student_id`` columns
    (graders/roster.py; rows without a folder are students with nothing to map)."""
    try:
        students = class_roster.read(path)
    except class_roster.RosterError as exc:
        raise CollectError(str(exc)) from exc
    return {s.folder: s.student_id for s in students.values() if s.folder}


def collect(assignment: str, submissions: Path, course: Path, *, expected: set[str] | None = None,
            keep_invalid: bool = True, roster: dict[str, str] | None = None, caps: Caps | None = None,
            notebook_problem=None, received: dict[str, str] | None = None) -> list[Entry]:
    """Copy each entry of ``submissions`` into ``course/submitted/<id>/<assignment>/``.

    Returns one :class:`Entry` per entry (hidden clutter such as ``.DS_Store`` aside).
    ``keep_invalid``: also copy entries with no gradable notebook (an empty folder), so the
    engine records a failed outcome for them; otherwise they are left out (stock nbgrader).
    ``notebook_problem(name, data)`` may reject a notebook's bytes (the stock engine's check).
    ``received``: ``{folder name: time of receipt}`` from the source (an LMS's record); see
    :func:`receipt_time`.
    """
    if not is_real_dir(submissions):
        raise CollectError(f"Submissions folder {submissions} does not exist or is not a folder. "
                           "Expected <folder>/<student_id>/<notebook>.ipynb.")
    caps = caps or Caps()
    roster = roster or {}
    entries: list[Entry] = []
    taken: dict[str, str] = {}
    for item in sorted(os.scandir(submissions), key=lambda e: e.name):
        if item.name in SKIPPED_SILENTLY:
            continue
        shown = display(item.name)
        sid = roster.get(shown) or student_id_for(item.name)
        if sid in taken:  # a safe name equal to another folder's mapped id: hash this one too
            sid = student_id_for(item.name + "\x00")
        taken[sid] = shown
        entry = Entry(shown, sid)
        entries.append(entry)
        try:
            mode = item.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            entry.problem = f"{shown} cannot be read ({exc.strerror})"
        else:
            if not stat.S_ISDIR(mode):
                entry.problem = (f"{shown} is {kind_of(mode)} in the submissions folder, not a student's folder; "
                                 "nothing in it was read")
        files: dict[str, bytes] = {}
        if not entry.problem:
            files = _take(Path(item.path), assignment, caps, entry)
            entry.notebooks = sorted(k for k in files if "/" not in k and k.endswith(".ipynb"))
            if not entry.notebooks and not entry.problem:
                entry.problem = f"no .ipynb file in {shown}"
            for name in entry.notebooks:
                reason = None
                if expected and name not in expected:
                    reason = (f"{display(name)} is not one of the assignment's notebooks "
                              f"({', '.join(sorted(expected))}); renamed?")
                elif notebook_problem:
                    reason = notebook_problem(name, files[name])
                if reason:
                    entry.flags.append(reason)
                    entry.rejected = True
        if (entry.notebooks and not entry.rejected) or keep_invalid:
            target = course / "submitted" / sid / assignment
            if TIMESTAMP in files:
                del files[TIMESTAMP]
                entry.flags.append(f"the {TIMESTAMP} handed in was ignored: the time of receipt is recorded instead")
            if not entry.problem:
                files[TIMESTAMP] = receipt_time(target, files, (received or {}).get(shown))
            remove_tree(target)
            write_files(files, target)
    return entries


def receipt_time(target: Path, files: dict[str, bytes], received: str | None = None) -> bytes:
    """The ``timestamp.txt`` nbgrader records for a submission: when it was *received*.

    ``received`` is the source's own record (an LMS download's submission time, the exchange's).
    Otherwise it is the time this version was first collected: if ``target`` already holds exactly
    these files, its timestamp is kept (so re-running changes nothing); new or changed work gets
    the current time. A ``timestamp.txt`` the student handed in is never used (it can say anything).
    """
    if received:
        return received.encode("utf-8")
    earlier = read_tree(target, STAGING_CAPS).files if is_real_dir(target) else {}
    stamp = earlier.pop(TIMESTAMP, None)
    if stamp is not None and earlier == files:
        return stamp
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC").encode("utf-8")


def _take(folder: Path, assignment: str, caps: Caps, entry: Entry) -> dict[str, bytes]:
    """The files of one student's folder: its top level, or its ``<assignment>/`` subfolder when
    the notebooks are there."""
    sub = folder / assignment
    top = read_tree(folder, caps, skip=lambda relative: "/" in relative or relative == assignment)
    chosen = folder
    if not any(k.endswith(".ipynb") for k in top.files) and os.path.lexists(sub):
        if not is_real_dir(sub):
            entry.problem = f"{entry.folder}/{assignment} is a link or a file, not a folder; it was not followed"
            return {}
        chosen = sub
    walk = read_tree(chosen, caps)
    entry.flags += [f"left out: {reason}" for reason in walk.left_out]
    if chosen == folder:  # the assignment subfolder of a student who put the notebooks on top is not mixed in
        walk.files = {k: v for k, v in walk.files.items() if not k.startswith(assignment + "/")}
    return walk.files


def print_summary(entries: list[Entry], keep_invalid: bool, out=None) -> None:
    """One line per entry that was renamed, flagged or left out (the instructor's to-do list)."""
    out = out or sys.stderr
    for entry in entries:
        if entry.student != entry.folder:
            print(f"id: folder {entry.folder!r} is recorded as student {entry.student}", file=out)
        for flag in entry.flags:
            print(f"flagged: {entry.student}: {flag}", file=out)
        if entry.problem:
            verdict = "recorded as failed" if keep_invalid else "not graded"
            print(f"{verdict}: {entry.student}: {entry.problem}", file=out)


def save_entries(entries: list[Entry], path: Path) -> None:
    """Keep what collection found (ids, flags, problems) for the grading and report steps."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(e) for e in entries], indent=1, ensure_ascii=True), encoding="utf-8")


def load_entries(path: Path) -> list[Entry]:
    """The entries :func:`save_entries` kept; none if there are none (a course filled by hand)."""
    try:
        return [Entry(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return []


def merge_into(outcomes: list, entries: list[Entry]) -> None:
    """Add collection's findings to the engine's outcomes: the folder name, what was left out,
    and, for an entry with nothing to grade, the reason it failed instead of "not submitted"."""
    by_student = {e.student: e for e in entries}
    for outcome in outcomes:
        entry = by_student.get(outcome.student)
        outcome.folder = entry.folder if entry else outcome.student
        if entry is None:
            continue
        outcome.flags = entry.flags + [f for f in outcome.flags if not (entry.problem and "was not submitted" in f)]
        if entry.problem:
            outcome.status, outcome.reason = "failed", entry.problem
            outcome.flags.insert(0, entry.problem)
