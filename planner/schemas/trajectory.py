"""Year-indexed trajectories: a constant or {year: value} points, linearly interpolated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated

import numpy as np
from pydantic import Field

# a constant, or at least one {year: value} point (an empty mapping has no value to interpolate)
Trajectory = float | Annotated[dict[int, float], Field(min_length=1)]


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
