"""Core of the model: site energy and emission balances, energy and carbon costs (docs/model.md §3-5).

Phase 1 (`declare`) creates the sets and the core variables measures refer to; phase 2 (`close`) sums
the measures' ledger terms into the balance constraints and defines the emission expressions.
"""

from __future__ import annotations

from collections.abc import Callable

import pyomo.environ as pyo

from ..inputs import ModelInputs
from .ledger import Ledger


class Core:
    """Owns the core variables and balances of model `m`."""

    def __init__(self, m: pyo.ConcreteModel, inp: ModelInputs):
        self.m, self.inp = m, inp
        self._deferred: list[Callable[[], None]] = []
        lib = inp.lib
        self.SH = sorted((s, c) for s in inp.sites for c in inp.heat_carriers[s])
        self.SH1 = [(s, c) for s, c in self.SH if lib.carriers[c].scope == 1]
        self.SH2 = [(s, c) for s, c in self.SH if lib.carriers[c].scope == 2]
        self.proc_keys = sorted({k[:3] for k in inp.P})
        # the same, indexed by site (avoids scanning every site's entries for each site-year)
        self.h1 = {s: [c for ss, c in self.SH1 if ss == s] for s in inp.sites}
        self.h2 = {s: [c for ss, c in self.SH2 if ss == s] for s in inp.sites}
        self.proc = {s: [(k, g) for ss, k, g in self.proc_keys if ss == s] for s in inp.sites}
        self.cats = sorted({c for c, _y in inp.S3b})
        self.ets_sites = sorted(s.id for s in inp.scenario.sites if s.ets_covered)

    def defer(self, fn: Callable[[], None]) -> None:
        """Run `fn` in phase 2, after every measure has added its ledger terms."""
        self._deferred.append(fn)

    def declare(self) -> None:
        m, inp = self.m, self.inp
        m.T = pyo.Set(initialize=inp.years, ordered=True)
        m.S = pyo.Set(initialize=inp.sites, ordered=True)
        m.SH = pyo.Set(initialize=self.SH, dimen=2, ordered=True)
        m.C3 = pyo.Set(initialize=self.cats, ordered=True)
        m.grid = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals, doc="grid electricity purchased, GWh")
        m.useful = pyo.Var(m.SH, m.T, domain=pyo.NonNegativeReals,
                           doc="useful heat still served by the existing carrier, GWh_th")
        m.fuel = pyo.Var(m.SH, m.T, domain=pyo.NonNegativeReals, doc="fuel/heat purchased, GWh")

    def capturable(self, ledger: Ledger, s: str, t: int):
        """Scope-1 CO2 at site s available for capture, ktCO2."""
        m, inp = self.m, self.inp
        fuel = sum(m.fuel[s, c, t] * inp.ef_co2[c] for c in self.h1[s])
        proc = sum(inp.P[s, k, g, t] - ledger.total("process_cut", (s, k, g), t)
                   for k, g in self.proc[s] if g == "CO2")
        return fuel + proc

    def close(self, ledger: Ledger) -> None:
        m, inp = self.m, self.inp
        for fn in self._deferred:
            fn()
        L = ledger.total
        m.elec_balance = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: (
            m.grid[s, t] + L("onsite_supply", s, t) == inp.Eb[s, t] + L("elec_load", s, t)))
        m.heat_balance = pyo.Constraint(m.SH, m.T, rule=lambda m, s, c, t: (
            m.useful[s, c, t] == inp.Hb[s, c, t] - L("heat_displaced", (s, c), t)))
        m.fuel_balance = pyo.Constraint(m.SH, m.T, rule=lambda m, s, c, t: (
            m.fuel[s, c, t] == m.useful[s, c, t] / inp.eta[s, c] - L("fuel_saved", (s, c), t)))
        m.claims_limit = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: (
            L("green_claims", s, t) <= m.grid[s, t]) if ledger.has("green_claims", s, t) else pyo.Constraint.Skip)
        m.storage_pool = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: (
            L("storage_charge", s, t) <= L("surplus_to_storage", s, t))
            if ledger.has("storage_charge", s, t) else pyo.Constraint.Skip)
        m.capture_limit = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: (
            L("captured", s, t) <= self.capturable(ledger, s, t))
            if ledger.has("captured", s, t) else pyo.Constraint.Skip)

        heat2 = {(s, t): sum(m.fuel[s, c, t] * inp.ef[c] for c in self.h2[s])
                 for s in inp.sites for t in inp.years}
        m.scope1 = pyo.Var(m.S, m.T, doc="scope-1 emissions at 100% of the site, ktCO2e")
        m.scope2_location = pyo.Var(m.S, m.T, doc="scope-2 location-based, ktCO2e")
        m.scope2_market = pyo.Var(m.S, m.T, doc="scope-2 market-based, ktCO2e")
        m.scope1_def = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: m.scope1[s, t] == (
            sum(m.fuel[s, c, t] * inp.ef[c] for c in self.h1[s])
            + sum(inp.P[s, k, g, t] - L("process_cut", (s, k, g), t) for k, g in self.proc[s])
            + L("scope1_other", s, t)))
        m.scope2_location_def = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: m.scope2_location[s, t] == (
            m.grid[s, t] * inp.gl[s, t] + heat2[s, t]))
        m.scope2_market_def = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: m.scope2_market[s, t] == (
            (m.grid[s, t] - L("green_claims", s, t)) * inp.gm[s, t] + heat2[s, t]))
        m.scope3 = pyo.Expression(m.C3, m.T, rule=lambda m, c, t: inp.S3b[c, t] - L("scope3_cut", c, t))
        m.scope3_nonneg = pyo.Constraint(m.C3, m.T, rule=lambda m, c, t: m.scope3[c, t] >= 0
                                         if ledger.has("scope3_cut", c, t) else pyo.Constraint.Skip)
        self._costs(ledger)

    def _costs(self, ledger: Ledger) -> None:
        m, inp = self.m, self.inp
        sc = inp.scenario
        for t in inp.years:
            for s in inp.sites:
                w = inp.w[s]
                elec = inp.p_elec[s, t] * m.grid[s, t]
                fuel = sum(inp.p_fuel[c, t] * m.fuel[s, c, t] for c in self.h1[s] + self.h2[s])
                ledger.add("cost", "energy", t, w * (elec + fuel))
        m.ets_excess = pyo.Var(self.ets_sites, m.T, domain=pyo.Reals if sc.ets.sell_surplus
                               else pyo.NonNegativeReals, doc="allowances bought (sold if negative), kt")
        m.ets_need = pyo.Constraint(self.ets_sites, m.T, rule=lambda m, s, t: (
            m.ets_excess[s, t] >= m.scope1[s, t] - inp.free_share[t] * inp.bau_scope1[s, t])
            if not sc.ets.sell_surplus else
            m.ets_excess[s, t] == m.scope1[s, t] - inp.free_share[t] * inp.bau_scope1[s, t])
        for t in inp.years:
            ets = sum(inp.w[s] * inp.p_ets[t] * m.ets_excess[s, t] for s in self.ets_sites)
            if self.ets_sites:
                ledger.add("cost", "carbon_ets", t, ets)
            if inp.p_icp[t] > 0:
                icp = sc.internal_carbon_price
                covered = sum(inp.w[s] * (m.scope1[s, t] + (
                    m.scope2_market[s, t] if icp.scope2 == "market" else
                    m.scope2_location[s, t] if icp.scope2 == "location" else 0)) for s in inp.sites)
                if icp.scope3:
                    covered += sum(m.scope3[c, t] for c in self.cats)
                ledger.add("cost", "carbon_internal", t, inp.p_icp[t] * covered)

    def renewable_electricity(self, ledger: Ledger, t: int) -> tuple:
        """(renewable electricity used, electricity used) in year t, consolidated, GWh: on-site supply and
        PPA/certificate claims over grid purchases plus on-site supply."""
        m, inp = self.m, self.inp
        green = sum(inp.w[s] * (ledger.total("onsite_supply", s, t) + ledger.total("green_claims", s, t))
                    for s in inp.sites)
        use = sum(inp.w[s] * (m.grid[s, t] + ledger.total("onsite_supply", s, t)) for s in inp.sites)
        return green, use

    def total(self, t: int, scope1: bool, scope2: str, cats: list[int]):
        """Consolidated emissions of a coverage in year t, ktCO2e."""
        m, inp = self.m, self.inp
        e = 0
        for s in inp.sites:
            part = m.scope1[s, t] if scope1 else 0
            if scope2 == "market":
                part = part + m.scope2_market[s, t]
            elif scope2 == "location":
                part = part + m.scope2_location[s, t]
            e = e + inp.w[s] * part
        return e + sum(m.scope3[c, t] for c in cats)
