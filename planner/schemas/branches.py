"""Schema of a branches file (`planner robust SCENARIO --branches FILE`, docs/robust.md) and its loader.

A branches file describes a two-stage scenario tree: the decision year that splits it, the parameters the
branches change (sweep parameter paths and modes, planner/schemas/sweep_paths.py) and either the branches
with their probabilities and values, or a draw from a sweep file's distributions. Every path is resolved on
the scenario; every problem is an InputError naming the file, the key path and what was expected (exit 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from ..errors import InputError
from .library import load_library
from .loader import _format
from .scenario import Scenario
from .sweep import IDENTITY, Number, Parameter, apply_values, load_sweep
from .sweep_paths import Location, resolve_path
from .types import Id, Strict, Text, Year
from .yamlio import check_tree, decode, parse_yaml, read_bytes

MAX_BRANCHES = 64
PROBABILITY_TOLERANCE = 1e-6  # branch probabilities must sum to 1 within this


class BranchParameter(Strict):
    """A parameter the branches change: a sweep parameter path and how a value applies there."""

    name: Id
    path: Annotated[str, Field(min_length=1, max_length=300)]
    mode: Literal["scale", "set", "add", "shift"] = "scale"


class Branch(Strict):
    """One branch of the tree: its probability and the value of each parameter it changes (others unchanged)."""

    name: Id
    probability: Annotated[float, Field(gt=0, le=1)]
    values: dict[Id, Number] = Field(default_factory=dict)
    note: Text | None = None


class Sample(Strict):
    """Branches drawn from a sweep file's parameter distributions (Latin hypercube), each of probability 1/count."""

    sweep: Annotated[str, Field(min_length=1, max_length=500)]  # sweep file, relative to the branches file
    count: int = Field(ge=2, le=MAX_BRANCHES)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class Risk(Strict):
    """Objective of the stochastic roadmap: expected NPV, expected NPV blended with CVaR, or minimax regret."""

    objective: Literal["expected", "cvar", "regret"] = "expected"
    cvar_weight: Annotated[float, Field(ge=0, le=1)] = 0.5  # lambda: (1 - lambda) E[NPV] + lambda CVaR
    cvar_alpha: Annotated[float, Field(ge=0, lt=1)] = 0.9  # CVaR of the worst (1 - alpha) of the probability


class BranchFile(Strict):
    """A validated branches file."""

    name: Id | None = None
    description: Text | None = None
    split_year: Year  # investment decisions in earlier years are shared by every branch
    parameters: list[BranchParameter] = Field(default_factory=list, max_length=100)
    branches: list[Branch] = Field(default_factory=list, max_length=MAX_BRANCHES)
    sample: Sample | None = None
    risk: Risk = Risk()

    @model_validator(mode="after")
    def _shape(self):
        if (self.sample is None) != bool(self.branches):
            raise ValueError("give either `branches` (with `parameters`) or `sample`, one of them")
        if self.sample is not None:
            if self.parameters:
                raise ValueError("`sample` takes its parameters from the sweep file; remove `parameters`")
            return self
        if len(self.branches) < 2:
            raise ValueError("a tree needs at least 2 branches")
        names = [b.name for b in self.branches]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"duplicate branch name {dup[0]!r}")
        known = {p.name for p in self.parameters}
        if len(known) < len(self.parameters):
            raise ValueError("duplicate parameter name")
        for b in self.branches:
            unknown = sorted(set(b.values) - known)
            if unknown:
                raise ValueError(f"branch {b.name!r} sets {unknown[0]!r}, which is not in `parameters`")
        total = sum(b.probability for b in self.branches)
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            raise ValueError(f"branch probabilities sum to {total:.6g}, not 1")
        return self


@dataclass(frozen=True)
class TreeSpec:
    """A loaded tree: the scenario, the split year, the risk setting and one validated scenario per branch,
    plus the average branch (each parameter at its probability-weighted mean) for the value of the
    stochastic solution."""

    file: str
    base: Scenario
    split_year: int
    risk: Risk
    names: tuple[str, ...]
    probabilities: tuple[float, ...]
    values: tuple[dict[str, float], ...]  # per branch: parameter name -> value
    scenarios: tuple[Scenario, ...]
    mean_values: dict[str, float]
    mean_scenario: Scenario


