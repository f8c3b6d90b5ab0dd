"""Ledgers: named balances that measures contribute tagged terms to; the core closes them.

A term is (ledger, key, year, expression, measure id). The core sums terms into its balance constraints;
results evaluate the same tagged terms to attribute abatement and costs to measures exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

LEDGERS = {
    "elec_load": "extra electricity demand at a site, GWh (negative = saving)",
    "heat_displaced": "useful heat of a (site, carrier) taken over or removed, GWh_th",
    "fuel_saved": "fuel input of a (site, carrier) saved, GWh",
    "process_cut": "process/fugitive emissions of a (site, kind, gas) cut, ktCO2e",
    "scope1_other": "other scope-1 change at a site (new fuels +, capture -), ktCO2e",
    "captured": "CO2 captured at a site, ktCO2",
    "onsite_supply": "on-site electricity supplied to a site's load, GWh",
    "surplus_to_storage": "on-site generation sent to storage at a site, GWh",
    "storage_charge": "storage charging at a site, GWh",
    "green_claims": "PPA and certificate MWh claimed against a site's grid purchases, GWh",
    "scope3_cut": "scope-3 category emissions cut, ktCO2e",
    "credits": "carbon credits retired, ktCO2e (key None)",
    "cost": "nominal cost of a category, MCNY (key = category)",
    "capex": "nominal capital spending counted against the budget, MCNY (key None)",
    "adoptions": "number of builds (key None)",
}


@dataclass
class Ledger:
    """Collects tagged expression terms by (ledger, key, year)."""

    terms: dict[tuple[str, Hashable, int], list[tuple[str | None, object]]] = field(
        default_factory=lambda: defaultdict(list))

    def add(self, ledger: str, key: Hashable, year: int, expr, measure: str | None = None) -> None:
        if ledger not in LEDGERS:
            raise KeyError(f"unknown ledger {ledger!r}")
        self.terms[ledger, key, year].append((measure, expr))

    def total(self, ledger: str, key: Hashable, year: int):
        """Sum of the terms (0 when none)."""
        return sum((e for _m, e in self.terms.get((ledger, key, year), ())), 0)

    def has(self, ledger: str, key: Hashable, year: int) -> bool:
        return bool(self.terms.get((ledger, key, year)))

    def items(self, ledger: str) -> Iterator[tuple[Hashable, int, str | None, object]]:
        """(key, year, measure, expression) of every term in a ledger, in a stable order."""
        for (name, key, year), lst in sorted(self.terms.items(), key=lambda kv: repr(kv[0])):
            if name == ledger:
                for measure, expr in lst:
                    yield key, year, measure, expr
