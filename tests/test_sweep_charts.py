"""Sweep charts and pages a client can read unchanged (issue 24): every chart of small solved sweeps (one at a
time, carbon price) and of constructed stores passes the chart check (tests/chart_check.py); tornado rows
without a visible bar, the carbon-price MACC in kt, the fan on the basis the targets count, no NPV histogram
for a one-at-a-time design, a carbon-price sweep that says its targets are relaxed, Chinese everywhere."""

from __future__ import annotations

import html
import re

import duckdb
import matplotlib
import pytest
from chart_check import problems
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from sweep_store import synthetic_store
from test_compare_charts import sheet_words
from test_deliverables import _Text, english_words
from test_sweep import SCENARIO
from test_sweep_report import _sweep_file

import planner
from planner.report.common import style
from planner.report.sweep import charts as sweep_charts
from planner.report.sweep import html as sweep_html
from planner.studies.sweep import analysis as an

OAT = [{"name": "elec", "path": "prices.electricity", "mode": "scale", "low": 0.8, "high": 1.2},
       {"name": "gas", "path": "prices.natural_gas", "mode": "scale", "low": 0.5, "high": 2.0},
       {"name": "coal", "path": "prices.coal", "mode": "scale", "low": 0.5, "high": 2.0}]  # no site burns coal
# quantity axes that must start at zero: (axes index, axis) per chart stem
ZERO = {"emissions_fan": [(0, "y")], "carbon_price_macc": [(0, "x")], "infeasibility": [(0, "x")],
        "npv_distribution": [(1, "y")]}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """name -> store path: a solved micro oat sweep with a parameter that changes nothing, solved micro
    carbon-price and Morris sweeps, a constructed LHS store (infeasible variants) and one with a net-zero target met
    with offsets."""
    mp = pytest.MonkeyPatch()
    from conftest import TEST_DATA

    mp.setenv("PLANNER_DATA", str(TEST_DATA))
    tmp = tmp_path_factory.mktemp("sweeps")
    out = {}
    for sub in ("a", "b", "c"):
        (tmp / sub).mkdir()
    with pytest.warns(UserWarning, match="parameter coal"):
        out["oat"] = planner.sweep(_sweep_file(tmp / "a", SCENARIO, design="oat", parameters=OAT),
                                   tmp / "oat").store
    out["carbon_price"] = planner.sweep(_sweep_file(tmp / "b", SCENARIO, design="carbon_price",
                                                    carbon_price={"prices": [0, 100, 400, 1000]}), tmp / "cp").store
    out["morris"] = planner.sweep(_sweep_file(tmp / "c", SCENARIO, design="morris", samples=2, parameters=OAT[:2]),
                                  tmp / "morris").store
    out["lhs"] = synthetic_store(tmp / "lhs", 40, measures=6, infeasible=(3, 30))
    out["net_zero"] = net_zero_store(tmp / "nz")
    mp.undo()
    return out


def net_zero_store(out):
    """The constructed LHS store with a net-zero target in 2050 on scopes 1+2: the gross emissions remain
    and offsets bring the net to zero (as the demo's nz_2050 with its residual)."""
    path = synthetic_store(out, 12, measures=4)
    with duckdb.connect(str(path / "sweep.duckdb")) as con:
        con.execute("""INSERT INTO targets SELECT variant, 'nz', 'absolute', year, year = 2050, 'tCO2e', 0.0,
                       gross, gross, 0.0, TRUE, 0.0 FROM (SELECT variant, year, sum(plan_tco2e) AS gross
                       FROM trajectories WHERE scope IN ('scope1', 'scope2_market') AND year >= 2045
                       GROUP BY ALL)""")
    return path


def charts(store, lang: str) -> dict[str, Figure]:
    d = an.load(store)
    fr = an.frames(d)
    s = fr["summary"]
    columns = str(s.loc[s["item"] == "heatmap_columns", "value"].iloc[0])
    return {stem: fn(fr, lang) for stem, fn in sweep_html.chart_specs(fr, columns)}


