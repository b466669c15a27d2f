"""Messages between the grader and its two sandboxed workers, and a safe value codec.

Framing: every message is a 4-byte big-endian length followed by UTF-8 JSON. Frames from a
worker that runs student code are *untrusted*: their size is capped and their content is
decoded only into plain data.

Value codec: the student worker turns whatever a student function returned into tagged
JSON (:func:`encode`); the test worker turns it back into genuine built-in / NumPy / pandas
values (:func:`decode`). Decoding never unpickles and never calls student code, so a value
that "equals everything" cannot cross over: an object the codec does not know, or a
subclass of a built-in type, arrives as an :class:`Opaque` stand-in that equals nothing.
"""

from __future__ import annotations

import base64
import json
import os
import select
import struct
import time
from typing import Any

MAX_FRAME = 64 * 1024 * 1024  # bytes; a bigger frame is a protocol violation
MAX_DEPTH = 64


class ProtocolError(RuntimeError):
    """A peer sent something that is not a valid frame, or went away."""


class FrameTimeout(ProtocolError):
    """No complete frame arrived in time."""


def send(fd: int, message: dict, timeout: float | None = None) -> None:
    """Write one frame. With ``timeout``, a peer that stops reading raises FrameTimeout instead of
    blocking the grader forever (the fd is switched to non-blocking for that)."""
    data = json.dumps(message, allow_nan=True).encode()
    view = memoryview(struct.pack(">I", len(data)) + data)
    deadline = None if timeout is None else time.monotonic() + timeout
    if deadline is not None:
        os.set_blocking(fd, False)
    while view:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise FrameTimeout("timed out sending a message: the other side stopped reading")
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            continue
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ProtocolError("the other side closed the connection") from exc
        view = view[written:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise FrameTimeout("timed out waiting for a message")
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, timeout: float | None = None) -> dict:
    deadline = None if timeout is None else time.monotonic() + timeout
    (size,) = struct.unpack(">I", _read_exact(fd, 4, deadline))
    if size > MAX_FRAME:
        raise ProtocolError(f"message of {size} bytes exceeds the {MAX_FRAME}-byte limit")
    try:
        message = json.loads(_read_exact(fd, size, deadline))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ProtocolError(f"malformed message: {type(exc).__name__}") from exc
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message


# ---------------------------------------------------------------- value codec


class Opaque:
    """Stands in for a student value the codec cannot carry. It equals nothing, not even itself."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __eq__(self, other):
        return False

    def __bool__(self):  # a naive `assert f(x)` must not pass either
        return False

    def __hash__(self):  # by identity: a test that puts it in a set fails on its value, not with a TypeError
        return id(self)

    def __repr__(self):
        return f"<object of type {self.type_name} returned by student code: {self.text}>"

    def stands_in_for(self) -> str:
        """The student's type, as raikit.checks names it in a failure message ("found
        collections.defaultdict"), instead of this class's own name."""
        name = self.type_name.removeprefix("builtins.")
        return f"{name} (returned by student code: not a plain value)"  # the report's fake-equality marker


_NUMPY_KINDS = "biufcUM"


