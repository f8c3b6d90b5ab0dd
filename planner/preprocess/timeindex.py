"""The model's time index: investment periods (years) and the operational slices inside them.

Investment decisions (builds, capacity, in service), emissions, targets and costs are per **period**: a
model year with its discount factor. Energy flows and dispatch are per **slice**: a part of a period with
a weight (how many times it repeats in its period) and a duration in hours. The annual model has one
slice per period, whose key is the year itself, weight 1 and 8760 hours. A finer mode (representative
days and hours) adds slices without changing how measures are written: they index dispatch by slices,
link them to their period with `period_of` and sum them into a period with `slices_of` and `weight`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class Period:
    """A model year: the discount factor (1 + r)^-(year - base year) and the years it stands for."""

    year: int
    discount: float
    weight: float = 1.0


@dataclass(frozen=True)
class Slice:
    """An operational slice of a period: `key` indexes model components, `weight` x `hours` sum to the
    period's hours."""

    key: Hashable
    period: int
    weight: float = 1.0
    hours: float = HOURS_PER_YEAR


@dataclass(frozen=True)
class TimeIndex:
    """Periods in order and the slices of each; built once by preprocess, read by every stage after."""

    base_year: int
    periods: tuple[Period, ...]
    slices: tuple[Slice, ...]

    @classmethod
    def annual(cls, base_year: int, years: list[int], discount_rate: float) -> TimeIndex:
        """One slice per year (the annual model): the slice key is the year."""
        periods = tuple(Period(y, (1 + discount_rate) ** -(y - base_year)) for y in years)
        return cls(base_year, periods, tuple(Slice(p.year, p.year) for p in periods))

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.periods]

    @property
    def first(self) -> int:
        return self.periods[0].year

    @property
    def last(self) -> int:
        return self.periods[-1].year

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
