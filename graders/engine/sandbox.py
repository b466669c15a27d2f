"""Run a grading worker inside a bubblewrap sandbox with resource limits.

A sandboxed worker sees a read-only system (the Python installation, the virtual
environment and the kit's ``raikit``/``graders`` packages), an empty private ``/tmp``, and,
for a student worker, a private writable copy of that one student's files. It does not see
the course folder (gradebook, instructor sources, hidden tests, other students), /root or
the home folders, and it has no network (its own network namespace holds only loopback).

Limits (see :class:`Limits`): address space (memory), processes + threads for the
sandbox's own user id (fork bombs), file size (huge outputs), /tmp size, and, enforced by
the grader, wall time per cell and per notebook. When the grader runs as root, every
sandbox runs under its own unprivileged user id, so limits and file permissions apply.

Where bubblewrap is missing (macOS, Windows, minimal containers), :func:`require_bwrap`
refuses with instructions; ``unsafe=True`` runs the worker without isolation, only with the
resource limits, and the caller prints a loud warning.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from graders.engine import cgroups, seccomp
from graders.engine.files import STAGING_CAPS, clear_folder, read_tree, remove_tree, write_tree

KIT_ROOT = Path(__file__).resolve().parents[2]
UID_BASE = 200_000  # sandbox user ids: UID_BASE + 2*slot (student), + 1 (tests); no account needs to exist
MAX_SLOTS = 1024


class SandboxUnavailable(RuntimeError):
    """bubblewrap is not installed or cannot create a sandbox here."""


@dataclass(frozen=True)
class Limits:
    """Resource limits per submission. Defaults suit a course assignment that loads MiniLM."""

    cell_timeout: float = 120.0  # seconds for one cell or one call into a student function
    notebook_timeout: float = 600.0  # seconds for a whole submission (all cells and tests)
    memory_mb: int = 6144  # address space per process; torch + MiniLM reserve ~1.5 GB of it
    max_processes: int = 256  # processes and threads of the sandbox user (torch uses a few)
    max_output_kb: int = 256  # captured output per cell; larger output is cut
    max_file_mb: int = 64  # largest file a submission may write
    tmp_mb: int = 512  # size of the private /tmp
    work_mb: int = 512  # disk quota of the student's work folder (handed-in files + what the code writes), as root

    def as_dict(self) -> dict:
        return asdict(self)


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def require_bwrap() -> str:
    """Path of bwrap, or SandboxUnavailable saying how to get it (or how to opt out)."""
    path = bwrap_path()
    if path is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be isolated. "
            "On Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`. "
            "On macOS or Windows, grade inside a Linux VM or container. Only if every submission is "
            "trusted, pass --unsafe-no-sandbox to grade without isolation."
        )
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-net", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot create a sandbox here: {probe.stderr.strip()[:300]}. "
            "Unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1), "
            "or run the grader as root in a VM/container."
        )
    return path


def _python_roots() -> list[Path]:
    """Folders the worker's Python needs: the installation, the venv, and what .pth files add."""
    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent}
    return sorted(roots)


def _kit_packages() -> list[Path]:
    return [KIT_ROOT / "raikit", KIT_ROOT / "graders"]


def kit_binds() -> list[Path]:
    """Host folders every sandbox sees read-only: the Python installation, the venv, the kit."""
    return _python_roots() + _kit_packages()


