"""Render every chart of a plan to PNG (300 dpi) and SVG: trajectory per target coverage, Gantt,
MACCs, costs, scopes, compliance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import charts, dispatch, style

Frames = dict[str, pd.DataFrame]


def chart_specs(fr: Frames) -> list[tuple[str, Callable[[Frames, str], Figure]]]:
    """(file stem, drawing function) of every chart the frames support."""
    specs: list[tuple[str, Callable[[Frames, str], Figure]]] = []
    for i, g in enumerate(charts.coverage_groups(fr)):
        specs.append((f"trajectory_{i + 1}", lambda f, lang, g=g: charts.trajectory(f, lang, g)))
    specs += [("gantt_by_site", lambda f, lang: charts.gantt(f, lang, "site")),
              ("gantt_by_family", lambda f, lang: charts.gantt(f, lang, "family"))]
    if "macc_standalone" in fr and len(fr["macc_standalone"]):
        specs.append(("macc_standalone", lambda f, lang: charts.macc(f, lang, "standalone")))
    if len(fr["macc"]):
        specs.append(("macc_plan", lambda f, lang: charts.macc(f, lang, "plan")))
    specs += [("costs", charts.costs), ("scopes", charts.scopes), ("compliance", charts.compliance)]
    if fr.get("dispatch") is not None and len(fr["dispatch"]):  # representative-day mode (report/dispatch.py)
        specs.append(("dispatch", dispatch.chart))
    return specs


def render(fr: Frames, out_dir: Path, lang: str, when: datetime | None = None) -> dict[str, list[Path]]:
    """Draw and save every chart; returns stem -> [png, svg] (`when`: run stamp for the SVG date, else none)."""
    return {stem: render_one(fr, stem, fn, out_dir, lang, when) for stem, fn in chart_specs(fr)}


def render_one(fr: Frames, stem: str, fn: Callable[[Frames, str], Figure], out_dir: Path, lang: str,
               when: datetime | None = None) -> list[Path]:
    """Draw one chart once and save it as PNG and SVG from that figure: [png, svg]."""
    with matplotlib.rc_context(style.rc()):
        return style.save(fn(fr, lang), out_dir / f"{stem}_{lang}", when)
