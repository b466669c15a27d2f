"""Your progress through the course, checked by nbgrader on your own machine.

For every module this looks at your copy of the assignment, ``my-work/<NN_slug>/<NN_slug>.ipynb``
(``make workspace`` puts it there), runs it with nbgrader's own validator (the same code as
the **Validate** button in JupyterLab) and reports:

- the *visible* test cells that pass, and the points those cells are worth (hidden tests run
  only when your work is graded, so a full score here is not a promise of full marks);
- which written answers are filled in and which still say ``YOUR ANSWER HERE``;
- for each failing test cell, the first message its checks gave (what is wrong and a hint).

Your code runs as *you*, on your machine, with no sandbox: it is your own work. Each notebook
runs in a separate process with a time limit, so one notebook that loops forever, is
corrupt or crashes its kernel gets a status of its own and never stops the whole view.
A notebook whose answer cells are all unchanged counts as "not started" and is not run.

Results are cached in ``my-work/.progress-cache.json`` by the notebook's content hash: a
notebook you have not changed since the last check is not run (or even read) again. Timeouts
and failures to run are not cached, so the next check tries again.

Use it from a terminal (``make progress`` or ``raikit-progress --module 03``) or from the
notebook ``my-work/progress.ipynb``::

    from raikit import progress
    results = progress.collect()          # or collect(modules=["03"])
    print(progress.format_report(results))
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parents[2]
CACHE_NAME = ".progress-cache.json"
# Bump when the stored result format or the way results are computed changes.
CACHE_VERSION = 1
# Whole-notebook limit: the slowest assignment takes about a minute on a laptop CPU.
NOTEBOOK_TIMEOUT = 300
WORKSPACE_VARIABLE = "RAIKIT_WORKSPACE"
UNANSWERED = "YOUR ANSWER HERE"

# Module statuses, from worst to best for the learner's next step.
NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
READY = "ready to submit"
MISSING = "missing"
CORRUPT = "corrupt"
TIMED_OUT = "timed out"
EDITED = "edited tests"
FAILED_TO_RUN = "could not run"
PROBLEM_STATUSES = (MISSING, CORRUPT, TIMED_OUT, EDITED, FAILED_TO_RUN)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TITLE = re.compile(r"^#\s*Assignment\s+\d+\s*[:·.\-–]\s*(.+)$")


class ProgressError(ValueError):
    """Bad input to the progress view (an unknown module, a workspace that is not a folder)."""


@dataclass
class VisibleTest:
    """One autograded test cell: its points and, if it fails, the first message it gave."""

    grade_id: str
    points: float
    passed: bool = False
    message: str = ""
    kind: str = ""  # why it failed: check, bare-assert, not-implemented, error, timeout, stderr, edited


@dataclass
class WrittenAnswer:
    """One written (manually graded) answer: filled in or still ``YOUR ANSWER HERE``."""

    grade_id: str
    points: float
    filled: bool = False


@dataclass
class ModuleProgress:
    """Everything the view shows about one module."""

    name: str  # NN_slug
    title: str
    status: str
    message: str = ""
    notebook: str = ""
    tests: list[VisibleTest] = field(default_factory=list)
    written: list[WrittenAnswer] = field(default_factory=list)
    seconds: float = 0.0
    cached: bool = False

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def tests_passed(self) -> int:
        return sum(t.passed for t in self.tests)

    @property
    def points_passed(self) -> float:
        return sum(t.points for t in self.tests if t.passed)

    @property
    def points_total(self) -> float:
        return sum(t.points for t in self.tests)

    @property
    def written_filled(self) -> int:
        return sum(w.filled for w in self.written)

    @property
    def fraction(self) -> float:
        """Share of the autograded points whose visible tests pass (0 when there are none)."""
        return self.points_passed / self.points_total if self.points_total else 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ModuleProgress:
        data = dict(data)
        data["tests"] = [VisibleTest(**t) for t in data.get("tests", [])]
        data["written"] = [WrittenAnswer(**w) for w in data.get("written", [])]
        return cls(**data)


# ---------------------------------------------------------------- finding modules and notebooks

def default_workspace() -> Path:
    """``$RAIKIT_WORKSPACE`` if set, else ``my-work/`` at the kit's root (where ``make workspace`` copies to)."""
    return Path(os.environ.get(WORKSPACE_VARIABLE) or KIT_ROOT / "my-work")


