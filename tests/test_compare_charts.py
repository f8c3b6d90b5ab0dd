"""Comparison charts a client can read unchanged (issue 24): the cost waterfall on one scale from the reference
with every colour in its legend, year axes that show the horizon end and the target years, and every chart of
the four bundled demo scenarios compared passing the chart check (tests/chart_check.py) in both languages."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from chart_check import problems
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from test_compare_report import BAD, REF, VAR, make_frames

from planner.report import compare_charts as cc
from planner.report import style

NAN = float("nan")


def _two_variants() -> dict[str, pd.DataFrame]:
    """make_frames with the infeasible scenario solved: VAR costs +7.4 MCNY more than REF, BAD +270.8."""
    fr = {k: v.copy() for k, v in make_frames().items()}
    sc = fr["scenarios"]
    sc["status"] = "optimal"
    sc["cash_npv_cny"] = sc["objective_cny"] = [4.5e9, 4.5e9 + 7.4e6, 4.5e9 + 270.8e6]
    c = fr["costs"]
    steps = {VAR: {"capex": 9.1e6, "energy": -1.7e6}, BAD: {"capex": 46.4e6, "energy": 224.4e6}}
    for s, by in steps.items():
        for cat, d in by.items():
            base = float(c.loc[(c.scenario == REF) & (c.category == cat), "discounted_cny"].iloc[0])
            c.loc[(c.scenario == s) & (c.category == cat), ["discounted_cny", "delta_cny"]] = [base + d, d]
        c.loc[(c.scenario == s) & ~c.category.isin(list(by)), "delta_cny"] = 0.0
        c.loc[(c.scenario == s) & ~c.category.isin(list(by)), "discounted_cny"] = c.loc[
            (c.scenario == REF) & ~c.category.isin(list(by)), "discounted_cny"].to_numpy()
    return fr


def test_waterfall_panels_share_one_scale_from_the_reference_and_every_colour_is_in_the_legend():
    fr = _two_variants()
    with matplotlib.rc_context(style.rc()):
        fig = cc.waterfall(fr, "en")
        assert problems(fig) == []
    axes = [ax for ax in fig.axes if ax.patches]
    assert len(axes) == 2
    assert axes[0].get_ylim() == axes[1].get_ylim()  # one scale: +7.4 looks 36 times smaller than +270.8
    lo, hi = axes[0].get_ylim()
    assert lo <= 0 <= hi
    ends = [max((p for p in ax.patches if isinstance(p, Rectangle)), key=lambda p: p.get_x()) for ax in axes]
    assert [p.get_height() for p in ends] == pytest.approx([7.4, 270.8])
    assert [p.get_y() for p in ends] == [0, 0]  # the net change from zero: zero is the reference's NPV
    legend = {to_hex(h.get_facecolor()) for h in fig.legends[0].legend_handles}
    drawn = {to_hex(p.get_facecolor()) for ax in axes for p in ax.patches if isinstance(p, Rectangle)}
    assert drawn <= legend
    titles = [ax.get_title() for ax in axes]
    assert titles[0] == f"{REF} → {VAR}: cash NPV 4,500.0 → 4,507.4 MCNY"


def test_year_axes_show_the_horizon_end_and_the_target_years():
    fr = make_frames()
    years = range(2025, 2051)
    fr["trajectories"] = pd.DataFrame([
        {"scenario": s, "year": y, "group": "scope 1", "plan_tco2e": 1e5, "net_tco2e": 1e5, "bau_tco2e": 2e5,
         "required_tco2e": 5e4 if y in (2033, 2050) else NAN, "milestone": y in (2033, 2050)}
        for s in (REF, VAR) for y in years])
    fr["roadmap"].loc[fr["roadmap"].first_year == 2028, "first_year"] = 2050.0
    with matplotlib.rc_context(style.rc()):
        ax = cc.trajectory(fr, "en", "scope 1").axes[0]
        ticks = [int(t) for t in ax.get_xticks() if 2025 <= t <= 2050]
        assert {2025, 2033, 2050} <= set(ticks) and min(np.diff(ticks)) >= 2, ticks
        cbar = cc.roadmap_matrix(fr, "en").axes[1]
        assert 2050 in [int(t) for t in cbar.get_yticks()]
    assert cc.year_ticks(2025, 2050, [2030, 2035, 2050]) == [2025, 2030, 2035, 2040, 2045, 2050]
    assert cc.year_ticks(2024, 2049) == [2024, 2030, 2035, 2040, 2045, 2049]
    assert cc.year_ticks(2025, 2070) == [2025, 2030, 2040, 2050, 2060, 2070]
