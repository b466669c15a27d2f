"""raikit.checks must pass honest answers and reject every known way of faking a pass."""

from __future__ import annotations

import numpy as np
import pytest

from raikit import checks
from raikit.checks import Case, CheckFailed, check_against_reference, same_value


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class SneakyFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class SneakyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class SneakyArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)


@pytest.mark.parametrize("honest", [0.5, np.float64(0.5), np.float32(0.5), np.array(0.5)])
def test_check_number_accepts_genuine_numbers(honest):
    checks.check_number(honest, 0.5, "rate")


@pytest.mark.parametrize("fake", [AlwaysEqual(), SneakyFloat(0.1), "0.5", [0.5], None, True])
def test_check_number_rejects_fakes(fake):
    with pytest.raises(AssertionError, match="rate"):
        checks.check_number(fake, 1.0 if fake is True else 0.5, "rate")


def test_check_number_message_says_expected_got_and_hint():
    with pytest.raises(AssertionError) as info:
        checks.check_number(0.4, 0.5, "accuracy", hint="count correct predictions")
    message = str(info.value)
    assert "expected about 0.5" in message and "got 0.4" in message and "Hint: count correct" in message


def test_check_number_tolerance():
    checks.check_number(0.5000001, 0.5, "x", rtol=1e-6)
    with pytest.raises(AssertionError):
        checks.check_number(0.51, 0.5, "x", rtol=1e-3)


def test_check_number_rejects_nan():
    with pytest.raises(AssertionError, match="NaN"):
        checks.check_number(float("nan"), 0.5, "x")


def test_check_integer():
    checks.check_integer(3, 3, "n")
    checks.check_integer(np.int64(3), 3, "n")
    for fake in (True, 3.5, AlwaysEqual(), "3"):
        with pytest.raises(AssertionError):
            checks.check_integer(fake, 1 if fake is True else 3, "n")


def test_check_array_accepts_ndarray_and_rejects_lookalikes():
    checks.check_array(np.array([1.0, 2.0]), [1.0, 2.0], "v")
    checks.check_array(np.array([1, 2]), [1.0, 2.0], "v")
    fakes = [[1.0, 2.0], np.array([AlwaysEqual(), AlwaysEqual()], dtype=object),
             np.array([1.0, 2.0]).view(SneakyArray), np.array([1.0, 2.0, 3.0]), np.array(["1", "2"])]
    for fake in fakes:
        with pytest.raises(AssertionError):
            checks.check_array(fake, [1.0, 2.0], "v")


def test_check_array_reports_first_difference():
    with pytest.raises(AssertionError, match=r"1 of 3 entries differ; first at index \(2,\)"):
        checks.check_array(np.array([1.0, 2.0, 9.0]), [1.0, 2.0, 3.0], "v")


def test_check_equal_structures():
    checks.check_equal({"a": 0.5, "b": [1, "x"]}, {"a": 0.5, "b": [1, "x"]}, "d")
    checks.check_equal({"a": np.float64(0.5)}, {"a": 0.5}, "d")
    fakes = [{"a": SneakyFloat(0.1)}, {"a": AlwaysEqual()}, {SneakyStr("a"): 0.5}, {"a": True},
             {"a": 0.5, "b": 1}, ({"a": 0.5},), AlwaysEqual()]
    for fake in fakes:
        with pytest.raises(AssertionError):
            checks.check_equal(fake, {"a": 0.5}, "d")


def test_check_equal_true_is_not_one_and_tuple_is_not_list():
    with pytest.raises(AssertionError):
        checks.check_equal(True, 1, "x")
    with pytest.raises(AssertionError):
        checks.check_equal((1, 2), [1, 2], "x")


def test_check_in_range():
    assert checks.check_in_range(0.3, 0, 1, "p") == 0.3
    with pytest.raises(AssertionError, match="between 0 and 1"):
        checks.check_in_range(1.3, 0, 1, "p")


# ---------------------------------------------------------------- check_against_reference


def _reference_mean(values):
    if len(values) == 0:
        raise ValueError("no values")
    return float(sum(values) / len(values))


MEAN_CASES = [Case("a list of floats", ([1.0, 2.0, 4.0],)), Case("a NumPy array", (np.array([2.0, 3.0]),)),
              Case("a single value", ([5.0],)), Case("an empty list (must raise ValueError)", ([],))]


def test_a_correct_answer_written_differently_passes_every_case():
    def mine(values):
        array = np.asarray(values, dtype=float)
        if array.size == 0:
            raise ValueError("empty")
        return array.mean()  # a NumPy float: allowed by check_number

    check_against_reference(mine, _reference_mean, MEAN_CASES, "mean")


def test_the_first_failing_case_is_named_with_its_label():
    def no_guard(values):
        return float(np.mean(values)) if len(values) else 0.0

    with pytest.raises(CheckFailed) as failed:
        check_against_reference(no_guard, _reference_mean, MEAN_CASES, "mean")
    assert failed.value.label == "mean, an empty list (must raise ValueError)"
    assert "should raise ValueError" in str(failed.value)

    def off_by_one(values):
        return float(sum(values) / (len(values) - 1)) if len(values) > 1 else float(values[0])

    with pytest.raises(CheckFailed, match="mean, a list of floats: expected about 2.33333"):
        check_against_reference(off_by_one, _reference_mean, MEAN_CASES, "mean")


def test_a_function_that_changes_its_input_fails_when_the_question_forbids_it():
    def sorts_in_place(values):
        values.sort()
        return values[0]

    cases = [Case("an unsorted list", ([3, 1, 2],))]
    with pytest.raises(CheckFailed, match="changed its input in place"):
        check_against_reference(sorts_in_place, lambda v: sorted(v)[0], cases, "smallest", compare="integer")
    check_against_reference(sorts_in_place, lambda v: sorted(v)[0], cases, "smallest", compare="integer",
                            inputs_unchanged=False)


def test_same_value_is_exact_about_types_and_nan():
    assert same_value([1.0, float("nan")], [1.0, float("nan")])
    assert not same_value([1, 2], (1, 2)) and not same_value(np.array([1, 2]), np.array([1.0, 2.0]))
    assert same_value({"a": np.array([np.nan])}, {"a": np.array([np.nan])})


@pytest.mark.parametrize(("actual", "expected"), [({0: 1.0, 1: 2.0}, {False: 1.0, True: 2.0}),
                                                  ({1.0: "a"}, {1: "a"}), ({True: 1}, {1: 1})])
def test_dict_keys_keep_their_type(actual, expected):
    """True, 1 and 1.0 are one key to a dict, but a question that says "keep the labels" means
    their type too (an int key where a float one is expected passes, like values)."""
    with pytest.raises(AssertionError, match="keep the keys' type"):
        checks.check_equal(actual, expected, "rates")
    checks.check_equal({1: "a"}, {1.0: "a"}, "rates")
