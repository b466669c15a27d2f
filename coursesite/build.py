"""The course as a static HTML site: every lesson executed and rendered, with a navigation page.

    raikit-grade site [--lessons 00 03] [--out site] [--cell-timeout 300]      (or `make site`)

Each lesson runs top to bottom in a fresh ``python3`` kernel (cwd ``lessons/``, offline, the
inline matplotlib backend so figures are embedded as PNG), then nbconvert's ``lab`` template
turns it into ``<out>/<lesson>.html`` with previous / all lessons / next links.
``<out>/index.html`` lists the modules in order with their summary, prerequisites and time,
taken from each lesson's first cell and docs/COURSE_MAP.md (never typed twice).

The site works offline from ``file://``: images are embedded, MathJax is copied from the
``jupyter-server-mathjax`` package into ``<out>/mathjax/``, and the template's CDN scripts that
the lessons do not need (require.js for widgets, mermaid) are left out (docs/ACCESSIBILITY.md).

A lesson that fails is reported by name and cell; its page shows the error, the other
lessons are still built, and the command exits 1. ``tests/test_lessons.py`` executes the
lessons with the same :func:`coursesite.execute.execute_notebook`.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite.execute import CELL_TIMEOUT, LessonError, execute_notebook

if TYPE_CHECKING:  # nbformat takes about a second to import; raikit-grade loads this module for every command
    import nbformat

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "lessons"
COURSE_MAP = ROOT / "docs" / "COURSE_MAP.md"
TEMPLATES = Path(__file__).resolve().parent / "templates"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # a configuration jupyter-server-mathjax ships


@dataclass(frozen=True)
class Lesson:
    """What the navigation shows for one lesson (read from the lesson and the course map)."""

    number: str  # "03"
    stem: str  # "03_fairness"
    name: str  # short module name, e.g. "Fairness in decisions"
    title: str  # the lesson's own heading without "Module NN"
    summary: str  # one line: what you will be able to do
    prerequisites: str
    time: str
    objectives: tuple[str, ...]

    @property
    def page(self) -> str:
        return f"{self.stem}.html"


# --- navigation data -------------------------------------------------------------------------

def parse_course_map(text: str) -> dict[str, dict[str, str]]:
    """Rows of the module table in docs/COURSE_MAP.md, keyed by module number ("00").

    The table is the one whose header starts with ``| # |``; each row maps column names
    (``module``, ``you will be able to``, ``prerequisites``, ``lesson time``...) to cell text.
    """
    rows: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            if rows:  # the module table has ended
                break
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "#":
            header = cells
        elif header and re.fullmatch(r"\d\d", cells[0]) and len(cells) == len(header):
            rows[cells[0]] = dict(zip(header, cells, strict=True))
    return rows


def _strip_markdown(text: str) -> str:
    """Plain text for the index page: no emphasis or code markers."""
    return re.sub(r"[*_`]+", "", text).strip()


def lesson_info(path: Path, course_map: dict[str, dict[str, str]]) -> Lesson:
    """Navigation data of one lesson: its first markdown cell, completed by its course-map row.

    The heading (``# Module NN: Title`` or ``# Module NN · Title``) gives number and title; the
    bullets after "objectives" give the objectives. The course map gives the short name, the
    one-line summary, prerequisites and time; without a row the lesson's bold subtitle or first
    sentence is the summary.
    """
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    first = next((cell for cell in notebook.cells if cell.cell_type == "markdown"), None)
    heading = re.search(r"^#\s+(.+)$", first.source, re.M) if first else None
    if heading is None:
        raise ValueError(f"{path.name}: the first markdown cell needs a '# Module NN: title' heading")
    title = re.sub(r"^Module\s+\d+\s*[:·.\-–—]?\s*", "", heading.group(1)).strip()
    number = path.stem.split("_", 1)[0]
    after = first.source.split("objective", 1)[-1] if "objective" in first.source.lower() else ""
    objectives = tuple(_strip_markdown(re.sub(r"\s+", " ", m)) for m in
                       re.findall(r"^- (.+(?:\n  .+)*)", after, re.M))
    row = course_map.get(number, {})
    bold = re.search(r"^\*\*(.+)\*\*\s*$", first.source, re.M)
    paragraphs = [p for p in first.source.split("\n\n")[1:] if p.strip() and not p.startswith(("-", "#"))]
    fallback = bold.group(1) if bold else (paragraphs[0].split(". ")[0] if paragraphs else title)
    summary = row.get("you will be able to")
    return Lesson(
        number=number, stem=path.stem, name=row.get("module") or title.split(":")[0], title=title,
        summary=_strip_markdown(f"You will be able to {summary}." if summary else re.sub(r"\s+", " ", fallback)),
        prerequisites=_strip_markdown(row.get("prerequisites", "")), time=row.get("lesson time", ""),
        objectives=objectives)


def discover_lessons(lessons_dir: Path = LESSONS_DIR, only: Sequence[str] | None = None,
                     course_map_path: Path = COURSE_MAP) -> list[tuple[Path, Lesson]]:
    """The lessons in module order, optionally only those whose number or stem is in ``only``."""
    paths = sorted(lessons_dir.glob("[0-9][0-9]_*.ipynb"))
    if only:
        wanted = set(only)
        unknown = wanted - {p.stem.split("_")[0] for p in paths} - {p.stem for p in paths}
        if unknown:
            raise ValueError(f"no lesson {', '.join(sorted(unknown))} in {lessons_dir}; "
                             f"choose from {', '.join(p.stem.split('_')[0] for p in paths)}")
        paths = [p for p in paths if p.stem in wanted or p.stem.split("_")[0] in wanted]
    if not paths:
        raise ValueError(f"no lessons (NN_slug.ipynb) found in {lessons_dir}")
    course_map = parse_course_map(course_map_path.read_text(encoding="utf-8")) if course_map_path.exists() else {}
    return [(p, lesson_info(p, course_map)) for p in paths]


# --- rendering ---------------------------------------------------------------------------------

def _nav(lessons: list[Lesson], position: int | None) -> str:
    """Previous / all lessons / next links (the index page passes ``position=None``)."""
    def link(lesson: Lesson, rel: str, arrow: str) -> str:
        text = f"{lesson.number} {lesson.name}"
        text = f"{arrow} {text}" if rel == "prev" else f"{text} {arrow}"
        return f'<a rel="{rel}" href="{lesson.page}">{html.escape(text)}</a>'

    parts = []
    if position is not None and position > 0:
        parts.append(link(lessons[position - 1], "prev", "←"))
    parts.append('<a href="index.html">All lessons</a>')
    if position is not None and position + 1 < len(lessons):
        parts.append(link(lessons[position + 1], "next", "→"))
    return '<nav class="site-nav" aria-label="Lessons">' + " · ".join(parts) + "</nav>"


def render_lesson(notebook: nbformat.NotebookNode, lessons: list[Lesson], position: int,
                  error: LessonError | None = None, mathjax_url: str = f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"
                  ) -> str:
    """One lesson page: nbconvert's lab template (see site_templates/) plus navigation."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(TEMPLATES)],
                            template_file="lesson.html.j2", mathjax_url=mathjax_url)
    lesson = lessons[position]
    banner = ""
    if error is not None:
        banner = (f'<p class="site-error" role="alert"><strong>This lesson failed to build.</strong> '
                  f"{html.escape(str(error))}. Its page stops at that cell.</p>")
    body, _ = exporter.from_notebook_node(notebook, resources={
        "metadata": {"name": f"{lesson.number} {lesson.title}"},
        "site_nav": _nav(lessons, position), "site_banner": banner})
    return body


