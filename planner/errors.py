"""Exceptions that the CLI turns into one-line messages and exit codes."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

MAX_MESSAGE_CHARS = 400  # longer file names, key paths or messages are cut with an ellipsis


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` on one printable line: control and format characters (newlines, NUL, bidi marks...) escaped,
    long text cut to `limit` characters."""
    out = []
    for ch in str(text):
        if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    s = "".join(out)
    return s if len(s) <= limit else s[: limit - 1] + "…"


class PlannerError(Exception):
    """Base class: every planner error carries an exit code."""

    exit_code = 1


class InputError(PlannerError):
    """A scenario or data file is invalid: `file: key.path: what was expected`."""

    exit_code = 2

    def __init__(self, file: str, path: str, message: str):
        self.file, self.path, self.message = one_line(file, 200), one_line(path, 200), one_line(message)
        loc = f"{self.path}: " if path else ""
        super().__init__(f"{self.file}: {loc}{self.message}")


@dataclass(frozen=True)
class Residual:
    """An emission source a target covers, left at the best achievable plan: consolidated tCO2e and its share
    of the target's base-year coverage (intensity targets: scaled to the year; None when that base is 0)."""

    scope: str  # scope1, scope2_location, scope2_market, scope3
    site: str  # a site id, or "company" for scope 3
    source: str  # electricity, combustion:coal, process:CO2, cat01, ...
    tco2e: float
    share_of_base: float | None


@dataclass(frozen=True)
class Shortfall:
    """One target that cannot be met, from the elastic solve (docs/model.md §8)."""

    target: str  # target id
    description: str  # e.g. "2050 target, scopes 1+2 location-based -100%"
    year: int  # the year reported: the milestone if it is short, else the pathway year short by the most
    years: tuple[int, ...]  # every year short
    unit: str  # of `shortfall`: tCO2e (emission targets) or MWh (renewable share)
    required: float  # required reduction in `year` (renewable share: the share)
    best: float  # best achievable reduction in `year` (renewable share: the share)
    shortfall: float  # by how much `year` is short
    residual: tuple[Residual, ...] = ()  # covered emissions left in `year`, by source, largest first
    offsets_tco2e: float = 0.0  # credits counted against the target in `year`
    basis: str = "net"  # `required`/`best` net of offsets, or "before offsets" where the net-zero residual
    # rule (gross emissions) is what fails
    text: str = ""  # the one-line message

    def to_dict(self) -> dict:
        return asdict(self)


# the line of a model with no solution even when its targets are free (backend.relax names the family if it can)
NON_TARGET_CONFLICT = ("the model is infeasible without any target: constraints other than targets cannot all be "
                       "met (capacity, shares, ramp and product balance of routes; grid connection import limits; "
                       "budgets; adoption limits; prerequisites)")


class InfeasibleError(PlannerError):
    """The targets cannot all be met; `shortfalls` holds one line per target, `details` the same shortfalls
    as `Shortfall` records (empty when constraints other than targets conflict: `no_target`)."""

    exit_code = 3

    def __init__(self, scenario: str, shortfalls: list[str], detail: str = "",
                 details: list[Shortfall] | None = None, no_target: bool = False):
        self.shortfalls = shortfalls
        self.details = list(details or [])
        # no_target: the model has no solution even without its targets; the lines say why
        head = scenario if no_target else f"{scenario}: targets cannot be met"
        body = "; ".join(shortfalls) if shortfalls else detail
        super().__init__(f"{head}: {body}")


class SolverError(PlannerError):
    """The solver stopped without a usable solution (time limit with no incumbent, error)."""

    exit_code = 4
