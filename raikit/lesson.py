"""Lessons that invite tinkering: prose checked against the numbers, and numbers printed for people.

A lesson's text says things about the numbers its code computes ("the interval lies below
zero", "two checks fail"). :func:`expect` states such a claim where the numbers are computed:

    expect(gap < 0.02, "the flip rate is below 2%", flip_rate=flip_rate)

If a learner changes a threshold, a seed or the data and the claim no longer holds, the cell
prints which statement of the text, the values it now sees and what was checked, and the
lesson carries on: the learner's experiment is the point, not an error. Under **strict mode**
(environment variable ``RAIKIT_STRICT_LESSONS=1``, which the lesson tests set) it raises
:class:`ProseMismatch` instead, so the test suite still fails when the *unchanged* lesson drifts
from its prose.

:func:`readable` and :func:`tidy` print numbers as a reader expects: ``126`` not
``np.int64(126)``, ``0.0`` not ``-0.0``, counts as whole numbers, not ``167.0``.
"""

from __future__ import annotations

import math
import numbers
import os
from typing import Any

STRICT_ENV = "RAIKIT_STRICT_LESSONS"


class ProseMismatch(AssertionError):
    """In strict mode: a statement of a lesson's text does not hold for the numbers it computed."""


def strict_mode() -> bool:
    """True when ``RAIKIT_STRICT_LESSONS`` is set to 1, true or yes (the lesson tests set it)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes")


def readable(value: Any, digits: int = 3) -> str:
    """``value`` as a reader expects it: plain ints, floats to ``digits`` decimals without ``-0.0``.

    NumPy scalars become Python numbers; a float that is a whole number (a count that arrived
    as a float) prints without decimals; sequences and dicts are formatted item by item;
    anything else is ``str(value)``.
    """
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # a NumPy scalar or 0-d array -> the Python number
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return str(number)
        if number.is_integer():
            return str(int(number))  # a count that arrived as a float: 167.0 -> 167
        text = f"{number:.{digits}f}"
        return text.lstrip("-") if float(text) == 0 else text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {readable(item, digits)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(readable(item, digits) for item in value) + "]"
    return str(value)


def tidy(frame, digits: int = 3):
    """A copy of a DataFrame (or Series) for display: rounded, no ``-0.0``, whole-number columns as ints.

    A float column whose values are all whole numbers, some larger than 1 (counts that pandas
    turned into floats, e.g. after a transpose), becomes an integer column; other numbers are
    rounded to ``digits`` and negative zeros become 0 (a column of only 0.0 and 1.0, such as a
    perfect precision, stays a float column).
    """
    import numpy as np
    import pandas as pd

    def fix(column: pd.Series) -> pd.Series:
        if column.dtype == object:
            converted = pd.to_numeric(column, errors="coerce")
            if converted.notna().all() and not column.map(lambda v: isinstance(v, bool)).any():
                column = converted
            else:
                return column
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            return column
        if pd.api.types.is_float_dtype(column):
            finite = column.dropna()
            if len(finite) == len(column) and len(finite) and np.all(np.isfinite(finite)) \
                    and np.all(finite == np.round(finite)) and np.abs(finite).max() > 1:
                return column.astype("int64")  # counts; a column of 0.0 and 1.0 may be rates, and stays
            column = column.round(digits) + 0.0  # adding 0.0 turns -0.0 into 0.0
        return column

    if isinstance(frame, pd.Series):
        return fix(frame.copy())
    return frame.apply(fix)


def expect(condition: Any, statement: str, *, why: str | None = None, **values: Any) -> bool:
    """Check a statement the lesson's text makes; return whether it holds.

    ``condition`` is the check (truthy when the statement holds); ``statement`` quotes or
    paraphrases the text that relies on it; ``why`` says what the check compares (optional);
    ``values`` are the numbers involved, shown by name when the check fails. When it fails:
    in strict mode raise :class:`ProseMismatch`; otherwise print a note and return False, so
    the lesson runs on.
    """
    if bool(condition):
        return True
    lines = [f'The text of this lesson says: "{statement}"',
             "With the numbers computed now, that no longer holds."]
    if why:
        lines.append(f"What was checked: {why}")
    if values:
        lines.append("Values now: " + ", ".join(f"{name} = {readable(value)}" for name, value in values.items()))
    if strict_mode():
        raise ProseMismatch("\n".join(lines) + f"\n({STRICT_ENV} is set: the unchanged lesson must match its text.)")
    lines.append("If you changed a threshold, a seed or the data above, this is expected: read the text "
                 "below against your own numbers. Restart and Run All on an unchanged copy to see the original.")
    print("NOTE  " + "\n      ".join(lines))
    return False
