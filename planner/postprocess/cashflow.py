"""NPV, IRR and payback of one yearly cash-flow series (money in > 0), each with the reason where it is none.

The three read the same series f_0..f_T (t = years from the series' first year):
- NPV at rate r = Σ_t f_t (1 + r)^−t (the caller discounts to its base year; the sign is the same);
- IRR = the rate at which the NPV is zero, reported only where the NPV is positive at every lower rate and
  negative at every higher one (one crossing, from + to −, on a grid of rates from −99% to 10,000%, refined
  by bisection), so that NPV < 0 at r means IRR < r and NPV > 0 means IRR > r; otherwise NaN with a note
  (two crossings closer than one grid step, about 0.5% in 1 + r, would be missed);
- payback = the number of years, counting the series' first year as 1, until the cumulative undiscounted cash
  flow is first ≥ 0 (a later reinvestment may take it below zero again); NaN ("never pays back within the
  horizon") when it never is.
"""

from __future__ import annotations

import math

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


def irr(flows: np.ndarray) -> tuple[float, str]:
    """(IRR, "") or (NaN, why there is none); see the module doc."""
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
    rates = np.expm1(np.linspace(math.log1p(LO), math.log1p(HI), GRID))
    t = np.arange(len(f))
    values = (f[None, :] * (1.0 + rates[:, None]) ** -t[None, :]).sum(axis=1)
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
    lo, hi = float(rates[pos[-1]]), float(rates[neg[0]])
    for _ in range(200):
        mid = (lo + hi) / 2
        if npv(f, mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return (lo + hi) / 2, ""


def payback(flows: np.ndarray) -> tuple[float, str]:
    """(years until the cumulative flow is ≥ 0, counting the first year as 1, "") or (NaN, why not)."""
    f = np.asarray(flows, dtype=float)
    tol = _tol(f)
    if not (np.abs(f) > tol).any():
        return math.nan, NO_FLOWS
    ok = np.flatnonzero(np.cumsum(f) >= -tol)
    return (float(ok[0] + 1), "") if len(ok) else (math.nan, NEVER_PAYS_BACK)
