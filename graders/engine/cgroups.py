"""A memory limit for a whole sandbox, not just for each of its processes.

``RLIMIT_AS`` bounds one process's address space, so a submission that forks ten children
could use ten times the limit. A control group bounds them together: every process of a
grading slot (the warm template, the workers it forks, everything they start) is placed in
the slot's group at birth, and the group's limit is set, when a submission's first worker
starts, to what the template already holds plus ``Limits.memory_mb``. The template shields
itself from the OOM killer where the host allows (``oom_score_adj`` -1000) and the workers it
forks raise theirs (+500), so a submission over its limit loses its own processes first; were
the template killed anyway, the slot goes on with cold starts.

Used where the host lets root create groups with a memory controller: cgroup v2 (the unified
hierarchy, ``memory.max``) or v1 (``memory.limit_in_bytes``). Anywhere else :func:`create`
says why, the grading run prints it once, and memory stays limited per process as before.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


@dataclass
class Group:
    """One slot's control group."""

    path: Path
    version: int  # 1 or 2

    @property
    def procs(self) -> Path:
        return self.path / "cgroup.procs"

    def usage(self) -> int:
        name = "memory.current" if self.version == 2 else "memory.usage_in_bytes"
        try:
            return int((self.path / name).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0

    def limit(self, size: int | None) -> None:
        """Cap the group's memory at ``size`` bytes, swap included (``None``: no cap)."""
        if self.version == 2:
            _write(self.path / "memory.max", "max" if size is None else str(size))
            _write(self.path / "memory.swap.max", "0", missing_ok=True)
            return
        value = "-1" if size is None else str(size)
        memory, with_swap = self.path / "memory.limit_in_bytes", self.path / "memory.memsw.limit_in_bytes"
        if not with_swap.exists():
            _write(memory, value)
            return
        try:  # v1 insists on memory <= memory+swap after every write: lowering goes memory first...
            _write(memory, value)
            _write(with_swap, value)
        except OSError:  # ... and raising goes memory+swap first
            _write(with_swap, value)
            _write(memory, value)

    def pids(self) -> list[int]:
        try:
            return [int(line) for line in self.procs.read_text().split()]
        except (OSError, ValueError):
            return []

    def remove(self) -> None:
        """Kill whatever is left in the group and delete it."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
        try:
            self.path.rmdir()
        except OSError:
            pass


def _write(path: Path, value: str, *, missing_ok: bool = False) -> None:
    try:
        path.write_text(value)
    except FileNotFoundError:
        if not missing_ok:
            raise


def create(name: str) -> tuple[Group | None, str]:
    """The group ``raikit-<uid>/<name>`` with a memory controller, or ``(None, why not)``."""
    if os.geteuid() != 0:
        return None, "the grader is not root, so it cannot create control groups"
    base = f"raikit-{os.getuid()}"
    try:
        controllers = (ROOT / "cgroup.controllers").read_text().split()
    except OSError:
        controllers = []
    try:
        if "memory" in controllers:  # cgroup v2
            top = ROOT / base
            top.mkdir(exist_ok=True)
            for parent in (ROOT, top):
                enabled = (parent / "cgroup.subtree_control").read_text().split()
                if "memory" not in enabled:
                    _write(parent / "cgroup.subtree_control", "+memory")
            group = Group(top / name, 2)
        elif (ROOT / "memory" / "memory.limit_in_bytes").exists():  # cgroup v1
            top = ROOT / "memory" / base
            top.mkdir(exist_ok=True)
            group = Group(top / name, 1)
        else:
            return None, "this host has no memory controller in /sys/fs/cgroup"
        group.path.mkdir(exist_ok=True)
        group.limit(None)  # no cap until a submission's first worker starts
        return group, ""
    except OSError as exc:
        return None, f"control groups cannot be created here ({exc.strerror or exc})"


def join(group: Group, *, protect: bool = False) -> None:
    """Put the calling process into ``group`` (for ``preexec_fn``); ``protect``: never OOM-kill it."""
    group.procs.write_text(str(os.getpid()))
    if protect:
        try:
            Path("/proc/self/oom_score_adj").write_text("-1000")
        except OSError:  # lowering it needs CAP_SYS_RESOURCE, which containers often lack
            pass
