"""Submissions in through nbgrader's own exchange, as on a JupyterHub (docs/JUPYTERHUB.md).

On a shared server nbgrader moves files through an *exchange* folder that every user can
reach: the instructor's ``nbgrader release_assignment`` puts the student version in
``<exchange>/<course_id>/outbound/<A>/``; each student, under their own Unix user, runs
``nbgrader fetch_assignment`` and ``nbgrader submit`` (JupyterLab's *Assignments* tab runs the
same apps), which writes ``<exchange>/<course_id>/inbound/<user>+<A>+<time>/``; the instructor's
``nbgrader collect`` copies the newest one per student into ``submitted/``, where the kit's
sandboxed autograde (``graders.course.autograde`` without ``--submissions``) grades it.

The functions here run the real nbgrader apps through ``graders.course.run_nbgrader``:

- :func:`setup_exchange`: the exchange folder with the permissions nbgrader requires, and the
  configuration every user needs;
- :func:`release_to_exchange`: ``generate_assignment`` (if there is no release yet), then
  ``release_assignment``;
- :func:`collect_from_exchange`: the inbound submissions, checked and copied safely, then
  ``nbgrader collect`` into ``submitted/``;
- :func:`release_feedback_to_exchange`: ``nbgrader release_feedback`` after ``raikit-grade feedback``.

**Why collection does not run ``nbgrader collect`` on the exchange itself.** Everything in
``inbound/`` is written by students' own processes, and stock nbgrader trusts it:

- ``nbgrader collect`` copies with ``shutil.copytree``, which *follows* symbolic links, as the
  instructor. A student who replaces their submitted notebook by a link to the course's source
  notebook (solutions and hidden tests) or to ``gradebook.db`` has that file copied into
  ``submitted/`` as their work; a link to ``/dev/zero`` fills the disk.
- The folder name says who submitted and when; ``inbound/`` is writable by everyone, so a
  student can submit under a classmate's name (nbgrader only logs "cheating attempt?"), and
  ``timestamp.txt`` in it says whatever the student's process wrote.
- ``nbgrader submit`` leaves each submission folder writable by everyone (mode 0777, hidden
  only by its unguessable name), so a classmate who learns the name can add files to it.

So :func:`collect_from_exchange` first reads each inbound submission the way the kit reads
every student folder (graders/engine/files.py: regular files only, links and pipes never
followed or opened, bounded size, count and depth), accepts it only when the folder is owned by
the Unix user it is named after, leaves out files owned by anybody else, and records as its
time the *kernel's* record of when the submission last changed (the newest ``ctime`` in it,
which no user can set back), never the student's ``timestamp.txt``. Those checked copies are
staged in ``<course>/grading/<A>/exchange/`` as a private exchange, and the real
``nbgrader collect`` copies from there into ``submitted/`` with its own rules (newest
submission per student, ``--update``). The engine then reads ``submitted/`` through
graders/engine/files.py again (graders/engine/jobs.py), so nothing in the route ever follows a
link a student made.
"""

from __future__ import annotations

import os
import pwd
import re
import stat
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graders import collect as collecting
from graders import course as ops
from graders.engine.files import Caps, display, is_real_dir, read_regular, read_tree, remove_tree, write_tree
from graders.lms_import import TIME_FORMAT

# nbgrader's release_assignment resets the exchange root to exactly rwx for everyone (it compares
# ``mode & 0o777`` with 0o777); the sticky bit (0o1000) is outside that comparison and kept.
EXCHANGE_MODE = 0o1777
DEFAULT_ROOT = Path("/usr/local/share/nbgrader/exchange")  # nbgrader's own default Exchange.root
# <user>+<assignment>+<timestamp>[+<random>]: the names nbgrader submit gives inbound folders
INBOUND_NAME = re.compile(r"^(?P<student>[^+]+)\+(?P<assignment>[^+]+)\+(?P<timestamp>[^+]+)(?:\+[^+]*)?$")
STUDENT_WRITTEN = ("timestamp.txt",)  # the student's own record of the time: replaced by the exchange's
SECRET = "submission_secret.txt"  # nbgrader submit's key for finding the student's feedback later


