"""Sweep stores written before a column was renamed still read (under the current name)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from planner.studies.sweep.store import FILE_NAME, read_store


def test_a_stand_alone_macc_of_an_older_store_reads_under_its_current_name(tmp_path):
    con = duckdb.connect(str(tmp_path / FILE_NAME))
    con.execute("CREATE TABLE standalone_macc (measure VARCHAR, name VARCHAR, name_zh VARCHAR, family VARCHAR, "
                "site VARCHAR, potential_tco2e_per_yr DOUBLE, cost_cny_per_tco2e DOUBLE)")
    con.execute("INSERT INTO standalone_macc VALUES ('b', 'B', 'B', 'heat', 's', 2.0, 50.0), "
                "('a', 'A', 'A', 'heat', 's', 1.0, -10.0)")
    con.close()
    sa = read_store(tmp_path, ("standalone_macc",))["standalone_macc"]
    assert list(sa.columns)[-1] == "standalone_cost_cny_per_tco2e"
    assert list(sa.measure) == ["a", "b"] and list(sa.standalone_cost_cny_per_tco2e) == [-10.0, 50.0]


def test_sweep_metrics_keep_the_cash_npv_apart_from_the_objective(tmp_path):
    """An internal carbon price is in the objective, never in the cash NPV (issue 23): per variant the cash NPV
    equals `planner run`'s cash_npv_cny of that variant, and objective - cash = the discounted internal price."""
    from test_sweep import write_sweep

    import planner
    from planner.schemas.sweep import load_sweep
    from planner.studies.sweep import variant_scenario
    from planner.studies.sweep.design import make_design

    sweep = write_sweep(tmp_path, design="grid", parameters=[
        {"name": "icp", "path": "carbon_price", "mode": "set", "values": [0, 300]}])
    r = planner.sweep(sweep, tmp_path / "out", quiet=True)
    m = r.tables(("metrics",))["metrics"].set_index("variant")
    spec = load_sweep(sweep)
    design = make_design(spec)
    for i in range(len(design)):
        p = planner.plan(variant_scenario(spec, design.values[i], i))
        assert m.cash_npv_cny[i] == pytest.approx(p.summary["cash_npv_cny"], rel=1e-9)
        assert m.objective_cny[i] == pytest.approx(p.summary["objective_cny"], rel=1e-9)
    price = {i: design.values[i][0] for i in range(len(design))}
    zero, priced = (i for i in sorted(price, key=price.get))
    assert m.cash_npv_cny[zero] == m.objective_cny[zero]
    assert m.objective_cny[priced] > m.cash_npv_cny[priced] + 1.0


def test_a_format_2_store_reads_and_resumes_with_todays_metric_columns(tmp_path):
    """A store written before format 3 had the objective as `npv_cny` and no cash NPV: it reads as
    objective_cny (cash NPV NULL), and resuming renames and adds the columns so new variants insert."""
    from planner.studies.sweep.store import Store

    con = duckdb.connect(str(tmp_path / FILE_NAME))
    con.execute("CREATE TABLE metrics (variant INTEGER PRIMARY KEY, status VARCHAR, npv_cny DOUBLE)")
    con.execute("INSERT INTO metrics VALUES (0, 'optimal', 123.0)")
    con.close()
    m = read_store(tmp_path, ("metrics",))["metrics"]
    assert m.objective_cny.tolist() == [123.0] and m.cash_npv_cny.isna().all() and "npv_cny" not in m
    con = duckdb.connect(str(tmp_path / FILE_NAME))
    store = Store(tmp_path / FILE_NAME, con)
    store.migrate()
    store.write(1, {"metrics": pd.DataFrame([{"status": "optimal", "objective_cny": 5.0, "cash_npv_cny": 4.0}])})
    m = store.read("metrics")
    con.close()
    assert m.objective_cny.tolist() == [123.0, 5.0] and m.cash_npv_cny.tolist()[1] == 4.0