def _count_processes(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(list((entry / "task").iterdir()))
            except OSError:
                continue
    return count


@dataclass(eq=False)
class Slot:
    """A grading slot: two unprivileged user ids that no other grading process uses meanwhile.

    RLIMIT_NPROC counts processes per user id across the whole machine, so two sandboxes that
    share a uid share one process budget (a fork bomb in one starves the other). Each worker of
    a parallel run, and each concurrent run on the machine, therefore grades in a slot of its
    own, held by an exclusive lock on a file until :meth:`release`. A slot also owns a staging
    folder for the student's private copy and, with ``warm``, a warm template
    (graders/engine/zygote.py) started at its first worker.
    """

    index: int
    lock_fd: int
    warm: bool = False
    zygote: Zygote | None = None
    zygote_log: Path | None = None
    workspace: Path | None = None  # staging folder: the student's private copy is made in workspace/work
    threads: int | None = None  # compute threads per worker (torch, BLAS); None: the libraries' default
    preload: tuple[str, ...] = ()  # modules the warm template imports (those the assignment imports)
    work_quota_mb: int | None = None  # workspace/work is a tmpfs of this size (the disk quota), or None
    cgroup: cgroups.Group | None = None  # the slot's memory control group (graders/engine/cgroups.py), or None
    cgroup_note: str = ""  # why there is none

    @property
    def student_uid(self) -> int:
        return UID_BASE + 2 * self.index

    @property
    def test_uid(self) -> int:
        return UID_BASE + 2 * self.index + 1

    def spawn(self, module: str, limits: Limits, *, uid: int, writable: Path | None = None,
              unsafe: bool = False, log: Path | None = None) -> Worker:
        """:func:`spawn` through this slot's warm template when there is one, else cold.

        A template that cannot start, or dies, turns warm starts off for this slot (noted in
        ``zygote_log``); grading goes on with cold starts and the same sandbox.
        """
        if not unsafe:
            self.start_template()
        if self.cgroup is not None and uid == self.student_uid:  # a submission's first worker
            # what the template holds, plus the submission's memory: its processes together stay under it
            self.cgroup.limit(self.cgroup.usage() + limits.memory_mb * 1024 * 1024)
        if self.zygote is not None and not unsafe:
            try:
                return spawn(module, limits, uid=uid, writable=writable, log=log, zygote=self.zygote,
                             threads=self.threads)
            except (OSError, SandboxUnavailable, ValueError) as exc:
                if self.zygote_log:
                    with open(self.zygote_log, "a", encoding="utf-8") as handle:
                        handle.write(f"warm template failed ({exc}); starting workers cold from now on\n")
                self.zygote.close()
                self.zygote, self.warm = None, False
        return spawn(module, limits, uid=uid, writable=writable, unsafe=unsafe, log=log, threads=self.threads,
                     group=None if unsafe else self.cgroup)

    def start_template(self) -> Zygote | None:
        """Start this slot's warm template now if it should have one (the grader starts every
        slot's template at once, before the first submission); returns it, or None (cold)."""
        if self.warm and self.zygote is None:
            self.zygote = start_zygote(self, self.zygote_log)
            self.warm = self.zygote is not None
        return self.zygote

    def release(self) -> None:
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None
        if self.work_quota_mb is not None and self.workspace is not None:
            _unmount(self.workspace / "work")
            self.work_quota_mb = None
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        try:
            os.close(self.lock_fd)  # closing the descriptor drops the lock
        except OSError:
            pass


def is_sandbox_uid(uid: int) -> bool:
    return UID_BASE <= uid < UID_BASE + 2 * MAX_SLOTS


def _slot_dir() -> Path:
    folder = Path(os.environ.get("RAIKIT_SLOT_DIR") or Path(tempfile.gettempdir()) / f"raikit-slots-{os.geteuid()}")
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if info.st_uid != os.geteuid() or not folder.is_dir() or folder.is_symlink():
        raise SandboxUnavailable(f"{folder} is not a folder owned by this user; remove it or set RAIKIT_SLOT_DIR")
    return folder


def claim_slot(*, warm: bool = False, zygote_log: Path | None = None, staging: Path | None = None,
               work_mb: int | None = None, memory_group: bool = False) -> Slot:
    """The first free slot on this machine (locks are released when the process dies).

    ``warm``: fork workers from a warm template where possible (:func:`warm_starts_possible`).
    ``staging``: a folder in which this slot makes its staging folder ``slot-<index>``
    (default: next to the lock files); put it on the course's file system so that the
    student's copy can be kept with the grading logs by a cheap rename.
    ``work_mb``: as root, make the student's work folder a tmpfs of this size for the slot's
    lifetime: a disk quota on everything a submission can write there. Mounted before the warm
    template starts, so that the template's view of the staging folder holds it.
    ``memory_group``: put every process of the slot in a memory control group of its own
    (graders/engine/cgroups.py), so that a submission's processes share one memory limit;
    where that is impossible, ``slot.cgroup_note`` says why.
    """
    folder = _slot_dir()
    for index in range(MAX_SLOTS):
        fd = os.open(folder / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        workspace = (staging or folder) / f"slot-{index}"
        workspace.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.geteuid() == 0:
            _unmount_stale_quotas(workspace.parent, folder)
        slot = Slot(index, fd, warm=warm and warm_starts_possible(), zygote_log=zygote_log, workspace=workspace)
        if work_mb and os.geteuid() == 0:
            slot.work_quota_mb = _mount_quota(workspace / "work", work_mb)
        if memory_group:
            slot.cgroup, slot.cgroup_note = cgroups.create(f"slot-{index}")
        return slot
    raise SandboxUnavailable(f"all {MAX_SLOTS} grading slots are busy: too many grading runs at once")


def stage_for_sandbox(folder: Path, slot: Slot, unsafe: bool = False) -> Path:
    """A fresh private copy of ``folder`` in the slot's staging folder, owned by the slot's
    student user: the only files a student (or memo) worker sees and may write."""
    workdir = slot.workspace / "work"
    if slot.work_quota_mb is not None and os.path.ismount(workdir):
        clear_folder(workdir)  # the slot's quota tmpfs stays mounted; only its contents go
    else:
        remove_tree(workdir)
    # Regular files only (links would be followed by this root process and leak what they point
    # to; a pipe would hang it), within the caps; notebooks are rebuilt from the source instead.
    files = read_tree(folder, STAGING_CAPS, skip=_not_for_the_sandbox).files
    write_tree(files, workdir)
    _give_to(workdir, slot.student_uid, unsafe)
    return workdir


_MS_NOSUID, _MS_NODEV, _MNT_DETACH = 2, 4, 2


def _mount_quota(folder: Path, size_mb: int) -> int | None:
    """Mount a tmpfs of ``size_mb`` on ``folder`` (replacing one a crashed run left); the size, or
    None where mounting is not allowed (then the work folder has no quota, as without root)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if os.path.ismount(folder):
        _unmount(folder)
    remove_tree(folder)
    folder.mkdir(mode=0o700, parents=True)
    options = f"size={size_mb * 1024 * 1024},mode=0700".encode()
    if libc.mount(b"tmpfs", str(folder).encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options) != 0:
        return None
    return size_mb


def _unmount_stale_quotas(staging: Path, locks: Path) -> None:
    """Unmount the quota tmpfs of every ``staging/slot-<k>/work`` whose slot no live run holds.

    A grading run that was killed (SIGKILL, a power cut of the shell) cannot unmount its slots'
    work folders: they would keep their files in memory and stop the folder from being removed.
    A slot's lock is held exactly while a run uses it, so a free lock means the mount is stale.
    """
    for work in staging.glob("slot-*/work"):
        index = work.parent.name.removeprefix("slot-")
        if not index.isdigit() or not os.path.ismount(work):
            continue
        try:
            fd = os.open(locks / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _unmount(work)  # while holding the slot's lock, so no run can claim it meanwhile
        except BlockingIOError:
            pass  # a live run's slot (ours included): not ours to touch
        finally:
            os.close(fd)  # closing drops the lock, if it was taken


def _unmount(folder: Path) -> None:
    import ctypes

    if os.path.ismount(folder):
        ctypes.CDLL(None, use_errno=True).umount2(str(folder).encode(), _MNT_DETACH)


def _not_for_the_sandbox(relative: str) -> bool:
    """Files not copied into the student's sandbox: notebooks (rebuilt from the source) and the
    submission's timestamp."""
    name = relative.rsplit("/", 1)[-1]
    return name.endswith(".ipynb") or name == "timestamp.txt"


def _give_to(path: Path, uid: int, unsafe: bool) -> None:
    if unsafe or os.geteuid() != 0:
        return
    for item in [path, *path.rglob("*")]:
        os.lchown(item, uid, uid)



class Worker:
    """A running worker process with its protocol pipes. Kill it with :meth:`kill`."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.inbound = process.stdout.fileno()  # what the worker says
        self.outbound = process.stdin.fileno()  # what we tell it

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        _kill_group(self.process)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def worker_env(limits: Limits, threads: int | None = None) -> dict[str, str]:
    """The whole environment of a sandboxed worker (nothing is inherited from the grader).

    ``threads`` caps the compute threads of torch and the BLAS libraries, so that parallel
    workers do not oversubscribe the cores (results do not depend on it)."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "TOKENIZERS_PARALLELISM": "false",
        "RAIKIT_MAX_OUTPUT_BYTES": str(limits.max_output_kb * 1024),
        "LANG": "C.UTF-8",
    }
    if threads:
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            env[name] = str(threads)
    return env


def _bwrap_command(limits: Limits, writable: Path | None, extra: list[str] = ()) -> list[str]:
    """bubblewrap arguments for a read-only system view, a private /tmp and no network."""
    command = [require_bwrap(), "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid",
               "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
               "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
               "--proc", "/proc", "--dev", "/dev",
               "--perms", "1777", "--size", str(limits.tmp_mb * 1024 * 1024), "--tmpfs", "/tmp"]
    for link in ("/bin", "/lib", "/lib64", "/sbin"):
        if Path(link).is_symlink():
            command += ["--symlink", os.readlink(link), link]
        elif Path(link).exists():
            command += ["--ro-bind", link, link]
    binds = kit_binds()
    # bwrap would create the folders above each bind point as root-only (0700), which an
    # unprivileged sandbox user cannot traverse: create them world-traversable first.
    parents = sorted({p for root in binds for p in root.parents if str(p) != "/"
                      and not any(p == b or b in p.parents for b in binds)
                      and p.parts[1] not in ("usr", "etc", "proc", "dev")}, key=lambda p: len(p.parts))
    for parent in parents:
        command += ["--perms", "0755", "--dir", str(parent)]
    for root in binds:
        command += ["--ro-bind", str(root), str(root)]
    command += ["--perms", "0755", "--dir", "/home", "--perms", "0755", "--dir", "/home/student"]
    if writable is not None:
        command += ["--bind", str(writable), "/home/student/work", "--chdir", "/home/student/work"]
    else:
        command += ["--chdir", "/tmp"]
    command += list(extra)
    if os.geteuid() != 0:
        command += ["--unshare-user"]
    return command


def spawn(module: str, limits: Limits, *, uid: int, writable: Path | None = None,
          unsafe: bool = False, log: Path | None = None, zygote: Zygote | None = None,
          threads: int | None = None, group: cgroups.Group | None = None) -> Worker:
    """Start ``python -m <module>`` in a sandbox (or, with ``unsafe``, only under limits).

    With ``zygote`` (a warm template of this slot, see graders/engine/zygote.py) the worker is forked
    from it instead of started cold; ``writable`` must then be the slot's ``workspace/work``.
    """
    if zygote is not None and not unsafe:
        return zygote.spawn(module, limits, uid=uid, work=writable is not None, log=log, threads=threads)
    env = worker_env(limits, threads)
    python = [sys.executable, "-P", "-m", module]  # -P: the student's folder does not shadow the kit
    pass_fds: tuple[int, ...] = ()
    as_root = os.geteuid() == 0
    if unsafe:
        command, cwd = python, str(writable or Path.cwd())
        env["HOME"] = env["TMPDIR"] = str(writable or "/tmp")
    else:
        command = _bwrap_command(limits, writable)
        if seccomp.supported():  # no user namespaces inside (graders/engine/seccomp.py)
            filter_fd = _seccomp_fd()
            pass_fds = (filter_fd,)
            command += ["--seccomp", str(filter_fd)]
        command += ["--"]
        if as_root:  # drop to an unprivileged user id of this sandbox's own
            command += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                        "--bounding-set=-all", "--no-new-privs"]
        command += python
        cwd = None  # bwrap sets it inside the sandbox
    own_processes = 0 if as_root else _count_processes(os.geteuid())

    def apply_limits() -> None:
        if group is not None:
            cgroups.join(group)
        memory = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        processes = limits.max_processes + own_processes
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        size = limits.max_file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    stderr = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                   env=env, cwd=cwd, preexec_fn=apply_limits, start_new_session=True,
                                   pass_fds=pass_fds)
    finally:
        for fd in pass_fds:
            os.close(fd)
    if log:
        stderr.close()
    return Worker(process)


