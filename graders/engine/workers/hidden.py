"""What a failing hidden test may tell the student: a label the instructor wrote, nothing computed.

A test cell's ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region is removed from
the student's copy, but the message of a check that fails inside it would still reach the
feedback and the report: "f([3, -1.5]): expected about 0.17997, but got 0.67997" gives away
the hidden input and the expected value, and a student's function can raise an exception that
quotes its (hidden) arguments back. So the instructor worker runs a test cell in segments
(:func:`segments`) and, when a *hidden* segment fails, replaces the message with
:func:`hidden_message`: the exception's type and a label made only of text the instructor
typed into the failing statement (a check's ``name`` and ``hint`` arguments, or a ``raise``/
``assert`` message), with every computed part of an f-string shown as ``…``, and every literal
value of the hidden code (a number, a string of three or more characters) that the label
repeats shown as ``…`` too: ``"double(-1.5)"`` reads ``"double(-…)"``, unless the student can
already read that value in the notebook (its questions, provided code and visible tests: the
``public`` text): "steps 1-5" or "after the leetspeak attack" stay readable when the question
says "steps 1-5" and a visible test uses "leetspeak". Visible segments keep their full
"expected X, got Y, hint" messages. This is a mechanism in the grader, so no author has to
remember it.
"""

from __future__ import annotations

import ast
import re

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"  # matched as nbgrader's ClearHiddenTests does
# raikit.checks functions: the position of their ``name`` argument (the label of what is checked)
LABEL_POSITION = {"check_number": 2, "check_integer": 2, "check_array": 2, "check_equal": 2, "check_in_range": 3,
                  "as_real": 1, "as_array": 1, "as_plain": 1, "check_against_reference": 3,
                  "Case": 0}  # raikit.checks.Case(description, ...): descriptions are written for students
KEPT_TYPES = ("StudentProcessError", "GradingStopped")  # kit-written messages (time limits, crashes): safe to show
NOTE = ("Hidden tests do not show their inputs or expected values: "
        "check your code against every rule the question states.")


def segments(source: str) -> list[tuple[bool, str]]:
    """The cell as ``(hidden, code)`` pieces in order. Each piece is padded with comment lines so
    that its line numbers are the cell's (IPython drops leading blank lines, not comments); marker
    lines themselves are dropped."""
    pieces: list[tuple[bool, int, list[str]]] = []
    hidden, start, current = False, 0, []
    for number, line in enumerate(source.splitlines(keepends=True)):
        if (BEGIN in line and not hidden) or (END in line and BEGIN not in line and hidden):
            pieces.append((hidden, start, current))
            hidden, start, current = not hidden, number + 1, []
            continue
        current.append(line)
    pieces.append((hidden, start, current))
    return [(h, "#\n" * s + "".join(c)) for h, s, c in pieces if "".join(c).strip()]


def has_hidden(source: str) -> bool:
    return any(hidden for hidden, _ in segments(source))


def failing_line(exc: BaseException) -> int | None:
    """The cell line that was running when ``exc`` was raised: the outermost ``<module>`` frame
    of its traceback (deeper ones belong to modules the cell imported)."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "<module>":
            return tb.tb_lineno
        tb = tb.tb_next
    return None


def _static_text(node: ast.AST | None) -> str:
    """The instructor-typed text of a string expression; computed parts become '…'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "…"
                       for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _static_text(node.left) + ("…" if isinstance(node.op, ast.Mod) else _static_text(node.right))
    return ""


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _check_label(call: ast.Call) -> tuple[ast.AST | None, ast.AST | None]:
    """``(label, hint)`` expressions of a check call: a raikit.checks function's ``name``
    argument, or for a notebook's own ``check_*`` helper (``check_rates(value, expected,
    "group_rates on German credit")``) its ``name=`` or its last string argument."""
    name = _call_name(call)
    keywords = {k.arg: k.value for k in call.keywords}
    if name in LABEL_POSITION:
        position = LABEL_POSITION[name]
        return keywords.get("name") or (call.args[position] if len(call.args) > position else None), \
            keywords.get("hint")
    if name.startswith("check"):
        texts = [a for a in call.args if isinstance(a, ast.JoinedStr)
                 or (isinstance(a, ast.Constant) and isinstance(a.value, str))]
        return keywords.get("name") or (texts[-1] if texts else None), keywords.get("hint")
    return None, None


