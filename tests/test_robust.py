"""Decisions under uncertainty (docs/robust.md): the stochastic roadmap (known answers for the expected NPV,
EVPI, VSS, CVaR and minimax regret), non-anticipativity, near-optimal alternatives and the measure map, and
sweep verdicts free of solver noise. Tiny micro scenarios, threads 1."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner
from helpers import ROOT, efficiency, scenario

from planner.cli import main
from planner.errors import InputError
from planner.schemas.branches import parse_branch_file, tree_spec
from planner.studies.robust import alternatives, robust, sweep_verdicts

MODEL_MD = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")

# One retrofit e1 saves 10% of 1,000 MWh (100 MWh/yr), capex X = 150,000 CNY, lifetime 2, 2025-2026,
# discount 0. Built in 2025 it saves 2 years; built in 2026 it saves 1 year and half its capex comes back as
# salvage. The electricity price (base 500 CNY/MWh) is x7 (3,500) in branch `high` (p 0.2), x0.6 (300) in
# `low` (p 0.8); the tree splits in 2026, so "build in 2025" is the only shared decision.
# Cost against doing nothing:            build 2025          build 2026               never
#   high (3,500):  150k - 200*3.5k = -550k   75k - 100*3.5k = -275k     0   -> own optimum -550k
#   low    (300):  150k - 200*300  =   90k   75k - 100*300  =   45k     0   -> own optimum 0
# Base energy cost: high 2 * 1,000 * 3,500 = 7.0M, low 2 * 1,000 * 300 = 0.6M.
# Wait-and-see WS = 0.2 (7.0M - 550k) + 0.8 (0.6M) = 1,290k + 480k = 1,770,000.
# Stochastic, enumerating the shared decision y (build in 2025):
#   y=1: 0.2 (6,450k) + 0.8 (690k) = 1,842,000;   y=0: 0.2 (6,725k) + 0.8 (600k) = 1,825,000  -> wait (y=0)
# EVPI = 1,825,000 - 1,770,000 = 55,000.
# Average branch: scale 0.2*7 + 0.8*0.6 = 1.88 (940 CNY/MWh): build 2025 = 150k - 188k = -38k is its best, so
# the expected-value plan builds in 2025: EEV = 1,842,000, VSS = 1,842,000 - 1,825,000 = 17,000.
# CVaR_0.8 with weight 1 is the cost of the worst 20%, branch high: y=1 gives 6,450k < y=0 6,725k -> build now.
# Regret: y=1 -> max(0, 90k) = 90k; y=0 -> max(6,725k - 6,450k, 0) = 275k -> build now, max regret 90,000.
TREE = {"split_year": 2026, "parameters": [{"name": "elec", "path": "prices.electricity"}],
        "branches": [{"name": "high", "probability": 0.2, "values": {"elec": 7}},
                     {"name": "low", "probability": 0.8, "values": {"elec": 0.6}}]}


def one_retrofit(**over):
    return scenario(horizon={"start": 2025, "end": 2026}, prices={"electricity": 500},
                    measures=[efficiency("e1", capex=150_000, life=2, reinvest=False)], **over)


def tree(sc, risk: dict | None = None, **over):
    return tree_spec(parse_branch_file({**TREE, **over, "risk": risk or {}}, "t.yaml"), sc, "t.yaml")


@pytest.fixture(scope="module")
def hand():
    sc = one_retrofit()
    return {k: robust(sc, tree(sc, r)) for k, r in (("expected", None), ("cvar", {"objective": "cvar",
            "cvar_weight": 1.0, "cvar_alpha": 0.8}), ("regret", {"objective": "regret"}))}


def test_two_branch_tree_known_answer(hand):
    s = hand["expected"].summary
    assert s["wait_and_see_cny"] == pytest.approx(1_770_000)
    assert s["expected_npv_cny"] == pytest.approx(1_825_000)
    assert s["evpi_cny"] == pytest.approx(55_000)
    assert s["eev_expected_npv_cny"] == pytest.approx(1_842_000)
    assert s["vss_cny"] == pytest.approx(17_000)
    assert s["evpi_range_cny"] == pytest.approx([55_000, 55_000]) and s["vss_range_cny"] == pytest.approx([17_000] * 2)
    r = hand["expected"]
    assert r.commit_now.empty  # wait
    assert r.continuations[["branch", "measure", "year"]].values.tolist() == [["high", "e1", 2026]]
    assert r.average_plan[["measure", "year"]].values.tolist() == [["e1", 2025]]
    fan = r.emissions[r.emissions.scope == "scope2_location"].set_index(["branch", "year"]).tco2e
    # 1,000 MWh x 0.5 t/MWh = 500 t; branch high saves 10% from 2026 on (its continuation), low never
    assert fan.to_dict() == pytest.approx({("high", 2025): 500, ("high", 2026): 450, ("low", 2025): 500,
                                           ("low", 2026): 500})
    b = r.branches.set_index("branch")
    assert b.own_npv_cny.to_dict() == pytest.approx({"high": 6_450_000, "low": 600_000})
    assert b.stochastic_npv_cny.to_dict() == pytest.approx({"high": 6_725_000, "low": 600_000})


def test_cvar_and_minimax_regret_commit_now_where_expected_npv_waits(hand):
    for k in ("cvar", "regret"):
        assert hand[k].commit_now[["measure", "year"]].values.tolist() == [["e1", 2025]], k
    assert hand["cvar"].summary["cvar_cny"] == pytest.approx(6_450_000)
    assert hand["regret"].summary["max_regret_cny"] == pytest.approx(90_000)
    assert hand["regret"].summary["expected_npv_cny"] == pytest.approx(1_842_000)
    assert hand["expected"].summary["max_regret_cny"] == pytest.approx(275_000)


def three_branches():
    sc = scenario(horizon={"start": 2025, "end": 2028}, prices={"electricity": 500},
                  measures=[efficiency("e1", capex=150_000, life=2), efficiency("e2", share=0.05, capex=60_000,
                                                                                life=1)])
    return sc, tree(sc, split_year=2027, branches=[
        {"name": "a", "probability": 0.3, "values": {"elec": 6}},
        {"name": "b", "probability": 0.3, "values": {"elec": 1}},
        {"name": "c", "probability": 0.4, "values": {"elec": 0.5}}])


def test_shared_decisions_are_equal_in_every_branch_and_the_tree_matches_brute_force():
    """Three branches, 2025-2028 split in 2027: every build before 2027 takes one value in all branches,
    while the branches' own optima differ before the split. Brute force: every combination of the shared
    builds (e1 and e2, each in 2025 and/or 2026), imposed on each branch solved alone; the least expected NPV
    over the combinations is the tree's."""
    import itertools

    from planner.studies.robust.stochastic import solve_branch

    sc, spec = three_branches()
    r = robust(sc, spec)
    d = r.decisions
    assert set(d.year) == {2025, 2026} and set(d.branch) == {"a", "b", "c"}
    per = d.pivot_table(index=["measure", "variable", "year"], columns="branch", values="value")
    assert (per.max(axis=1) - per.min(axis=1)).abs().max() < 1e-9
    assert r.summary["shared_decisions"] == len(per) == 4
    own = r.own_plans[r.own_plans.year < 2027].groupby("branch").measure.apply(frozenset)
    assert own.get("a") != own.get("c")  # alone, the branches would decide differently before 2027
    keys = list(per.index)
    best = float("inf")
    for combo in itertools.product((0, 1), repeat=len(keys)):
        fixed = dict(zip(keys, combo, strict=True))
        runs = [solve_branch((s, "b", 2027, fixed, False, False)) for s in spec.scenarios]
        if all(x.npv_mcny is not None for x in runs):
            best = min(best, sum(p * x.npv_mcny for p, x in zip(spec.probabilities, runs, strict=True)))
    assert r.summary["expected_npv_cny"] == pytest.approx(best * 1e6)
    dec = robust(sc, spec, decompose="on").summary  # the scenario decomposition finds the same optimum
    assert dec["tree_method"] == "decomposition" and dec["expected_npv_cny"] == pytest.approx(best * 1e6)
    assert dec["tree_bound_cny"] <= best * 1e6 + 1e-6


