"""A chart check for any matplotlib figure of the report (issue 24): text outside the figure or overlapping
other text, a bar that carries a label but is under a pixel wide, a dual axis whose zeros differ, and an
axis of quantities that does not start at zero. Measured at the figure's own dpi (100: about screen size).

    from chart_check import problems
    assert problems(fig, zero=[(0, "y")]) == []
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

PX = 1.0  # tolerance and the narrowest visible bar, in pixels


@contextmanager
def _drawn_texts():
    """Collects every Text the figure actually draws (tick labels of ticks in view, legend, annotations)."""
    drawn: list[Text] = []
    original = Text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    with mock.patch.object(Text, "draw", draw):
        yield drawn


def _polygon(t: Text, renderer) -> np.ndarray:
    """Corners (4 x 2, pixels) of a text's own, possibly rotated, box."""
    box = t.get_window_extent(renderer)
    angle = t.get_rotation()
    if angle % 90 == 0:
        return np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    t.set_rotation(0)
    flat = t.get_window_extent(renderer)
    t.set_rotation(angle)
    a = np.radians(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [flat.width / 2, flat.height / 2]
    return half @ rot.T + [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2]


def _overlap(p: np.ndarray, q: np.ndarray) -> float:
    """Depth (pixels) by which two convex polygons overlap (0 when apart): separating axis theorem."""
    depth = np.inf
    for poly in (p, q):
        for i in range(len(poly)):
            edge = poly[(i + 1) % len(poly)] - poly[i]
            n = np.array([-edge[1], edge[0]])
            if not n.any():
                continue
            n = n / np.hypot(*n)
            a, b = p @ n, q @ n
            depth = min(depth, min(a.max(), b.max()) - max(a.min(), b.min()))
            if depth <= 0:
                return 0.0
    return float(depth)


def _anchor(t: Text) -> np.ndarray:
    """The point a text is attached to, in pixels (an annotation's xy, else its position)."""
    if isinstance(t, Annotation):
        return t.axes.transData.transform(t.xy) if t.axes else np.array(t.xy, float)
    return t.get_transform().transform(t.get_position())


def _thin_labelled_bars(ax: Axes, renderer) -> list[str]:
    out = []
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_visible()]
    for p in bars:
        box = p.get_window_extent(renderer)
        if min(abs(box.width), abs(box.height)) >= PX:
            continue
        for t in ax.texts:
            x, y = _anchor(t)
            if t.get_visible() and t.get_text().strip() and box.x0 - 2 <= x <= box.x1 + 2 \
                    and box.y0 - 2 <= y <= box.y1 + 2:
                out.append(f"label {t.get_text().strip()!r} on a bar {box.width:.2f} x {box.height:.2f} px")
    return out


def _twin_zeros(fig: Figure) -> list[str]:
    """Axes drawn over each other (twinx / twiny) must put zero at one pixel when either value axis shows it
    (a line on a twin axis that leaves its zero out of view reads against the other axis's zero)."""
    out = []
    axes = fig.axes
    for i, a in enumerate(axes):
        for b in axes[i + 1:]:
            if a.get_position().bounds != b.get_position().bounds:
                continue
            for which, k in (("y", 1), ("x", 0)):
                la, lb = getattr(a, f"get_{which}lim")(), getattr(b, f"get_{which}lim")()
                if la == lb or not (min(la) <= 0 <= max(la) or min(lb) <= 0 <= max(lb)):
                    continue
                za = a.transData.transform((0, 0))[k]
                zb = b.transData.transform((0, 0))[k]
                if abs(za - zb) > PX:
                    out.append(f"dual {which} axes: zeros {abs(za - zb):.1f} px apart")
    return out


def problems(fig: Figure, zero: list[tuple[int, str]] = ()) -> list[str]:
    """Everything wrong with a figure; `zero` lists (axes index, "x" | "y") of quantity axes that must start
    at zero."""
    canvas = FigureCanvasAgg(fig)
    with _drawn_texts() as texts:  # the whole draw (layout, ticks, texts) without rasterising: the same geometry
        fig.draw_without_rendering()  # as canvas.draw() at a third less time (no pixel is looked at here)
    renderer = canvas.get_renderer()
    w, h = canvas.get_width_height()
    out: list[str] = []
    polys = []
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.x0 < -PX or box.y0 < -PX or box.x1 > w + PX or box.y1 > h + PX:
            out.append(f"text outside the figure: {t.get_text()!r}")
        polys.append(_polygon(t, renderer))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if _overlap(polys[i], polys[j]) > PX:
                out.append(f"texts overlap: {texts[i].get_text()!r} and {texts[j].get_text()!r}")
    for ax in fig.axes:
        out += _thin_labelled_bars(ax, renderer)
    out += _twin_zeros(fig)
    for i, which in zero:
        lo = min(getattr(fig.axes[i], f"get_{which}lim")())
        if lo != 0:
            out.append(f"axes {i} {which} starts at {lo:g}, not 0")
    return out
