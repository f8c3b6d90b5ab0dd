"""Sweeps: sweep files (paths, designs, clean errors), in-place re-solve equals a fresh solve, the store
survives kill -9 and resumes exactly, local and Dask workers give identical stores, variants reproduce."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import BASE, ROOT, efficiency

import planner
from planner.errors import InputError
from planner.schemas.sweep import load_sweep
from planner.schemas.yamlio import deep_merge
from planner.studies.sweep import EXECUTION_COLUMNS, Worker, make_design, read_store, variant_scenario, variant_yaml

pytestmark = pytest.mark.usefixtures("testlib")

# 1,000 MWh of electricity (500 CNY/MWh) and 2,000 MWh of gas (200 CNY/MWh, 0.2 t/MWh) at an ETS site; a
# retrofit, PV, a heat pump, certificates and credits compete for a -30% scope 1+2 target by 2027.
SCENARIO = deep_merge(copy.deepcopy(BASE), {
    "horizon": {"start": 2025, "end": 2027}, "discount_rate": 0.05,
    "sites": [{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 2000}, "ets_covered": True,
               "growth": {2024: 1.0, 2027: 1.1}}],
    "prices": {"ets": 80},
    "ets": {"free_allocation_share": 0.5},
    "trajectories": {"capex_index": {"pv": {2024: 1.0, 2027: 0.8}}},
    "measures": [efficiency(capex=0, capex_cny_per_mwh_saved=300, life=3, share=0.15),
                 {"id": "pv", "template": "rooftop_pv", "site": "s1", "max_size": 0.5, "cost_index": "pv"},
                 {"id": "hp", "template": "heat_pump", "site": "s1", "target_carrier": "natural_gas"},
                 {"id": "gec", "template": "green_certificates", "earliest_year": 2026},
                 {"id": "cred", "template": "carbon_credits", "max_tco2e": 50}],
    "targets": [{"id": "t", "year": 2027, "coverage": {"scope1": True, "scope2": "market"}, "reduction": 0.3,
                 "pathway": "linear"}],
})
COEFFICIENT_PARAMETERS = [
    {"name": "elec", "path": "prices.electricity", "mode": "scale", "low": 0.6, "high": 1.6},
    {"name": "gas", "path": "prices.natural_gas", "mode": "scale", "low": 0.5, "high": 2.0},
    {"name": "ets", "path": "prices.ets", "mode": "add", "low": 0, "high": 400},
    {"name": "pv_capex", "path": "measures[kind=onsite_generation].capex", "mode": "scale", "low": 0.3, "high": 1.5},
    {"name": "pv_index", "path": "trajectories.capex_index.pv", "mode": "scale", "low": 0.5, "high": 1.2},
    {"name": "gec", "path": "prices.gec", "mode": "scale", "low": 0.5, "high": 20},
    {"name": "icp", "path": "carbon_price", "mode": "set", "low": 0, "high": 600},
    {"name": "free", "path": "ets.free_allocation_share", "mode": "set", "low": 0.2, "high": 0.9},
    {"name": "rate", "path": "discount_rate", "mode": "set", "low": 0.0, "high": 0.15, "base": 0.05},
]


def write_sweep(tmp_path, name="s", **sweep) -> str:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(SCENARIO, sort_keys=False), encoding="utf-8")
    doc = {"base": "base.yaml", "solver": {"mip_rel_gap": 0.0}, **sweep}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return str(path)


def comparable(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Store tables without the execution facts (timings, worker, rebuilt) that depend on scheduling."""
    out = {}
    for name, df in tables.items():
        if name == "sweep":
            df = df[df.key != "file"]
        out[name] = df.drop(columns=[c for c in EXECUTION_COLUMNS if c in df.columns]).reset_index(drop=True)
    return out


def assert_same_store(a: dict, b: dict) -> None:
    a, b = comparable(a), comparable(b)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


