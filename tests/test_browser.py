"""The kit in a real browser: Debian's Chromium, driven by Playwright, against a real JupyterLab.

Three users, three flows (each leaves a screenshot in test-artifacts/browser/):
- a learner opens a lesson, runs all cells from the Run menu, and sees no error and a plot;
- a student presses nbgrader's Validate button: the untouched release fails every test cell,
  a solved copy passes;
- an instructor opens the formgrader and sees the course's assignment.

The server runs from a scratch copy (tests/browser_harness.py), never the learner's my-work/.
Chromium comes from Debian (``apt-get install chromium``), not from Playwright's download.
Without it the tests are skipped locally and fail under CI (``CI`` set), so CI cannot pass
silently (as tests/test_parallel_grading.py does for PostgreSQL).
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from browser_harness import (
    INSTALL_HINT,
    SHOTS,
    LabServer,
    build_site,
    chromium_path,
    evidence_on_failure,
    launch_chromium,
)
from conftest import ASSIGNMENTS
from nbgrader_harness import HIDDEN_REGION, nbgrader_meta

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LESSON = "00_orientation.ipynb"  # the learner's first lesson; it also loads the MiniLM transformer
ASSIGNMENT = "03_fairness"       # no model to load, so Validate (which runs the notebook) is quick
VIEWPORT = {"width": 1400, "height": 1000}
# Timeouts in seconds, generous for a busy 2-core machine; each failure says what it waited for.
PAGE_TIMEOUT = 60       # JupyterLab's page and a notebook's kernel
RUN_ALL_TIMEOUT = 180   # every cell of the lesson (about 20 s here)
VALIDATE_TIMEOUT = 180  # nbgrader's validator executes the whole assignment notebook
# A stderr output that is not an error: the same rule as nbgrader_config.py's IgnorePattern.
WARNING = re.compile(r"(?i)warn")
TRACEBACK = "Traceback (most recent call last)"


def _require_chromium() -> None:
    """Skip without Chromium or Playwright, except under CI, where their absence is a failure."""
    missing = None
    if chromium_path() is None:
        missing = f"no Chromium on PATH: {INSTALL_HINT}"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Playwright is not installed: run `make setup` (it is pinned in requirements.txt)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium for the whole module."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """JupyterLab serving a scratch copy of the kit (a lesson, one assignment and its scratch course).
    It asks for ``browser`` first, so a missing Chromium skips (or fails) before any server starts."""
    site = build_site(tmp_path_factory.mktemp("browser") / "site", LESSON, ASSIGNMENT)
    server = LabServer(site)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "jupyterlab-server.log").write_text(server.log_tail(200_000))


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page per test."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT * 1000)
    yield page
    context.close()


# ---- what a user does ------------------------------------------------------------------------

def open_notebook(page, lab: LabServer, path: str, workspace: str) -> None:
    """Open ``path`` in JupyterLab, in a workspace of its own (so tabs of other tests are not
    restored), and wait until its kernel is idle."""
    page.goto(lab.url(f"/lab/workspaces/{workspace}/tree/{path}"))
    _wait(page, ".jp-NotebookPanel:visible .jp-Notebook", f"JupyterLab to show the notebook {path}", PAGE_TIMEOUT)
    wait_kernel_idle(page, f"the kernel of {path} to start")


# The status bar's kernel item reads "Python 3 (ipykernel) | Idle" once a kernel is connected and idle
# (the toolbar's execution indicator already says "idle" while there is "No Kernel | Initializing").
KERNEL_IDLE_JS = r"""() => [...document.querySelectorAll('.jp-StatusBar-Item')].some(
    item => /^(?!No Kernel).+ \| Idle$/.test(item.innerText.trim()))"""


def wait_kernel_idle(page, what: str, timeout: float = PAGE_TIMEOUT) -> None:
    """Wait until the active notebook's kernel is connected and idle."""
    try:
        page.wait_for_function(KERNEL_IDLE_JS, timeout=timeout * 1000)
    except Exception as exc:
        status = page.locator(".jp-StatusBar-Item").all_inner_texts()
        raise AssertionError(f"timed out after {timeout} s waiting for {what} (status bar: {status})") from exc


