"""The deck's chart slides: one per chart of the report, each Gantt part (one site, or families packed up to
gantt.ROWS rows) drawn for the slide so that its smallest text is at least gantt.SLIDE_PT on the slide."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from ..common.render import Frames
from . import gantt, story
from .specs import chart_specs


def chart_slides(fr: Frames, lang: str, sites: dict[str, str] | None = None,
                 titles: bool = True) -> list[tuple[str, str, Callable[[], Figure]]]:
    """(chart stem, slide title = takeaway, figure maker) of every chart slide, in deck order (`titles=False`:
    the makers only, every title "")."""
    out: list[tuple[str, str, Callable[[], Figure]]] = []
    for stem, fn in chart_specs(fr):
        if stem.startswith("gantt_by_"):  # a part of a Gantt view: drawn for the slide
            by, i = gantt.part_of(stem)
            keys = gantt.parts(fr, by)[i]
            title = ("" if not titles else story.gantt_site(fr, lang, keys[0], sites) if by == "site"
                     else story.gantt_families(fr, lang, keys))
            out.append((stem, title, lambda by=by, keys=keys: gantt.slide(fr, lang, by, keys)))
        else:
            out.append((stem, story.takeaway(stem, fr, lang, sites) if titles else "", lambda fn=fn: fn(fr, lang)))
    return out
