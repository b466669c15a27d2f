"""Text from students, made safe for every file the grader writes.

A submission's notebook JSON and a student's outputs and exception messages can hold lone
UTF-16 surrogates (``"\\ud800"`` is valid JSON), undecodable bytes, NULs and control
characters. Written as they are, they crash ``nbformat.write``, the CSV report or the
gradebook (``UnicodeEncodeError``) and stop the whole class. Everything student-controlled
passes :func:`clean_text` (or :func:`clean_tree`) before it reaches JSON, HTML, CSV or the
gradebook: lone surrogates become U+FFFD, control characters other than tab and newline are
dropped, and the length is capped.
"""

from __future__ import annotations

import re

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, limit: int | None = None) -> str:
    """``value`` as a string any UTF-8 writer accepts, at most ``limit`` characters."""
    text = value if isinstance(value, str) else str(value)
    text = _CONTROL.sub("", _SURROGATES.sub("\ufffd", text))
    if limit is not None and len(text) > limit:
        text = text[:limit] + " [...]"
    return text


def clean_tree(value, limit: int | None = None):
    """``value`` with every string in it (keys included) passed through :func:`clean_text`."""
    if isinstance(value, str):
        return clean_text(value, limit)
    if isinstance(value, dict):
        return {clean_text(k, limit): clean_tree(v, limit) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_tree(v, limit) for v in value]
    return value