def test_an_in_place_resolve_equals_a_fresh_solve_of_the_same_variant(tmp_path):
    spec = load_sweep(write_sweep(tmp_path, design="lhs", samples=6, seed=3, parameters=COEFFICIENT_PARAMETERS))
    design = make_design(spec)
    w = Worker(spec)
    adopted = set()
    for i in range(len(design)):
        m = w.run(i, design.values[i])["metrics"].iloc[0]
        # the worker built the base scenario's model for the start plans; every coefficient parameter updates it
        assert not m.rebuilt, m.rebuild_reason
        fresh = planner.plan(variant_scenario(spec, design.values[i], i))
        assert m.status == "optimal"
        assert m.objective_cny == pytest.approx(fresh.summary["objective_cny"], rel=1e-9)
        adopted.add(tuple(sorted(fresh.roadmap.measure.unique())))
    assert len(adopted) > 1  # the variants change the roadmap, not just its cost


def test_every_variant_starts_from_the_base_plan_and_its_result_ignores_what_the_worker_solved_before(tmp_path):
    spec = load_sweep(write_sweep(tmp_path, design="lhs", samples=5, seed=7, parameters=COEFFICIENT_PARAMETERS))
    design = make_design(spec)
    w = Worker(spec)
    rows = [w.run(i, design.values[i])["metrics"].iloc[0] for i in range(len(design))]
    base = planner.plan(spec.base)  # the start: the base scenario's plan, by variable name
    [by_name] = w.resolver.start.by_name  # 5 variants: no anchors (5 // 6 = 0), the base plan alone
    assert len(by_name) > 50
    from planner.backend.solve import StartPlans  # the resolver's cached names give StartPlans.of's lookup
    assert w.resolver.start.by_id == StartPlans.of(w.resolver.built.m, [by_name]).by_id
    built = {k.split(".")[0].removeprefix("measure_") for k, v in by_name.items() if ".build[" in k and v > 0.5}
    assert built and built == set(base.roadmap.measure)  # the measures the base plan builds
    for i in (4, 2):  # a new worker, other predecessors: the very same result
        alone = Worker(spec).run(i, design.values[i])["metrics"].iloc[0]
        assert alone.objective_cny == rows[i].objective_cny and alone.status == rows[i].status == "optimal"
    off = load_sweep(write_sweep(tmp_path, "off", design="lhs", samples=5, seed=7,
                                 solver={"mip_rel_gap": 0.0, "warm_start": "none"}, parameters=COEFFICIENT_PARAMETERS))
    w_off = Worker(off)
    for i in range(len(design)):
        m = w_off.run(i, design.values[i])["metrics"].iloc[0]
        assert m.objective_cny == pytest.approx(rows[i].objective_cny, rel=1e-9)
    assert w_off.resolver.start is None


def test_anchor_plans_are_spread_over_the_design_and_results_ignore_worker_and_order(tmp_path):
    from planner.studies.sweep.design import anchor_rows

    spec = load_sweep(write_sweep(tmp_path, design="lhs", samples=6, seed=3, parameters=COEFFICIENT_PARAMETERS,
                                  solver={"anchors": 2}))
    design = make_design(spec)
    chosen = anchor_rows(design, 2)
    u = design.unit
    far = np.linalg.norm(u - 0.5, axis=1)
    assert chosen[0] == int(np.argmax(far))  # the variant farthest from the base first
    rest = [i for i in range(len(design)) if i != chosen[0]]  # then the one farthest from base and the first
    gap = {i: min(far[i], np.linalg.norm(u[i] - u[chosen[0]])) for i in rest}
    assert chosen[1] == max(rest, key=lambda i: (gap[i], -i))
    assert anchor_rows(design, 2) == chosen and len(anchor_rows(design, 50)) == len(design)
    w = Worker(spec)
    w.use_plans(w.start_plans(len(design)))
    kept = dict(w.anchor_results)
    assert sorted(kept) == sorted(chosen)  # an anchor's solve is its variant's result: not solved again
    rows = [w.run(i, design.values[i]) for i in range(len(design))]
    assert all(rows[i] is kept[i] for i in chosen) and not w.anchor_results
    rows = [r["metrics"].iloc[0] for r in rows]
    assert len(w.resolver.start) == 3  # the base plan and two anchors' plans
    exact_solver = {"mip_rel_gap": 0.0, "warm_start": "none"}
    exact = load_sweep(write_sweep(tmp_path, "exact", design="lhs", samples=6, seed=3,
                                   parameters=COEFFICIENT_PARAMETERS, solver=exact_solver))
    w_exact = Worker(exact)
    for i in (5, 0, 3):  # another worker, another order: the same result, and the optimum
        alone = Worker(spec).run(i, design.values[i])["metrics"].iloc[0]
        assert alone.objective_cny == rows[i].objective_cny and alone.status == rows[i].status == "optimal"
        opt = w_exact.run(i, design.values[i])["metrics"].iloc[0]
        assert rows[i].objective_cny == pytest.approx(opt.objective_cny, rel=max(spec.base.solver.mip_rel_gap, 1e-9))


