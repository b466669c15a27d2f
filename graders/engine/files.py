"""Reading, copying and removing folders that students control, safely.

Everything in a submission is untrusted: names, types, sizes and depth. The grader runs as
root, so following a symbolic link could hand a student the instructor's source or a
classmate's work, opening a named pipe would hang the class run, and a deep tree would
overflow the recursion of ``shutil``. The functions here are the only way the grader reads
students' folders:

- only *regular* files are read, opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked with
  ``fstat`` after opening (a file swapped for a link or a pipe in between is refused);
  symbolic links, pipes, sockets and devices are never followed or opened, only reported;
- walks are iterative and bounded (depth, file count, bytes), with what was left out listed
  so that the caller can flag it;
- :func:`remove_tree` deletes any tree a student's code left behind, whatever its depth,
  names or permissions.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED_SILENTLY = frozenset({".ipynb_checkpoints", "__pycache__", ".DS_Store", "__MACOSX"})


class UnsafeFile(OSError):
    """A path that is not a regular file (a link, a pipe, a device...) or is too big to read."""


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words for an instructor."""
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a file")):
        if test(mode):
            return name
    return "a special file"


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``; else UnsafeFile.

    Never follows a symbolic link (in the last component) and never blocks on a pipe.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(f"{path.name} is a symbolic link (not followed)") from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path.name} is {kind_of(info.st_mode)}, not a regular file (not read)")
        if info.st_size > max_bytes:
            raise UnsafeFile(f"{path.name} is {info.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # the file grew while we read it
                raise UnsafeFile(f"{path.name} is over the {max_bytes / 1e6:.0f} MB limit")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def is_regular(path: Path) -> bool:
    """True for a regular file that is not a symbolic link (``lstat``, never follows)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def is_real_dir(path: Path) -> bool:
    """True for a folder that is not a symbolic link to one (``lstat``, never follows)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


@dataclass
class Caps:
    """Bounds on what is taken from one student's folder (configurable per run)."""

    max_bytes: int = 100 * 1024 * 1024  # all files together; a notebook alone may be up to 50 MB
    max_files: int = 500
    max_depth: int = 8  # folders below the submission folder

    def as_dict(self) -> dict:
        return {"max_bytes": self.max_bytes, "max_files": self.max_files, "max_depth": self.max_depth}


# What the grader copies from a course's submitted/ folder into a sandbox: generous, because
# collection (graders/collect.py) already applied the instructor's caps; this bounds only
# folders put into submitted/ by hand.
STAGING_CAPS = Caps(max_bytes=2 * 1024**3, max_files=20_000, max_depth=16)


@dataclass
class Walk:
    """The regular files of a folder within the caps, and what was left out (with why)."""

    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> contents
    left_out: list[str] = field(default_factory=list)


def display(name: str) -> str:
    """A file name as text that any output accepts (undecodable bytes and surrogates replaced)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if isinstance(name, str) else str(name)


def read_tree(folder: Path, caps: Caps, *, skip=lambda relative: False) -> Walk:
    """Read every regular file under ``folder`` (not following links), within ``caps``.

    ``skip(relative_path)`` leaves a path out silently. Hidden clutter (``.ipynb_checkpoints``,
    ``__pycache__``, macOS metadata) is skipped silently too. Iterative: depth cannot overflow.
    """
    walk = Walk()
    if not is_real_dir(folder):  # a link to a folder is not followed either
        walk.left_out.append(f"{display(folder.name)} is not a folder (a link is never followed)")
        return walk
    total = 0
    pending: list[tuple[Path, str, int]] = [(folder, "", 0)]
    while pending:
        here, prefix, depth = pending.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            walk.left_out.append(f"{display(prefix) or '.'}: cannot list ({exc.strerror})")
            continue
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            if entry.name in SKIPPED_SILENTLY or skip(relative):
                continue
            shown = display(relative)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                walk.left_out.append(f"{shown}: cannot read ({exc.strerror})")
                continue
            if stat.S_ISDIR(mode):
                if depth + 1 > caps.max_depth:
                    walk.left_out.append(f"{shown}/: deeper than {caps.max_depth} folders (left out)")
                else:
                    pending.append((Path(entry.path), relative + "/", depth + 1))
                continue
            if not stat.S_ISREG(mode):
                walk.left_out.append(f"{shown} is {kind_of(mode)} (not followed or read)")
                continue
            if len(walk.files) >= caps.max_files:
                walk.left_out.append(f"{shown}: over the limit of {caps.max_files} files (left out)")
                continue
            try:
                data = read_regular(Path(entry.path), caps.max_bytes - total)
            except UnsafeFile as exc:
                walk.left_out.append(f"{shown}: {exc} (left out)" if "limit" in str(exc) else str(exc))
                continue
            except OSError as exc:
                walk.left_out.append(f"{shown}: cannot read ({exc.strerror})")
                continue
            total += len(data)
            walk.files[relative] = data
    return walk


def write_tree(files: dict[str, bytes], target: Path) -> None:
    """Write ``files`` (relative path -> bytes, as :func:`read_tree` returns) under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for relative, data in files.items():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)


def clear_folder(path: Path) -> None:
    """Delete everything inside ``path`` (a mount point, say) but keep the folder itself."""
    with os.scandir(path) as entries:
        names = [entry.name for entry in entries]
    for name in names:
        remove_tree(Path(path) / name)


def remove_tree(path: Path) -> None:
    """Delete ``path`` and everything below it: any depth, names or permissions; links unfollowed.

    Walks down with file descriptors relative to the current folder and climbs back with
    ``..``, holding one descriptor at a time: a tree thousands of folders deep (longer than
    PATH_MAX, more folders than open files allowed) cannot overflow the stack, the path
    length or the descriptor table. Folders a student made unreadable are opened up first.
    """
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        os.unlink(path)
        return
    folder_flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)

    def open_folder(name, dir_fd=None) -> int:
        try:
            return os.open(name, folder_flags, dir_fd=dir_fd)
        except PermissionError:
            os.chmod(name, 0o700, dir_fd=dir_fd)  # a real folder (lstat said so): make it ours again
            return os.open(name, folder_flags, dir_fd=dir_fd)

    fd = open_folder(path)
    names: list[str] = []  # the folders entered below ``path``, in order
    try:
        while True:
            child = None
            with os.scandir(fd) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        child = entry.name
                        break
                    os.unlink(entry.name, dir_fd=fd)
            if child is not None:
                inner = open_folder(child, dir_fd=fd)
                os.close(fd)
                fd = inner
                names.append(child)
                continue
            if not names:
                break
            parent = os.open("..", folder_flags, dir_fd=fd)
            os.close(fd)
            fd = parent
            os.rmdir(names.pop(), dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(path)