@dataclass(frozen=True)
class ExchangeConfig:
    """Where the exchange is and which course it serves: what every nbgrader user must agree on."""

    root: Path
    course_id: str

    def flags(self) -> list[str]:
        """The same settings as nbgrader command-line options (what the kit passes to its own runs)."""
        return [f"--Exchange.root={self.root}", f"--CourseDirectory.course_id={self.course_id}"]

    def text(self) -> str:
        """An ``nbgrader_config.py`` with these settings (for ``/etc/jupyter/nbgrader_config.py``)."""
        return ("# nbgrader settings shared by every user of this server (students and instructors):\n"
                "# where the exchange is, and which course the Assignments tab shows.\n"
                "# Written by graders/exchange.py setup_exchange(); see docs/JUPYTERHUB.md.\n"
                "c = get_config()  # noqa: F821\n"
                f"c.Exchange.root = {str(self.root)!r}\n"
                f"c.CourseDirectory.course_id = {self.course_id!r}\n")


def setup_exchange(root: Path, course_id: str, *, config_dir: Path | None = None) -> ExchangeConfig:
    """Create (or repair) the exchange folder ``root`` and say how to configure nbgrader for it.

    **The folder.** nbgrader's docs ("Setting up the exchange", managing_assignment_files) say
    the exchange must exist before nbgrader runs and be readable and writable by all users
    (``chmod ugo+rw``); ``nbgrader release_assignment`` then insists on mode 0777 for it
    (``ExchangeReleaseAssignment.ensure_root`` changes anything else, or fails when it may not).
    The kit creates it owned by the user running this (root, when an administrator runs it
    with sudo, as it should be) with mode 0777 plus the sticky bit (``drwxrwxrwt``, like
    ``/tmp``): nbgrader's check ignores that bit, and it stops a student from renaming or
    deleting the course folder the instructor's release creates in it (nbgrader issue #1225).
    nbgrader itself makes ``<course_id>/``, ``outbound/`` (0755) and ``inbound/`` (2733: students
    may write, not list) on the first release. Pick a folder on a disk all users' servers
    share, e.g. ``/srv/nbgrader/exchange``; nbgrader's default is ``/usr/local/share/nbgrader/exchange``.

    **The configuration.** Students and instructors must name the same ``Exchange.root`` and
    ``CourseDirectory.course_id``. On a JupyterHub, put :meth:`ExchangeConfig.text` in the
    global ``/etc/jupyter/nbgrader_config.py`` (every user's nbgrader reads it; pass
    ``config_dir=Path("/etc/jupyter")`` to write it there). The instructor runs nbgrader from
    the course's folder, whose own ``nbgrader_config.py`` is read last and wins: its
    ``CourseDirectory.course_id`` must be the same id (the kit's is ``responsible-ai-kit``), and
    if the instructor's server does not read the global file, add the ``c.Exchange.root = ...``
    line there too. With both set, the formgrader no longer warns "The exchange directory ...
    does not exist" (``NbGraderAPI.exchange_missing`` is false once nbgrader's list of the
    exchange succeeds).

    ``config_dir``: write the configuration as ``config_dir/nbgrader_config.py`` (refusing to
    replace a different file there). Returns the settings; raises ``CourseError`` on a problem.
    """
    root = Path(os.path.abspath(root))
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", course_id):
        raise ops.CourseError(f"Course id {course_id!r} is not usable in exchange paths: "
                              "use letters, digits, '_', '.' and '-'.")
    if os.path.lexists(root) and not is_real_dir(root):
        raise ops.CourseError(f"{root} exists and is not a folder (or is a link): choose another exchange root.")
    if not root.exists():
        root.mkdir(parents=True)
    try:
        if stat.S_IMODE(os.lstat(root).st_mode) != EXCHANGE_MODE:
            os.chmod(root, EXCHANGE_MODE)  # mkdir applies the umask; chmod does not
    except PermissionError as exc:
        raise ops.CourseError(f"Cannot set the permissions of {root} (owned by someone else). As its owner or "
                              f"root run: chmod 1777 {root}") from exc
    config = ExchangeConfig(root, course_id)
    if config_dir is not None:
        target = Path(config_dir) / "nbgrader_config.py"
        if target.exists() and target.read_text(encoding="utf-8") != config.text():
            raise ops.CourseError(f"{target} exists with other settings; add these lines to it instead:\n"
                                  + config.text())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(config.text(), encoding="utf-8")
    return config


