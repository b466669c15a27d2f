"""The course's figure rules (raikit.plotting): palette, titles and labels, alt text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from raikit import plotting  # noqa: E402
from raikit.plotting import OKABE_ITO, figure_problems, label_axes  # noqa: E402


@pytest.fixture(autouse=True)
def _course_style():
    with matplotlib.rc_context():
        plotting.use_course_style()
        yield
    plt.close("all")


def _line_figure(**line_style):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1, 0, 1], **line_style)
    return fig, ax


def test_a_labelled_figure_in_the_palette_passes():
    fig, ax = _line_figure()  # default colour cycle = Okabe-Ito
    ax.bar([0, 1], [1, 2], color=OKABE_ITO["vermillion"])
    ax.axhline(0.5, color="grey", linestyle="--")  # greys are allowed for reference lines
    ax.errorbar([0, 1], [1, 2], yerr=0.1, fmt="o", color=OKABE_ITO["green"], ecolor="black")
    label_axes(ax, "A title", "x quantity", "y quantity")
    assert figure_problems(fig) == []


def test_missing_title_and_labels_are_reported():
    fig, ax = _line_figure()
    ax.set_xlabel("x quantity")
    problems = figure_problems(fig)
    assert any("no title" in p for p in problems)
    assert any("no y label" in p for p in problems)
    assert not any("no x label" in p for p in problems)


def test_a_suptitle_stands_in_for_panel_titles():
    fig, axes = plt.subplots(1, 2)
    for ax in axes:
        ax.plot([0, 1], [0, 1])
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    assert any("no title" in p for p in figure_problems(fig))
    fig.suptitle("Two panels")
    assert figure_problems(fig) == []


def test_colours_outside_the_palette_are_reported():
    fig, ax = _line_figure(color="red")
    ax.scatter([0, 1], [0, 1], color="#00ff00")
    label_axes(ax, "t", "x", "y")
    problems = " ".join(figure_problems(fig))
    assert "#ff0000" in problems or "red" in problems
    assert "#00ff00" in problems


def test_heatmaps_need_labelled_ticks_or_axis_labels_and_a_safe_colormap():
    fig, ax = plt.subplots()
    image = ax.imshow(np.arange(9).reshape(3, 3), cmap="jet")
    ax.set_title("Heat map")
    problems = figure_problems(fig)
    assert any("colormap jet" in p for p in problems)
    assert any("no x label" in p for p in problems)  # numeric ticks say nothing
    image.set_cmap("cividis")
    ax.set_xticks(range(3), ["a", "b", "c"])
    ax.set_yticks(range(3), ["d", "e", "f"])
    assert figure_problems(fig) == []
    fig.colorbar(image, ax=ax)
    assert any("colorbar without a label" in p for p in figure_problems(fig))


def test_custom_colormaps_anchored_on_the_palette_are_allowed():
    from matplotlib.colors import LinearSegmentedColormap

    fig, ax = plt.subplots()
    ok = LinearSegmentedColormap.from_list("bwv", [OKABE_ITO["blue"], "white", OKABE_ITO["vermillion"]])
    ax.imshow(np.eye(3), cmap=ok)
    label_axes(ax, "t", "x", "y")
    assert figure_problems(fig) == []
    ax.images[0].set_cmap(LinearSegmentedColormap.from_list("rg", ["red", "white", "green"]))
    assert any("colormap rg" in p for p in figure_problems(fig))


@pytest.mark.parametrize("alt", [None, "", "A plot.", "   Figure one   "])
def test_alt_text_must_be_a_sentence(alt):
    with pytest.raises(ValueError, match="alt text"):
        plotting.check_alt_text(alt)


def test_show_figure_outside_ipython_just_closes_the_figure():
    fig, _ = _line_figure()
    plotting.show_figure(fig, alt="A line that falls and rises again over three points.")
    assert not plt.fignum_exists(fig.number)


@pytest.mark.slow
def test_show_figure_in_a_kernel_emits_one_image_with_alt_text(tmp_path):
    from coursesite.execute import execute_notebook

    alt = 'A line that falls & rises "again" over three points.'
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nfrom raikit.plotting import show_figure\n"
        f"fig, ax = plt.subplots()\nax.plot([0, 1, 2], [1, 0, 1])\nshow_figure(fig, alt={alt!r})")])
    execute_notebook(notebook, name="show_figure", cwd=tmp_path, timeout=120)
    outputs = notebook.cells[0].outputs
    assert len(outputs) == 1, "the figure is shown once (closed, so the inline backend does not repeat it)"
    data, metadata = outputs[0]["data"], outputs[0]["metadata"]
    assert metadata["image/png"]["alt"] == alt
    assert data["image/png"] in data["text/html"]
    assert 'alt="A line that falls &amp; rises &quot;again&quot; over three points."' in data["text/html"]
    assert data["text/plain"] == f"Figure: {alt}"
