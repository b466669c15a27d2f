"""Warm starts: sandboxed workers forked from a clean, pre-imported template process.

A cold worker spends about 4 s of CPU importing torch and transformers and loading MiniLM
before it runs one line of an assignment, and each submission needs two workers (student and
tests). The template ("zygote") pays that once per grading slot: it starts inside bubblewrap,
imports the course's libraries, loads the default models (without running them, so no
OpenMP thread pool exists that a fork would break), and then only ever forks. It never runs
student or test code itself.

For each worker the grader asks the template for a child. The child builds a sandbox of its
own before any assignment code runs, the same one a cold worker gets from bubblewrap:

- new mount, network, IPC, UTS and PID namespaces (the worker is PID 2 of its own PID
  namespace under a minimal init, as under bubblewrap; killing it ends everything it started);
- a fresh size-limited ``/tmp`` and ``/dev/shm``, a fresh ``/proc``;
- for a student worker, that student's private copy bound at ``/home/student/work``; the
  slot's staging folder is then unmounted, and nothing else of the host is visible;
- resource limits, then the slot's unprivileged user id (which drops every capability),
  ``no_new_privs``, and a parent-death signal.

Each student therefore still gets a fresh process, and nothing one student's code does can
reach another's: the template's memory is copied on write, its files are read-only, and the
writable places are new per child. Runs only as root (it switches user ids); otherwise, or
when the template cannot start, the grader falls back to cold starts (graders.engine.sandbox.spawn).

Control protocol (grader <-> template) over a SOCK_SEQPACKET Unix socket whose file
descriptor number is the template's first argument (the second: a JSON list of modules to
preload), one JSON
message per packet, file descriptors attached with SCM_RIGHTS:

    {"op": "spawn", "module", "uid", "work": bool, "env", "limits"} + [stdin, stdout, log]
                                                        -> {"pid"} | {"error"}
    {"op": "poll", "pid"}                               -> {"returncode": int | None}
    {"op": "kill", "pid"}                               -> {"returncode": int}
    {"op": "memo", "path"}                              -> {"batches": int} | {"error"}
        (embeddings recorded from the instructor's solution, graders/engine/memo.py)
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import socket
import struct
import sys

from graders.engine import seccomp

STAGING = "/staging"  # the slot's staging folder inside the template's sandbox
WORK = "/home/student/work"
HOLD = "/.hold"  # where the template's /tmp is held while a child mounts its own

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    def encode(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    _check(_libc.mount(encode(source), encode(target), encode(kind), ctypes.c_ulong(flags), encode(data)),
           f"mount {target}")


def _loopback_up() -> None:
    """Bring up ``lo`` in the new network namespace (as bubblewrap does)."""
    import fcntl

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"\0" * 14)
        flags = struct.unpack("16sH", fcntl.ioctl(sock, 0x8913, request)[:18])[1]  # SIOCGIFFLAGS
        fcntl.ioctl(sock, 0x8914, struct.pack("16sH14s", b"lo", flags | 1, b"\0" * 14))  # SIOCSIFFLAGS, IFF_UP


def warm_up(preload: list[str] = ()) -> None:
    """Import what assignments import and load the default models, without running them.

    ``preload``: further modules the assignment's source imports (found by the grader from
    its import statements); a module that fails to import is skipped, the worker will
    report the error itself when the assignment imports it."""
    import IPython.core.interactiveshell  # noqa: F401
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import scipy.stats  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import sklearn.metrics  # noqa: F401

    import raikit  # noqa: F401
    from raikit import checks, evaluation, models, plotting, seeding  # noqa: F401

    models.load_tokenizer("embedder")
    models.load_model("embedder")  # loading does not start torch's OpenMP pool; inference would
    import importlib

    for name in preload:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any import error: leave it to the worker
            print(f"warm template: not preloading {name}: {type(exc).__name__}: {exc}", file=sys.stderr)


def _become_worker(request: dict, fds: list[int]) -> None:
    """In the forked child: build the sandbox, drop to the slot's user, run the worker module."""
    os.setsid()
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "pdeathsig")  # dies with the template
    try:  # over the slot's memory limit, the OOM killer takes a worker before the template
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("500")
    except OSError:
        pass
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    limits = request["limits"]
    # A fresh /tmp would hide the kit and its Python where they live under /tmp (a clone in
    # /tmp, a CI checkout): keep those read-only binds, re-bound onto the new /tmp.
    from graders.engine.sandbox import kit_binds

    under_tmp = [str(p) for p in kit_binds() if str(p).startswith("/tmp/")]
    if under_tmp:
        _mount("/tmp", HOLD, None, MS_BIND | MS_REC)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits['tmp_mb'] * 1024 * 1024},mode=1777")
    for path in under_tmp:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(HOLD + path[len("/tmp"):], path, None, MS_BIND | MS_REC)
    if under_tmp:
        _check(_libc.umount2(HOLD.encode(), MNT_DETACH), "umount hold")
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=16777216,mode=1777")
    if request["work"]:
        _mount(f"{STAGING}/work", WORK, None, MS_BIND)
    _check(_libc.umount2(STAGING.encode(), MNT_DETACH), "umount staging")
    _loopback_up()
    init = os.fork()  # PID 1 of the new PID namespace: when it ends, everything in it ends
    if init:
        _wait_and_exit(init, fds)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    worker = os.fork()  # PID 2, as under bubblewrap: PID 1 ignores signals it has no handler for
    if worker:
        _wait_and_exit(worker, fds)
    stdin, stdout, log = fds
    os.dup2(stdin, 0)
    os.dup2(stdout, 1)
    os.dup2(log, 2)
    os.closerange(3, 65536)
    memory = limits["memory_mb"] * 1024 * 1024
    processes = limits["max_processes"]
    size = limits["max_file_mb"] * 1024 * 1024
    for name, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_NPROC, processes),
                        (resource.RLIMIT_FSIZE, size), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(name, (value, value))
    uid = int(request["uid"])
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to an ordinary user: every capability is dropped
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "pdeathsig")
    if seccomp.supported():
        seccomp.install()  # no user namespaces from here on (graders/engine/seccomp.py)
    os.chdir(WORK if request["work"] else "/tmp")
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if request.get("threads") and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(int(request["threads"]))  # its OpenMP pool does not exist yet
    _reseed()
    import runpy

    sys.argv = [request["module"]]
    runpy.run_module(request["module"], run_name="__main__", alter_sys=True)


