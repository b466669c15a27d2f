"""`raikit-grade`: the instructor's command line over nbgrader.

    raikit-grade release [ASSIGNMENT ...]            generate student versions (all by default)
    raikit-grade autograde ASSIGNMENT [--submissions DIR]
    raikit-grade import ASSIGNMENT --from DOWNLOAD --roster CSV   an LMS's zip of submissions in
    raikit-grade exchange setup|release|collect|feedback [ASSIGNMENT] [--root DIR]   nbgrader's exchange (JupyterHub)
    raikit-grade feedback ASSIGNMENT                 HTML feedback per student
    raikit-grade export [--layout long|canvas|moodle] [--roster CSV]   all grades + statuses for an LMS
    raikit-grade scores ASSIGNMENT                   print the gradebook's scores
    raikit-grade report ASSIGNMENT                   grade report: distributions, item analysis, flags, LMS CSV
    raikit-grade demo [--assignment A] [--students N]   grade a synthetic demo class and report on it
    raikit-grade workspace                           learner copies in my-work/ (never overwrites)
    raikit-grade student-pack [--out DIR]            what students get: lessons, handouts, raikit; no sources
    raikit-grade site [--lessons NN ...]             every lesson executed, as a static HTML site
    raikit-grade mutants ASSIGNMENT [--limit N]      mutation analysis of the hidden tests (which wrong answers pass?)

``--course DIR`` points at another nbgrader course folder (default: assignments/);
``--db-url URL`` at another gradebook database (e.g. PostgreSQL; default: $RAIKIT_DB_URL, else
the course's gradebook.db). ``autograde`` grades ``--workers N`` submissions at once (default:
one per core), or on a Dask cluster with ``--scheduler ADDRESS`` (docs/SCALING.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from coursesite import build as site
from graders import course as ops
from graders.engine import Limits
from graders.engine.files import Caps
from graders.reports.summary import run_summary


def _print_scores(rows: list[ops.Score]) -> None:
    if not rows:
        print("no submissions recorded")
        return
    print(f"{'student':<24} {'score':>7} {'max':>6}  note")
    for row in rows:
        note = "written answers need manual grading" if row.needs_manual_grade else ""
        print(f"{row.student:<24} {row.score:>7.2f} {row.max_score:>6.1f}  {note}")


def _exchange(args, course: Path) -> int:
    """`exchange setup|release|collect|feedback`: nbgrader's exchange, checked (graders/exchange.py)."""
    from graders import exchange

    if args.action == "setup":
        print(exchange.setup_exchange(args.root, args.course_id, config_dir=args.config_dir).text())
        return 0
    if not args.assignment:
        raise ops.CourseError(f"raikit-grade exchange {args.action} needs an ASSIGNMENT")
    if args.action == "release":
        out = exchange.release_to_exchange(args.assignment, course, args.root, args.course_id, force=args.force)
        print(f"released to {out}")
    elif args.action == "collect":
        ids = exchange.collect_from_exchange(args.assignment, course, args.root, args.course_id,
                                             check_owner=not args.no_check_owner)
        print(f"collected {len(ids)} submission(s) into {course / 'submitted'}; "
              f"next: make autograde A={args.assignment}")
    else:
        out = exchange.release_feedback_to_exchange(args.assignment, course, args.root, args.course_id)
        print(f"feedback released to {out}")
    return 0


