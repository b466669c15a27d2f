"""Unusual files, names and notebook JSON never crash collection or grading, and leak nothing.

Unit tests of graders/engine/files.py (regular files only, bounded walks, removal of any
tree), graders/collect.py (one id per entry, whatever its name; links never followed) and the
engine's notebook reader (any JSON becomes a notebook or a clear reason, never a crash).
The class-level run with a real sandbox is in tests/test_odd_class.py.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graders import collect
from graders.engine import files, text
from graders.engine.submission import read_timestamp
from graders.engine.validate import cells_by_grade_id, compare_with_source, read_submission

GOOD = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_code_cell("def f(x):\n    return x\n", metadata={"nbgrader": {
        "grade_id": "answer", "solution": True, "grade": False, "locked": False, "schema_version": 3}}),
])


def _finishes(function, *args, seconds: float = 60):
    """Run ``function`` in a thread; fail (instead of hanging the suite) if it blocks."""
    box: dict = {}

    def run():
        try:
            box["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{getattr(function, '__name__', 'the call')} blocked"
    if "error" in box:
        raise box["error"]
    return box.get("value")


# ---------------------------------------------------------------- files


def test_only_regular_files_are_read(tmp_path, make_fifo):
    (tmp_path / "plain.txt").write_text("ok")
    (tmp_path / "link").symlink_to("/etc/hostname")
    make_fifo(tmp_path / "pipe")
    for name in ("link", "pipe"):
        with pytest.raises(files.UnsafeFile):
            _finishes(files.read_regular, tmp_path / name, 1000)
    assert files.read_regular(tmp_path / "plain.txt", 1000) == b"ok"
    with pytest.raises(files.UnsafeFile, match="limit"):
        files.read_regular(tmp_path / "plain.txt", 1)


def test_a_walk_is_bounded_and_says_what_it_left_out(tmp_path, make_fifo):
    (tmp_path / "keep.txt").write_text("a")
    (tmp_path / "secret").symlink_to(tmp_path.parent)
    make_fifo(tmp_path / "pipe")
    deep = tmp_path
    for _ in range(12):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "far.txt").write_text("b")
    (tmp_path / "big.bin").write_bytes(b"x" * 5000)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    walk = _finishes(files.read_tree, tmp_path, files.Caps(max_bytes=1000, max_files=10, max_depth=4))
    assert set(walk.files) == {"keep.txt"}
    left_out = " ".join(walk.left_out)
    assert "secret is a symbolic link" in left_out and "pipe is a named pipe" in left_out
    assert "deeper than 4" in left_out and "big.bin" in left_out and "checkpoints" not in left_out
    many = tmp_path / "many"
    many.mkdir()
    for i in range(30):
        (many / f"{i:02d}.txt").write_text("c")
    assert len(files.read_tree(many, files.Caps(max_files=10)).files) == 10
    assert files.read_tree(tmp_path / "secret", files.Caps()).files == {}  # a link to a folder: not followed


def test_remove_tree_takes_any_shape(tmp_path):
    root = tmp_path / "work"
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    for _ in range(3000):  # deeper than PATH_MAX and than Python's recursion limit
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.symlink(str(tmp_path / "outside"), "link", dir_fd=fd)
    os.close(fd)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "precious.txt").write_text("keep me")
    odd = root / "zoë \udcff 'name'"
    odd.mkdir()
    (odd / "locked").mkdir()
    (odd / "locked" / "f").write_text("x")
    os.chmod(odd / "locked", 0)
    files.remove_tree(root)
    assert not root.exists()
    assert (tmp_path / "outside" / "precious.txt").read_text() == "keep me"


# ---------------------------------------------------------------- student ids and collection


@pytest.mark.parametrize("name", ["jane doe", "zoë_ünïcødé", "o'brien", "--x", "-", "a" * 90, "\udcff", "日本語",
                                  "..", "x;rm -rf /", "Jane Doe"])
def test_any_folder_name_maps_to_a_safe_distinct_id(name):
    sid = collect.student_id_for(name)
    assert collect.SAFE_ID.match(sid) and not sid.startswith("-")
    assert sid == collect.student_id_for(name)  # deterministic
    assert sid != collect.student_id_for(name + " ")


def test_safe_names_keep_their_id():
    for name in ("alice", "s1234567", "jo.smith", "ab-c_d"):
        assert collect.student_id_for(name) == name


def _course(tmp_path: Path) -> tuple[Path, Path]:
    course = tmp_path / "course"
    (course / "source" / "01_x").mkdir(parents=True)
    (course / "source" / "01_x" / "01_x.ipynb").write_text(nbformat.writes(GOOD))
    (course / "release" / "01_x").mkdir(parents=True)
    (course / "release" / "01_x" / "01_x.ipynb").write_text(nbformat.writes(GOOD))
    return course, tmp_path / "inbox"


def test_every_entry_is_collected_once_and_links_are_never_followed(tmp_path, make_fifo):
    course, inbox = _course(tmp_path)
    good = nbformat.writes(GOOD)
    for name in ("alice", "jane doe", "zoë_ünïcødé", "o'brien", "--x"):
        (inbox / name).mkdir(parents=True)
        (inbox / name / "01_x.ipynb").write_text(good)
    (inbox / "nested" / "01_x").mkdir(parents=True)
    (inbox / "nested" / "01_x" / "01_x.ipynb").write_text(good)
    (inbox / "thief").symlink_to(course / "source")  # a link to the instructor's source
    (inbox / "borrower").mkdir()
    (inbox / "borrower" / "01_x").symlink_to(inbox / "alice")  # a link to a classmate
    (inbox / "sneaky").mkdir()
    (inbox / "sneaky" / "01_x.ipynb").symlink_to(course / "source" / "01_x" / "01_x.ipynb")
    (inbox / "piper").mkdir()
    make_fifo(inbox / "piper" / "01_x.ipynb")
    (inbox / "hoarder").mkdir()
    (inbox / "hoarder" / "01_x.ipynb").write_text(good)
    (inbox / "hoarder" / "data.bin").write_bytes(b"\0" * 3_000_000)
    (inbox / "stray.txt").write_text("not a folder")
    before = sorted(str(p) for p in inbox.rglob("*"))
    entries = _finishes(lambda: collect.collect("01_x", inbox, course, caps=files.Caps(max_bytes=2_000_000)))
    by_folder = {e.folder: e for e in entries}
    assert len(entries) == len(os.listdir(inbox)) == len({e.student for e in entries})
    for name in ("alice", "jane doe", "zoë_ünïcødé", "o'brien", "--x", "nested", "hoarder"):
        entry = by_folder[name]
        assert not entry.problem and entry.notebooks == ["01_x.ipynb"], entry
        assert (course / "submitted" / entry.student / "01_x" / "01_x.ipynb").read_text() == good
    for name in ("thief", "borrower", "sneaky", "piper", "stray.txt"):
        entry = by_folder[name]
        assert entry.problem, entry
        copied = course / "submitted" / entry.student / "01_x"
        assert copied.is_dir() and not any(copied.iterdir()), f"{name}: nothing may be copied"
    assert "symbolic link" in " ".join(by_folder["sneaky"].flags)
    assert "named pipe" in " ".join(by_folder["piper"].flags)
    assert any("data.bin" in flag for flag in by_folder["hoarder"].flags)
    assert not (course / "submitted" / by_folder["hoarder"].student / "01_x" / "data.bin").exists()
    assert sorted(str(p) for p in inbox.rglob("*")) == before


def test_a_roster_names_the_ids(tmp_path):
    course, inbox = _course(tmp_path)
    (inbox / "Jane Doe").mkdir(parents=True)
    (inbox / "Jane Doe" / "01_x.ipynb").write_text(nbformat.writes(GOOD))
    roster = tmp_path / "roster.csv"
    roster.write_text("folder,student_id\nJane Doe,jdoe42\n")
    entries = collect.collect("01_x", inbox, course, roster=collect.read_roster(roster))
    assert [e.student for e in entries] == ["jdoe42"]
    roster.write_text("folder,student_id\nJane Doe,--oops\n")
    with pytest.raises(collect.CollectError, match="student_id"):
        collect.read_roster(roster)


def test_collected_findings_reach_the_outcomes(tmp_path):
    from graders.engine.outcomes import Outcome, write_report

    entries = [collect.Entry("jane doe", "jane_doe-ed37d99b", flags=["left out: x is a named pipe"]),
               collect.Entry("thief", "thief", problem="thief is a symbolic link in the submissions folder")]
    collect.save_entries(entries, tmp_path / "collected.json")
    outcomes = [Outcome("jane_doe-ed37d99b"), Outcome("thief", status="failed", flags=["01_x.ipynb was not submitted"])]
    collect.merge_into(outcomes, collect.load_entries(tmp_path / "collected.json"))
    assert outcomes[0].folder == "jane doe" and outcomes[0].flags == ["left out: x is a named pipe"]
    assert outcomes[1].status == "failed" and outcomes[1].reason.startswith("thief is a symbolic link")
    assert not any("not submitted" in f for f in outcomes[1].flags)
    report = write_report("01_x", tmp_path, outcomes)
    assert "jane doe" in report.read_text(encoding="utf-8")


# ---------------------------------------------------------------- notebook JSON and text


def _cell(**fields) -> dict:
    cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "answer", "solution": True}},
            "source": "def f(x):\n    return x\n", "outputs": [], "execution_count": None}
    cell.update(fields)
    return cell


ODD_CELLS = {
    "nbgrader null": _cell(metadata={"nbgrader": None}),
    "grade_id a list": _cell(metadata={"nbgrader": {"grade_id": ["answer"], "solution": True}}),
    "source a number": _cell(source=42),
    "no cell_type": {k: v for k, v in _cell().items() if k != "cell_type"},
    "a string for a cell": "print('hi')",
    "metadata a list": _cell(metadata=[1, 2]),
    "lone surrogate": _cell(source="def f(x):\n    return '\ud800'\n"),
    "solution a string": _cell(metadata={"nbgrader": {"grade_id": "answer", "solution": "yes"}}),
    "outputs garbage": _cell(outputs="lots", execution_count="seven"),
    "huge source": _cell(source="x = 1\n" * 200_000),
}


@pytest.mark.parametrize("case", list(ODD_CELLS))
def test_odd_notebook_json_is_read_or_refused_never_a_crash(tmp_path, case):
    raw = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [ODD_CELLS[case]]}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(raw))
    notebook, flags, fatal = read_submission(path)
    assert notebook is not None and not fatal
    compare_with_source(notebook, GOOD, GOOD)
    nbformat.write(notebook, tmp_path / "out.ipynb")  # what the grader writes must be writable
    assert all("\ud800" not in flag for flag in flags)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                                      max_size=4), max_leaves=20))
def test_any_json_gives_a_notebook_or_a_reason(tmp_path, value):
    path = tmp_path / "any.ipynb"
    for document in (value, {"cells": value}, {"nbformat": 4, "cells": [value]},
                     {"nbformat": 4, "cells": [{"cell_type": "code", "source": value, "metadata": value}]}):
        path.write_text(json.dumps(document))
        notebook, _, fatal = read_submission(path)
        assert (notebook is None) == bool(fatal)
        if notebook is not None:
            cells_by_grade_id(notebook)
            compare_with_source(notebook, GOOD, GOOD)
            nbformat.writes(notebook)


def test_unreadable_submission_files_give_reasons(tmp_path, make_fifo):
    (tmp_path / "bad.ipynb").write_bytes(b"\xff\xfe not json")
    assert "not valid JSON" in read_submission(tmp_path / "bad.ipynb")[2]
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "bad.ipynb")
    assert "symbolic link" in read_submission(tmp_path / "link.ipynb")[2]
    make_fifo(tmp_path / "pipe.ipynb")
    assert "named pipe" in _finishes(read_submission, tmp_path / "pipe.ipynb")[2]


@pytest.mark.parametrize("stamp, ok", [("2026-12-01 10:00:00.000000 UTC", True), ("2026-12-01T10:00:00", True),
                                       ("not a date", False), ("9" * 500, False), ("", False)])
def test_timestamps_nbgrader_cannot_parse_are_left_out(tmp_path, stamp, ok):
    (tmp_path / "timestamp.txt").write_text(stamp)
    value, problem = read_timestamp(tmp_path / "timestamp.txt")
    assert (value is not None) == ok and bool(problem) != ok


def test_clean_text_makes_any_string_writable():
    dirty = "a\ud800b\x00c\x1bd\te\nf"
    clean = text.clean_text(dirty)
    clean.encode("utf-8")
    assert clean == "a\ufffdbcd\te\nf"
    assert text.clean_tree({"k\udc80": ["\ud800", 1]}) == {"k\ufffd": ["\ufffd", 1]}
    assert text.clean_text("x" * 50, 10).startswith("x" * 10) and len(text.clean_text("x" * 50, 10)) < 20


# ---------------------------------------------------------------- hidden tests stay hidden


HIDDEN_CELL = '''from raikit.checks import check_number
check_number(f(1.0), 2.0, "f(1.0)", hint="double it")
### BEGIN HIDDEN TESTS
_secret = -1.5
check_number(f(_secret), 2 * _secret, f"f on the hidden value {_secret}", hint="negative inputs too")
### END HIDDEN TESTS
print("Q1: the visible checks passed; the hidden tests try more cases at grading.")
'''


def test_a_test_cell_splits_into_visible_and_hidden_segments():
    from graders.engine.workers import hidden

    pieces = hidden.segments(HIDDEN_CELL)
    assert [is_hidden for is_hidden, _ in pieces] == [False, True, False]
    assert "_secret = -1.5" in pieces[1][1] and "BEGIN" not in pieces[1][1]
    for _, code in pieces:  # line numbers are the cell's (padding is comment lines)
        lines = code.splitlines()
        first = next(i for i, line in enumerate(lines) if line != "#")
        assert HIDDEN_CELL.splitlines()[first] == lines[first]


def test_a_failing_hidden_check_shows_only_what_the_instructor_typed():
    from graders.engine.workers import hidden
    from raikit.checks import check_number

    code = dict(enumerate(hidden.segments(HIDDEN_CELL)))[1][1]
    namespace = {"check_number": check_number, "f": lambda x: abs(x) * 2}
    try:
        exec(compile(code, "<cell>", "exec"), namespace)
    except AssertionError as exc:
        assert "-1.5" in str(exc) and "-3" in str(exc)  # what the raw message would have leaked
        shown = hidden.hidden_message(exc, code)
    assert shown["type"] == "AssertionError"
    assert "f on the hidden value …" in shown["message"] and "negative inputs too" in shown["message"]
    assert "-1.5" not in shown["message"] and "3" not in shown["message"]


def test_a_hidden_label_may_quote_what_the_notebook_already_shows():
    """A value the student can read in the notebook (the question says "steps 1-5", a visible
    test uses "leetspeak") stays readable in a hidden label; one only the hidden code holds is
    masked."""
    from graders.engine.workers import hidden
    from raikit.checks import check_equal

    code = ("#\nfor kind in ['leetspeak', 'homoglyph']:\n"
            "    check_equal(f(kind, 1, 5, 'qwertyuiop'), 0, f'after the {kind} attack, steps 1-5, qwertyuiop')\n")
    visible_cell = {"source": "check_equal(f('leetspeak', 0, 0, ''), 0, 'visible')\n### BEGIN HIDDEN TESTS\n"
                              "check_equal(f('homoglyph'), 0, 'x')\n### END HIDDEN TESTS\n"}
    public = hidden.public_text([visible_cell]) + "\nApply these steps 1-5 in order."
    assert "homoglyph" not in public
    try:
        exec(compile(code, "<cell>", "exec"), {"check_equal": check_equal, "f": lambda *a: 1})
    except AssertionError as exc:
        shown = hidden.hidden_message(exc, code, public)["message"]
        masked = hidden.hidden_message(exc, code)["message"]
    assert "steps 1-5" in shown and "qwertyuiop" not in shown
    assert "steps …-…" in masked and "qwertyuiop" not in masked


def test_a_notebooks_own_check_helper_labels_a_hidden_failure():
    """A check_* helper written in the notebook (check_rates(value, expected, "label")) labels a
    failure with its string argument, not "line N of the hidden tests"."""
    from graders.engine.workers import hidden

    code = ("#\ndef check_rates(value, expected, name):\n    raise AssertionError(f'{name}: got {value}')\n"
            "check_rates(f(0.123), 0.5, 'group_rates with a single group')\n")

    def run():
        exec(compile(code, "<cell>", "exec"), {"f": lambda x: x})

    try:
        run()
    except AssertionError as exc:
        shown = hidden.hidden_message(exc, code)["message"]
    assert "group_rates with a single group" in shown and "0.123" not in shown


def test_a_student_exception_quoting_its_input_is_not_shown():
    from graders.engine.workers import hidden

    code = "#\n#\n#\ncheck_number(f(_secret), 0.0, 'f on a negative number')\n"

    def f(x):
        raise ValueError(f"HIDDEN INPUT {x}")

    try:
        exec(compile(code, "<cell>", "exec"), {"check_number": None, "f": f, "_secret": -1.5})
    except ValueError as exc:
        shown = hidden.hidden_message(exc, code)
    assert "HIDDEN INPUT" not in shown["message"] and "f on a negative number" in shown["message"]
    assert "ValueError" in shown["message"]


# ---------------------------------------------------------------- structural fuzzing, in-process


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=0, max_value=2**31), min_size=1, max_size=6))
def test_mutated_notebooks_go_through_the_whole_pipeline(choices):
    """Mutants of a real source (tests/notebook_fuzz.py) are read, compared, planned and rebuilt
    into a graded notebook that nbformat writes, or refused with a reason: never a crash."""
    import tempfile

    from adversarial_attacks import build_source
    from notebook_fuzz import mutant_text

    from graders.engine.student_session import student_plan
    from graders.engine.submission import graded_notebook

    source = build_source()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutant.ipynb"
        path.write_text(mutant_text(json.loads(nbformat.writes(source)), choices))
        notebook, flags, fatal = read_submission(path)
    assert (notebook is None) == bool(fatal)
    for flag in flags:
        flag.encode("utf-8")
    if notebook is not None:
        compare_with_source(notebook, source, source)
        student_plan(notebook, source, source)
        nbformat.writes(graded_notebook(source, source, notebook, None, {}))


def test_a_hidden_reference_check_shows_its_case_description_only():
    from graders.engine.workers import hidden
    from raikit.checks import Case, check_against_reference

    code = "#\n#\ncheck_against_reference(f, ref, CASES, 'mean')\n"
    cases = [Case("a list of 7.25 and 1.5", ([7.25, 1.5],))]
    try:
        exec(compile(code, "<cell>", "exec"), {"check_against_reference": check_against_reference, "CASES": cases,
                                                "f": lambda v: 0.0, "ref": lambda v: sum(v) / len(v)})
    except AssertionError as exc:
        assert "4.375" in str(exc)  # the expected value, which the raw message shows
        shown = hidden.hidden_message(exc, code)
    assert "mean, a list of 7.25 and 1.5" in shown["message"] and "4.375" not in shown["message"]


def test_a_hidden_failure_says_what_went_wrong_when_no_value_is_involved():
    """A student whose function changes its input is told so, not only the case where it happened;
    and a hidden literal is masked only as a whole word ('ref' leaves 'reference' readable)."""
    from graders.engine.workers import hidden
    from raikit.checks import Case, check_against_reference

    code = ("#\ncheck_against_reference(smallest, lambda v: sorted(v)[0], "
            "[Case('a list whose reference is not first', ([3, 1, 2],), {}), Case('ref', ([5],))], "
            "'smallest', compare='integer')\n")

    def sorts_in_place(values):
        values.sort()
        return values[0]

    namespace = {"check_against_reference": check_against_reference, "Case": Case, "smallest": sorts_in_place}
    try:
        exec(compile(code, "<cell>", "exec"), namespace)
    except AssertionError as exc:
        shown = hidden.hidden_message(exc, code)
    assert "smallest, a list whose reference is not first: the function changed its input in place" \
        in shown["message"], shown
    assert "3" not in shown["message"].split("\n")[0].replace("smallest", "")

    namespace["smallest"] = lambda values: 0  # wrong, with no value to hide in the reason
    try:
        exec(compile(code, "<cell>", "exec"), namespace)
    except AssertionError as exc:
        shown = hidden.hidden_message(exc, code)
    first = shown["message"].split("\n")[0]
    assert first == "a hidden test failed: smallest, a list whose reference is not first", first
    assert hidden.redact("a ref, the reference, refs", ["ref"]) == "a …, the reference, refs"
