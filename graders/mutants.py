"""Mutation analysis: would an assignment's tests catch a plausible wrong answer?

    raikit-grade mutants ASSIGNMENT [--limit N] [--question q3]          (or `make mutants A=...`)

For every answer cell of the source, the instructor's solution is mutated with the usual
operators, one change per mutant (:data:`OPERATORS`): a flipped comparison, an off-by-one
constant, ``+``/``-`` or ``*``/``/`` swapped, ``and``/``or`` swapped, ``ddof`` 0<->1,
``mean``<->``median``, ``min``<->``max``, a dropped ``raise`` guard, a dropped defensive copy.
The assignment's own plausible mistakes are added: every answer in tests/fixtures/<A>.py that
is expected to lose the points of its question. Each mutant becomes a submission (the
solution, with that one answer replaced) and all of them are graded in one run of the real
sandboxed grader, next to the untouched solution.

A mutant is *killed* when a test cell of its question scores less than the solution does.
Some mutants cannot be killed because they do not change what the function computes
(``x >= 0`` vs ``x > 0`` where x is never 0): list them in
``assignments/source/<A>/equivalent_mutants.txt``, one ``<mutant id>  <reason>`` per line, and
they leave the score. The report gives, per question, mutants, killed, equivalent, the score,
and the survivors with the change each makes: each survivor is a hidden test to write.
"""

from __future__ import annotations

import ast
import copy
import json
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graders import course as ops
from graders.demo.submissions import fill_cells, load_fixtures, nbgrader_meta, solution_answers

FIXTURES = ops.KIT_ROOT / "tests" / "fixtures"
EQUIVALENT_FILE = "equivalent_mutants.txt"
_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
          ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Add: ast.Sub, ast.Sub: ast.Add,
          ast.Mult: ast.Div, ast.Div: ast.Mult, ast.And: ast.Or, ast.Or: ast.And}
_NAME_SWAPS = {"mean": "median", "median": "mean", "min": "max", "max": "min", "argmin": "argmax",
               "argmax": "argmin", "nanmean": "nanmedian", "sum": "mean"}


@dataclass
class Mutant:
    id: str  # "<answer grade_id>-<number>-<operator>", stable for a given source
    question: str  # the answer cell's grade_id
    operator: str
    change: str  # one line: what differs from the solution
    source: str  # the mutated answer cell


@dataclass
class QuestionScore:
    question: str
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def score(self) -> float:
        counted = self.mutants - self.equivalent
        return self.killed / counted if counted else 1.0


# ---------------------------------------------------------------- operators


def _points(tree: ast.AST) -> Iterator[tuple[str, Callable[[ast.AST], str | None]]]:
    """Every place one operator applies, as (operator name, function that mutates a copy and
    returns a one-line description, or None when it does not apply after all)."""
    nodes = list(ast.walk(tree))
    for index, node in enumerate(nodes):
        def at(fn, index=index):
            return lambda copy_tree: fn(list(ast.walk(copy_tree))[index])

        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in _SWAPS:
                    def flip(n, k=k):
                        old = type(n.ops[k]).__name__
                        n.ops[k] = _SWAPS[type(n.ops[k])]()
                        return f"line {n.lineno}: comparison {old} -> {type(n.ops[k]).__name__}"
                    yield "comparison", at(flip)
        elif isinstance(node, (ast.BinOp, ast.BoolOp)) and type(node.op) in _SWAPS:
            def swap(n):
                old = type(n.op).__name__
                n.op = _SWAPS[type(n.op)]()
                return f"line {n.lineno}: operator {old} -> {type(n.op).__name__}"
            yield "operator", at(swap)
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and type(node.value) is not bool:
            def nudge(n):
                old = n.value
                n.value = old + 1 if type(old) is int else (old * 1.5 if old else 1.0)
                return f"line {n.lineno}: constant {old!r} -> {n.value!r}"
            yield "constant", at(nudge)
        elif isinstance(node, ast.keyword) and node.arg == "ddof" and isinstance(node.value, ast.Constant):
            def ddof(n):
                n.value = ast.Constant(1 - int(n.value.value) if n.value.value in (0, 1) else 0)
                return f"ddof -> {n.value.value}"
            yield "ddof", at(ddof)
        elif isinstance(node, ast.Attribute) and node.attr in _NAME_SWAPS:
            def rename(n):
                old, n.attr = n.attr, _NAME_SWAPS[n.attr]
                return f"line {n.lineno}: .{old} -> .{n.attr}"
            yield "function", at(rename)
        elif isinstance(node, ast.Name) and node.id in ("min", "max") and isinstance(node.ctx, ast.Load):
            def rename_builtin(n):
                old, n.id = n.id, _NAME_SWAPS[n.id]
                return f"line {n.lineno}: {old}() -> {n.id}()"
            yield "function", at(rename_builtin)
        if isinstance(node, (ast.FunctionDef, ast.If, ast.For, ast.While, ast.With)):
            for k, statement in enumerate(node.body):
                guard = isinstance(statement, ast.If) and any(isinstance(s, ast.Raise) for s in statement.body)
                copying = (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                           and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Call)
                           and (_call_name(statement.value) in ("list", "copy", "deepcopy", "array", "asarray")
                                or _call_name(statement.value) == "copy")
                           and any(isinstance(a, ast.Name) and a.id == statement.targets[0].id
                                   for a in [*statement.value.args, getattr(statement.value.func, "value", None)]))
                if guard or copying:
                    def drop(n, k=k, kind="guard" if guard else "copy"):
                        line = n.body[k].lineno
                        n.body[k] = ast.Pass()
                        return f"line {line}: {'raise guard' if kind == 'guard' else 'defensive copy'} removed"
                    yield ("dropped guard" if guard else "dropped copy"), at(drop)


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def mutants_of(question: str, solution: str) -> list[Mutant]:
    """Every single-change mutant of one answer cell, in a stable order."""
    code = "\n".join(line for line in solution.splitlines() if not line.strip().startswith("###"))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found, seen = [], {ast.unparse(tree)}
    for operator, apply in _points(tree):
        if apply is None:
            continue
        mutated = copy.deepcopy(tree)
        try:
            change = apply(mutated)
            text = ast.unparse(ast.fix_missing_locations(mutated))
        except (IndexError, AttributeError, TypeError, ValueError):
            continue
        if change is None or text in seen:
            continue
        seen.add(text)
        found.append(Mutant(f"{question}-{len(found) + 1:03d}-{operator.replace(' ', '_')}", question, operator,
                            change, text))
    return found


