"""Issue 23: a swept parameter must change the model. The bundled tornado's PV capex index moves the NPV
(the capex index is an absolute multiplier), and a parameter whose variants leave the model inputs as in
the base scenario is reported in the run, the store and the report."""

from __future__ import annotations

from helpers import ROOT

from planner.schemas.sweep import load_sweep
from planner.studies.sweep import Worker, make_design


def test_the_bundled_tornado_pv_capex_index_moves_the_npv():
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "demo_tornado.yaml")
    design = make_design(spec)
    j = [p.label for p in spec.parameters].index("pv_capex")
    rows = {design.level[i][j]: i for i in range(len(design)) if design.level[i][j] != "base"}
    w = Worker(spec)
    npv = {lev: w.run(i, design.values[i])["metrics"].iloc[0].npv_cny for lev, i in [("base", 0), *rows.items()]}
    assert design.values[rows["low"], j] == 0.8 and design.values[rows["high"], j] == 1.2
    # PV is built in every variant: 20% off its capex saves ~21 MCNY, 20% more costs as much (the old code
    # divided the index by its base-year value, so all three NPVs were 4,522.9 MCNY)
    assert npv["low"] < npv["base"] - 1e7 and npv["high"] > npv["base"] + 1e7