def _report_or_demo(args, course: Path) -> int:
    """`report`: write the grade report of a graded assignment. `demo`: build, grade and report a demo class."""
    from graders.demo import classroom as demo
    from graders.reports import report

    if args.command == "report":
        known = ops.assignments(course)  # a clear error if --course is not a course folder
        if args.assignment not in known:
            raise ops.CourseError(f"No assignment {args.assignment!r} in {course / 'source'}. "
                                  f"Known: {', '.join(known)}.")
        print("\n".join(report.summary_lines(report.write_report(args.assignment, course))))
        return 0
    if args.students is not None and args.students < 1:
        raise ops.CourseError(f"--students must be 1 or more (got {args.students})")
    result = demo.run_demo(args.assignment or demo.DEFAULT_ASSIGNMENT, args.students or demo.DEFAULT_STUDENTS,
                           args.out or demo.DEFAULT_COURSE, seed=args.seed, workers=args.workers)
    print(f"\ndemo class of {len(result.students)} students for {result.assignment} in {result.course}")
    print("time: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    print("\n".join(report.summary_lines(result.report)))
    print(f"other reports of this class: raikit-grade --course {result.course} scores|report {result.assignment}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="raikit-grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", type=Path, default=ops.DEFAULT_COURSE,
                        help="nbgrader course folder (default: %(default)s)")
    parser.add_argument("--db-url", default=None, metavar="URL",
                        help="gradebook database, e.g. postgresql://user:password@host/course "
                             f"(default: ${ops.DB_URL_VARIABLE}, else <course>/gradebook.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate student versions")
    p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    p = sub.add_parser("autograde", help="autograde submissions of one assignment")
    p.add_argument("assignment")
    p.add_argument("--submissions", type=Path,
                   help="folder of <student folder>/<notebook>.ipynb to copy in first (any folder names; "
                        "links, pipes and oversized files are flagged and left out)")
    p.add_argument("--roster", type=Path, default=None,
                   help="CSV with columns folder,student_id naming the nbgrader id of each submission folder "
                        "(default: the folder name, or a safe id derived from it)")
    p.add_argument("--max-handin-mb", type=int, default=Caps().max_bytes // 2**20,
                   help="bytes taken from one student's folder, all files together (more is flagged, left out)")
    p.add_argument("--max-handin-files", type=int, default=Caps().max_files,
                   help="files taken from one student's folder (more are flagged and left out)")
    p.add_argument("--engine", choices=["sandbox", "stock"], default="sandbox",
                   help="sandbox (default): bubblewrap-isolated, unforgeable grading; "
                        "stock: plain `nbgrader autograde` (student code runs with your rights)")
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="grade without bubblewrap isolation (trusted submissions only; prints a warning)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="grade on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786 (docs/SCALING.md)")
    p.add_argument("--no-memo", action="store_true",
                   help="compute every embedding in every submission instead of reusing the batches the "
                        "solution computes (same grades, slower; see graders/engine/memo.py)")
    p.add_argument("--cold-start", action="store_true",
                   help="start every sandboxed worker cold instead of forking a pre-imported template "
                        "(same grades, slower; for debugging)")
    p.add_argument("--workers", type=int, default=None,
                   help="submissions graded at once (default: one per CPU core); 1 grades one after another")
    defaults = Limits()
    p.add_argument("--cell-timeout", type=float, default=defaults.cell_timeout, help="seconds per cell or call")
    p.add_argument("--notebook-timeout", type=float, default=defaults.notebook_timeout,
                   help="seconds per submission")
    p.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                   help="memory of one submission: address space per process, and, as root where the host "
                        "has a memory cgroup, all of the submission's processes together")
    p.add_argument("--work-mb", type=int, default=defaults.work_mb,
                   help="disk quota of a submission's work folder (as root; a tmpfs of this size)")
    p.add_argument("--max-processes", type=int, default=defaults.max_processes,
                   help="processes and threads per sandbox (stops fork bombs)")
    p.add_argument("--max-output-kb", type=int, default=defaults.max_output_kb, help="captured output per cell")
    p = sub.add_parser("import", help="import an LMS download (Canvas, Moodle, Blackboard zip or folder) "
                                      "into imports/<assignment>/inbox/ through the roster")
    p.add_argument("assignment")
    p.add_argument("--from", dest="source", type=Path, required=True, help="the LMS's zip, or its unzipped folder")
    p.add_argument("--roster", type=Path, default=None, help="class roster CSV: student_id, lms_id, name (required)")
    p.add_argument("--lms-timezone", default="UTC",
                   help="time zone of the times stored in the zip (e.g. Europe/Berlin; default UTC)")
    p = sub.add_parser("exchange", help="nbgrader's exchange on a JupyterHub (docs/JUPYTERHUB.md)")
    p.add_argument("action", choices=("setup", "release", "collect", "feedback"))
    p.add_argument("assignment", nargs="?")
    p.add_argument("--root", type=Path, default=Path("/usr/local/share/nbgrader/exchange"))
    p.add_argument("--course-id", default="responsible-ai-kit")
    p.add_argument("--config-dir", type=Path, help="setup: write nbgrader_config.py there, e.g. /etc/jupyter")
    p.add_argument("--force", action="store_true", help="release: replace an earlier release")
    p.add_argument("--no-check-owner", action="store_true", help="collect: every student is one Unix user")
    p = sub.add_parser("student-pack", help="build what students get: lessons, handouts, raikit; no sources")
    p.add_argument("--out", type=Path, default=Path("student-pack"),
                   help="folder for raikit-student/ and raikit-student.zip (default: student-pack/)")
    p.add_argument("--with-answers", action="store_true",
                   help="include the written questions' model answers and mark schemes (make answers)")
    p = sub.add_parser("feedback", help="generate HTML feedback for one assignment")
    p.add_argument("assignment")
    p = sub.add_parser("export", help="export every assignment's grades, with a status per student, for an LMS")
    p.add_argument("--out", type=Path, default=None, help="CSV path (default: <course>/grades.csv)")
    p.add_argument("--layout", choices=("long", "canvas", "moodle"), default="long",
                   help="long: a row per student and assignment; canvas/moodle: those LMSs' gradebook imports "
                        "(docs/GRADES.md)")
    p.add_argument("--roster", type=Path, default=None,
                   help="CSV with student_id and any of lms_id, name, email, sis_id, sis_login, section")
    p = sub.add_parser("scores", help="print recorded scores for one assignment")
    p.add_argument("assignment")
    p = sub.add_parser("report", help="grade report for one assignment -> <course>/reports/<assignment>/")
    p.add_argument("assignment")
    p = sub.add_parser("demo", help="build, autograde and report on a synthetic class (in demo-course/)")
    p.add_argument("--assignment", default=None, help="assignment to use (default: 02_calibration)")
    p.add_argument("--students", type=int, default=None, help="class size (default: 30)")
    p.add_argument("--seed", type=int, default=0, help="seed for the synthetic class (default: %(default)s)")
    p.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: one per core)")
    p.add_argument("--out", type=Path, default=None,
                   help="demo course folder (default: demo-course/; replaced on every run)")
    sub.add_parser("workspace", help="copy released assignments into my-work/ for a learner")
    site.add_arguments(sub.add_parser("site", help="execute the lessons and render them as a static HTML site"))
    p = sub.add_parser("mutants", help="mutation analysis: grade mutants of the solution; which wrong answers survive?")
    p.add_argument("assignment")
    p.add_argument("--question", default=None, help="only this question (e.g. q3)")
    p.add_argument("--limit", type=int, default=None, help="at most N generated mutants per question (a seeded sample)")
    p.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: one per core)")
    p.add_argument("--min-score", type=float, default=0.9,
                   help="exit 1 if a question kills fewer of its non-equivalent mutants (default 0.9)")
    p.add_argument("--record", action="store_true",
                   help="keep these scores in docs/mutation_scores.json as the assignment's floor")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "workers", None) is not None and args.workers < 1:
        parser.error(f"--workers must be 1 or more (got {args.workers})")
    course = args.course.resolve()
    if args.db_url:
        os.environ[ops.DB_URL_VARIABLE] = args.db_url  # nbgrader, started as a subprocess, inherits it
    if args.command == "site":  # needs no course folder
        return site.run(args)
    try:
        if args.command == "release":
            for folder in ops.release(args.assignments, course):
                print(f"released {folder}")
        elif args.command == "autograde":
            engine = "unsafe" if args.unsafe_no_sandbox else args.engine
            limits = Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                            memory_mb=args.memory_mb, max_processes=args.max_processes, work_mb=args.work_mb,
                            max_output_kb=args.max_output_kb)
            result = ops.autograde(args.assignment, course, args.submissions, engine=engine, limits=limits,
                                   workers=args.workers, scheduler=args.scheduler,
                                   warm=not args.cold_start, memo=not args.no_memo, roster=args.roster,
                                   caps=Caps(max_bytes=args.max_handin_mb * 2**20, max_files=args.max_handin_files))
            _print_scores(result.scores)
            if result.problems:
                print(f"\n{len(result.problems)} submission(s) not graded (originals untouched):")
                for student, problem in sorted(result.problems.items()):
                    print(f"  {student}: {problem}")
            print("\n" + "\n".join(run_summary(args.assignment, result)))
            review = [o for o in result.outcomes if o.flags or o.status == "failed"]
            return 1 if review or result.problems else 0
        elif args.command == "import":
            from graders import lms_import

            ops.check_assignment(args.assignment, course)
            try:
                imported = lms_import.import_submissions(args.assignment, args.source, course, args.roster,
                                                         lms_timezone=args.lms_timezone)
            except lms_import.LmsImportError as exc:
                raise ops.CourseError(str(exc)) from exc
            print("\n".join(imported.lines(args.assignment)))
        elif args.command == "exchange":
            return _exchange(args, course)
        elif args.command == "student-pack":
            from graders import pack

            folder, archive = pack.build(args.out, course, with_answers=args.with_answers)
            print(f"student pack: {folder} (a git repository, ready to push) and {archive}\n"
                  "it holds lessons, released assignments, raikit and the learner's tools; no sources, "
                  "hidden tests, fixtures or grading code. Students run `make lab` and `make check` in it.")
        elif args.command == "feedback":
            print(f"feedback written under {ops.feedback(args.assignment, course)}")
        elif args.command == "export":
            from graders.reports import export

            grades = export.collect_grades(course, args.roster)
            out = export.write(grades, args.out or course / "grades.csv", args.layout)
            print("\n".join(export.summary_lines(grades, out, args.layout)))
        elif args.command == "scores":
            _print_scores(ops.scores(args.assignment, course))
        elif args.command == "mutants":
            from graders import mutants

            scores = mutants.analyse(args.assignment, course, limit=args.limit, question=args.question,
                                     workers=args.workers)
            print("\n".join(mutants.report_lines(args.assignment, scores)))
            worse = mutants.below_record(args.assignment, scores, sampled=bool(args.limit or args.question))
            for line in worse:
                print(f"BELOW THE RECORDED SCORE: {line}")
            if args.record and not (args.limit or args.question):
                mutants.record(args.assignment, scores)
                print(f"recorded in {mutants.RECORD}")
            return 1 if worse or any(row.score < args.min_score for row in scores) else 0
        elif args.command in ("report", "demo"):
            return _report_or_demo(args, course)
        elif args.command == "workspace":
            copied = ops.workspace(course=course)
            print(f"{len(copied)} new file(s) in my-work/; existing files were left as they are."
                  " Open my-work/<assignment>/ in JupyterLab to work on an assignment.")
    except ops.CourseError as exc:
        print(f"raikit-grade: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
