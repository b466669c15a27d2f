"""A class with every kind of odd entry, graded with one command: one outcome each, nothing lost or leaked.

The submissions folder holds honest students (the canaries), folders with names an LMS roster
really has, links to the instructor's source and to a classmate, a named pipe, a stray file,
a huge file, a deep tree, notebooks with lone surrogates, null or mistyped nbgrader metadata,
an unparsable timestamp, and a seeded batch of structurally mutated notebooks
(tests/notebook_fuzz.py). One ``autograde`` run in the real sandbox must give:

- exactly one outcome per entry, in the gradebook and in reports/<assignment>.csv;
- the canaries exactly their solo points; nobody more than an honest answer deserves;
- links, pipes and stray files a failed outcome that says why, and nothing read through them;
- no change to the submissions folder or the instructor's source;
- feedback HTML without any hidden-test value.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
from pathlib import Path

import nbformat
import pytest
from adversarial_attacks import CORRECT, FULL, HALF, NAME, NOTEBOOK, PARTIAL, ZERO, build_source, render
from nbgrader_harness import cell_points, ops
from notebook_fuzz import mutant_text

from graders.collect import student_id_for
from graders.engine import sandbox
from graders.engine.sandbox import Limits

pytestmark = pytest.mark.slow

LIMITS = Limits(cell_timeout=10, notebook_timeout=90, memory_mb=2048, max_processes=64, max_output_kb=64,
                max_file_mb=16, tmp_mb=64)
FUZZ_SEED, FUZZ_COUNT = 20261207, 8
HIDDEN_VALUES = ("-1.5", "1.5)", "expected about -3", "Bias in DATA", "'bias', 'in', 'data'")


def _answers(release: dict, answers: dict[str, str]) -> dict:
    notebook = json.loads(json.dumps(release))
    for cell in notebook["cells"]:
        grade_id = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = render(answers[grade_id], token="")
    return notebook


def _tree(folder: Path) -> dict[str, str]:
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[str(path)] = "other"
    return found


@pytest.fixture(scope="module")
def odd_class(tmp_path_factory):
    sandbox.require_bwrap()
    course = tmp_path_factory.mktemp("odd_course")
    (course / "source" / NAME).mkdir(parents=True)
    nbformat.write(build_source(), course / "source" / NAME / NOTEBOOK)
    ops.release([NAME], course, quiet=True)
    release = json.loads((course / "release" / NAME / NOTEBOOK).read_text())
    inbox = tmp_path_factory.mktemp("odd_inbox")
    expected: dict[str, dict] = {}  # folder -> expected points per test cell (None: must fail)

    def hand_in(folder: str, notebook: dict | str, points: dict | None, sub: str = "") -> Path:
        target = inbox / folder / sub
        target.mkdir(parents=True, exist_ok=True)
        text = notebook if isinstance(notebook, str) else json.dumps(notebook, ensure_ascii=True)
        (target / NOTEBOOK).write_text(text)
        expected[folder] = points
        return target

    full, half = _answers(release, CORRECT), _answers(release, HALF)
    hand_in("honest_full", full, FULL)
    hand_in("honest_half", half, PARTIAL)
    for name in ("jane doe", "zoë_ünïcødé", "--x"):
        hand_in(name, full, FULL)
    hand_in("o'brien", half, PARTIAL, sub=NAME)  # notebooks inside an <assignment>/ subfolder
    (inbox / "thief").symlink_to(course / "source" / NAME)  # the instructor's source, solutions included
    expected["thief"] = None
    (inbox / "borrower").mkdir()
    (inbox / "borrower" / NAME).symlink_to(inbox / "honest_full")  # a classmate's work
    expected["borrower"] = None
    (inbox / "sneaky").mkdir()
    (inbox / "sneaky" / NOTEBOOK).symlink_to(course / "source" / NAME / NOTEBOOK)
    expected["sneaky"] = None
    (inbox / "piper").mkdir()
    os.mkfifo(inbox / "piper" / NOTEBOOK)
    expected["piper"] = None
    (inbox / "stray.ipynb").write_text(json.dumps(full))
    expected["stray.ipynb"] = None
    hoarder = hand_in("hoarder", full, FULL)
    with open(hoarder / "dataset.bin", "wb") as handle:  # 200 MB, sparse: cheap to make, over the cap
        handle.truncate(200 * 1024 * 1024)
    deep = hand_in("deep", full, FULL)
    for _ in range(40):
        deep = deep / "d"
    deep.mkdir(parents=True)
    surrogate = _answers(release, {**CORRECT, "q1_answer": CORRECT["q1_answer"] + "  # \ud800 lone"})
    hand_in("surrogate", surrogate, FULL)
    raiser = _answers(release, {**CORRECT, "q2_answer": "def tokens(text):\n    raise ValueError('\\ud800 boom')"})
    hand_in("raiser", raiser, {**FULL, "q2_tests": 0.0})
    nulled = json.loads(json.dumps(half))
    for cell in nulled["cells"]:
        if (cell["metadata"].get("nbgrader") or {}).get("grade_id") == "q2_answer":
            cell["metadata"]["nbgrader"] = None  # the student's q2 is lost: the stub runs instead
        if (cell["metadata"].get("nbgrader") or {}).get("grade_id") == "q1_answer":
            cell["metadata"]["nbgrader"]["grade_id"] = ["q1_answer"]
    hand_in("nulled", nulled, ZERO)
    # Right on the visible checks, wrong on the hidden ones: their feedback must not show hidden values.
    hand_in("abs_double", _answers(release, {**CORRECT, "q1_answer": "def double(x):\n    return 2 * abs(x)"}),
            {"q1_tests": 0.0, "q2_tests": 2.0, "q3_naive": 1.0})
    hand_in("split_space", _answers(release, {**CORRECT, "q2_answer": "def tokens(text):\n"
                                                                         "    return text.lower().split(' ')"}),
            {"q1_tests": 2.0, "q2_tests": 0.0, "q3_naive": 1.0})
    stamped = hand_in("stamped", full, FULL)
    (stamped / "timestamp.txt").write_text("the day before the deadline, honest")
    rng = random.Random(FUZZ_SEED)
    for k in range(FUZZ_COUNT):
        hand_in(f"fuzz{k:02d}", mutant_text(full, [rng.randrange(10**9) for _ in range(rng.randint(1, 4))]), {})
    inbox_before, source_before = _tree(inbox), _tree(course / "source")
    result = ops.autograde(NAME, course, inbox, limits=LIMITS, quiet=True, workers=2)
    yield course, inbox, expected, result, inbox_before, source_before
    (inbox / "piper" / NOTEBOOK).unlink()  # a pipe left in /tmp would block code that opens every file there


def _id(folder: str) -> str:
    return student_id_for(folder)


def test_every_entry_has_exactly_one_outcome_in_the_gradebook_and_the_report(odd_class):
    course, inbox, expected, result, *_ = odd_class
    assert sorted(expected) == sorted(os.listdir(inbox))
    ids = {_id(folder) for folder in expected}
    assert sorted(o.student for o in result.outcomes) == sorted(ids)
    assert ids == set(cell_points(course, NAME)), "every entry needs a gradebook row"
    with open(course / "reports" / f"{NAME}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["student"] for r in rows) == sorted(ids)
    assert {r["folder"].lstrip("'") for r in rows} == set(expected)  # the CSV guards a leading '-' with a quote


def test_honest_and_odd_names_get_their_solo_points_and_nobody_more(odd_class):
    course, _, expected, result, *_ = odd_class
    points = cell_points(course, NAME)
    for folder, want in expected.items():
        got = points[_id(folder)]
        if want is None:
            assert got == ZERO, f"{folder} must score nothing: {got}"
        elif want:
            assert got == want, f"{folder}: {got} != {want}"
        assert all(got[cell] <= FULL[cell] for cell in FULL), folder


def test_links_pipes_and_stray_files_fail_with_a_reason_and_leak_nothing(odd_class):
    course, _, expected, result, *_ = odd_class
    by_id = {o.student: o for o in result.outcomes}
    for folder, want in expected.items():
        if want is None:
            outcome = by_id[_id(folder)]
            assert outcome.status == "failed" and outcome.reason, folder
            copied = course / "submitted" / _id(folder) / NAME
            assert not any(copied.iterdir()), f"{folder}: nothing may be read through it"
    assert "symbolic link" in by_id["thief"].reason and "named pipe" in " ".join(by_id["piper"].flags)
    assert any("dataset.bin" in flag for flag in by_id["hoarder"].flags)
    assert not (course / "submitted" / "hoarder" / NAME / "dataset.bin").exists()
    assert any("timestamp" in flag for flag in by_id["stamped"].flags)
    assert any("nbgrader" in flag or "grade_id" in flag for flag in by_id["nulled"].flags)


def test_nothing_outside_the_sandbox_changed(odd_class):
    course, inbox, _, _, inbox_before, source_before = odd_class
    assert _tree(inbox) == inbox_before
    assert _tree(course / "source") == source_before


def test_feedback_shows_no_hidden_test_value(odd_class):
    course, _, _, result, *_ = odd_class
    ops.feedback(NAME, course, quiet=True)
    pages = list((course / "feedback").rglob("*.html"))
    assert len(pages) >= len([o for o in result.outcomes if o.status == "graded"])
    hidden_failures = [o.tests["q1_tests"]["error"]["message"] for o in result.outcomes if o.student == "abs_double"]
    assert hidden_failures and "a hidden test failed: double(-…)" in hidden_failures[0]
    for page in pages:
        text = re.sub(r"<(style|script)\b.*?</\1>", "", page.read_text(encoding="utf-8"), flags=re.S)  # CSS has 1.5
        leaked = [value for value in HIDDEN_VALUES if value in text]
        assert not leaked, f"{page}: {leaked}"
