"""Pictures of the code tables: a co-occurrence heat map and frequency bars.

Figures are made with matplotlib's object interface (no ``pyplot``, no global
state, no window): every function returns a :class:`matplotlib.figure.Figure`,
which Jupyter shows as the cell's output, and never calls ``show``. Save with
:func:`save_figure`: the same figure gives the same bytes each time (no date, no
random ids), so a re-run analysis can be compared file by file.

Examples
--------
>>> matrix = pd.DataFrame([[3, 1], [1, 2]], index=["regie", "trust"], columns=["regie", "trust"])
>>> fig = cooccurrence_heatmap(matrix)
>>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
['regie', 'trust']
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from raakvlak.errors import RaakvlakError
from raakvlak.files import atomic_write_bytes

# metadata that would change between two saves or two machines, per format
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
# SVG element ids are hashed from this salt; matplotlib's default is a random uuid
SVG_SALT = "raakvlak"


class FigureError(RaakvlakError):
    """A figure cannot be drawn or saved from what was given."""


def _labels(codes: Sequence[str], labels: Mapping[str, str] | Sequence[str] | None) -> list[str]:
    if labels is None:
        return [str(c) for c in codes]
    if isinstance(labels, Mapping):
        return [str(labels.get(c, c)) for c in codes]
    labels = list(labels)
    if len(labels) != len(codes):
        raise FigureError(f"got {len(labels)} labels for {len(codes)} codes; give one label per code")
    return [str(label) for label in labels]


def cooccurrence_heatmap(
    matrix: pd.DataFrame,
    labels: Mapping[str, str] | Sequence[str] | None = None,
    title: str = "",
    cmap: str = "Blues",
    annotate: bool = True,
) -> Figure:
    """A heat map of a code co-occurrence matrix.

    The colours scale with the off-diagonal counts (the diagonal, segments with the
    code, would otherwise wash out every pair); diagonal cells are light grey and
    show their count in grey.

    Parameters
    ----------
    matrix : a square matrix as :func:`raakvlak.analysis.tables.cooccurrence` makes.
    labels : code id -> label (e.g. from the codebook), or one label per row; default
        the code ids.
    title : the figure's title.
    cmap : a matplotlib colour map name.
    annotate : write each count in its cell (left out above 30 codes).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> m = pd.DataFrame([[2, 1], [1, 4]], index=["a", "b"], columns=["a", "b"])
    >>> fig = cooccurrence_heatmap(m, labels={"a": "Trust"})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Trust', 'b']
    """
    if matrix.shape[0] != matrix.shape[1] or list(matrix.index) != list(matrix.columns):
        raise FigureError("a co-occurrence matrix must be square with the same codes on both axes")
    names = _labels(list(matrix.index), labels)
    values = matrix.to_numpy(dtype=float)
    n = len(names)
    off = values.copy()
    np.fill_diagonal(off, np.nan)
    top = np.nanmax(off) if n > 1 and np.isfinite(off).any() else 1.0
    size = max(4.0, 0.35 * n + 2.5)
    fig = Figure(figsize=(size + 1.0, size), layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor("#eeeeee")  # the masked diagonal
    image = ax.imshow(np.ma.masked_invalid(off), cmap=cmap, vmin=0, vmax=max(top, 1.0))
    ax.set_xticks(range(n), names, rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n), names)
    ax.set_xticks(np.arange(-0.5, n, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    if annotate and n <= 30:
        threshold = max(top, 1.0) / 2
        for i in range(n):
            for j in range(n):
                dark = i != j and values[i, j] > threshold
                colour = "dimgrey" if i == j else ("white" if dark else "black")
                ax.text(j, i, str(int(values[i, j])), ha="center", va="center", fontsize=8, color=colour)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, label="segments with both codes")
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        ax.set_title(title)
    return _frozen(fig)


def _frozen(fig: Figure) -> Figure:
    """Lay the figure out once and keep that layout (every later draw is the same)."""
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def frequency_bars(
    table: pd.DataFrame,
    measure: str = "segments",
    by: str | None = None,
    labels: Mapping[str, str] | Sequence[str] | None = None,
    key: str | None = None,
    title: str = "",
) -> Figure:
    """Horizontal bars of a frequency table, one bar per code (or word), grouped by a variable.

    Parameters
    ----------
    table : a table of :func:`raakvlak.analysis.tables.code_frequencies` or
        :func:`raakvlak.analysis.words.word_frequencies`.
    measure : the column drawn (``codings``, ``segments``, ``documents``,
        ``speakers``, or ``count`` for words).
    by : the grouping column of the table, if any: one bar per value, side by side.
    labels : code id -> label, or one label per bar row; default the ids.
    key : the column naming the bars; default ``code_id``, else ``lemma``.
    title : the figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        Bars in the order of the table, the first at the top.

    Examples
    --------
    >>> t = pd.DataFrame({"code_id": ["a", "b"], "segments": [3, 1]})
    >>> fig = frequency_bars(t)
    >>> [float(p.get_width()) for p in fig.axes[0].patches]
    [3.0, 1.0]
    """
    if key is None:
        key = "code_id" if "code_id" in table.columns else "lemma"
    for column in (key, measure, *([by] if by else [])):
        if column not in table.columns:
            raise FigureError(
                f"the table has no column {column!r}; it has {', '.join(map(str, table.columns))}"
            )
    rows = list(dict.fromkeys(table[key]))
    names = _labels(rows, labels)
    groups = list(dict.fromkeys(table[by])) if by else [None]
    height = 0.8 / len(groups)
    fig = Figure(figsize=(7.0, max(2.5, 0.3 * len(rows) * max(1, len(groups) * 0.6) + 1.2)),
                 layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(rows), dtype=float)
    for g, group in enumerate(groups):
        part = table if group is None else table[table[by] == group]
        values = part.groupby(key, sort=False)[measure].sum().reindex(rows, fill_value=0)
        offset = (g - (len(groups) - 1) / 2) * height
        ax.barh(positions + offset, values.to_numpy(dtype=float), height=height,
                label=None if group is None else str(group))
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlabel(measure)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if by:
        ax.legend(title=by, fontsize=8)
    if title:
        ax.set_title(title)
    return _frozen(fig)


def figure_bytes(fig: Figure, format: str = "png", dpi: int = 150) -> bytes:
    """The figure as PNG, SVG or PDF bytes, the same bytes each time.

    Dates, software versions and random SVG ids are left out, so the bytes depend
    only on the figure (and the matplotlib and font versions that draw it). A figure
    with a layout engine (``layout="constrained"``) is laid out once and then keeps
    that layout, since such engines move the axes a little on every draw; the
    figures of this module are made that way.

    Parameters
    ----------
    fig : the figure.
    format : ``"png"``, ``"svg"`` or ``"pdf"``.
    dpi : resolution of PNG output.

    Examples
    --------
    >>> fig = frequency_bars(pd.DataFrame({"code_id": ["a"], "segments": [2]}))
    >>> figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    True
    """
    if format not in _METADATA:
        raise FigureError(f"cannot save a figure as {format!r}; use png, svg or pdf")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
        if fig.get_layout_engine() is not None:
            _frozen(fig)
        fig.savefig(buffer, format=format, dpi=dpi, metadata=_METADATA[format])
    return buffer.getvalue()


def save_figure(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Save a figure as PNG, SVG or PDF (by the file's suffix), byte-identical on every save.

    Parameters
    ----------
    fig : the figure.
    path : the file; its suffix (``.png``, ``.svg``, ``.pdf``) chooses the format.
        Written atomically: readers never see half a file.
    dpi : resolution of PNG output.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    format = path.suffix.lower().lstrip(".")
    if format not in _METADATA:
        raise FigureError(f"{path}: cannot save a figure as {path.suffix or 'a file without suffix'}; "
                          "use .png, .svg or .pdf")
    atomic_write_bytes(path, figure_bytes(fig, format, dpi))
    return path