def course_modules(kit_root: Path = KIT_ROOT) -> list[str]:
    """The course's module names (``NN_slug``) in order, from ``assignments/source/`` (a student pack:
    ``assignments/release/``; else ``lessons/``)."""
    source = kit_root / "assignments" / "source"
    if not source.is_dir():  # a student pack ships the released handouts only
        source = kit_root / "assignments" / "release"
    if source.is_dir():
        names = [p.name for p in source.iterdir() if p.is_dir() and re.match(r"^\d\d_", p.name)]
    else:
        names = [p.stem for p in (kit_root / "lessons").glob("[0-9][0-9]_*.ipynb")]
    return sorted(names)


def select_modules(wanted: Iterable[str], known: list[str]) -> list[str]:
    """Resolve ``--module`` values ("03", "3", "fairness", "03_fairness") to module names."""
    chosen = []
    for item in wanted:
        item = str(item).strip()
        matches = [m for m in known if item == m or (item.isdigit() and m.split("_", 1)[0] == f"{int(item):02d}")
                   or m.split("_", 1)[-1] == item]
        if not matches:
            raise ProgressError(f"No module {item!r}. Use a number or a name, one of: {', '.join(known)}.")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def notebook_path(workspace: Path, name: str) -> Path:
    """Where ``make workspace`` puts a module's assignment: ``<workspace>/<name>/<name>.ipynb``."""
    return workspace / name / f"{name}.ipynb"


def _title(notebook, name: str) -> str:
    """A short module title from the notebook's first heading ("# Assignment 03: Fairness...")."""
    for cell in notebook.get("cells", [])[:3]:
        if cell.get("cell_type") == "markdown":
            first = "".join(cell.get("source", "")).strip().splitlines()[:1]
            match = _TITLE.match(first[0]) if first else None
            if match:
                return match.group(1).split(":")[0].strip()
    return name.split("_", 1)[-1].replace("_", " ").capitalize()


