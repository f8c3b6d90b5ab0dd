"""What a built model reads: the mutable parameter entries its constraints, objective and variable bounds
use, and whether new inputs would change any of them (a sweep's check that a parameter changes the model,
planner/studies/sweep/effects.py)."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_mutable_parameters

from ..preprocess.inputs import ModelInputs
from ..preprocess.targets import TargetYear
from .builder import BuiltModel
from .resolve import structural_change, update_in_place


def read_parameters(m: pyo.ConcreteModel) -> list:
    """The mutable parameter entries an active constraint, the objective or a variable bound reads."""
    found: dict[int, object] = {}
    exprs = [c.expr for c in m.component_data_objects(pyo.Constraint, active=True)]
    exprs += [o.expr for o in m.component_data_objects(pyo.Objective, active=True)]
    for v in m.component_data_objects(pyo.Var):
        exprs += [b for b in (v._lb, v._ub) if b is not None and type(b) not in (int, float)]
    for e in exprs:
        for p in identify_mutable_parameters(e):
            found[id(p)] = p
    return list(found.values())


def model_difference(built: BuiltModel, params: list, inp: ModelInputs, rows: list[TargetYear]) -> str:
    """What differs between `built` and the model `inp`/`rows` give: a structural change, new discount
    factors or the first read parameter entry (`params`: read_parameters) whose value changes; '' when
    nothing does. `built` is left as it was."""
    reason = structural_change(built, inp, rows)
    if reason is not None:
        return reason
    old, old_rows = built.inp, built.targets
    if inp.discount != old.discount:
        return "discount factors"
    before = [p.value for p in params]
    update_in_place(built, inp, rows)
    try:
        changed = next((p for p, x in zip(params, before, strict=True) if p.value != x), None)
    finally:
        update_in_place(built, old, old_rows)
    return "" if changed is None else changed.name