def _seccomp_fd() -> int:
    """A pipe's read end holding the seccomp program, for ``bwrap --seccomp FD``."""
    read_end, write_end = os.pipe()
    os.write(write_end, seccomp.program())  # 120 bytes: always fits in the pipe
    os.close(write_end)
    return read_end


# ---------------------------------------------------------------- warm starts (graders/engine/zygote.py)


class ZygoteProcess:
    """The Popen-like face of a worker forked by a zygote: poll, wait, returncode, pid."""

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._ask("poll")
        return self.returncode

    def _ask(self, op: str) -> int | None:
        try:
            return self.zygote.request({"op": op, "pid": self.pid}).get("returncode")
        except (OSError, SandboxUnavailable, ValueError):
            return -signal.SIGKILL  # the template is gone, and its children died with it

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("zygote worker", timeout)
            time.sleep(0.05)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            self.returncode = self._ask("kill")


class ZygoteWorker(Worker):
    """A worker forked from a zygote; same interface as :class:`Worker`."""

    def __init__(self, process: ZygoteProcess, inbound: int, outbound: int):
        self.process, self.inbound, self.outbound = process, inbound, outbound

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        for fd in (self.inbound, self.outbound):
            try:
                os.close(fd)
            except OSError:
                pass
        self.inbound = self.outbound = -1