def test_anchors_still_give_start_plans_when_the_base_scenario_has_none(tmp_path):
    base = copy.deepcopy(SCENARIO)
    base["targets"][0]["reduction"] = 0.95  # the base scenario misses its target: no plan
    (tmp_path / "infeasible.yaml").write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
    params = [{"name": "cut", "path": "targets[t].reduction", "mode": "set", "values": [0.2, 0.3]}]
    spec = load_sweep(write_sweep(tmp_path, base="infeasible.yaml", design="grid", parameters=params,
                                  solver={"mip_rel_gap": 1e-3, "anchors": 2}))
    w = Worker(spec)
    plans = w.start_plans(2)
    assert len(plans) == 2 and all(len(p) > 50 for p in plans)  # both anchors, solved from no start
    assert w.run(1, make_design(spec).values[1], None)["metrics"].status.iloc[0] == "optimal"


def test_structural_changes_rebuild_and_still_match_a_fresh_solve(tmp_path):
    params = [{"name": "growth", "path": "sites[s1].growth_rate", "mode": "set", "values": [0.0, 0.05]},
              {"name": "cut", "path": "targets[t].reduction", "mode": "set", "values": [0.2, 0.3]}]
    spec = load_sweep(write_sweep(tmp_path, design="grid", parameters=params))
    design = make_design(spec)
    w = Worker(spec)
    reasons = []
    for i in range(len(design)):
        m = w.run(i, design.values[i])["metrics"].iloc[0]
        reasons.append(m.rebuild_reason)
        assert m.objective_cny == pytest.approx(planner.plan(variant_scenario(spec, design.values[i], i))
                                          .summary["objective_cny"], rel=1e-9)
    # variant 0 differs from the base scenario (whose model the worker built for the start plans) in growth
    assert reasons == ["bau_elec_gwh", "targets", "bau_elec_gwh", "targets"]
    cold = Worker(load_sweep(write_sweep(tmp_path, "cold", design="grid", parameters=params,
                                         solver={"warm_start": "none"})))
    assert cold.run(0, design.values[0])["metrics"].rebuild_reason.iloc[0] == "first variant"  # no model yet


@pytest.mark.parametrize("n, anchors", [(5, 0), (6, 1), (12, 2), (100, 16), (200, 33), (1000, 166), (1008, 168),
                                        (10_000, 168)])
def test_the_default_anchor_count_grows_with_the_sweep_as_documented(n, anchors):
    from planner.studies.sweep.engine import auto_anchors

    assert auto_anchors(n) == anchors


def test_anchor_rounds_grow_fourfold():
    from planner.studies.sweep.engine import anchor_rounds

    # 8 from the base plan, then 32 from those 9 plans, then 128 from those 41, then the rest
    assert [len(r) for r in anchor_rounds(list(range(200)))] == [8, 32, 128, 32]
    assert [len(r) for r in anchor_rounds(list(range(40)))] == [8, 32] and anchor_rounds([]) == []
    assert sum(anchor_rounds(list(range(200))), []) == list(range(200))


