"""Scenario-comparison report: charts (PNG + SVG), comparison_<lang>.html and comparison.xlsx, drawn only from
the comparison's tidy frames (planner/studies/compare.py produces them; this stage never solves).

Frames (units in the column names; `scenario` is the scenario label; the reference is the row of `scenarios`
with reference == True, else its first row): scenarios, inputs, kpis, roadmap, common, trajectories, costs,
abatement, economics. Infeasible scenarios are left out of the charts and kept, with their shortfalls, in the
tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..common.render import render_langs
from .charts import chart_specs
from .html import write_comparison_excel, write_comparison_html

FRAMES = ("scenarios", "inputs", "kpis", "roadmap", "common", "trajectories", "costs", "abatement", "economics")


def write_comparison_report(frames: dict[str, pd.DataFrame], out_dir: str | Path, langs: tuple[str, ...] = ("en",),
                            title: str | dict[str, str] = "") -> list[Path]:
    """charts/compare_*_{lang}.{png,svg}, comparison_<lang>.html for each language and comparison.xlsx (one sheet
    per frame, same columns as the frame; formula-looking text stored as text like write_excel does), and with
    Chinese among the languages comparison_zh.xlsx (the same sheets, Chinese sheet names and headers).
    `title`: the pages' title, or one per language ({lang: title}); default "A vs B". Returns the files written."""
    missing = [k for k in FRAMES if k not in frames]
    if missing:
        raise ValueError(f"comparison frames missing: {', '.join(missing)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    drawn = render_langs(frames, chart_specs(frames), out / "charts", langs)  # in the pool of drawing processes
    for lang in langs:
        charts = drawn[lang]
        files += [f for fs in charts.values() for f in fs]
        files.append(write_comparison_html(frames, charts, out, lang,
                                           title.get(lang, "") if isinstance(title, dict) else title))
    files.append(write_comparison_excel(frames, out))
    files += [write_comparison_excel(frames, out, lang) for lang in langs if lang != "en"]
    return files


__all__ = ["FRAMES", "chart_specs", "write_comparison_excel", "write_comparison_html", "write_comparison_report"]
