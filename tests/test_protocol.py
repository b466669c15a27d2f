"""The value codec between the student and test sandboxes: plain values round-trip, fakes do not."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from graders.engine import protocol
from raikit import checks


def roundtrip(value):
    return protocol.decode(protocol.encode(value))


@pytest.mark.parametrize("value", [None, True, 3, -(10**30), 0.25, float("inf"), "text", [1, "a"], (1, 2.5),
                                   {"a": [1, 2], 3: None}, {1, 2}, np.float64(0.5), np.int32(7), np.bool_(True)])
def test_plain_values_round_trip_with_their_exact_type(value):
    back = roundtrip(value)
    assert type(back) is type(value) and back == value


@pytest.mark.parametrize("array", [np.array(0.5), np.zeros(0), np.ones(1), np.arange(6.0).reshape(2, 3),
                                   np.arange(12).reshape(3, 4)[:, ::2], np.zeros((2, 0, 3), dtype=np.float32)])
def test_arrays_keep_their_exact_shape_and_dtype(array):
    """A 0-d array stays 0-d (a student's squeezed result must not grow an axis), a view
    arrives with its own shape."""
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.shape == array.shape and back.dtype == array.dtype
    assert np.array_equal(back, array)


def test_arrays_and_pandas_round_trip():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.dtype == np.float32 and np.array_equal(back, array)
    assert roundtrip(np.array(["a", "bc"])).tolist() == ["a", "bc"]
    series = pd.Series([0.1, 0.2], index=["x", "y"], name="rate")
    pd.testing.assert_series_equal(roundtrip(series), series)
    frame = pd.DataFrame({"a": [1, 2], "b": ["u", "v"]})
    pd.testing.assert_frame_equal(roundtrip(frame), frame, check_dtype=False)


class AlwaysEqual:
    def __eq__(self, other):
        return True


class SneakyFloat(float):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("fake", [AlwaysEqual(), SneakyFloat(1.0), (x for x in range(3)), print])
def test_fakes_arrive_as_opaque_values_that_equal_nothing(fake):
    back = roundtrip(fake)
    assert isinstance(back, protocol.Opaque) and back != back and back != 1.0
    with pytest.raises(AssertionError):
        checks.check_number(back, 1.0, "value")


@pytest.mark.parametrize("tagged", [{"t": "float", "v": 1.0}, {"t": "ndarray", "dtype": "|O", "shape": [1], "v": ""},
                                    {"t": "nope"}, [1], {"t": "int", "v": "9" * 6000},
                                    {"t": "ndarray", "dtype": "<f8", "shape": [3], "v": "AAAA"}])
def test_malformed_values_are_rejected(tagged):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(tagged)


def test_frames_round_trip_and_oversized_frames_are_refused():
    read, write = os.pipe()
    protocol.send(write, {"op": "x", "n": 1})
    assert protocol.receive(read, timeout=1) == {"op": "x", "n": 1}
    os.write(write, (protocol.MAX_FRAME + 1).to_bytes(4, "big"))
    with pytest.raises(protocol.ProtocolError, match="exceeds"):
        protocol.receive(read, timeout=1)
    with pytest.raises(protocol.FrameTimeout):
        protocol.receive(read, timeout=0.1)


def test_object_arrays_carry_only_decoded_values_and_fail_numeric_checks():
    back = roundtrip(np.array([AlwaysEqual(), 1.0], dtype=object))
    assert type(back) is np.ndarray and back.dtype == object
    assert isinstance(back[0], protocol.Opaque) and back[1] == 1.0
    with pytest.raises(AssertionError):
        checks.check_array(back, [1.0, 1.0], "value")


def test_in_place_changes_to_arguments_cross_back_from_the_student_sandbox():
    """A student function that modifies its input is seen doing so by the tests, as in one kernel."""
    import numpy as np
    import pandas as pd

    from graders.engine.workers import instructor, student

    args = ([3, 1, 2], np.array([1.0, 2.0]), {"a": 1}, (1, 2), pd.Series([1.0, 2.0]))
    kwargs = {"tokens": ["x", "y"]}
    before = student._snapshots(args, kwargs)
    args[0].sort()
    args[1][0] = 9.0
    kwargs["tokens"].pop()
    args[4].iloc[1] = 5.0
    changed = student._changed(args, kwargs, before)
    assert sorted(changed) == ["0", "1", "4", "tokens"]  # the dict and the tuple did not change
    theirs = ([3, 1, 2], np.array([1.0, 2.0]), {"a": 1}, (1, 2), pd.Series([1.0, 2.0]))
    their_kwargs = {"tokens": ["x", "y"]}
    instructor._write_back(theirs, their_kwargs, changed)
    assert theirs[0] == [1, 2, 3] and theirs[1].tolist() == [9.0, 2.0] and their_kwargs["tokens"] == ["x"]
    assert theirs[4].tolist() == [1.0, 5.0]


@pytest.mark.parametrize(("sent", "shown"), [("AxisError", "AxisError"), ("numpy.exceptions.AxisError", "AxisError"),
                                             ("My Error!", "MyError"), ("9lives", "StudentCodeError")])
def test_a_student_exception_of_another_type_keeps_its_name_on_the_test_side(sent, shown):
    """The test worker re-raises a student's non-built-in exception as a StudentCodeError named
    after it, so a hidden test's reason reads "raised AxisError"."""
    from graders.engine.workers import instructor

    with pytest.raises(instructor.StudentCodeError) as caught:
        instructor._raise_remote({"type": sent, "message": "axis 1 is out of bounds"})
    assert type(caught.value).__name__ == shown and "axis 1 is out of bounds" in str(caught.value)
