"""The Gantt charts in readable parts: one site a chart, or consecutive families packed up to ROWS rows a chart
(a long roadmap in one figure came out at about 6 pt). Each part is drawn for the report (REPORT_W inches wide,
every text at least REPORT_PT) or for a slide (the picture box's aspect, every text at least SLIDE_PT once
fitted on the slide)."""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.text import Text

from ..common.deck import BOX_H, BOX_W, scale
from ..common.i18n import FAMILY, pick, tr
from ..common.render import Frames
from . import charts

BY = ("site", "family")
ROWS = 9  # rows (measure and site) a family part holds
WRAP = 34  # characters of a row name a line
SLIDE_PT = 12.0  # smallest text of a Gantt slide, in points at slide size
SLIDE_W = 10.0  # inches: a slide's Gantt figure is drawn at the box's aspect, this wide
REPORT_W = 11.0  # inches: the report's Gantt figures, shown about 1,220 px wide (templates/report.html.j2)
REPORT_PT = 9.0  # smallest text of a report Gantt, in points at figure size (about 10 pt on the page)
ROW_IN = 0.55  # inches a row of the report's Gantt (two-line labels at REPORT_PT)


def _rows(fr: Frames, by: str, keys: list[str]) -> int:
    rm = fr["roadmap"]
    return len(rm[rm[by].isin(keys)][["site", "measure"]].drop_duplicates())


def parts(fr: Frames, by: str) -> list[list[str]]:
    """The sites (one a part) or families (consecutive, packed up to ROWS rows a part) of each part, in the
    chart's order."""
    keys = sorted(fr["roadmap"][by].unique())
    if by == "site":
        return [[k] for k in keys]
    out: list[list[str]] = []
    for k in keys:
        if out and _rows(fr, by, out[-1] + [k]) <= ROWS:
            out[-1].append(k)
        else:
            out.append([k])
    return out


def stem(by: str, i: int) -> str:
    """The chart stem of part i (from 0) of a view: gantt_by_site_1, gantt_by_family_2, ..."""
    return f"gantt_by_{by}_{i + 1}"


def part_of(stem_: str) -> tuple[str, int]:
    """(view, part index from 0) of a Gantt part's stem."""
    by, i = stem_.removeprefix("gantt_by_").rsplit("_", 1)
    return by, int(i) - 1


def fit(fig: Figure, w_in: float, h_in: float, floor: float) -> Figure:
    """A Gantt figure resized to w_in x h_in, every text raised to `floor` points, the bar labels (text on a box)
    on two lines, size over capex, so that a label fits its bar and does not run into the next build's, and long
    row names on two lines, so that the bars keep their width."""
    fig.set_size_inches(w_in, h_in)
    for t in fig.findobj(Text):
        if t.get_text().strip() and t.get_fontsize() < floor:
            t.set_fontsize(floor)
        if t.get_bbox_patch() is not None:
            t.set_text(t.get_text().replace(", ", "\n"))
    for ax in fig.axes:
        names = [textwrap.fill(t.get_text(), WRAP, break_long_words=False) for t in ax.get_yticklabels()]
        ax.set_yticks(ax.get_yticks(), names, fontsize=floor)
    return fig


def readable(fig: Figure, min_pt: float = SLIDE_PT) -> Figure:
    """A Gantt figure for a slide: at the picture box's aspect (SLIDE_W wide), every text at least min_pt once
    fitted on the slide."""
    h = SLIDE_W * BOX_H / BOX_W
    return fit(fig, SLIDE_W, h, min_pt / scale(SLIDE_W, h) + 0.05)


def slide(fr: Frames, lang: str, by: str, keys: list[str]) -> Figure:
    """A part's Gantt for a slide (the slide's title names the site or families)."""
    return readable(charts.gantt(fr, lang, by, keys))


def title(lang: str, by: str, keys: list[str]) -> str:
    """A report part's title: the roadmap of a site (its id; the company level in words) or of families."""
    if by == "site":
        what = [tr("company", lang) if k == "company" else str(k) for k in keys]
    else:
        what = [pick(FAMILY, k, lang) for k in keys]
    return tr("gantt_part", lang, what=("、" if lang == "zh" else ", ").join(what))


def report(fr: Frames, lang: str, by: str, keys: list[str]) -> Figure:
    """A part's Gantt for the report: REPORT_W wide, ROW_IN a row, every text at least REPORT_PT."""
    fig = charts.gantt(fr, lang, by, keys, title=title(lang, by, keys))
    return fit(fig, REPORT_W, max(3.0, ROW_IN * _rows(fr, by, keys) + 1.8), REPORT_PT)
