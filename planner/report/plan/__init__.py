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
from ..common.render import render_one
from ..common.stable import run_stamp
from .deck import slide_picture, write_deck
from .html import write_excel, write_html
from .slides import chart_slides
from .specs import chart_specs, render, report_frames

FORMATS = ("html", "pptx")


def write_report(plan, out_dir: str | Path, langs: tuple[str, ...] = ("en",), formats: tuple[str, ...] = ("html",),
                 stamp: bool | datetime = False) -> list[Path]:
    """Result CSVs plus, per format: "html" charts (PNG + SVG), report_<lang>.html and results.xlsx; "pptx"
    deck_<lang>.pptx. `stamp`: show the run time (now, or the datetime given) in the report and deck and date
    the files with it; by default files carry no time and two runs give identical bytes. Returns the files.

    Each chart and each slide picture is drawn by a pool of worker processes (planner/report/common/parallel.py,
    PLANNER_REPORT_WORKERS=1 for none) while this process writes the HTML, deck and workbook around them; the
    files are the same bytes as when everything is drawn here, one after the other."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown report format(s) {bad}; expected some of {FORMATS}")
    when = run_stamp(stamp)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan.write(out)
    fr = report_frames(plan)
    specs = chart_specs(fr) if "html" in formats else []
    n_slides = {lang: len(chart_slides(fr, lang, titles=False)) for lang in langs} if "pptx" in formats else {}
    # every drawing a task, the report's charts first (the HTML waits for them), then the slides' pictures
    tasks = [(render_one, (fr, stem, fn, out / "charts", lang, when)) for lang in langs for stem, fn in specs]
    tasks += [(slide_picture, (plan, lang, i)) for lang in langs for i in range(n_slides.get(lang, 0))]
    tasks += [(write_excel, (plan, out, when))] if "html" in formats else []
    files: list[Path] = []
    with Pool() as pool:
        done = iter(pool.run(tasks))
        charts = {lang: {stem: next(done) for stem, _ in specs} for lang in langs}
        pictures = {lang: [next(done) for _ in range(n_slides.get(lang, 0))] for lang in langs}
        for lang in langs:
            if "html" in formats:
                paths = {stem: task.result() for stem, task in charts[lang].items()}
                files += [f for fs in paths.values() for f in fs]
                files.append(write_html(plan, paths, out, lang, when))
            if "pptx" in formats:
                files.append(write_deck(plan, out / f"deck_{lang}.pptx", lang, when, pictures[lang]))
        if "html" in formats:
            files.append(next(done).result())
    return files


__all__ = ["FORMATS", "LANGS", "chart_specs", "render", "write_deck", "write_excel", "write_html", "write_report"]