def test_the_chart_check_finds_each_defect():
    with matplotlib.rc_context(style.rc()):
        fig = style.new_figure(4, 3)
        ax = fig.add_subplot()
        ax.barh([0, 1], [0.0, 5.0])
        ax.text(0, 0, " 0.8 ")  # labels a zero-width bar
        ax.text(0, 0, " 1.2 ")  # and overlaps the first label
        ax.text(5.2, 1, "outside the figure on the right").set_in_layout(False)
        ax.set_xlim(-1, 6)
        twin = ax.twinx()
        twin.set_ylim(-5, 10)
        found = problems(fig, zero=[(0, "x")])
    assert any(p.startswith("texts overlap: ' 0.8 ' and ' 1.2 '") for p in found), found
    assert any(p.startswith("label '0.8' on a bar 0.00") for p in found), found
    assert any(p.startswith("text outside the figure") for p in found), found
    assert any(p.startswith("dual y axes: zeros") for p in found), found
    assert "axes 0 x starts at -1, not 0" in found
    with matplotlib.rc_context(style.rc()):
        fig = style.new_figure(4, 3)
        ax = fig.add_subplot()
        ax.bar(["a", "b"], [1, 2])
        ax.set_xticks([0, 1], ["a rotated label", "another rotated one"], rotation=30, ha="right")
        assert problems(fig, zero=[(0, "y")]) == []  # rotated labels side by side do not overlap


@pytest.mark.parametrize("name", ["oat", "carbon_price", "morris", "lhs", "net_zero"])
def test_every_sweep_chart_passes_the_chart_check(stores, name):
    zero = {**ZERO, "indices": [(0, "x"), (0, "y")] if name == "morris" else []}  # mu* and sigma: magnitudes
    for lang in ("en", "zh"):
        with matplotlib.rc_context(style.rc()):
            for stem, fig in charts(stores[name], lang).items():
                assert problems(fig, zero.get(stem, [])) == [], (name, lang, stem)


def test_tornado_rows_without_a_visible_bar_say_so_and_keep_the_no_effect_mark(stores):
    fr = an.frames(an.load(stores["oat"]))
    for lang, words, mark in (("en", "0.5 and 2: no visible change", "(did not change the model inputs)"),
                              ("zh", "0.5 和 2：无明显变化", "（未改变模型输入）")):
        with matplotlib.rc_context(style.rc()):
            fig = sweep_charts.tornado(fr, lang, "cash_npv_cny")
            assert problems(fig) == []
        ax = fig.axes[0]
        assert words in [t.get_text().strip() for t in ax.texts]
        coal = [lab for lab in ax.get_yticklabels() if lab.get_text().startswith("coal")]
        assert coal and coal[0].get_text() == f"coal\n{mark}"
        widths = [abs(p.get_width()) for p in ax.patches if isinstance(p, Rectangle)]
        assert len(widths) == 4 and min(widths) > 0  # elec and gas at low and high; nothing drawn for coal


def test_carbon_price_macc_is_in_kt_from_zero(stores):
    fr = an.frames(an.load(stores["carbon_price"]))
    most = fr["carbon_supply"].abatement_tco2e_per_yr.max()
    for lang, unit in (("en", "Abatement (ktCO2e/yr"), ("zh", "减排量（千吨CO2e/年")):
        with matplotlib.rc_context(style.rc()):
            ax = sweep_charts.carbon_macc(fr, lang).axes[0]
        assert ax.get_xlabel().startswith(unit)
        assert max(ax.lines[0].get_xdata()) == pytest.approx(most / 1000)
        assert ax.get_xlim()[0] == 0