def render_index(lessons: list[Lesson], failed: Sequence[str] = ()) -> str:
    """The navigation page: every module in order, with summary, prerequisites and time."""
    items = []
    for lesson in lessons:
        status = ' <strong class="site-error">(failed to build)</strong>' if lesson.stem in failed else ""
        facts = " · ".join(x for x in (f"time: {lesson.time}" if lesson.time else "",
                                       f"after: {lesson.prerequisites}" if lesson.prerequisites else "") if x)
        items.append(
            f'<li><h2><a href="{lesson.page}">{lesson.number} · {html.escape(lesson.name)}</a>{status}</h2>\n'
            f"<p>{html.escape(lesson.summary)}</p>\n"
            + (f'<p class="facts">{html.escape(facts)}</p>' if facts else "") + "</li>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Responsible-AI course kit: lessons</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #111; }}
ol {{ list-style: none; padding: 0; }}
li {{ border-top: 1px solid #ccc; padding: 0.4rem 0; }}
h2 {{ font-size: 1.15rem; margin: 0.4rem 0 0.2rem; }}
a {{ color: #0052a3; }}
.facts {{ color: #444; font-size: 0.95rem; margin-top: 0; }}
.site-error {{ color: #a33a00; }}
</style>
</head>
<body>
<main>
<h1>Responsible-AI course kit: lessons</h1>
<p>Thirteen modules, each one lesson (rendered here with its outputs) and one autograded
assignment. Work through them in order, or follow a path from the course map.</p>
<ol>
{chr(10).join(items)}
</ol>
</main>
</body>
</html>
"""


def copy_mathjax(out: Path) -> None:
    """Copy MathJax 2 from the jupyter-server-mathjax package to ``out/mathjax`` (once)."""
    target = out / "mathjax"
    if (target / "MathJax.js").exists():
        return
    try:
        import jupyter_server_mathjax
    except ImportError as exc:
        raise RuntimeError("the offline site needs MathJax from the jupyter-server-mathjax package; "
                           "run `make setup` (it is pinned in requirements.txt)") from exc
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", target)


def build_site(out: Path, only: Sequence[str] | None = None, *, lessons_dir: Path = LESSONS_DIR,
               course_map: Path = COURSE_MAP, timeout: int = CELL_TIMEOUT,
               log: Callable[[str], None] = print, workers: int | None = None) -> list[LessonError]:
    """Execute and render the lessons into ``out``; return the failures (empty: all built).

    ``workers`` lessons run at once, each in its own kernel (default: one per core, at most two,
    so two kernels of at most 2 GiB fit a laptop) with its share of the cores for PyTorch; a line
    per finished lesson reports progress.
    Navigation always covers the lessons built in this run, so ``only`` gives a small site.
    """
    import nbformat

    found = discover_lessons(lessons_dir, only, course_map)
    lessons = [lesson for _, lesson in found]
    out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(out)
    started = time.perf_counter()
    done: list[int] = []
    lock = threading.Lock()

    def build(position: int) -> LessonError | None:
        path, lesson = found[position]
        notebook = nbformat.read(path, as_version=4)
        error = None
        try:
            seconds = execute_notebook(notebook, name=path.stem, cwd=path.parent, timeout=timeout, threads=threads)
            note = f"executed {path.name} in {seconds:.1f} s"
        except LessonError as exc:
            error, note = exc, f"FAILED {exc}"
        (out / lesson.page).write_text(render_lesson(notebook, lessons, position, error), encoding="utf-8")
        with lock:
            done.append(position)
            log(f"[{len(done)}/{len(found)}] {note} ({time.perf_counter() - started:.0f} s elapsed)")
        return error

    workers = max(1, min(workers or min(2, os.cpu_count() or 1), len(found) or 1))
    # two kernels each running PyTorch on every core would fight over them: share the cores
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    if workers == 1:
        errors = [build(k) for k in range(len(found))]
    else:
        log(f"executing {len(found)} lessons, {workers} at a time")
        with ThreadPoolExecutor(workers, thread_name_prefix="lesson") as pool:
            errors = list(pool.map(build, range(len(found))))
    failures = [e for e in errors if e is not None]
    (out / "index.html").write_text(render_index(lessons, [f.lesson for f in failures]), encoding="utf-8")
    return failures


# --- command line (raikit-grade site) -------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``raikit-grade site``."""
    parser.add_argument("--lessons", nargs="+", metavar="NN", default=None,
                        help="build only these lessons, by number or name (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="lessons executed at once (default: one per core, at most 2)")


def run(args: argparse.Namespace) -> int:
    """Build the site; 0 when every lesson built, 1 when one failed, 2 for bad input."""
    started = time.perf_counter()
    try:
        failures = build_site(args.out, args.lessons, timeout=args.cell_timeout, workers=args.workers)
    except ValueError as exc:
        print(f"raikit-grade site: error: {exc}", file=sys.stderr)
        return 2
    print(f"site written to {args.out / 'index.html'} in {time.perf_counter() - started:.0f} s")
    for failure in failures:
        print(f"raikit-grade site: {failure}", file=sys.stderr)
    return 1 if failures else 0