def _read_json_notebook(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


# ---------------------------------------------------------------- what a notebook holds, without running it

def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _is_test_cell(cell) -> bool:
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _is_written_answer(cell) -> bool:
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "markdown" and bool(meta.get("grade")) and bool(meta.get("solution"))


def is_filled(text: str) -> bool:
    """A written answer counts as filled when it says something besides ``YOUR ANSWER HERE``."""
    return bool(text.replace(UNANSWERED, "").strip())


def outline(notebook) -> tuple[list[VisibleTest], list[WrittenAnswer]]:
    """The test cells (with points) and written answers of an nbgrader notebook, in order."""
    tests = [VisibleTest(_nbgrader(c)["grade_id"], float(_nbgrader(c).get("points", 0))) for c in notebook.cells
             if _is_test_cell(c)]
    written = [WrittenAnswer(_nbgrader(c)["grade_id"], float(_nbgrader(c).get("points", 0)), is_filled(c.source))
               for c in notebook.cells if _is_written_answer(c)]
    return tests, written


def is_untouched(notebook) -> bool:
    """True when every answer cell still has the checksum nbgrader gave it at release (nothing answered)."""
    from nbgrader.utils import compute_checksum

    answers = [c for c in notebook.cells if _nbgrader(c).get("solution")]
    return bool(answers) and all(_nbgrader(c).get("checksum") == compute_checksum(c) for c in answers)


def notebook_problem(notebook) -> str:
    """Why a readable notebook is not an assignment the view can check ("" when it is fine)."""
    if not any(_nbgrader(c) for c in notebook.cells):
        return "it has no nbgrader cells: it is not (or no longer) an assignment notebook."
    ids = [_nbgrader(c).get("grade_id") for c in notebook.cells if _nbgrader(c)]
    if None in ids or len(ids) != len(set(ids)):
        return "some nbgrader cells lost their grade_id or are duplicated (copied cells?)."
    if not any(_is_test_cell(c) for c in notebook.cells):
        return "it has no test cells left: were they deleted?"
    return ""


# ---------------------------------------------------------------- turning nbgrader's results into messages

def _strip(text: str) -> str:
    return _ANSI.sub("", text or "")


def _failing_line(traceback: list[str]) -> str:
    """The source line an error points at (IPython marks it with an arrow), for bare asserts."""
    for frame in reversed([_strip(t) for t in traceback]):
        for line in frame.splitlines():
            match = re.match(r"^\s*-*>\s*\d+\s(.*)$", line)
            if match:
                return match.group(1).strip()
    return ""


def _function_in_error(traceback: list[str]) -> str:
    """The innermost function named in a traceback ("... in count_tokens(text)"), or ""."""
    for frame in reversed([_strip(t) for t in traceback]):
        match = re.search(r"\bin (\w+)\(", frame)
        if match:
            return match.group(1)
    return ""


CHECK_ERRORS = ("AssertionError", "CheckFailed")  # a check's own message (raikit.checks raises both)


def failure_message(result: dict, answer_errors: dict[str, str], cell_timeout: float | None = None) -> tuple[str, str]:
    """``(kind, message)`` for a failing test cell, from the outputs nbgrader recorded.

    ``result`` holds ``error`` (``ename``, ``evalue``, ``traceback``) and/or ``stderr``;
    ``answer_errors`` maps the answer cells this test relies on to the error they raised, if any.
    """
    error = result.get("error")
    before = ""
    if answer_errors:
        cell, problem = next(iter(answer_errors.items()))
        before = f" Your answer cell {cell} itself raised {problem}: fix that first."
    if error:
        ename, evalue = error.get("ename", "Error"), _strip(error.get("evalue", "")).strip()
        if ename in ("CellTimeoutError", "KeyboardInterrupt"):  # nbgrader interrupts a cell past its time limit
            limit = f" of {cell_timeout:g} s" if cell_timeout else ""
            return "timeout", (f"this test cell ran past the per-cell time limit{limit}. Look for an endless loop "
                               "or a step that repeats heavy work (such as loading a model) many times.")
        if ename in CHECK_ERRORS and evalue:
            return "check", evalue + before
        if ename == "AssertionError":
            line = _failing_line(error.get("traceback", []))
            where = f" `{line}`" if line else ""
            return "bare-assert", f"the check{where} failed (it gives no message; compare your result with it).{before}"
        if ename == "NotImplementedError":
            function = _function_in_error(error.get("traceback", []))
            what = f"{function}() still raises" if function else "the answer it tests still raises"
            return "not-implemented", (f"{what} NotImplementedError: replace `raise NotImplementedError()` in the "
                                       "answer cell with your code, then run that cell.")
        if ename == "NameError":
            return "error", (f"NameError: {evalue}. Run the cells above first (Kernel > Restart Kernel and Run All "
                             f"Cells) and check the name for typos.{before}")
        text = f"{ename}: {evalue}" if evalue else ename
        return "error", (f"{text} (raised while the test ran your code; the traceback in the notebook shows "
                         f"where).{before}")
    if result.get("stderr"):
        first = _strip(result["stderr"]).strip().splitlines()[0]
        return "stderr", (f"the cell wrote to stderr, which nbgrader counts as a failure: {first!r}. Remove the "
                          "print to sys.stderr or the logging call that produced it.")
    return "partial", "the cell earned only part of its points."


def summarise(name: str, title: str, notebook_file: str, validation: dict,
              cell_timeout: float | None = None) -> ModuleProgress:
    """Per-module progress from one validation result (the plain dict :func:`validate_notebook` returns)."""
    tests, written = [], []
    for cell in validation["cells"]:
        if cell["kind"] == "written":
            written.append(WrittenAnswer(cell["grade_id"], cell["points"], cell["filled"]))
        elif cell["kind"] == "test":
            test = VisibleTest(cell["grade_id"], cell["points"])
            test.passed = cell["score"] is not None and cell["score"] >= cell["points"]
            if validation.get("type_changed"):
                test.kind, test.message = "edited", "not run: nbgrader refuses a notebook whose cell types changed."
            elif cell["grade_id"] in validation.get("changed", []):
                test.passed = False
                test.kind, test.message = "edited", ("you changed this test cell; grading runs the original, so it "
                                                     "does not count here either.")
            elif not test.passed:
                answer_errors = {a: validation["answer_errors"][a] for a in cell.get("answers", [])
                                 if a in validation.get("answer_errors", {})}
                test.kind, test.message = failure_message(cell, answer_errors, cell_timeout)
            tests.append(test)
    progress = ModuleProgress(name, title, IN_PROGRESS, notebook=notebook_file, tests=tests, written=written)
    edited = validation.get("changed", []) + validation.get("type_changed", [])
    if edited:
        progress.status = EDITED
        progress.message = (f"locked cells were changed ({', '.join(edited)}); grading restores them. Copy your "
                            "answers out, rename this notebook and run `make workspace` for a fresh copy.")
    elif tests and progress.tests_passed == len(tests) and progress.written_filled == len(written):
        progress.status = READY
        progress.message = "all visible tests pass and every written answer is filled in."
    else:
        todo = []
        if progress.tests_passed < len(tests):
            todo.append(f"{len(tests) - progress.tests_passed} visible test cell(s) fail")
        if progress.written_filled < len(written):
            todo.append(f"{len(written) - progress.written_filled} written answer(s) to write")
        progress.message = "; ".join(todo) + "."
    return progress


# ---------------------------------------------------------------- running nbgrader (in a child process)

def _load_nbgrader_config(kit_root: Path):
    """The kit's nbgrader configuration, loaded the way JupyterLab's Validate button loads it."""
    from nbgrader.apps.baseapp import NbGrader
    from traitlets.config import Config

    app = NbGrader()
    app.log_level = "ERROR"
    app.config_file_paths.append(str(kit_root))
    try:
        app.load_config_file()
        return app.config
    except Exception:  # a broken config must not hide the learner's results; nbgrader defaults still apply
        return Config()


def validate_notebook(path: Path, kit_root: Path = KIT_ROOT, cell_timeout: float | None = None) -> dict:
    """Run ``path`` with nbgrader's :class:`~nbgrader.validator.Validator` and record every graded cell.

    Executes the notebook exactly as the Validate button does (nbgrader's metadata check,
    clear outputs, execute) and, like grading, drops stderr lines that are warnings
    (``IgnorePattern`` in ``nbgrader_config.py``). Returns plain data: per test cell its
    score and error, per written answer whether it is filled, the locked cells that changed
    and the errors raised by answer cells.
    """
    from nbformat import current_nbformat
    from nbformat import read as read_nb
    from nbgrader import utils
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, Execute, IgnorePattern
    from nbgrader.validator import Validator

    config = _load_nbgrader_config(kit_root)
    if cell_timeout:
        config.Execute.timeout = int(cell_timeout)
    validator = Validator(config=config)
    validator.preprocessors = [CheckCellMetadata, ClearOutput, Execute, IgnorePattern]
    path = Path(path).resolve()
    with utils.chdir(str(path.parent)):
        notebook = read_nb(path.name, as_version=current_nbformat)
    type_changed = [c.metadata.nbgrader["grade_id"] for c in validator._get_type_changed_cells(notebook)]
    if not type_changed:
        with utils.chdir(str(path.parent)):
            notebook = validator._preprocess(notebook)
    changed = [c.metadata.nbgrader["grade_id"] for c in validator._get_changed_cells(notebook)]

    cells, answer_errors, answers_since_test = [], {}, []
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            answers_since_test.append(meta["grade_id"])
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    answer_errors[meta["grade_id"]] = f"{output.ename}: {_strip(output.evalue)}".rstrip(": ")
        if _is_written_answer(cell):
            cells.append({"kind": "written", "grade_id": meta["grade_id"], "points": float(meta.get("points", 0)),
                          "filled": is_filled(cell.source)})
        elif _is_test_cell(cell):
            score = None if type_changed else _score(cell)
            entry = {"kind": "test", "grade_id": meta["grade_id"], "points": float(meta.get("points", 0)),
                     "score": score, "answers": answers_since_test, "error": None, "stderr": ""}
            for output in cell.get("outputs", []):
                if output.output_type == "error" and entry["error"] is None:
                    entry["error"] = {"ename": output.ename, "evalue": output.evalue,
                                      "traceback": list(output.traceback)}
                elif output.output_type == "stream" and output.name == "stderr":
                    entry["stderr"] += output.text
            cells.append(entry)
            answers_since_test = []
    return {"cells": cells, "changed": changed, "type_changed": type_changed, "answer_errors": answer_errors}


def _score(cell) -> float:
    """nbgrader's score for an executed test cell.

    nbgrader reads a number that a test cell displays as its last expression as partial credit,
    and raises when that number exceeds the cell's points. A visible test cell can end that way
    once nbgrader has cut its hidden tests off (a check that returns the value it checked); when
    the cell raised nothing, its checks passed, which is what grading (with the hidden tests
    after it) sees too.
    """
    from nbgrader import utils

    try:
        return utils.determine_grade(cell)[0]
    except ValueError:
        return 0.0 if utils.has_failed(cell) else float(_nbgrader(cell).get("points", 0))


def _validate_in_child(path: Path, timeout: float, cell_timeout: float | None, kit_root: Path) -> dict:
    """Run :func:`validate_notebook` in a fresh process, killed (with its kernel) after ``timeout`` seconds.

    Returns ``{"ok": validation}``, ``{"timeout": True}`` or ``{"error": message}``.
    """
    with tempfile.TemporaryDirectory(prefix="raikit-progress-") as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "raikit.learner.progress", "--validate-one", str(path), "--result", str(out),
                   "--kit-root", str(kit_root)]
        if cell_timeout:
            command += ["--cell-timeout", str(cell_timeout)]
        # A new session, so a timeout kills the child and everything it started; the kernel
        # (in a session of its own) exits when it sees its parent gone.
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            _, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            return {"timeout": True}
        if out.is_file():
            return json.loads(out.read_text(encoding="utf-8"))
        last = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()][-1:] or ["no output"]
        return {"error": f"the checker process stopped (exit code {child.returncode}): {last[0]}"}


