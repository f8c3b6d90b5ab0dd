"""The robust reports' charts: the branch fan (emissions per year of each branch under the stochastic plan) and
the measure map as a chart: one row per measure (grouped by class), one column per roadmap within the slack
(labelled with its NPV above the least), a cell filled where that roadmap adopts the measure, with its first
year. Drawn from alternatives_measure_map, alternatives_roadmaps and alternatives."""

from __future__ import annotations

from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import StrMethodFormatter

from ...postprocess.robust_words import w
from ..common import style
from ..common.numbers import year_ticks
from ..common.render import Frames
from .story import branch_totals

CLASS_COLOURS = {"essential": "#2E7D32", "optional": "#F9A825", "never": "#9E9E9E", "unproven": "#90A4AE"}
ORDER = ("essential", "optional", "unproven", "never")
SLIDE_ROWS = 10  # measures a slide of the measure map holds
SLIDE_PT = 12.0  # smallest text of a measure-map slide, in points at slide size
TEXT = {"map_title": {"en": "Measure map (first year of adoption)", "zh": "措施分类（首次采用年份）"},
        "map_x": {"en": "Roadmap (NPV above the least)", "zh": "路线图（高于最低净现值）"}}


def fan(fr: Frames, lang: str):
    """Total emissions (scopes 1+2+3 market-based: story.branch_totals) per year, one line per branch."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    e = branch_totals(fr)
    styles = ["-", "--", ":", "-."]  # branches with equal emissions stay visible on top of each other
    for i, (b, g) in enumerate(e.groupby("branch")):
        ax.plot(g.year, g.tco2e, marker="os^D"[i % 4], linestyle=styles[i % 4], label=str(b))
    ax.set_xticks(year_ticks(int(e.year.min()), int(e.year.max())))  # the horizon's end always shown
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # whole tonnes, no "1e6" offset
    ax.set_title(w("fan_title", lang))
    ax.set_ylabel(w("tco2e", lang))
    ax.legend()
    return fig


def measure_rows(fr: Frames) -> list[tuple[str, str]]:
    """(measure, class) in the chart's order, top to bottom: by class, then measure."""
    m = fr["alternatives_measure_map"]
    rank = {c: i for i, c in enumerate(ORDER)}
    pairs = zip(m.measure.astype(str), m["class"].astype(str), strict=True)
    return sorted(pairs, key=lambda r: (rank.get(r[1], 9), r[0]))


def measure_map(fr: Frames, lang: str, rows: list[tuple[str, str]] | None = None, slide: bool = False):
    """Adoption matrix: measures x roadmaps, filled in the measure's class colour, first year written in.
    `rows`: a part of `measure_rows` (default all); `slide`: drawn at the deck's picture box (12.5 x 5.9 in,
    the scale of the slide) with every text at SLIDE_PT."""
    rows = measure_rows(fr) if rows is None else rows
    o = fr["alternatives"].sort_values("alternative")
    first = fr["alternatives_roadmaps"].groupby(["alternative", "measure"]).year.min()
    if slide:
        fig, cell_pt, tick_pt = style.new_figure(12.5, 5.9), SLIDE_PT, SLIDE_PT
    else:
        fig, cell_pt, tick_pt = style.new_figure(max(8.0, 1.6 + 0.8 * len(o)), max(3.0, 1.6 + 0.3 * len(rows))), 7, 8
    ax = fig.add_subplot()
    for i, (mid, cls) in enumerate(rows):
        y = len(rows) - 1 - i
        for j, a in enumerate(o.alternative):
            yr = first.get((a, mid))
            if yr is None:
                continue
            ax.add_patch(Rectangle((j - 0.45, y - 0.4), 0.9, 0.8, color=CLASS_COLOURS.get(cls, "#90A4AE")))
            ax.text(j, y, str(int(yr)), ha="center", va="center", fontsize=cell_pt,
                    color="white" if cls in ("essential", "never") else "black")
    ax.set_xlim(-0.5, len(o) - 0.5)
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_xticks(range(len(o)), [f"{a}\n+{x:.2%}" for a, x in zip(o.alternative, o.above_least, strict=True)],
                  fontsize=tick_pt)
    ax.set_yticks(range(len(rows)), [mid for mid, _ in reversed(rows)], fontsize=tick_pt)
    ax.grid(False)
    if not slide:  # on a slide the takeaway is the title
        ax.set_title(TEXT["map_title"][lang])
    ax.set_xlabel(TEXT["map_x"][lang], fontsize=tick_pt)
    present = [c for c in ORDER if any(cls == c for _, cls in measure_rows(fr))]
    ax.legend(handles=[Patch(color=CLASS_COLOURS[c], label=w(c, lang)) for c in present],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=tick_pt)
    return fig


def slide_parts(fr: Frames) -> list[list[tuple[str, str]]]:
    """The measure map's rows in parts of at most SLIDE_ROWS, one slide each."""
    rows = measure_rows(fr)
    return [rows[i:i + SLIDE_ROWS] for i in range(0, len(rows), SLIDE_ROWS)]


__all__ = ["CLASS_COLOURS", "fan", "measure_map", "measure_rows", "slide_parts"]
