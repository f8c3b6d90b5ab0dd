"""Schema of a sweep file (extra keys forbidden) and its loader: the base scenario, the design and the
parameters, each checked against the base scenario (a path that matches nothing is an error).

See docs/sweeps.md for the file format. Every problem is an InputError naming the sweep file, the key path
and what was expected (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from ..errors import InputError
from .library import Library, load_library
from .loader import _format, load_scenario, validate
from .scenario import Scenario
from .sweep_paths import Location, apply_mode, resolve_path
from .types import MAX_ABS_NUMBER, Id, Strict, Text
from .yamlio import check_tree, decode, parse_yaml, read_bytes

MAX_VARIANTS = 100_000  # a larger sweep is split into several files
Number = Annotated[float, Field(ge=-MAX_ABS_NUMBER, le=MAX_ABS_NUMBER)]
DESIGNS = ("oat", "grid", "lhs", "montecarlo", "morris", "sobol", "carbon_price")
SAMPLED = ("lhs", "montecarlo", "morris", "sobol")
IDENTITY = {"scale": 1.0, "add": 0.0, "shift": 0.0}  # the value that leaves a path unchanged


class Parameter(Strict):
    """One swept input: where (`path`), how (`mode`) and over what (a range, values or a distribution)."""

    name: Id | None = None  # column label in the store (default: the path)
    path: Annotated[str, Field(min_length=1, max_length=300)]
    mode: Literal["scale", "set", "add", "shift"] = "scale"
    low: Number | None = None
    high: Number | None = None
    values: list[Number] | None = Field(None, min_length=1, max_length=1000)
    distribution: Literal["uniform", "triangular", "normal", "lognormal"] | None = None
    peak: Number | None = None  # triangular
    mean: Number | None = None  # normal
    sd: Annotated[float, Field(gt=0, le=MAX_ABS_NUMBER)] | None = None  # normal
    median: Annotated[float, Field(gt=0, le=MAX_ABS_NUMBER)] | None = None  # lognormal
    sigma: Annotated[float, Field(gt=0, le=10)] | None = None  # lognormal, of log(value)
    base: Number | None = None  # value of the base variant (OAT centre); default: no change

    @model_validator(mode="after")
    def _shape(self):
        dist = self.distribution or ("uniform" if self.values is None else None)
        need = {"uniform": ("low", "high"), "triangular": ("low", "peak", "high"), "normal": ("mean", "sd"),
                "lognormal": ("median", "sigma"), None: ("values",)}[dist]
        allowed = set(need) | ({"low", "high"} if dist in ("normal", "lognormal") else set())
        given = {k for k in ("low", "high", "values", "peak", "mean", "sd", "median", "sigma")
                 if getattr(self, k) is not None}
        if self.values is not None and self.distribution is not None:
            raise ValueError("give either `values` or a `distribution`, not both")
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            what = f"distribution {dist}" if dist else "values"
            raise ValueError(f"{what} needs {', '.join(need)}; missing {', '.join(missing)}")
        extra = sorted(given - allowed)
        if extra:
            raise ValueError(f"{', '.join(extra)} not used by {'distribution ' + dist if dist else 'values'} "
                             f"(it takes {', '.join(need)})")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high (a truncated normal or lognormal needs both)")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low {self.low:g} must be below high {self.high:g}")
        if dist == "triangular" and not self.low <= self.peak <= self.high:
            raise ValueError(f"peak {self.peak:g} must lie within low..high")
        return self

    @property
    def label(self) -> str:
        return self.name or self.path

    @property
    def kind(self) -> str:
        """uniform | triangular | normal | lognormal | values."""
        return self.distribution or ("uniform" if self.values is None else "values")

    @property
    def centre(self) -> float | None:
        """Value of the base variant: `base`, else the mode's identity (None for `set`: unchanged)."""
        return self.base if self.base is not None else IDENTITY.get(self.mode)


