"""Test worker: runs the instructor's setup and test cells against a student's functions.

It runs in its own sandbox, separate from the student worker, and never executes student
code: each function the assignment asks for is a proxy that sends the call (arguments
pickled by this trusted process) to the student worker through the grader, and decodes the
answer with graders.engine.protocol.decode into plain values. So nothing the student's code does
(monkeypatching checks or builtins, hooking IPython, printing fake output, exiting) can
change how these tests run or what they report. Hidden test regions run as segments of their
own whose failures show only an instructor-written label (graders/engine/workers/hidden.py).

Protocol with the grader (stdin/stdout frames):
    in:  {"op": "plan", "cells": [{"key", "grade_id", "test", "source"}], "interface": {...},
          "public": the notebook's markdown, which hidden-test labels may quote}
    out: {"op": "call", "name", "payload"}   <- in: the student worker's reply
    out: {"op": "cell", "key", "grade_id", "passed", "error", "output"}
    out: {"op": "done"}
"""

from __future__ import annotations

import base64
import builtins
import pickle
import re

from graders.engine import protocol
from graders.engine.workers import hidden
from graders.engine.workers.common import Channel, error_summary, make_shell


class StudentCodeError(Exception):
    """The student's function raised an exception that is not a built-in one (or the worker died)."""


class StudentProcessError(Exception):
    """The student's code stopped running (time limit, crash, exit) while a test was calling it."""


def _raise_remote(error: dict) -> None:
    name, message = str(error.get("type", "Error")), str(error.get("message", ""))
    if name == "StudentProcessError":
        raise StudentProcessError(message)
    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        raise cls(message)
    # Another type (numpy's AxisError, a class of the student's own): a StudentCodeError that
    # carries its name, so messages say "raised AxisError", not "raised StudentCodeError".
    shown = re.sub(r"\W", "", name.rsplit(".", 1)[-1])[:60]
    if shown and not shown[0].isdigit() and shown != "StudentCodeError":
        raise type(shown, (StudentCodeError,), {})(f"{name}: {message}")
    raise StudentCodeError(f"{name}: {message}")


def _write_back(args: tuple, kwargs: dict, changed: dict) -> None:
    """Repeat the student's in-place changes on the test's own arguments, so that a test sees a
    function that modifies its input exactly as it would in one kernel. Arguments of a type that
    cannot be updated in place keep their value (``changed_inputs`` still names them)."""
    import numpy as np

    for key, encoded in changed.items():
        original = args[int(key)] if key.isdigit() and int(key) < len(args) else kwargs.get(key)
        try:
            new = protocol.decode(encoded)
        except protocol.ProtocolError:
            continue
        try:
            if type(original) is list and type(new) is list:
                original[:] = new
            elif type(original) is dict and type(new) is dict:
                original.clear()
                original.update(new)
            elif type(original) is set and type(new) is set:
                original.clear()
                original.update(new)
            elif isinstance(original, np.ndarray) and isinstance(new, np.ndarray) and original.shape == new.shape:
                original[...] = new
            elif type(original).__name__ in ("Series", "DataFrame") and getattr(new, "shape", None) == original.shape:
                original.iloc[(slice(None),) * original.ndim] = new.to_numpy() if hasattr(new, "to_numpy") else new
        except (TypeError, ValueError):
            continue


def _proxy(channel: Channel, name: str):
    def call_student(*args, **kwargs):
        payload = base64.b64encode(pickle.dumps((args, kwargs))).decode()
        protocol.send(channel.outbound, {"op": "call", "name": name, "payload": payload})
        reply = protocol.receive(channel.inbound)
        changed = reply.get("changed")
        call_student.changed_inputs = sorted(changed) if isinstance(changed, dict) else []
        if call_student.changed_inputs:
            _write_back(args, kwargs, changed)
        if not reply.get("ok"):
            _raise_remote(reply.get("error") or {})
        return protocol.decode(reply.get("value"))

    call_student.changed_inputs = []  # positions/keywords the last call modified in place
    call_student.__name__ = call_student.__qualname__ = name
    call_student.__doc__ = f"Calls the student's {name} in the student sandbox."
    return call_student


def main() -> None:
    channel = Channel()
    plan = protocol.receive(channel.inbound)
    interface = {}
    for name, entry in plan["interface"].items():
        if entry["kind"] == "callable":
            interface[name] = _proxy(channel, name)
        elif entry["kind"] == "value":
            try:
                interface[name] = protocol.decode(entry["value"])
            except protocol.ProtocolError as exc:
                interface[name] = protocol.Opaque("undecodable value", str(exc))
    shell = make_shell()
    shell.showtraceback = lambda *args, **kwargs: None  # tracebacks quote hidden tests; report type + message only
    public = hidden.public_text(plan["cells"]) + "\n" + str(plan.get("public", ""))
    for cell in plan["cells"]:
        shell.user_ns.update(interface)  # setup cells cannot shadow the student's answers
        error, output = run_cell(shell, channel, cell["source"], public)
        protocol.send(channel.outbound, {"op": "cell", "key": cell["key"], "grade_id": cell.get("grade_id"),
                                         "passed": error is None, "error": error, "output": output})
    protocol.send(channel.outbound, {"op": "done"})


def run_cell(shell, channel: Channel, source: str, public: str = "") -> tuple[dict | None, str]:
    """Run one instructor cell; ``(error or None, output)``. Hidden test regions run as their own
    segments: their output is dropped and their failures say only what graders/engine/workers/
    hidden.py allows (a label the instructor typed, never an input or an expected value the
    student cannot already read in ``public``, the notebook's visible text)."""
    pieces = hidden.segments(source)
    if not any(is_hidden for is_hidden, _ in pieces):
        channel.reset_output()
        result = shell.run_cell(source, store_history=False)
        return error_summary(result.error_before_exec or result.error_in_exec), channel.read_output()
    if not all(_compiles(shell, code) for _, code in pieces):
        # A hidden region inside a block (it cannot run on its own): run the cell whole, show none
        # of its output, and treat any failure as a hidden one.
        channel.reset_output()
        result = shell.run_cell(source, store_history=False)
        channel.read_output()
        error = result.error_before_exec or result.error_in_exec
        return (hidden.hidden_message(error, source, public) if error is not None else None), ""
    shown = []
    for is_hidden, code in pieces:
        channel.reset_output()
        result = shell.run_cell(code, store_history=False)
        output = channel.read_output()
        if not is_hidden:
            shown.append(output)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            return (hidden.hidden_message(error, code, public) if is_hidden else error_summary(error)), "".join(shown)
    return None, "".join(shown)


def _compiles(shell, code: str) -> bool:
    try:
        compile(shell.transform_cell(code), "<cell>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


if __name__ == "__main__":
    main()
