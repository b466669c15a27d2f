"""The learner's progress view (raikit/learner/progress.py, `raikit-progress`, learner/progress.ipynb).

Unit tests pin the status and message logic on plain data. Slow tests run real nbgrader:
a tiny assignment released by nbgrader and copied into a workspace in several states (ready,
half done, edited tests, endless loop, syntax error); the real course released into a
workspace (solution, untouched, corrupt, renamed, absent) with the cache; every assignment's
``wrong`` fixture, whose failing visible tests must explain themselves; and the notebook.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS, ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader_harness import cell_meta, fill_cells, load_fixtures, ops, solution_submission
from raikit.progress import (
    CORRUPT,
    EDITED,
    IN_PROGRESS,
    MISSING,
    NOT_STARTED,
    READY,
    TIMED_OUT,
    ModuleProgress,
    VisibleTest,
    WrittenAnswer,
)

from raikit import progress

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOK = ROOT / "learner" / "progress.ipynb"


# ---------------------------------------------------------------- unit tests: messages and statuses

def _error(ename, evalue="", traceback=()):
    return {"error": {"ename": ename, "evalue": evalue, "traceback": list(traceback)}, "stderr": ""}


def test_check_message_is_passed_through_with_its_hint():
    kind, message = progress.failure_message(
        _error("AssertionError", "double(2.0): expected about 4, but got 5.\nHint: multiply by 2."), {})
    assert kind == "check"
    assert message == "double(2.0): expected about 4, but got 5.\nHint: multiply by 2."


def test_bare_assert_names_the_failing_line():
    traceback = ["\x1b[0;31mAssertionError\x1b[0m  Traceback",
                 "Cell \x1b[0;32mIn[3], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m \x1b[38;5;28;01massert\x1b[39;00m "
                 "double(3.0) == 6.0\n", "AssertionError: "]
    kind, message = progress.failure_message(_error("AssertionError", "", traceback), {})
    assert kind == "bare-assert"
    assert "`assert double(3.0) == 6.0`" in message


def test_not_implemented_names_the_function_and_the_fix():
    traceback = ["Cell In[2], line 3, in greet(name)\n      1 def greet(name):\n"
                 "----> 3     raise NotImplementedError()"]
    kind, message = progress.failure_message(_error("NotImplementedError", "", traceback), {})
    assert kind == "not-implemented"
    assert message.startswith("greet() still raises NotImplementedError")
    assert "replace `raise NotImplementedError()`" in message


def test_an_error_in_the_answer_cell_is_named_first():
    kind, message = progress.failure_message(_error("NameError", "name 'double' is not defined"),
                                             {"q1_answer": "SyntaxError: invalid syntax"})
    assert kind == "error"
    assert "name 'double' is not defined" in message
    assert "Your answer cell q1_answer itself raised SyntaxError: invalid syntax: fix that first." in message


def test_timeouts_and_stderr_get_their_own_explanations():
    assert progress.failure_message(_error("CellTimeoutError"), {}, cell_timeout=120)[0] == "timeout"
    assert progress.failure_message(_error("KeyboardInterrupt"), {})[0] == "timeout"
    assert "120 s" in progress.failure_message(_error("CellTimeoutError"), {}, cell_timeout=120)[1]
    kind, message = progress.failure_message({"error": None, "stderr": "Traceback? no: oops\n"}, {})
    assert kind == "stderr" and "oops" in message


def _validation(scores, filled=(True,), changed=()):
    cells = [{"kind": "test", "grade_id": f"q{i}_tests", "points": 2.0, "score": score, "answers": [f"q{i}_answer"],
              "error": None if score == 2.0 else {"ename": "AssertionError", "evalue": f"q{i}: wrong", "traceback": []},
              "stderr": ""} for i, score in enumerate(scores, 1)]
    cells += [{"kind": "written", "grade_id": f"written_{i}", "points": 3.0, "filled": f}
              for i, f in enumerate(filled, 1)]
    return {"cells": cells, "changed": list(changed), "type_changed": [], "answer_errors": {}}


def test_summary_ready_only_when_visible_tests_pass_and_answers_are_written():
    ready = progress.summarise("01_x", "X", "nb", _validation([2.0, 2.0]))
    assert ready.status == READY and ready.points_passed == 4 and ready.fraction == 1.0
    unwritten = progress.summarise("01_x", "X", "nb", _validation([2.0, 2.0], filled=(False,)))
    assert unwritten.status == IN_PROGRESS and unwritten.message == "1 written answer(s) to write."
    half = progress.summarise("01_x", "X", "nb", _validation([2.0, 0.0]))
    assert half.status == IN_PROGRESS and (half.tests_passed, half.points_passed, half.points_total) == (1, 2, 4)
    assert half.tests[1].message == "q2: wrong" and half.tests[1].kind == "check"


def test_an_edited_test_cell_never_counts_as_passed():
    edited = progress.summarise("01_x", "X", "nb", _validation([2.0, 2.0], changed=["q1_tests"]))
    assert edited.status == EDITED and "q1_tests" in edited.message
    assert [t.passed for t in edited.tests] == [False, True]
    assert edited.tests[0].kind == "edited"


def test_a_changed_cell_type_stops_the_check():
    validation = _validation([None, None])
    validation["type_changed"] = ["q1_answer"]
    result = progress.summarise("01_x", "X", "nb", validation)
    assert result.status == EDITED and "q1_answer" in result.message
    assert {t.kind for t in result.tests} == {"edited"} and result.tests_passed == 0


def test_written_answer_placeholder_is_not_an_answer():
    assert not progress.is_filled("YOUR ANSWER HERE")
    assert not progress.is_filled("  \n")
    assert progress.is_filled("YOUR ANSWER HERE\n\nAccess to the training data, because...")


def test_module_selection_accepts_numbers_and_names():
    known = ["00_orientation", "03_fairness", "12_governance"]
    assert progress.select_modules(["03"], known) == ["03_fairness"]
    assert progress.select_modules(["3", "fairness", "12_governance"], known) == ["03_fairness", "12_governance"]
    with pytest.raises(progress.ProgressError, match="No module '7'.*00_orientation, 03_fairness"):
        progress.select_modules(["7"], known)


def test_overall_line_and_table():
    results = [
        ModuleProgress("00_a", "A", READY, tests=[VisibleTest("t", 3.0, True)], written=[WrittenAnswer("w", 2, True)]),
        ModuleProgress("01_b", "B", IN_PROGRESS, written=[WrittenAnswer("w", 2, False)],
                       tests=[VisibleTest("t", 3.0, True), VisibleTest("u", 1.0, False, "no")]),
        ModuleProgress("02_c", "C", NOT_STARTED, tests=[VisibleTest("t", 4.0)]),
    ]
    assert progress.overall(results) == ("Overall: 3 module(s): 1 ready to submit, 1 in progress, 1 not started. "
                                         "Points of passing visible tests 6/11 (55%); written answers filled 1/2.")
    table = progress.format_table(results).splitlines()
    assert table[0].split() == ["#", "module", "status", "visible", "tests", "points", "written", "checked"]
    assert table[3].split()[:6] == ["01", "B", "in", "progress", "1/2", "3/4"]
    assert "u (1 pt): no" in progress.format_failures(results)


def test_plot_is_titled_labelled_and_uses_the_palette():
    from matplotlib.colors import to_hex

    from raikit.plotting import OKABE_ITO

    results = [ModuleProgress("00_a", "A", READY, tests=[VisibleTest("t", 2.0, True)]),
               ModuleProgress("01_b", "B", IN_PROGRESS, tests=[VisibleTest("t", 2.0, True), VisibleTest("u", 2.0)]),
               ModuleProgress("02_c", "C", CORRUPT)]
    ax = progress.plot_progress(results)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert [round(bar.get_width()) for bar in ax.patches] == [100, 50, 0]
    assert {to_hex(bar.get_facecolor()).upper() for bar in ax.patches} <= set(OKABE_ITO.values())
    assert [t.get_text() for t in ax.texts] == [READY, IN_PROGRESS, CORRUPT], "status in words, not colour alone"


def test_result_survives_the_cache_round_trip(tmp_path):
    result = ModuleProgress("00_a", "A", IN_PROGRESS, "m", "nb", [VisibleTest("t", 3.0, False, "why", "check")],
                            [WrittenAnswer("w", 2.0, True)], 4.2)
    progress.save_cache(tmp_path, {"00_a": {"digest": "d", "result": result.to_dict()}})
    assert ModuleProgress.from_dict(progress.load_cache(tmp_path)["00_a"]["result"]) == result
    assert progress._from_cache({"00_a": {"digest": "d", "result": {"name": "00_a"}}}, "00_a", "d") is None
    assert progress._from_cache(progress.load_cache(tmp_path), "00_a", "other content") is None
    (tmp_path / progress.CACHE_NAME).write_text("{not json", encoding="utf-8")
    assert progress.load_cache(tmp_path) == {}, "a damaged cache is ignored, not fatal"


def test_problems_get_statuses_without_running_anything(tmp_path):
    """No copy, a renamed copy, a corrupt file, a notebook without nbgrader cells: statuses, never exceptions."""
    (tmp_path / "01_evaluation").mkdir()
    (tmp_path / "01_evaluation" / "01_evaluation (copy).ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "02_calibration").mkdir()
    (tmp_path / "02_calibration" / "02_calibration.ipynb").write_text('{"cells": [', encoding="utf-8")
    (tmp_path / "03_fairness").mkdir()
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), tmp_path / "03_fairness" / "03_fairness.ipynb")
    results = {r.name: r for r in progress.collect(tmp_path, ["00", "01", "02", "03"])}
    assert results["00_orientation"].status == NOT_STARTED and "make workspace" in results["00_orientation"].message
    assert results["00_orientation"].points_total == 10, "totals come from the source when there is no copy"
    assert results["01_evaluation"].status == MISSING
    assert "01_evaluation (copy).ipynb" in results["01_evaluation"].message
    assert results["02_calibration"].status == CORRUPT and "cannot be read" in results["02_calibration"].message
    assert results["03_fairness"].status == CORRUPT and "no nbgrader cells" in results["03_fairness"].message


def test_command_refuses_a_workspace_that_does_not_exist(tmp_path, capsys):
    assert progress.main(["--workspace", str(tmp_path / "nowhere")]) == 2
    assert "make workspace" in capsys.readouterr().err


def test_progress_notebook_is_clean_source():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert all(c.get("id") for c in notebook.cells)
    assert all(not c.outputs and c.execution_count is None for c in notebook.cells if c.cell_type == "code")
    assert "Alt text:" in "".join(c.source for c in notebook.cells if c.cell_type == "markdown")


# ---------------------------------------------------------------- slow: a tiny assignment released by nbgrader

TINY = "98_tiny"
DOUBLE = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
GREET = "def greet(name):\n    ### BEGIN SOLUTION\n    return 'Hello, ' + name\n    ### END SOLUTION\n"


def _tiny_source() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        new_markdown_cell("# Assignment 98: Tiny checks", metadata=cell_meta(locked=True, grade_id="intro")),
        new_code_cell(DOUBLE, metadata=cell_meta(solution=True, grade_id="q1_answer")),
        new_code_cell("from raikit.checks import check_number\n"
                      "check_number(double(2.0), 4.0, 'double(2.0)', hint='multiply x by 2.')",
                      metadata=cell_meta(grade=True, locked=True, points=2, grade_id="q1_tests")),
        new_code_cell("assert double(3.0) == 6.0",
                      metadata=cell_meta(grade=True, locked=True, points=1, grade_id="q1_bare")),
        new_code_cell(GREET, metadata=cell_meta(solution=True, grade_id="q2_answer")),
        new_code_cell("from raikit.checks import check_equal\n"
                      "check_equal(greet('Ada'), 'Hello, Ada', \"greet('Ada')\")",
                      metadata=cell_meta(grade=True, locked=True, points=1, grade_id="q2_tests")),
        new_markdown_cell("Why?", metadata=cell_meta(solution=True, grade=True, points=2, grade_id="written_1")),
    ]
    return notebook


@pytest.fixture(scope="module")
def tiny_release(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("tiny_course")
    (course / "source" / TINY).mkdir(parents=True)
    nbformat.write(_tiny_source(), course / "source" / TINY / f"{TINY}.ipynb")
    ops.release([TINY], course, quiet=True)
    return course


def _tiny_copy(course: Path, workspace: Path, name: str, answers: dict[str, str]) -> Path:
    out = workspace / name / f"{name}.ipynb"
    fill_cells(course / "release" / TINY / f"{TINY}.ipynb", answers, out)
    return out


@pytest.mark.slow
def test_tiny_workspace_statuses_and_messages(tiny_release, tmp_path):
    solved = {"q1_answer": "def double(x):\n    return 2 * x",
              "q2_answer": "def greet(name):\n    return 'Hello, ' + name"}
    _tiny_copy(tiny_release, tmp_path, "91_ready", {**solved, "written_1": "Because it is twice."})
    _tiny_copy(tiny_release, tmp_path, "92_half", {"q1_answer": "def double(x):\n    return 2 * x + 1"})
    edited = _tiny_copy(tiny_release, tmp_path, "93_edited", solved)
    notebook = nbformat.read(edited, as_version=4)
    notebook.cells[2].source = "pass  # the learner emptied the test"
    notebook.cells[2].metadata.nbgrader["grade_id"] = "q1_tests"
    nbformat.write(notebook, edited)
    _tiny_copy(tiny_release, tmp_path, "94_syntax", {"q1_answer": "def double(x)\n    return 2 * x"})
    _tiny_copy(tiny_release, tmp_path, "95_untouched", {})

    results = {r.name: r for r in progress.collect(tmp_path, ["91", "92", "93", "94", "95"])}

    ready = results["91_ready"]
    assert ready.status == READY, ready
    assert (ready.tests_passed, ready.points_passed, ready.points_total, ready.written_filled) == (3, 4, 4, 1)
    assert ready.title == "Tiny checks"

    half = {t.grade_id: t for t in results["92_half"].tests}
    assert results["92_half"].status == IN_PROGRESS and results["92_half"].points_passed == 0
    assert half["q1_tests"].kind == "check"
    assert half["q1_tests"].message == "double(2.0): expected about 4, but got 5.\nHint: multiply x by 2."
    assert half["q1_bare"].kind == "bare-assert" and "`assert double(3.0) == 6.0`" in half["q1_bare"].message
    assert half["q2_tests"].kind == "not-implemented" and half["q2_tests"].message.startswith("greet() still raises")

    assert results["93_edited"].status == EDITED
    assert [t.passed for t in results["93_edited"].tests] == [False, True, True]

    syntax = {t.grade_id: t for t in results["94_syntax"].tests}
    assert "Your answer cell q1_answer itself raised SyntaxError" in syntax["q1_tests"].message

    untouched = results["95_untouched"]
    assert untouched.status == NOT_STARTED and untouched.seconds < 1, "an untouched notebook is not run"


@pytest.mark.slow
def test_endless_loop_is_stopped_and_the_rest_is_still_checked(tiny_release, tmp_path):
    _tiny_copy(tiny_release, tmp_path, "96_loop", {"q1_answer": "def double(x):\n    while True:\n        pass"})
    _tiny_copy(tiny_release, tmp_path, "97_fine", {"q1_answer": "def double(x):\n    return 2 * x"})
    started = time.perf_counter()
    results = {r.name: r for r in progress.collect(tmp_path, ["96", "97"], timeout=15)}
    assert results["96_loop"].status == TIMED_OUT and "longer than 15 s" in results["96_loop"].message
    assert results["97_fine"].status == IN_PROGRESS and results["97_fine"].tests_passed == 2
    assert time.perf_counter() - started < 60
    assert "96_loop" not in progress.load_cache(tmp_path), "a timeout is not cached: the next run tries again"

    cell_limited = progress.collect(tmp_path, ["96"], timeout=60, cell_timeout=3, use_cache=False)[0]
    assert cell_limited.status == IN_PROGRESS
    assert cell_limited.tests[0].kind == "timeout" and "3 s" in cell_limited.tests[0].message


# ---------------------------------------------------------------- slow: the real course

def _release(course: Path, name: str) -> Path:
    return course / "release" / name / f"{name}.ipynb"


@pytest.mark.slow
def test_course_workspace_statuses_points_and_cache(released_course, tmp_path, capsys):
    ops.workspace(tmp_path, released_course)  # what `make workspace` does: every module, untouched
    assert (tmp_path / "progress.ipynb").is_file(), "workspace also copies the progress notebook"
    name = "00_orientation"
    solution_submission(released_course / "source" / name / f"{name}.ipynb", _release(released_course, name),
                        tmp_path / name / f"{name}.ipynb")
    (tmp_path / "02_calibration" / "02_calibration.ipynb").write_text("not a notebook", encoding="utf-8")
    (tmp_path / "03_fairness" / "03_fairness.ipynb").rename(tmp_path / "03_fairness" / "mine.ipynb")
    shutil.rmtree(tmp_path / "04_social_bias")

    started = time.perf_counter()
    results = {r.name: r for r in progress.collect(tmp_path)}
    first = time.perf_counter() - started
    assert list(results) == ASSIGNMENTS
    orientation = results[name]
    assert orientation.status == READY, orientation
    assert (orientation.tests_passed, orientation.points_passed, orientation.points_total) == (4, 10, 10)
    assert results["01_evaluation"].status == NOT_STARTED and results["01_evaluation"].points_total == 12
    assert results["02_calibration"].status == CORRUPT
    assert results["03_fairness"].status == MISSING and "mine.ipynb" in results["03_fairness"].message
    assert results["04_social_bias"].status == NOT_STARTED and "make workspace" in results["04_social_bias"].message
    cache = json.loads((tmp_path / progress.CACHE_NAME).read_text(encoding="utf-8"))
    assert cache[name]["result"]["status"] == READY and cache["01_evaluation"]["result"]["status"] == NOT_STARTED
    assert "02_calibration" not in cache and "03_fairness" not in cache, "problems are not cached"

    started = time.perf_counter()
    assert progress.main(["--workspace", str(tmp_path), "--module", "00", "--module", "02"]) == 0
    second = time.perf_counter() - started
    report = capsys.readouterr().out
    assert second < 5 and second < first / 3, f"cached re-run took {second:.1f} s (first run {first:.1f} s)"
    assert "cached" in report and "Visible tests only" in report
    assert "Overall: 2 module(s): 1 ready to submit, 1 corrupt. Points of passing visible tests 10/20 (50%)" in report


@pytest.fixture(scope="module")
def wrong_results(released_course, tmp_path_factory) -> dict[str, ModuleProgress]:
    """Every assignment's ``wrong`` fixture (plausible but wrong answers), checked by the progress view."""
    workspace = tmp_path_factory.mktemp("wrong_workspace")
    for name in ASSIGNMENTS:
        fill_cells(_release(released_course, name), load_fixtures(name, FIXTURES)["wrong"]["cells"],
                   workspace / name / f"{name}.ipynb")
    return {r.name: r for r in progress.collect(workspace, use_cache=False)}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_failing_visible_tests_explain_themselves(wrong_results, assignment):
    """Each failing visible test cell of a wrong submission gives a message that says what is wrong:
    a raikit.checks message (or an assert with text), never a bare assert or a stub's NotImplementedError."""
    result = wrong_results[assignment]
    assert result.status == IN_PROGRESS, f"{assignment}: {result.status}: {result.message}"
    failing = [t for t in result.tests if not t.passed]
    assert failing, f"{assignment}: the wrong fixture passes every visible test"
    vague = {t.grade_id: (t.kind, t.message) for t in failing
             if t.kind not in ("check", "error") or len(t.message) < 25}
    assert not vague, f"{assignment}: failing visible tests without an informative message: {vague}"