def _read(path: Path) -> dict:
    file = str(path)
    raw = parse_yaml(decode(read_bytes(path, file, "branches file"), file), file)
    if not isinstance(raw, dict):
        raise InputError(file, "", "expected a mapping of keys at the top level (split_year, parameters, branches)")
    check_tree(raw, file)
    return raw


def parse_branch_file(raw: dict, file: str) -> BranchFile:
    try:
        return BranchFile.model_validate(raw)
    except ValidationError as exc:
        raise _format(exc, raw, file) from None


def read_branch_file(path: str | Path) -> BranchFile:
    """Read and validate a branches file (its paths are resolved by `tree_spec`)."""
    path = Path(path)
    return parse_branch_file(_read(path), str(path))


def sweep_parameters(bf: BranchFile, folder: Path, file: str) -> list[Parameter]:
    """The parameters (with their distributions) of the sweep file a sampled tree draws from."""
    sweep_path = folder / bf.sample.sweep
    if not sweep_path.is_file():
        raise InputError(file, "sample.sweep", f"sweep file {bf.sample.sweep!r} not found (relative to the file)")
    return list(load_sweep(sweep_path).parameters)


def tree_spec(bf: BranchFile, base: Scenario, file: str, drawn: tuple[list[Parameter], list[dict]] | None = None
              ) -> TreeSpec:
    """Resolve the parameters on `base`, validate one scenario per branch and the average branch. `drawn`: a
    sampled tree's sweep parameters and one {name: value} per branch (equal probabilities)."""
    if drawn is not None:
        params = [BranchParameter.model_construct(name=p.label, path=p.path, mode=p.mode) for p in drawn[0]]
        values = drawn[1]
        names = [f"b{i}" for i in range(len(values))]
        probs = [1.0 / len(values)] * len(values)
    else:
        params = list(bf.parameters)
        names = [b.name for b in bf.branches]
        probs = [b.probability for b in bf.branches]
        values = [dict(b.values) for b in bf.branches]
    years = base.years
    if not years[0] < bf.split_year <= years[-1]:
        raise InputError(file, "split_year", f"expected a year after {years[0]} and at most {years[-1]} "
                                             f"(the scenario's model years), got {bf.split_year}")
    lib = load_library()
    dumped = base.model_dump(mode="python")
    locations: list[tuple[Location, ...]] = []
    for i, p in enumerate(params):
        locs = resolve_path(p.path, dumped, base, lib, file, f"parameters[{i}].path")
        for loc in locs:
            problem = loc.check_mode(p.mode, loc.read(dumped, base, lib))
            if problem:
                raise InputError(file, f"parameters[{i}].mode", problem)
        locations.append(tuple(locs))
    mean: dict[str, float] = {}
    for p in params:
        centre = IDENTITY.get(p.mode)
        xs = [v.get(p.name, centre) for v in values]
        if any(x is None for x in xs):
            raise InputError(file, "branches", f"parameter {p.name!r} (mode set) needs a value in every branch "
                                               "(the average branch is their probability-weighted mean)")
        mean[p.name] = float(sum(q * x for q, x in zip(probs, xs, strict=True)))

    def scenario(vals: dict[str, float], label: str) -> Scenario:
        row = [vals.get(p.name, math.nan) for p in params]
        raw = base.model_dump(mode="python")
        raw["name"] = base.name
        try:
            return apply_values(base, raw, tuple(params), tuple(locations), row, lib, f"{file} ({label})")
        except InputError as exc:
            raise InputError(file, label, f"the scenario is invalid: {exc.path}: {exc.message}") from None

    scenarios = tuple(scenario(v, f"branches[{n}]") for v, n in zip(values, names, strict=True))
    return TreeSpec(file, base, bf.split_year, bf.risk, tuple(names), tuple(probs), tuple(values), scenarios,
                    mean, scenario(mean, "average branch"))


__all__ = ["Branch", "BranchFile", "BranchParameter", "Risk", "Sample", "TreeSpec", "parse_branch_file",
           "read_branch_file", "sweep_parameters", "tree_spec"]
