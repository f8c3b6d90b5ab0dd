"""Does each swept parameter change the model? Checked once per sweep, before any variant is solved.

Each parameter is set alone (the others at their base) to the values the design gives it (its extremes
when it has more than MAX_CHECKED distinct values) and compared with the base variant: first the model
inputs, target rows and solver settings (`ModelInputs` field by field), then, when only coefficients
differ, the numbers the base model reads (its mutable parameters after an in-place update: a price of a
carrier no site or measure uses is in the inputs but read by no constraint). A parameter that changes
nothing at any of its values has variants that all solve the base model; the run warns, the store keeps
the rows (`parameter_effects`) and the report marks the parameter (docs/sweeps.md, "Parameters that
change nothing").
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from ...backend import build_model
from ...backend.builder import BuiltModel
from ...backend.reads import model_difference, read_parameters
from ...errors import PlannerError
from ...preprocess.inputs import ModelInputs
from ...schemas.scenario import Scenario
from ...schemas.sweep import SweepSpec
from .design import Design, base_row
from .engine import Worker

MAX_CHECKED = 10  # a parameter with more distinct values in the design is checked at its extremes
COLUMNS = ["parameter", "position", "value", "changes_model", "inputs_difference", "model_difference"]


def inputs_difference(a: ModelInputs, b: ModelInputs) -> str | None:
    """The first field of the model inputs that differs (the scenario name aside), or None."""
    for f in dataclasses.fields(ModelInputs):
        if f.name != "name" and getattr(a, f.name) != getattr(b, f.name):
            return f.name
    return None


class _Base:
    """The base variant (every parameter at its base): its scenario, inputs, target rows and, built on
    first need, its model with the parameter entries the model reads."""

    def __init__(self, sc: Scenario, inp: ModelInputs, rows: list):
        self.sc, self.inp, self.rows = sc, inp, rows
        self.built: BuiltModel | None = None
        self.params: list = []

    def model(self) -> BuiltModel:
        if self.built is None:
            self.built = build_model(self.inp, self.rows)
            self.params = read_parameters(self.built.m)
        return self.built

    def model_difference(self, inp: ModelInputs, rows: list) -> str:
        """What differs in the model built from inp/rows ('' when nothing does)."""
        return model_difference(self.model(), self.params, inp, rows)


def checked_values(column: np.ndarray, centre: float) -> list[float]:
    """The values of a design column to check: every distinct one but the base (`centre`), or the extremes
    beyond MAX_CHECKED; the base itself when the column holds nothing else."""
    xs = sorted({float(x) for x in column if not math.isnan(x) and x != centre})
    if not xs:
        return [] if math.isnan(centre) else [float(centre)]
    return xs if len(xs) <= MAX_CHECKED else [xs[0], xs[-1]]


def parameter_effects(spec: SweepSpec, design: Design) -> pd.DataFrame:
    """One row per parameter and checked value: whether it changes the model, and the first difference
    in the inputs and in the model ('' when none; `changes_model` NA when the variant is invalid)."""
    w = Worker(spec)
    centre = np.array(base_row(spec.parameters), dtype=float)
    rows: list[dict] = []
    base: _Base | None = None
    why = ""  # when the base variant is invalid: nothing can be compared
    try:
        sc, inp, trows, _ = w._prepare(0, centre)
        base = _Base(sc, inp, trows)
    except PlannerError as exc:
        why = f"base variant invalid: {exc}"
    for j, p in enumerate(spec.parameters):
        for x in checked_values(design.values[:, j], centre[j]):
            row = dict(parameter=p.label, position=j, value=x, changes_model=pd.NA, inputs_difference="",
                       model_difference="")
            rows.append(row)
            if base is None:
                row["inputs_difference"] = why
                continue
            vals = centre.copy()
            vals[j] = x
            try:
                vsc, vinp, vrows, _ = w._prepare(0, vals)
            except PlannerError as exc:
                row["inputs_difference"] = f"invalid: {exc}"
                continue
            diff = ("solver settings" if vsc.solver != base.sc.solver else inputs_difference(base.inp, vinp)
                    or ("target rows" if vrows != base.rows else ""))
            row["inputs_difference"] = diff
            try:
                model = diff if diff in ("solver settings", "target rows") else (
                    base.model_difference(vinp, vrows) if diff else "")
            except PlannerError as exc:  # the base model cannot be built: unknown
                row["model_difference"] = f"base model not built: {exc}"
                continue
            row.update(changes_model=bool(model), model_difference=model)
    return pd.DataFrame(rows, columns=COLUMNS).astype({"changes_model": "boolean"})
