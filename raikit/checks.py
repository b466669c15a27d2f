"""Strict checks for assignment tests: clear messages for learners, no way to fake a pass.

Plain ``assert f(x) == expected`` can be fooled: an object whose ``__eq__`` always
returns True, ``True`` standing in for ``1``, or a list standing in for an array all
"compare equal". Every check here first demands an *exact, built-in* type (``float``,
``int``, NumPy scalar, ``numpy.ndarray`` of numbers, ``str``, ``list``...), converts to a
plain value the check controls, and only then compares with a tolerance. So the
comparison never calls code the student wrote.

Each failing check raises ``AssertionError`` with what was expected, what was found and
(optionally) a hint; nbgrader shows that message to the learner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_PLAIN_SCALARS = (int, float, str, bool)


def _fail(name: str, problem: str, hint: str) -> None:
    message = f"{name}: {problem}"
    if hint:
        message += f"\nHint: {hint}"
    raise AssertionError(message)


def _type_name(value: Any) -> str:
    """The type to name in a message. A grader's stand-in for a value that could not cross the
    sandbox (graders.engine.protocol.Opaque) names the student's own type, e.g. defaultdict."""
    stands_in_for = getattr(type(value), "stands_in_for", None)
    if callable(stands_in_for):
        return str(stands_in_for(value))
    module = type(value).__module__
    return type(value).__qualname__ if module == "builtins" else f"{module}.{type(value).__qualname__}"


def _is_numpy_scalar(value: Any) -> bool:
    return isinstance(value, np.generic) and type(value).__module__ == "numpy"


def as_real(value: Any, name: str = "value", *, integer: bool = False, hint: str = "") -> float | int:
    """Return ``value`` as a plain float (or int) if it is a genuine built-in/NumPy number.

    Rejects bools, subclasses of float/int (which can override ``__eq__``), strings, arrays
    and anything else, with a message saying what to return instead.
    """
    kind = "an integer" if integer else "a number"
    if type(value) is bool or type(value) is np.bool_:
        _fail(name, f"expected {kind}, but got the bool {value!r}.",
              hint or "return the number itself, not a comparison.")
    if type(value) in (int, float):
        plain = value
    elif _is_numpy_scalar(value) and isinstance(value, (np.integer, np.floating)):
        plain = value.item()
    elif type(value) is np.ndarray and value.shape == () and value.dtype.kind in "iuf":
        plain = value.item()
    else:
        _fail(name, f"expected {kind}, but got an object of type {_type_name(value)}.",
              hint or "return a plain Python number, e.g. float(x) or int(x).")
    if integer and not (type(plain) is int or (type(plain) is float and plain.is_integer())):
        _fail(name, f"expected an integer, but got {plain!r}.",
              hint or "counts are whole numbers; check for a division.")
    return int(plain) if integer else float(plain)


def check_number(value: Any, expected: float, name: str = "value", *, rtol: float = 1e-6,
                 atol: float = 1e-9, hint: str = "") -> None:
    """``value`` is a genuine number within ``atol + rtol*|expected|`` of ``expected``."""
    plain = as_real(value, name, hint=hint)
    if math.isnan(plain) and not math.isnan(expected):
        _fail(name, "got NaN (not a number).", hint or "look for a division by zero or an empty slice.")
    both_nan = math.isnan(plain) and math.isnan(expected)
    if not both_nan and not math.isclose(plain, expected, rel_tol=rtol, abs_tol=atol):
        _fail(name, f"expected about {expected:.6g}, but got {plain:.6g}.", hint)


def check_integer(value: Any, expected: int, name: str = "value", *, hint: str = "") -> None:
    """``value`` is a genuine integer equal to ``expected``."""
    plain = as_real(value, name, integer=True, hint=hint)
    if plain != expected:
        _fail(name, f"expected {expected}, but got {plain}.", hint)


def check_in_range(value: Any, low: float, high: float, name: str = "value", *, hint: str = "") -> float:
    """``value`` is a genuine number with ``low <= value <= high``; returns it as a float."""
    plain = as_real(value, name, hint=hint)
    if not (low <= plain <= high):
        _fail(name, f"expected a value between {low:g} and {high:g}, but got {plain:.6g}.", hint)
    return plain


