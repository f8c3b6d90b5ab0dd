"""The sweep report: charts (PNG + SVG), sweep_<lang>.html and sweep.xlsx, drawn only from a sweep store's
analysis frames (planner/studies/sweep/analysis.py makes them; this stage never solves)."""

from __future__ import annotations

from .html import chart_specs, write_sweep_html, write_sweep_report

__all__ = ["chart_specs", "write_sweep_html", "write_sweep_report"]
