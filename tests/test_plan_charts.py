"""Plan-report charts and formats a client can read unchanged (issue 24): the costs chart's dual axis shares its
zero, every MACC bar is visible and named in full, compliance reads each target type on its own scale, years,
shares and zeros print as they should, and every plan chart of every bundled scenario passes the chart check
(tests/chart_check.py)."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import pytest
from chart_check import problems
from click.testing import CliRunner
from helpers import DEMO_VARIANTS, ROOT
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from openpyxl import load_workbook

import planner
import planner.cli
from planner.report.common import style
from planner.report.common.i18n import COST, pick
from planner.report.common.workbook import write_sheets
from planner.report.plan import charts, gantt, html
from planner.report.plan.specs import chart_specs

OTHERS = ("demo_no_ccus", "demo_high_carbon", "demo_strict", "demo_hourly")
# quantity axes that must start at zero: (axes index, axis) per chart stem
ZERO = {"trajectory": [(0, "y")], "macc_standalone": [(0, "x")], "macc_plan": [(0, "x")], "scopes": [(0, "y")]}


@pytest.fixture(scope="module")
def frames(demo_plan, bundled_plan):
    """Scenario name -> result frames: the demo (with its stand-alone MACC) and its three variants from the
    session fixtures (solved once per test run as `planner.plan` solves them, shared with the comparison tests),
    the hourly demo solved here at a 2% gap on one thread; the others without the stand-alone MACC (one forced
    solve per measure; its chart is drawn by the same code as the plan's MACC, checked on the demo)."""
    from planner.schemas import load_scenario

    out = {"demo": demo_plan.frames()}
    for name in OTHERS:
        if name in DEMO_VARIANTS:
            out[name] = bundled_plan(name).frames()
            continue
        sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"mip_rel_gap": 0.02, "threads": 1})})
        out[name] = planner.plan(sc).frames()
    return out


def _draw(fn, *args):
    with matplotlib.rc_context(style.rc()):
        return fn(*args)


def test_every_cost_category_has_a_label_in_both_languages_and_a_colour():
    from planner.backend.ledger import COST_CATEGORIES
    from planner.report.common.i18n import COST, KPI

    for cat in COST_CATEGORIES:  # a category without a colour was left out of the costs chart (CBAM, issue 26)
        assert cat in style.COST_COLOURS and all(COST[cat]), cat
    from planner.studies.compare_frames import COST_GROUPS
    for k in COST_GROUPS:  # the comparison's NPV lines
        assert all(KPI[k]), k


def test_the_steel_costs_chart_shows_the_cbam_certificates(steel_plan):
    fr = steel_plan.frames()
    assert fr["costs"].query("category == 'carbon_cbam'").nominal_cny.sum() > 0
    for lang in ("en", "zh"):
        fig = _draw(charts.costs, fr, lang)
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert pick(COST, "carbon_cbam", lang) in labels, labels


def test_costs_cumulative_axis_shares_the_left_axis_zero(frames):
    fr = frames["demo"]
    fig = _draw(charts.costs, fr, "en")
    with matplotlib.rc_context(style.rc()):
        assert problems(fig) == []  # no "dual y axes: zeros ... apart", the axis label clear of the legend
    ax, ax2 = fig.axes[:2]
    (z1, z2) = (a.transData.transform((0, 0))[1] for a in (ax, ax2))
    assert z1 == pytest.approx(z2, abs=0.5)
    cum = ax2.lines[0].get_ydata()
    assert cum.min() > 0 and ax2.get_ylim()[0] <= 0  # the line starts above zero: no year looks negative


