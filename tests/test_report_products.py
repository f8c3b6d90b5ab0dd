"""The plan report's products and routes (issue 25) and hourly statements (issue 28): the route mix and product
intensity charts pass the chart check and draw their frames, the takeaways say what the frames say, the
"Products and routes" section and its slides are there and fully Chinese in Chinese, routes have their own
family, and the new SBTi and assumption rows are translated."""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest
from chart_check import problems
from helpers import TEST_DATA, scenario
from test_deliverables import _Text, english_words, scenario_text

import planner
from planner.report.common import style, words
from planner.report.common.render import render
from planner.report.plan import charts, hourly, products, story
from planner.report.plan.html import site_names as plan_sites
from planner.report.plan.html import write_html
from planner.report.plan.slides import chart_slides
from planner.report.plan.specs import chart_specs, report_frames


@pytest.fixture(scope="module")
def plan():
    """Steel at s1 (tests/test_routes.py's micro mill, test library): an existing BF route (0.8 t/t) and a new
    EAF route (0.25 t/t of grid power), -30% product intensity by 2028 (linear), 2025-2028."""
    bf = {"id": "bf", "kind": "route", "site": "s1", "product": "steel", "existing_capacity_t": 1000,
          "energy_per_t": {"coal": 1.0}, "process_emissions_per_t": {"CO2": 0.5}, "name": "Blast furnace",
          "name_zh": "高炉"}
    eaf = {"id": "eaf", "kind": "route", "site": "s1", "product": "steel", "capex_cny_per_t": 1000, "lifetime": 10,
           "max_size": 1, "energy_per_t": {"electricity": 0.5}, "name": "Electric arc furnace", "name_zh": "电弧炉"}
    sc = scenario(horizon={"start": 2025, "end": 2028},
                  sites=[{"id": "s1", "energy": {"electricity": 400},
                          "products": {"steel": {"output_t": 1000, "sector": "iron_and_steel", "name": "Steel",
                                                 "name_zh": "钢"}}}],
                  measures=[bf, eaf],
                  targets=[{"id": "steel_int", "type": "intensity", "product": "steel", "year": 2028,
                            "pathway": "linear", "coverage": {"scope1": True, "scope2": "market"},
                            "reduction": 0.3}])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_DATA", str(TEST_DATA))
        return planner.plan(sc)


@pytest.fixture(scope="module")
def fr(plan):
    return report_frames(plan)


def _draw(fn, *args):
    with matplotlib.rc_context(style.rc()):
        fig = fn(*args)
        return fig, problems(fig, [(0, "y")])


def test_route_mix_stacks_each_routes_output(fr):
    assert [s for s, _ in chart_specs(fr) if s in ("routes", "product_intensity")] == ["routes", "product_intensity"]
    po = fr["product_output"]
    for lang, names in (("en", ["Blast furnace", "Electric arc furnace"]), ("zh", ["高炉", "电弧炉"])):
        fig, bad = _draw(products.routes, fr, lang)
        assert bad == []
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == names
        top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()  # the stack's top: total output, kt/yr
        assert top == pytest.approx(po.groupby("year").output_t.sum().max() / 1e3)
        assert ax.get_ylabel() == {"en": "Output (kt/yr)", "zh": "产量（千吨/年）"}[lang]


def test_intensity_draws_plan_bau_sda_and_the_target(fr):
    pi, sda = fr["product_intensity"], fr["sda_pathway"]
    plan = pi[(pi.site == "company") & (pi.case == "plan")].sort_values("year")
    for lang in ("en", "zh"):
        fig, bad = _draw(products.intensity, fr, lang)
        assert bad == []
        ax = fig.axes[0]
        lines = ax.get_lines()
        assert list(lines[0].get_ydata()) == pytest.approx(list(plan.boundary_tco2e_per_t))
        assert list(lines[2].get_ydata()) == pytest.approx(list(sda.sort_values("year").required_tco2e_per_t))
        assert ("钢（钢铁）：每吨粗钢" if lang == "zh" else "Steel (iron and steel): scopes 1+2") in ax.get_title()
    # the target's star: required tCO2e over the output of 2028 = 70% of the base-year intensity
    (tid, year, v), = products.target_points(fr, "steel")
    base = pi[(pi.site == "company") & (pi.case == "bau") & (pi.year == 2024)].boundary_tco2e_per_t.iloc[0]
    assert (tid, year) == ("steel_int", 2028) and v == pytest.approx(0.7 * base, rel=1e-6)


def test_takeaways_say_what_the_frames_say(fr):
    po = fr["product_output"]
    last = po[po.year == po.year.max()].set_index("route").share
    lead = last.idxmax()
    en = story.takeaway("routes", fr, "en")
    assert f"{dict(bf='Blast furnace', eaf='Electric arc furnace')[lead]} makes {100 * last[lead]:.0f}%" in en
    pi = fr["product_intensity"]
    i1 = pi[(pi.site == "company") & (pi.case == "plan") & (pi.year == 2028)].boundary_tco2e_per_t.iloc[0]
    req = fr["sda_pathway"].set_index("year").required_tco2e_per_t[2028]
    en = story.takeaway("product_intensity", fr, "en")
    assert f"planned intensity {i1:.2f} tCO2e/t in 2028" in en and f"{req:.2f} tCO2e/t" in en
    assert ("at or below" in en) == (i1 <= req + 1e-9)
    zh = story.takeaway("product_intensity", fr, "zh")
    assert zh.startswith("钢：2028年规划强度") and english_words(zh, set()) == []


