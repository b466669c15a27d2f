"""nbgrader's Validate dialog, hint first (raikit/learner/validate_dialog.py).

The dialog's text comes from nbgrader's validation result; these tests feed the rewrite the
shapes nbgrader produces (IPython tracebacks with ANSI colours, chained exceptions, written
answers, partial credit) and check that each failure leads with what to fix. The browser test
(tests/test_browser.py) checks the real dialog in JupyterLab.
"""

from __future__ import annotations

import json

from raikit.learner import validate_dialog as dialog

RED, CYAN, RESET = "\x1b[31m", "\x1b[36m", "\x1b[39m"


def traceback_text(*frames: str, last: str) -> str:
    """What nbgrader's Validator puts in ``raw_error``: the traceback lines joined, with colours."""
    lines = [f"{RED}---------------------------------------------------------------------------{RESET}"]
    for frame in frames:
        lines += [f"{CYAN}File /work/raikit/checks.py:29{RESET}, in {frame}",
                  f"{RED}---> {RESET}29 raise AssertionError(m)", ""]
    return "\n".join(lines + [last])


TEST_SOURCE = "\n".join(f"check_number(ece(case_{k}), expected_{k}, 'ece case {k}')" for k in range(70))


def failed(raw: str, source: str = TEST_SOURCE) -> dict:
    return {"failed": [{"source": source, "error": "<span>" + raw + "</span>", "raw_error": raw}]}


def test_a_failed_check_leads_with_its_message_and_hint_then_the_test_source():
    raw = traceback_text("_fail(name, problem, hint)", "check_number(value, expected)",
                         last=f"{RED}AssertionError{RESET}: ece(scores, labels): expected about 0.1, got 0.6.\n"
                              "Hint: weight each bin's gap by its share of the items.")
    entry = dialog.hint_first(failed(raw))["failed"][0]
    lines = entry["source"].splitlines()
    assert lines[0] == "ece(scores, labels): expected about 0.1, got 0.6."
    assert lines[1] == "Hint: weight each bin's gap by its share of the items."
    assert entry["source"].index(dialog.TEST_SOURCE_HEADER) < entry["source"].index("check_number(ece(case_0)")
    assert entry["source"].endswith(TEST_SOURCE), "the whole test cell still follows, unchanged"
    assert entry["error"].startswith("AssertionError: ece(scores, labels)") and "File " not in entry["error"]
    assert "\x1b" not in entry["source"] + entry["error"]
    assert entry["raw_error"] == raw, "nbgrader's own text is kept for anything that reads it"


def test_a_chained_check_failure_names_the_last_exception():
    raw = traceback_text("q1_first()", last="AssertionError: bin_assignments differs\n\nThe above exception "
                         "was the direct cause of the following exception:\n\n" + traceback_text(
                             "q1_first()", last="CheckFailed: ece failed, and this question may use your Q1 "
                                                "function bin_assignments, which fails its checks: fix Q1 first."))
    entry = dialog.hint_first(failed(raw))["failed"][0]
    assert entry["source"].startswith("ece failed, and this question may use your Q1 function")
    assert entry["error"].startswith("CheckFailed: ece failed")


def test_stubs_and_missing_names_get_the_progress_digest():
    stub = traceback_text("bin_assignments(p, n_bins)", last="NotImplementedError: ")
    entry = dialog.hint_first(failed(stub))["failed"][0]
    assert entry["source"].startswith("bin_assignments() still raises NotImplementedError: replace")
    name = traceback_text("<module>", last="NameError: name 'ece' is not defined")
    entry = dialog.hint_first(failed(name))["failed"][0]
    assert entry["source"].startswith("NameError: name 'ece' is not defined. Run the cells above first")


def test_written_answers_and_partial_credit_say_so_first():
    result = {"failed": [{"source": "YOUR ANSWER HERE", "error": "You did not provide a response.",
                          "raw_error": "You did not provide a response."},
                         {"source": "x = 1", "error": "",
                          "raw_error": "Partial credit; passed some but not all of the tests"}]}
    written, partial = dialog.hint_first(result)["failed"]
    assert written["source"].splitlines()[0] == "You did not provide a response."
    assert partial["source"].startswith("the cell earned only part of its points")


def test_html_in_messages_is_escaped_and_other_results_pass_through():
    raw = "AssertionError: expected <b>0</b> & got 1 < 2"
    entry = dialog.hint_first(failed(raw))["failed"][0]
    assert entry["error"] == "AssertionError: expected &lt;b&gt;0&lt;/b&gt; &amp; got 1 &lt; 2"
    for other in ({}, {"changed": [{"source": "x"}]}, {"type_changed": []}, "text", {"failed": "odd"},
                  {"failed": [None, 3]}):
        assert dialog.hint_first(other) == other


def test_the_server_extension_wraps_nbgraders_handler_once(tmp_path):
    from nbgrader.server_extensions.validate_assignment import handlers

    class Log:
        def info(self, *_):
            pass

        warning = info

    class App:
        log = Log()

    original = handlers.ValidateAssignmentHandler.validate_notebook
    try:
        raw = "AssertionError: wrong\nHint: do it right"
        handlers.ValidateAssignmentHandler.validate_notebook = lambda self, path: {"success": True,
                                                                                 "value": failed(raw)}
        dialog._load_jupyter_server_extension(App())
        dialog._load_jupyter_server_extension(App())  # a second load must not wrap twice
        answer = handlers.ValidateAssignmentHandler.validate_notebook(None, "x.ipynb")
        assert answer["value"]["failed"][0]["source"].startswith("wrong\nHint: do it right\n\n")
        assert handlers.ValidateAssignmentHandler.validate_notebook.raikit_hint_first
    finally:
        handlers.ValidateAssignmentHandler.validate_notebook = original
    assert dialog._jupyter_server_extension_points() == [{"module": "raikit.learner.validate_dialog"}]
    written = dialog.enable(tmp_path)
    assert json.loads(written.read_text()) == {"ServerApp": {"jpserver_extensions": {
        "raikit.learner.validate_dialog": True}}}
    assert written.parent == tmp_path / "etc" / "jupyter" / "jupyter_server_config.d"
