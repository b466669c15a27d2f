"""Student worker: runs one student's cells in a sandbox and answers calls to their functions.

It runs as ``python -m graders.engine.workers.student`` inside bubblewrap (see graders/engine/sandbox.py)
and talks to the grader over stdin/stdout with graders.engine.protocol frames:

    {"op": "forbid", "names": [...]}            -> {"ok", "missing": [...]}   (before any cell: workers/forbidden.py)
    {"op": "exec", "source": ..., "student": b} -> {"ok", "error", "output"}   (b: the student's own cell)
    {"op": "manifest", "names": [...]}          -> {"names": {name: {"kind": "callable"|"value"|"missing", ...}}}
    {"op": "call", "name": ..., "payload": ...} -> {"ok", "value" | "error", "output"}

Everything this process says is untrusted (the student's code runs in it and can rewrite
any of it); the grader only relays its answers as data to the test worker.
"""

from __future__ import annotations

import base64
import os
import pickle
import sys

from graders.engine import protocol
from graders.engine.workers import forbidden
from graders.engine.workers.common import Channel, error_summary, make_shell


def main() -> None:
    channel = Channel()
    shell = make_shell()
    # Started with -P, so the kit was imported from the installation; now let the student's own
    # modules (handed in next to the notebook) be importable, after everything else.
    sys.path.append(os.getcwd())
    while True:
        message = protocol.receive(channel.inbound)
        op = message.get("op")
        if op == "exit":
            return
        channel.reset_output()
        if op == "forbid":
            reply = {"ok": True, "missing": forbidden.install([str(n) for n in message.get("names") or []])}
        elif op == "exec":
            forbidden.STUDENT[0] = bool(message.get("student", True))
            try:
                result = shell.run_cell(message["source"], store_history=False)
            finally:
                forbidden.STUDENT[0] = False
            error = result.error_before_exec or result.error_in_exec
            reply = {"ok": error is None, "error": error_summary(error), "output": channel.read_output()}
        elif op == "manifest":
            names = {}
            for name in message["names"]:
                if name not in shell.user_ns:
                    names[name] = {"kind": "missing"}
                elif callable(shell.user_ns[name]):
                    names[name] = {"kind": "callable"}
                else:
                    names[name] = {"kind": "value", "value": protocol.encode(shell.user_ns[name])}
            reply = {"names": names}
        elif op == "call":
            args, kwargs, before = (), {}, {}
            try:
                args, kwargs = pickle.loads(base64.b64decode(message["payload"]))  # sent by the trusted grader
                before = _snapshots(args, kwargs)
                forbidden.STUDENT[0] = True
                try:
                    value = shell.user_ns[message["name"]](*args, **kwargs)
                finally:
                    forbidden.STUDENT[0] = False
                reply = {"ok": True, "value": protocol.encode(value)}
            except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are answers too
                reply = {"ok": False, "error": error_summary(exc)}
            changed = _changed(args, kwargs, before)
            if changed:  # the function changed its arguments in place: the test side must see it
                reply["changed"] = changed
            reply["output"] = channel.read_output()
        else:
            reply = {"ok": False, "error": {"type": "ProtocolError", "message": f"unknown op {op!r}"}}
        protocol.send(channel.outbound, reply)


def _snapshots(args: tuple, kwargs: dict) -> dict:
    """Each argument as pickled bytes before the call (they arrived pickled, so they pickle)."""
    found = {}
    for key, value in [*enumerate(args), *kwargs.items()]:
        try:
            found[str(key)] = pickle.dumps(value)
        except Exception:  # noqa: BLE001 - an argument that cannot be compared is not watched
            continue
    return found


def _changed(args: tuple, kwargs: dict, before: dict) -> dict:
    """``{position or keyword: encoded new value}`` for arguments the call modified in place."""
    changed = {}
    for key, value in [*enumerate(args), *kwargs.items()]:
        if str(key) not in before:
            continue
        try:
            same = pickle.dumps(value) == before[str(key)]
        except Exception:  # noqa: BLE001 - the student put something unpicklable inside: it changed
            same = False
        if not same:
            changed[str(key)] = protocol.encode(value)
    return changed


if __name__ == "__main__":
    main()