class CarbonPriceDesign(Strict):
    """`design: carbon_price`: one variant per price (CNY/t), on the internal carbon price or the ETS price."""

    prices: list[Annotated[float, Field(ge=0, le=1e5)]] = Field(min_length=1, max_length=1000)
    applies_to: Literal["internal", "ets"] = "internal"


class SweepSolver(Strict):
    """Solver settings of every variant (override the base scenario's); threads default to 1 per worker."""

    time_limit: Annotated[float, Field(gt=0, le=1e6)] | None = None
    mip_rel_gap: Annotated[float, Field(ge=0, le=1)] | None = None
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    threads: int = Field(1, ge=1, le=256)
    # MIP start of every variant (docs/sweeps.md, "Speed"): `anchors` = the best of the base scenario's plan
    # and the plans of `anchors` variants spread over the design, solved once per sweep; `base` = the base
    # scenario's plan; `none`
    warm_start: Literal["anchors", "base", "none"] = "anchors"
    anchors: int | None = Field(None, ge=0, le=1000)  # None: n // 6 up to 168


class Sweep(Strict):
    """A validated sweep file."""

    name: Id | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    base: Annotated[str, Field(min_length=1, max_length=500)]  # scenario file, relative to the sweep file
    design: Literal["oat", "grid", "lhs", "montecarlo", "morris", "sobol", "carbon_price"]
    samples: int | None = Field(None, ge=1, le=MAX_VARIANTS)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    levels: int | None = Field(None, ge=2, le=100)  # grid: points per low/high range (3); morris: levels (4)
    second_order: bool = False  # sobol: also second-order indices (more variants)
    parameters: list[Parameter] = Field(default_factory=list, max_length=100)
    carbon_price: CarbonPriceDesign | None = None
    metrics: list[Literal["costs", "abatement", "electricity"]] = Field(default_factory=list, max_length=3)
    solver: SweepSolver = SweepSolver()
    note: Text | None = None

    @model_validator(mode="after")
    def _design(self):
        d = self.design
        if d in SAMPLED and self.samples is None:
            raise ValueError(f"design {d} needs `samples`")
        if d not in SAMPLED and self.samples is not None:
            raise ValueError(f"design {d} takes no `samples` (only {', '.join(SAMPLED)})")
        if d == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"design sobol needs `samples` a power of 2 (e.g. 64, 128, 256), got {self.samples}")
        if d == "carbon_price":
            if self.carbon_price is None:
                raise ValueError("design carbon_price needs `carbon_price: {prices: [...]}`")
            if self.parameters:
                raise ValueError("design carbon_price sweeps only the carbon price; remove `parameters`")
        else:
            if self.carbon_price is not None:
                raise ValueError(f"`carbon_price` is only used by design carbon_price, not {d}")
            if not self.parameters:
                raise ValueError(f"design {d} needs at least one entry in `parameters`")
        labels = [p.label for p in self.parameters]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise ValueError(f"duplicate parameter name {dup[0]!r}; give each parameter its own `name`")
        return self


@dataclass(frozen=True)
class SweepSpec:
    """A loaded sweep: the validated file, its base scenario (solver settings applied), the resolved
    locations of each parameter and a digest of everything that decides the variants."""

    sweep: Sweep
    file: str
    base: Scenario
    parameters: tuple[Parameter, ...]
    locations: tuple[tuple[Location, ...], ...]
    digest: str

    @property
    def name(self) -> str:
        return self.sweep.name or self.base.name


def carbon_parameter(cp: CarbonPriceDesign) -> Parameter:
    """The one parameter of a carbon-price sweep."""
    path = "internal_carbon_price.price_cny_per_t" if cp.applies_to == "internal" else "prices.ets"
    return Parameter(name="carbon_price", path=path, mode="set", values=cp.prices)


