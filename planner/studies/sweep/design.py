"""Designs: the table of variants of a sweep (one row per variant, one column per parameter).

Sampling designs draw positions in the unit cube (SALib for lhs, morris and sobol; numpy for montecarlo)
and map each column through its parameter's distribution (inverse CDF). Same sweep file and seed, same
variants. Variant 0 of `oat` is the base; then each parameter's low and high (or each of its values) with
the others at their base.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ...errors import InputError
from ...schemas.sweep import MAX_VARIANTS, Parameter, SweepSpec

UNBOUNDED_TAIL = 1e-3  # unbounded distributions are cut at these quantiles (morris/sobol reach 0 and 1)
OAT_QUANTILES = (0.1, 0.9)  # OAT low/high of a distribution without low/high: its P10 and P90


@dataclass(frozen=True)
class Design:
    """values[i, j]: parameter j in variant i (NaN: unchanged); unit[i, j]: its position in [0, 1] (NaN when
    not sampled); level[i][j]: base | low | high | value | sample."""

    values: np.ndarray
    unit: np.ndarray
    level: list[list[str]]
    problem: dict  # the SALib problem (unit bounds), for the analyses of sampled designs

    def __len__(self) -> int:
        return len(self.values)


def _dist(p: Parameter):
    if p.kind == "triangular":
        return stats.triang(c=(p.peak - p.low) / (p.high - p.low), loc=p.low, scale=p.high - p.low)
    if p.kind == "normal":
        return stats.norm(loc=p.mean, scale=p.sd)
    if p.kind == "lognormal":
        return stats.lognorm(s=p.sigma, scale=p.median)
    return stats.uniform(loc=p.low, scale=p.high - p.low)


def to_value(p: Parameter, u: np.ndarray) -> np.ndarray:
    """Parameter values at unit positions u (inverse CDF; `values` are picked in equal slices)."""
    u = np.asarray(u, dtype=float)
    if p.values is not None:
        vals = np.array(p.values, dtype=float)
        return vals[np.minimum((u * len(vals)).astype(int), len(vals) - 1)]
    d = _dist(p)
    if p.kind in ("normal", "lognormal"):
        lo, hi = ((d.cdf(p.low), d.cdf(p.high)) if p.low is not None else (UNBOUNDED_TAIL, 1 - UNBOUNDED_TAIL))
        u = lo + u * (hi - lo)
    return d.ppf(u)


def _points(p: Parameter, n: int | None) -> tuple[list[float], list[str]]:
    """OAT (n None: low/high) or grid points (n per range) of a parameter, with their levels."""
    if p.values is not None:
        return list(p.values), ["value"] * len(p.values)
    if n is None:
        xs = [p.low, p.high] if p.low is not None else list(_dist(p).ppf(np.array(OAT_QUANTILES)))
        return [float(x) for x in xs], ["low", "high"]
    if p.kind == "uniform":
        return [float(x) for x in np.linspace(p.low, p.high, n)], ["value"] * n
    if p.low is not None:  # a truncated normal or lognormal: quantiles within low..high
        return [float(x) for x in to_value(p, (np.arange(n) + 0.5) / n)], ["value"] * n
    return [float(x) for x in _dist(p).ppf((np.arange(n) + 0.5) / n)], ["value"] * n


def base_row(params: tuple[Parameter, ...]) -> list[float]:
    """The base variant: each parameter at its centre (NaN: unchanged)."""
    return [math.nan if p.centre is None else p.centre for p in params]


def make_design(spec: SweepSpec) -> Design:
    """The variants of a sweep, in variant order."""
    sw, params = spec.sweep, spec.parameters
    k = len(params)
    problem = {"num_vars": k, "names": [p.label for p in params], "bounds": [[0.0, 1.0]] * k}
    if sw.design == "oat":
        rows, levels = [base_row(params)], [["base"] * k]
        for j, p in enumerate(params):
            for x, lev in zip(*_points(p, None), strict=True):
                row = base_row(params)
                row[j] = x
                rows.append(row)
                levels.append(["base" if i != j else lev for i in range(k)])
        return Design(np.array(rows, dtype=float), np.full((len(rows), k), np.nan), levels, problem)
    if sw.design in ("grid", "carbon_price"):
        pts = [_points(p, sw.levels or 3) for p in params]
        n = math.prod(len(x) for x, _ in pts)
        if n > MAX_VARIANTS:
            raise InputError(spec.file, "parameters", f"the grid has {n:,} variants, more than the limit of "
                             f"{MAX_VARIANTS:,}; use fewer values or levels, or a sampling design (lhs)")
        rows = [list(r) for r in itertools.product(*(x for x, _ in pts))]
        return Design(np.array(rows, dtype=float), np.full((n, k), np.nan), [["value"] * k for _ in rows], problem)
    unit = _unit_sample(spec, problem)
    values = np.column_stack([to_value(p, unit[:, j]) for j, p in enumerate(params)])
    if len(values) > MAX_VARIANTS:
        raise InputError(spec.file, "samples", f"{sw.design} with {sw.samples} samples gives {len(values):,} "
                         f"variants, more than the limit of {MAX_VARIANTS:,}")
    return Design(values, unit, [["sample"] * k for _ in range(len(values))], problem)


def _unit_sample(spec: SweepSpec, problem: dict) -> np.ndarray:
    from SALib.sample import latin, morris, sobol

    sw = spec.sweep
    if sw.design == "montecarlo":
        return np.random.default_rng(sw.seed).random((sw.samples, problem["num_vars"]))
    if sw.design == "lhs":
        return latin.sample(problem, sw.samples, seed=sw.seed)
    if sw.design == "morris":
        return morris.sample(problem, sw.samples, num_levels=sw.levels or 4, seed=sw.seed)
    return sobol.sample(problem, sw.samples, calc_second_order=sw.second_order, seed=sw.seed)


def anchor_rows(design: Design, k: int) -> list[int]:
    """k variants spread over the design (farthest-point sampling from the base, in unit coordinates; a
    parameter a variant leaves unchanged sits at the centre): their plans are the sweep's candidate MIP
    starts (docs/sweeps.md, "Speed"). Deterministic: ties go to the lower variant number."""
    n = len(design)
    if k <= 0 or n == 0:
        return []
    x = design.unit.copy()
    if x.size == 0:
        return []
    vals = design.values
    for j in range(x.shape[1]):  # designs without unit positions (oat, grid, values): scale the values
        col = vals[:, j]
        if np.isnan(x[:, j]).all() and np.isfinite(col).any():
            lo, hi = np.nanmin(col), np.nanmax(col)
            x[:, j] = (col - lo) / (hi - lo) if hi > lo else 0.5
    x = np.where(np.isnan(x), 0.5, x)
    dist = np.linalg.norm(x - 0.5, axis=1)  # distance to the base (every parameter at its centre)
    chosen: list[int] = []
    for _ in range(min(k, n)):
        i = int(np.argmax(dist))  # first index of the largest distance
        if dist[i] <= 0:
            break
        chosen.append(i)
        dist = np.minimum(dist, np.linalg.norm(x - x[i], axis=1))
    return chosen
