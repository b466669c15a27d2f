"""What both sandboxed workers share: protocol file descriptors, output capture, an IPython shell."""

from __future__ import annotations

import os
import signal
import sys
import tempfile

MAX_CAPTURE = int(os.environ.get("RAIKIT_MAX_OUTPUT_BYTES", str(256 * 1024)))


class Channel:
    """The worker's private protocol pipes, moved off fds 0 and 1 so that print() cannot reach them."""

    def __init__(self) -> None:
        self.inbound = os.dup(0)
        self.outbound = os.dup(1)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        self._capture = tempfile.TemporaryFile(dir=os.environ.get("TMPDIR", "/tmp"))
        os.dup2(self._capture.fileno(), 1)
        os.dup2(self._capture.fileno(), 2)
        # A huge output hits the file-size limit: make that an OSError in the cell, not a kill.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def reset_output(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a broken stream must not stop the worker
                pass
        os.ftruncate(1, 0)
        os.lseek(1, 0, os.SEEK_SET)

    def read_output(self) -> str:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        size = os.lseek(1, 0, os.SEEK_END)
        data = os.pread(1, min(size, MAX_CAPTURE), 0)
        text = data.decode("utf-8", errors="replace")
        if size > MAX_CAPTURE:
            text += f"\n[output truncated: {size} bytes, limit {MAX_CAPTURE}]"
        return text


def make_shell():
    """A plain IPython shell (magics, display) without history or a terminal."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(history_length=0, colors="nocolor")
    shell.history_manager.enabled = False
    return shell


def error_summary(exc: BaseException | None) -> dict | None:
    if exc is None:
        return None
    message = str(exc)
    return {"type": type(exc).__name__, "message": message[:4000]}
