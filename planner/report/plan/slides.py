"""The deck's chart slides: one per chart, except the Gantt charts, split over slides (one site a slide; families
packed up to GANTT_ROWS rows) and drawn so that their smallest text is at least MIN_PT on the slide."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..common.deck import BOX_H, BOX_W, scale
from ..common.render import Frames
from . import charts, story
from .specs import chart_specs

MIN_PT = 12.0  # smallest text of a Gantt slide, in points at slide size
GANTT_W = 10.0  # inches: a Gantt figure is drawn at the box's aspect, this wide
GANTT_ROWS = 9  # rows (measure and site) a Gantt slide holds at MIN_PT
WRAP = 34  # characters of a Gantt row name a line


def readable(fig: Figure, min_pt: float = MIN_PT) -> Figure:
    """A Gantt figure resized to the picture box's aspect (GANTT_W wide), every text raised to min_pt at slide
    size, and the bar labels (text on a box) on two lines, size over capex, so that a label fits its bar and
    does not run into the next build's."""
    fig.set_size_inches(GANTT_W, GANTT_W * BOX_H / BOX_W)
    floor = min_pt / scale(GANTT_W, GANTT_W * BOX_H / BOX_W) + 0.05
    for t in fig.findobj(Text):
        if t.get_text().strip() and t.get_fontsize() < floor:
            t.set_fontsize(floor)
        if t.get_bbox_patch() is not None:
            t.set_text(t.get_text().replace(", ", "\n"))
    for ax in fig.axes:  # long row names on two lines, so that the bars keep their width
        names = [textwrap.fill(t.get_text(), WRAP, break_long_words=False) for t in ax.get_yticklabels()]
        ax.set_yticks(ax.get_yticks(), names, fontsize=floor)
    return fig


def _rows(rm: pd.DataFrame, by: str, keys: list[str]) -> int:
    return len(rm[rm[by].isin(keys)][["site", "measure"]].drop_duplicates())


def gantt_parts(fr: Frames, by: str) -> list[list[str]]:
    """The sites (one a slide) or families (consecutive, packed up to GANTT_ROWS rows a slide) of each slide,
    in the chart's order."""
    rm = fr["roadmap"]
    keys = sorted(rm[by].unique())
    if by == "site":
        return [[k] for k in keys]
    parts: list[list[str]] = []
    for k in keys:
        if parts and _rows(rm, by, parts[-1] + [k]) <= GANTT_ROWS:
            parts[-1].append(k)
        else:
            parts.append([k])
    return parts


def chart_slides(fr: Frames, lang: str, sites: dict[str, str] | None = None,
                 titles: bool = True) -> list[tuple[str, str, Callable[[], Figure]]]:
    """(chart stem, slide title = takeaway, figure maker) of every chart slide, in deck order (`titles=False`:
    the makers only, every title "")."""
    out: list[tuple[str, str, Callable[[], Figure]]] = []
    for stem, fn in chart_specs(fr):
        if stem.startswith("gantt"):
            by = "site" if stem == "gantt_by_site" else "family"
            for keys in gantt_parts(fr, by):
                title = ("" if not titles else story.gantt_site(fr, lang, keys[0], sites) if by == "site"
                         else story.gantt_families(fr, lang, keys))
                out.append((stem, title, lambda by=by, keys=keys: readable(charts.gantt(fr, lang, by, keys))))
        else:
            out.append((stem, story.takeaway(stem, fr, lang, sites) if titles else "", lambda fn=fn: fn(fr, lang)))
    return out
