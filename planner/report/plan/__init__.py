"""The plan's deliverables: charts, the HTML report, the Excel workbook and the slide deck, in English or Chinese,
drawn from a plan's tidy result frames.

The report never solves: studies (such as the stand-alone MACC, `Plan.with_standalone_macc()`) run before it,
and a chart whose frame is absent is left out. Files are byte-reproducible (same plan, same bytes) unless a
visible run stamp is asked for (`stamp=True`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..common.i18n import LANGS
from ..common.parallel import Pool
from ..common.stable import run_stamp
from . import tasks
from .deck import write_deck
from .html import write_excel, write_html
from .specs import chart_specs, render

FORMATS = ("html", "pptx")


def write_report(plan, out_dir: str | Path, langs: tuple[str, ...] = ("en",), formats: tuple[str, ...] = ("html",),
                 stamp: bool | datetime = False, pool: Pool | None = None) -> list[Path]:
    """Result CSVs plus, per format: "html" charts (PNG + SVG), report_<lang>.html and results.xlsx; "pptx"
    deck_<lang>.pptx. `stamp`: show the run time (now, or the datetime given) in the report and deck and date
    the files with it; by default files carry no time and two runs give identical bytes. Returns the files.

    Each chart (with the deck's picture of it) and each Gantt slide picture is a task (plan/tasks.py) of a pool
    of worker processes (planner/report/common/parallel.py, PLANNER_REPORT_WORKERS=1 for none; `pool`: one
    already started, as the CLI starts it before the solve) while this process writes the HTML and the decks
    around them; the files are the same bytes as when everything is drawn here, one after the other."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown report format(s) {bad}; expected some of {FORMATS}")
    when = run_stamp(stamp)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan.write(out)
    sh = tasks.shared(plan)
    stems = list(tasks.specs(sh)[1])
    html, pptx = "html" in formats, "pptx" in formats
    gantts = [stem for stem in stems if stem.startswith("gantt_by_")]
    # every drawing a task: a chart of the report (with the deck's picture of the same figure), a Gantt part
    # drawn for a slide, or (no HTML) a slide picture, and the workbook; the costliest first (MACCs, costs, the
    # workbook), so that no long task is left for the end
    if html:
        work = [(tasks.chart, (sh, lang, stem, out / "charts", when, pptx and stem not in gantts))
                for lang in langs for stem in stems]
        work += [(tasks.slide_picture, (sh, lang, stem)) for lang in langs for stem in gantts] if pptx else []
        work.append((tasks.excel, (sh, out, when)))
    else:
        work = [(tasks.slide_picture, (sh, lang, stem)) for lang in langs for stem in stems]
    order = sorted(range(len(work)), key=lambda k: _COSTLY.get(_name(work[k]), len(_COSTLY)))
    files: list[Path] = []
    own = pool is None
    pool = Pool() if own else pool
    try:
        started = pool.run([work[k] for k in order])
        done = dict(zip(order, started, strict=True))
        handles = iter(done[k] for k in range(len(work)))
        drawn = {lang: {stem: next(handles) for stem in stems} for lang in langs}
        gantt_slides = {lang: {stem: next(handles) for stem in gantts} for lang in langs} if html and pptx else {}
        for lang in langs:
            if html:
                paths = {stem: task.result()[0] for stem, task in drawn[lang].items()}
                files += [f for fs in paths.values() for f in fs]
                files.append(write_html(plan, paths, out, lang, when))
            if pptx:
                pictures = [gantt_slides[lang][stem] if stem in gantt_slides.get(lang, {}) else
                            _Picture(drawn[lang][stem], html) for stem in stems]
                files.append(write_deck(plan, out / f"deck_{lang}.pptx", lang, when, pictures))
        if html:
            files.append(next(handles).result())
    finally:
        if own:
            pool.close()
    return files


_COSTLY = {"macc_plan": 0, "macc_standalone": 1, "costs": 2, "excel": 3}  # the slowest tasks, started first


def _name(task) -> str:
    """A task's chart stem, or "excel" for the workbook."""
    fn, args = task
    return "excel" if fn is tasks.excel else args[2]


class _Picture:
    """The slide picture of a chart task's result (a chart task gives (files, picture); a slide task the picture)."""

    def __init__(self, task, of_chart: bool) -> None:
        self.task, self.of_chart = task, of_chart

    def result(self):
        r = self.task.result()
        return r[1] if self.of_chart else r


__all__ = ["FORMATS", "LANGS", "chart_specs", "render", "write_deck", "write_excel", "write_html", "write_report"]