def run_all_cells(page) -> None:
    """Run > Run All Cells, through the menu bar as a learner would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


PROMPTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')].map(e => e.textContent.trim())"""
STDERR_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    )].map(e => e.innerText)"""

# Plots: an image output (plt.show) or an HTML output holding a PNG (raikit.plotting.show_figure,
# which adds alt text). Each as [natural width, natural height, alt text].
PLOTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')].filter(
    i => i.closest('.jp-RenderedImage') || i.src.startsWith('data:image/')).map(
    i => [i.naturalWidth, i.naturalHeight, i.alt])"""


def errors_shown(page) -> list[str]:
    """Error outputs of the visible notebook. JupyterLab renders errors and stderr streams alike
    (as application/vnd.jupyter.stderr); an output is an error if it has a traceback or is not a
    warning (a SyntaxError shows no 'Traceback' line)."""
    return [text for text in page.evaluate(STDERR_JS) if TRACEBACK in text or not WARNING.search(text)]


def wait_all_cells_executed(page, timeout: float) -> None:
    """Wait until every code cell shows an execution count ``[n]:`` (not ``[ ]:`` or ``[*]:``)."""
    try:
        page.wait_for_function(f"""() => {{ const p = ({PROMPTS_JS})();
            return p.length > 0 && p.every(t => /^\\[\\d+\\]:$/.test(t)); }}""", timeout=timeout * 1000)
    except Exception as exc:
        prompts = page.evaluate(PROMPTS_JS)
        pending = [i for i, text in enumerate(prompts) if not re.fullmatch(r"\[\d+\]:", text)]
        raise AssertionError(f"after {timeout} s, code cells {pending} of {len(prompts)} still have no execution "
                             f"count (prompts {[prompts[i] for i in pending]}); errors shown: "
                             f"{[e[-400:] for e in errors_shown(page)]}; dialogs open: "
                             f"{page.locator('.jp-Dialog').all_inner_texts()}") from exc


def press_validate(page, timeout: float = VALIDATE_TIMEOUT):
    """Press nbgrader's Validate toolbar button; return the results dialog's message element."""
    button = page.locator(".jp-NotebookPanel:visible .validate-button")
    _wait(button, None, "nbgrader's Validate button in the notebook toolbar (is @jupyter/nbgrader enabled?)",
          PAGE_TIMEOUT)
    button.click()
    message = page.locator(".jp-Dialog #validation-message")
    _wait(message, None, "nbgrader's 'Validation Results' dialog", timeout)
    return message


def _wait(target, selector: str | None, what: str, timeout: float) -> None:
    """Wait for ``selector`` on a page (or for a locator) to be visible; fail saying what was awaited."""
    try:
        if selector is None:
            target.wait_for(state="visible", timeout=timeout * 1000)
        else:
            target.wait_for_selector(selector, state="visible", timeout=timeout * 1000)
    except Exception as exc:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from exc


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def visible_test_cells(site_notebook) -> list[str]:
    """First lines of the autograded test cells as the student sees them (hidden tests removed)."""
    notebook = nbformat.read(site_notebook, as_version=4)
    firsts = []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            firsts.append(HIDDEN_REGION.sub("", cell.source).strip().splitlines()[0])
    return firsts


# ---- the tests -------------------------------------------------------------------------------

