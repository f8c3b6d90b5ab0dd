"""Re-solve a built model for new inputs without rebuilding it, when only coefficients changed.

`structural_change(built, inp, rows)` compares new `ModelInputs` and target rows with those the model was
built from. Only these may differ for an in-place update (docs/sweeps.md lists them):

- prices: electricity, fuels, export, ETS, internal carbon, every library price item (contract prices);
- ETS free allocation share and benchmarks, the CBAM export shares and EU price (same products); the values
  of the capex indices (same names);
- the config fields each measure kind declares as `coefficient_fields` (unit capex, contract prices): the kind
  says which of its fields only set its mutable parameters and recomputes those (`MeasureModel.coefficients`),
  so this module names no kind and no field;
- the discount rate (the objective is re-stated).

Anything else (a measure enabled, a bound, a target level, an activity growth, a grid factor, a fixed
capex) changes the matrix or the right-hand sides and needs a rebuild. `update_in_place` writes the new
numbers into the model's mutable parameters; `Resolver` re-solves the updated model without rebuilding
or recompiling it (patch.py writes the changed coefficients into its matrix). A re-solve gives the same
HiGHS model as a fresh build of the new inputs, bit for bit (tested), hence the same result.
"""

from __future__ import annotations

import dataclasses
import time

import pyomo.environ as pyo

from ..preprocess.inputs import ModelInputs
from ..preprocess.targets import TargetYear
from ..schemas.scenario import Solver
from .builder import COST_CATEGORIES, BuiltModel
from .measures.base import REGISTRY, MeasureModel
from .patch import MatrixPatcher
from .solve import SolveInfo, StartPlans, model_size, solve

COEFFICIENT_INPUTS = frozenset({
    "price_elec_mcny_per_gwh", "price_fuel_mcny_per_gwh", "price_export_mcny_per_gwh", "price_ets_mcny_per_kt",
    "price_internal_carbon_mcny_per_kt", "free_allocation_share", "capex_indices", "prices_cny", "ets_benchmark",
    "cbam_export_share", "price_cbam_mcny_per_kt"})


def _measure_change(old, new) -> str | None:
    if (old.id, old.kind) != (new.id, new.kind):
        return f"measures ({old.id} -> {new.id})"
    name = REGISTRY[old.kind].config_change(old, new)
    return None if name is None else f"measures[{old.id}].{name}"


def structural_change(built: BuiltModel, inp: ModelInputs, rows: list[TargetYear]) -> str | None:
    """What makes `inp`/`rows` need a new model (the first difference found), or None when pushing new
    coefficients into `built` gives the model a fresh build would."""
    old = built.inp
    if built.elastic:
        return "elastic model"
    for f in dataclasses.fields(ModelInputs):
        if f.name in COEFFICIENT_INPUTS or f.name in ("name", "measures", "time"):
            continue
        if getattr(old, f.name) != getattr(inp, f.name):
            return f.name
    ot, nt = old.time, inp.time
    if (ot.base_year, ot.years, ot.slices, ot.interpolated) != (nt.base_year, nt.years, nt.slices, nt.interpolated):
        return "time index"
    if set(old.capex_indices) != set(inp.capex_indices) or set(old.prices_cny) != set(inp.prices_cny):
        return "capex index or price item names"
    for name in ("ets_benchmark", "cbam_export_share", "price_cbam_mcny_per_kt"):  # keys are structure
        if set(getattr(old, name)) != set(getattr(inp, name)):
            return name
    if len(old.measures) != len(inp.measures):
        return "measures (enabled set)"
    for a, b in zip(old.measures, inp.measures, strict=True):
        change = _measure_change(a, b)
        if change:
            return change
    if rows != built.targets:
        return "targets"
    return None


def write_coefficients(mm: MeasureModel) -> None:
    """Write a measure's `coefficients()` (from its current cfg and inputs) into its block's mutable parameters;
    a mutable parameter the kind does not list is a kind's bug, not a silent stale value."""
    values = mm.coefficients()
    for param in mm.block.component_objects(pyo.Param, descend_into=False):
        if not param.mutable:
            continue
        name = param.local_name
        if name not in values:
            raise NotImplementedError(f"measure kind {mm.cfg.kind}: mutable parameter blk.{name} is missing from "
                                      f"its coefficients()")
        new = values[name]
        for k in param:
            param[k] = new[k]