# Alternatives. One year, 1,000 MWh at 500 CNY/MWh, a -20% scope-2 target (200 MWh saved). Retrofits: a saves
# 15% for 100k, b1 and b2 5% each for 50k, c 20% for 1M. Least NPV: a + b1 (or b2): 400k + 150k = 550,000;
# slack 2%: cap 561,000. a + b1 + b2 costs 375k + 200k = 575k > cap; c alone 400k + 1M. So a is essential
# (without it only c meets the target: 1.4M), b1 and b2 are interchangeable (optional), c is never. With b2 at
# 55k, a + b1 is the optimum and a + b2 (555,000) a dearer substitute within the slack: b1 is still optional.
def four_retrofits(b2_capex: float = 50_000):
    return scenario(prices={"electricity": 500},
                    measures=[efficiency("a", share=0.15, capex=100_000), efficiency("b1", share=0.05, capex=50_000),
                              efficiency("b2", share=0.05, capex=b2_capex),
                              efficiency("c", share=0.2, capex=1_000_000)],
                    targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                              "reduction": 0.2}])


def test_alternatives_stay_within_the_slack_differ_and_classify_measures():
    r = alternatives(four_retrofits(b2_capex=55_000), slack=0.02, count=3)
    assert r.summary["least_npv_cny"] == pytest.approx(550_000)
    assert r.summary["cap_npv_cny"] == pytest.approx(561_000)
    assert len(r.overview) == 2  # only {a, b1} and {a, b2} lie within the slack
    assert (r.overview.npv_cny <= r.summary["cap_npv_cny"] + 1e-6).all()
    assert sorted(r.overview.npv_cny) == pytest.approx([550_000, 555_000])
    sets = [frozenset(g.measure) for _, g in r.roadmaps.groupby("alternative")]
    assert len(set(sets)) == len(sets) and set(sets) == {frozenset({"a", "b1"}), frozenset({"a", "b2"})}
    saved = {"a": 0.15, "b1": 0.05, "b2": 0.05, "c": 0.2}
    assert all(sum(saved[m] for m in x) >= 0.2 - 1e-9 for x in sets)  # each meets the -20% target
    cls = r.measure_map.set_index("measure")["class"].to_dict()
    assert cls == {"a": "essential", "b1": "optional", "b2": "optional", "c": "never"}
    assert r.measure_map.proven.all()


