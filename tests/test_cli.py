"""End-to-end: the CLI on the demo and its variants, infeasible targets (exit 3), time limits."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from helpers import BASE, ROOT

from planner import plan
from planner.backend.solve import classify
from planner.errors import InfeasibleError
from planner.synthetic import portfolio

FILES = ["roadmap.csv", "emissions.csv", "abatement.csv", "costs.csv", "targets.csv", "summary.json"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=cwd)


def run_here(*args):
    """`planner run ...` in this process (click's test runner): the exit code and stderr as `run` gives them."""
    from types import SimpleNamespace

    from click.testing import CliRunner

    from planner.cli import main

    r = CliRunner().invoke(main, list(args))
    return SimpleNamespace(returncode=r.exit_code, stdout=r.stdout, stderr=r.stderr + (repr(r.exception) if
                                                                                     r.exit_code else ""))


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    """`planner run` on the demo as a real subprocess; on its three variants in this process (the same command,
    without starting an interpreter and importing the solver three more times)."""
    out = {}
    for name in ["demo", "demo_high_carbon", "demo_no_ccus", "demo_strict"]:
        d = tmp_path_factory.mktemp(name)
        r = (run if name == "demo" else run_here)("run", str(ROOT / "scenarios" / f"{name}.yaml"), "--out", str(d))
        out[name] = (r, d)
    return out


@pytest.mark.parametrize("name", ["demo", "demo_high_carbon", "demo_no_ccus", "demo_strict"])
def test_demo_and_variants_write_every_file_optimal(demo_runs, name):
    r, d = demo_runs[name]
    assert r.returncode == 0, r.stderr
    for f in FILES:
        assert (d / f).exists(), f
    s = json.loads((d / "summary.json").read_text())
    assert s["status"] == "optimal" and s["targets_met"]
    assert s["gap"] <= 1e-4 + 1e-12
    tg = pd.read_csv(d / "targets.csv")
    assert tg.met.all()
    e, a = pd.read_csv(d / "emissions.csv"), pd.read_csv(d / "abatement.csv")
    for scope in ["scope1", "scope2_location", "scope2_market", "scope3"]:
        gap = e[e.scope == scope].groupby("year")[["bau_tco2e", "plan_tco2e"]].sum()
        att = a[a.scope == scope].groupby("year").tco2e.sum().reindex(gap.index, fill_value=0)
        assert ((gap.bau_tco2e - gap.plan_tco2e - att).abs() < 1e-3).all()


def test_variants_give_different_roadmaps(demo_runs):
    roadmaps = {n: pd.read_csv(d / "roadmap.csv") for n, (_r, d) in demo_runs.items()}
    sig = {n: frozenset(zip(r.measure, r.year, r.action, strict=True)) for n, r in roadmaps.items()}
    assert len(set(sig.values())) == 4
    assert "north_ccus" not in set(roadmaps["demo_no_ccus"].measure)
    assert "ccer" not in set(roadmaps["demo_strict"].measure)


def test_infeasible_target_exit_3_names_target(tmp_path):
    d = dict(BASE, measures=[{"id": "v", "template": "vsd_motors", "site": "s1"}],
             targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "market"}, "reduction": 0.42}])
    f = tmp_path / "inf.yaml"
    f.write_text(yaml.safe_dump(d))
    r = run("run", str(f), "--out", str(tmp_path / "o"))
    assert r.returncode == 3
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    # VSD saves 6% of electricity = -6% of scope 2 market (no scope 1 here)
    assert "2025 target, scopes 1+2 market-based -42%: best achievable -6%" in r.stderr


def test_infeasible_pathway_year_is_named():
    d = dict(BASE, horizon={"start": 2025, "end": 2027},
             measures=[{"id": "v", "template": "vsd_motors", "site": "s1", "earliest_year": 2027,
                        "saving_share": 0.5}],
             targets=[{"id": "t", "year": 2027, "coverage": {"scope1": False, "scope2": "location"},
                       "reduction": 0.3, "pathway": "linear"}])
    from planner.schemas import validate
    with pytest.raises(InfeasibleError) as exc:
        plan(validate(d))
    assert "pathway year" in str(exc.value) and "best achievable +0%" not in str(exc.value)


def test_status_classification_never_calls_a_time_limit_optimal():
    from highspy import HighsModelStatus as MS
    assert classify(MS.kOptimal, True) == "optimal"
    assert classify(MS.kTimeLimit, True) == "time_limit"
    assert classify(MS.kTimeLimit, False) == "no_solution"
    assert classify(MS.kInfeasible, False) == "infeasible"


def test_time_limited_run_returns_incumbent_marked_with_gap():
    sc = portfolio(12, seed=1)
    sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"time_limit": 1.0, "mip_rel_gap": 0.0})})
    p = plan(sc)  # never an exception: the best plan found, with its proven gap
    s = p.summary
    assert s["status"] == "time_limit" and not s["optimal"]
    assert s["gap"] is not None and 0 < s["gap"] < 0.01
    assert s["targets_met"] and len(p.roadmap) > 0


def test_baseline_command_writes_files(tmp_path):
    r = run("baseline", str(ROOT / "scenarios" / "demo.yaml"), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    inv = pd.read_csv(tmp_path / "inventory.csv")
    assert set(inv.scope) == {"scope1", "scope2_location", "scope2_market", "scope3"}


def test_python_api_round_trip(tmp_path):
    import planner
    sc = planner.load_scenario(ROOT / "scenarios" / "demo_no_ccus.yaml")
    p = planner.plan(sc, out_dir=tmp_path)
    assert p.summary["status"] == "optimal"
    assert pd.read_csv(tmp_path / "roadmap.csv").shape == p.roadmap.shape


def test_same_scenario_same_roadmap():
    import planner
    sc = planner.load_scenario(ROOT / "scenarios" / "demo_no_ccus.yaml")
    a, b = planner.plan(sc), planner.plan(sc)
    pd.testing.assert_frame_equal(a.roadmap, b.roadmap)
    pd.testing.assert_frame_equal(a.emissions, b.emissions)
    assert a.summary["objective_cny"] == b.summary["objective_cny"]


def test_price_only_variant_has_the_same_model_structure(tmp_path):
    """Sweeps: a variant changing only prices and costs builds the same sets, variables and constraints."""
    import pyomo.environ as pyo

    from planner.backend import build_model
    from planner.preprocess import baseline as bl
    from planner.preprocess.inputs import build_inputs
    from planner.preprocess.targets import target_years

    def structure(path):
        sc = planner.load_scenario(path)
        drv = bl.drivers(sc)
        m = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv)).m
        return {(c.name, len(c)) for c in m.component_objects((pyo.Var, pyo.Constraint, pyo.Set), descend_into=True)}

    import planner
    f = tmp_path / "prices.yaml"
    f.write_text(f"extends: {ROOT / 'scenarios' / 'demo.yaml'}\nname: prices\n"
                 "prices: {ets: 400, electricity: 800, gec: 60}\ntrajectories: {capex_index: {pv: 0.5}}\n"
                 "measures: [{id: east_pv, capex_cny_per_kw: 2000}, {id: north_ccus, opex_cny_per_t: 100}]\n")
    assert structure(ROOT / "scenarios" / "demo.yaml") == structure(f)


def test_run_with_an_unreachable_dask_scheduler_fails_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DASK_TIMEOUT", "1s")
    r = run("run", str(ROOT / "scenarios" / "demo.yaml"), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "no Dask scheduler reachable at tcp://127.0.0.1:9" in r.stderr
