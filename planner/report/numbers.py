"""Number formats shared by the report, the workbook and the CLI (issue 24: no '2,024', no '0.8' for 80%, no '-0')."""

from __future__ import annotations


def whole(v: float, unit: str = "") -> str:
    """A rounded amount with thousands separators, never '-0' ('-4e-11 t' -> '0 t')."""
    return f"{round(v):,}" + (f" {unit}" if unit else "")


def percent(share: float) -> str:
    """A share as a percentage: 0.8 -> '80%', 0.125 -> '12.5%'."""
    x = 100 * share
    return f"{x:.0f}%" if abs(x - round(x)) < 0.05 else f"{x:.1f}%"


def year(v: float) -> str:
    """A year: 2024.0 -> '2024' (no thousands separator)."""
    return str(int(round(v)))