def _child_main(args: argparse.Namespace) -> int:
    """Entry point of the child process: validate one notebook, write the result as JSON."""
    try:
        result = {"ok": validate_notebook(Path(args.validate_one), Path(args.kit_root), args.cell_timeout)}
    except Exception as exc:  # report any failure to the parent as data; the parent shows it
        result = {"error": f"{type(exc).__name__}: {_strip(str(exc)).strip().splitlines()[0] if str(exc) else ''}"}
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- one module, the cache, the whole course

def _digest(path: Path) -> str:
    from raikit import __version__

    content = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"v{CACHE_VERSION}-{__version__}-{content}"


def load_cache(workspace: Path) -> dict:
    """The stored results (``{module: {"digest", "result"}}``); an unreadable cache is simply ignored."""
    try:
        data = json.loads((workspace / CACHE_NAME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_cache(workspace: Path, cache: dict) -> None:
    """Write the cache atomically (a crash mid-write never leaves half a file)."""
    if not workspace.is_dir():
        return
    tmp = workspace / (CACHE_NAME + ".tmp")
    tmp.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(workspace / CACHE_NAME)


def _from_cache(cache: dict | None, name: str, digest: str) -> ModuleProgress | None:
    """The stored result for this exact notebook content, or None (also for an entry that does not parse)."""
    stored = (cache or {}).get(name)
    if not isinstance(stored, dict) or stored.get("digest") != digest:
        return None
    try:
        result = ModuleProgress.from_dict(stored["result"])
    except (KeyError, TypeError):
        return None
    result.cached = True
    return result


def _source_outline(name: str, kit_root: Path) -> tuple[str, list[VisibleTest], list[WrittenAnswer]]:
    """Title, test cells and written answers of a module from its source (for modules with no copy yet)."""
    # the instructor's source in the kit; the released handout in a student pack (no sources there)
    candidates = [kit_root / "assignments" / folder / name / f"{name}.ipynb" for folder in ("source", "release")]
    source = next((path for path in candidates if path.is_file()), candidates[0])
    try:
        notebook = _read_json_notebook(source)
    except Exception:
        return _title({}, name), [], []
    tests, written = outline(notebook)
    for answer in written:
        answer.filled = False
    return _title(notebook, name), tests, written


def check_module(name: str, workspace: Path, *, kit_root: Path = KIT_ROOT, timeout: float = NOTEBOOK_TIMEOUT,
                 cell_timeout: float | None = None, cache: dict | None = None) -> ModuleProgress:
    """Progress of one module. Never raises for a learner's notebook: problems become statuses.

    ``cache`` (from :func:`load_cache`) is read and updated in place when given.
    """
    started = time.perf_counter()
    path = notebook_path(workspace, name)
    shown = str(path)
    if not path.is_file():
        title, tests, written = _source_outline(name, kit_root)
        if path.parent.is_dir():
            others = sorted(p.name for p in path.parent.glob("*.ipynb"))
            hint = f" (found {', '.join(others)})" if others else ""
            return ModuleProgress(name, title, MISSING, f"{shown} is missing{hint}. Grading looks for exactly that "
                                  "name: rename your notebook back, or run `make workspace` for a fresh copy.",
                                  shown, tests, written)
        return ModuleProgress(name, title, NOT_STARTED, "no copy yet: run `make workspace` to get one.",
                              shown, tests, written)
    try:
        digest = _digest(path)
        cached = _from_cache(cache, name, digest)
        if cached:  # unchanged since the last check: no need to even parse it
            cached.notebook, cached.seconds = shown, round(time.perf_counter() - started, 2)
            return cached
        notebook = _read_json_notebook(path)
        problem = notebook_problem(notebook)
    except Exception as exc:
        notebook, problem = None, f"it cannot be read as a notebook ({type(exc).__name__}: {str(exc)[:200]})."
    if problem:
        title, tests, written = _source_outline(name, kit_root)
        return ModuleProgress(name, title, CORRUPT, f"{shown}: {problem} Restore it from a backup or JupyterLab's "
                              "checkpoint, or rename it and run `make workspace` for a fresh copy.",
                              shown, tests, written)
    title = _title(notebook, name)
    tests, written = outline(notebook)
    if is_untouched(notebook):
        result = ModuleProgress(name, title, NOT_STARTED, "no answer written yet.", shown, tests, written)
        if cache is not None:
            cache[name] = {"digest": digest, "result": result.to_dict()}
        return result

    outcome = _validate_in_child(path, timeout, cell_timeout, kit_root)
    seconds = round(time.perf_counter() - started, 1)
    if outcome.get("timeout"):
        return ModuleProgress(name, title, TIMED_OUT, f"the notebook ran longer than {timeout:g} s and was stopped. "
                              "Look for an endless loop or a very slow cell; raise the limit with --timeout.",
                              shown, tests, written, seconds)
    if "error" in outcome:
        return ModuleProgress(name, title, FAILED_TO_RUN, f"nbgrader could not check it: {outcome['error']}",
                              shown, tests, written, seconds)
    result = summarise(name, title, shown, outcome["ok"], cell_timeout)
    result.seconds = seconds
    if cache is not None:
        cache[name] = {"digest": digest, "result": result.to_dict()}
    return result


def collect(workspace: Path | str | None = None, modules: Iterable[str] | None = None, *,
            kit_root: Path = KIT_ROOT, timeout: float = NOTEBOOK_TIMEOUT, cell_timeout: float | None = None,
            use_cache: bool = True, workers: int | None = None) -> list[ModuleProgress]:
    """Progress of every module (or of ``modules``: numbers or names) for the notebooks in ``workspace``.

    ``workers`` notebooks are checked at once, each in its own process and kernel (default: one
    per core, at most two, so a laptop's memory holds the kernels); results keep the module order.
    """
    workspace = Path(workspace) if workspace is not None else default_workspace()
    if workspace.exists() and not workspace.is_dir():
        raise ProgressError(f"{workspace} is a file, not a folder: pass the folder that holds your assignments.")
    # The kit's modules, plus any assignment folder in the workspace the kit does not list.
    extra = [p.name for p in workspace.glob("[0-9][0-9]_*") if p.is_dir()] if workspace.is_dir() else []
    known = sorted(set(course_modules(kit_root)) | set(extra))
    names = select_modules(modules, known) if modules else known
    cache = load_cache(workspace) if use_cache else {}
    workers = max(1, workers or min(2, os.cpu_count() or 1))

    def check(name: str) -> ModuleProgress:
        return check_module(name, workspace, kit_root=kit_root, timeout=timeout, cell_timeout=cell_timeout,
                            cache=cache)

    if workers == 1 or len(names) < 2:
        results = [check(n) for n in names]
    else:  # threads suffice: each check waits on its own child process
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(workers, len(names)), thread_name_prefix="progress") as pool:
            results = list(pool.map(check, names))
    if use_cache:
        save_cache(workspace, cache)
    return results


# ---------------------------------------------------------------- showing the results

def overall(results: list[ModuleProgress]) -> str:
    """One line: modules by status, visible-test points and written answers over the whole selection."""
    counts = {s: sum(r.status == s for r in results) for s in (READY, IN_PROGRESS, NOT_STARTED, *PROBLEM_STATUSES)}
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    points = sum(r.points_passed for r in results)
    total = sum(r.points_total for r in results)
    share = f" ({100 * points / total:.0f}%)" if total else ""
    written = sum(r.written_filled for r in results)
    written_total = sum(len(r.written) for r in results)
    return (f"Overall: {len(results)} module(s): {', '.join(parts)}. Points of passing visible tests "
            f"{points:g}/{total:g}{share}; written answers filled {written}/{written_total}.")


def to_rows(results: list[ModuleProgress]) -> list[dict]:
    """One plain dict per module (for a table or ``pandas.DataFrame(to_rows(results))``)."""
    return [{"module": r.number, "title": r.title, "status": r.status,
             "visible tests passed": f"{r.tests_passed}/{len(r.tests)}",
             "points (visible tests)": f"{r.points_passed:g}/{r.points_total:g}",
             "written answers": f"{r.written_filled}/{len(r.written)}", "note": r.message} for r in results]


def format_table(results: list[ModuleProgress]) -> str:
    """A fixed-width table, one row per module."""
    rows = [(r.number, r.title[:30], r.status, f"{r.tests_passed}/{len(r.tests)}",
             f"{r.points_passed:g}/{r.points_total:g}", f"{r.written_filled}/{len(r.written)}",
             "cached" if r.cached else (f"{r.seconds:.0f} s" if r.seconds >= 0.5 else "")) for r in results]
    header = ("#", "module", "status", "visible tests", "points", "written", "checked")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_failures(results: list[ModuleProgress]) -> str:
    """Each module's problem and each failing visible test cell with its first message (indented hints)."""
    blocks = []
    for r in results:
        lines = []
        if r.status in PROBLEM_STATUSES:
            lines.append(f"  {r.status}: {r.message}")
        for test in r.tests:
            if r.status in (IN_PROGRESS, EDITED) and not test.passed:
                message = test.message.replace("\n", "\n      ")
                lines.append(f"  {test.grade_id} ({test.points:g} pt): {message}")
        missing = [w.grade_id for w in r.written if not w.filled]
        if r.status in (IN_PROGRESS, EDITED) and missing:
            lines.append(f"  written answer(s) still to write: {', '.join(missing)}")
        if lines:
            blocks.append(f"{r.name} ({r.notebook})\n" + "\n".join(lines))
    return "\n\n".join(blocks)


def format_report(results: list[ModuleProgress], workspace: Path | None = None) -> str:
    """The whole text report: header, table, what to fix, overall line."""
    where = f" in {workspace}" if workspace else ""
    parts = [f"Progress{where}. Visible tests only: hidden tests run when your work is graded, "
             "and written answers are graded by a person.", "", format_table(results)]
    failures = format_failures(results)
    if failures:
        parts += ["", "What to fix", "", failures]
    parts += ["", overall(results)]
    return "\n".join(parts)


STATUS_COLOURS = {READY: "green", IN_PROGRESS: "orange", NOT_STARTED: "sky", MISSING: "vermillion",
                  CORRUPT: "vermillion", TIMED_OUT: "vermillion", EDITED: "purple", FAILED_TO_RUN: "vermillion"}


def plot_progress(results: list[ModuleProgress], ax=None):
    """Horizontal bars: per module, the share of autograded points whose visible tests pass, coloured by status."""
    import matplotlib.pyplot as plt

    from raikit.plotting import OKABE_ITO, label_axes

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(results) + 1.6))
    labels = [f"{r.number} {r.title}" for r in results]
    shares = [100 * r.fraction for r in results]
    colours = [OKABE_ITO[STATUS_COLOURS.get(r.status, "black")] for r in results]
    ax.barh(labels, shares, color=colours, edgecolor=OKABE_ITO["black"], linewidth=0.5)
    ax.set_xlim(0, 145)  # room right of a full bar for its status
    ax.set_xticks(range(0, 101, 20))
    ax.invert_yaxis()  # module 00 on top, in course order
    for y, (share, r) in enumerate(zip(shares, results, strict=True)):
        ax.text(share + 2, y, r.status, va="center", fontsize=9)  # the status in words, not only as a colour
    label_axes(ax, "Your progress per module (visible tests)", "share of the module's autograded points (%)",
               "module")
    return ax