def plausible_mistakes(assignment: str) -> list[Mutant]:
    """The fixtures' wrong answers: answers whose question is expected to lose its points."""
    try:
        fixtures = load_fixtures(assignment, FIXTURES)
    except FileNotFoundError:
        return []
    found, seen = [], set()
    for kind, submission in sorted(fixtures.items()):
        expected = submission.get("expected", {})
        for grade_id, text in sorted(submission.get("cells", {}).items()):
            tests = [k for k in expected if k.split("_")[0] == grade_id.split("_")[0]]
            if tests and all(expected[k] == 0 for k in tests) and text not in seen and grade_id.endswith("_answer"):
                seen.add(text)
                found.append(Mutant(f"{grade_id}-fixture-{kind}", grade_id, "plausible mistake",
                                    f"tests/fixtures/{assignment}.py: {kind}", text))
    return found


def read_equivalent(path: Path) -> dict[str, str]:
    """``{mutant id: reason}`` from an equivalent_mutants.txt (``#`` starts a comment); each line is
    ``<mutant id>  <reason>`` or ``<mutant id>: <reason>``."""
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            mutant_id, _, reason = line.partition(" ")
            found[mutant_id.rstrip(":")] = reason.strip()
    return found


# ---------------------------------------------------------------- grading


def analyse(assignment: str, course: Path = ops.DEFAULT_COURSE, *, limit: int | None = None,
            question: str | None = None, seed: int = 2026, workers: int | None = None,
            log=print, with_fixtures: bool = True) -> list[QuestionScore]:
    """Grade every mutant (at most ``limit`` per question, a seeded sample) in one sandboxed run.

    ``with_fixtures``: add the fixtures' plausible mistakes (tests/fixtures/<A>.py) to the mutants.
    """
    source_dir = course / "source" / assignment
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if len(notebooks) != 1:
        raise ops.CourseError(f"{source_dir} should hold exactly one notebook to mutate")
    answers = solution_answers(notebooks[0])
    code_ids = _code_answer_ids(notebooks[0])
    code_answers = {k: v for k, v in answers.items() if k in code_ids}
    if question:
        code_answers = {k: v for k, v in code_answers.items() if k.split("_")[0] == question.split("_")[0]}
        if not code_answers:
            raise ops.CourseError(f"no code answer cell for {question!r} in {assignment}")
    rng = random.Random(seed)
    chosen: list[Mutant] = []
    mistakes = plausible_mistakes(assignment) if with_fixtures else []
    for grade_id, text in sorted(code_answers.items()):
        pool = mutants_of(grade_id, text)
        if limit is not None and len(pool) > limit:
            pool = sorted(rng.sample(pool, limit), key=lambda m: m.id)
        chosen += pool + [m for m in mistakes if m.question == grade_id]
    equivalent = read_equivalent(source_dir / EQUIVALENT_FILE)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="raikit-mutants-") as scratch:
        work = Path(scratch) / "course"
        shutil.copytree(source_dir, work / "source" / assignment)
        ops.release([assignment], work, quiet=True)
        release_nb = work / "release" / assignment / notebooks[0].name
        inbox = Path(scratch) / "inbox"
        fill_cells(release_nb, answers, inbox / "solution" / notebooks[0].name)
        for mutant in chosen:
            fill_cells(release_nb, {**answers, mutant.question: mutant.source},
                       inbox / _student(mutant) / notebooks[0].name)
        log(f"grading {len(chosen)} mutants of {assignment} and the solution in the sandbox...")
        result = ops.autograde(assignment, work, inbox, quiet=True, workers=workers)
        points = ops.cell_points(assignment, work)
    baseline = points.get("solution", {})
    scores = {q: QuestionScore(q) for q in sorted(code_answers)}
    for mutant in chosen:
        row = scores[mutant.question]
        row.mutants += 1
        tests = [k for k in baseline if k.split("_")[0] == mutant.question.split("_")[0]]
        got = points.get(_student(mutant), {})
        if mutant.id in equivalent:
            row.equivalent += 1
        elif any(got.get(k, 0.0) < baseline[k] for k in tests):
            row.killed += 1
        else:
            row.survivors.append(mutant)
    log(f"graded in {time.monotonic() - started:.0f} s ({len(result.outcomes)} submissions)")
    return list(scores.values())