def update_in_place(built: BuiltModel, inp: ModelInputs, rows: list[TargetYear]) -> bool:
    """Write the coefficients of `inp` into the mutable parameters of `built` (check `structural_change`
    first). Returns True when the objective was re-stated (discount rate changed)."""
    m = built.m
    for s, ts in m.price_elec:
        m.price_elec[s, ts] = inp.elec_price(s, ts)
    if hasattr(m, "price_elec_blend"):
        for s, y, ts in m.price_elec_blend:
            m.price_elec_blend[s, y, ts] = inp.elec_price(s, ts, y)
    for k in m.price_fuel:
        m.price_fuel[k] = inp.price_fuel_mcny_per_gwh[k]
    for y in m.periods:
        m.price_export[y] = inp.price_export_mcny_per_gwh[y]
        m.price_ets[y] = inp.price_ets_mcny_per_kt[y]
        m.price_internal_carbon[y] = inp.price_internal_carbon_mcny_per_kt[y]
        m.free_allocation_share[y] = inp.free_allocation_share[y]
    for n, y in m.capex_index:
        m.capex_index[n, y] = inp.capex_indices[n][y]
    if hasattr(m, "ets_benchmark"):  # carbon markets (markets.py): the same keys, checked by structural_change
        for k in m.ets_benchmark:
            m.ets_benchmark[k] = inp.ets_benchmark[k]
    if hasattr(m, "price_cbam"):
        for y in m.periods:
            m.price_cbam[y] = inp.price_cbam_mcny_per_kt[y]
        for k in m.cbam_export_share:
            m.cbam_export_share[k] = inp.cbam_export_share[k]
    for mm, cfg in zip(built.measures, inp.measures, strict=True):
        mm.cfg, mm.inp = cfg, inp
        write_coefficients(mm)
    restated = built.inp.discount != inp.discount
    if restated:  # the same expression the builder writes, with the new discount factors
        m.npv.set_value(sum(inp.discount[y] * m.cost[c, y] for c in COST_CATEGORIES for y in inp.years))
    built.inp = inp
    built.core.inp = inp
    built.targets = rows
    return restated


class Resolver:
    """A built model re-solved after `update_in_place`: no Pyomo rebuild, and no recompile either: the
    model's matrix is kept and only the constraints and objective that read a changed parameter are
    recompiled into it (patch.MatrixPatcher), giving bit for bit the matrix a fresh compile gives. Each
    solve hands that matrix to a new HiGHS instance with the same settings as a fresh run, so a re-solve
    equals a fresh solve of the same variant (within the gap when a start is offered).

    `start`: plans by variable name (`plan_by_name`) offered to HiGHS as MIP starts of every solve (several:
    the best is chosen per solve, backend.solve); always the same plans (sweeps: the base scenario's and
    the anchors'), so that a variant's result does not depend on which variant the worker solved before it
    (docs/sweeps.md, "Speed")."""

    def __init__(self, built: BuiltModel, start: dict[str, float] | list[dict[str, float]] | None = None):
        self.built = built
        self.highs_seconds = float("nan")  # wall inside HiGHS in the last solve (the rest is hand-over)
        self.start: StartPlans | None = None
        self._names: list[tuple[int, str]] | None = None  # (id, name) of the model's variables
        self.set_start(start)
        self.patcher: MatrixPatcher | None = None  # compiled at the first solve
        self._size: tuple[int, int, int] | None = None
        self._restated = False  # the objective was re-stated since the last solve

    def set_start(self, start: dict[str, float] | list[dict[str, float]] | None) -> None:
        """Replace the MIP start plans (by variable name): the `StartPlans.of` of these plans, with the
        model's variable names looked up once per model (a Pyomo name costs ~7 us: 1.7 s for 41 demo plans
        when looked up per plan, paid by every worker and every anchor)."""
        plans = [start] if isinstance(start, dict) else [p for p in (start or []) if p]
        if not plans:
            self.start = None
            return
        if self._names is None:
            self._names = [(id(v), v.name) for v in self.built.m.component_data_objects(pyo.Var)]
        self.start = StartPlans(plans, [{k: p[name] for k, name in self._names if name in p} for p in plans])

    def update(self, inp: ModelInputs, rows: list[TargetYear]) -> None:
        """Push new coefficients (the caller checked `structural_change`)."""
        if self.patcher is not None:
            self.patcher.watch()
        self._restated |= update_in_place(self.built, inp, rows)

    def solve(self, opts: Solver) -> SolveInfo:
        t0 = time.perf_counter()
        if self.patcher is None:
            self.patcher = MatrixPatcher(self.built.m)
            self._size = model_size(self.built.m)
            mx = self.patcher.mx
        else:
            mx = self.patcher.matrix(self._restated)
        self._restated = False
        compile_s = time.perf_counter() - t0
        info = solve(self.built, opts, start_values=self.start, compiled=(mx, self._size))
        info.handover_seconds += compile_s
        info.solve_seconds += compile_s
        self.highs_seconds = info.highs_seconds
        return info


def plan_by_name(built: BuiltModel) -> dict[str, float]:
    """The values loaded in the model's variables (after a solve), by variable name."""
    return {v.name: float(v.value) for v in built.m.component_data_objects(pyo.Var) if v.value is not None}
