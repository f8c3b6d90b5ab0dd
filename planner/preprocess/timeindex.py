"""The model's time index: investment periods (years) and the operational slices inside them.

Investment decisions (builds, capacity, in service), emissions, targets and costs are per **period**: a
model year with its discount factor. Energy flows and dispatch are per **slice**: a part of a period with a
`weight`, its share of the period (the weights of a period's slices sum to 1). Quantities in a slice are
annual rates (GWh per year while the slice lasts), so they compare directly with annual BAU figures and a
period's amount is the weighted sum over its slices. The annual model has one slice per period, whose key is
the year itself, weight 1. A finer mode (representative days and hours) adds slices without changing how
measures are written: they index dispatch by slices, link them to their period with `period_of` and sum them
into a period with `slices_of` and `weight`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Period:
    """A model year and its discount factor (1 + r)^-(year - base year)."""

    year: int
    discount: float


@dataclass(frozen=True)
class Slice:
    """An operational slice of a period: `key` indexes model components (a scalar such as the year or
    "2030.d3.h14": Pyomo flattens tuple keys); `weight` is its share of the period."""

    key: Hashable
    period: int
    weight: float = 1.0
    day: int | None = None  # representative day (hourly mode; None in the annual model)
    hour: int | None = None  # slice of that day, 0..hours-1


@dataclass(frozen=True)
class TimeIndex:
    """Periods in order and the slices of each; built once by preprocess, read by every stage after."""

    base_year: int
    periods: tuple[Period, ...]
    slices: tuple[Slice, ...]

    def __post_init__(self) -> None:
        if any(isinstance(s.key, tuple) for s in self.slices):
            raise ValueError("slice keys must be scalars (Pyomo flattens tuple keys into the indices)")
        for year, slices in self._by_period.items():
            total = sum(s.weight for s in slices)
            if not slices or abs(total - 1.0) > 1e-9:
                raise ValueError(f"the slice weights of period {year} sum to {total:g}, expected 1")

    @classmethod
    def annual(cls, base_year: int, years: list[int], discount_rate: float) -> TimeIndex:
        """One slice per year (the annual model): the slice key is the year."""
        periods = tuple(Period(y, (1 + discount_rate) ** -(y - base_year)) for y in years)
        return cls(base_year, periods, tuple(Slice(p.year, p.year) for p in periods))

    @classmethod
    def representative(cls, base_year: int, years: list[int], discount_rate: float,
                       day_weight: dict[int, float], hours: int) -> TimeIndex:
        """Representative days in every year (docs/model.md §15): key "<year>.d<day>.h<hour>", weight = the
        days the day stands for / 365 / slices per day."""
        periods = tuple(Period(y, (1 + discount_rate) ** -(y - base_year)) for y in years)
        total = sum(day_weight.values())
        slices = tuple(Slice(f"{y}.d{d}.h{h:02d}", y, w / total / hours, d, h)
                       for y in years for d, w in sorted(day_weight.items()) for h in range(hours))
        return cls(base_year, periods, slices)

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
    def slice_keys(self) -> list[Hashable]:
        return [s.key for s in self.slices]

    @property
    def discount(self) -> dict[int, float]:
        """Discount factor by year."""
        return {p.year: p.discount for p in self.periods}

    def slices_of(self, year: int) -> list[Slice]:
        """The slices of a period, in order."""
        return self._by_period[year]

    def period_of(self, key: Hashable) -> int:
        """The year of a slice."""
        return self._by_key[key].period

    def weight(self, key: Hashable) -> float:
        """A slice's share of its period."""
        return self._by_key[key].weight

    @cached_property
    def _by_key(self) -> dict[Hashable, Slice]:
        return {s.key: s for s in self.slices}

    @cached_property
    def _by_period(self) -> dict[int, list[Slice]]:
        out: dict[int, list[Slice]] = {p.year: [] for p in self.periods}
        for s in self.slices:
            out[s.period].append(s)
        return out
