"""Submissions in from an LMS download: ``raikit-grade import A --from <zip or folder> --roster roster.csv``.

An LMS's "download all submissions" renames every file after the student who handed it in:

- **Canvas** (Download Submissions): ``<sortable name>[_late]_<user id>_<submission id>_<file>``,
  e.g. ``doejane_late_4012_77314_01_evaluation-1.ipynb``; ``-1``, ``-2`` mark resubmissions.
- **Moodle** (Download all submissions): ``<Full Name>_<participant id>_assignsubmission_file_<file>``,
  or a folder ``<Full Name>_<participant id>_assignsubmission_file_/`` holding the files.
- **Blackboard** (Assignment File Download): ``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>``.

:func:`import_submissions` reads such a zip (or its unzipped folder) without ever extracting it
by name: members are read as bytes, capped, and links, absolute paths and ``..`` are refused.
Each file is matched to a student through the class roster (graders/roster.py: ``lms_id``
first, then the name) and written to ``<course>/imports/<A>/inbox/<student_id>/``, the folder
``autograde --submissions`` then grades. What happened to every file is reported:

- **unmatched** files (no roster student; several students with that name) are left out and listed;
- **duplicates** (resubmissions) keep the newest version and list the older ones;
- **late** submissions, as the LMS marked them, are listed;
- a student's earlier import that differs is **never overwritten silently**: it is moved to
  ``imports/<A>/replaced/<time>/<student_id>/`` and named in the report.

The time each submission was received (the LMS's record: Blackboard's attempt time, else the
time stored with the file in the zip, read in ``--lms-timezone``) goes to
``imports/<A>/received.json``; collection records it as the submission's ``timestamp.txt``, so
nbgrader's due-date rules see when the LMS received the work, not when it was imported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from graders import roster as class_roster
from graders.engine.files import STAGING_CAPS, Caps, display, is_real_dir, read_tree, remove_tree, write_tree

CANVAS = re.compile(r"^(?P<name>[^\W_]+?)(?P<late>_late)?_(?P<lms_id>\d+)_(?P<submission>\d+)_(?P<file>.+)$",
                    re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<lms_id>\d+)_assignsubmission_[a-z]+_(?P<file>.*)$")
# "<assignment>_<username>_attempt_...": both may hold "_", so the username is found among the
# prefix's "_"-separated tails (the longest that is a roster lms_id; see _match)
BLACKBOARD = re.compile(r"^(?P<prefix>.+?)_attempt_(?P<time>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?:_(?P<file>.+))?$")
RESUBMISSION = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<suffix>\.[A-Za-z0-9]+)$")
LMSS = ("canvas", "moodle", "blackboard")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"  # what nbgrader writes in timestamp.txt


class LmsImportError(ValueError):
    """A download that cannot be imported at all (not a zip, no roster...), with what to do."""


@dataclass
class LmsFile:
    """One handed-in file as the LMS named it, and what the name says."""

    path: str  # inside the zip or folder
    data: bytes
    lms: str
    name: str  # the student's name as the LMS wrote it ("" for Blackboard)
    lms_id: str
    filename: str  # the student's own file name, resubmission suffix removed
    version: int = 0  # Canvas's -N resubmission number, Blackboard's attempt time as a number
    late: bool = False
    received: str = ""  # TIME_FORMAT, or "" when the LMS recorded none


@dataclass
class ImportResult:
    """What :func:`import_submissions` did with each file, for the instructor to check."""

    inbox: Path
    imported: dict[str, list[str]] = field(default_factory=dict)  # student id -> files
    unmatched: list[str] = field(default_factory=list)  # "file: why"
    older_versions: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    replaced: dict[str, Path] = field(default_factory=dict)  # student id -> where the earlier import went
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "member: why" (links, traversal, over the caps)

    def lines(self, assignment: str) -> list[str]:
        out = [f"imported {sum(map(len, self.imported.values()))} file(s) for {len(self.imported)} student(s) "
               f"into {self.inbox}"]
        if self.unchanged:
            out.append(f"  {len(self.unchanged)} unchanged since the last import")
        for title, items in (("late (as the LMS marked them)", self.late),
                             ("older versions left out (the newest is imported)", self.older_versions),
                             ("NOT imported: no roster match", self.unmatched), ("skipped members", self.skipped)):
            if items:
                out.append(f"  {title}: {len(items)}")
                out += [f"    {item}" for item in items[:50]] + ([f"    ... {len(items) - 50} more"] if len(items) > 50
                                                                  else [])
        for sid, where in sorted(self.replaced.items()):
            out.append(f"  {sid}: an earlier, different import was replaced; it was kept in {where}")
        out.append(f"next: make autograde A={assignment} SUBMISSIONS={self.inbox}")
        return out


def _members(source: Path, caps: Caps) -> tuple[list[tuple[str, bytes, tuple | None]], list[str]]:
    """``[(path, bytes, zip time)]`` of every regular file in a zip or folder, and what was skipped."""
    skipped: list[str] = []
    if is_real_dir(source):
        tree = read_tree(source, Caps(max_bytes=caps.max_bytes, max_files=caps.max_files * 50,
                                      max_depth=caps.max_depth))
        return [(k, v, None) for k, v in sorted(tree.files.items())], [display(r) for r in tree.left_out]
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise LmsImportError(f"{source} is neither a folder nor a readable zip file ({exc}); download the "
                           "submissions again from the LMS") from exc
    found, total = [], 0
    with archive:
        for info in archive.infolist():
            shown = display(info.filename)
            mode = info.external_attr >> 16
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if info.is_dir():
                continue
            if stat.S_ISLNK(mode):
                skipped.append(f"{shown}: a link, not followed")
            elif not parts or info.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                skipped.append(f"{shown}: a path outside the download, refused")
            elif info.file_size > caps.max_bytes or total + info.file_size > caps.max_bytes * 50:
                skipped.append(f"{shown}: {info.file_size} bytes, over the cap")
            else:
                with archive.open(info) as handle:
                    data = handle.read(caps.max_bytes + 1)  # the header's size can lie; never read past the cap
                if len(data) > caps.max_bytes:
                    skipped.append(f"{shown}: over the cap")
                    continue
                total += len(data)
                found.append(("/".join(parts), data, info.date_time))
    return found, skipped


def _zip_time(date_time: tuple | None, zone: ZoneInfo) -> str:
    if not date_time or date_time[0] < 1981:
        return ""
    try:
        return datetime(*date_time, tzinfo=zone).astimezone(UTC).strftime(TIME_FORMAT)
    except ValueError:
        return ""


def parse(path: str, data: bytes, date_time: tuple | None, zone: ZoneInfo) -> LmsFile | None:
    """What an LMS file name says (None if no LMS named it). Moodle's per-student folders are read
    from the folder's name; anything deeper inside keeps its relative path."""
    parts = path.split("/")
    received = _zip_time(date_time, zone)
    for index in range(len(parts)):
        head, rest = parts[index], "/".join(parts[index + 1:])
        moodle = MOODLE.match(head)
        if moodle and (rest or moodle["file"]):
            filename = rest or moodle["file"]
            return LmsFile(path, data, "moodle", moodle["name"], moodle["lms_id"], filename, received=received)
        if rest:
            continue
        blackboard = BLACKBOARD.match(head)
        if blackboard and blackboard["file"]:
            when = datetime.strptime(blackboard["time"], "%Y-%m-%d-%H-%M-%S").replace(tzinfo=zone)
            return LmsFile(path, data, "blackboard", "", blackboard["prefix"], blackboard["file"],
                           version=int(blackboard["time"].replace("-", "")),
                           received=when.astimezone(UTC).strftime(TIME_FORMAT))
        canvas = CANVAS.match(head)
        if canvas:
            filename, version = canvas["file"], 0
            resubmitted = RESUBMISSION.match(filename)
            if resubmitted:
                filename, version = resubmitted["stem"] + resubmitted["suffix"], int(resubmitted["n"])
            return LmsFile(path, data, "canvas", canvas["name"], canvas["lms_id"], filename, version=version,
                           late=bool(canvas["late"]), received=received)
    return None


