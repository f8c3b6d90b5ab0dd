"""Scenario comparison: self-comparison is all zeros and "same", demo vs demo_no_ccus shows CCUS and its
cause with KPIs equal to the single runs, result folders stand in for scenarios, infeasible scenarios stay
in, per-measure economics by hand, and bad arguments give one line and exit 2."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import ROOT, compared, efficiency, scenario, two_retrofits

import planner
from planner.cli import main
from planner.errors import InputError
from planner.studies.compare import compare

DEMO, NO_CCUS = ROOT / "scenarios" / "demo.yaml", ROOT / "scenarios" / "demo_no_ccus.yaml"


@pytest.fixture(scope="module")
def demo_vs_no_ccus():
    return compare([DEMO, NO_CCUS], workers=2)  # solved in two worker processes


def test_comparing_a_plan_with_itself_is_all_zero_and_same(demo_plan):
    c = compare([demo_plan, demo_plan], labels=["a", "b"])
    assert c.inputs.empty
    assert c.kpis.delta.fillna(0).abs().max() == 0
    assert (c.costs.delta_cny == 0).all()
    b = c.roadmap[c.roadmap.scenario == "b"]
    assert len(b) and (b.verdict == "same").all()
    assert len(c.common) == c.roadmap.measure.nunique()


def test_demo_vs_no_ccus_shows_ccus_its_cause_and_single_run_kpis(demo_vs_no_ccus, demo_plan):
    c = demo_vs_no_ccus
    assert list(c.scenarios.scenario) == ["demo", "demo_no_ccus"] and c.scenarios.reference.tolist() == [True, False]
    assert c.inputs[["path", "reference_value", "value"]].values.tolist() == [
        ["measures[north_ccus].enabled", "true", "false"]]
    ccus = c.roadmap[c.roadmap.measure == "north_ccus"].set_index("scenario")
    assert ccus.loc["demo", "adopted"] and not ccus.loc["demo_no_ccus", "adopted"]
    assert ccus.loc["demo_no_ccus", "verdict"] == "not in demo_no_ccus"
    assert "north_ccus" not in set(c.common.measure)
    k = c.kpis[c.kpis.scenario == "demo"].set_index("kpi").value
    assert k["cash_npv"] == pytest.approx(demo_plan.summary["cash_npv_cny"], rel=1e-6)
    assert k["objective"] == pytest.approx(demo_plan.summary["objective_cny"], rel=1e-6)
    assert k["total_capex"] == pytest.approx(demo_plan.summary["total_capex_cny"], rel=1e-6)
    parts = ["npv_capex", "npv_om", "npv_energy", "npv_ets", "npv_contracts", "npv_salvage"]
    assert sum(k[p] for p in parts) == pytest.approx(k["cash_npv"], rel=1e-6)
    em = demo_plan.emissions[demo_plan.emissions.scope.isin(["scope1", "scope2_market", "scope3"])]
    assert k["cumulative_emissions"] == pytest.approx(em.plan_tco2e.sum(), rel=1e-9)
    assert k["targets_met"] == k["targets_total"] == demo_plan.targets.target.nunique()
    other = c.kpis[(c.kpis.scenario == "demo_no_ccus") & (c.kpis.kpi == "cash_npv")].iloc[0]
    assert other.delta == pytest.approx(other.value - k["cash_npv"])
    fam = c.abatement.set_index(["scenario", "family"]).tco2e
    assert fam["demo", "ccus"] > 0 and ("demo_no_ccus", "ccus") not in fam.index


def test_compared_from_solved_plans_is_compare_of_the_files(demo_vs_no_ccus, demo_plan, bundled_plan):
    """helpers.compared (the comparison test files' frames, from the session's plans) gives what `compare` of the
    scenario files (solved here in two worker processes) gives: the same runs and every frame equal."""
    c = compared({"demo": demo_plan, "demo_no_ccus": bundled_plan("demo_no_ccus")})
    assert c.reference == demo_vs_no_ccus.reference == "demo"
    assert [(r.label, r.source, r.status) for r in c.runs] == [(r.label, r.source, r.status)
                                                                 for r in demo_vs_no_ccus.runs]
    assert [r.source for r in c.runs] == [str(DEMO), str(NO_CCUS)]
    a, b = c.frames(), demo_vs_no_ccus.frames()
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=False, rtol=1e-9, obj=name)


def test_result_folders_stand_in_for_scenarios_and_old_folders_are_refused(demo_plan, tmp_path):
    demo_plan.write(tmp_path / "demo")
    c = compare([tmp_path / "demo", demo_plan], labels=["folder", "plan"])
    assert c.inputs.empty and c.kpis.delta.fillna(0).abs().max() < 1e-6
    (tmp_path / "demo" / "scenario.yaml").unlink()
    with pytest.raises(InputError, match="missing scenario.yaml"):
        compare([tmp_path / "demo", demo_plan], labels=["folder", "plan"])
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "summary.json").write_text('{"npv_cny": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="result format 1"):
        compare([tmp_path / "old", demo_plan])


@pytest.mark.usefixtures("testlib")
def test_an_infeasible_scenario_stays_in_with_its_shortfalls():
    ok = scenario(measures=[efficiency()])
    bad = scenario(name="impossible", measures=[efficiency()],
                   targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                             "reduction": 0.5}])
    c = compare([ok, bad])
    s = c.scenarios.set_index("scenario")
    assert s.loc["impossible", "status"] == "infeasible" and "best achievable -10%" in s.loc["impossible", "shortfalls"]
    assert math.isnan(c.kpis[(c.kpis.scenario == "impossible") & (c.kpis.kpi == "cash_npv")].value.iloc[0])
    assert set(c.roadmap.scenario) == {"micro"}


@pytest.mark.usefixtures("testlib")
def test_measure_economics_by_hand():
    # 1,000 MWh at 500 CNY/MWh, discount 10%, 2025-2027. Each retrofit saves 10% (50,000 CNY a year) for 3
    # years from 2025; a -20% target in 2025 needs both. e1 costs 100,000: flows -50,000, 50,000, 50,000 ->
    # NPV = -50,000/1.1 + 50,000/1.21 + 50,000/1.331 = 33,433.51; IRR: x^2 + x - 1 = 0, r = 1/x - 1 = 0.6180;
    # payback: cumulative -50,000, 0 -> 2 years. e2 costs 200,000: NPV = -150,000/1.1 + 41,322.31 + 37,565.74
    # = -57,475.58; IRR: x^2 + x - 3 = 0, r = -0.2324; cumulative -150,000, -100,000, -50,000: never pays back.
    p = planner.plan(two_retrofits())
    e = p.measure_economics.set_index("measure")
    x1, x2 = (math.sqrt(5) - 1) / 2, (math.sqrt(13) - 1) / 2
    assert e.loc["e1", "npv_vs_not_adopting_cny"] == pytest.approx(33_433.51, abs=0.01)
    assert e.loc["e1", "irr"] == pytest.approx(1 / x1 - 1, abs=1e-6)
    assert e.loc["e1", "payback_years"] == pytest.approx(2.0)
    assert e.loc["e2", "npv_vs_not_adopting_cny"] == pytest.approx(-57_475.58, abs=0.01)
    assert e.loc["e2", "irr"] == pytest.approx(1 / x2 - 1, abs=1e-6)
    assert math.isnan(e.loc["e2", "payback_years"])
    assert e.loc["e2", "payback_note"] == "never pays back within the horizon"
    assert e.loc["e1", "discounted_cost_cny"] == pytest.approx(-33_433.51, abs=0.01)
    assert e.loc["e1", "abatement_tco2e"] == pytest.approx(3 * 100 * 0.6)  # market factor 0.6 t/MWh


@pytest.mark.parametrize("args, words", [
    (["nope.yaml", "scenarios/demo.yaml"], "not found"),
    (["scenarios/demo.yaml"], "at least two scenarios"),
    (["scenarios/demo.yaml", "scenarios/demo.yaml"], "duplicate label"),
    (["scenarios/demo.yaml", "scenarios/demo_strict.yaml", "--ref", "x"], "unknown reference"),
    (["scenarios/demo.yaml", "scenarios/demo_strict.yaml", "--label", "a"], "expected 2 labels"),
    (["scenarios", "scenarios/demo.yaml"], "not a result folder"),
])
def test_bad_compare_arguments_give_one_line_and_exit_2(args, words, monkeypatch):
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(main, ["compare", *args])
    assert r.exit_code == 2, r.output
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in r.output


def test_cli_compare_of_result_folders_writes_the_comparison(demo_vs_no_ccus, tmp_path, monkeypatch):
    for r in demo_vs_no_ccus.runs:
        r.plan.write(tmp_path / r.label)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["compare", "demo", "demo_no_ccus", "--out", "cmp"])
    assert res.exit_code == 0, res.output
    assert "north_ccus (north_casting): not in demo_no_ccus" in res.output
    out = tmp_path / "cmp"
    for name in ("scenarios", "inputs", "kpis", "roadmap", "common", "trajectories", "costs", "abatement",
                 "economics"):
        assert (out / f"{name}.csv").is_file()
    assert (out / "comparison_en.html").is_file() and (out / "comparison.xlsx").is_file()
    assert (out / "charts" / "compare_roadmap_matrix_en.png").is_file()
    kpis = pd.read_csv(out / "kpis.csv")  # from the folders: the same KPIs as the comparison that solved them
    pd.testing.assert_series_equal(kpis.value, demo_vs_no_ccus.kpis.value, rtol=1e-9)


def test_no_plan_at_all_still_compares(tmp_path):
    from helpers import scenario as micro

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_DATA", str(ROOT / "tests" / "data"))
        t = [{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"}, "reduction": 0.9}]
        c = compare([micro(name="a", targets=t), micro(name="b", targets=t)])
    assert list(c.scenarios.status) == ["infeasible", "infeasible"]
    assert c.economics.empty and "scenario" in c.economics.columns and c.roadmap.empty


@pytest.mark.parametrize("damage, words", [
    (lambda d: (d / "summary.json").write_bytes(b"\xff\xfe\x00garbage"), "summary.json"),
    (lambda d: (d / "summary.json").write_text("[1, 2]", encoding="utf-8"), "result format"),
    (lambda d: (d / "scenario.yaml").write_bytes("name: caf\xe9\n".encode("latin-1")), "UTF-8"),
    (lambda d: (d / "scenario.yaml").write_text((d / "scenario.yaml").read_text(encoding="utf-8")
                                                + "name: again\n", encoding="utf-8"), "duplicate key"),
    (lambda d: (d / "roadmap.csv").unlink(), "missing roadmap.csv"),
    (lambda d: (d / "costs.csv").write_bytes(b"\x00" * 10), "costs.csv"),
])
def test_a_damaged_result_folder_gives_one_line_and_exit_2(demo_plan, tmp_path, monkeypatch, damage, words):
    d = tmp_path / "demo"
    demo_plan.write(d)
    damage(d)
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(main, ["compare", str(d), "scenarios/demo_strict.yaml", "--out", str(tmp_path / "o")])
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert r.exit_code == 2 and len(lines) == 1 and words in lines[0] and str(d) in lines[0], r.output
    assert not (tmp_path / "o").exists()


def test_inputs_show_the_effective_value_on_both_sides():
    """A constant against a {year: value} series (demo's internal carbon price 0 against demo_high_carbon's
    points) reads per year 0 -> 100, never `(absent)`; a year only one side names gets the other side's
    interpolated value."""
    from planner.schemas import load_scenario
    from planner.studies.compare import Run
    from planner.studies.compare_frames import input_differences
    demo = load_scenario(DEMO)
    high = load_scenario(ROOT / "scenarios" / "demo_high_carbon.yaml")
    prices = {**demo.prices, "ets": {2024: 96.0, 2035: 300.0, 2050: 350.0}}
    extra = demo.model_copy(update={"name": "ets_2035", "prices": prices})
    d = input_differences([Run("demo", "", demo), Run("high", "", high), Run("ets_2035", "", extra)])
    assert "(absent)" not in set(d.reference_value) | set(d.value)
    icp = d[d.path.str.startswith("internal_carbon_price.price_cny_per_t")]
    assert icp[["path", "reference_value", "value"]].values.tolist() == [
        ["internal_carbon_price.price_cny_per_t[2025]", "0", "100"],
        ["internal_carbon_price.price_cny_per_t[2030]", "0", "300"],
        ["internal_carbon_price.price_cny_per_t[2050]", "0", "600"]]
    ets = d[(d.scenario == "ets_2035") & d.path.str.startswith("prices.ets")]
    assert ets[["path", "reference_value", "value"]].values.tolist() == [  # demo 150, 250; 96 + 204 * 6 / 11
        ["prices.ets[2030]", "150", "207.273"], ["prices.ets[2035]", "200", "300"],
        ["prices.ets[2040]", "250", "316.667"]]


def test_the_comparison_page_has_a_cbam_table_with_the_difference_from_the_reference(steel_plan, demo_plan,
                                                                                       tmp_path):
    from planner.report.compare.cbam import cbam_table
    from planner.report.compare.html import write_comparison_html

    fr = compare([steel_plan, steel_plan], labels=["a", "b"]).frames()
    cb = fr["cbam"]
    fr["cbam"] = cb.assign(cost_cny=cb.cost_cny.where(cb.scenario == "a", cb.cost_cny * 1.5),
                           discounted_cost_cny=cb.discounted_cost_cny.where(cb.scenario == "a",
                                                                            cb.discounted_cost_cny * 1.5))
    t = cbam_table(fr, "en")
    a, b = t["rows"]  # one exported product (crude steel), per scenario
    disc = cb[cb.scenario == "a"].discounted_cost_cny.sum() / 1e6
    assert a[0]["text"] == "a" and a[1]["text"] == "crude_steel" and a[6]["text"] == f"{disc:,.1f}"
    assert a[6]["sub"] == "" and b[6]["sub"] == f"{0.5 * disc:+,.1f}"  # b pays half as much again
    assert a[2]["text"] == f"{cb[cb.scenario == 'a'].exported_t.sum() / 1e3:,.0f}"
    first, last = cb[cb.scenario == "a"].sort_values("year").embedded_tco2e_per_t.iloc[[0, -1]]
    assert a[3]["text"] == f"{first:.2f} → {last:.2f}"
    page = write_comparison_html(fr, {}, tmp_path, "zh").read_text(encoding="utf-8")
    assert "出口欧盟的碳边境调节机制（CBAM）" in page and f"{0.5 * disc:+,.1f}" in page
    assert cbam_table(compare([demo_plan, demo_plan], labels=["a", "b"]).frames(), "en") is None  # no CBAM