@pytest.mark.parametrize("kind", ["plan", "standalone"])
def test_macc_names_every_measure_in_full_on_a_visible_bar(frames, kind):
    fr = frames["demo"]
    df = fr["macc" if kind == "plan" else "macc_standalone"]
    for lang in ("en", "zh"):
        fig = _draw(charts.macc, fr, lang, kind)  # the chart check of every chart: below
        ax = fig.axes[0]
        bars = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(bars) == len(df)
        fig.draw_without_rendering()
        for p in bars:  # the demo's certificates (8 CNY/t stand-alone) and battery (1.4 kt/yr) included
            box = p.get_window_extent()
            assert box.width >= 2 and box.height >= 2, (kind, lang, box)
        numbers = sorted(int(t.get_text()) for t in ax.texts)
        assert numbers == list(range(1, len(df) + 1))  # every bar numbered
        texts = [t.get_text() for t in fig.axes[1].texts]
        key = "".join("".join(texts).split())  # names wrap over lines: compare without white space
        names = df.name_zh.fillna(df.name) if lang == "zh" else df.name
        for name, site in zip(names, df.site, strict=True):
            assert "".join(name.split()) in key, (kind, lang, name)  # whole, never cut
            assert site == "company" or any(f"({site})" in t.split("\n")[-1] for t in texts)  # ids unbroken
        assert "…" not in key
        gec = df[df.measure == "gec"].iloc[0]
        assert f"{gec[f'{kind}_cost_cny_per_tco2e']:,.0f}" in key


def _bars(ax) -> list[float]:
    return [p.get_width() for p in ax.patches if isinstance(p, Rectangle) and p.get_facecolor()[3] > 0]


def test_compliance_reads_each_target_type_on_its_own_scale(frames):
    fig = _draw(charts.compliance, frames["demo"], "en")
    with matplotlib.rc_context(style.rc()):
        assert problems(fig, [(0, "x"), (1, "x")]) == []
    em, re_ = fig.axes[:2]  # emission reductions and renewable shares in separate panels
    assert [t.get_text() for t in em.get_yticklabels()] == [
        "nt_2030 (2030)", "s3_intensity_2030 (2030, intensity)", "nz_2050 (2050)"]
    assert [t.get_text() for t in re_.get_yticklabels()] == ["re_2035 (2035)"]
    # required, achieved gross per target; net zero requires a 100% reduction (not a zero-length bar),
    # the intensity target its 25% intensity cut (not "101%" of base-year emissions)
    req = [w for i, w in enumerate(_bars(em)) if i % 2 == 0]
    assert req[0] == pytest.approx(42) and req[1] == pytest.approx(25) and req[2] == pytest.approx(100)
    texts = {t.get_text() for t in em.texts}
    assert {"42%", "25%", "100%", "90% + 10%"} <= texts  # net zero: 90% real, 10% offsets
    assert [w for i, w in enumerate(_bars(re_)) if i % 2 == 0] == [pytest.approx(80)]


def test_base_year_share_targets_and_zero_print_as_they_should(demo_plan, tmp_path, monkeypatch):
    tables = {t["title"]: t for t in html._tables(demo_plan, "en")}
    a = tables["Key assumptions"]
    rows = {r[1]["text"]: r[3]["text"] for r in a["rows"]}
    assert rows["base year"] == "2024"  # not "2,024"
    t = tables["Targets"]
    re_row = next(r for r in t["rows"] if r[0]["text"] == "re_2035")
    assert [re_row[3]["text"], re_row[4]["text"]] == ["80%", "80%"]  # not "0.8 / 0.8"
    path = write_sheets(demo_plan.frames(), tmp_path / "results.xlsx")
    ws = load_workbook(path)["targets"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("target")].value == "re_2035")
    assert row[head.index("required")].number_format == "0%" and row[head.index("required")].value == 0.8
    # planner run: the net-zero target's net (-4e-11 t in the demo) prints "0 t", never "-0 t"
    monkeypatch.setattr("planner.api.plan", lambda *a, **k: SimpleNamespace(
        summary=demo_plan.summary, roadmap=demo_plan.roadmap, targets=demo_plan.targets, files=[]))
    res = CliRunner().invoke(planner.cli.main, ["run", str(ROOT / "scenarios" / "demo.yaml"), "--out",
                                                str(tmp_path / "run")])
    assert res.exit_code == 0, res.output
    assert "-0 t" not in res.output and " 0 t" in res.output