def test_a_verdict_that_flips_within_the_gap_is_interchangeable_not_no_regret(tmp_path):
    """b1 and b2 cost the same: whichever the solver returns, neither is no-regret nor never; and the
    verdicts are the same at two MIP gaps."""
    raw = four_retrofits().model_dump(mode="json", exclude_none=True)
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    got = {}
    for gap in (0.0, 1e-3):
        (tmp_path / "sweep.yaml").write_text(yaml.safe_dump({
            "base": "base.yaml", "design": "oat", "solver": {"mip_rel_gap": gap, "threads": 1},
            "parameters": [{"name": "elec", "path": "prices.electricity", "low": 0.9, "high": 1.1}]}), "utf-8")
        r = sweep_verdicts(tmp_path / "sweep.yaml", tolerance=1e-3, out_dir=tmp_path / "out", langs=("en", "zh"))
        got[gap] = r.verdicts.set_index("measure")
    v = got[1e-3]
    assert v.verdict.to_dict() == {"a": "no_regret", "b1": "interchangeable", "b2": "interchangeable", "c": "never"}
    assert got[0.0].verdict.to_dict() == v.verdict.to_dict()
    assert r.summary["variants"] == 3 and (v.unproven == 0).all()
    # the returned plans alone: each plan adopts exactly one twin (a + b1 or a + b2), so the twin HiGHS always
    # picks looks no-regret and the other never, or both depend on the variant - never "interchangeable"
    twins = v.loc[["b1", "b2"]]
    assert twins.adopted.sum() == v.variants["b1"]
    assert sorted(twins.naive_verdict) in (["depends", "depends"], ["never", "no_regret"])
    md = (tmp_path / "out" / "verdicts_zh.md").read_text(encoding="utf-8")
    assert "可互换" in md and "| b1 | efficiency | 可互换 |" in md  # verdicts in Chinese; ids as written
    assert not re.search(r"no_regret|interchangeable|depends|True|False", md)
    run = CliRunner().invoke(main, ["sweep", "verdicts", str(tmp_path / "sweep.yaml"), "--tolerance", "0.1%",
                                    "--out", str(tmp_path / "cli")])
    assert run.exit_code == 0, run.output
    assert re.search(r"b1\s+interchangeable", run.output) and (tmp_path / "cli" / "verdict_status.csv").is_file()
    for bad in ("5", "-1%", "nan"):  # a tolerance is a share in [0, 1): one line, exit 2, nothing solved
        run = CliRunner().invoke(main, ["sweep", "verdicts", str(tmp_path / "sweep.yaml"), "--tolerance", bad])
        assert run.exit_code == 2 and "--tolerance" in run.output and len(run.output.splitlines()) == 1, run.output


