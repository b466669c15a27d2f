"""The student pack (`make student-pack`): everything students need, no secret of the instructor's,
and its own `make check` passes from the pack alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT
from nbgrader_harness import secret_lines

from graders import pack

pytestmark = pytest.mark.slow
SOURCES = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    course = tmp_path_factory.mktemp("pack_course")
    shutil.copytree(ROOT / "assignments" / "source", course / "source")
    folder, archive = pack.build(tmp_path_factory.mktemp("pack_out"), course)
    return folder, archive


def test_pack_holds_what_students_need_and_no_instructor_material(built):
    folder, archive = built
    for needed in ("README.md", "Makefile", "pyproject.toml", "requirements.txt", "environment.yml",
                   "raikit/checks.py", "raikit/learner/progress.py", "learner/progress.ipynb", "tests/test_check.py",
                   "nbgrader_config.py"):
        assert (folder / needed).is_file(), needed
    lessons = {p.stem for p in (ROOT / "lessons").glob("*.ipynb")}
    assert {p.stem for p in (folder / "lessons").glob("*.ipynb")} == lessons
    assert sorted(p.parent.name for p in (folder / "assignments" / "release").glob("*/*.ipynb")) == \
        sorted(p.parent.name for p in SOURCES)
    names = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}
    for secret_place in ("graders/", "assignments/source/", "tests/fixtures", "gradebook.db", "benchmarks/",
                         "coursesite/", "equivalent_mutants", "submitted/", "autograded/", "model_answers"):
        assert not [n for n in names if secret_place in n], secret_place
    with zipfile.ZipFile(archive) as zipped:
        assert {n.split("/", 1)[1] for n in zipped.namelist()} == names


def test_no_line_of_any_solution_hidden_test_or_mark_scheme_is_in_the_pack(built):
    """Every file of the pack (and of the zip) is searched for every secret line of every source.
    Lines the kit already publishes in lessons/ and raikit/ are not secrets of the pack (a model
    answer may repeat a lesson's sentence; a hidden test may call a helper's line)."""
    folder, archive = built
    public = "\n".join(p.read_text(encoding="utf-8") for d in ("lessons", "raikit") for p in (ROOT / d).rglob("*")
                       if p.is_file() and p.suffix in (".ipynb", ".py", ".md", ".csv", ".json", ".yaml"))
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(folder).parts:
            try:
                texts[str(path.relative_to(folder))] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    with zipfile.ZipFile(archive) as zipped:
        texts.update({f"zip:{n}": zipped.read(n).decode("utf-8", "replace") for n in zipped.namelist()})
    checked = 0
    for source in SOURCES:
        for line in secret_lines(source) - {line for line in secret_lines(source) if line in public}:
            checked += 1
            leaked = [name for name, text in texts.items() if line in text]
            assert not leaked, f"{source.parent.name}: secret line {line!r} found in {leaked[:3]}"
    assert checked > 500  # the sources' solutions and hidden tests were really searched for


def test_pack_is_a_git_repository_ready_to_push(built):
    folder, _ = built
    log = subprocess.run(["git", "log", "--oneline"], cwd=folder, capture_output=True, text=True, check=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 1 and status.stdout == ""


def test_the_packs_own_check_command_passes_from_the_pack_alone(built, tmp_path):
    """`make check` in a copy of the pack. Its .venv sees the kit's installed packages (a .pth
    file) instead of downloading them again, and imports raikit from the pack, never the kit."""
    folder = tmp_path / "raikit-student"
    shutil.copytree(built[0], folder)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / ".venv")], check=True)
    site = folder / ".venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    kit_site = next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix))
    (site / "_kit_packages.pth").write_text(kit_site + "\n")
    (site / "_pack.pth").write_text(str(folder) + "\n")
    (folder / ".venv" / ".installed").touch()  # installed: what `make setup` would have done
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(["make", "check"], cwd=folder, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout
    lab = subprocess.run(["make", "-n", "lab"], cwd=folder, env=env, capture_output=True, text=True, check=True)
    assert "jupyter lab" in lab.stdout and "raikit.learner.workspace" in lab.stdout