def test_infeasible_variants_are_recorded_with_their_shortfall_not_dropped(tmp_path):
    params = [{"name": "cut", "path": "targets[t].reduction", "mode": "set", "values": [0.3, 0.95]}]
    r = planner.sweep(write_sweep(tmp_path, design="grid", parameters=params), tmp_path / "out")
    t = r.tables(("metrics", "targets"))
    m = t["metrics"].set_index("variant")
    assert list(m.status) == ["optimal", "infeasible"] and r.statuses == {"infeasible": 1, "optimal": 1}
    assert not m.targets_met[1] and m.shortfall[1].startswith("t 2027: short by")
    bad = t["targets"][(t["targets"].variant == 1) & ~t["targets"].met]
    assert len(bad) and (bad.shortfall > 0).all()


def test_batched_commits_store_what_one_commit_per_variant_stores_and_a_failing_batch_stores_nothing(tmp_path):
    import duckdb

    from planner.studies.sweep.store import FILE_NAME, Store

    # an optimal and an infeasible variant (NULL NPV, no adoption rows) in one batch, then each on its own
    params = [{"name": "cut", "path": "targets[t].reduction", "mode": "set", "values": [0.3, 0.95, 0.4]}]
    sweep = write_sweep(tmp_path, design="grid", parameters=params)
    batched = planner.sweep(sweep, tmp_path / "batched", commit_seconds=60)
    single = planner.sweep(sweep, tmp_path / "single", commit_seconds=0)
    tables = batched.tables()
    assert list(tables["metrics"].status) == ["optimal", "infeasible", "optimal"]
    assert_same_store(tables, single.tables())
    rows = {k: v[v.variant == 0].drop(columns="variant") for k, v in tables.items()
            if "variant" in v.columns and k not in ("variants",)}
    store = Store(batched.store, duckdb.connect(str(tmp_path / "batched" / FILE_NAME)))
    with pytest.raises(duckdb.ConstraintException):  # variant 0 is stored already: the whole batch is refused
        store.write_many([(7, rows), (0, rows)])
    store.write_many([(8, rows)])
    assert sorted(store.done()) == [0, 1, 2, 8]
    store.close()