def test_routes_have_their_own_family(plan, fr):
    assert set(plan.roadmap[plan.roadmap.kind == "route"].family) == {"routes"}
    fig, _bad = _draw(charts.trajectory, fr, "zh", (True, "market", ""))
    assert "生产工艺路线" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_products_section_and_slides_are_chinese_in_chinese(plan, fr, tmp_path):
    """The zh page (only the two product charts drawn, to keep this short) and the deck's slide titles."""
    specs = [(s, f) for s, f in chart_specs(fr) if s in ("routes", "product_intensity")]
    page = write_html(plan, render(fr, specs, tmp_path / "charts", "zh"), tmp_path, "zh").read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(page)
    allowed = scenario_text(plan) | {"test"}  # the test library's price citations read "test"
    assert english_words("\n".join(parser.parts), allowed) == []
    assert "<h2>产品与生产工艺路线</h2>" in page
    for stem in ("routes", "product_intensity"):
        assert f'<p class="takeaway">{story.takeaway(stem, fr, "zh")}</p>' in page
        svg = (tmp_path / "charts" / f"{stem}_zh.svg").read_text(encoding="utf-8")
        assert english_words(" ".join(re.findall(r"<!-- (.*?) -->", svg)), allowed) == []
    assert "工艺路线过程排放" in page  # the inventory's route:CO2 source
    titles = {stem: title for stem, title, _make in chart_slides(fr, "zh", plan_sites(plan.scenario))}
    assert titles["routes"] == story.takeaway("routes", fr, "zh")  # one slide each, titled with its takeaway
    assert titles["product_intensity"] == story.takeaway("product_intensity", fr, "zh")
    assert english_words(" ".join(titles.values()), allowed) == []


def test_new_sbti_and_assumption_rows_in_chinese():
    assert words.sbti_cell("product intensity at or below the SBTi SDA pathway in 2030", "zh") == \
        "2030年产品碳强度不高于 SBTi 行业减排路径"
    assert words.sbti_cell(">= 14.8% intensity reduction", "zh") == "强度降幅≥14.8%"
    assert words.source("route:CO2", "zh") == "工艺路线过程排放：CO2"
    a = pd.DataFrame([("general", "scope2_matching", None, "hourly", "", "", "scenario"),
                      ("grid_factor", "s1 hourly shape", None, "typical", "", "x annual factor",
                       "computed from data/grid_hourly.csv (ASSUMPTION) and the MEE/NBS factors"),
                      ("grid_factor", "s2 hourly shape", None, "f.csv", "", "x annual factor", "scenario CSV")],
                     columns=["group", "item", "year", "value", "text", "unit", "source"])
    zh = words.assumption_rows(a, "zh")
    assert list(zh["item"]) == ["范围二绿电匹配方式", "s1 逐时电网因子曲线", "s2 逐时电网因子曲线"]
    assert list(zh.text) == ["逐时匹配", "典型曲线（计算所得）", "f.csv"]
    assert set(zh.unit[1:]) == {"× 年度因子"}
    assert english_words(" ".join(zh.source), set()) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hourly_lines_state_rule_days_profiles_and_upgrades(lang):
    rd = {"days": 4, "hours_per_day": 24, "detail_years": [2025, 2030], "given": True, "scope2_matching": "hourly",
          "profiles": ["load:s1", "pv:s1"],
          "connection_upgrade_mw": {"s1": {"2027": 0.071}, "s2": {"2026": 1.0, "2025": 2.0}}}  # JSON: str years
    lines = hourly.lines({"representative_days": rd}, lang, {"s1": "Plant 1"})
    assert len(lines) == 4
    if lang == "en":
        assert lines[0].startswith("Scope 2 (market-based) matching: hourly")
        assert "4 representative days of 24 hours, given in the scenario" in lines[1]
        assert lines[2] == "Profiles used: electricity load (s1), PV output (s1)."
        assert lines[3] == "Grid connection upgrade: Plant 1 +0.07 MW in 2027; s2 +3.00 MW in 2 steps, 2025-2026."
    else:
        assert lines[0].startswith("范围二（市场法）匹配方式：逐时匹配") and "由情景直接给定" in lines[1]
        assert lines[3] == "电网接入扩容：Plant 1 2027年扩容0.07兆瓦；s2 2025-2026年分2次共扩容3.00兆瓦。"
        assert english_words(" ".join(lines), {"Plant 1", "s1", "s2"}) == []
    rd.update(given=False, scope2_matching="annual", connection_upgrade_mw={})
    again = hourly.lines({"representative_days": rd}, lang)
    assert ("annual" in again[0] or "按年匹配" in again[0]) and ("clustered" in again[1] or "聚类" in again[1])
    assert hourly.lines({}, lang) == []
