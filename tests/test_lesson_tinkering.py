"""Lessons invite tinkering: a learner's change prints what no longer holds and the lesson runs on.

``raikit.lesson.expect`` checks a statement of a lesson's text where its numbers are computed.
In a learner's kernel it prints the statement, the values it now sees and what was checked, and
returns False; under ``RAIKIT_STRICT_LESSONS=1`` (set by tests/test_lessons.py) it raises, so the
suite fails when an unchanged lesson drifts from its prose. ``readable`` and ``tidy`` print
numbers as a reader expects.
"""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from raikit import lesson
from raikit.lesson import STRICT_ENV, ProseMismatch, expect, readable, tidy


def test_expect_returns_true_and_prints_nothing_when_the_statement_holds(capsys, monkeypatch):
    for strict in ("", "1"):
        monkeypatch.setenv(STRICT_ENV, strict)
        assert expect(np.bool_(True), "the gap is small", gap=0.01) is True
    assert capsys.readouterr().out == ""


def test_expect_prints_the_statement_values_and_why_and_carries_on(capsys, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    held = expect(0.12 < 0.1, "two checks fail, both on age", why="the TPR gap is below 0.1",
                  tpr_gap=np.float64(0.12), failed=["tpr_gap_age"], n=np.int64(126))
    out = capsys.readouterr().out
    assert held is False
    assert '"two checks fail, both on age"' in out and "no longer holds" in out
    assert "What was checked: the TPR gap is below 0.1" in out
    assert "tpr_gap = 0.120" in out and "failed = [tpr_gap_age]" in out and "n = 126" in out
    assert "np.int64" not in out and "np.float64" not in out


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_expect_raises_in_strict_mode(monkeypatch, value):
    monkeypatch.setenv(STRICT_ENV, value)
    assert lesson.strict_mode()
    with pytest.raises(ProseMismatch, match="the flip rate is below 2%") as caught:
        expect(False, "the flip rate is below 2%", flip_rate=0.031)
    assert "flip_rate = 0.031" in str(caught.value) and STRICT_ENV in str(caught.value)
    assert isinstance(caught.value, AssertionError)  # tests that expected an AssertionError still see one


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_strict_mode_is_off_unless_switched_on(monkeypatch, value):
    monkeypatch.setenv(STRICT_ENV, value)
    assert not lesson.strict_mode()


def test_readable_prints_numbers_as_a_reader_expects():
    assert readable(np.int64(126)) == "126"
    assert readable(-0.0) == "0" and readable(-0.0001) == "0.000" and readable(np.float64(-1e-9), 2) == "0.00"
    assert readable(167.0) == "167" and readable(np.float32(0.5)) == "0.500" and readable(0.12345, 2) == "0.12"
    assert readable(np.bool_(True)) == "True" and readable(float("nan")) == "nan"
    assert readable({"benign": np.int64(126), "rate": -0.0}) == "{benign: 126, rate: 0}"
    assert readable([np.int64(1), 2.5]) == "[1, 2.500]" and readable("text") == "text"


def test_tidy_makes_counts_integers_and_removes_negative_zero():
    by_hand = pd.DataFrame({"female": {"TP": 167, "n": 310, "tpr": 0.8308},
                            "male": {"TP": 455, "n": 690, "tpr": -1e-9}}).T
    assert by_hand["TP"].dtype == float  # what pandas does to counts after a transpose
    tidied = tidy(by_hand)
    assert tidied["TP"].dtype == "int64" and tidied.loc["female", "TP"] == 167
    assert tidied.loc["female", "tpr"] == 0.831
    assert str(tidied.loc["male", "tpr"]) == "0.0" and "-0.0" not in tidied.to_string()
    labels = tidy(pd.DataFrame({"group": ["a", "b"], "x": [-0.0, 1.25]}))
    assert list(labels["group"]) == ["a", "b"] and "-0.0" not in labels.to_string()
    series = tidy(pd.Series([-0.0, 0.33333]))
    assert list(series) == [0.0, 0.333]
    perfect = tidy(pd.DataFrame({"precision": [1.0, 1.0], "tp": [59.0, 80.0]}))
    assert perfect["precision"].dtype == float and perfect["tp"].dtype == "int64"


@pytest.mark.slow
def test_lesson_03_with_another_threshold_runs_to_the_end_and_says_what_no_longer_holds(monkeypatch):
    from coursesite.execute import execute_notebook

    monkeypatch.delenv(STRICT_ENV, raising=False)  # a learner's kernel
    path = ROOT / "lessons" / "03_fairness.ipynb"
    notebook = nbformat.read(path, as_version=4)
    decide = next(cell for cell in notebook.cells if cell.get("id") == "decide")
    assert "THRESHOLD = 0.5" in decide.source
    decide.source = decide.source.replace("THRESHOLD = 0.5", "THRESHOLD = 0.6")  # the learner's experiment
    execute_notebook(notebook, name="03_fairness (THRESHOLD = 0.6)", cwd=path.parent)  # raises if any cell fails

    notes = [(cell.get("id"), out.get("text", "")) for cell in notebook.cells if cell.cell_type == "code"
             for out in cell.get("outputs", []) if "no longer holds" in out.get("text", "")]
    assert len(notes) >= 3, "with THRESHOLD = 0.6 several statements of the text no longer hold"
    for cell_id, text in notes:
        assert "The text of this lesson says:" in text and "Values now:" in text, cell_id
    errors = [cell.get("id") for cell in notebook.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors
    last_code = [cell for cell in notebook.cells if cell.cell_type == "code"][-1]
    assert last_code.get("execution_count"), "Run All reached the last cell"
