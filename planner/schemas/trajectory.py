"""Year-indexed trajectories: a constant or {year: value} points, linearly interpolated."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Annotated

import numpy as np
from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from .types import MAX_ABS_NUMBER, MAX_YEAR, MIN_YEAR

YEAR_TEXT = re.compile(r"[0-9]{4}")  # a year as JSON writes a key: "2024" (not "2024.0", " 2024" or "abc")


def year_key(k: object) -> object:
    """A trajectory key as a year: an integer as YAML reads `2024:`, or the same digits in a string (JSON has
    only string keys, and YAML reads a quoted `"2024":` as one). Anything else is returned unchanged."""
    return int(k) if isinstance(k, str) and YEAR_TEXT.fullmatch(k) else k


def _number(v: object, lo: float, hi: float, unit: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError("a number")
    x = float(v)
    if not (math.isfinite(x) and lo <= x <= hi):
        raise ValueError(f"a finite number within {lo:g}..{hi:g}{unit}")
    return x


def _show(x: object) -> str:
    """A value as YAML writes it, cut to 30 characters."""
    text = {True: "true", False: "false", None: "null"}.get(x, repr(x)) if isinstance(x, bool | None) else repr(x)
    return text if len(text) <= 30 else text[:29] + "…"


def _validator(lo: float, hi: float, unit: str):
    def check(v: object) -> float | dict[int, float]:
        expect = f"a number within {lo:g}..{hi:g}{unit} or a {{year: value}} mapping with at least one point"
        if isinstance(v, dict):
            if not v:
                raise PydanticCustomError("trajectory", f"expected {expect}, got an empty mapping")
            out: dict[int, float] = {}
            for key, x in v.items():
                k = year_key(key)
                if isinstance(k, bool) or not isinstance(k, int) or not MIN_YEAR <= k <= MAX_YEAR:
                    raise PydanticCustomError("trajectory", f"expected years {MIN_YEAR}-{MAX_YEAR} as keys, "
                                              f"got {_show(key)}")
                if k in out:
                    raise PydanticCustomError("trajectory", f"expected each year once, got {k} twice (as "
                                              f"{' and '.join(_show(j) for j in v if year_key(j) == k)})")
                try:
                    out[k] = _number(x, lo, hi, unit)
                except ValueError as exc:
                    raise PydanticCustomError("trajectory_point", f"expected {exc}, got {_show(x)}",
                                              {"year": k}) from None
            return out
        try:
            return _number(v, lo, hi, unit)
        except ValueError:
            raise PydanticCustomError("trajectory", f"expected {expect}") from None

    return PlainValidator(check)


def trajectory(lo: float = -MAX_ABS_NUMBER, hi: float = MAX_ABS_NUMBER, unit: str = ""):
    """A trajectory type whose every value lies in lo..hi (finite)."""
    return Annotated[float | dict[int, float], _validator(lo, hi, unit)]


# a constant, or at least one {year: value} point (an empty mapping has no value to interpolate)
Trajectory = trajectory()
NonNegTrajectory = trajectory(0.0)
ShareTrajectory = trajectory(0.0, 1.0)


def interpolate(traj: Trajectory | None, years: Iterable[int], default: float = 0.0) -> dict[int, float]:
    """Value for each year: linear between given points, flat before the first and after the last."""
    years = list(years)
    if traj is None:
        return {y: float(default) for y in years}
    if isinstance(traj, (int, float)):
        return {y: float(traj) for y in years}
    pts = sorted((int(k), float(v)) for k, v in traj.items())
    xs = np.array([p[0] for p in pts], dtype=float)
    ys = np.array([p[1] for p in pts], dtype=float)
    vals = np.interp(np.array(years, dtype=float), xs, ys)
    return {y: float(v) for y, v in zip(years, vals, strict=True)}


def value_at(traj: Trajectory | None, year: int, default: float = 0.0) -> float:
    """Value of a trajectory in one year."""
    return interpolate(traj, [year], default)[year]


def scale(traj: Mapping[int, float], factor: float) -> dict[int, float]:
    """Multiply every point of an interpolated trajectory."""
    return {y: v * factor for y, v in traj.items()}