# ---------------------------------------------------------------- command line

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="raikit-progress",
        description="Check your assignments in my-work/ with nbgrader and show your progress per module "
                    "(visible tests only; hidden tests run when your work is graded). Runs your own code "
                    "on your machine, one notebook at a time.")
    parser.add_argument("--workspace", type=Path, default=None,
                        help=f"folder with your assignments (default: ${WORKSPACE_VARIABLE} or my-work/ in the kit)")
    parser.add_argument("--module", action="append", default=[], metavar="NN",
                        help="only this module (a number like 03 or a name); repeat for several")
    parser.add_argument("--timeout", type=float, default=NOTEBOOK_TIMEOUT,
                        help=f"seconds one notebook may run before it is stopped (default {NOTEBOOK_TIMEOUT})")
    parser.add_argument("--cell-timeout", type=float, default=None,
                        help="seconds one cell may run (default: the kit's nbgrader_config.py, 120)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="notebooks checked at once (default: one per core, at most 2)")
    parser.add_argument("--no-cache", action="store_true", help=f"re-run every notebook, ignore {CACHE_NAME}")
    parser.add_argument("--notebook", type=Path, default=None, metavar="PATH",
                        help="check this one notebook (named <module>.ipynb, anywhere) and print its digest: "
                             "each failing check's message and hint first (`make validate NB=PATH`)")
    # internal: the child process that validates one notebook
    parser.add_argument("--validate-one", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--kit-root", default=str(KIT_ROOT), help=argparse.SUPPRESS)
    return parser


def _validate_notebook(args: argparse.Namespace) -> int:
    """``--notebook PATH``: the digest of one notebook, as ``make progress`` gives it for a module.

    The notebook is checked in a scratch workspace (a copy), so it may live anywhere and is never
    changed; its file name says which module it is (``03_fairness.ipynb``).
    """
    import shutil
    import tempfile

    path, name = args.notebook, args.notebook.stem
    if not path.is_file():
        print(f"raikit-progress: {path} is not a file. Pass the notebook, e.g. "
              "my-work/03_fairness/03_fairness.ipynb.", file=sys.stderr)
        return 2
    if name not in course_modules():
        print(f"raikit-progress: {path.name} is not named after a module ({', '.join(course_modules())}); "
              "grading looks for exactly that name.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="raikit-validate-") as scratch:
        copy = Path(scratch) / name / f"{name}.ipynb"
        copy.parent.mkdir()
        shutil.copyfile(path, copy)
        result = check_module(name, Path(scratch), timeout=args.timeout, cell_timeout=args.cell_timeout)
        result.notebook = str(path)
    print(format_report([result]))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``raikit-progress``: print the table, what to fix, and the overall line. Exit 0 unless the input is bad."""
    args = _parser().parse_args(argv)
    if args.validate_one:
        return _child_main(args)
    if args.notebook is not None:
        return _validate_notebook(args)
    workspace = args.workspace or default_workspace()
    if not workspace.is_dir():
        print(f"raikit-progress: {workspace} does not exist yet. Run `make workspace` to copy the assignments "
              "there, or pass --workspace FOLDER.", file=sys.stderr)
        return 2
    try:
        results = collect(workspace, args.module or None, timeout=args.timeout, cell_timeout=args.cell_timeout,
                          use_cache=not args.no_cache, workers=args.workers)
    except ProgressError as exc:
        print(f"raikit-progress: {exc}", file=sys.stderr)
        return 2
    print(format_report(results, workspace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
