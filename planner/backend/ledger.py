"""Ledgers: named balances that measures contribute tagged terms to; the core closes them.

A term is (ledger, key, time, expression, measure id), where time is a slice key of the time index for
flows (energy, emissions) and a period (year) for money and counts (`cost`, `capex`, `adoptions`,
`credits`). The core sums terms into its balance constraints; results evaluate the same tagged terms to
attribute abatement and costs to measures exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from functools import cache

LEDGERS = {
    "elec_load": "extra electricity demand at a site, GWh (negative = saving)",
    "heat_displaced": "useful heat of a (site, carrier) taken over or removed, GWh_th",
    "fuel_saved": "fuel input of a (site, carrier) saved, GWh",
    "process_cut": "process/fugitive emissions of a (site, kind, gas) cut, ktCO2e",
    "scope1_other": "other scope-1 change at a site (new fuels +, capture -), ktCO2e",
    "captured": "CO2 captured at a site, ktCO2",
    "biogenic_co2": "biogenic CO2 of fuels a measure burns at a site, ktCO2 (reported apart from the scopes)",
    "onsite_supply": "on-site electricity supplied to a site's load, GWh",
    "surplus_to_storage": "on-site generation sent to storage at a site, GWh",
    "storage_charge": "storage charging at a site, GWh",
    "export": "on-site generation exported to the grid at a site, GWh (hourly mode: capped by the tariff)",
    "green_claims": "PPA and certificate MWh claimed against a site's grid purchases, GWh",
    "scope3_cut": "scope-3 category emissions cut, ktCO2e",
    "product_made": "production of a (site, product) by a route, kt (per period)",
    "product_used": "a (site, product) consumed by routes of its site as an input, kt (per period)",
    "credits": "carbon credits retired, ktCO2e (key None; per period)",
    "cost": "nominal cost of a category, MCNY (key = category; per period)",
    "capex": "nominal capital spending counted against the budget, MCNY (key None; per period)",
    "adoptions": "number of builds (key None; per period)",
}


def sum_terms(terms: list):
    """sum(terms) as the same Pyomo expression, built at once instead of one + at a time (each + makes a new sum
    object): a list of two or more variables and linear monomials is the LinearExpression the + operator would
    build, a list of two or more products and named expressions its SumExpression; anything else is summed."""
    if len(terms) < 2:
        return sum(terms)
    cls = _expression_classes()
    kinds = set(map(type, terms))
    if kinds <= cls.linear:
        return cls.LinearExpression(list(terms))
    if kinds <= cls.other:
        return cls.SumExpression(list(terms))
    return sum(terms)


@cache
def _expression_classes():
    """Pyomo's expression classes, imported on first use (validation does not import Pyomo)."""
    from types import SimpleNamespace

    from pyomo.core.base.expression import ExpressionData, ScalarExpression
    from pyomo.core.base.var import ScalarVar, VarData
    from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression, ProductExpression, SumExpression

    return SimpleNamespace(SumExpression=SumExpression, LinearExpression=LinearExpression,
                           other=frozenset((ProductExpression, ExpressionData, ScalarExpression)),
                           linear=frozenset((VarData, ScalarVar, MonomialTermExpression)))


# the objective sums exactly these
COST_CATEGORIES = ("capex", "fixed_om", "variable_om", "energy", "carbon_ets", "carbon_cbam", "carbon_internal",
                   "ppa_premium", "certificates", "credits", "export_revenue", "salvage")


@dataclass
class Ledger:
    """Collects tagged expression terms by (ledger, key, time)."""

    terms: dict[tuple[str, Hashable, Hashable], list[tuple[str | None, object]]] = field(
        default_factory=lambda: defaultdict(list))

    def add(self, ledger: str, key: Hashable, time: Hashable, expr, measure: str | None = None) -> None:
        if ledger not in LEDGERS:
            raise KeyError(f"unknown ledger {ledger!r}")
        if ledger == "cost" and key not in COST_CATEGORIES:
            raise KeyError(f"unknown cost category {key!r}; expected one of {COST_CATEGORIES}")
        self.terms[ledger, key, time].append((measure, expr))

    def total(self, ledger: str, key: Hashable, time: Hashable):
        """Sum of the terms (0 when none)."""
        return sum_terms([e for _m, e in self.terms.get((ledger, key, time), ())])

    def has(self, ledger: str, key: Hashable, time: Hashable) -> bool:
        return bool(self.terms.get((ledger, key, time)))

    def items(self, ledger: str) -> Iterator[tuple[Hashable, Hashable, str | None, object]]:
        """(key, time, measure, expression) of every term in a ledger, in a stable order."""
        # only this ledger's terms are sorted (the same order as sorting all of them, then filtering)
        mine = [kv for kv in self.terms.items() if kv[0][0] == ledger]
        for (_name, key, time), lst in sorted(mine, key=lambda kv: repr(kv[0])):
            for measure, expr in lst:
                yield key, time, measure, expr