def release_to_exchange(assignment: str, course: Path, exchange_root: Path, course_id: str, *,
                        force: bool = False, quiet: bool = False) -> Path:
    """Put the student version of ``assignment`` in the exchange; returns its outbound folder.

    Generates the release first if ``release/<assignment>/`` does not exist (``make release``
    regenerates it after the source changes). ``force``: replace an earlier release in the
    exchange (students who fetched it keep their copy).
    """
    config = ExchangeConfig(Path(os.path.abspath(exchange_root)), course_id)
    ops.check_assignment(assignment, course)
    if not (course / "release" / assignment).is_dir():
        ops.release([assignment], course, quiet=quiet)
    ops.run_nbgrader(["release_assignment", assignment, *(["--force"] if force else []), *config.flags()],
                     course, quiet=quiet)
    return config.root / course_id / "outbound" / assignment


@dataclass
class _Inbound:
    name: str  # the inbound folder's name, as nbgrader submit made it
    student: str
    received: datetime  # newest ctime in the folder: when the exchange last saw it change
    files: dict[str, bytes]
    entry: collecting.Entry


def collect_from_exchange(assignment: str, course: Path, exchange_root: Path, course_id: str, *,
                          update: bool = True, check_owner: bool = True, caps: Caps | None = None,
                          quiet: bool = False) -> list[str]:
    """Collect the submissions of ``assignment`` from the exchange into ``course/submitted/``.

    Returns the ids of the students whose submission is now in ``submitted/`` (one per student:
    nbgrader keeps the newest). Grade them with ``graders.course.autograde(assignment, course)``
    (no ``submissions``: it grades what is in ``submitted/``). Each inbound submission is checked
    and copied as the module docstring explains; what was refused or left out is printed.

    ``update``: replace a submission collected earlier by a newer one (nbgrader's ``--update``).
    ``check_owner``: accept a folder only if it is owned by the user it is named after. Turn it
    off only where every student's server runs as the same Unix user (e.g. ``jovyan`` in
    containers): there the exchange cannot tell students apart at all.
    ``caps``: what is taken from one submission (default: the kit's collection caps).
    """
    ops.check_assignment(assignment, course)
    caps = caps or Caps()
    inbound = Path(os.path.abspath(exchange_root)) / course_id / "inbound"
    if not is_real_dir(inbound):
        raise ops.CourseError(f"No inbound folder at {inbound}: release {assignment} to the exchange first "
                              "(and check Exchange.root and the course id).")
    expected = {p.name for p in (course / "release" / assignment).glob("*.ipynb")}
    accepted: list[_Inbound] = []
    refused: list[str] = []
    try:
        names = sorted(os.listdir(inbound))
    except PermissionError as exc:
        raise ops.CourseError(f"Cannot list {inbound}: collect as the user who released the assignment.") from exc
    for name in names:
        match = INBOUND_NAME.match(name)
        if not match or match["assignment"] != assignment:
            continue
        reason, found = _read_inbound(inbound / name, match["student"], caps, check_owner)
        if reason:
            refused.append(f"{display(name)}: {reason}")
        else:
            found.entry.notebooks = sorted(k for k in found.files if "/" not in k and k.endswith(".ipynb"))
            if not found.entry.notebooks:
                found.entry.problem = f"no .ipynb file in the exchange submission {display(name)}"
            found.entry.flags += [f"{n} is not one of the assignment's notebooks ({', '.join(sorted(expected))}); "
                                  "renamed?" for n in found.entry.notebooks if expected and n not in expected]
            accepted.append(found)
    staging = course / "grading" / assignment / "exchange"
    remove_tree(staging)
    staged_inbound = staging / course_id / "inbound"
    staged_inbound.mkdir(parents=True)
    for item in accepted:
        files = {k: v for k, v in item.files.items() if k not in STUDENT_WRITTEN}
        stamp = item.received.strftime(TIME_FORMAT)
        files["timestamp.txt"] = stamp.encode("utf-8")
        write_tree(files, staged_inbound / f"{item.student}+{assignment}+{stamp}")
    if not quiet:
        for line in refused:
            print(f"refused: {line}", file=sys.stderr)
    if not accepted:
        if not quiet:
            print(f"No submissions of {assignment} in {inbound}.", file=sys.stderr)
        return []
    ops.run_nbgrader(["collect", assignment, *(["--update"] if update else []), "--ExchangeCollect.check_owner=False",
                      *ExchangeConfig(staging, course_id).flags()], course, quiet=quiet)
    newest = {}
    for item in sorted(accepted, key=lambda i: i.received):
        newest[item.student] = item  # what nbgrader collect chose: the newest per student
    _remember(course, assignment, [item.entry for item in newest.values()], quiet)
    return sorted(student for student in newest
                  if is_real_dir(course / "submitted" / student / assignment))


