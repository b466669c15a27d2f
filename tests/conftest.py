"""Shared test setup: offline, headless, and helpers to find the course's notebooks."""

from __future__ import annotations

import os

# Offline and headless before anything imports transformers or matplotlib.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["MPLBACKEND"] = "Agg"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
SOURCES = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))
ASSIGNMENTS = sorted(p.parent.name for p in SOURCES)
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def _no_model_overrides(monkeypatch):
    """Tests use the shipped offline models, whatever the developer's shell says."""
    for key in list(os.environ):
        if key.startswith("RAIKIT_MODEL_") or key == "RAIKIT_CONFIG":
            monkeypatch.delenv(key)


@pytest.fixture
def make_fifo():
    """``make_fifo(path)`` makes a named pipe that is removed after the test: a pipe left in
    pytest's kept temp folders would block any later code that opens every file under /tmp."""
    import os

    made = []

    def make(path):
        os.mkfifo(path)
        made.append(path)
        return path

    yield make
    for path in made:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


@pytest.fixture(scope="session")
def released_course(tmp_path_factory) -> Path:
    """Every assignment released into one scratch course (one nbgrader process for all of them),
    shared by the slow tests: test_assignments grades its classes in it, test_progress copies
    the releases from it."""
    import shutil

    from graders import course as ops

    course = tmp_path_factory.mktemp("course_all")
    shutil.copytree(ROOT / "assignments" / "source", course / "source")
    ops.release(None, course, quiet=True)
    return course
