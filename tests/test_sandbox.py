"""The sandbox itself: what a worker can see and do, and the refusal when bubblewrap is missing."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT

from graders.engine import protocol, sandbox


def _run(source: str, limits: sandbox.Limits | None = None, writable=None) -> dict:
    worker = sandbox.spawn("graders.engine.workers.student", limits or sandbox.Limits(), uid=64000, writable=writable)
    try:
        protocol.send(worker.outbound, {"op": "exec", "source": source})
        return protocol.receive(worker.inbound, timeout=60)
    finally:
        worker.kill()


def test_worker_sees_no_course_no_root_and_no_network(tmp_path):
    probe = """
import os, socket
print("course", os.path.exists({!r}), "root", os.listdir("/root"), "uid", os.getuid())
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    print("network yes")
except OSError as exc:
    print("network no")
""".format(str(ROOT / "assignments"))
    reply = _run(probe, writable=tmp_path)
    assert reply["ok"], reply
    assert "course False" in reply["output"] and "network no" in reply["output"]
    assert "uid 64000" in reply["output"] or "uid 0" not in reply["output"]  # 64000 when graded as root


def test_worker_can_write_only_its_own_folder(tmp_path):
    if os.geteuid() == 0:
        os.chown(tmp_path, 64000, 64000)  # as sandbox.stage_for_sandbox does for a student's private copy
    reply = _run(f"open('mine.txt', 'w').write('ok')\nopen({str(ROOT / 'README.md')!r}, 'a')", writable=tmp_path)
    assert not reply["ok"] and reply["error"]["type"] in ("PermissionError", "OSError", "FileNotFoundError")
    assert (tmp_path / "mine.txt").read_text() == "ok"


def test_memory_limit_turns_a_huge_allocation_into_memory_error(tmp_path):
    reply = _run("x = bytearray(8 * 1024**3)", sandbox.Limits(memory_mb=1024), writable=tmp_path)
    assert not reply["ok"] and reply["error"]["type"] == "MemoryError"


def test_missing_bubblewrap_is_refused_with_instructions(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap.*--unsafe-no-sandbox"):
        sandbox.require_bwrap()


def test_sandboxed_code_cannot_create_a_user_namespace_but_threads_and_processes_work(tmp_path):
    probe = """
import ctypes, os, subprocess, threading
libc = ctypes.CDLL(None, use_errno=True)
print("userns", "refused" if libc.unshare(0x10000000) != 0 else "allowed")
seen = []
thread = threading.Thread(target=lambda: seen.append(1)); thread.start(); thread.join()
print("thread", bool(seen), "subprocess", subprocess.run(["true"]).returncode)
"""
    reply = _run(probe, writable=tmp_path)
    assert "userns refused" in reply["output"], reply
    assert "thread True subprocess 0" in reply["output"], reply
