"""Sweep analyses and report (issue 10), from the store alone: an OAT tornado whose NPV changes are known by
hand, adoption verdicts on a constructed store, a carbon-price sweep whose chosen abatement rises with the
price, a partial store reported as partial, the HTML in headless chromium, the CLI."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import BASE, open_in_chromium
from sweep_store import synthetic_store
from test_sweep import SCENARIO

import planner
from planner.cli import main
from planner.schemas.yamlio import deep_merge
from planner.studies.sweep import analysis as an

pytestmark = pytest.mark.usefixtures("testlib")


def _sweep_file(tmp_path, scenario: dict, **sweep) -> str:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    doc = {"base": "base.yaml", "solver": {"mip_rel_gap": 0.0}, **sweep}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return str(path)


def test_oat_tornado_gives_the_npv_change_computed_by_hand(tmp_path):
    # one year, no discounting, no measures: NPV = 1,000 MWh x 500 + 2,000 MWh x 200 = 900,000 CNY
    sc = deep_merge(copy.deepcopy(BASE), {"sites": [{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 2000}}],
                                          "prices": {"electricity": 500, "natural_gas": 200}})
    params = [{"name": "elec", "path": "prices.electricity", "mode": "scale", "low": 0.8, "high": 1.2},
              {"name": "gas", "path": "prices.natural_gas", "mode": "scale", "low": 0.5, "high": 2.0},
              {"name": "ets", "path": "prices.ets", "mode": "scale", "low": 0.5, "high": 2.0}]
    with pytest.warns(UserWarning, match=r"parameter ets \(prices\.ets\) did not change the model inputs"):
        r = planner.sweep(_sweep_file(tmp_path, sc, design="oat", parameters=params), tmp_path / "out")
    t = an.tornado(an.load(r.store), "cash_npv_cny").set_index("parameter")
    assert t.changes_model.to_dict() == {"gas": True, "elec": True, "ets": False}  # the ETS price is 0: x 0.5 = 0
    assert list(t.index) == ["gas", "elec", "ets"]  # sorted by swing: 600,000 > 200,000 > 0 (no ETS site)
    assert t.base_metric.iloc[0] == pytest.approx(900_000, rel=1e-6)
    assert t.loc["gas", ["delta_low", "delta_high"]].tolist() == pytest.approx([-200_000, 400_000], rel=1e-6)
    assert t.loc["elec", ["delta_low", "delta_high"]].tolist() == pytest.approx([-100_000, 100_000], rel=1e-6)
    assert t.loc["elec", "swing"] == pytest.approx(200_000, rel=1e-6)
    assert t.loc["ets", "swing"] == pytest.approx(0, abs=1e-3)
    assert (t.low_value.tolist(), t.high_value.tolist()) == ([0.5, 0.8, 0.5], [2.0, 1.2, 2.0])


def test_adoption_frequency_and_verdicts_on_a_constructed_store(tmp_path):
    d = an.load(synthetic_store(tmp_path, 40, infeasible=(3, 30)))
    a = an.adoption(d).set_index("measure")
    assert (a.variants == 38).all()  # infeasible variants are not in the denominator
    assert a.loc["eff", ["adopted", "frequency", "verdict"]].tolist() == [38, 1.0, "no_regret"]
    assert a.loc["never", ["adopted", "verdict"]].tolist() == [0, "never"]
    ccus = a.loc["ccus"]  # adopted exactly when carbon_price > 180 (variants 19..39 minus 30)
    assert (ccus.adopted, ccus.verdict, ccus.parameter, ccus.direction) == (20, "depends", "carbon_price", "above")
    assert ccus.frequency == pytest.approx(20 / 38)
    assert (ccus.threshold, ccus.accuracy) == (185.0, 1.0)
    assert list(a.index[:1]) == ["eff"] and a.index[-1] == "never"  # no-regret first, never last
    inf = an.infeasibility(d).set_index("target")
    assert inf.loc["all", ["missed", "share"]].tolist() == [2, 2 / 40]
    assert inf.loc["t30", "missed"] == 2


def test_a_measure_adopted_in_exactly_95_percent_is_no_regret(tmp_path):
    a = an.adoption(an.load(synthetic_store(tmp_path, 20, measures=4))).set_index("measure")
    assert a.loc["mostly", ["adopted", "variants", "verdict"]].tolist() == [19, 20, "no_regret"]
    assert a.loc["ccus", ["adopted", "verdict"]].tolist() == [1, "depends"]  # 1 of 20: not never


def test_sobol_indices_from_the_stored_unit_samples_match_the_analytic_values():
    # y = 4a + b with a, b uniform on [0, 1]: S1 = ST = 16/17 for a and 1/17 for b
    from SALib.sample import sobol

    prob = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0]] * 2}
    x = sobol.sample(prob, 256, calc_second_order=False, seed=0)
    n = len(x)
    t = {"variants": pd.DataFrame({"variant": np.repeat(np.arange(n), 2), "parameter": ["a", "b"] * n,
                                   "value": x.ravel(), "unit_value": x.ravel(), "level": "sample"}),
         "parameters": pd.DataFrame({"parameter": ["a", "b"], "base": [np.nan, np.nan]}),
         "metrics": pd.DataFrame({"variant": np.arange(n), "status": "optimal", "cash_npv_cny": 4 * x[:, 0] + x[:, 1]}),
         "costs": pd.DataFrame(columns=["variant", "category", "year", "nominal_cny"]),
         "adoption": pd.DataFrame(columns=["variant", "adopted", "first_year", "capex_cny"])}
    meta = {"design": "sobol", "salib_problem": json.dumps(prob), "sweep_file": json.dumps({"second_order": False}),
            "seed": "0", "variants": str(n)}
    d = an.SweepData(None, t, meta, n, n)
    d.values = an._values(t)
    ix = an.indices(d).set_index(["parameter", "index"])
    assert ix.value.to_dict() == pytest.approx({("a", "S1"): 16 / 17, ("a", "ST"): 16 / 17, ("b", "S1"): 1 / 17,
                                                ("b", "ST"): 1 / 17}, abs=0.05)
    assert (ix.conf > 0).all()
    t["metrics"] = t["metrics"].iloc[:-1]  # one variant missing: no indices, and the note says why
    d = an.SweepData(None, t, meta, n, n - 1)
    d.values = an._values(t)
    assert "1 of 1024 variants unsolved or not stored" in an.indices(d).note.iloc[0]


def test_carbon_price_sweep_relaxes_targets_and_abatement_never_falls_with_the_price(tmp_path):
    prices = [0, 50, 150, 400, 1000]
    f = _sweep_file(tmp_path, SCENARIO, design="carbon_price", carbon_price={"prices": prices})
    r = planner.sweep(f, tmp_path / "out")
    d = an.load(r.store)
    assert d.tables["targets"].empty  # targets relaxed: the variants respond to the price alone
    sup = an.carbon_supply(d)
    assert sup.price_cny_per_t.tolist() == prices and (sup.status == "optimal").all()
    ab = sup.abatement_tco2e_per_yr.to_numpy()
    assert (np.diff(ab) >= -1e-6 * max(1.0, ab.max())).all(), ab
    assert ab[-1] > ab[0]
    assert len(d.tables["standalone_macc"]) > 0  # computed once when the sweep ran, read by the report
    cmp = an.macc_comparison(d)
    assert set(cmp.reason) <= {"as_expected", "earlier", "later", "never", "beyond", "no stand-alone cost"}
    files = planner.sweep_report(r.store, tmp_path / "rep")
    assert (tmp_path / "rep" / "charts" / "sweep_carbon_price_macc_en.png") in files


def test_partial_store_reports_what_it_has_via_the_cli_and_opens_cleanly_in_chromium(tmp_path):
    store = synthetic_store(tmp_path / "store", 30, planned=50, measures=5, infeasible=(4,))
    d = an.load(store)
    assert (d.planned, d.stored, d.partial) == (50, 30, True)
    res = CliRunner().invoke(main, ["sweep", "report", str(store), "--out", str(tmp_path / "rep"), "--lang", "zh"])
    assert res.exit_code == 0 and "sweep report:" in res.output, res.output
    html = {f.name: f for f in (tmp_path / "rep").glob("*.html")}
    assert set(html) == {"sweep_zh.html"} and (tmp_path / "rep" / "sweep.xlsx").is_file()
    assert len(list((tmp_path / "rep" / "charts").glob("sweep_*_zh.svg"))) == 7
    assert "存储中仅有 30 / 50 个变体" in html["sweep_zh.html"].read_text(encoding="utf-8")
    msgs, shot, text, flag, fonts = open_in_chromium(html["sweep_zh.html"], probe="敏感性分析")
    assert not [m for m in msgs if m[0] in ("error", "pageerror", "warning", "network")], msgs
    assert "部分结果" in text and "无悔措施" in text and "当 carbon_price > 185 时" in text
    assert fonts["scripts"] == 0 and fonts["broken"] == 0 and fonts["images"] >= 5 and fonts["check"]


def test_cli_sweep_report_without_a_store_fails_in_one_line(tmp_path):
    res = CliRunner().invoke(main, ["sweep", "report", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "no sweep store here" in res.output