def as_array(value: Any, name: str = "value", *, shape: tuple | None = None, hint: str = "") -> np.ndarray:
    """Return ``value`` as a float copy if it is a genuine numeric ``numpy.ndarray``.

    ``shape`` may contain ``None`` for "any length on this axis".
    """
    if type(value) is not np.ndarray:
        _fail(name, f"expected a numpy.ndarray, but got {_type_name(value)}.",
              hint or "wrap your result with np.asarray(...).")
    if value.dtype.kind not in "biuf":
        _fail(name, f"expected an array of numbers, but its dtype is {value.dtype}.",
              hint or "make sure every element is a number, e.g. np.asarray(x, dtype=float).")
    if shape is not None:
        ok = len(shape) == value.ndim and all(s is None or s == v for s, v in zip(shape, value.shape, strict=False))
        if not ok:
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            _fail(name, f"expected shape {wanted}, but got {value.shape}.", hint)
    return np.array(value, dtype=float, copy=True)


def check_array(value: Any, expected: Any, name: str = "value", *, rtol: float = 1e-6,
                atol: float = 1e-9, hint: str = "") -> None:
    """``value`` is a numeric ndarray of ``expected``'s shape, element-wise close to it."""
    expected = np.asarray(expected, dtype=float)
    plain = as_array(value, name, shape=expected.shape, hint=hint)
    close = np.isclose(plain, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0])
        _fail(name, f"{int((~close).sum())} of {close.size} entries differ; first at index {where}: "
              f"expected {expected[where]:.6g}, got {plain[where]:.6g}.", hint)


def as_plain(value: Any, name: str = "value", *, hint: str = "") -> Any:
    """Return a deep copy of ``value`` built only from exact built-in types.

    Accepts ``str``, ``int``, ``float``, ``bool``, ``None``, NumPy scalars (converted) and
    ``list``/``tuple``/``dict`` of those. Anything else (including subclasses of built-ins)
    fails, because it could answer ``==`` however it likes.
    """
    if value is None or type(value) in _PLAIN_SCALARS:
        return value
    if _is_numpy_scalar(value):
        return value.item()
    if type(value) in (list, tuple):
        return type(value)(as_plain(v, f"{name}[{i}]", hint=hint) for i, v in enumerate(value))
    if type(value) is dict:
        return {as_plain(k, f"{name} key", hint=hint): as_plain(v, f"{name}[{k!r}]", hint=hint)
                for k, v in value.items()}
    _fail(name, f"expected built-in values (str, int, float, bool, list, tuple, dict), but found {_type_name(value)}.",
          hint or "return plain Python values: convert with dict(...), list(...) or float(...).")


def check_equal(value: Any, expected: Any, name: str = "value", *, hint: str = "") -> None:
    """``value`` has exactly ``expected``'s built-in type structure and is equal to it.

    ``True`` does not equal ``1`` here, a tuple does not equal a list, and floats inside
    containers compare with a small tolerance.
    """
    plain = as_plain(value, name, hint=hint)
    problem = _difference(plain, expected)
    if problem:
        _fail(name, problem, hint)


def _difference(actual: Any, expected: Any, path: str = "") -> str:
    where = f" at {path}" if path else ""
    if type(expected) is float and type(actual) in (int, float):
        if math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12):
            return ""
        return f"expected {expected!r}{where}, got {actual!r}."
    if type(actual) is not type(expected):
        return f"expected a {type(expected).__name__}{where}, got a {type(actual).__name__} ({actual!r:.60})."
    if type(expected) in (list, tuple):
        if len(actual) != len(expected):
            return f"expected {len(expected)} items{where}, got {len(actual)}."
        for i, (a, e) in enumerate(zip(actual, expected, strict=False)):
            problem = _difference(a, e, f"{path}[{i}]")
            if problem:
                return problem
        return ""
    if type(expected) is dict:
        if set(actual) != set(expected):
            missing, extra = set(expected) - set(actual), set(actual) - set(expected)
            return f"keys differ{where}: missing {sorted(map(repr, missing))}, unexpected {sorted(map(repr, extra))}."
        stored = {key: key for key in actual}  # the actual dict's own key objects: True == 1 == 1.0 as keys
        for key in expected:
            theirs = stored[key]
            if type(theirs) is not type(key) and not (type(key) is float and type(theirs) is int):
                return (f"expected the key {key!r} ({type(key).__name__}){where}, got {theirs!r} "
                        f"({type(theirs).__name__}): keep the keys' type.")
            problem = _difference(actual[key], expected[key], f"{path}[{key!r}]")
            if problem:
                return problem
        return ""
    return "" if actual == expected else f"expected {expected!r}{where}, got {actual!r}."


