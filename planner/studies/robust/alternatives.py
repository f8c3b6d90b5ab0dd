"""Near-optimal alternatives (modelling to generate alternatives) and the measure map (docs/robust.md).

After the least-NPV roadmap, the NPV is capped at (1 + slack) times it (`alt.cost_cap`) and other objectives
are solved in turn: the years in service of each measure family minimised, then maximised, then the
Hamming distance of the builds (measure, year) to every roadmap found so far maximised. Each roadmap meets
every target (the model's constraints are unchanged). Every measure is then classified: `essential` when
a solve that forbids it proves no roadmap within the slack exists without it (its bound exceeds the cap,
or it is infeasible), `never` when a solve that forces it proves the same, `optional` when roadmaps within
the slack exist with and without it (witnessed by two roadmaps), `unproven` when its probe stopped (time
limit) before either proof. A probe is a feasibility solve under the
cap: infeasible proves the class, a plan found is the witness.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...backend import build_model, solve
from ...backend.nearopt import NearOptimal, distance, is_asset, years_in_service
from ...errors import InputError, SolverError
from ...postprocess import sbti
from ...postprocess.results import cash_npv, extract, roadmap
from ...postprocess.robust_words import evidence
from ...preprocess.prepare import prepare
from ...run import PlanResult, infeasible
from ...schemas import Scenario, load_scenario
from ...units import MCNY_TO_CNY

MAX_SLACK = 1.0


@dataclass(frozen=True)
class Probe:
    """A solve with one measure forbidden or forced: its status, best NPV and proven bound (MCNY)."""

    status: str
    npv_mcny: float | None
    bound_mcny: float | None

    def verdict(self, cap: float, proven: str) -> tuple[str, bool]:
        """(class, whether proven): `proven` (essential or never) when infeasible or the bound exceeds the cap;
        `optional` when the plan found is within it; else (time limit before either) `unproven`."""
        if self.status == "infeasible":
            return proven, True
        if self.bound_mcny is not None and self.bound_mcny > cap:
            return proven, True
        if self.npv_mcny is not None and self.npv_mcny <= cap + 1e-9 * max(1.0, abs(cap)):
            return "optional", True
        return "unproven", False


def probe(built, near: NearOptimal, mm, mode: str, opts, cap: float | None = None) -> Probe:
    """Measure `mm` forbidden (`forbid`) or forced (`force`). Without `cap`: the least NPV so constrained.
    With `cap`: a feasibility solve under `alt.cost_cap` (zero objective): infeasible proves that no plan
    within the cap exists so constrained, any plan found is a witness that one does (faster: no optimality
    to prove)."""
    near.clear_probe()
    near.cap(cap)
    near.objective(None if cap is None else 0)
    (near.forbid if mode == "forbid" else near.force)(mm)
    info = solve(built, opts)
    npv = built.value(built.m.npv) if info.has_solution and info.status != "infeasible" else None
    near.clear_probe()
    near.cap(None)
    near.objective(None)
    if info.status == "infeasible" or not info.has_solution:
        return Probe("infeasible" if info.status == "infeasible" else info.status, None,
                     None if cap is not None else info.bound_mcny)
    return Probe(info.status, npv, None if cap is not None else info.bound_mcny)


def adopted(built) -> tuple[set[tuple[str, int]], set[str], pd.DataFrame]:
    """(builds as (measure, year), measures adopted (built or bought), roadmap) of the loaded plan."""
    rm = roadmap(built)
    builds = {(r.measure, int(r.year)) for r in rm.itertuples() if r.action == "build"}
    return builds, set(rm.measure), rm


@dataclass
class Alternatives:
    summary: dict
    overview: pd.DataFrame  # one row per roadmap: how it was found, NPV, its gap to the least, builds
    roadmaps: pd.DataFrame  # every roadmap's rows, with the alternative's number
    measure_map: pd.DataFrame  # one row per measure: essential | optional | never, proof, years seen
    files: list[Path] = field(default_factory=list)
    plans: list[PlanResult] = field(default_factory=list)  # each roadmap's result frames (`plans=True`), in order

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"alternatives": self.overview, "alternatives_roadmaps": self.roadmaps,
                "alternatives_measure_map": self.measure_map}

    def write(self, out_dir: str | Path, langs: tuple[str, ...] = ("en",)) -> list[Path]:
        from .write import write_alternatives

        self.files = write_alternatives(self, Path(out_dir), langs)
        return self.files


def objectives(built, families: list[str]):
    """The sequence of (label, sense, expression builder) after the optimum: each family's years in service
    minimised and maximised, then the distance to the roadmaps found (repeated)."""
    assets = [mm for mm in built.measures if is_asset(mm)]
    for f in families:
        group = [mm for mm in assets if mm.cfg.family_name == f]
        for sense in ("minimize", "maximize"):
            yield f"{sense[:3]}_{f}", sense, lambda g=group: sum(years_in_service(mm) for mm in g)
    while True:
        yield "distance", "maximize", None


def classify(built, near: NearOptimal, plans: list[set[str]], cap: float, opts) -> list[dict]:
    """One row per measure: its class within the cap, proven or not, and how."""
    rows = []
    n = len(plans)
    for mm in built.measures:
        k = sum(mm.id in p for p in plans)
        mode, npv = "", None
        if 0 < k < n:
            verdict, proven = "optional", True
        else:
            mode, target = ("forbid", "essential") if k == n else ("force", "never")
            pr = probe(built, near, mm, mode, opts, cap=cap)
            verdict, proven = pr.verdict(cap, target)
            npv = pr.npv_mcny * MCNY_TO_CNY if pr.npv_mcny is not None else None
        rows.append({"measure": mm.id, "family": mm.cfg.family_name, "site": mm.cfg.site or "company",
                     "class": verdict, "proven": proven, "adopted_in": k, "roadmaps": n, "probe": mode,
                     "probe_npv_cny": npv, "evidence": evidence(mode, verdict, npv, "en")})
    return rows


def plan_of(built, pre, sc: Scenario, status: str, gap: float | None, checks: pd.DataFrame) -> PlanResult:
    """The loaded roadmap's result frames and the summary the comparison reads (planner/studies/compare.py):
    the roadmaps side by side without re-solving them. `gap`: the cost gap (None for an alternative, whose
    solve minimised another objective under the cap)."""
    fr = extract(built, pre.bau, sc)
    npv = built.value(built.m.npv) * MCNY_TO_CNY
    summary = {"scenario": sc.name, "company": sc.company, "status": status, "cash_npv_cny": cash_npv(fr.costs),
               "objective_cny": npv, "gap": gap, "discount_rate": sc.discount_rate, "base_year": sc.base_year,
               "total_capex_cny": float(fr.roadmap.capex_cny.mul(fr.roadmap.share).sum())}
    return PlanResult(**vars(fr), scenario=sc, summary=summary, bau=pre.bau, inventory=pre.inventory, sbti=checks)


def alternatives(scenario: Scenario | str | Path, slack: float = 0.02, count: int = 5,
                 out_dir: str | Path | None = None, langs: tuple[str, ...] = ("en",),
                 plans: bool = False) -> Alternatives:
    """Up to `count` roadmaps within `slack` (a share, 0.02 = 2%) of the least NPV that differ as much as
    possible, and the measure map (docs/robust.md). `plans`: keep each roadmap's result frames too
    (`Alternatives.plans`, for the comparison report: robust/compare.py)."""
    if not 0 < slack <= MAX_SLACK:
        raise InputError("--slack", "", f"expected a share in (0, {MAX_SLACK:g}] (e.g. 0.02 or 2%), got {slack:g}")
    if count < 1:
        raise InputError("--count", "", f"expected at least 1 alternative, got {count}")
    t0 = time.perf_counter()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    pre = prepare(sc)
    built = build_model(pre.inputs, pre.targets)
    info = solve(built, sc.solver)
    # the site decomposition finds plans for the cost objective: off for the other objectives and the probes
    opts = sc.solver.model_copy(update={"heuristic": "off"})
    if info.status == "infeasible":
        raise infeasible(sc, pre.inputs, pre.targets)
    if not info.has_solution:
        raise SolverError(f"{sc.name}: solver stopped without a solution ({info.termination})")
    best = info.objective_mcny
    cap = best + slack * abs(best)
    builds, measures, rm = adopted(built)
    found = [builds]
    used = [measures]
    overview = [{"alternative": 0, "objective": "least_npv", "npv_cny": best * MCNY_TO_CNY, "above_least": 0.0,
                 "builds": len(builds), "measures": len(measures), "capex_cny": float(rm.capex_cny.sum()),
                 "solve_seconds": info.solve_seconds}]
    frames = [rm.assign(alternative=0)]
    checks = sbti.check(sc, pre.bau, pre.drivers) if plans else None
    kept = [plan_of(built, pre, sc, info.status, info.gap, checks)] if plans else []
    near = NearOptimal(built)
    families = sorted({mm.cfg.family_name for mm in built.measures if is_asset(mm)})
    attempts, max_attempts = 0, 2 * len(families) + 2 * count
    for label, sense, expr in objectives(built, families):
        if len(found) > count or attempts >= max_attempts:
            break
        attempts += 1
        near.cap(cap)
        near.objective(expr() if expr is not None else distance(found, built.measures), sense)
        inf = solve(built, opts)
        if not inf.has_solution or inf.status == "infeasible":
            continue
        b, ms, rm = adopted(built)
        if b in found:
            continue
        npv = built.value(built.m.npv)
        found.append(b)
        used.append(ms)
        i = len(found) - 1
        overview.append({"alternative": i, "objective": label, "npv_cny": npv * MCNY_TO_CNY,
                         "above_least": (npv - best) / abs(best) if best else 0.0, "builds": len(b),
                         "measures": len(ms), "capex_cny": float(rm.capex_cny.sum()),
                         "solve_seconds": inf.solve_seconds})
        frames.append(rm.assign(alternative=i))
        if plans:
            kept.append(plan_of(built, pre, sc, inf.status, None, checks))
    t_alt = time.perf_counter() - t0
    mrows = classify(built, near, used, cap, opts)
    near.restore()
    roadmaps = pd.concat(frames, ignore_index=True)
    first = roadmaps.groupby(["alternative", "measure"]).year.min().reset_index()
    seen = first.groupby("measure").year.agg(["min", "max"]).rename(columns={"min": "earliest_year",
                                                                              "max": "latest_year"})
    mmap = pd.DataFrame(mrows).merge(seen, left_on="measure", right_index=True, how="left")
    summary = {"scenario": sc.name, "slack": slack, "count": count, "found": len(found) - 1,
               "least_npv_cny": best * MCNY_TO_CNY, "cap_npv_cny": cap * MCNY_TO_CNY,
               "variables": info.n_variables, "binaries": info.n_binaries, "constraints": info.n_constraints,
               "alternatives_seconds": t_alt, "classify_seconds": time.perf_counter() - t0 - t_alt,
               "classes": mmap["class"].value_counts().to_dict()}
    res = Alternatives(summary, pd.DataFrame(overview), roadmaps, mmap, plans=kept)
    if out_dir is not None:
        res.write(out_dir, langs)
    return res


__all__ = ["Alternatives", "Probe", "adopted", "alternatives", "classify", "plan_of", "probe"]
