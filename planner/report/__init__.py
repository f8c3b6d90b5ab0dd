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

import importlib
from typing import Any

# name -> the module that defines it, imported on first use (PEP 562), so that importing a light part of the
# report (common/parallel.py: the CLI forks the drawing processes before the solve) does not import matplotlib
_EXPORTS = {"LANGS": ".common.i18n", "write_comparison_report": ".compare", "FORMATS": ".plan", "render": ".plan",
            "write_deck": ".plan", "write_excel": ".plan", "write_html": ".plan", "write_report": ".plan",
            "write_sweep_report": ".sweep"}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


__all__ = ["FORMATS", "LANGS", "render", "write_comparison_report", "write_deck", "write_excel", "write_html",
           "write_report", "write_sweep_report"]