@pytest.mark.slow
def test_progress_notebook_executes(released_course, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    workspace = tmp_path / "my-work"
    ops.workspace(workspace, released_course)
    monkeypatch.setenv(progress.WORKSPACE_VARIABLE, str(workspace))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(workspace)}}).execute()
    text = "".join(out.get("text", "") for c in notebook.cells if c.cell_type == "code" for out in c.outputs)
    assert f"Checking {workspace}" in text
    assert f"Overall: {len(ASSIGNMENTS)} module(s): {len(ASSIGNMENTS)} not started." in text
    assert any("image/png" in out.get("data", {}) for c in notebook.cells if c.cell_type == "code" for out in c.outputs)


def test_make_lab_shows_learners_the_lessons_and_hides_the_instructors_material():
    """`make lab` loads learner/jupyter_learner_view.py: the file browser (jupyter_server's contents
    manager, what JupyterLab lists) shows lessons and raikit, never the sources or fixtures."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from traitlets.config.loader import PyFileConfigLoader

    from raikit.learner.progress import KIT_ROOT

    config = PyFileConfigLoader("jupyter_learner_view.py", path=str(KIT_ROOT / "learner")).load_config()
    manager = FileContentsManager(root_dir=str(KIT_ROOT), config=config)
    listed = {item["name"] for item in manager.get("", content=True)["content"]}
    assert {"lessons", "raikit", "README.md"} <= listed
    assert not listed & {"assignments", "tests", "graders", "benchmarks", "nbgrader_config.py"}
    assert "--config=learner/jupyter_learner_view.py" in (KIT_ROOT / "Makefile").read_text()


def test_validate_one_notebook_prints_the_digest_with_each_hint_first(tmp_path, capsys):
    """`make validate NB=...`: one notebook, anywhere, checked on a copy; a wrong name is a clear error."""
    from raikit.learner import progress as _progress

    stray = tmp_path / "draft.ipynb"
    stray.write_text("{}")
    assert _progress.main(["--notebook", str(stray)]) == 2
    assert "not named after a module" in capsys.readouterr().err
    assert _progress.main(["--notebook", str(tmp_path / "nothing.ipynb")]) == 2
    capsys.readouterr()


@pytest.mark.slow
def test_validate_one_untouched_notebook_lists_its_failing_checks(tmp_path, capsys):
    from raikit.learner import progress as _progress

    module = "00_orientation"
    notebook = nbformat.read(ROOT / "assignments" / "source" / module / f"{module}.ipynb", as_version=4)
    for cell in notebook.cells:  # a student who has started: every answer cell empty
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = "raise NotImplementedError()"
    nbformat.write(notebook, tmp_path / f"{module}.ipynb")
    before = (tmp_path / f"{module}.ipynb").read_bytes()
    assert _progress.main(["--notebook", str(tmp_path / f"{module}.ipynb")]) == 0
    out = capsys.readouterr().out
    assert "What to fix" in out and "q1_tests" in out
    assert (tmp_path / f"{module}.ipynb").read_bytes() == before