def _corners(p: Parameter) -> list[float]:
    """Extreme values a parameter takes (checked on the base scenario when the sweep is loaded)."""
    if p.values is not None:
        return [min(p.values), max(p.values)]
    if p.low is not None:
        return [p.low, p.high]
    if p.kind == "normal":
        return [p.mean - 3 * p.sd, p.mean + 3 * p.sd]
    return [p.median * math.exp(-3 * p.sigma), p.median * math.exp(3 * p.sigma)]


def validate_dumped(raw: dict, file: str, lib: Library) -> Scenario:
    """Validate a dumped scenario (templates already applied). A cost index a template names but the scenario
    does not define means index 1: it is written as none, so that validation does not take it as a typo."""
    indices = (raw.get("trajectories") or {}).get("capex_index") or {}
    for m in raw.get("measures") or []:
        if isinstance(m, dict) and m.get("cost_index") is not None and m["cost_index"] not in indices:
            m["cost_index"] = None
    return validate(raw, file, lib)


def apply_values(sc: Scenario, raw: dict, params: tuple[Parameter, ...], locations, values, lib: Library,
                 file: str) -> Scenario:
    """The scenario with each parameter at its value (None: unchanged), validated."""
    for p, locs, x in zip(params, locations, values, strict=True):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            continue
        for loc in locs:
            loc.write(raw, apply_mode(loc.read(raw, sc, lib), p.mode, float(x), loc, sc))
    return validate_dumped(raw, file, lib)


def _digest(sweep: Sweep, base: Scenario) -> str:
    text = json.dumps([sweep.model_dump(mode="python"), base.model_dump(mode="python")], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_sweep(path: str | Path, root: str | Path | None = None) -> SweepSpec:
    """Read and validate a sweep file, load its base scenario and check every parameter on it."""
    path = Path(path)
    file = str(path)
    raw = parse_yaml(decode(read_bytes(path, file, "sweep file"), file), file)
    if not isinstance(raw, dict):
        raise InputError(file, "", "expected a mapping of sweep keys at the top level (base, design, parameters)")
    check_tree(raw, file)
    try:
        sweep = Sweep.model_validate(raw)
    except ValidationError as exc:
        raise _format(exc, raw, file) from None
    base_path = path.resolve().parent / sweep.base
    if not base_path.is_file():
        raise InputError(file, "base", f"scenario file {sweep.base!r} not found (relative to the sweep file)")
    base = load_scenario(base_path, root)
    over = {k: v for k, v in sweep.solver.model_dump(exclude={"warm_start", "anchors"}).items() if v is not None}
    base = base.model_copy(update={"solver": base.solver.model_copy(update=over)})
    return spec_of(sweep, base, file)


def spec_of(sweep: Sweep, base: Scenario, file: str) -> SweepSpec:
    """Resolve every parameter's path on the base scenario and check its extreme values validate."""
    lib = load_library()
    base = validate_dumped(base.model_dump(mode="python"), file, lib)
    params = (carbon_parameter(sweep.carbon_price),) if sweep.design == "carbon_price" else tuple(sweep.parameters)
    where = ["carbon_price"] if sweep.design == "carbon_price" else [f"parameters[{i}]" for i in range(len(params))]
    dumped = base.model_dump(mode="python")
    locations = []
    for p, key in zip(params, where, strict=True):
        locs = resolve_path(p.path, dumped, base, lib, file, f"{key}.path")
        for loc in locs:
            problem = loc.check_mode(p.mode, loc.read(dumped, base, lib))
            if problem:
                raise InputError(file, f"{key}.mode", problem)
        locations.append(tuple(locs))
    for p, key in zip(params, where, strict=True):
        for x in _corners(p):
            vals = [x if q is p else None for q in params]
            try:
                apply_values(base, base.model_dump(mode="python"), params, locations, vals, lib, file)
            except InputError as exc:
                raise InputError(file, key, f"at {x:g} the scenario is invalid: {exc.path}: {exc.message}") from None
    return SweepSpec(sweep, file, base, params, tuple(locations), _digest(sweep, base))