# ---------------------------------------------------------------- answers compared with a reference


class CheckFailed(AssertionError):
    """A failed check that knows its *label*: the instructor's words for what was tried.

    In a hidden test the grader shows only the label (graders/engine/workers/hidden.py), never
    the message with its inputs and expected values; in a visible test the whole message shows.
    ``reason`` is what went wrong when it can be said without any value ("changed its input in
    place", "should raise ValueError, but returned a value"): a hidden test shows it after the
    label, so the student looks for the right mistake.
    """

    def __init__(self, message: str, label: str = "", reason: str = ""):
        super().__init__(message)
        self.label = label
        self.reason = reason


@dataclass(frozen=True)
class Case:
    """One input for :func:`check_against_reference`: ``description`` says in words what the case
    exercises ("groups of different sizes", "an empty list"); it is what a student is told
    when the case fails, so it must not contain the expected answer."""

    description: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


COMPARISONS = ("number", "integer", "array", "equal")


def check_against_reference(function, reference, cases, name: str, *, compare="number", rtol: float = 1e-6,
                            atol: float = 1e-9, hint: str = "", inputs_unchanged: bool = True) -> None:
    """``function`` answers every case as ``reference`` does; the first failing case is named.

    For each :class:`Case` both functions get their own deep copies of the arguments.
    ``compare`` is "number", "integer", "array" or "equal" (:func:`check_number`,
    :func:`check_integer`, :func:`check_array`, :func:`check_equal`), or a function
    ``(value, expected, name)`` that raises AssertionError. When the reference raises an
    exception for a case, ``function`` must raise one of the same type. With
    ``inputs_unchanged``, a function that modifies an argument in place fails (the question
    must say so). Failures raise :class:`CheckFailed` labelled ``"<name>, <description>"``.
    """
    import copy

    checker = {"number": lambda v, e, n: check_number(v, e, n, rtol=rtol, atol=atol, hint=hint),
               "integer": lambda v, e, n: check_integer(v, e, n, hint=hint),
               "array": lambda v, e, n: check_array(v, e, n, rtol=rtol, atol=atol, hint=hint),
               "equal": lambda v, e, n: check_equal(v, e, n, hint=hint)}.get(compare, compare)
    if not callable(checker):
        raise ValueError(f"compare must be one of {COMPARISONS} or a function, not {compare!r}")
    for case in cases:
        label = f"{name}, {case.description}"
        try:
            expected, expected_error = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)), None
        except Exception as exc:  # noqa: BLE001 - the reference refusing an input is part of the spec
            expected, expected_error = None, exc
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
        try:
            value = function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any exception of the student's is an answer
            if expected_error is not None and type(exc).__name__ == type(expected_error).__name__:
                continue
            wanted = f"should raise {type(expected_error).__name__}" if expected_error else "should return a value"
            reason = f"{wanted}, but raised {type(exc).__name__}"
            raise CheckFailed(f"{label}: {reason}: {str(exc)[:200]}" + (f"\nHint: {hint}" if hint else ""),
                              label, reason) from exc
        if expected_error is not None:
            reason = f"should raise {type(expected_error).__name__}, but returned a value"
            raise CheckFailed(f"{label}: {reason}" + (f"\nHint: {hint}" if hint else ""), label, reason)
        if inputs_unchanged:  # first: a changed input is the precise diagnosis, whatever the value
            moved = [str(k) for k, (mine, original) in _pairs(args, kwargs, case).items()
                     if not same_value(mine, original)]
            if moved or getattr(function, "changed_inputs", None):
                reason = "the function changed its input in place; work on a copy (list(x), dict(x), array.copy())"
                raise CheckFailed(f"{label}: {reason}", label, reason)
        try:
            checker(value, expected, label)
        except AssertionError as exc:
            raise CheckFailed(str(exc), label) from exc


def _pairs(args: tuple, kwargs: dict, case: Case) -> dict:
    pairs = {i: (a, o) for i, (a, o) in enumerate(zip(args, case.args, strict=True))}
    pairs.update({k: (kwargs[k], case.kwargs[k]) for k in case.kwargs})
    return pairs


def same_value(a: Any, b: Any) -> bool:
    """Deep equality that treats NaN as equal to NaN and compares arrays, frames and types exactly."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if type(a).__name__ in ("Series", "DataFrame") and hasattr(a, "equals"):
        return bool(a.equals(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - objects that cannot say are not the same
        return False
