"""Time the course: execute every lesson and every assignment solution.

Prints, per notebook, wall time and the kernel's peak memory (resident set size), the
total, and whether the course meets its targets (whole course within 10 minutes, no notebook
over 60 s, no kernel over 2 GiB). With ``--autograde-each`` it also times autograding one
submission (the solution) per assignment, stock `nbgrader autograde` against the kit.
Numbers are printed, not asserted: tests check behaviour, this measures.

    make bench        (runs this and benchmarks/class_autograde.py)
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")


def execute_one(path: Path) -> None:
    """Child mode: execute one notebook; print JSON with seconds and the kernel's peak RSS."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the kernel is our only child
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024}))


def measure_notebook(path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_autograde(assignment: str, engine: str) -> float:
    sys.path.insert(0, str(ROOT))
    from graders import course as ops

    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        shutil.copytree(ROOT / "assignments" / "source" / assignment, course / "source" / assignment)
        ops.release([assignment], course, quiet=True)
        inbox = Path(scratch) / "inbox" / "student1"
        inbox.mkdir(parents=True)
        shutil.copy(course / "source" / assignment / f"{assignment}.ipynb", inbox)
        started = time.perf_counter()
        ops.autograde(assignment, course, inbox.parent, engine=engine, quiet=True)
        return time.perf_counter() - started


TARGET_TOTAL_S, TARGET_NOTEBOOK_S, TARGET_KERNEL_MIB = 600, 60, 2048  # issue 4's course-execution targets


def main(autograde_each: bool = False) -> None:
    lessons = sorted((ROOT / "lessons").glob("*.ipynb"))
    sources = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))
    print(f"{'notebook':<58} {'seconds':>8} {'peak MiB':>9}")
    total, slowest, heaviest = 0.0, 0.0, 0.0
    for path in lessons + sources:
        result = measure_notebook(path)
        total += result["seconds"]
        slowest, heaviest = max(slowest, result["seconds"]), max(heaviest, result["peak_mib"])
        print(f"{str(path.relative_to(ROOT)):<58} {result['seconds']:>8.1f} {result['peak_mib']:>9.0f}")
    print(f"{'all ' + str(len(lessons + sources)) + ' notebooks':<58} {total:>8.1f}")
    for label, value, target in (("whole course (s)", total, TARGET_TOTAL_S),
                                 ("slowest notebook (s)", slowest, TARGET_NOTEBOOK_S),
                                 ("largest kernel (MiB)", heaviest, TARGET_KERNEL_MIB)):
        print(f"target {label:<22} {value:>8.1f} <= {target:<6} {'met' if value <= target else 'MISSED'}")
    if not autograde_each:
        return
    print()
    print(f"{'autograde 1 submission (seconds)':<40} {'stock':>8} {'sandbox':>8} {'ratio':>6}")
    for path in sources:
        stock = measure_autograde(path.parent.name, "stock")
        safe = measure_autograde(path.parent.name, "sandbox")
        print(f"{path.parent.name:<40} {stock:>8.1f} {safe:>8.1f} {safe / stock:>6.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        execute_one(Path(sys.argv[2]))
    else:
        main(autograde_each="--autograde-each" in sys.argv)
