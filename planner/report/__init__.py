"""Charts and client reports (HTML, Excel, slide deck) in English or Chinese, drawn from tidy frames, in three
deliverable families over a shared base:

- `common/`: style, words (i18n), stable files, number formats, the table helper, the render loop of chart
  specs, HTML pages, workbooks, the deck's parts and the pool of drawing processes;
- `plan/`: a plan's charts, report, workbook and deck (`write_report`, `write_deck`);
- `compare/`: a scenario comparison (`write_comparison_report`);
- `sweep/`: a sensitivity sweep (`write_sweep_report`).

A family imports only from `common/` and itself, never another family (tests/test_report_house.py). The report
never solves: studies (such as the stand-alone MACC, `Plan.with_standalone_macc()`) run before it, and a chart
whose frame is absent is left out. Files are byte-reproducible (same plan, same bytes) unless a visible run
stamp is asked for (`stamp=True`)."""

from __future__ import annotations

from .common.i18n import LANGS
from .compare import write_comparison_report
from .plan import FORMATS, render, write_deck, write_excel, write_html, write_report
from .sweep import write_sweep_report

__all__ = ["FORMATS", "LANGS", "render", "write_comparison_report", "write_deck", "write_excel", "write_html",
           "write_report", "write_sweep_report"]
