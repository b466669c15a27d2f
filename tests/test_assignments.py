"""Every assignment, graded by real nbgrader: the checks otter-grader and nbgrader's docs ask for.

For each assignment in assignments/source/ one class is released and autograded in a
temporary course folder:

- ``solution``   the instructor's source notebook: every test cell earns full points;
- ``untouched``  the release as handed out: zero autograded points, and grading completes;
- fixtures       known student submissions (tests/fixtures/<assignment>.py): each test
                 cell earns exactly the points the fixture states.

The release must also carry no solution, hidden-test or mark-scheme text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS
from nbgrader_harness import (
    cell_points,
    fill_cells,
    grade_ids,
    load_fixtures,
    ops,
    release_text,
    secret_lines,
    solution_submission,
)

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded_class(request, released_course, tmp_path_factory):
    """Build a class of submissions of one released assignment, autograde it."""
    assignment = request.param
    course = released_course
    source_nb = course / "source" / assignment / f"{assignment}.ipynb"
    release_nb = course / "release" / assignment / f"{assignment}.ipynb"

    inbox = tmp_path_factory.mktemp(f"inbox_{assignment}")
    solution_submission(source_nb, release_nb, inbox / "solution" / release_nb.name)
    (inbox / "untouched").mkdir()
    shutil.copy(release_nb, inbox / "untouched" / release_nb.name)
    fixtures = load_fixtures(assignment, FIXTURES) if (FIXTURES / f"{assignment}.py").is_file() else {}
    for name, fixture in fixtures.items():
        fill_cells(release_nb, fixture["cells"], inbox / name / release_nb.name)

    result = ops.autograde(assignment, course, inbox, quiet=True)
    assert not result.problems, f"submissions not graded: {result.problems}"
    flagged = {o.student: o.flags for o in result.outcomes if o.flags}
    assert not flagged, f"honest submissions flagged for review: {flagged}"
    return {
        "assignment": assignment, "course": course, "source": source_nb, "release": release_nb,
        "fixtures": fixtures, "points": cell_points(course, assignment),
        "max_points": _max_points(source_nb),
    }


def _max_points(source_nb: Path) -> dict[str, float]:
    notebook = nbformat.read(source_nb, as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"]["points"])
            for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"}


def test_has_enough_autograded_and_written_questions(graded_class):
    notebook = nbformat.read(graded_class["source"], as_version=4)
    assert len(graded_class["max_points"]) >= 3, "each assignment needs at least 3 autograded test cells"
    written = [c for c in notebook.cells if c.cell_type == "markdown"
               and c.metadata.get("nbgrader", {}).get("grade") and c.metadata["nbgrader"].get("solution")]
    assert written, "each assignment needs at least one manually graded written answer"


def test_solution_scores_full_marks(graded_class):
    earned = graded_class["points"]["solution"]
    assert earned == graded_class["max_points"], f"solution lost points: {earned}"


def test_untouched_release_scores_zero(graded_class):
    earned = graded_class["points"]["untouched"]
    assert set(earned) == set(graded_class["max_points"]), "every test cell must be graded, even on a stub"
    assert sum(earned.values()) == 0, f"untouched release earned points: {earned}"


def test_graded_notebooks_hold_the_source_cells_once_each(graded_class):
    """What nbgrader records, the formgrader shows and feedback renders is the source's cell structure:
    an ungraded code cell of the source (a demo) used to come back twice, once as a student-added cell."""
    source = nbformat.read(graded_class["source"], as_version=4)
    shape = [(c.cell_type, c.metadata.get("nbgrader", {}).get("grade_id")) for c in source.cells]
    name = graded_class["assignment"]
    for student in ("solution", "untouched", *graded_class["fixtures"]):
        graded = nbformat.read(graded_class["course"] / "autograded" / student / name / f"{name}.ipynb", as_version=4)
        got = [(c.cell_type, c.metadata.get("nbgrader", {}).get("grade_id")) for c in graded.cells]
        assert got == shape, f"{student}: {len(got)} cells graded, the source has {len(shape)}"


def test_release_leaks_no_solution_or_hidden_test(graded_class):
    text = release_text(graded_class["release"])
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in text
    leaked = [line for line in secret_lines(graded_class["source"]) if line in text]
    assert not leaked, f"release contains solution/hidden-test lines: {leaked[:5]}"
    handed_out = sorted(p.name for p in graded_class["release"].parent.rglob("*") if p.is_file())
    assert handed_out == [graded_class["release"].name], f"the release holds more than the notebook: {handed_out}"


def test_fixtures_cover_the_required_kinds(graded_class):
    required = {"correct_alt", "partial", "wrong", "raising", "fake_equality"}
    missing = required - set(graded_class["fixtures"])
    assert not missing, f"tests/fixtures/{graded_class['assignment']}.py lacks fixtures {sorted(missing)}"


def test_fixtures_score_as_expected(graded_class):
    release = nbformat.read(graded_class["release"], as_version=4)
    test_cells = set(grade_ids(release, tests=True))
    for name, fixture in graded_class["fixtures"].items():
        assert set(fixture["expected"]) == test_cells, f"fixture {name}: 'expected' must list every test cell"
        earned = graded_class["points"][name]
        assert earned == {k: float(v) for k, v in fixture["expected"].items()}, f"fixture {name} scored {earned}"
    correct = graded_class["fixtures"].get("correct_alt")
    if correct:
        assert correct["expected"] == graded_class["max_points"], "correct_alt must expect full marks"
    for cheat in ("fake_equality", "raising", "wrong"):
        if cheat in graded_class["fixtures"]:
            earned = graded_class["points"][cheat]
            assert sum(earned.values()) < sum(graded_class["max_points"].values()), f"{cheat} must not earn full marks"