def test_a_probe_stopped_by_its_time_limit_leaves_the_class_unproven(monkeypatch):
    """A probe that stops without a plan or a proof (time limit) proves nothing: the measure is `unproven` in
    the measure map and in a variant, and the sweep verdict is `unproven` (or `depends` when the proven
    variants already differ), never essential / no-regret or never."""
    import sys

    alt = sys.modules["planner.studies.robust.alternatives"]  # the package's `alternatives` is the function
    ver = sys.modules["planner.studies.robust.verdicts"]

    stopped = alt.Probe("time_limit", None, None)
    assert stopped.verdict(1.0, "essential") == ("unproven", False)
    assert alt.Probe("infeasible", None, None).verdict(1.0, "never") == ("never", True)
    monkeypatch.setattr(ver, "probe", lambda *a, **k: stopped)
    rows = ver.variant_status(four_retrofits(), 1e-3)
    assert {r["class"] for r in rows} == {"unproven"} and not any(r["proven"] for r in rows)
    assert ver._verdict(["essential", "unproven"]) == "unproven"
    assert ver._verdict(["essential", "never", "unproven"]) == "depends"
    assert ver._verdict(["unproven", "unproven"]) == "unproven"

    gaps = []
    real = ver.solve
    monkeypatch.setattr(ver, "solve", lambda b, o: gaps.append(o.mip_rel_gap) or real(b, o))
    sc = four_retrofits()
    ver.variant_status(sc.model_copy(update={"solver": sc.solver.model_copy(update={"mip_rel_gap": 1e-2})}), 1e-3)
    assert gaps == [1e-3]  # the cap's anchor is solved to a tenth of the tolerance (here 1e-2, the variant's gap)

    class M:  # a measure as classify sees it
        id, cfg = "a", type("C", (), {"family_name": "efficiency", "site": None})

    monkeypatch.setattr(alt, "probe", lambda *a, **k: stopped)
    row, = alt.classify(type("B", (), {"measures": [M]}), None, [{"a"}, {"a"}], 1.0, None)
    assert (row["class"], row["proven"], row["evidence"]) == ("unproven", False, "forbid: stopped before a proof")


def test_branches_drawn_from_a_sweep_file(tmp_path):
    from planner.studies.robust import load_tree

    sc = one_retrofit()
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(sc.model_dump(mode="json", exclude_none=True)), "utf-8")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump({"base": "base.yaml", "design": "lhs", "samples": 10,
        "parameters": [{"name": "elec", "path": "prices.electricity", "low": 0.5, "high": 1.5}]}), "utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump({"split_year": 2026, "sample": {"sweep": "s.yaml", "count": 4}}),
                                     "utf-8")
    spec = load_tree(tmp_path / "b.yaml", sc)
    assert spec.probabilities == (0.25,) * 4
    xs = [v["elec"] for v in spec.values]
    assert all(0.5 <= x <= 1.5 for x in xs) and len({int(x * 4 - 2) for x in xs}) == 4  # one per stratum
    assert spec.mean_values["elec"] == pytest.approx(sum(xs) / 4)
    assert [s.prices["electricity"] for s in spec.scenarios] == pytest.approx([500 * x for x in xs])


def test_cli_robust_and_alternatives_end_to_end(tmp_path):
    sc = one_retrofit()
    (tmp_path / "sc.yaml").write_text(yaml.safe_dump(sc.model_dump(mode="json", exclude_none=True)), "utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(TREE), "utf-8")
    run = CliRunner().invoke(main, ["robust", str(tmp_path / "sc.yaml"), "--branches", str(tmp_path / "b.yaml"),
                                    "--objective", "regret", "--out", str(tmp_path / "r"), "--lang", "both",
                                    "--report"])
    assert run.exit_code == 0, run.output
    assert "commit now (before 2026): e1 2025" in run.output and "EVPI 72,000 CNY" in run.output
    assert {p.name for p in (tmp_path / "r").iterdir()} >= {"robust_en.md", "robust_zh.md", "robust_summary.json",
                                                          "robust_branches.csv", "robust_decisions.csv",
                                                          "robust_en.html", "robust_zh.html", "robust.xlsx"}
    run = CliRunner().invoke(main, ["alternatives", str(tmp_path / "sc.yaml"), "--slack", "5%", "--count", "2",
                                    "--out", str(tmp_path / "a")])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "a" / "alternatives_measure_map.csv").is_file()
    run = CliRunner().invoke(main, ["robust", str(tmp_path / "sc.yaml"), "--branches", str(tmp_path / "b.yaml"),
                                    "--objective", "cvar", "--decompose", "on"])
    assert run.exit_code == 2 and "needs the expected objective" in run.output and len(run.output.splitlines()) == 1
    bad = {**TREE, "branches": [{**TREE["branches"][0], "probability": 0.5}, TREE["branches"][1]]}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad), "utf-8")
    run = CliRunner().invoke(main, ["robust", str(tmp_path / "sc.yaml"), "--branches", str(tmp_path / "bad.yaml")])
    assert run.exit_code == 2 and "probabilities sum to 1.3" in run.output and len(run.output.splitlines()) == 1


