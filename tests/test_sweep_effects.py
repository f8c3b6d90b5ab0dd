"""Issue 23: a swept parameter must change the model. The bundled tornado's PV capex index moves the NPV
(the capex index is an absolute multiplier), and a parameter whose variants leave the model inputs as in
the base scenario is reported in the run, the store and the report."""

from __future__ import annotations

import copy

import duckdb
import pytest
import yaml
from click.testing import CliRunner
from helpers import ROOT, efficiency
from test_sweep import SCENARIO

import planner
from planner.cli import main
from planner.schemas.sweep import load_sweep
from planner.studies.sweep import Worker, make_design, read_store
from planner.studies.sweep import analysis as an
from planner.studies.sweep.effects import parameter_effects
from planner.studies.sweep.inert import SweepWarning, without_effect
from planner.studies.sweep.store import STORE_FORMAT


def test_the_bundled_tornado_pv_capex_index_moves_the_npv():
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "demo_tornado.yaml")
    design = make_design(spec)
    j = [p.label for p in spec.parameters].index("pv_capex")
    rows = {design.level[i][j]: i for i in range(len(design)) if design.level[i][j] != "base"}
    w = Worker(spec)
    npv = {lev: w.run(i, design.values[i])["metrics"].iloc[0].cash_npv_cny for lev, i in [("base", 0), *rows.items()]}
    assert design.values[rows["low"], j] == 0.8 and design.values[rows["high"], j] == 1.2
    # PV is built in every variant: 20% off its capex saves ~21 MCNY, 20% more costs as much (the old code
    # divided the index by its base-year value, so all three NPVs were 4,522.9 MCNY)
    assert npv["low"] < npv["base"] - 1e7 and npv["high"] > npv["base"] + 1e7


INERT = [
    {"name": "elec", "path": "prices.electricity", "mode": "scale", "low": 0.8, "high": 1.2},
    {"name": "coal", "path": "prices.coal", "mode": "scale", "low": 0.5, "high": 2.0},  # no site or measure uses coal
    {"name": "off_capex", "path": "measures[off].capex", "mode": "scale", "low": 0.5, "high": 2.0},  # disabled
]


def inert_sweep(tmp_path, **sweep) -> str:
    """The micro sweep scenario of test_sweep with a disabled retrofit `off`; parameters INERT by default."""
    sc = copy.deepcopy(SCENARIO)
    sc["measures"] = [*sc["measures"], {**efficiency("off", capex=0, capex_cny_per_mwh_saved=300), "enabled": False}]
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(sc, sort_keys=False), encoding="utf-8")
    doc = {"base": "base.yaml", "solver": {"mip_rel_gap": 0.0}, "parameters": INERT, **sweep}
    path = tmp_path / "inert.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.mark.usefixtures("testlib")
@pytest.mark.parametrize("design, extra", [("oat", {}), ("grid", {"levels": 3}), ("lhs", {"samples": 6}),
                                           ("montecarlo", {"samples": 5}), ("morris", {"samples": 2}),
                                           ("sobol", {"samples": 2})])
def test_parameters_that_change_nothing_are_found_before_solving_in_every_design(tmp_path, design, extra):
    spec = load_sweep(inert_sweep(tmp_path, design=design, **extra))
    e = parameter_effects(spec, make_design(spec))
    assert without_effect(e) == ["coal", "off_capex"]
    by = e.groupby("parameter")
    assert by.changes_model.all().to_dict() == {"coal": False, "elec": True, "off_capex": False}
    # coal's price is in the model inputs, but no constraint reads it; the disabled measure is not in them
    assert set(e[e.parameter == "coal"].inputs_difference) == {"price_fuel_mcny_per_gwh"}
    assert set(e[e.parameter == "off_capex"].inputs_difference) == {""}
    assert e[e.parameter == "elec"].model_difference.str.startswith("price_elec[").all()
    lo, hi = by.value.min(), by.value.max()
    assert lo["coal"] >= 0.5 and hi["coal"] <= 2.0 and lo["coal"] < hi["coal"]  # the design's own extremes


