"""Model answers and mark schemes for self-paced learners, revealed after an attempt.

Every written question of an assignment has, in its source (``assignments/source/``), a model
answer and a mark scheme. ``learner/model_answers.json`` holds them apart from the graded
material (generated from the sources: ``make model-answers``; a test keeps it in step).

``make answers M=03`` (``python -m raikit.learner.answers --module 03``) prints them for one
module, but only for the questions you have attempted in ``my-work/<NN_slug>/<NN_slug>.ipynb``:
a written answer that still says ``YOUR ANSWER HERE`` gets a nudge instead. ``--anyway`` shows
them all. Instructors leave the file out of the student pack unless they choose otherwise
(``raikit-grade student-pack --with-answers``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from raikit.learner import progress

KIT_ROOT = progress.KIT_ROOT
ANSWERS_FILE = KIT_ROOT / "learner" / "model_answers.json"
MARK_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===", re.S)


def extract(source_notebook: Path) -> list[dict]:
    """The written questions of one source notebook: id, points, question, model answer, mark scheme."""
    import nbformat

    notebook = nbformat.read(source_notebook, as_version=4)
    found, question = [], ""
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            scheme = MARK_SCHEME.search(cell.source)
            found.append({"grade_id": meta["grade_id"], "points": float(meta.get("points", 0)),
                          "question": question.strip(),
                          "model_answer": MARK_SCHEME.sub("", cell.source).strip(),
                          "mark_scheme": scheme.group(1).strip() if scheme else ""})
        elif cell.cell_type == "markdown":
            question = cell.source
    return found


def build(source_root: Path = KIT_ROOT / "assignments" / "source") -> dict[str, list[dict]]:
    """``{module: [written question, ...]}`` for every source under ``source_root``."""
    return {folder.name: extract(folder / f"{folder.name}.ipynb")
            for folder in sorted(source_root.iterdir()) if (folder / f"{folder.name}.ipynb").is_file()}


def write(path: Path = ANSWERS_FILE, source_root: Path = KIT_ROOT / "assignments" / "source") -> Path:
    path.write_text(json.dumps(build(source_root), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def reveal(module: str, workspace: Path, answers: dict[str, list[dict]], anyway: bool = False) -> list[str]:
    """The lines to print for ``module``: each attempted question's model answer and mark scheme."""
    path = progress.notebook_path(workspace, module)
    attempted: dict[str, bool] = {}
    if path.is_file():
        _, written = progress.outline(progress._read_json_notebook(path))
        attempted = {w.grade_id: w.filled for w in written}
    lines = []
    for item in answers.get(module, []):
        lines.append(f"== {module} {item['grade_id']} ({item['points']:g} points) ==")
        if not (anyway or attempted.get(item["grade_id"])):
            lines.append(f"Write your own answer to {item['grade_id']} in {path} first (save the notebook), then "
                         f"run `make answers M={module[:2]}` again. Comparing after an attempt is what teaches.")
            continue
        lines += ["", "Model answer:", "", item["model_answer"], "", "Mark scheme:", "",
                  item["mark_scheme"] or "(none given)", ""]
    return lines or [f"{module} has no written questions."]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Model answers of a module's written questions, after an attempt.")
    parser.add_argument("--module", required=True, help="03, 3, fairness or 03_fairness")
    parser.add_argument("--workspace", type=Path, default=None, help="default: my-work/ ($RAIKIT_WORKSPACE)")
    parser.add_argument("--anyway", action="store_true", help="show every answer, attempted or not")
    args = parser.parse_args(argv)
    if not ANSWERS_FILE.is_file():
        print("No model answers here: your instructor left them out of this course copy.", file=sys.stderr)
        return 2
    answers = json.loads(ANSWERS_FILE.read_text(encoding="utf-8"))
    try:
        (module,) = progress.select_modules([args.module], sorted(answers))
    except (progress.ProgressError, ValueError) as exc:
        print(f"raikit answers: {exc}", file=sys.stderr)
        return 2
    print("\n".join(reveal(module, args.workspace or progress.default_workspace(), answers, args.anyway)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