def test_a_variant_file_solves_to_the_stored_result(tmp_path):
    sweep = write_sweep(tmp_path, design="montecarlo", samples=3, seed=1, parameters=COEFFICIENT_PARAMETERS[:4])
    r = planner.sweep(sweep, tmp_path / "out")
    npv = r.tables(("metrics",))["metrics"].objective_cny
    out = subprocess.run([sys.executable, "-m", "planner", "sweep", "variant", sweep, "2", "--out",
                          str(tmp_path / "v2.yaml")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert planner.plan(tmp_path / "v2.yaml").summary["objective_cny"] == pytest.approx(npv[2], rel=1e-9)
    assert planner.plan(tmp_path / "v2.yaml").summary["objective_cny"] != pytest.approx(npv[1], rel=1e-6)
    assert "#   elec = " in variant_yaml(sweep, 0)


def test_kill_9_mid_sweep_then_resume_loses_and_duplicates_nothing(tmp_path):
    sweep = write_sweep(tmp_path, design="lhs", samples=30, seed=7, parameters=COEFFICIENT_PARAMETERS)
    out = tmp_path / "killed"
    # commits of whole variants every 0.2 s (several variants each); the progress counts committed variants
    cmd = [sys.executable, "-m", "planner", "sweep", sweep, "--out", str(out), "--commit-seconds", "0.2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # progress lines (not a terminal): one per tenth of the variants
        if line.startswith("sweep: ") and int(line.split()[1].split("/")[0]) >= 6:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    stored = read_store(out, ("metrics",))["metrics"]
    assert 6 <= len(stored) < 30
    with pytest.raises(InputError, match="pass --resume to finish it"):  # an existing store is never overwritten
        planner.sweep(sweep, out)
    resumed = subprocess.run([*cmd, "--resume", "--quiet"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"solved {30 - len(stored)} now" in resumed.stdout
    tables = read_store(out)
    assert sorted(tables["metrics"].variant) == list(range(30))
    assert not tables["adoption"].duplicated(["variant", "measure"]).any()
    assert not tables["trajectories"].duplicated(["variant", "year", "scope"]).any()
    clean = planner.sweep(sweep, tmp_path / "clean")
    assert_same_store(tables, clean.tables())


def test_local_and_dask_workers_give_identical_stores(tmp_path):
    from distributed import Client, LocalCluster

    # the start plans (base and three anchors: four, so best_start completes only three) are solved once and
    # are the same wherever they are; at a non-zero gap a different start could change the stored plans
    sweep = write_sweep(tmp_path, design="montecarlo", samples=6, seed=2, parameters=COEFFICIENT_PARAMETERS,
                        metrics=["costs"], solver={"mip_rel_gap": 1e-3, "anchors": 3})
    one = planner.sweep(sweep, tmp_path / "one").tables()
    two = planner.sweep(sweep, tmp_path / "two", workers=2).tables()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dask = planner.sweep(sweep, tmp_path / "dask", scheduler=client).tables()
    assert len(one["costs"]) and sorted(one["metrics"].variant) == list(range(6))
    assert_same_store(one, two)
    assert_same_store(one, dask)


def test_start_plans_solved_once_for_all_workers_are_those_a_worker_solves_alone(tmp_path):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from distributed import Client, LocalCluster

    from planner.studies.sweep import runner
    from planner.studies.sweep.design import anchor_rows
    from planner.studies.sweep.engine import StartSet, anchor_rounds

    # ten anchors: eight from the base plan, then two from the best of those nine plans (engine.anchor_rounds)
    spec = load_sweep(write_sweep(tmp_path, design="lhs", samples=12, seed=3, parameters=COEFFICIENT_PARAMETERS,
                                  solver={"mip_rel_gap": 1e-3, "anchors": 10}))
    design = make_design(spec)
    assert [len(r) for r in anchor_rounds(anchor_rows(design, 10))] == [8, 2]
    lone = Worker(spec)
    alone = StartSet.of(lone.start_plans(len(design)))
    assert alone.values.shape[0] == 11  # the base plan and ten anchors'
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn"), initializer=runner._init_process,
                             initargs=(spec,)) as ex:
        local, local_rows = runner._shared_plans(spec, design, lambda: ex.submit(runner._process_base),
                                                 lambda i, v, b: ex.submit(runner._process_anchor, i, v, b),
                                                 lambda f: f.result())
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        [spec_f] = client.scatter([spec], broadcast=True)
        dask, dask_rows = runner._shared_plans(
            spec, design, lambda: client.submit(runner.base_plan_task, spec_f, pure=False),
            lambda i, v, b: client.submit(runner.anchor_plan_task, spec_f, i, v, b, pure=False), lambda f: f.result())
    assert local.digest == dask.digest == alone.digest
    # the anchors' solves are their variants' results, the same on a pool, on Dask and on a lone worker
    assert sorted(local_rows) == sorted(dask_rows) == sorted(lone.anchor_results) == sorted(anchor_rows(design, 10))
    for i, tables in lone.anchor_results.items():
        for rows in (local_rows, dask_rows):
            assert rows[i]["metrics"].objective_cny.iloc[0] == tables["metrics"].objective_cny.iloc[0]
            pd.testing.assert_frame_equal(rows[i]["adoption"], tables["adoption"])
    assert local.dicts() == alone.dicts() and all(len(p) > 50 for p in local.dicts())
    w = Worker(spec)
    m = w.run(1, design.values[1], local)["metrics"].iloc[0]
    assert m.rebuild_reason == "first variant"  # a worker handed the plans solved no base scenario itself
    assert w.start == alone.dicts() and len(w.resolver.start) == 11 and m.status == "optimal"


@pytest.mark.parametrize("design,extra,n", [
    ("oat", {}, 1 + 2 * 3), ("grid", {"levels": 2}, 8), ("lhs", {"samples": 20}, 20),
    ("montecarlo", {"samples": 20}, 20), ("morris", {"samples": 5}, 5 * 4), ("sobol", {"samples": 16}, 16 * 5),
])
def test_designs_are_reproducible_and_sized_as_documented(tmp_path, design, extra, n):
    params = [{"name": "a", "path": "prices.electricity", "low": 0.5, "high": 1.5},
              {"name": "b", "path": "prices.natural_gas", "distribution": "triangular", "low": 0.5, "peak": 1,
               "high": 2},
              {"name": "c", "path": "prices.ets", "mode": "add", "distribution": "normal", "mean": 50, "sd": 20}]
    spec = load_sweep(write_sweep(tmp_path, design=design, seed=5, parameters=params, **extra))
    d1, d2 = make_design(spec), make_design(load_sweep(spec.file))
    assert len(d1) == n
    np.testing.assert_array_equal(d1.values, d2.values)
    if design in ("lhs", "montecarlo", "sobol"):
        other = make_design(load_sweep(write_sweep(tmp_path, "o", design=design, seed=6, parameters=params, **extra)))
        assert not np.array_equal(d1.values, other.values)
        a = d1.values[:, 0]
        assert a.min() >= 0.5 and a.max() <= 1.5
    if design == "lhs":  # one sample in each of the 20 equal slices of each parameter
        assert sorted(np.floor(d1.unit[:, 0] * 20).astype(int)) == list(range(20))
    if design == "oat":
        assert list(d1.values[1]) == [0.5, 1.0, 0.0] and d1.level[1] == ["low", "base", "base"]
        assert d1.values[6, 2] == pytest.approx(50 + 20 * 1.2815515655, rel=1e-6)  # P90 of the normal


def test_carbon_price_design_sets_the_internal_price(tmp_path):
    spec = load_sweep(write_sweep(tmp_path, design="carbon_price", carbon_price={"prices": [0, 100, 300]}))
    d = make_design(spec)
    assert [spec.locations[0][0].label] == ["internal_carbon_price.price_cny_per_t"]
    assert [variant_scenario(spec, d.values[i], i).internal_carbon_price.price_cny_per_t for i in range(3)] == [
        0, 100, 300]


@pytest.mark.parametrize("path,labels", [
    ("measures[kind=efficiency].capex_cny_per_mwh_saved", ["measures[e1].capex_cny_per_mwh_saved"]),
    ("measures[family=heat].capex", ["measures[hp].capex_cny_per_kw"]),
    ("measures[pv].capex", ["measures[pv].capex_cny_per_kw"]),
    ("measures[site=s1].lifetime", ["measures[e1].lifetime", "measures[pv].lifetime", "measures[hp].lifetime"]),
    ("measures[*].earliest_year", ["measures[e1].earliest_year", "measures[pv].earliest_year",
                                   "measures[hp].earliest_year", "measures[gec].earliest_year",
                                   "measures[cred].earliest_year"]),
    ("prices.coal", ["prices.coal"]),
    ("carbon_price", ["internal_carbon_price.price_cny_per_t"]),
    ("sites[*].growth_rate", ["sites[s1].growth_rate"]),
    ("scope3.categories", None),
])
def test_path_selectors_hit_exactly_the_named_places(tmp_path, path, labels):
    mode = "set" if "earliest" in path or "growth_rate" in path else "scale"
    values = [1.0] if mode == "scale" else [0.02] if "growth" in path else [2025]
    params = [{"name": "x", "path": path, "mode": mode, "values": values}]
    if labels is None:
        with pytest.raises(InputError, match=r"parameters\[0\]\.path: path 'scope3.categories' names "):
            load_sweep(write_sweep(tmp_path, design="oat", parameters=params))
        return
    spec = load_sweep(write_sweep(tmp_path, design="oat", parameters=params))
    assert [loc.label for loc in spec.locations[0]] == labels


def test_scaling_a_selector_changes_every_match_and_nothing_else(tmp_path):
    params = [{"name": "x", "path": "measures[site=s1].capex", "values": [2.0]}]
    spec = load_sweep(write_sweep(tmp_path, design="oat", parameters=params))
    base, v = spec.base, variant_scenario(spec, make_design(spec).values[1], 1)
    changed = {m.id for m, n in zip(base.measures, v.measures, strict=True) if m != n}
    assert changed == {"e1", "pv", "hp"}
    pv = next(m for m in v.measures if m.id == "pv")
    assert pv.capex_cny_per_kw == 2 * next(m for m in base.measures if m.id == "pv").capex_cny_per_kw
    assert v.prices == base.prices and v.targets == base.targets


BAD = [  # (sweep keys, key path in the message, expected text)
    ({"design": "lhs", "parameters": [{"path": "prices.electricity", "low": 0.5, "high": 1.5}]}, "",
     "design lhs needs `samples`"),
    ({"design": "oat", "parameters": [{"path": "prices.electricity", "low": 1.5, "high": 0.5}]}, "parameters[0]",
     "low 1.5 must be below high 0.5"),
    ({"design": "oat", "parameters": [{"path": "measures[kind=ccus].capex", "low": 0.5, "high": 1.5}]},
     "parameters[0].path", "matches nothing: no item of measures with kind=ccus"),
    ({"design": "oat", "parameters": [{"path": "measures[nope].capex", "low": 0.5, "high": 1.5}]},
     "parameters[0].path", "no item of measures with id 'nope'"),
    ({"design": "oat", "parameters": [{"path": "prices.unobtainium", "low": 0.5, "high": 1.5}]},
     "parameters[0].path", "unknown key 'unobtainium' at prices"),
    ({"design": "oat", "parameters": [{"path": "discount_rate", "mode": "set", "low": 0.0, "high": 1.5}]},
     "parameters[0]", "at 1.5 the scenario is invalid: discount_rate"),
    ({"design": "oat", "parameters": [{"path": "discount_rate", "mode": "shift", "values": [1]}]},
     "parameters[0].mode", "mode shift moves the years"),
    ({"design": "oat", "parameters": [{"path": "prices.ets", "lows": 1}]}, "parameters[0].lows", "unknown key"),
    ({"design": "oat", "parameters": [{"path": "prices.ets", "distribution": "normal", "mean": 1}]},
     "parameters[0]", "distribution normal needs mean, sd; missing sd"),
    ({"design": "sobol", "samples": 10, "parameters": [{"path": "prices.ets", "low": 0, "high": 1}]}, "",
     "power of 2"),
    ({"design": "carbon_price"}, "", "needs `carbon_price: {prices: [...]}`"),
    ({"design": "grid", "parameters": [{"path": "sites", "values": [1]}]}, "parameters[0].path", "is a list"),
    ({"design": "oat", "parameters": [{"path": "measures[e1].carriers", "values": [1]}]}, "parameters[0].path",
     "holds a list of values"),
]


@pytest.mark.parametrize("keys,where,text", BAD, ids=[b[2][:30] for b in BAD])
def test_bad_sweep_files_fail_with_one_line_naming_file_key_and_expectation(tmp_path, keys, where, text):
    f = write_sweep(tmp_path, **keys)
    with pytest.raises(InputError) as exc:
        load_sweep(f)
    assert exc.value.file == f and exc.value.path == where and text in exc.value.message, str(exc.value)


def test_the_cli_reports_a_bad_sweep_file_in_one_line_with_exit_2(tmp_path):
    f = write_sweep(tmp_path, design="oat", parameters=[{"path": "prices.electricity", "low": 1, "high": 2}],
                    stray=1)
    r = subprocess.run([sys.executable, "-m", "planner", "sweep", f], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr == f"error: {f}: stray: unknown key (not allowed here; check spelling)\n"
    (tmp_path / "broken.yaml").write_text("base: [unclosed\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "planner", "sweep", "variant", str(tmp_path / "broken.yaml"), "0"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "invalid YAML" in r.stderr and "Traceback" not in r.stderr


def _assert_identical_matrices(a, b) -> None:
    """Two compiled matrices equal bit for bit: numbers, sparsity, row and column objects."""
    for f in ("c", "row_lower", "row_upper", "col_lower", "col_upper", "integer"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f
    assert a.offset == b.offset
    for f in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(a.A, f), getattr(b.A, f)), f
    assert [id(v) for v in a.columns] == [id(v) for v in b.columns]
    assert [id(r) for r in a.rows] == [id(r) for r in b.rows]


@pytest.mark.parametrize("base", ["test", "demo"])
def test_patching_changed_coefficients_gives_the_matrix_of_a_fresh_compile(tmp_path, base):
    from planner.backend import build_model
    from planner.backend.matrix import compile_model
    from planner.backend.patch import MatrixPatcher
    from planner.backend.resolve import update_in_place

    if base == "test":  # every kind of in-place parameter, the discount rate included
        path = write_sweep(tmp_path, design="lhs", samples=8, seed=5, parameters=COEFFICIENT_PARAMETERS)
    else:  # the bundled LHS over the demo's six cost drivers, on a few of its variants
        doc = yaml.safe_load((ROOT / "scenarios" / "sweeps" / "demo_lhs.yaml").read_text(encoding="utf-8"))
        doc.update(base=str(ROOT / "scenarios" / "demo.yaml"), samples=4)
        path = tmp_path / "demo_lhs.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    spec = load_sweep(path)
    design = make_design(spec)
    w = Worker(spec)
    _, inp, rows, _ = w._prepare(0, design.values[0])
    built = build_model(inp, rows)
    patcher = MatrixPatcher(built.m)
    steps = list(design.values[1:])
    if base == "test":  # then the discount rate alone: only the re-stated objective changes
        steps.append(np.r_[steps[-1][:-1], 0.11])
    for i, values in enumerate(steps, start=1):
        _, inp, rows, _ = w._prepare(i, values)
        patcher.watch()
        restated = update_in_place(built, inp, rows)
        patched = patcher.matrix(restated)
        assert patcher.patched_rows > 0 or restated
        _assert_identical_matrices(patched, compile_model(built.m))
    assert patcher.full_compiles == 1  # every variant was patched, none compiled whole


def test_the_patcher_compiles_whole_when_a_column_is_fixed_or_rebounded(tmp_path):
    from planner.backend import build_model
    from planner.backend.matrix import compile_model
    from planner.backend.patch import MatrixPatcher

    spec = load_sweep(write_sweep(tmp_path, design="lhs", samples=2, seed=5, parameters=COEFFICIENT_PARAMETERS))
    _, inp, rows, _ = Worker(spec)._prepare(0, make_design(spec).values[0])
    built = build_model(inp, rows)
    patcher = MatrixPatcher(built.m)
    patcher.watch()
    col = next(v for v in patcher.mx.columns if v.ub is not None and v.ub > 0)
    col.setub(col.ub / 2)  # not a parameter: the kept matrix would miss it
    _assert_identical_matrices(patcher.matrix(), compile_model(built.m))
    assert patcher.full_compiles == 2
    patcher.watch()
    col.fix(0)
    fresh = compile_model(built.m)
    _assert_identical_matrices(patcher.matrix(), fresh)
    assert id(col) not in {id(v) for v in fresh.columns} and patcher.full_compiles == 3
    # a bound given by a mutable parameter: moving the parameter moves the column's bound
    import pyomo.environ as pyo

    other = next(v for v in patcher.mx.columns if v.ub is not None and v.ub > 0 and v is not col)
    built.m.test_bound = pyo.Param(mutable=True, initialize=other.ub)
    other.setub(built.m.test_bound)
    patcher = MatrixPatcher(built.m)
    assert len(patcher.bound_exprs) == 1
    patcher.watch()
    _assert_identical_matrices(patcher.matrix(), compile_model(built.m))
    assert patcher.full_compiles == 1  # the bound object and its value are unchanged: nothing to compile
    built.m.test_bound = other.ub / 3
    patcher.watch()
    _assert_identical_matrices(patcher.matrix(), compile_model(built.m))
    assert patcher.full_compiles == 2