def encode(value: Any, depth: int = 0) -> dict:
    """Tagged JSON of ``value`` (student side). Only exact types are carried as themselves."""
    import numpy as np

    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "deeply nested value", "repr": ""}
    kind = type(value)
    if value is None:
        return {"t": "none"}
    if kind is bool:
        return {"t": "bool", "v": value}
    if kind is int:
        return {"t": "int", "v": str(value)}
    if kind is float:
        return {"t": "float", "v": repr(value)}
    if kind is str:
        return {"t": "str", "v": value}
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(v, depth + 1) for v in value]}
    if kind is dict:
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if kind is set or kind is frozenset:
        return {"t": kind.__name__, "v": [encode(v, depth + 1) for v in value]}
    if isinstance(value, np.generic) and kind.__module__ == "numpy" and value.dtype.kind in _NUMPY_KINDS:
        return {"t": "npscalar", "dtype": value.dtype.str, "v": base64.b64encode(value.tobytes()).decode()}
    if kind is np.ndarray and value.dtype.kind in _NUMPY_KINDS:
        data = value if value.flags.c_contiguous else value.copy(order="C")  # ascontiguousarray makes 0-d 1-d
        return {"t": "ndarray", "dtype": data.dtype.str, "shape": list(data.shape),
                "v": base64.b64encode(data.tobytes()).decode()}
    if kind is np.ndarray and value.dtype.hasobject and value.size <= 1_000_000:
        return {"t": "objarray", "shape": list(value.shape), "v": [encode(v, depth + 1) for v in value.ravel()]}
    module = kind.__module__.split(".")[0]
    if module == "pandas" and kind.__name__ == "Series":
        return {"t": "series", "v": encode(value.to_numpy(), depth + 1), "index": encode(list(value.index), depth + 1),
                "name": encode(value.name, depth + 1)}
    if module == "pandas" and kind.__name__ == "DataFrame":
        return {"t": "frame", "columns": encode(list(value.columns), depth + 1),
                "index": encode(list(value.index), depth + 1),
                "data": [encode(value[c].to_numpy(), depth + 1) for c in value.columns]}
    try:
        text = object.__repr__(value)
    except Exception:  # noqa: BLE001 - any failure just means less detail
        text = ""
    return {"t": "opaque", "type": f"{kind.__module__}.{kind.__qualname__}", "repr": text[:200]}


def decode(tagged: Any, depth: int = 0) -> Any:
    """Plain value from tagged JSON (test side). Rejects anything malformed with ProtocolError."""
    import numpy as np

    if depth > MAX_DEPTH or not isinstance(tagged, dict) or not isinstance(tagged.get("t"), str):
        raise ProtocolError("malformed value")
    tag, v = tagged["t"], tagged.get("v")
    try:
        if tag == "none":
            return None
        if tag == "bool" and type(v) is bool:
            return v
        if tag == "int" and type(v) is str and len(v) < 5000:
            return int(v)
        if tag == "float" and type(v) is str:
            return float(v)
        if tag == "str" and type(v) is str:
            return v
        if tag in ("list", "tuple", "set", "frozenset") and type(v) is list:
            items = [decode(item, depth + 1) for item in v]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        if tag == "dict" and type(v) is list:
            return {decode(k, depth + 1): decode(val, depth + 1) for k, val in v}
        if tag in ("npscalar", "ndarray"):
            dtype = np.dtype(tagged["dtype"])
            if dtype.kind not in _NUMPY_KINDS or dtype.hasobject:
                raise ProtocolError(f"dtype {dtype} not allowed")
            raw = base64.b64decode(v, validate=True)
            if tag == "npscalar":
                return np.frombuffer(raw, dtype=dtype, count=1)[0]
            shape = tuple(int(s) for s in tagged["shape"])
            return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        if tag == "objarray" and type(v) is list:
            shape = tuple(int(n) for n in tagged["shape"])
            array = np.empty(len(v), dtype=object)
            for i, item in enumerate(v):
                array[i] = decode(item, depth + 1)
            return array.reshape(shape)
        if tag == "series":
            import pandas as pd

            return pd.Series(decode(v, depth + 1), index=decode(tagged["index"], depth + 1),
                             name=decode(tagged["name"], depth + 1))
        if tag == "frame":
            import pandas as pd

            columns = decode(tagged["columns"], depth + 1)
            data = [decode(c, depth + 1) for c in tagged["data"]]
            return pd.DataFrame(dict(zip(columns, data, strict=True)), index=decode(tagged["index"], depth + 1))
        if tag == "opaque":
            return Opaque(str(tagged.get("type"))[:200], str(tagged.get("repr"))[:200])
    except ProtocolError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
        raise ProtocolError(f"malformed {tag} value: {exc}") from exc
    raise ProtocolError(f"unknown or malformed value tag {tag!r}")
