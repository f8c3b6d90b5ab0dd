"""The pre-solve gate: every step `planner run` takes before it builds the model, in one function that
`run_plan` and `planner validate` (and `planner.validate`) share, so that a scenario `validate` accepts meets
no input error in `run`: the data library, drivers and the BAU frame, the base-year inventory, the model
inputs (magnitude limits, hourly profiles and tariffs, the representative days) and the target rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..schemas import Scenario, load_scenario
from ..schemas.library import Library, load_library
from . import baseline as bl
from .inputs import ModelInputs, build_inputs
from .targets import TargetYear, target_years


@dataclass(frozen=True)
class Prepared:
    """What the solve starts from: the scenario, its library and every frame derived before the model."""

    scenario: Scenario
    library: Library
    drivers: bl.Drivers
    bau: pd.DataFrame
    inventory: pd.DataFrame
    inputs: ModelInputs
    targets: list[TargetYear]


def prepare(sc: Scenario, lib: Library | None = None) -> Prepared:
    """Run the pre-solve pipeline of a validated scenario; raises InputError (exit 2) as `run` would."""
    lib = lib or load_library()
    drv = bl.drivers(sc, lib)
    bau = bl.bau_emissions(sc, drv, lib)
    inv = bl.inventory(sc, lib, drv)
    inp = build_inputs(sc, lib, drv)
    rows = target_years(sc, bau, drv)
    return Prepared(sc, lib, drv, bau, inv, inp, rows)


def validate(scenario: Scenario | str | Path, root: str | Path | None = None) -> Scenario:
    """Every check `planner run` makes before it solves (schema, cross-field checks, data library, baseline,
    model inputs, hourly profiles, target rows): the validated Scenario, or InputError. `root`: the folder
    tree `extends` may reach (as `load_scenario`)."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, root)
    prepare(sc)
    return sc


__all__ = ["Prepared", "prepare", "validate"]