def _wait_and_exit(child: int, fds: list[int]) -> None:
    """Wait for ``child`` and exit with its status (a signal N as 128 + N, like bubblewrap)."""
    for fd in fds:
        os.close(fd)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def _reseed() -> None:
    """Fresh random state, as a new process would have (the template's was copied)."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "torch" in sys.modules:
        sys.modules["torch"].seed()


def serve(control_fd: int, preload: list[str]) -> None:
    control = socket.socket(fileno=control_fd)
    warm_up(preload)
    children: dict[int, int | None] = {}

    def reap() -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children[pid] = os.waitstatus_to_exitcode(status)

    control.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 20, 8)
        except OSError:
            return
        if not data:
            return  # the grader went away
        request = json.loads(data)
        reap()
        op = request.get("op")
        if op == "spawn":
            try:
                pid = os.fork()
            except OSError as exc:
                for fd in fds:
                    os.close(fd)
                control.send(json.dumps({"error": f"fork failed: {exc}"}).encode())
                continue
            if pid == 0:
                try:
                    control.close()
                    _become_worker(request, fds)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
                except BaseException as exc:  # noqa: BLE001 - report, never return into the template
                    try:
                        os.write(2, f"zygote child failed: {type(exc).__name__}: {exc}\n".encode())
                    except OSError:
                        pass
                    code = 70
                os._exit(code)
            for fd in fds:
                os.close(fd)
            children[pid] = None
            reply = {"pid": pid}
        elif op == "poll":
            reply = {"returncode": children.get(int(request["pid"]))}
        elif op == "kill":
            pid = int(request["pid"])
            if children.get(pid, 0) is None:
                try:
                    os.killpg(pid, signal.SIGKILL)  # the child and its worker share its process group
                except ProcessLookupError:
                    pass
                _, status = os.waitpid(pid, 0)
                children[pid] = os.waitstatus_to_exitcode(status)
            reply = {"returncode": children.get(pid)}
        elif op == "memo":
            reply = _remember(str(request.get("path")))
        else:
            reply = {"error": f"unknown op {op!r}"}
        control.send(json.dumps(reply).encode())


def _remember(path: str) -> dict:
    """Load the embedding memo (graders/engine/memo.py) that the children inherit; plain arrays only."""
    try:
        import numpy as np

        from raikit import models

        with np.load(path, allow_pickle=False) as data:
            return {"batches": models.remember_batches({name: data[name] for name in data.files})}
    except Exception as exc:  # noqa: BLE001 - report it; the grader then goes on without the memo
        return {"error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    serve(int(sys.argv[1]), json.loads(sys.argv[2]) if len(sys.argv) > 2 else [])
