"""Mutation analysis (graders/mutants.py): mutants are real single changes, and the tool grades them.

The full analysis of every assignment is `make mutants A=<assignment>` (minutes each); CI runs
a seeded sample of one assignment end to end.
"""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT

from graders import mutants

SOLUTION = '''
def clipped_mean(values, lower, upper):
    """Mean of values clipped to [lower, upper]."""
    ### BEGIN SOLUTION
    if lower > upper:
        raise ValueError("lower > upper")
    values = list(values)
    kept = [min(max(v, lower), upper) for v in values]
    return sum(kept) / len(kept)
    ### END SOLUTION
'''


def test_each_mutant_is_one_change_that_still_parses():
    found = mutants.mutants_of("q1_answer", SOLUTION)
    operators = {m.operator for m in found}
    assert {"comparison", "operator", "function", "dropped guard", "dropped copy"} <= operators
    original = ast.dump(ast.parse("\n".join(line for line in SOLUTION.splitlines() if "###" not in line)))
    texts = set()
    for mutant in found:
        tree = ast.parse(mutant.source)
        assert ast.dump(tree) != original and mutant.source not in texts
        texts.add(mutant.source)
        assert mutant.id.startswith("q1_answer-") and mutant.change
    assert [m.id for m in found] == [m.id for m in mutants.mutants_of("q1_answer", SOLUTION)]  # stable ids


def test_equivalent_mutants_file_is_read_with_reasons(tmp_path):
    (tmp_path / "equivalent_mutants.txt").write_text("# id  reason\nq1_answer-003-comparison  x is never 0\n"
                                                     "q2_answer-001-constant: 1e-12 vs 1.5e-12 never matters\n")
    assert mutants.read_equivalent(tmp_path / "equivalent_mutants.txt") == {
        "q1_answer-003-comparison": "x is never 0", "q2_answer-001-constant": "1e-12 vs 1.5e-12 never matters"}


@pytest.mark.slow
def test_a_seeded_sample_of_mutants_is_graded_and_killed(tmp_path):
    import shutil

    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "source" / "02_calibration", course / "source" / "02_calibration")
    scores = mutants.analyse("02_calibration", course, limit=2, question="q1", log=lambda *_: None)
    assert [row.question for row in scores] == ["q1_answer"]
    row = scores[0]
    assert row.mutants >= 2 and row.killed + row.equivalent + len(row.survivors) == row.mutants
    assert row.score >= 0.9, mutants.report_lines("02_calibration", scores)


@pytest.mark.parametrize("assignment", sorted(p.name for p in (ROOT / "assignments" / "source").iterdir()))
def test_every_assignment_has_mutants_and_its_fixtures_load(assignment):
    from graders.demo.submissions import solution_answers

    notebook = ROOT / "assignments" / "source" / assignment / f"{assignment}.ipynb"
    answers = {k: v for k, v in solution_answers(notebook).items() if k.endswith("_answer")}
    assert answers and any(mutants.mutants_of(k, v) for k, v in answers.items())
    mutants.plausible_mistakes(assignment)  # fixtures that import tests/ helpers (fake_answers) load too


def test_recorded_scores_are_a_floor_for_every_assignment():
    recorded = mutants.read_record()
    assert sorted(recorded) == sorted(p.name for p in (ROOT / "assignments" / "source").iterdir())
    for assignment, questions in recorded.items():
        assert questions and all(score >= 0.9 for score in questions.values()), (assignment, questions)
    weaker = [mutants.QuestionScore("q1_answer", 10, 8)]
    assert mutants.below_record("a", weaker, {"a": {"q1_answer": 0.9}}) == ["q1_answer: 80% now, 90% recorded"]
    assert mutants.below_record("a", [mutants.QuestionScore("q1_answer", 10, 9)], {"a": {"q1_answer": 0.9}}) == []
    survivor = mutants.QuestionScore("q1_answer", 2, 1, survivors=[mutants.Mutant("m-1", "q1_answer", "op", "x", "y")])
    assert mutants.below_record("a", [survivor], {"a": {"q1_answer": 1.0}}, sampled=True)
    assert not mutants.below_record("a", [survivor], {"a": {"q1_answer": 0.95}}, sampled=True)


@pytest.mark.slow
def test_a_seeded_sample_of_assignments_keeps_its_recorded_mutation_scores(tmp_path):
    """CI's bounded share of `make mutants-all`: two assignments (a fixed seeded choice), two
    generated mutants per question, graded in the real sandbox against the recorded floor."""
    import random
    import shutil

    recorded = mutants.read_record()
    for assignment in random.Random(2026).sample(sorted(recorded), 2):
        course = tmp_path / assignment
        shutil.copytree(ROOT / "assignments" / "source" / assignment, course / "source" / assignment)
        scores = mutants.analyse(assignment, course, limit=2, log=lambda *_: None, with_fixtures=False)
        worse = mutants.below_record(assignment, scores, recorded, sampled=True)
        assert not worse, "\n".join([*worse, *mutants.report_lines(assignment, scores)])