@pytest.mark.parametrize("name", ["demo", *OTHERS])
def test_every_plan_chart_passes_the_chart_check(frames, name):
    fr = frames[name]
    specs = chart_specs(fr)
    assert {"macc_plan", "costs", "compliance"} <= {s for s, _ in specs}
    assert ("macc_standalone" in {s for s, _ in specs}) == (name == "demo")
    for lang in ("en", "zh"):
        with matplotlib.rc_context(style.rc()):
            for stem, fn in specs:
                fig = fn(fr, lang)
                assert problems(fig, ZERO.get(stem.rstrip("_0123456789"), [])) == [], (name, lang, stem)
                if stem.startswith("gantt_by_"):  # the report's Gantt parts (plan/gantt.py): readable
                    _readable_gantt_part(fig, stem, fr)


def _readable_gantt_part(fig, stem: str, fr) -> None:
    """Every text at least gantt.REPORT_PT at the figure's size (11 in wide), no taller than its rows need, a
    family part at most gantt.ROWS rows, a site's part titled with the site (before issue 24 the report's Gantt
    was one tall figure of every row at 7-8 pt: test_deck.test_the_full_gantt_would_be_unreadable_...)."""
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]  # drawn by the check
    assert min(t.get_fontsize() for t in texts) >= gantt.REPORT_PT, stem
    w, h = fig.get_size_inches()
    rows = len(fig.axes[0].get_yticklabels())
    assert w == gantt.REPORT_W and h <= max(3.0, gantt.ROW_IN * rows + 1.8), stem
    by, i = gantt.part_of(stem)
    assert by == "site" or rows <= gantt.ROWS, stem
    keys = gantt.parts(fr, by)[i]
    assert by == "family" or keys == ["company"] or keys[0] in fig.axes[0].get_title(), stem


def test_the_chart_check_finds_a_twin_axis_whose_zero_is_out_of_view():
    with matplotlib.rc_context(style.rc()):
        fig = style.new_figure(4, 3)
        ax = fig.add_subplot()
        ax.bar([0, 1], [-1.0, 5.0])
        twin = ax.twinx()
        twin.plot([0, 1], [300, 4000])  # its zero below the figure: the line starts "below" the bars' zero
        assert any(p.startswith("dual y axes: zeros") for p in problems(fig))
        style.share_zero(ax, twin)
        assert problems(fig) == []


def test_the_chart_check_measures_what_a_full_draw_draws(frames):
    """chart_check.problems draws without rasterising (Figure.draw_without_rendering): the texts it sees, their
    boxes and the bars' boxes are those of a full Agg draw (checked here on the demo's costs and Gantt charts)."""
    import numpy as np
    from chart_check import _drawn_texts, _polygon
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def geometry(fig, full: bool):
        canvas = FigureCanvasAgg(fig)
        with _drawn_texts() as texts:
            canvas.draw() if full else fig.draw_without_rendering()
        r = canvas.get_renderer()
        return ([t.get_text() for t in texts], [_polygon(t, r).tolist() for t in texts],
                [p.get_window_extent(r).bounds for ax in fig.axes for p in ax.patches],
                [(ax.get_position().bounds, ax.get_xlim(), ax.get_ylim()) for ax in fig.axes])

    fr = frames["demo"]
    specs = dict(chart_specs(fr))
    for stem in ("costs", "gantt_by_site_1"):
        with matplotlib.rc_context(style.rc()):
            full, fast = geometry(specs[stem](fr, "zh"), True), geometry(specs[stem](fr, "zh"), False)
        assert len(full[0]) > 10 and full[0] == fast[0], stem
        assert np.array_equal(np.array(full[1]), np.array(fast[1])) and full[2:] == fast[2:], stem


