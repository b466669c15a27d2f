"""Model answers for self-paced learners (`make answers M=03`): in step with the sources, and
shown only for the written questions a learner has attempted."""

from __future__ import annotations

import json

import nbformat
from conftest import ROOT

from raikit.learner import answers


def test_the_answers_file_is_generated_from_the_sources_and_in_step():
    stored = json.loads(answers.ANSWERS_FILE.read_text(encoding="utf-8"))
    assert stored == answers.build(), "run `make model-answers` after editing a written question's source"
    assert sorted(stored) == sorted(p.name for p in (ROOT / "assignments" / "source").iterdir())
    for module, items in stored.items():
        assert items, f"{module} has no written question"
        for item in items:
            assert item["model_answer"] and item["mark_scheme"] and item["points"] > 0, (module, item["grade_id"])
            assert "BEGIN MARK SCHEME" not in item["model_answer"]


def test_answers_are_revealed_only_after_an_attempt(tmp_path, capsys, monkeypatch):
    module = "00_orientation"
    source = ROOT / "assignments" / "source" / module / f"{module}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:  # the handout: written answers say YOUR ANSWER HERE
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution"):
            cell.source = "YOUR ANSWER HERE"
    (tmp_path / module).mkdir()
    nbformat.write(notebook, tmp_path / module / f"{module}.ipynb")
    stored = json.loads(answers.ANSWERS_FILE.read_text(encoding="utf-8"))
    first = stored[module][0]

    text = "\n".join(answers.reveal(module, tmp_path, stored))
    assert "first" in text and first["model_answer"] not in text and first["mark_scheme"] not in text
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == first["grade_id"]:
            cell.source = "My own attempt: the harm falls on people the model was never tested on."
    nbformat.write(notebook, tmp_path / module / f"{module}.ipynb")
    text = "\n".join(answers.reveal(module, tmp_path, stored))
    assert first["model_answer"] in text and first["mark_scheme"] in text

    monkeypatch.setenv("RAIKIT_WORKSPACE", str(tmp_path))
    assert answers.main(["--module", "00"]) == 0 and first["model_answer"] in capsys.readouterr().out
    assert answers.main(["--module", "99"]) == 2 and "No module" in capsys.readouterr().err
