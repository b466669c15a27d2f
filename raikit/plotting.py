"""Course figure style: a colour-blind-safe palette, readable defaults and alt text.

Call :func:`use_course_style` once per notebook, before the first plot. The palette is
Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies; it is also
the default colour cycle, so plain ``ax.plot`` calls pick it up. Show each figure with
:func:`show_figure` (``fig``, one sentence of alt text) instead of ``plt.show()``;
:func:`figure_problems` checks a figure against the rules in docs/ACCESSIBILITY.md.
"""

from __future__ import annotations

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE = list(OKABE_ITO.values())


def use_course_style() -> None:
    """Set matplotlib defaults: Okabe-Ito colour cycle, larger fonts, light grid."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE),
        "figure.figsize": (7, 4.2),
        "figure.dpi": 100,
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "image.cmap": "cividis",  # perceptually uniform and colour-blind safe
    })


def label_axes(ax, title: str, xlabel: str, ylabel: str):
    """Every course figure has a title and labelled axes; this sets all three at once."""
    if not (title and xlabel and ylabel):
        raise ValueError("a course figure needs a title, an x label and a y label")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


# --- Accessibility: alt text and the figure rules (docs/ACCESSIBILITY.md) -------------------

#: Colormaps allowed for images and colour-mapped scatter: perceptually uniform and readable
#: with the common colour-vision deficiencies. A custom colormap is also allowed when its two
#: ends and its middle are palette colours or greys (e.g. blue-white-vermillion).
SAFE_COLORMAPS = frozenset({"cividis", "viridis", "magma", "inferno", "plasma", "Greys", "gray", "binary"})
MIN_ALT_WORDS = 6  # shorter alt text rarely says what a chart shows


def check_alt_text(alt) -> str:
    """Return ``alt`` stripped, or raise if it cannot serve as alt text for a figure.

    Alt text is what a screen reader says instead of the image: one sentence on what the
    figure shows and what to notice, not its title again.
    """
    if not isinstance(alt, str) or len(alt.split()) < MIN_ALT_WORDS:
        raise ValueError(f"alt text must be a sentence of at least {MIN_ALT_WORDS} words saying what the "
                         f"figure shows (for screen readers); got {alt!r}")
    return alt.strip()


def show_figure(fig, alt: str) -> None:
    """Display ``fig`` in the notebook with ``alt`` as its alternative text, then close it.

    Use it instead of ``plt.show()``. The output carries the PNG with ``alt`` in its
    ``image/png`` metadata (the Jupyter convention that nbconvert and IPython's ``Image(alt=)``
    use) and an ``<img alt=...>`` HTML version, because JupyterLab 4 ignores the metadata but
    renders HTML: so screen readers get the text in JupyterLab and in the course's HTML site.
    Outside IPython (a plain script) the figure is only closed.
    """
    import html

    import matplotlib.pyplot as plt

    alt = check_alt_text(alt)
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        shell = None
    if shell is not None:
        from IPython.display import display

        data, metadata = shell.display_formatter.format(fig)
        png = data.get("image/png") or _png_base64(fig)
        png_metadata = dict(metadata.get("image/png", {}), alt=alt)
        size = "".join(f' {key}="{png_metadata[key]}"' for key in ("width", "height") if key in png_metadata)
        bundle = {
            "image/png": png,
            "text/html": f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}"{size}>',
            "text/plain": f"Figure: {alt}",
        }
        display(bundle, raw=True, metadata={"image/png": png_metadata})
    plt.close(fig)


def _png_base64(fig) -> str:
    """The figure as base64 PNG, as the inline backend renders it (tight bounding box)."""
    import base64
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figure_problems(fig) -> list[str]:
    """Check ``fig`` against the course's figure rules; return the problems (empty = none).

    Rules, for every Axes that draws data (lines, patches, collections or images):
      - a title: its own (any of left/centre/right) or the figure's suptitle;
      - an x and a y label, except on an axis that is switched off, and except for an image
        (heatmap) whose ticks on that axis carry text labels;
      - colours: every line, marker, patch and unmapped collection colour is an Okabe-Ito
        colour or a grey (black, white and greys are for reference lines, edges and text
        contrast); colour-mapped artists use a colormap in :data:`SAFE_COLORMAPS` or one whose
        ends and middle are palette colours or greys.
    Colorbars must have a label. Text annotations are not checked.
    """
    problems = []
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    for index, ax in enumerate(fig.axes):
        where = f"axes {index} ({ax.get_title() or 'untitled'})"
        if getattr(ax, "_colorbar", None) is not None:
            if not (ax.get_xlabel() or ax.get_ylabel()):
                problems.append(f"{where}: colorbar without a label")
            continue
        if not (ax.lines or ax.patches or ax.collections or ax.images):
            continue
        if not (suptitle or any(ax.get_title(loc=loc) for loc in ("left", "center", "right"))):
            problems.append(f"{where}: no title (and no figure suptitle)")
        for name, axis, label in (("x", ax.xaxis, ax.get_xlabel()), ("y", ax.yaxis, ax.get_ylabel())):
            tick_texts = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
            labelled_image = bool(ax.images) and any(not _is_number(t) for t in tick_texts)
            if not (label or not ax.axison or labelled_image):
                problems.append(f"{where}: no {name} label")
        problems += [f"{where}: {issue}" for issue in _colour_problems(ax)]
    return problems


def _is_number(text: str) -> bool:
    """True for tick text such as '0.5', '−1' or '1e3' (matplotlib writes a Unicode minus)."""
    try:
        float(text.replace("\u2212", "-"))
        return True
    except ValueError:
        return False


def _allowed_colour(colour) -> bool:
    """An Okabe-Ito colour or a grey (any alpha); fully transparent counts as allowed."""
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(colour)
    if a == 0 or max(r, g, b) - min(r, g, b) < 0.02:
        return True
    return any(max(abs(r - p[0]), abs(g - p[1]), abs(b - p[2])) < 1.5 / 255 for p in _palette_rgb())


def _palette_rgb() -> list[tuple[float, float, float]]:
    """The palette as RGB triples (computed on call: matplotlib is imported lazily)."""
    from matplotlib.colors import to_rgb

    return [to_rgb(colour) for colour in PALETTE]


def _allowed_colormap(cmap) -> bool:
    """A colour-blind-safe named colormap, or a custom one anchored on palette colours or greys."""
    name = cmap.name.removesuffix("_r")
    return name in SAFE_COLORMAPS or all(_allowed_colour(cmap(x)) for x in (0.0, 0.5, 1.0))


def _colour_problems(ax) -> list[str]:
    """The colours on ``ax`` that break the palette rule (see :func:`figure_problems`)."""
    bad = []
    for line in ax.lines:
        colours = []
        if line.get_linestyle() not in ("None", "none", "", " "):
            colours.append(line.get_color())
        if line.get_marker() not in (None, "None", "none", "", " "):
            colours += [line.get_markerfacecolor(), line.get_markeredgecolor()]
        bad += [f"line colour {c}" for c in colours if not _is_none(c) and not _allowed_colour(c)]
    for patch in ax.patches:
        colours = [patch.get_facecolor()] if patch.get_fill() else []
        if patch.get_linewidth() > 0:
            colours.append(patch.get_edgecolor())
        bad += [f"patch colour {_hex(c)}" for c in colours if not _allowed_colour(c)]
    for collection in list(ax.collections) + list(ax.images):
        if getattr(collection, "get_array", lambda: None)() is not None and collection.get_cmap() is not None:
            if not _allowed_colormap(collection.get_cmap()):
                bad.append(f"colormap {collection.get_cmap().name}")
            continue
        if hasattr(collection, "get_facecolor"):
            for c in list(collection.get_facecolor()) + list(collection.get_edgecolor()):
                if not _allowed_colour(c):
                    bad.append(f"collection colour {_hex(c)}")
    return sorted(set(bad))


def _is_none(colour) -> bool:
    return isinstance(colour, str) and colour.lower() == "none"


def _hex(colour) -> str:
    from matplotlib.colors import to_hex

    return to_hex(colour, keep_alpha=False)
