"""A learner's own copies of the assignments: ``my-work/<NN_slug>/``, never overwritten.

``make workspace`` (the kit) and the student pack's ``make lab`` both call :func:`copy_handouts`:
every file of every released assignment (``<release>/<NN_slug>/...``) and the learner's
notebooks (``learner/*.ipynb``, e.g. the progress view) are copied into the workspace *only
where the learner has no file of that name*, so re-running adds assignments released later
and never touches work in progress.

    python -m raikit.learner.workspace --release assignments/release --target my-work
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parents[2]


def copy_handouts(release: Path, target: Path, learner: Path | None = None) -> list[Path]:
    """Copy what is missing from ``release/<assignment>/`` and ``learner/*.ipynb`` into ``target``."""
    copied = []
    for source in sorted(learner.glob("*.ipynb")) if learner and learner.is_dir() else []:
        if not (target / source.name).exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / source.name)
            copied.append(target / source.name)
    for folder in sorted(p for p in release.iterdir() if p.is_dir()) if release.is_dir() else []:
        for source in sorted(folder.rglob("*")):
            if source.is_file() and not source.is_symlink():
                destination = target / folder.name / source.relative_to(folder)
                if not destination.exists():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)
                    copied.append(destination)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=KIT_ROOT / "assignments" / "release")
    parser.add_argument("--target", type=Path, default=KIT_ROOT / "my-work")
    parser.add_argument("--learner", type=Path, default=KIT_ROOT / "learner")
    args = parser.parse_args(argv)
    if not args.release.is_dir():
        print(f"raikit workspace: no released assignments in {args.release}", file=sys.stderr)
        return 2
    copied = copy_handouts(args.release, args.target, args.learner)
    print(f"{len(copied)} new file(s) in {args.target}/; existing files were left as they are."
          f" Open {args.target.name}/<assignment>/ in JupyterLab to work on an assignment.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