def test_bad_branches_name_the_key():
    sc = one_retrofit()
    with pytest.raises(InputError, match="split_year"):
        tree(sc, split_year=2025)
    with pytest.raises(InputError, match="not in `parameters`"):
        tree(sc, branches=[{"name": "x", "probability": 1.0, "values": {"gas": 2}}, TREE["branches"][1]])
    with pytest.raises(InputError, match="parameters"):
        tree(sc, parameters=[{"name": "elec", "path": "prices.no_such_price.x"}])


def test_tree_and_alt_names_in_model_md_exist_and_vice_versa():
    """docs/model.md §16 names the tree's and the probes' components (`tree.<name>`, `alt.<name>`)."""
    from planner.backend import build_model
    from planner.backend.nearopt import NearOptimal
    from planner.backend.tree import build_tree
    from planner.preprocess.prepare import prepare

    spec = tree(one_retrofit())
    built = []
    for s in spec.scenarios:
        pre = prepare(s)
        built.append(build_model(pre.inputs, pre.targets))
    t = build_tree(built, list(spec.probabilities), spec.split_year)
    names = {c.local_name for c in t.m.tree.component_objects(descend_into=False)}
    for kind in ("cvar", "regret"):
        t.set_objective(kind, own_npv=[0.0, 0.0])
        names |= {c.local_name for c in t.m.tree.component_objects(descend_into=False)}
    t.set_objective("expected", own_npv=[0.0, 0.0], regret_cap=1.0)
    names |= {c.local_name for c in t.m.tree.component_objects(descend_into=False)}
    pre = prepare(one_retrofit())
    b = build_model(pre.inputs, pre.targets)
    near = NearOptimal(b)
    near.objective(b.m.npv, "maximize")
    alt = {c.local_name for c in near.blk.component_objects(descend_into=False)}
    assert set(re.findall(r"`tree\.([A-Za-z_0-9]+)", MODEL_MD)) == names
    assert set(re.findall(r"`alt\.([A-Za-z_0-9]+)", MODEL_MD)) == alt


def test_branch_tasks_travel_to_worker_processes(hand):
    """What a worker process (or Dask) receives and returns pickles, and the tasks solved through a pickle
    round trip give the figures of the in-process run (a real pool costs seconds of spawn: not tested here)."""
    import pickle

    from planner.studies.robust.pool import Pool
    from planner.studies.robust.stochastic import _solve_alone

    class Pickling(Pool):  # every task and result through pickle, as to a worker
        local = False

        def map(self, fn, items):
            return [pickle.loads(pickle.dumps(fn(pickle.loads(pickle.dumps(x))))) for x in items]

    sc = one_retrofit()
    spec = tree(sc)
    alone, mean, eev = _solve_alone(spec, Pickling())
    assert [a.npv_mcny * 1e6 for a in alone] == pytest.approx([6_450_000, 600_000])
    assert mean.shared == pytest.approx({("e1", "build", 2025): 1.0})
    assert [e.npv_mcny * 1e6 for e in eev] == pytest.approx([6_450_000, 690_000]) and all(e.plan for e in eev)
    assert all(a.built is None for a in alone)


# Scenario decomposition of the tree (backend/treedecomp.py, docs/robust.md "Size and speed").
@pytest.fixture(scope="module")
def decomposed():
    sc = one_retrofit()
    return robust(sc, tree(sc), decompose="on")