class Zygote:
    """A slot's warm template: a pre-imported Python in bubblewrap that forks sandboxed workers.

    Root only (children switch to the slot's user ids). :func:`start_zygote` returns None
    where warm starts are unavailable, and the grader starts workers cold instead.
    """

    def __init__(self, slot: Slot, log: Path | None = None):
        import threading

        self.slot, self.lock = slot, threading.Lock()
        slot.workspace.mkdir(mode=0o700, exist_ok=True)
        (slot.workspace / "work").mkdir(exist_ok=True)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        caps = []
        for cap in ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_NET_ADMIN", "CAP_KILL"):
            caps += ["--cap-add", cap]
        command = _bwrap_command(Limits(), None, [
            "--bind", str(slot.workspace), "/staging", "--perms", "0755", "--dir", "/home/student/work",
            "--perms", "0700", "--dir", "/.hold", *caps,
        ]) + ["--", sys.executable, "-P", "-m", "graders.engine.zygote", str(theirs.fileno()),
              json.dumps(list(slot.preload))]
        stderr = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
        group = slot.cgroup
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=stderr, env=worker_env(Limits()), pass_fds=(theirs.fileno(),),
                                        start_new_session=True,
                                        # the template and all it forks count against the slot's memory
                                        preexec_fn=(lambda: cgroups.join(group, protect=True)) if group else None)
        if log:
            stderr.close()
        theirs.close()
        self.control = ours
        self.control.settimeout(180)
        ready = json.loads(self.control.recv(1 << 20) or b"{}")
        if not ready.get("ready"):
            raise SandboxUnavailable("the warm template did not start")
        self.control.settimeout(60)

    def request(self, message: dict, fds: tuple[int, ...] = ()) -> dict:
        with self.lock:
            data = json.dumps(message).encode()
            if fds:
                socket.send_fds(self.control, [data], list(fds))
            else:
                self.control.send(data)
            reply = self.control.recv(1 << 20)
        if not reply:
            raise SandboxUnavailable("the warm template stopped")
        return json.loads(reply)

    def spawn(self, module: str, limits: Limits, *, uid: int, work: bool, log: Path | None,
              threads: int | None = None) -> ZygoteWorker:
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        log_fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if log else os.open(os.devnull,
                                                                                                   os.O_WRONLY)
        try:
            reply = self.request({"op": "spawn", "module": module, "uid": uid, "work": work,
                                  "env": worker_env(limits, threads), "limits": limits.as_dict(),
                                  "threads": threads},
                                 (to_worker_r, from_worker_w, log_fd))
        finally:
            for fd in (to_worker_r, from_worker_w, log_fd):
                os.close(fd)
        if "pid" not in reply:
            os.close(to_worker_w)
            os.close(from_worker_r)
            raise SandboxUnavailable(f"the warm template could not start a worker: {reply.get('error')}")
        os.set_inheritable(to_worker_w, False)
        os.set_inheritable(from_worker_r, False)
        return ZygoteWorker(ZygoteProcess(self, reply["pid"]), from_worker_r, to_worker_w)

    def close(self) -> None:
        try:
            self.control.close()
        finally:
            _kill_group(self.process)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill a sandbox (bwrap and everything in its session) and reap it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def warm_starts_possible() -> bool:
    """Warm starts need root (to switch user ids) and bubblewrap; RAIKIT_WARM=0 turns them off."""
    return os.geteuid() == 0 and bwrap_path() is not None and os.environ.get("RAIKIT_WARM", "1") != "0"


def start_zygote(slot: Slot, log: Path | None = None) -> Zygote | None:
    """A warm template for ``slot``, or None (with the reason in ``log``) to start workers cold."""
    if not warm_starts_possible():
        return None
    try:
        return Zygote(slot, log)
    except (OSError, SandboxUnavailable, ValueError) as exc:
        if log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"warm starts unavailable, starting workers cold: {exc}\n")
        return None
