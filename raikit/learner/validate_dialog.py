"""nbgrader's Validate button, hint first: JupyterLab's "Validation Results" dialog leads with what to fix.

nbgrader's dialog shows, for each failing cell, the cell's whole source and then the whole
traceback: on a wrong answer to a long test cell the first useful line came after some seventy
lines of test code. This Jupyter server extension keeps nbgrader's Validate (same notebook run,
same pass/fail verdicts) and rewrites only the text of each failure before the dialog shows it:

1. the digest ``make progress`` gives for that cell (:func:`raikit.learner.progress.failure_message`):
   the check's message and its hint, or what a ``NotImplementedError``/``NameError``/timeout means;
2. then the test cell's source, under a line saying so;
3. the error box holds only the exception's own lines (the full traceback stays in the cell's
   output in the notebook).

It wraps ``ValidateAssignmentHandler.validate_notebook`` of nbgrader's ``validate_assignment``
server extension, because the dialog's layout lives in nbgrader's compiled labextension and
its text comes only from that handler's answer. ``make setup`` (kit and student pack) enables
this extension in ``.venv`` with ``python -m raikit.learner.validate_dialog --enable``, so every
JupyterLab started from the kit's environment uses it; a JupyterHub image runs the same command
in its environment (docs/JUPYTERHUB.md).
"""

from __future__ import annotations

import html
import json
import re
import sys
import textwrap
from pathlib import Path

from raikit.learner.progress import failure_message

EXTENSION = "raikit.learner.validate_dialog"
CONFIG_NAME = "raikit.json"  # <prefix>/etc/jupyter/jupyter_server_config.d/raikit.json
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The line that starts the exception itself ("AssertionError: ...", "raikit.checks.CheckFailed: ...").
WIDTH = 100  # the dialog shows text in a <pre>: long lines would run off its right edge
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Failed|Exception|Interrupt|Exit|Warning))(?::\s?(.*))?$")
TEST_SOURCE_HEADER = "The test cell that failed (the full traceback is this cell's output in the notebook):"


def _exception(raw_error: str) -> tuple[str, str, str]:
    """``(ename, evalue, lines)`` of the last exception in an IPython traceback's text ("" if none)."""
    lines = _ANSI.sub("", raw_error or "").rstrip().splitlines()
    for i in range(len(lines) - 1, -1, -1):
        match = _EXCEPTION_LINE.match(lines[i])
        if match:
            rest = "\n".join([match.group(2) or "", *lines[i + 1:]]).strip()
            return match.group(1).rsplit(".", 1)[-1], rest, "\n".join(lines[i:]).strip()
    return "", "", ""


def digest(raw_error: str) -> tuple[str, str]:
    """``(what to fix, the exception's own lines)`` for one failing cell's nbgrader error text."""
    ename, evalue, lines = _exception(raw_error)
    if ename:
        _, message = failure_message({"error": {"ename": ename, "evalue": evalue,
                                                "traceback": [raw_error]}}, {})
        return message, lines
    text = _ANSI.sub("", raw_error or "").strip()
    if "Partial credit" in text:
        return "the cell earned only part of its points: some of its checks failed.", text
    return text or "this cell failed.", text


def hint_first(value: dict) -> dict:
    """nbgrader's validation result with each failure's text led by what to fix (a new dict)."""
    if not isinstance(value, dict) or not isinstance(value.get("failed"), list):
        return value
    failed = []
    for entry in value["failed"]:
        if not isinstance(entry, dict):
            failed.append(entry)
            continue
        source, raw = str(entry.get("source", "")), str(entry.get("raw_error", ""))
        message, lines = digest(raw)
        message = "\n".join(textwrap.fill(line, WIDTH, subsequent_indent="  ") if line else ""
                            for line in message.splitlines())
        if raw.strip() == "You did not provide a response.":  # a written answer still to write
            shown = f"{message}\n\n{source}" if source else message
        else:
            shown = f"{message}\n\n{TEST_SOURCE_HEADER}\n\n{source}"
        failed.append({**entry, "source": shown, "error": html.escape(lines or message), "raw_error": raw})
    return {**value, "failed": failed}


def _wrap(validate_notebook):
    def validate_hint_first(self, path):
        answer = validate_notebook(self, path)
        if isinstance(answer, dict) and answer.get("success") and isinstance(answer.get("value"), dict):
            return {**answer, "value": hint_first(answer["value"])}
        return answer

    validate_hint_first.raikit_hint_first = True
    validate_hint_first.__doc__ = validate_notebook.__doc__
    return validate_hint_first


def _jupyter_server_extension_points():
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp) -> None:
    try:
        from nbgrader.server_extensions.validate_assignment import handlers
    except ImportError:  # nbgrader absent: nothing to improve
        serverapp.log.warning("raikit.learner.validate_dialog: nbgrader's validate extension is not installed")
        return
    handler = handlers.ValidateAssignmentHandler
    if not getattr(handler.validate_notebook, "raikit_hint_first", False):
        handler.validate_notebook = _wrap(handler.validate_notebook)
    serverapp.log.info("raikit: nbgrader's Validate dialog leads each failure with its hint")


def enable(prefix: Path | str = sys.prefix) -> Path:
    """Enable this extension for every Jupyter server of the environment at ``prefix``; the file written.

    (``jupyter server extension enable`` refuses a module that no config names yet, so the kit
    writes the same one-line JSON file that command would.)
    """
    folder = Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.d"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    path.write_text(json.dumps({"ServerApp": {"jpserver_extensions": {EXTENSION: True}}}) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    if sys.argv[1:] != ["--enable"]:
        sys.exit("usage: python -m raikit.learner.validate_dialog --enable")
    print(f"nbgrader's Validate dialog will lead with hints: {enable()}")