def test_intensity_reduction_reads_the_target_description():
    from planner.report.plan.compliance_chart import intensity_reduction, reductions

    assert intensity_reduction("2030 target 'S3', scope 3 cat. 1,4 intensity per revenue -25%") == 0.25
    assert intensity_reduction("2030 target, scopes 1+2 market-based intensity per output -12.5%") == 0.125
    assert intensity_reduction("2030 target, scopes 1+2 market-based -42%") is None
    # the demo's scope-3 intensity target: allowed 574 kt (101% of base, revenue grows), achieved 499 kt
    r = SimpleNamespace(type="intensity", description="... intensity per revenue -25%", base=566000.0,
                        required=574323.5, achieved=499200.0, net=499200.0)
    req, gross, net = reductions(r)
    assert req == pytest.approx(25) and gross == pytest.approx(100 * (1 - 0.75 * 499200 / 574323.5)) == net


def test_the_carbon_market_charts_of_steel_show_the_frames_and_pass_the_chart_check(steel_plan):
    from planner.report.plan import markets

    fr = steel_plan.frames()
    specs = dict(chart_specs(fr))
    assert {"ets_position", "cbam_exposure"} <= set(specs)
    assert not {"ets_position", "cbam_exposure"} & {s for s, _ in chart_specs({**fr, "ets_position": None,
                                                                                  "cbam_exposure": None})}
    ets = fr["ets_position"].groupby("year")[["surplus_t", "cost_cny"]].sum()
    cbam = fr["cbam_exposure"].groupby("year").gross_cost_cny.sum()
    for lang in ("en", "zh"):
        with matplotlib.rc_context(style.rc()):
            for stem in ("ets_position", "cbam_exposure"):
                fig = specs[stem](fr, lang)
                assert problems(fig, [(1, "y")] if stem == "cbam_exposure" else []) == [], (lang, stem)
                bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
                if stem == "ets_position":  # surplus bars then deficit bars, kt; the cost panel in MCNY
                    n = len(ets)
                    kt = [a.get_height() + b.get_height() for a, b in zip(bars[:n], bars[n:2 * n], strict=True)]
                    assert kt == pytest.approx(list(ets.surplus_t / 1e3))
                    cost = [p.get_height() for p in fig.axes[1].patches if isinstance(p, Rectangle)]
                    assert cost == pytest.approx(list(ets.cost_cny / 1e6))
                    assert ("基准线法" if lang == "zh" else "benchmark") in fig.axes[0].get_title()
                else:  # gross certificate cost, MCNY
                    assert [p.get_height() for p in bars[:len(cbam)]] == pytest.approx(list(cbam / 1e6))
    # takeaways read the frames: steel's benchmark plant is short until 2029, long from 2030
    sur = ets.index[ets.surplus_t > 0.5]
    en = markets.takeaway("ets_position", fr, "en")
    assert f"surplus in {len(sur)} of {len(ets)} years, from {sur.min()}" in en
    assert f"a net surplus of {ets.surplus_t.sum() / 1e3:,.0f} ktCO2e" in en
    assert f"cost {ets.cost_cny.sum() / 1e6:,.0f} MCNY" in en
    c = fr["cbam_exposure"]
    zh = markets.takeaway("cbam_exposure", fr, "zh")
    peak = c.groupby("year").cost_cny.sum().idxmax()
    assert f"证书成本{c.cost_cny.sum() / 1e6:,.0f}百万元" in zh and f"{peak}年达峰值" in zh
    last = c[c.year == c.year.max()].iloc[0]
    assert f"隐含排放{last.embedded_actual_tco2e_per_t:.2f}吨" in zh
    assert f"默认值{last.embedded_default_tco2e_per_t:.2f}" in zh
    none = {**fr, "cbam_exposure": c.assign(exported_t=0.0, certificates_t=0.0, cost_cny=0.0)}  # cement's case
    assert markets.takeaway("cbam_exposure", none, "en") == (
        f"EU CBAM: no certificates 2026–2050 (nothing exported to the EU); embedded "
        f"{last.embedded_actual_tco2e_per_t:.2f} tCO2e/t in 2050")


