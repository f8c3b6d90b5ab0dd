"""Solve one variant of a sweep and read its tidy rows; a `Worker` keeps its model between variants.

Per variant: apply the parameter values to the base scenario and validate it, preprocess (drivers and BAU
are reused while the inputs they read are unchanged), then either push the new coefficients into the model
already built (`backend.resolve`) or rebuild it, solve, and read the store rows. Infeasible variants get an
elastic solve that measures each target's shortfall; invalid or unsolved variants are recorded with their
status and message. Nothing a variant does stops the sweep.
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
import resource
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...backend import build_model, solve
from ...backend.resolve import Resolver, plan_by_name, structural_change
from ...errors import NON_TARGET_CONFLICT, PlannerError
from ...postprocess.attribution import attribute
from ...postprocess.results import abatement, cash_npv, costs, electricity, roadmap, targets_frame
from ...preprocess import baseline as bl
from ...preprocess.inputs import build_inputs
from ...preprocess.targets import target_years
from ...schemas.library import load_library
from ...schemas.scenario import Scenario
from ...schemas.sweep import SweepSpec, apply_values
from ...schemas.types import MAX_ID_CHARS
from ...units import KT_TO_T, MCNY_TO_CNY
from .design import anchor_rows, make_design

# anchors of a sweep that does not set `solver.anchors`: one per 6 variants, at most 168 (three rounds: 8,
# 32, 128). docs/sweeps.md, "Solver settings": an anchor's solve is
# its variant's result, so an anchor costs no solve; each step 8 -> 24 -> 40 anchors took 8-12% off HiGHS per
# variant
FIRST_ANCHORS, MAX_AUTO_ANCHORS, ROUND_GROWTH = 8, 168, 4
VARIANTS_PER_ANCHOR = 6
SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3")
# facts of the run (timings, which worker, in place or rebuilt, its memory), not of the variant
EXECUTION_COLUMNS = ("solve_seconds", "highs_seconds", "wall_seconds", "cpu_seconds", "rebuilt", "rebuild_reason",
                     "worker", "peak_rss_mb")


def variant_name(base: str, i: int) -> str:
    suffix = f"_v{i}"
    return base[: MAX_ID_CHARS - len(suffix)] + suffix


def variant_scenario(spec: SweepSpec, values: np.ndarray, i: int, raw: dict | None = None) -> Scenario:
    """Variant i as a validated scenario (named <base>_v<i>); a carbon-price sweep drops the targets."""
    raw = copy.deepcopy(raw) if raw is not None else spec.base.model_dump(mode="python")
    raw["name"] = variant_name(spec.base.name, i)
    if spec.sweep.design == "carbon_price":  # targets relaxed: the curve shows the response to the price alone
        raw["targets"] = []
    vals = [None if math.isnan(x) else float(x) for x in values]
    return apply_values(spec.base, raw, spec.parameters, spec.locations, vals, load_library(),
                        f"{spec.file} (variant {i})")


@dataclass(frozen=True)
class StartSet:
    """A sweep's MIP start plans as shipped to workers: the variable names once and one row of values per
    plan (NaN where a plan has no value), with a digest so a worker converts them once."""

    names: tuple[str, ...]
    values: np.ndarray  # plans x names
    digest: str

    @classmethod
    def of(cls, plans: list[dict[str, float]]) -> StartSet:
        names = tuple(sorted(set().union(*plans))) if plans else ()
        values = np.array([[p.get(k, np.nan) for k in names] for p in plans], dtype=float).reshape(len(plans),
                                                                                                   len(names))
        h = hashlib.sha256("\0".join(names).encode())
        h.update(values.tobytes())
        return cls(names, values, h.hexdigest())

    def dicts(self) -> list[dict[str, float]]:
        return [{k: float(x) for k, x in zip(self.names, row, strict=True) if not math.isnan(x)}
                for row in self.values]


def auto_anchors(n: int) -> int:
    """Anchors of an n-variant sweep that does not choose: n // 6, at most 168."""
    return min(MAX_AUTO_ANCHORS, n // VARIANTS_PER_ANCHOR)


def anchor_rounds(rows: list[int]) -> list[list[int]]:
    """The anchors in the rounds they are solved in: the first FIRST_ANCHORS from the base plan, then
    rounds ROUND_GROWTH times larger than the one before (32, then 128, ...), each from the best of the
    plans of the rounds before it, as a variant is (on the demo ~1 s each instead of ~3 s from the base
    plan alone). Anchors are the design's variants spread farthest apart first, so each round's anchors
    start from the plans of their nearest solved neighbours."""
    rounds, start, size = [], 0, FIRST_ANCHORS
    while start < len(rows):
        rounds.append(list(rows[start:start + size]))
        start, size = start + size, size * ROUND_GROWTH
    return rounds


def anchor_count(spec: SweepSpec, n: int) -> int:
    """How many anchor variants a sweep of n variants gets (`solver.anchors`, else `auto_anchors(n)`; none
    unless `warm_start: anchors`)."""
    cfg = spec.sweep.solver
    if cfg.warm_start != "anchors":
        return 0
    return min(n, cfg.anchors if cfg.anchors is not None else auto_anchors(n))


def _driver_key(sc: Scenario) -> tuple:
    return (sc.organisation, sc.sites, sc.grid, sc.scope3, sc.revenue_mcny, sc.base_year, sc.horizon, sc.gwp)


class Worker:
    """Solves variants of one sweep, keeping the last built model (and its HiGHS instance) to re-solve in
    place when a variant changes only coefficients."""

    def __init__(self, spec: SweepSpec):
        self.spec = spec
        self.lib = load_library()
        self.raw = spec.base.model_dump(mode="python")
        self.resolver: Resolver | None = None
        self._drivers: tuple | None = None  # (key, drivers, bau, bau per year and scope)
        self._target_rows: tuple | None = None  # ((driver key, targets), target rows)
        # candidate MIP starts by variable name: the base scenario's plan, then the anchors' plans
        self.start: list[dict[str, float]] | None = None
        self._plans_digest: str | None = None  # of the StartSet the plans came from
        self.anchor_results: dict[int, dict[str, pd.DataFrame]] = {}  # anchors solved by start_plans

    def anchor_count(self, n: int) -> int:
        """How many anchor variants a sweep of n variants gets (`solver.anchors`, else `auto_anchors(n)`)."""
        return anchor_count(self.spec, n)

    def start_plans(self, n: int) -> list[dict[str, float]]:
        """The sweep's MIP start plans solved in this process: the base scenario's plan, then the first
        anchors' (FIRST_ANCHORS, each from the base plan, or from none when the base scenario has no plan),
        then the further rounds' (each from the best of the earlier rounds' plans, as a variant). Workers of
        a parallel sweep share these solves instead (runner: the base on one worker, each round of anchors
        spread over all). The anchors' store rows are kept in `anchor_results` (variant -> tables): an
        anchor's solve is its variant's result."""
        design = make_design(self.spec)
        plans = [p for p in [self.base_plan()] if p is not None]
        for rows in anchor_rounds(anchor_rows(design, self.anchor_count(n))):
            solved = [self.anchor(i, design.values[i], plans) for i in rows]
            self.anchor_results.update(zip(rows, (t for _, t in solved), strict=True))
            plans += [p for p, _ in solved if p is not None]
        return plans

    def base_plan(self) -> dict[str, float] | None:
        """Build and solve the base scenario (every parameter unchanged): its plan by variable name (None
        when it has none). Its model stays, for the next variant or anchor to update in place."""
        try:
            sc, inp, rows, _ = self._prepare(0, np.full(len(self.spec.parameters), np.nan))
            built = build_model(inp, rows)
        except PlannerError:
            return None
        info = solve(built, sc.solver)
        self.resolver = Resolver(built, self.start)
        if not info.has_solution or info.status == "infeasible":
            return None
        return plan_by_name(built)

    def anchor_plan(self, i: int, values: np.ndarray, plans: list[dict[str, float]]) -> dict[str, float] | None:
        """Anchor variant i's plan by variable name (None when it has none); see `anchor`."""
        return self.anchor(i, values, plans)[0]

    def anchor(self, i: int, values: np.ndarray,
               plans: list[dict[str, float]]) -> tuple[dict[str, float] | None, dict[str, pd.DataFrame]]:
        """Anchor variant i solved from the plans of the earlier rounds (the base plan alone for the first
        anchors; none when there is none): its plan by variable name (None when it has none) and its store
        rows, which are its result as a variant (the sweep does not solve it again). The same model, options
        and start on every worker, hence the same plan and rows wherever it runs."""
        start, keep = [p for p in plans if p], self.start
        self.start = start
        if self.resolver is not None:
            self.resolver.set_start(start)
        try:
            tables, plan = self._solve(i, values, want_plan=True)
        finally:
            self.start = keep
            if self.resolver is not None:
                self.resolver.set_start(keep)
        return plan, tables

    def use_plans(self, plans: list[dict[str, float]]) -> None:
        """Start every following variant from the best of these plans (backend.solve)."""
        self.start = plans
        if self.resolver is not None:
            self.resolver.set_start(plans)

    def _prepare(self, i: int, values: np.ndarray):
        """Variant i's scenario, model inputs, target rows and BAU by year and scope (raises PlannerError)."""
        sc = variant_scenario(self.spec, values, i, self.raw)
        drv, bau, bau_scope = self._baseline(sc)
        key = (self._drivers[0], sc.targets)  # target rows read only the targets, drivers and BAU
        if self._target_rows is None or self._target_rows[0] != key:
            self._target_rows = (key, target_years(sc, bau, drv))
        return sc, build_inputs(sc, self.lib, drv), self._target_rows[1], bau_scope

    def _load(self, inp, rows, start) -> str | None:
        """Put the inputs into the kept model in place, or rebuild it (with these start plans); returns why
        it was rebuilt (None: in place)."""
        reason = structural_change(self.resolver.built, inp, rows) if self.resolver else "first variant"
        if reason is None:
            self.resolver.update(inp, rows)
        else:
            self.resolver = Resolver(build_model(inp, rows), start)
        return reason

    def _baseline(self, sc: Scenario):
        key = _driver_key(sc)
        if self._drivers is None or self._drivers[0] != key:
            drv = bl.drivers(sc, self.lib)
            bau = bl.bau_emissions(sc, drv, self.lib)
            by_scope = bau.groupby(["year", "scope"])["tco2e"].sum()
            self._drivers = (key, drv, bau, by_scope)
        return self._drivers[1:]

    def run(self, i: int, values: np.ndarray, plans: StartSet | None = None) -> dict[str, pd.DataFrame]:
        """Every store row of variant i (tables by name); never raises for a bad or unsolvable variant.
        `plans`: the sweep's start plans, solved once for all workers (runner); without them a worker's
        first call solves the base scenario and the anchors itself (not counted in the variant's
        timings), and an anchor variant's rows are those of its anchor solve."""
        if plans is not None and plans.digest != self._plans_digest:
            self._plans_digest = plans.digest
            self.use_plans(plans.dicts())
        elif self.start is None:
            self.use_plans(self.start_plans(len(make_design(self.spec)))
                           if self.spec.sweep.solver.warm_start != "none" else [])
        if i in self.anchor_results:
            return self.anchor_results.pop(i)
        return self._solve(i, values)[0]

    def _solve(self, i: int, values: np.ndarray,
               want_plan: bool = False) -> tuple[dict[str, pd.DataFrame], dict[str, float] | None]:
        """Variant i from the current start plans: its store rows, and (`want_plan`) its plan by variable
        name when it has one (None otherwise)."""
        t0, c0 = time.perf_counter(), time.process_time()
        row = dict(variant=i, status="", termination="", objective_cny=None, cash_npv_cny=None, bound_cny=None,
                   gap=None, targets_met=None, targets_missed=None, total_capex_cny=None, cumulative_scope12_tco2e=None,
                   shortfall="", message="", solve_seconds=0.0, highs_seconds=0.0, rebuilt=False, rebuild_reason="")
        tables: dict[str, pd.DataFrame] = {}
        plan = None
        try:
            sc, inp, rows, bau_scope = self._prepare(i, values)
        except PlannerError as exc:
            row.update(status="invalid", message=str(exc))
            return self._finish(row, tables, t0, c0), None
        reason = self._load(inp, rows, self.start)
        row.update(rebuilt=reason is not None, rebuild_reason=reason or "")
        info = self.resolver.solve(sc.solver)
        row.update(status=info.status, termination=info.termination, solve_seconds=info.solve_seconds,
                   highs_seconds=self.resolver.highs_seconds,
                   gap=info.gap,
                   objective_cny=None if info.objective_mcny is None else info.objective_mcny * MCNY_TO_CNY,
                   bound_cny=None if info.bound_mcny is None else info.bound_mcny * MCNY_TO_CNY)
        b = self.resolver.built
        if info.status == "infeasible":
            self._shortfalls(sc, inp, rows, row, tables)
        elif info.has_solution:
            if want_plan and not b.elastic:
                plan = plan_by_name(b)
            self._read(b, sc, bau_scope, row, tables)
        else:
            row["message"] = f"solver stopped without a solution ({info.termination})"
        return self._finish(row, tables, t0, c0), plan

    def _finish(self, row: dict, tables: dict, t0: float, c0: float) -> dict[str, pd.DataFrame]:
        row.update(wall_seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0, worker=os.getpid(),
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        tables["metrics"] = pd.DataFrame([row])
        return tables

    def _read(self, b, sc: Scenario, bau_scope: pd.Series, row: dict, tables: dict) -> None:
        with b.evaluation():  # named expressions evaluated once per variant
            self._read_rows(b, sc, bau_scope, row, tables)

    def _read_rows(self, b, sc: Scenario, bau_scope: pd.Series, row: dict, tables: dict) -> None:
        tg = _targets(targets_frame(b, sc))
        rm = roadmap(b)
        tables["targets"] = tg
        tables["adoption"] = _adoption(b, rm)
        traj = _trajectories(b, bau_scope)
        tables["trajectories"] = traj
        scope12 = traj[traj.scope.isin(["scope1", "scope2_market"])].plan_tco2e.sum()
        row.update(targets_met=bool(tg.met.all()), targets_missed=int((~tg.met).sum()),
                   total_capex_cny=float((rm.capex_cny * rm.share).sum()), cumulative_scope12_tco2e=float(scope12))
        extra = self.spec.sweep.metrics
        shadow = any(v > 0 for v in b.inp.price_internal_carbon_mcny_per_kt.values())
        if "costs" in extra or shadow:
            cf = costs(b)[0]
            row["cash_npv_cny"] = cash_npv(cf)  # the objective less the shadow-priced internal carbon
            if "costs" in extra:
                tables["costs"] = cf
        else:  # no internal carbon price: nothing in the objective is a shadow price
            row["cash_npv_cny"] = row["objective_cny"]
        if "electricity" in extra:
            tables["electricity"] = electricity(b)
        if "abatement" in extra:
            ab = abatement(b, attribute(b)[0])
            tables["abatement"] = ab.groupby(["year", "measure", "family", "scope"], as_index=False)["tco2e"].sum()

    def _shortfalls(self, sc: Scenario, inp, rows, row: dict, tables: dict) -> None:
        """Elastic solve of an infeasible variant: each target's best achievable level and its shortfall."""
        e = build_model(inp, rows, elastic=True)
        info = solve(e, sc.solver)
        if not info.has_solution:
            row.update(targets_met=False, shortfall=NON_TARGET_CONFLICT)
            return
        tg = _targets(targets_frame(e, sc))
        tables["targets"] = tg
        short = tg[~tg.met]
        worst = short.sort_values(["target", "shortfall"], ascending=[True, False]).drop_duplicates("target")
        text = "; ".join(f"{r.target} {r.year}: short by {r.shortfall:,.4g} {r.unit}" for r in worst.itertuples())
        row.update(targets_met=False, targets_missed=int(len(short)), shortfall=text)


def _targets(tf: pd.DataFrame) -> pd.DataFrame:
    tf = tf[["target", "type", "year", "milestone", "unit", "required", "achieved", "offsets_used", "net", "met"]]
    share = tf.unit == "share"
    short = np.where(share, tf.required - tf.achieved, tf.net - tf.required)
    tf = tf.assign(shortfall=np.where(tf.met, 0.0, np.maximum(short, 0.0)))
    return tf.assign(met=tf.met.astype(bool), milestone=tf.milestone.astype(bool)).reset_index(drop=True)


ADOPTION_COLUMNS = ["measure", "kind", "family", "site", "adopted", "first_year", "size", "unit", "actions",
                    "capex_cny"]


def _adoption(b, rm: pd.DataFrame) -> pd.DataFrame:
    """One row per enabled measure: adopted, first year, largest size of one build or one year's purchase
    (in `unit`), number of builds or purchase years, capex (consolidated CNY)."""
    g: dict[str, dict] = {}
    for measure, year, size, unit, capex, share in zip(rm.measure, rm.year, rm["size"], rm.unit, rm.capex_cny,
                                                      rm.share, strict=True):
        r = g.get(measure)
        if r is None:
            g[measure] = dict(first_year=year, size=size, unit=unit, actions=1, capex_cny=capex * share)
        else:
            r.update(first_year=min(r["first_year"], year), size=max(r["size"], size), actions=r["actions"] + 1,
                     capex_cny=r["capex_cny"] + capex * share)
    rows = []
    for mm in b.measures:
        cfg = mm.cfg
        r = g.get(cfg.id)
        rows.append(dict(measure=cfg.id, kind=cfg.kind, family=cfg.family_name, site=cfg.site or "company",
                         adopted=r is not None, first_year=int(r["first_year"]) if r else None,
                         size=float(r["size"]) if r else 0.0, unit=r["unit"] if r else mm.size_unit,
                         actions=int(r["actions"]) if r else 0, capex_cny=float(r["capex_cny"]) if r else 0.0))
    df = pd.DataFrame(rows, columns=ADOPTION_COLUMNS)
    df["first_year"] = df.first_year.astype("Int64")
    return df


def _trajectories(b, bau_scope: pd.Series) -> pd.DataFrame:
    """Consolidated emissions per year and scope, plan and BAU, tCO2e."""
    m, inp, val = b.m, b.inp, b.value
    rows = []
    for y in inp.years:
        w = inp.site_share
        plan = {"scope1": sum(w[s] * val(m.scope1[s, y]) for s in inp.sites),
                "scope2_location": sum(w[s] * val(m.scope2_location[s, y]) for s in inp.sites),
                "scope2_market": sum(w[s] * val(m.scope2_market[s, y]) for s in inp.sites),
                "scope3": sum(val(m.scope3[c, y]) for c in inp.scope3_categories)}
        for scope in SCOPES:
            rows.append((y, scope, float(bau_scope.get((y, scope), 0.0)), plan[scope] * KT_TO_T))
    return pd.DataFrame(rows, columns=["year", "scope", "bau_tco2e", "plan_tco2e"])