def test_decomposed_tree_gives_the_whole_trees_optimum_evpi_and_vss(hand, decomposed):
    """Hand instance: the branches alone give the wait-and-see bound 1,770,000 and propose "build 2025"
    (high) and "wait" (low). "Build 2025" is also the expected-value plan's, known at 1,842,000 (the first
    incumbent); "wait" imposed on both branches costs 1,825,000 (see the table at the top). The gap
    55k/1,825k is above 1e-4, so a Lagrangian round prices the shared decision: with λ = (1,825k - 1,770k)
    / 1² on x_high - x_low (a step to the best plan) the high branch pays 55k more and the low one 55k less
    for building in 2025 - the bound reaches 1,825,000, proving the plan optimal without the whole tree."""
    whole, dec = hand["expected"].summary, decomposed.summary
    assert whole["tree_method"] == "whole" and dec["tree_method"] == "decomposition"
    for key in ("objective_cny", "expected_npv_cny", "evpi_cny", "vss_cny", "wait_and_see_cny"):
        assert dec[key] == pytest.approx(whole[key]), key
    assert dec["evpi_range_cny"] == pytest.approx([55_000] * 2) and dec["vss_range_cny"] == pytest.approx([17_000] * 2)
    assert decomposed.commit_now.empty
    assert decomposed.continuations[["branch", "measure", "year"]].values.tolist() == [["high", "e1", 2026]]
    fig = dec["tree_decomposition"]
    assert fig["wait_and_see_bound_mcny"] == pytest.approx(1.77) and fig["known_plan_mcny"] == pytest.approx(1.842)
    assert fig["candidates"] == 1 and fig["evaluated"] == 1
    assert fig["round0_best_mcny"] == pytest.approx(1.825) and fig["round1_lagrangian_mcny"] == pytest.approx(1.825)
    assert dec["tree_status"] == "optimal" and dec["tree_bound_cny"] <= dec["objective_cny"] + 1e-6
    assert dec["tree_bound_cny"] <= whole["objective_cny"] + 1e-6
    per = decomposed.decisions.pivot_table(index=["measure", "variable", "year"], columns="branch", values="value")
    assert (per.max(axis=1) - per.min(axis=1)).abs().max() < 1e-9


def _three_branch_tree():
    from planner.backend import build_model
    from planner.backend.tree import build_tree
    from planner.preprocess.prepare import prepare

    _, spec = three_branches()
    built = []
    for s in spec.scenarios:
        pre = prepare(s)
        built.append(build_model(pre.inputs, pre.targets))
    return build_tree(built, list(spec.probabilities), spec.split_year), spec


def test_decomposed_tree_alone_repeats_its_plan():
    """solve_tree without the study's solves alone (round 0 solves each branch here): on the three-branch
    tree the Lagrangian rounds raise the wait-and-see bound, the gap stays open, the whole tree's MIP finishes
    from the best candidate; the bound never passes the objective, the shared decisions are equal in every
    branch and a repeat gives the same plan (a Dask cluster's plan is the local one: checked by hand, docs/robust.md;
    a LocalCluster costs ~15 s here)."""
    from planner.backend.treedecomp import solve_tree

    def run(scheduler=None):
        t, spec = _three_branch_tree()
        info = solve_tree(t, spec.scenarios[0].solver, workers=2, scheduler=scheduler)
        return info, [t.shared(k) for k in range(3)], [t.npv(k) for k in range(3)]

    info, shared, npv = run()
    fig = info.heuristic
    assert info.status == "optimal" and info.objective_mcny == pytest.approx(4.331)  # brute force: next test
    assert fig["round1_lagrangian_mcny"] > fig["wait_and_see_bound_mcny"]
    assert fig["gap"] > 1e-4 and info.bound_mcny <= info.objective_mcny + 1e-9
    assert shared[0] == shared[1] == shared[2]
    again = run()
    figures = lambda f: {k: v for k, v in f.items() if not k.endswith("_seconds")}  # noqa: E731
    assert again[1] == shared and again[2] == npv and figures(again[0].heuristic) == figures(fig)


def test_commit_now_capex_is_the_branches_expected_capex(monkeypatch):
    """The commit-now builds are equal in every branch, their capex is not (a branch may scale it): the table
    shows the probability-weighted mean. Hand frames: 0.2 x 100,000 + 0.8 x 200,000 = 180,000 CNY."""
    import pandas as pd

    from planner.studies.robust import stochastic

    rows = {"x": 100_000.0, "y": 200_000.0}
    monkeypatch.setattr(stochastic, "_builds", lambda b, before: pd.DataFrame(
        [{"measure": "e1", "site": "s1", "year": 2025, "capex_cny": rows[b]}]))
    now = stochastic._expected_capex(["x", "y"], [0.2, 0.8], 2026)
    assert now.capex_cny.tolist() == pytest.approx([180_000.0]) and now.measure.tolist() == ["e1"]