def test_learner_runs_a_lesson_in_jupyterlab(lab, page):
    with evidence_on_failure(page, lab, "lesson"):
        open_notebook(page, lab, lab.site.lesson, "learner")
        run_all_cells(page)
        wait_all_cells_executed(page, RUN_ALL_TIMEOUT)
        wait_kernel_idle(page, "the kernel to be idle after Run All Cells")

        errors = errors_shown(page)
        assert not errors, f"{LESSON} shows error output in JupyterLab:\n" + "\n---\n".join(e[-800:] for e in errors)
        plots = page.evaluate(PLOTS_JS)
        drawn = [plot for plot in plots if plot[0] > 0 and plot[1] > 0]
        assert drawn, f"{LESSON} ran, but no plot rendered (plot images, natural width, height, alt: {plots})"
        no_alt = [plot[:2] for plot in plots if not plot[2].strip()]
        assert not no_alt, f"plots without alt text for screen readers in JupyterLab (sizes {no_alt}): " \
                           "show figures with raikit.plotting.show_figure(fig, alt)"

        plot = page.locator(".jp-NotebookPanel:visible .jp-OutputArea-output img").first
        plot.click()  # the plot's cell becomes the active one, so JupyterLab keeps it in view
        plot.evaluate("img => img.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(500)  # let the scrolled notebook paint
        screenshot(page, "learner-lesson-run-all")


def test_student_validates_an_assignment(lab, page):
    site = lab.site
    with evidence_on_failure(page, lab, "validate"):
        # The untouched release: every autograded test cell must be reported as failing.
        open_notebook(page, lab, site.released, "student-untouched")
        message = press_validate(page)
        text = message.inner_text()
        screenshot(page, "student-validate-untouched")
        assert "validation-failed" in (message.get_attribute("class") or ""), \
            f"Validate on the untouched {ASSIGNMENT} should report failing cells; the dialog says:\n{text[:1500]}"
        assert "NotImplementedError" in text, f"the failures should be the stubs' NotImplementedError:\n{text[:1500]}"
        missing = [first for first in visible_test_cells(site.root / site.released) if first not in text]
        assert not missing, f"Validate did not report these test cells as failing: {missing}"
        # Hint first (raikit/learner/validate_dialog.py): each failure opens with what to fix, and
        # the test cell's source comes after it.
        first_failure = text.split("The following cell failed:")[1]
        assert re.match(r"\w+\(\) still raises NotImplementedError: replace", first_failure.strip()), \
            f"the first failure should open with the stub's digest:\n{first_failure[:800]}"
        assert first_failure.index("still raises NotImplementedError") < first_failure.index(
            "The test cell that failed"), first_failure[:800]
        page.locator(".jp-Dialog .jp-Dialog-button", has_text="Ok").click()

        # A copy with the instructor's answers in the solution cells: success.
        open_notebook(page, lab, site.solved, "student-solved")
        message = press_validate(page)
        text = message.inner_text()
        screenshot(page, "student-validate-solved")
        assert "validation-success" in (message.get_attribute("class") or "") \
            and "Success! Your notebook passes all the tests." in text, \
            f"Validate on the solved {ASSIGNMENT} should succeed; the dialog says:\n{text[:3000]}"


def test_instructor_sees_the_course_in_formgrader(lab, page):
    with evidence_on_failure(page, lab, "formgrader"):
        page.goto(lab.url("/formgrader"))
        _wait(page, "text=Manage Assignments", "the formgrader's 'Manage Assignments' page", PAGE_TIMEOUT)
        row = page.locator("tr", has=page.locator("td", has_text=lab.site.assignment))
        _wait(row.first, None, f"the assignment {lab.site.assignment} in the formgrader's table "
              "(the formgrader reads the course root from nbgrader_config.py in the server's folder)", PAGE_TIMEOUT)
        body = page.inner_text("body")
        assert "not a subdirectory of the notebook" not in body, "formgrader: course root outside the server root"
        others = [name for name in ASSIGNMENTS if name != lab.site.assignment and name in body]
        assert not others, f"the formgrader lists the real course's assignments {others}, not the scratch course"
        screenshot(page, "instructor-formgrader")


def test_error_outputs_are_recognised(lab, page):
    """The lesson test's error check can fail: a raising cell and a SyntaxError count as errors,
    a warning on stderr does not."""
    probe = lab.site.root / "probe.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in (
        "import warnings\nwarnings.warn('only a warning')",
        "1 +",
        "raise ValueError('a real error')",
    )]
    nbformat.write(notebook, probe)
    with evidence_on_failure(page, lab, "error-probe"):
        open_notebook(page, lab, probe.name, "probe")
        for index in range(len(notebook.cells)):  # run each cell: Run All would stop at the first error
            page.locator(".jp-NotebookPanel:visible .jp-Cell .cm-content").nth(index).click()  # edit mode
            page.keyboard.press("Control+Enter")
            try:
                page.wait_for_function(f"() => /^\\[\\d+\\]:$/.test(({PROMPTS_JS})()[{index}])",
                                       timeout=PAGE_TIMEOUT * 1000)
            except Exception as exc:
                raise AssertionError(f"timed out waiting for probe cell {index} to run") from exc
        page.wait_for_function(f"() => ({STDERR_JS})().length === 3", timeout=PAGE_TIMEOUT * 1000)
        errors = errors_shown(page)
        assert len(errors) == 2, errors
        assert any("SyntaxError" in e for e in errors) and any("ValueError: a real error" in e for e in errors), errors
