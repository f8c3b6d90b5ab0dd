"""Field types shared by every schema: the strict base model and the numeric ranges.

Every schema object is strict: unknown keys are errors, a boolean is not a number (`true` is not 1), a
string is not a number, NaN and infinity are refused, and every number has a range (at least
|x| <= MAX_ABS_NUMBER).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MAX_ABS_NUMBER = 1e15  # no number in a scenario is larger in magnitude (1e15 CNY, t or MWh is absurd)
MIN_YEAR, MAX_YEAR = 1990, 2100  # years of data, horizons, targets and trajectory points
MAX_ID_CHARS = 64  # ids and the scenario name (the default output folder is reports/<name>)


class Strict(BaseModel):
    """Base of every schema object: unknown keys are errors, types are strict (no bool -> number, no
    str -> number), NaN/inf are refused, validated objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0, le=MAX_ABS_NUMBER)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", max_length=MAX_ID_CHARS)]
Text = Annotated[str, Field(max_length=500)]
