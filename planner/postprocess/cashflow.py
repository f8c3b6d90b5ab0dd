"""NPV, IRR and payback of one yearly cash-flow series (money in > 0), each with the reason where it is none.

The three read the same series f_0..f_T (t = years from the series' first year):
- NPV at rate r = Σ_t f_t (1 + r)^−t (the caller discounts to its base year; the sign is the same);
- IRR = the rate at which the NPV is zero, reported only where the NPV is positive at every lower rate and
  negative at every higher one (one crossing, from + to −, on a grid of rates from −99% to 10,000%, refined
  by bisection), so that NPV < 0 at r means IRR < r and NPV > 0 means IRR > r; otherwise NaN with a note
  (two crossings closer than one grid step, about 0.5% in 1 + r, would be missed);
- payback = the years from the start of the series until the money put in is recovered: capex paid at the
  start of its year, the rest of a year's flow accruing evenly through it, linear within the year (a later
  reinvestment may take the position below zero again); NaN ("never pays back within the horizon") when it
  never is recovered.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

LO, HI = -0.99, 100.0  # the rates searched for an IRR
GRID = 2000
NO_FLOWS = "no cash flows"
NEVER_POSITIVE = "cash flows never positive"
NEVER_NEGATIVE = "cash flows never negative (no investment to earn a return on)"
NO_ROOT = "no rate makes the NPV zero"
SEVERAL = "several rates make the NPV zero (cash flows change sign more than once)"
LOAN = "money in before money out (a loan, not an investment)"
BELOW_RANGE = "rate of return below -99%"
ABOVE_RANGE = "rate of return above 10,000%"
NEVER_PAYS_BACK = "never pays back within the horizon"


def _tol(flows: np.ndarray) -> float:
    return 1e-9 * float(np.abs(flows).max(initial=0.0)) + 1e-6


def first_flow(flows: np.ndarray) -> int | None:
    """Index of the first cash flow that is not zero (beyond solver noise), None when all are."""
    f = np.asarray(flows, dtype=float)
    nz = np.flatnonzero(np.abs(f) > _tol(f))
    return int(nz[0]) if len(nz) else None


def npv(flows: np.ndarray, rate: float) -> float:
    """Σ_t f_t (1 + rate)^−t."""
    t = np.arange(len(flows))
    return float((np.asarray(flows, dtype=float) / (1.0 + rate) ** t).sum())


@lru_cache(maxsize=32)
def _grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(the rates searched, their discount factors (1 + rate)^-t for t = 0..n-1): one table per series length,
    read-only, shared by every series of that length."""
    rates = np.expm1(np.linspace(math.log1p(LO), math.log1p(HI), GRID))
    t = np.arange(n)
    factors = (1.0 + rates[:, None]) ** -t[None, :]
    rates.flags.writeable = factors.flags.writeable = False
    return rates, factors


def irr(flows: np.ndarray) -> tuple[float, str]:
    """(IRR, "") or (NaN, why there is none); see the module doc."""
    return irrs([flows])[0]


def irrs(series: list[np.ndarray]) -> list[tuple[float, str]]:
    """`[irr(f) for f in series]`, the same floats, faster for many series: the bisections of the series of one
    length run side by side (each row the operations the one-series bisection does, so the same bits)."""
    out: list[tuple[float, str]] = [(math.nan, "")] * len(series)
    by_length: dict[int, list[tuple[int, np.ndarray, float, float]]] = {}
    for i, flows in enumerate(series):
        found = _bracket(flows)
        if isinstance(found[1], str):
            out[i] = found
        else:
            f, lo, hi = found
            by_length.setdefault(len(f), []).append((i, f, lo, hi))
    for n, group in by_length.items():
        f = np.array([g[1] for g in group])
        lo, hi = np.array([g[2] for g in group]), np.array([g[3] for g in group])
        t = np.arange(n)
        rows = np.arange(len(group))  # the series still bisecting
        for _ in range(200):
            mid = (lo[rows] + hi[rows]) / 2
            up = (f[rows] / (1.0 + mid[:, None]) ** t).sum(axis=1) > 0  # npv(f, mid) > 0, row by row
            lo[rows[up]], hi[rows[~up]] = mid[up], mid[~up]
            rows = rows[~(hi[rows] - lo[rows] < 1e-12)]
            if not len(rows):
                break
        for (i, *_), a, b in zip(group, lo.tolist(), hi.tolist(), strict=True):
            out[i] = ((a + b) / 2, "")
    return out


def _bracket(flows: np.ndarray) -> tuple[np.ndarray, float, float] | tuple[float, str]:
    """(the series from its first flow, the searched rates next to its one root (NPV > 0 at `lo`, < 0 at
    `hi`)), or (NaN, why there is no IRR)."""
    f = np.asarray(flows, dtype=float)
    tol = _tol(f)
    nz = np.flatnonzero(np.abs(f) > tol)
    if not len(nz):
        return math.nan, NO_FLOWS
    f, nz = f[nz[0]:], nz - nz[0]  # leading zeros move every term alike: the same rates, better conditioned
    if f.max() <= tol:
        return math.nan, NEVER_POSITIVE
    if f.min() >= -tol:
        return math.nan, NEVER_NEGATIVE
    rates, factors = _grid(len(f))
    values = (f[None, :] * factors).sum(axis=1)
    # the NPV's sign for rates just above -100% (the last flow dominates) and towards +infinity (the first)
    signs = np.r_[np.sign(f[nz[-1]]), np.sign(values), np.sign(f[nz[0]])]
    signs = signs[signs != 0]
    changes = np.flatnonzero(signs[1:] != signs[:-1])
    if len(changes) == 0:
        return math.nan, NO_ROOT
    if len(changes) > 1:
        return math.nan, SEVERAL
    if signs[0] < 0:
        return math.nan, LOAN
    pos = np.flatnonzero(values > 0)
    neg = np.flatnonzero(values < 0)
    if not len(pos):  # negative at every searched rate: the NPV turns positive only below -99%
        return math.nan, BELOW_RANGE
    if not len(neg):
        return math.nan, ABOVE_RANGE
    return f, float(rates[pos[-1]]), float(rates[neg[0]])


def payback(flows: np.ndarray, outlay: np.ndarray | None = None) -> tuple[float, str]:
    """(years from the start of the series until the money put in is recovered, "") or (NaN, why not).

    The position starts at 0. Each year t, its `outlay[t]` (capex, >= 0; none when not given) is paid at the
    start of the year, and the rest of its flow (f_t + outlay_t) accrues evenly through the year. Payback is
    the first moment the position, having been negative, is back at 0 (linear within the year): so the
    cumulative undiscounted cash flow at the end of year ceil(payback) - 1 is >= 0. 0 when the position is
    never negative; NaN ("never pays back within the horizon") when it never comes back."""
    f = np.asarray(flows, dtype=float)
    tol = _tol(f)
    if not (np.abs(f) > tol).any():
        return math.nan, NO_FLOWS
    out = np.zeros_like(f) if outlay is None else np.clip(np.asarray(outlay, dtype=float), 0.0, None)
    pos, negative = 0.0, False
    for t in range(len(f)):
        pos -= out[t]
        negative |= pos < -tol
        gain = f[t] + out[t]
        if negative and pos < -tol and pos + gain >= -tol and gain > 0:
            return t + min(1.0, -pos / gain), ""
        pos += gain
        negative |= pos < -tol
    return (0.0, "") if not negative else (math.nan, NEVER_PAYS_BACK)