def test_the_fan_draws_emissions_net_of_the_offsets_the_targets_count(stores):
    d = an.load(stores["net_zero"])
    f = an.fan(d).set_index("year")
    gross = d.tables["trajectories"].query("scope in ('scope1', 'scope2_market') and year == 2050")
    gross = gross.groupby("variant").plan_tco2e.sum()
    assert f.loc[2050, "gross_p50"] == pytest.approx(gross.median()) and gross.min() > 1000
    assert f.loc[2050, ["p10", "p50", "p90", "max"]].tolist() == pytest.approx([0, 0, 0, 0], abs=1e-6)
    assert f.loc[2044, "p50"] == f.loc[2044, "gross_p50"]  # no offsets counted before 2045
    tl = an.target_levels(d)
    assert tl[tl.target == "nz"][["year", "required"]].values.tolist() == [[2050, 0.0]]
    with matplotlib.rc_context(style.rc()):
        ax = sweep_charts.fan(an.frames(d), "en").axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "gross emissions, before offsets (median)" in labels and "target nz: required, net of offsets" in labels
    assert "net of the offsets counted toward the targets" in ax.get_title()


def test_no_npv_distribution_for_one_at_a_time_or_carbon_price_designs(stores):
    assert "npv_distribution" not in charts(stores["oat"], "en")
    assert "npv_distribution" not in charts(stores["carbon_price"], "en")
    assert "npv_distribution" in charts(stores["lhs"], "en")


def test_a_carbon_price_sweep_says_at_the_top_that_its_targets_are_relaxed(stores, tmp_path):
    planner.sweep_report(stores["carbon_price"], tmp_path, ("en", "zh"))
    en = (tmp_path / "sweep_en.html").read_text(encoding="utf-8")
    zh = (tmp_path / "sweep_zh.html").read_text(encoding="utf-8")
    top_en, top_zh = en.split("</header>")[0], zh.split("</header>")[0]
    assert "Targets relaxed: a carbon-price sweep drops the base scenario&#39;s targets" in top_en
    assert "目标已放宽：碳价扫描在每个变体中去掉基准情景的目标" in top_zh
    assert "Targets missed" not in en and "未达成目标" not in zh
    assert "Variants without a feasible plan (targets relaxed: not checked)" in en
    assert "not at any price" in en and ">never<" not in en and "从不采用" not in zh
    fr = an.frames(an.load(stores["carbon_price"]))
    assert list(fr["infeasibility"].target) == ["all"]  # no target row: none is checked


@pytest.mark.parametrize("name", ["oat", "carbon_price", "morris", "lhs"])
def test_zh_sweep_page_and_charts_have_no_generated_english(stores, name, tmp_path):
    d = an.load(stores[name])
    planner.sweep_report(stores[name], tmp_path, ("zh",))
    t = d.tables
    allowed = set(d.parameters) | set(t["parameters"].path) | set(t["adoption"].measure) | set(t["adoption"].site)
    allowed |= set(t["targets"].target) | {str(d.path), d.meta["name"], d.meta["base_scenario"]}
    allowed |= {x for x in an.effects(d).difference if "[" in x}  # model entries, shown as code
    allowed |= {"docs/sweeps.md", "planner sweep FILE --resume"}
    words = {"P10", "P50", "P90", "Morris", "Sobol", "Spearman"}  # besides test_deliverables.ALLOWED_WORDS
    parser = _Text()
    parser.feed((tmp_path / "sweep_zh.html").read_text(encoding="utf-8"))
    page = "\n".join(parser.parts)
    assert [w for w in english_words(page, allowed) if w not in words] == [] and "MCNY" not in page
    for svg in sorted((tmp_path / "charts").glob("*_zh.svg")):  # each text element is named in a comment
        comments = html.unescape(" ".join(re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"))))
        assert [w for w in english_words(comments, allowed) if w not in words] == [], svg.name
        assert "MCNY" not in comments, svg.name
    assert sheet_words(tmp_path / "sweep_zh.xlsx", set(d.parameters)) == []  # parameters are data: they stay
