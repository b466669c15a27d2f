"""The class roster: one CSV that says who each student is, in the kit and in the LMS.

Columns (a header row; only ``student_id`` is required, the others as you have them)::

    student_id   the nbgrader id (ASCII letters, digits, '_', '.', '-'; starts with a letter or digit)
    folder       the name of the student's folder in a submissions folder (graders/collect.py)
    lms_id       the student's id in the LMS: Canvas user ID, Moodle ID number or participant id,
                 Blackboard username (graders/lms_import.py matches downloaded files by it)
    name         full name as the LMS shows it (matches a download when lms_id is absent)
    email, sis_id, sis_login, section   carried into the grades export (graders/reports/export.py)

One roster serves collection (``--roster`` of autograde), LMS import and the grades export.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
COLUMNS = ("student_id", "folder", "lms_id", "name", "email", "sis_id", "sis_login", "section")


class RosterError(ValueError):
    """A roster that cannot be used, with the line and what to change."""


@dataclass
class Student:
    """Who a student is, in the gradebook and in the LMS."""

    student_id: str
    folder: str = ""
    lms_id: str = ""
    name: str = ""
    email: str = ""
    sis_id: str = ""
    sis_login: str = ""
    section: str = ""


def read(path: Path) -> dict[str, Student]:
    """``{student_id: Student}`` in file order; a :class:`RosterError` names the line that is wrong."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"cannot read the roster {path}: {exc}") from exc
    if not rows or "student_id" not in rows[0]:
        found = ", ".join(rows[0]) if rows else "nothing"
        raise RosterError(f"the roster {path} needs a header row with a student_id column and any of "
                          f"{', '.join(COLUMNS[1:])} (found {found})")
    students: dict[str, Student] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        values = {k: (row.get(k) or "").strip() for k in COLUMNS}
        sid = values["student_id"]
        if not SAFE_ID.match(sid):
            raise RosterError(f"roster {path} line {number}: student_id {sid!r} may use only ASCII letters, digits, "
                              "'_', '.' and '-', and must start with a letter or digit")
        if sid in students:
            raise RosterError(f"roster {path} line {number}: student_id {sid!r} appears twice")
        for key in ("folder", "lms_id"):
            if values[key]:
                if (key, values[key]) in seen:
                    raise RosterError(f"roster {path} line {number}: {key} {values[key]!r} appears twice "
                                      f"(also on line {seen[(key, values[key])]})")
                seen[(key, values[key])] = number
        students[sid] = Student(**values)
    return students


def name_keys(name: str) -> set[str]:
    """A person's name reduced for matching, in the orders LMSs write it: accents, case, spaces
    and punctuation removed. "Jane Doe", "Doe, Jane" and Canvas's file-name form "doejane" share a key."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    if not words:
        return set()
    return {"".join(words), "".join(words[-1:] + words[:-1]), "".join(words[1:] + words[:1]), "".join(sorted(words))}


def find_by_name(students: dict[str, Student], name: str) -> list[Student]:
    """The students whose roster name matches ``name`` (none, one, or several when names clash)."""
    wanted = name_keys(name)
    return [s for s in students.values() if s.name and name_keys(s.name) & wanted]