def _label_texts(code: str) -> set[str]:
    """Every string typed as a check's name or hint, or as a raise/assert message, in ``code``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    texts: set[str] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST] = []
        if isinstance(node, ast.Call) and _call_name(node).startswith(("check", "as_", "Case")):
            parts += [part for part in _check_label(node) if part is not None]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            parts += node.exc.args[:1]
        elif isinstance(node, ast.Assert) and node.msg is not None:
            parts.append(node.msg)
        for part in parts:
            texts |= {n.value for n in ast.walk(part) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return texts


def label_for(code: str, line: int | None) -> tuple[str, str]:
    """``(label, hint)`` for the statement at ``line`` of ``code``, from instructor-typed text only."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return "", ""
    covering = [node for node in ast.walk(tree) if line is not None and hasattr(node, "lineno")
                and node.lineno <= line <= (node.end_lineno or node.lineno)]
    covering.sort(key=lambda node: (node.end_lineno or node.lineno) - node.lineno)  # innermost first
    for node in covering:
        if isinstance(node, ast.Call) and (_call_name(node) in LABEL_POSITION or _call_name(node).startswith("check")):
            label, hint = _check_label(node)
            if label is None and _call_name(node) not in LABEL_POSITION:
                continue  # a helper without a label: an outer statement may have one
            return _static_text(label) or _call_name(node), _static_text(hint)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            return _static_text(node.exc.args[0]).split("\n")[0], ""
        if isinstance(node, ast.Assert) and node.msg is not None:
            return _static_text(node.msg).split("\n")[0], ""
    return "", ""


def hidden_values(code: str, keep: set[str]) -> list[str]:
    """Texts of the literal values in a hidden segment (numbers, strings of 3+ characters), other
    than the label and hint texts in ``keep``: an input or expected value the label must not show."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float) and type(node.value) is not bool:
            value = node.value
            found |= {repr(value), str(value), f"{value:g}"}
            if isinstance(value, float) and value.is_integer():
                found.add(str(int(value)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in keep:
            if len(node.value.strip()) >= 3:
                found.add(node.value)
    return sorted(found, key=len, reverse=True)


def _whole_token(value: str) -> str:
    """A pattern matching ``value`` as a whole token: a number not inside a longer number, a
    string not inside a longer word ("ref" leaves "reference" alone)."""
    if re.fullmatch(r"-?[0-9.e+-]+|inf|nan", value):
        return rf"(?<![\w.]){re.escape(value)}(?![\w]|\.\d)"
    before = r"(?<!\w)" if re.match(r"\w", value) else ""
    after = r"(?!\w)" if re.search(r"\w$", value) else ""
    return before + re.escape(value) + after


def redact(text: str, values: list[str]) -> str:
    """``text`` with each of ``values`` replaced by '…', as whole tokens."""
    for value in values:
        text = re.sub(_whole_token(value), "…", text)
    return text


def not_public(values: list[str], public: str) -> list[str]:
    """The ``values`` a student cannot already read, as whole tokens, in the ``public`` text."""
    return [value for value in values if not re.search(_whole_token(value), public)]


def public_text(cells: list[dict]) -> str:
    """What the student's own notebook shows of the instructor's code cells (plan cells, each
    with its ``source``): their visible segments."""
    return "\n".join(code for cell in cells for is_hidden, code in segments(str(cell.get("source", "")))
                     if not is_hidden)


def hidden_message(exc: BaseException, code: str, public: str = "") -> dict:
    """The error a student may see for ``exc`` raised in the hidden test segment ``code``;
    ``public`` is the text of the notebook the student already has (see :func:`public_text`)."""
    kind = type(exc).__name__
    if kind in KEPT_TYPES:
        return {"type": kind, "message": str(exc)[:1000]}
    line = failing_line(exc)
    label, hint = label_for(code, line)
    if isinstance(getattr(exc, "label", None), str) and exc.label.strip():
        label = exc.label  # raikit.checks.CheckFailed: the case's description, written for students
    secret = not_public(hidden_values(code, keep=_label_texts(code)), public)
    label, hint = redact(label, secret), redact(hint, secret)
    reason = getattr(exc, "reason", None)  # CheckFailed: what went wrong, kit-written and free of values
    if isinstance(reason, str) and reason.strip() and type(exc).__module__ == "raikit.checks":
        label = f"{label.strip()}: {redact(reason.strip(), secret)}"
    where = f"line {line} of the hidden tests" if line else "the hidden tests"
    message = f"a hidden test failed: {label.strip() or where}"
    if not isinstance(exc, AssertionError):
        message += f" ({kind})"
    if "protocol.Opaque" in str(exc) or "returned by student code" in str(exc):  # an object the checks refuse
        message += "; a value returned by student code was not a plain value (an object of its own type)"
    if hint.strip():
        message += f"\nHint: {hint.strip()}"
    return {"type": kind, "message": f"{message}\n{NOTE}"}
