"""The static course site (coursesite/build.py): navigation data, a real build, offline pages, failures."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import pytest
from conftest import LESSONS, ROOT

from coursesite import build as site
from graders import cli

DEFAULT_ALT = "No description has been provided for this image"  # what nbconvert writes when alt is missing


class _Tags(HTMLParser):
    """Collects the attributes of every tag of interest in a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(path, name=None) -> list[dict]:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return [attrs for tag, attrs in parser.tags if name is None or tag == name]


# --- navigation data (fast) ---------------------------------------------------------------------

def test_course_map_rows_are_read_for_every_lesson():
    rows = site.parse_course_map((ROOT / "docs" / "COURSE_MAP.md").read_text(encoding="utf-8"))
    assert sorted(rows) == [p.stem[:2] for p in LESSONS]
    assert rows["03"]["module"] == "Fairness in decisions"
    assert rows["00"]["lesson time"] == "45 min"
    assert rows["01"]["prerequisites"] == "00"


def test_lesson_info_combines_the_first_cell_and_the_course_map():
    lessons = [lesson for _, lesson in site.discover_lessons()]
    assert [lesson.number for lesson in lessons] == [p.stem[:2] for p in LESSONS]
    fairness = next(lesson for lesson in lessons if lesson.number == "03")
    assert fairness.name == "Fairness in decisions" and fairness.title == "Fairness in decisions"
    assert fairness.summary.startswith("You will be able to compute group rates")
    assert fairness.time == "60-75 min" and fairness.prerequisites == "01, 02"
    assert fairness.objectives and all("**" not in o for o in fairness.objectives)
    privacy = next(lesson for lesson in lessons if lesson.number == "08")
    assert privacy.title.startswith("Privacy: personal data")  # "Module 08 · " is stripped


def test_a_lesson_missing_from_the_course_map_falls_back_to_its_first_cell(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Module 42: Testing the site\n\n**A subtitle that says what the lesson is about**\n\n"
        "**Learning objectives.** You can:\n\n- build a site;\n- read it offline.")])
    nbformat.write(notebook, tmp_path / "42_testing.ipynb")
    lesson = site.lesson_info(tmp_path / "42_testing.ipynb", {})
    assert (lesson.number, lesson.name, lesson.time) == ("42", "Testing the site", "")
    assert lesson.summary == "A subtitle that says what the lesson is about"
    assert lesson.objectives == ("build a site;", "read it offline.")


def test_unknown_lessons_and_headless_notebooks_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match=r"no lesson 99 .*choose from 00"):
        site.discover_lessons(only=["99"])
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("no heading")]),
                   tmp_path / "01_x.ipynb")
    with pytest.raises(ValueError, match=r"01_x.ipynb: the first markdown cell needs"):
        site.lesson_info(tmp_path / "01_x.ipynb", {})
    assert cli.main(["site", "--lessons", "99", "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


# --- real builds (slow) ---------------------------------------------------------------------------

@pytest.mark.slow
def test_site_of_two_lessons_links_embeds_and_works_offline(tmp_path):
    failures = site.build_site(tmp_path, ["00", "02"])
    assert failures == []
    pages = {p.name for p in tmp_path.glob("*.html")}
    assert pages == {"index.html", "00_orientation.html", "02_calibration.html"}

    index_links = [a["href"] for a in _tags(tmp_path / "index.html", "a")]
    assert index_links == ["00_orientation.html", "02_calibration.html"]  # module order
    first = {a.get("rel"): a["href"] for a in _tags(tmp_path / "00_orientation.html", "a") if a.get("rel")}
    second = {a.get("rel"): a["href"] for a in _tags(tmp_path / "02_calibration.html", "a") if a.get("rel")}
    assert first == {"next": "02_calibration.html"} and second == {"prev": "00_orientation.html"}
    assert 'href="index.html"' in (tmp_path / "02_calibration.html").read_text(encoding="utf-8")

    for page in ("00_orientation.html", "02_calibration.html"):
        images = _tags(tmp_path / page, "img")
        assert len(images) >= 2, f"{page}: the lesson's figures are in the page"
        for image in images:
            assert image["src"].startswith("data:image/png;base64,"), "images are embedded"
            assert image.get("alt") and image["alt"] != DEFAULT_ALT and len(image["alt"].split()) >= 6
        external = [attrs.get("src") for attrs in _tags(tmp_path / page)
                    if re.match(r"https?://", attrs.get("src") or "")]
        assert external == [], f"{page} loads {external} from the network"
        scripts = [attrs["src"] for attrs in _tags(tmp_path / page, "script") if attrs.get("src")]
        assert scripts == [f"mathjax/MathJax.js?config={site.MATHJAX_CONFIG}"]
    assert (tmp_path / "mathjax" / "MathJax.js").exists()
    assert (tmp_path / "mathjax" / "config" / "TeX-AMS-MML_HTMLorMML-full.js").exists()


@pytest.mark.slow
def test_a_failing_lesson_is_named_and_the_rest_still_builds(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    good = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Module 00: Works\n\nIt runs.", id="intro"),
        nbformat.v4.new_code_cell("print('fine')", id="ok")])
    bad = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Module 01: Breaks\n\nIt fails.", id="intro"),
        nbformat.v4.new_code_cell("x = 1", id="ok"),
        nbformat.v4.new_code_cell("raise ValueError('the data file is missing')", id="load-data")])
    nbformat.write(good, lessons / "00_works.ipynb")
    nbformat.write(bad, lessons / "01_breaks.ipynb")
    out = tmp_path / "site"
    lines: list[str] = []
    failures = site.build_site(out, lessons_dir=lessons, course_map=tmp_path / "none.md", log=lines.append,
                               workers=2)
    finished = sorted(line.split("]")[0] + "]" for line in lines if line.startswith("["))
    assert finished == ["[1/2]", "[2/2]"], f"one progress line per lesson: {lines}"
    assert any("FAILED lesson 01_breaks" in line for line in lines), lines
    assert [(f.lesson, f.cell_index, f.cell_id) for f in failures] == [("01_breaks", 2, "load-data")]
    message = str(failures[0])
    assert message == "lesson 01_breaks failed in cell 2 (id 'load-data'): ValueError: the data file is missing"
    assert (out / "00_works.html").exists()
    broken = (out / "01_breaks.html").read_text(encoding="utf-8")
    assert "This lesson failed to build" in broken and "the data file is missing" in broken
    assert "failed to build" in (out / "index.html").read_text(encoding="utf-8")
