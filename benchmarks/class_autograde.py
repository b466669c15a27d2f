"""Autograde a whole class: stock ``nbgrader autograde`` against the kit, same machine, same run.

Builds a class of synthetic submissions of a transformer-using assignment (default
01_evaluation, which loads MiniLM) from the assignment's solution and its known student
fixtures (tests/fixtures/<assignment>.py: a correct alternative, partial, wrong and raising
answers; fixtures that cheat are left out, since stock nbgrader would score them differently
by design). Each engine grades its own copy of the class in a child process while this
process samples the memory (PSS) of that child's whole process tree.

Prints seconds per submission, the speed-up over stock, peak memory, and whether every
student's score is identical across engines. Numbers are printed, not asserted.

    make bench   (or: .venv/bin/python benchmarks/class_autograde.py [--students 24] [--no-memo] [--cold])
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

HONEST_FIXTURES = ("correct_alt", "partial", "wrong", "raising")


def build_class(assignment: str, students: int, scratch: Path) -> Path:
    """An inbox of ``students`` submissions cycling through solution and honest fixtures."""
    from nbgrader_harness import fill_cells, load_fixtures, ops, solution_submission

    course = scratch / "template"
    shutil.copytree(ROOT / "assignments" / "source" / assignment, course / "source" / assignment)
    ops.release([assignment], course, quiet=True)
    release = course / "release" / assignment / f"{assignment}.ipynb"
    source = course / "source" / assignment / f"{assignment}.ipynb"
    fixtures = load_fixtures(assignment, ROOT / "tests" / "fixtures")
    kinds = ["solution"] + [k for k in HONEST_FIXTURES if k in fixtures]
    inbox = scratch / "inbox"
    for i in range(students):
        kind = kinds[i % len(kinds)]
        out = inbox / f"{kind}-{i:03d}" / release.name
        if kind == "solution":
            solution_submission(source, release, out)
        else:
            fill_cells(release, fixtures[kind]["cells"], out)
    return inbox


def grade_child(engine: str, assignment: str, inbox: Path, course: Path, workers: int | None) -> None:
    """Child mode: grade the class with one engine; print the scores as JSON."""
    from graders import course as ops

    shutil.copytree(ROOT / "assignments" / "source" / assignment, course / "source" / assignment)
    ops.release([assignment], course, quiet=True)
    started = time.perf_counter()
    if engine == "stock":
        ops.collect_submissions(assignment, inbox, course)
        result = ops.autograde(assignment, course, engine="stock", quiet=True)
    else:
        result = ops.autograde(assignment, course, inbox, engine="sandbox", quiet=True, workers=workers,
                               warm=engine != "kit-cold", memo=engine == "kit")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "scores": {s.student: s.score for s in result.scores}}))


class TreeMemory:
    """Peak memory (proportional set size) of a process and all its descendants, sampled every 0.2 s."""

    def __init__(self, pid: int):
        import psutil

        self.root, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for process in [self.root, *self.root.children(recursive=True)]:
                    try:  # PSS: pages shared by forked workers are counted once, not once per worker
                        total += process.memory_full_info().pss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            time.sleep(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_engine(engine: str, assignment: str, inbox: Path, scratch: Path, workers: int | None) -> dict:
    command = [sys.executable, __file__, "--child", engine, "--assignment", assignment, "--inbox", str(inbox),
               "--course", str(scratch / f"course-{engine}")]
    if workers:
        command += ["--workers", str(workers)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(child.pid)
    out, err = child.communicate()
    peak = memory.stop()
    if child.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mib"] = peak / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="01_evaluation")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=None, help="kit workers (default: one per core)")
    parser.add_argument("--cold", action="store_true", help="also time the kit with cold-started workers")
    parser.add_argument("--no-memo", action="store_true",
                        help="also time the kit with warm workers but without the embedding memo")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--course", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        grade_child(args.child, args.assignment, args.inbox, args.course, args.workers)
        return
    from graders.engine import default_workers

    with tempfile.TemporaryDirectory(prefix="raikit-bench-") as scratch:
        scratch = Path(scratch)
        os.chmod(scratch, 0o755)
        inbox = build_class(args.assignment, args.students, scratch)
        engines = ["stock", "kit"] + (["kit-nomemo"] if args.no_memo else []) + (["kit-cold"] if args.cold else [])
        print(f"autograde {args.students} submissions of {args.assignment} on {os.cpu_count()} cores "
              f"(kit workers: {args.workers or default_workers()})")
        results = {engine: run_engine(engine, args.assignment, inbox, scratch, args.workers) for engine in engines}
    stock = results["stock"]
    print(f"{'engine':<11} {'seconds':>8} {'s/submission':>13} {'speed-up':>9} {'peak MiB (PSS, all processes)':>30}")
    for engine, result in results.items():
        print(f"{engine:<11} {result['seconds']:>8.1f} {result['seconds'] / args.students:>13.2f} "
              f"{stock['seconds'] / result['seconds']:>8.2f}x {result['peak_mib']:>30.0f}")
    same = all(result["scores"] == stock["scores"] for result in results.values())
    print(f"scores identical across engines: {'yes' if same else 'NO'}")
    if not same:
        for student in sorted(stock["scores"]):
            row = {engine: result["scores"].get(student) for engine, result in results.items()}
            if len(set(row.values())) > 1:
                print(f"  {student}: {row}")
    counts = {}
    for score in stock["scores"].values():
        counts[score] = counts.get(score, 0) + 1
    print("score distribution (stock):", ", ".join(f"{k:g}: {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
