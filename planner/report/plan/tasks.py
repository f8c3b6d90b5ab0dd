"""The plan report's drawings as tasks for the pool of drawing processes (common/parallel.py): module-level
functions of the shared frames and a chart's stem, so that their arguments pickle and any process can run them.

A chart of the report is drawn once and saved as PNG and SVG; when the deck shows the same figure (every chart
but the Gantt parts, which the deck draws at slide size), a copy of the figure taken before its first draw is
saved at slide resolution in the same task, so the figure is built once, not twice. Each file is the same bytes
as when the report and the deck each draw their own figure (tests/test_report_parallel.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..common.deck import chart_png
from ..common.parallel import Shared
from ..common.render import Draw, Frames, render_and_copy, render_one
from ..common.workbook import write_sheets
from . import gantt
from .products import with_names
from .specs import chart_specs

Picture = tuple[bytes, float, float]  # PNG bytes, width and height in inches (common/deck.chart_png)

_SPECS: dict[str, tuple[Frames, dict[str, Draw]]] = {}  # per process: the report frames and specs of a Shared


def shared(plan) -> Shared:
    """What every task needs of a plan: its result frames and scenario (not the plan, whose class needs the solver
    stack to unpickle)."""
    return Shared((plan.frames(), plan.scenario))


def specs(sh: Shared) -> tuple[Frames, dict[str, Draw]]:
    """The report frames and stem -> drawing function, computed once per process."""
    if sh.key not in _SPECS:
        _SPECS.clear()
        frames, scenario = sh.value
        fr = with_names(frames, scenario)
        _SPECS[sh.key] = (fr, dict(chart_specs(fr)))
    return _SPECS[sh.key]


def _slide_maker(fr: Frames, lang: str, stem: str, fn: Draw):
    if stem.startswith("gantt_by_"):  # a Gantt part is drawn for the slide (plan/slides.py)
        by, i = gantt.part_of(stem)
        keys = gantt.parts(fr, by)[i]
        return lambda: gantt.slide(fr, lang, by, keys)
    return lambda: fn(fr, lang)


def chart(sh: Shared, lang: str, stem: str, out_dir: Path, when: datetime | None,
          slide: bool) -> tuple[list[Path], Picture | None]:
    """The report chart `<stem>_<lang>`.png and .svg ([png, svg]) and, with `slide`, the deck's picture of it:
    from a copy of the same figure where the deck shows that figure, else drawn for the slide."""
    fr, fns = specs(sh)
    fn = fns[stem]
    if not slide:
        return render_one(fr, stem, fn, out_dir, lang, when), None
    if stem.startswith("gantt_by_"):  # the deck draws its own figure of a Gantt part
        return render_one(fr, stem, fn, out_dir, lang, when), chart_png(_slide_maker(fr, lang, stem, fn))
    paths, twin = render_and_copy(fr, stem, fn, out_dir, lang, when)
    return paths, chart_png(lambda: twin)


def slide_picture(sh: Shared, lang: str, stem: str) -> Picture:
    """The deck's picture of a chart (plan/slides.py: a Gantt part drawn for the slide, else the report's chart)."""
    fr, fns = specs(sh)
    return chart_png(_slide_maker(fr, lang, stem, fns[stem]))


def excel(sh: Shared, out: Path, when: datetime | None) -> Path:
    """results.xlsx (plan/html.write_excel) from the shared frames."""
    return write_sheets(sh.value[0], Path(out) / "results.xlsx", when)


__all__ = ["chart", "excel", "shared", "slide_picture", "specs"]
