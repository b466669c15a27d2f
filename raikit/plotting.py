"""Course figure style: a colour-blind-safe palette and readable defaults.

Call :func:`use_course_style` once per notebook. The palette is Okabe & Ito (2008),
distinguishable under the common colour-vision deficiencies; it is also the default
colour cycle, so plain ``ax.plot`` calls pick it up.
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