def test_the_steel_report_has_a_carbon_market_section_with_its_takeaways(steel_plan, tmp_path):
    from planner.report.plan import markets

    png = tmp_path / "x.png"
    png.write_bytes(b"\x89PNG")  # the page embeds the file's bytes; no chart needs drawing here
    page = html.write_html(steel_plan, {s: [png] for s in ("costs", *markets.STEMS)}, tmp_path, "zh").read_text(
        encoding="utf-8")
    section = page[page.index("碳市场：全国碳市场与欧盟CBAM"):]
    fr = steel_plan.frames()
    for stem in markets.STEMS:
        assert markets.takeaway(stem, fr, "zh") in section and f'alt="{stem}"' in section
        assert page.count(f'alt="{stem}"') == 1  # shown in the section only, not again among the charts


SECTORS = ("steel", "cement", "aluminium")


@pytest.fixture(scope="module")
def sectors(steel_plan):
    """The bundled heavy-industry scenarios solved once (2% gap, one thread; each solves in about a second; steel:
    the session fixture, solved so), with the product and route names the report adds (specs.report_frames)."""
    from planner.report.plan.specs import report_frames
    from planner.schemas import load_scenario

    out = {"steel": report_frames(steel_plan)}
    for name in SECTORS[1:]:
        sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"mip_rel_gap": 0.02, "threads": 1})})
        out[name] = report_frames(planner.plan(sc))
    return out


@pytest.mark.parametrize("name", SECTORS)
def test_product_charts_of_the_sector_scenarios_pass_the_chart_check(sectors, name):
    """Only the products and routes charts (the others are drawn by the same code as the demo's, checked above)."""
    fr = sectors[name]
    specs = dict(chart_specs(fr))
    assert {"routes", "product_intensity"} <= set(specs)
    for lang in ("en", "zh"):
        with matplotlib.rc_context(style.rc()):
            for stem in ("routes", "product_intensity"):
                fig = specs[stem](fr, lang)
                assert problems(fig, [(i, "y") for i in range(len(fig.axes))]) == [], (name, lang, stem)
    assert set(fr["roadmap"].loc[fr["roadmap"].kind == "route", "family"]) == {"routes"}


def test_hourly_charts_draw_the_grid_factor_and_the_24_7_share(frames):
    """demo_hourly: the dispatch day's lower panel is the hour's grid factor (its own axes, not a third y axis over
    the MW), the 24/7 chart draws carbon_free.cfe_share in %, and the takeaway says the first and last share."""
    from planner.report.plan import dispatch, hourly, story

    fr = frames["demo_hourly"]
    site, year, day = dispatch.pick_day(fr)
    d = fr["dispatch"]
    x = d[(d.site == site) & (d.year == year) & (d.day == day)].sort_values("hour")
    fig = _draw(dispatch.chart, fr, "en")
    low = fig.axes[1]
    assert low.get_position().y1 < fig.axes[0].get_position().y0  # below the MW panel, not over it
    assert list(low.get_lines()[0].get_ydata()) == pytest.approx(list(x.grid_factor_t_per_mwh))
    fig = _draw(hourly.carbon_free, fr, "zh")
    cf = fr["carbon_free"].sort_values("year")
    assert list(fig.axes[0].get_lines()[0].get_ydata()) == pytest.approx(list(100 * cf.cfe_share))
    text = story.takeaway("carbon_free", fr, "en")
    assert text.endswith(f"{100 * cf.cfe_share.iloc[0]:.0f}% in {cf.year.iloc[0]}, "
                         f"{100 * cf.cfe_share.iloc[-1]:.0f}% in {cf.year.iloc[-1]}")
