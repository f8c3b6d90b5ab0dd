"""Core of the model: sets, mutable price parameters, site energy and emission balances, energy and carbon
costs (docs/model.md §2-5).

`declare` creates the sets, parameters and the core variables measures refer to; after every measure has
built and linked, `close` sums the measures' ledger terms into the balance constraints and defines the
emissions and the core cost terms.
"""

from __future__ import annotations

from collections.abc import Hashable

import pyomo.environ as pyo

from ..preprocess.inputs import ModelInputs
from .hourly import add_connection, add_hourly_grid
from .ledger import Ledger
from .markets import add_markets


def _weighted(weight: float, expr):
    return expr if weight == 1.0 else weight * expr


class Core:
    """Owns the core sets, parameters, variables and balances of model `m`."""

    def __init__(self, m: pyo.ConcreteModel, inp: ModelInputs):
        self.m, self.inp = m, inp
        self.time = inp.time
        self.site_fuel_pairs = sorted((s, c) for s in inp.sites for c in inp.site_fuels[s])
        # per site: scope-1 fuels (combusted on site), scope-2 heat carriers, (process kind, gas) keys
        self.scope1_fuels = {s: [c for c in inp.site_fuels[s] if inp.carrier_scope[c] == 1] for s in inp.sites}
        self.scope2_heat = {s: [c for c in inp.site_fuels[s] if inp.carrier_scope[c] == 2] for s in inp.sites}
        self.process_keys: dict[str, list[tuple[str, str]]] = {s: [] for s in inp.sites}
        for s, k, g in sorted({k[:3] for k in inp.bau_process_kt}):  # grouped in one pass (sorted within a site)
            if s in self.process_keys:
                self.process_keys[s].append((k, g))
        self.scope3_categories = inp.scope3_categories

    # -- phase 1 ----------------------------------------------------------------------------------------
    def declare(self) -> None:
        m, inp, time = self.m, self.inp, self.time
        m.periods = pyo.Set(initialize=time.years, ordered=True, doc="model years")
        m.slices = pyo.Set(initialize=time.slice_keys, ordered=True, doc="operational slices (annual: years)")
        m.sites = pyo.Set(initialize=inp.sites, ordered=True)
        m.site_fuels = pyo.Set(initialize=self.site_fuel_pairs, dimen=2, ordered=True,
                               doc="(site, carrier) of fuels and purchased heat with BAU use")
        m.scope3_categories = pyo.Set(initialize=self.scope3_categories, ordered=True)
        m.site_products = pyo.Set(initialize=inp.site_products, dimen=2, ordered=True,
                                  doc="(site, product) made by production routes")
        m.carriers = pyo.Set(initialize=sorted(inp.carrier_scope), ordered=True)
        mutable = dict(mutable=True, within=pyo.Reals)
        m.price_elec = pyo.Param(m.sites, m.slices, initialize=lambda m, s, ts: inp.elec_price(s, ts),
                                 doc="electricity price, MCNY/GWh", **mutable)
        if time.interpolated:  # a detail year's slice priced in an interpolated year (docs/model.md §15.1)
            m.price_elec_blend = pyo.Param(self.blend_price_keys(), initialize=lambda m, s, y, ts: (
                inp.elec_price(s, ts, y)), doc="electricity price of a slice in an interpolated year, MCNY/GWh",
                **mutable)
        m.price_fuel = pyo.Param(m.carriers, m.periods, initialize=inp.price_fuel_mcny_per_gwh,
                                 doc="fuel or purchased-heat price, MCNY per GWh of fuel", **mutable)
        m.price_export = pyo.Param(m.periods, initialize=inp.price_export_mcny_per_gwh,
                                   doc="price of exported on-site generation, MCNY/GWh", **mutable)
        m.price_ets = pyo.Param(m.periods, initialize=inp.price_ets_mcny_per_kt, doc="ETS allowance price, MCNY/kt",
                                **mutable)
        m.price_internal_carbon = pyo.Param(m.periods, initialize=inp.price_internal_carbon_mcny_per_kt,
                                            doc="internal carbon price, MCNY/kt", **mutable)
        m.free_allocation_share = pyo.Param(m.periods, initialize=inp.free_allocation_share,
                                            doc="ETS free allocation, share of BAU scope 1", **mutable)
        m.capex_index_names = pyo.Set(initialize=sorted(inp.capex_indices), ordered=True)
        m.capex_index = pyo.Param(m.capex_index_names, m.periods, initialize=lambda m, n, y: inp.capex_indices[n][y],
                                  doc="capex index: multiplier of the stated unit capex", **mutable)
        m.grid_purchase = pyo.Var(m.sites, m.slices, domain=pyo.NonNegativeReals,
                                  doc="grid electricity purchased, GWh")
        m.useful_heat = pyo.Var(m.site_fuels, m.slices, domain=pyo.NonNegativeReals,
                                doc="useful heat still served by the existing carrier, GWh_th")
        m.fuel_purchase = pyo.Var(m.site_fuels, m.slices, domain=pyo.NonNegativeReals,
                                  doc="fuel (or purchased heat) bought, GWh")

    def blend_price_keys(self) -> list[tuple]:
        """(site, interpolated year, slice) of every slice priced in a year other than its own."""
        time = self.time
        return [(s, y, ts) for s in self.inp.sites for y, ts, _w in time.flows() if time.period_of(ts) != y]

    def elec_price(self, s: str, y: int, ts: Hashable):
        """The electricity price parameter of slice ts as paid in period y (its own year or an interpolated one)."""
        if self.time.period_of(ts) == y:
            return self.m.price_elec[s, ts]
        return self.m.price_elec_blend[s, y, ts]

    def export_price(self, s: str, y: int, ts: Hashable):
        """Price of on-site generation exported from site s in slice ts, paid in period y: the tariff's export
        price of the slice when it sets one (hourly mode, docs/model.md §15.2), else the scenario's export price
        of year y."""
        px = self.inp.export_price(s, ts, y)
        return self.m.price_export[y] if px is None else px

    def capex_index(self, name: str | None) -> dict[int, object]:
        """Capex index by year: the mutable parameter of a named index, else 1 (no index, or none defined)."""
        if not name or name not in self.inp.capex_indices:
            return {y: 1.0 for y in self.time.years}
        return {y: self.m.capex_index[name, y] for y in self.time.years}

    def capturable(self, ledger: Ledger, s: str, ts: Hashable):
        """Scope-1 CO2 at site s in slice ts available for capture, ktCO2 (read by capture measures in their
        link phase, once every measure has added its process cuts)."""
        m, inp = self.m, self.inp
        y = self.time.period_of(ts)
        fuel = sum(m.fuel_purchase[s, c, ts] * inp.fuel_co2(s, c) for c in self.scope1_fuels[s])
        proc = sum(inp.bau_process_kt[s, k, g, y] - ledger.total("process_cut", (s, k, g), ts)
                   for k, g in self.process_keys[s] if g == "CO2")
        return fuel + proc

    # -- phase 2 ----------------------------------------------------------------------------------------
    def close(self, ledger: Ledger) -> None:
        """Balances, emission definitions and core costs, from the ledger terms every measure added."""
        m, inp = self.m, self.inp
        total = ledger.total
        m.electricity_balance = pyo.Constraint(m.sites, m.slices, rule=lambda m, s, ts: (
            m.grid_purchase[s, ts] + total("onsite_supply", s, ts)
            == inp.elec_load_gwh(s, ts) + total("elec_load", s, ts)))
        m.useful_heat_balance = pyo.Constraint(m.site_fuels, m.slices, rule=lambda m, s, c, ts: (
            m.useful_heat[s, c, ts] == inp.heat_gwh(s, c, ts) - total("heat_displaced", (s, c), ts)))
        m.fuel_purchase_balance = pyo.Constraint(m.site_fuels, m.slices, rule=lambda m, s, c, ts: (
            m.fuel_purchase[s, c, ts] == m.useful_heat[s, c, ts] / inp.heat_efficiency[s, c]
            - total("fuel_saved", (s, c), ts)))
        m.green_claims_grid_max = pyo.Constraint(m.sites, m.slices, rule=lambda m, s, ts: (
            total("green_claims", s, ts) <= m.grid_purchase[s, ts]) if ledger.has("green_claims", s, ts)
            else pyo.Constraint.Skip)
        m.storage_charge_surplus_max = pyo.Constraint(m.sites, m.slices, rule=lambda m, s, ts: (
            total("storage_charge", s, ts) <= total("surplus_to_storage", s, ts))
            if ledger.has("storage_charge", s, ts) else pyo.Constraint.Skip)
        m.captured_capturable_max = pyo.Constraint(m.sites, m.slices, rule=lambda m, s, ts: (
            total("captured", s, ts) <= self.capturable(ledger, s, ts))
            if ledger.has("captured", s, ts) else pyo.Constraint.Skip)
        m.product_balance = pyo.Constraint(m.site_products, m.periods, rule=lambda m, s, p, y: (
            total("product_made", (s, p), y) == inp.product_output_kt[s, p, y] + total("product_used", (s, p), y)))
        self._emissions(ledger)
        self._costs(ledger)
        if inp.hourly is not None:
            add_hourly_grid(m, inp, ledger)
            add_connection(m, inp, ledger)

    def _over_slices(self, y: int, fn):
        """Σ over the members of period y of weight x fn(slice)."""
        return sum(_weighted(w, fn(s.key)) for s, w in self.time.members(y))

    def _emissions(self, ledger: Ledger) -> None:
        m, inp = self.m, self.inp
        total, over = ledger.total, self._over_slices
        ef, gl, gm = inp.fuel_factor, inp.grid_location_kt_per_gwh, inp.grid_market_kt_per_gwh

        def heat2(s, ts):
            return sum(m.fuel_purchase[s, c, ts] * ef(s, c) for c in self.scope2_heat[s])

        m.scope1 = pyo.Var(m.sites, m.periods, doc="scope-1 emissions at 100% of the site, ktCO2e")
        m.scope2_location = pyo.Var(m.sites, m.periods, doc="scope-2 location-based, ktCO2e")
        m.scope2_market = pyo.Var(m.sites, m.periods, doc="scope-2 market-based, ktCO2e")
        m.scope1_def = pyo.Constraint(m.sites, m.periods, rule=lambda m, s, y: m.scope1[s, y] == over(y, lambda ts: (
            sum(m.fuel_purchase[s, c, ts] * ef(s, c) for c in self.scope1_fuels[s])
            + sum(inp.bau_process_kt[s, k, g, y] - total("process_cut", (s, k, g), ts) for k, g in self.process_keys[s])
            + total("scope1_other", s, ts))))
        f = inp.factor_shape  # hourly grid factor (docs/model.md §15.6): 1 without one
        m.scope2_location_def = pyo.Constraint(m.sites, m.periods, rule=lambda m, s, y: (
            m.scope2_location[s, y] == over(y, lambda ts: (
                m.grid_purchase[s, ts] * (gl[s, y] * f(s, ts)) + heat2(s, ts)))))
        m.scope2_market_def = pyo.Constraint(m.sites, m.periods, rule=lambda m, s, y: (
            m.scope2_market[s, y] == over(y, lambda ts: (
                (m.grid_purchase[s, ts] - total("green_claims", s, ts)) * (gm[s, y] * f(s, ts, True))
                + heat2(s, ts)))))
        m.scope3 = pyo.Expression(m.scope3_categories, m.periods, rule=lambda m, c, y: (
            inp.bau_scope3_kt[c, y] - over(y, lambda ts: total("scope3_cut", c, ts))))
        m.scope3_min = pyo.Constraint(m.scope3_categories, m.periods, rule=lambda m, c, y: m.scope3[c, y] >= 0
                                      if any(ledger.has("scope3_cut", c, s.key) for s, _w in self.time.members(y))
                                      else pyo.Constraint.Skip)

    def _costs(self, ledger: Ledger) -> None:
        m, inp = self.m, self.inp
        w = inp.site_share
        for y in self.time.years:
            for s in inp.sites:
                ledger.add("cost", "energy", y, w[s] * self._over_slices(y, lambda ts, s=s, y=y: (
                    self.elec_price(s, y, ts) * m.grid_purchase[s, ts]
                    + sum(m.price_fuel[c, y] * m.fuel_purchase[s, c, ts]
                          for c in self.scope1_fuels[s] + self.scope2_heat[s]))))
        add_markets(m, self, ledger)  # ETS position and CBAM certificates (markets.py)
        scope2 = {"market": m.scope2_market, "location": m.scope2_location}.get(inp.internal_carbon_scope2)
        for y in self.time.years:
            # in every year, also at a zero price: a study may raise m.price_internal_carbon and re-solve
            covered = sum(w[s] * (m.scope1[s, y] + (scope2[s, y] if scope2 is not None else 0)) for s in inp.sites)
            if inp.internal_carbon_scope3:
                covered += sum(m.scope3[c, y] for c in self.scope3_categories)
            ledger.add("cost", "carbon_internal", y, m.price_internal_carbon[y] * covered)

    # -- read by targets and results --------------------------------------------------------------------
    def renewable_electricity(self, ledger: Ledger, y: int) -> tuple:
        """(renewable electricity used, electricity used) in year y, consolidated, GWh: on-site supply and
        PPA/certificate claims over grid purchases plus on-site supply."""
        m, inp, total = self.m, self.inp, ledger.total
        green = sum(inp.site_share[s] * self._over_slices(y, lambda ts, s=s: (
            total("onsite_supply", s, ts) + total("green_claims", s, ts))) for s in inp.sites)
        use = sum(inp.site_share[s] * self._over_slices(y, lambda ts, s=s: (
            m.grid_purchase[s, ts] + total("onsite_supply", s, ts))) for s in inp.sites)
        return green, use

    def total(self, y: int, scope1: bool, scope2: str, cats: list[int], factors: dict[str, float] | None = None):
        """Consolidated emissions of a coverage in year y, ktCO2e; `factors`: only these sites, each times its
        factor (a product intensity target's allocation, docs/model.md §8)."""
        m, inp = self.m, self.inp
        e = 0
        for s in inp.sites if factors is None else sorted(factors):
            part = m.scope1[s, y] if scope1 else 0
            if scope2 == "market":
                part = part + m.scope2_market[s, y]
            elif scope2 == "location":
                part = part + m.scope2_location[s, y]
            e = e + (inp.site_share[s] if factors is None else factors[s] * inp.site_share[s]) * part
        return e + sum(m.scope3[c, y] for c in cats)