@pytest.mark.usefixtures("testlib")
def test_a_parameter_that_changes_nothing_warns_in_the_run_the_store_and_the_report(tmp_path):
    f = inert_sweep(tmp_path, design="oat")
    with pytest.warns(SweepWarning) as caught:
        r = planner.sweep(f, tmp_path / "out")
    assert [str(w.message) for w in caught] == r.warnings
    assert r.warnings[0].startswith("parameter coal (prices.coal) did not change the model inputs it reads at 0.5, "
                                    "2 (only unread entries of price_fuel_mcny_per_gwh changed)")
    assert [w.split(" (")[0] for w in r.warnings] == ["parameter coal", "parameter off_capex"]
    assert "parameter off_capex (measures[off].capex) did not change the model inputs at 0.5, 2:" in r.warnings[1]
    t = r.tables()
    e = t["parameter_effects"]
    assert e.groupby("parameter").changes_model.any().to_dict() == {"coal": False, "elec": True, "off_capex": False}
    assert t["sweep"].set_index("key").value["store_format"] == str(STORE_FORMAT)
    npv = t["metrics"].set_index("variant").cash_npv_cny
    v = t["variants"]
    for p in ("coal", "off_capex"):  # their variants are the base model: the same NPV
        own = v[(v.parameter == p) & (v.level != "base")].variant
        assert npv[own].tolist() == pytest.approx([npv[0]] * 2, rel=1e-12)
    # the report frames and HTML (both languages) carry the mark
    d = an.load(r.store)
    fr = an.frames(d)
    tor = fr["tornado_cash_npv_cny"].set_index("parameter").changes_model
    assert tor.to_dict() == {"elec": True, "coal": False, "off_capex": False}
    s = fr["summary"].set_index("item").value
    assert s["parameters_without_effect"] == "coal, off_capex"
    files = planner.sweep_report(r.store, tmp_path / "rep", ("en", "zh"))
    en = (tmp_path / "rep" / "sweep_en.html").read_text(encoding="utf-8")
    zh = (tmp_path / "rep" / "sweep_zh.html").read_text(encoding="utf-8")
    assert "Parameter coal (prices.coal) did not change the model inputs at 0.5, 2" in en
    assert "Parameter off_capex (measures[off].capex) did not change the model inputs" in en
    assert "Parameter elec " not in en
    assert "参数 coal（prices.coal）在取值 0.5, 2 时未改变模型输入" in zh
    assert any(f.name == "sweep.xlsx" for f in files)
    # a resumed store keeps the check; a store written before it (format 1) gets it when resumed
    with duckdb.connect(str(r.store)) as con:
        con.execute("DROP TABLE parameter_effects")
        con.execute("UPDATE sweep SET value = '1' WHERE key = 'store_format'")
    assert an.effects(an.load(r.store)).empty  # an old store: nothing known, nothing marked
    with pytest.warns(SweepWarning):
        again = planner.sweep(f, tmp_path / "out", resume=True)
    assert again.solved_now == 0 and again.warnings == r.warnings
    assert read_store(r.store, ("sweep",))["sweep"].set_index("key").value["store_format"] == str(STORE_FORMAT)


@pytest.mark.usefixtures("testlib")
def test_the_cli_prints_the_warning_on_stderr_even_when_quiet(tmp_path):
    f = inert_sweep(tmp_path, design="oat", parameters=INERT[1:2])
    r = CliRunner().invoke(main, ["sweep", f, "--out", str(tmp_path / "out"), "--quiet"])
    assert r.exit_code == 0, r.output
    assert "warning: parameter coal (prices.coal) did not change the model inputs it reads" in r.stderr
    assert "warning" not in r.stdout and r.stdout.count("\n") == 1
