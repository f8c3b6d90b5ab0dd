"""Number formats of the report's tables (issue 24: a year never reads '2,024', a share never '0.8' for 80%)."""

from __future__ import annotations


def percent(share: float) -> str:
    """A share as a percentage: 0.8 -> '80%', 0.125 -> '12.5%'."""
    x = 100 * share
    return f"{x:.0f}%" if abs(x - round(x)) < 0.05 else f"{x:.1f}%"


def year(v: float) -> str:
    """A year: 2024.0 -> '2024' (no thousands separator)."""
    return str(int(round(v)))