def _match(file: LmsFile, students: dict[str, class_roster.Student]) -> tuple[str | None, str]:
    """``(student id, "")`` or ``(None, why not)``: by LMS id first, then by name."""
    wanted = [file.lms_id]
    if file.lms == "blackboard":  # "<assignment>_<username>": every tail after a "_", longest first
        parts = file.lms_id.split("_")
        wanted = ["_".join(parts[i:]) for i in range(1, len(parts))]
    by_id = []
    for candidate in wanted:
        by_id = [s for s in students.values() if s.lms_id and s.lms_id == candidate]
        if by_id:
            break
    if len(by_id) == 1:
        return by_id[0].student_id, ""
    named = class_roster.find_by_name(students, file.name) if file.name else []
    if len(named) == 1:
        return named[0].student_id, ""
    if len(named) > 1:
        return None, f"{len(named)} roster students are called {file.name!r}: add their lms_id {file.lms_id}"
    return None, f"no roster student has lms_id {file.lms_id}" + (f" or the name {file.name!r}" if file.name else "")


def import_submissions(assignment: str, source: Path, course: Path, roster_path: Path | None, *,
                       lms_timezone: str = "UTC", caps: Caps | None = None) -> ImportResult:
    """Import an LMS download of ``assignment`` into ``<course>/imports/<assignment>/inbox/`` (module docstring)."""
    if roster_path is None:
        raise LmsImportError("an LMS download names students by the LMS's ids and names: pass --roster roster.csv "
                           "(columns student_id, lms_id, name; graders/roster.py)")
    try:
        students = class_roster.read(roster_path)
        zone = ZoneInfo(lms_timezone)
    except class_roster.RosterError as exc:
        raise LmsImportError(str(exc)) from exc
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LmsImportError(f"unknown time zone {lms_timezone!r}: use a name such as Europe/Berlin or UTC") from exc
    if not os.path.exists(source):
        raise LmsImportError(f"{source} does not exist: pass the zip the LMS gave you, or its unzipped folder")
    caps = caps or STAGING_CAPS
    members, skipped = _members(source, caps)
    result = ImportResult(course / "imports" / assignment / "inbox", skipped=skipped)
    chosen: dict[tuple[str, str], LmsFile] = {}
    for path, data, date_time in members:
        if PurePosixPath(path).name in (".DS_Store",) or path.startswith("__MACOSX/"):
            continue
        file = parse(path, data, date_time, zone)
        if file is None:
            result.unmatched.append(f"{display(path)}: not named the way Canvas, Moodle or Blackboard name files")
            continue
        sid, why = _match(file, students)
        if sid is None:
            result.unmatched.append(f"{display(path)}: {why}")
            continue
        key = (sid, file.filename)
        if key in chosen:
            newer, older = sorted([chosen[key], file], key=lambda f: (f.version, f.received), reverse=True)
            chosen[key] = newer
            result.older_versions.append(f"{sid}: {display(older.path)} (kept {display(newer.path)})")
        else:
            chosen[key] = file
    per_student: dict[str, dict[str, bytes]] = {}
    received: dict[str, str] = {}
    for (sid, filename), file in sorted(chosen.items()):
        per_student.setdefault(sid, {})[filename] = file.data
        if file.received:
            received[sid] = max(received.get(sid, ""), file.received)
        if file.late and sid not in [entry.split(":")[0] for entry in result.late]:
            result.late.append(f"{sid}: {display(file.path)}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for sid, files in per_student.items():
        target = result.inbox / sid
        if is_real_dir(target):
            earlier = read_tree(target, STAGING_CAPS).files
            if earlier == files:
                result.unchanged.append(sid)
                result.imported[sid] = sorted(files)
                continue
            kept = course / "imports" / assignment / "replaced" / stamp / sid
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), str(kept))
            result.replaced[sid] = kept
        elif os.path.lexists(target):
            remove_tree(target)  # not a folder we wrote (a stray file or link): never followed
        write_tree(files, target)
        result.imported[sid] = sorted(files)
    receipts = course / "imports" / assignment / "received.json"
    earlier_receipts = load_receipts(receipts)
    earlier_receipts.update(received)
    receipts.parent.mkdir(parents=True, exist_ok=True)
    receipts.write_text(json.dumps(earlier_receipts, indent=1, sort_keys=True), encoding="utf-8")
    return result


def load_receipts(path: Path) -> dict[str, str]:
    """``{student id: time received}`` written by an import (empty if there is none)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def receipts_for(submissions: Path, course: Path, assignment: str) -> dict[str, str]:
    """The receipt times to use when collecting ``submissions``: an import's, when it is that inbox."""
    inbox = course / "imports" / assignment / "inbox"
    try:
        same = submissions.resolve() == inbox.resolve()
    except OSError:
        same = False
    return load_receipts(inbox.parent / "received.json") if same else {}