def _student(mutant: Mutant) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", mutant.id)[:64]


def _code_answer_ids(notebook: Path) -> set[str]:
    """The grade_ids of the code cells of ``notebook`` (read once per call)."""
    import nbformat

    return {nbgrader_meta(c).get("grade_id") for c in nbformat.read(notebook, as_version=4).cells
            if c.cell_type == "code"}


# ---------------------------------------------------------------- the recorded scores (a gate)

RECORD = ops.KIT_ROOT / "docs" / "mutation_scores.json"


def read_record(path: Path = RECORD) -> dict[str, dict[str, float]]:
    """``{assignment: {question: score}}`` recorded by ``raikit-grade mutants A --record``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(assignment: str, scores: list[QuestionScore], path: Path = RECORD) -> None:
    """Keep ``scores`` as the assignment's floor (a full, unsampled run should be recorded)."""
    data = read_record(path)
    data[assignment] = {row.question: round(row.score, 4) for row in scores}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def below_record(assignment: str, scores: list[QuestionScore], recorded: dict | None = None,
                 sampled: bool = False) -> list[str]:
    """Questions that now kill less than their recorded score: the tests got weaker.

    For a sample (``--limit``) the score itself cannot be compared, but a question recorded at
    100% must still kill every sampled mutant that is not equivalent.
    """
    floor = (recorded if recorded is not None else read_record()).get(assignment, {})
    worse = []
    for row in scores:
        wanted = floor.get(row.question)
        if wanted is None:
            continue
        if sampled:
            if wanted >= 1.0 and row.survivors:
                worse.append(f"{row.question}: recorded at 100%, but {', '.join(m.id for m in row.survivors)} survived")
        elif row.score + 1e-9 < wanted:
            worse.append(f"{row.question}: {row.score:.0%} now, {wanted:.0%} recorded")
    return worse


def report_lines(assignment: str, scores: list[QuestionScore]) -> list[str]:
    """The table and the survivors, as printed by ``raikit-grade mutants``."""
    lines = [f"mutation analysis of {assignment}",
             f"{'question':<12}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'score':>8}"]
    for row in scores:
        lines.append(f"{row.question:<12}{row.mutants:>8}{row.killed:>8}{row.equivalent:>8}{row.score:>8.0%}")
    total = QuestionScore("all", sum(r.mutants for r in scores), sum(r.killed for r in scores),
                          sum(r.equivalent for r in scores))
    lines.append(f"{'all':<12}{total.mutants:>8}{total.killed:>8}{total.equivalent:>8}{total.score:>8.0%}")
    for row in scores:
        for mutant in row.survivors:
            lines.append(f"  survived {mutant.id}: {mutant.change}")
    if any(row.survivors for row in scores):
        lines.append(f"Write a hidden test that tells each survivor from the solution, or, if it computes the same "
                     f"function, list its id with a reason in assignments/source/{assignment}/{EQUIVALENT_FILE}.")
    return lines
