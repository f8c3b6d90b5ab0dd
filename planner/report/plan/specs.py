"""The plan's charts: (file stem, drawing function) of every chart the result frames support, in report order:
trajectory per target coverage, Gantt, MACCs, costs, scopes, compliance, products and routes (route mix,
product intensity), dispatch and 24/7 carbon-free share (representative days)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..common import render as loop
from ..common.render import ChartSpec, Frames
from . import charts, dispatch, gantt, hourly, markets, products
from .coverage import coverage_groups


def chart_specs(fr: Frames) -> list[ChartSpec]:
    """(file stem, drawing function) of every chart the frames support."""
    specs: list[ChartSpec] = []
    for i, g in enumerate(coverage_groups(fr)):
        specs.append((f"trajectory_{i + 1}", lambda f, lang, g=g: charts.trajectory(f, lang, g)))
    for by in gantt.BY:  # each view in readable parts: one site a chart, families packed to gantt.ROWS rows
        specs += [(gantt.stem(by, i), lambda f, lang, by=by, keys=keys: gantt.report(f, lang, by, keys))
                  for i, keys in enumerate(gantt.parts(fr, by))]
    if "macc_standalone" in fr and len(fr["macc_standalone"]):
        specs.append(("macc_standalone", lambda f, lang: charts.macc(f, lang, "standalone")))
    if len(fr["macc"]):
        specs.append(("macc_plan", lambda f, lang: charts.macc(f, lang, "plan")))
    specs += [("costs", charts.costs), ("scopes", charts.scopes), ("compliance", charts.compliance)]
    if fr.get("product_output") is not None and products.made(fr):  # products and routes (plan/products.py)
        specs.append(("routes", products.routes))
        if fr.get("product_intensity") is not None and products.sold(fr):
            specs.append(("product_intensity", products.intensity))
    specs += markets.specs(fr)  # China ETS position, EU CBAM exposure (when the frames are present)
    if fr.get("dispatch") is not None and len(fr["dispatch"]):  # representative-day mode (plan/dispatch.py)
        specs.append(("dispatch", dispatch.chart))
    if fr.get("carbon_free") is not None and len(fr["carbon_free"]):  # 24/7 carbon-free share (plan/hourly.py)
        specs.append(("carbon_free", hourly.carbon_free))
    return specs


def report_frames(plan) -> Frames:
    """The plan's result frames plus what its charts name from the scenario (product and route names)."""
    return products.with_names(plan.frames(), plan.scenario)


def render(fr: Frames, out_dir: Path, lang: str, when: datetime | None = None) -> dict[str, list[Path]]:
    """Draw and save every chart of the plan; stem -> [png, svg] (`when`: run stamp for the SVG date, else none)."""
    return loop.render(fr, chart_specs(fr), out_dir, lang, when)
