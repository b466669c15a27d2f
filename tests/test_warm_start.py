"""Warm starts (graders/engine/zygote.py): forked workers are as isolated as cold ones, and fresh.

Two students graded one after the other in the same slot, forked from the same template:
nothing the first leaves behind (files in /tmp, /dev/shm or the work folder, a background
process, a changed module) reaches the second. Runs only where warm starts are possible
(root and bubblewrap), as in CI.
"""

from __future__ import annotations

import pytest

from graders.engine import protocol, sandbox

pytestmark = pytest.mark.skipif(not sandbox.warm_starts_possible(), reason="warm starts need root and bubblewrap")

FIRST = """
import os, subprocess, sys, raikit.checks
for path in ('/tmp/left.txt', '/dev/shm/left.txt', 'left.txt'):
    open(path, 'w').write('secret of the first student')
raikit.checks.check_number = lambda *a, **k: None   # monkeypatch a module the template imported
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)
print('first done')
"""

SECOND = """
import os, raikit.checks
status = open('/proc/self/status').read()
print('uid', os.getuid(), 'pid', os.getpid(), 'caps', status.split('CapEff:')[1].split()[0])
print('left', [p for p in ('/tmp/left.txt', '/dev/shm/left.txt', 'left.txt') if os.path.exists(p)])
print('patched', raikit.checks.check_number.__name__)
print('processes', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
import ctypes
print('userns', 'refused' if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) != 0 else 'allowed')
"""


def _run(slot, workdir, source: str) -> str:
    worker = slot.spawn("graders.engine.workers.student", sandbox.Limits(), uid=slot.student_uid, writable=workdir)
    try:
        protocol.send(worker.outbound, {"op": "exec", "source": source}, timeout=60)
        reply = protocol.receive(worker.inbound, timeout=120)
    finally:
        worker.kill()
    assert reply["ok"], reply
    return reply["output"]


def test_students_in_one_slot_share_nothing(tmp_path):
    import os
    import shutil

    slot = sandbox.claim_slot(warm=True, staging=tmp_path)
    try:
        workdir = slot.workspace / "work"
        for number, source in enumerate((FIRST, SECOND)):
            if workdir.exists():
                shutil.rmtree(workdir)  # as sandbox.stage_for_sandbox does: a new copy for each student
            workdir.mkdir()
            os.chown(workdir, slot.student_uid, slot.student_uid)
            output = _run(slot, workdir, source)
            if number == 0:
                assert "first done" in output
        assert slot.zygote is not None, "the worker should have been forked from the template"
    finally:
        slot.release()
    assert f"uid {slot.student_uid} pid 2 caps 0000000000000000" in output  # PID 2 under its own init
    assert "left []" in output
    assert "patched check_number" in output
    assert "processes [1, 2]" in output, output
    assert "userns refused" in output  # graders/engine/seccomp.py, installed by the forked child


def test_a_broken_template_falls_back_to_cold_starts(tmp_path, monkeypatch):
    log = tmp_path / "warm.log"
    slot = sandbox.claim_slot(warm=True, zygote_log=log, staging=tmp_path)
    monkeypatch.setattr(sandbox, "Zygote", lambda *a, **k: (_ for _ in ()).throw(OSError("no template today")))
    try:
        worker = slot.spawn("graders.engine.workers.student", sandbox.Limits(), uid=slot.student_uid)
        protocol.send(worker.outbound, {"op": "exec", "source": "print(6 * 7)"}, timeout=60)
        reply = protocol.receive(worker.inbound, timeout=120)
        worker.kill()
    finally:
        slot.release()
    assert reply["ok"] and "42" in reply["output"]
    assert "starting workers cold" in log.read_text() and "no template today" in log.read_text()
