"""Charts and client reports (HTML, Excel, slide deck) in English or Chinese, drawn from the tidy result frames.

The report never solves: studies (such as the stand-alone MACC, `Plan.with_standalone_macc()`) run before it,
and a chart whose frame is absent is left out. Files are byte-reproducible (same plan, same bytes) unless a
visible run stamp is asked for (`stamp=True`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .deck import write_deck
from .html import write_excel, write_html
from .i18n import LANGS
from .render import render
from .stable import run_stamp

FORMATS = ("html", "pptx")


def write_report(plan, out_dir: str | Path, langs: tuple[str, ...] = ("en",), formats: tuple[str, ...] = ("html",),
                 stamp: bool | datetime = False) -> list[Path]:
    """Result CSVs plus, per format: "html" charts (PNG + SVG), report_<lang>.html and results.xlsx; "pptx"
    deck_<lang>.pptx. `stamp`: show the run time (now, or the datetime given) in the report and deck and date
    the files with it; by default files carry no time and two runs give identical bytes. Returns the files."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown report format(s) {bad}; expected some of {FORMATS}")
    when = run_stamp(stamp)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan.write(out)
    files: list[Path] = []
    for lang in langs:
        if "html" in formats:
            charts = render(plan.frames(), out / "charts", lang, when)
            files += [f for fs in charts.values() for f in fs]
            files.append(write_html(plan, charts, out, lang, when))
        if "pptx" in formats:
            files.append(write_deck(plan, out / f"deck_{lang}.pptx", lang, when))
    if "html" in formats:
        files.append(write_excel(plan, out, when))
    return files


__all__ = ["FORMATS", "LANGS", "render", "write_deck", "write_excel", "write_html", "write_report"]
