"""Comparison charts a client can read unchanged (issue 24): the cost waterfall on one scale from the reference
with every colour in its legend, year axes that show the horizon end and the target years, and every chart of
the four bundled demo scenarios compared passing the chart check (tests/chart_check.py) in both languages."""

from __future__ import annotations

import html
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from chart_check import problems
from helpers import compared
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from test_compare_report import BAD, REF, VAR, make_frames
from test_deliverables import _Text, english_words, scenario_text

from planner.report.common import style
from planner.report.compare import charts as cc
from planner.report.compare import write_comparison_report

DEMOS = ["demo", "demo_no_ccus", "demo_high_carbon", "demo_strict"]


@pytest.fixture(scope="module")
def demo4(demo_plan, bundled_plan):
    """The four bundled demo scenarios compared, as `compare` of their files gives it, from the plans the session
    fixtures solve once per test run (helpers.compared; compare's own solves in worker processes: test_compare.py)."""
    return compared({"demo": demo_plan, **{n: bundled_plan(n) for n in DEMOS[1:]}})

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


def _zero(fr: dict, stem: str) -> list[tuple[int, str]]:
    """Quantity axes that must start at zero: emissions; abatement unless a family abates less than nothing."""
    if stem.startswith("compare_trajectory"):
        return [(0, "y")]
    if stem == "compare_abatement" and (fr["abatement"].tco2e >= 0).all():
        return [(0, "y")]
    return []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_comparison_chart_passes_the_chart_check(demo4, lang):
    for fr in (demo4.frames(), _two_variants(), make_frames()):
        with matplotlib.rc_context(style.rc()):
            for stem, fn in cc.chart_specs(fr):
                assert problems(fn(fr, lang), _zero(fr, stem)) == [], (stem, lang)


def test_verdicts_judge_purchases_by_volume(demo4):
    """demo_high_carbon buys 2.2 times the green certificates of demo (abatement 1.04 -> 2.43 Mt): not "same"."""
    r = demo4.roadmap.set_index(["measure", "scenario"])
    runs = {x.label: x.plan for x in demo4.runs}
    bought = {s: runs[s].roadmap.query("measure == 'gec' and action == 'purchase'")["size"].sum()
              for s in ("demo", "demo_high_carbon")}
    assert r.loc[("gec", "demo"), "volume"] == pytest.approx(bought["demo"])
    ratio = bought["demo_high_carbon"] / bought["demo"]
    assert ratio > 1.5
    assert r.loc[("gec", "demo_high_carbon"), "verdict"] == f"{ratio:.1f}x the volume in demo_high_carbon"
    assert r.loc[("gec", "demo"), "abatement_tco2e"] == pytest.approx(1.04e6, rel=0.01)
    assert r.loc[("gec", "demo_high_carbon"), "abatement_tco2e"] == pytest.approx(2.43e6, rel=0.01)
    ab = demo4.abatement.groupby("scenario").tco2e.sum()  # the measures' abatement adds up to the families'
    assert demo4.roadmap.groupby("scenario").abatement_tco2e.sum().to_dict() == pytest.approx(ab.to_dict())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_scenario_has_one_sentence_of_cause_true_of_the_frames(demo4, lang):
    from planner.report.compare.causes import cause, sentences
    fr = demo4.frames()
    said = dict(sentences(fr, lang))
    assert list(said) == DEMOS[1:]
    r = fr["roadmap"]
    for s, text in said.items():
        c = cause(fr, s)
        d = r[r.scenario == s].set_index("measure").abatement_tco2e - r[r.scenario == "demo"].set_index(
            "measure").abatement_tco2e
        assert c.more[0].measure == d.idxmax() and c.less[0].measure == d.idxmin()  # the largest changes first
        ab = r.set_index(["measure", "scenario"]).abatement_tco2e
        for x in c.more + c.less:
            assert (x.before, x.after) == pytest.approx((ab[x.measure, "demo"], ab[x.measure, s]))
            assert (x.name_zh if lang == "zh" else x.name) in text
        i = fr["inputs"][fr["inputs"].scenario == s]
        assert c.inputs == list(zip(i.path, i.reference_value, i.value, strict=True))
        k = fr["kpis"].set_index(["kpi", "scenario"]).delta
        mcny = "百万元" if lang == "zh" else "MCNY"
        assert f"{k['cash_npv', s] / 1e6:+,.1f} {mcny}" in text
        assert f"{k['cumulative_emissions', s] / 1e3:+,.0f}" in text
        assert text.endswith("百万元。" if lang == "zh" else "MCNY.")
    if lang == "en":
        assert said["demo_high_carbon"].startswith(
            "2.2x the Green electricity certificates (GEC) volume (1,044 → 2,431 kt abated) and ")
        assert "the ETS price changed (2050: 350 → 800 CNY/t)" in said["demo_high_carbon"]
        assert "because measure north_ccus was disabled" in said["demo_no_ccus"]
    else:
        assert said["demo_high_carbon"].startswith("以2.2 倍采购量的绿色电力证书（绿证）（减排 1,044 → 2,431 千吨）")
        assert "碳配额价格改变（2050年：350 → 800 元/吨）" in said["demo_high_carbon"]


def test_zh_comparison_page_and_charts_have_no_generated_english(demo4, tmp_path):
    """The Chinese page and its SVG charts: only scenario text, ids, input paths and values, units stay."""
    write_comparison_report(demo4.frames(), tmp_path, ("zh",))
    allowed = set().union(*(scenario_text(x.plan) for x in demo4.runs)) | set(DEMOS)
    i = demo4.inputs
    allowed |= set(i.path) | set(i.reference_value) | set(i.value) | set(demo4.scenarios.source)
    parser = _Text()
    parser.feed((tmp_path / "comparison_zh.html").read_text(encoding="utf-8"))
    page = "\n".join(parser.parts)
    assert english_words(page, allowed) == [] and "MCNY" not in page and " vs " not in page
    assert not re.search(r"\bcompany\b", page.replace("Co., Ltd.", ""))
    for svg in sorted((tmp_path / "charts").glob("*_zh.svg")):  # each text element is named in a comment
        comments = html.unescape(" ".join(re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"))))
        assert english_words(comments, allowed) == [] and "MCNY" not in comments, svg.name
        assert not re.search(r"\bcompany\b", comments), svg.name
    assert sheet_words(tmp_path / "comparison_zh.xlsx", set()) == []  # sheet names and headers
    assert (tmp_path / "comparison.xlsx").exists()  # the English workbook, the frames' own names, stays


def sheet_words(path, allowed: set[str]) -> list[str]:
    """English words in a workbook's sheet names and column headers."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    heads = [ws.title for ws in wb.worksheets]
    heads += [str(c) for ws in wb.worksheets for c in next(ws.iter_rows(max_row=1, values_only=True), ()) if c]
    return english_words("\n".join(heads), allowed | {"HiGHS", "CPU", "MB"})


def test_no_scenario_line_looks_like_a_net_of_offsets_line(demo4):
    """The net-of-offsets lines are thin dotted ones: demo_strict's own line (the third variant) was dotted too."""
    fr = demo4.frames()
    with matplotlib.rc_context(style.rc()):
        ax = cc.trajectory(fr, "en", cc.groups(fr)[0]).axes[0]
    for s in DEMOS:
        line = next(x for x in ax.get_lines() if x.get_label() in (s, f"{s} (reference)"))
        assert line.get_linestyle() != ":", s
