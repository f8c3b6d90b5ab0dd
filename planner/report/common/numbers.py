"""Number formats of the report's tables (issue 24: a year never reads '2,024', a share never '0.8' for 80%)."""

from __future__ import annotations


def percent(share: float) -> str:
    """A share as a percentage: 0.8 -> '80%', 0.125 -> '12.5%'."""
    x = 100 * share
    return f"{x:.0f}%" if abs(x - round(x)) < 0.05 else f"{x:.1f}%"


def year(v: float) -> str:
    """A year: 2024.0 -> '2024' (no thousands separator)."""
    return str(int(round(v)))


def year_ticks(lo: int, hi: int, marks=()) -> list[int]:
    """Year ticks from lo to hi: every 5 (10 past 40 years) years, the horizon end `hi` and every year in
    `marks` (target years) always; the start and the round years only where they keep two years (four past
    40) from a tick that must show."""
    step = 5 if hi - lo <= 40 else 10
    must = sorted({int(hi)} | {int(m) for m in marks if lo <= m <= hi})
    ticks = list(must)
    for y in [int(lo)] + list(range(-(-int(lo) // step) * step, int(hi), step)):
        if all(abs(y - t) >= (2 if step == 5 else 4) for t in ticks):
            ticks.append(y)
    return sorted(ticks)
