"""The model's time index: investment periods (years) and the operational slices that carry their flows.

Investment decisions (builds, capacity, in service), emissions, targets and costs are per **period**: a
model year with its discount factor. Energy flows and dispatch are per **slice**: a part of a *detail*
period with a `weight`, its share of that period (the weights of a period's own slices sum to 1).
Quantities in a slice are annual rates (GWh per year while the slice lasts), so they compare directly with
annual BAU figures.

A period's amount of any flow is a weighted sum over its **members**: (slice, weight) pairs. A detail
period's members are its own slices with their weights. A period without slices of its own (representative
days with `hourly_years: milestones`, docs/model.md §15.1) is *interpolated*: its members are the slices of
the detail years a < y < b around it, with weights (1 - α) ω and α ω, α = (y - a) / (b - a). The annual model
has one slice per period, whose key is the year itself, weight 1, and every period is a detail period.

Measures index dispatch by slices, link a slice to its own (detail) period with `period_of`, and sum flows
into a period with `members(y)` (or `flows()`: every (period, slice, weight) at once).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Period:
    """A model year and its discount factor (1 + r)^-(year - base year)."""

    year: int
    discount: float


@dataclass(frozen=True)
class Slice:
    """An operational slice of a detail period: `key` indexes model components (a scalar such as the year or
    "2030.d3.h14": Pyomo flattens tuple keys); `weight` is its share of its own period."""

    key: Hashable
    period: int
    weight: float = 1.0
    day: int | None = None  # representative day (hourly mode; None in the annual model)
    hour: int | None = None  # slice of that day, 0..hours-1


Blend = tuple[tuple[int, float], ...]  # ((detail year, factor), ...); factors sum to 1


@dataclass(frozen=True)
class TimeIndex:
    """Periods in order, the slices of the detail periods and the blend of every other period; built once by
    preprocess, read by every stage after."""

    base_year: int
    periods: tuple[Period, ...]
    slices: tuple[Slice, ...]
    interpolated: dict[int, Blend] = field(default_factory=dict, hash=False)  # period without slices -> its blend

    def __post_init__(self) -> None:
        if any(isinstance(s.key, tuple) for s in self.slices):
            raise ValueError("slice keys must be scalars (Pyomo flattens tuple keys into the indices)")
        for year in self.years:
            members = self.members(year)
            total = sum(w for _s, w in members)
            if not members or abs(total - 1.0) > 1e-9:
                raise ValueError(f"the slice weights of period {year} sum to {total:g}, expected 1")

    @classmethod
    def annual(cls, base_year: int, years: list[int], discount_rate: float) -> TimeIndex:
        """One slice per year (the annual model): the slice key is the year."""
        periods = tuple(Period(y, (1 + discount_rate) ** -(y - base_year)) for y in years)
        return cls(base_year, periods, tuple(Slice(p.year, p.year) for p in periods))

    @classmethod
    def representative(cls, base_year: int, years: list[int], discount_rate: float,
                       day_weight: dict[int, float], hours: int, detail_years: list[int] | None = None) -> TimeIndex:
        """Representative days in the detail years (default every year; docs/model.md §15): key
        "<year>.d<day>.h<hour>", weight = the days the day stands for / 365 / slices per day. Other years are
        interpolated between the detail years around them (the first and last year must be detail years)."""
        periods = tuple(Period(y, (1 + discount_rate) ** -(y - base_year)) for y in years)
        detail = sorted(set(years if detail_years is None else detail_years))
        if detail[0] != years[0] or detail[-1] != years[-1] or not set(detail) <= set(years):
            raise ValueError(f"detail years {detail} must be model years and include {years[0]} and {years[-1]}")
        total = sum(day_weight.values())
        slices = tuple(Slice(f"{y}.d{d}.h{h:02d}", y, w / total / hours, d, h)
                       for y in detail for d, w in sorted(day_weight.items()) for h in range(hours))
        return cls(base_year, periods, slices, interpolation(years, detail))

    @property
    def hourly(self) -> bool:
        """True for representative days (slices carry a day and an hour)."""
        return self.slices[0].day is not None

    def slice(self, key: Hashable) -> Slice:
        return self._by_key[key]

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.periods]

    @property
    def detail_years(self) -> list[int]:
        """Periods with slices of their own (every year unless some are interpolated)."""
        return [y for y in self.years if y not in self.interpolated]

    @property
    def slice_keys(self) -> list[Hashable]:
        return [s.key for s in self.slices]

    @property
    def discount(self) -> dict[int, float]:
        """Discount factor by year."""
        return {p.year: p.discount for p in self.periods}

    def blend(self, year: int) -> Blend:
        """The detail years whose flows make period `year`, with their factors ((year, 1.0) for a detail year)."""
        return self.interpolated.get(year, ((year, 1.0),))

    def own_slices(self, year: int) -> list[Slice]:
        """The slices of a detail period, in order (none for an interpolated period)."""
        return self._by_period.get(year, [])

    def members(self, year: int) -> list[tuple[Slice, float]]:
        """(slice, weight) pairs whose weighted sum is period `year`'s amount of a flow."""
        return self._members[year]

    def flows(self) -> list[tuple[int, Hashable, float]]:
        """(period, slice key, weight) of every member of every period, periods in order."""
        return [(y, s.key, w) for y in self.years for s, w in self._members[y]]

    def uses(self, key: Hashable) -> list[tuple[int, float]]:
        """(period, weight) of every period whose amounts include slice `key`."""
        return self._uses[key]

    def period_of(self, key: Hashable) -> int:
        """The (detail) year a slice belongs to."""
        return self._by_key[key].period

    @cached_property
    def _by_key(self) -> dict[Hashable, Slice]:
        return {s.key: s for s in self.slices}

    @cached_property
    def _by_period(self) -> dict[int, list[Slice]]:
        out: dict[int, list[Slice]] = {}
        for s in self.slices:
            out.setdefault(s.period, []).append(s)
        return out

    @cached_property
    def _members(self) -> dict[int, list[tuple[Slice, float]]]:
        out = {}
        for y in self.years:
            out[y] = [(s, s.weight if f == 1.0 else f * s.weight) for d, f in self.blend(y)
                      for s in self._by_period.get(d, [])]
        return out

    @cached_property
    def _uses(self) -> dict[Hashable, list[tuple[int, float]]]:
        out: dict[Hashable, list[tuple[int, float]]] = {s.key: [] for s in self.slices}
        for y, key, w in self.flows():
            out[key].append((y, w))
        return out


def interpolation(years: list[int], detail: list[int]) -> dict[int, Blend]:
    """Blend of every non-detail year y between the detail years a < y < b: ((a, 1 - α), (b, α)),
    α = (y - a) / (b - a)."""
    out = {}
    for y in years:
        if y in detail:
            continue
        a = max(d for d in detail if d < y)
        b = min(d for d in detail if d > y)
        alpha = (y - a) / (b - a)
        out[y] = ((a, 1.0 - alpha), (b, alpha))
    return out