def _read_inbound(folder: Path, student: str, caps: Caps, check_owner: bool) -> tuple[str, _Inbound | None]:
    """``("", submission)`` for an acceptable inbound folder, else ``(why it is refused, None)``."""
    try:
        info = os.lstat(folder)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})", None
    if not stat.S_ISDIR(info.st_mode):
        return "not a folder (a link or a file); nothing in it was read", None
    if not collecting.SAFE_ID.match(student):
        return f"{display(student)!r} is not a usable student id", None
    if check_owner:
        try:
            owner = pwd.getpwuid(info.st_uid).pw_name
        except KeyError:
            owner = f"uid {info.st_uid}"
        if owner != student:
            return f"named after {student} but owned by {owner}: not accepted as {student}'s work", None
    walk = read_tree(folder, caps)
    latest, foreign = _ctime_and_strangers(folder, info.st_uid if check_owner else None, caps)
    entry = collecting.Entry(folder.name, student, flags=[f"left out: {reason}" for reason in walk.left_out])
    files = walk.files
    if foreign:
        files = {k: v for k, v in files.items() if not any(k == f or k.startswith(f + "/") for f in foreign)}
        entry.flags.append(f"left out: {', '.join(display(f) for f in foreign[:5])} (put in the submission by "
                           f"another user{'; and more' if len(foreign) > 5 else ''})")
    if SECRET in files:
        files[SECRET] = files[SECRET][:1024]
    received = datetime.fromtimestamp(latest, UTC)
    return "", _Inbound(folder.name, student, received, files, entry)


def _ctime_and_strangers(folder: Path, owner: int | None, caps: Caps) -> tuple[float, list[str]]:
    """The newest status-change time (``ctime``) under ``folder``, links included but never
    followed, and the paths owned by a user other than ``owner``. Run after reading the files,
    so a change made while they were read makes the time later, never earlier."""
    latest = os.lstat(folder).st_ctime
    foreign: list[str] = []
    pending: list[tuple[Path, str, int]] = [(folder, "", 0)]
    seen = 0
    while pending:
        here, prefix, depth = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > 4 * caps.max_files:
                return latest, foreign
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            latest = max(latest, info.st_ctime)
            relative = prefix + entry.name
            if owner is not None and info.st_uid != owner:
                foreign.append(relative)
            elif stat.S_ISDIR(info.st_mode) and depth < caps.max_depth:
                pending.append((Path(entry.path), relative + "/", depth + 1))
    return latest, sorted(foreign)


def _remember(course: Path, assignment: str, entries: list[collecting.Entry], quiet: bool) -> None:
    """Keep what collection found for the report (autograde merges it into the outcomes),
    replacing earlier findings for these students only."""
    path = course / "grading" / assignment / ops.COLLECTED
    kept = [e for e in collecting.load_entries(path) if e.student not in {n.student for n in entries}]
    collecting.save_entries(kept + entries, path)
    if not quiet:
        collecting.print_summary(entries, keep_invalid=True)


def release_feedback_to_exchange(assignment: str, course: Path, exchange_root: Path, course_id: str, *,
                                 quiet: bool = False) -> Path:
    """``nbgrader release_feedback``: students then get it with *Fetch Feedback* (``nbgrader fetch_feedback``).

    Run ``raikit-grade feedback`` first. nbgrader finds a student's feedback through the
    ``submission_secret.txt`` their submit wrote; the kit's graded notebooks do not carry it, so
    it is copied from ``submitted/`` beside each feedback file first (a short text used only to
    name the feedback file in the exchange). Returns the exchange's feedback folder.
    """
    ops.check_assignment(assignment, course)
    without = []
    for folder in sorted((course / "feedback").glob(f"*/{assignment}")):
        student = folder.parent.name
        try:
            data = read_regular(course / "submitted" / student / assignment / SECRET, 1024)
        except OSError:
            without.append(student)  # not submitted through the exchange: nothing to find it by
            continue
        (folder / SECRET).write_bytes(data)
    if without and not quiet:
        print(f"No feedback released for {', '.join(without)}: not submitted through the exchange "
              "(send them their feedback/ files another way).", file=sys.stderr)
    config = ExchangeConfig(Path(os.path.abspath(exchange_root)), course_id)
    exclude = [f"--CourseDirectory.student_id_exclude={','.join(without)}"] if without else []
    ops.run_nbgrader(["release_feedback", assignment, *exclude, *config.flags()], course, quiet=quiet)
    return config.root / course_id / "feedback"
