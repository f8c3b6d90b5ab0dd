"""Carbon markets in the objective (docs/model.md §10.1-10.2): the China ETS position of each covered site
(allowances by grandfathering or by product benchmark, the obligation = its scope-1 emissions, the deficit
bought and the surplus sold at the ETS price) and the EU CBAM certificates on the goods exported to the EU
(embedded emissions less the free allocation adjustment, less the China carbon price effectively paid).

Called by `Core.close` after the emissions are defined; adds the cost categories `carbon_ets` and `carbon_cbam`.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ..preprocess.inputs import ModelInputs
from .ledger import Ledger

BIG_M_FACTOR = 4.0  # |allowances bought or sold| <= 4 x (BAU scope 1 + BAU allowances) + 1 kt (ets_bought_max)


def production(core, ledger: Ledger, s: str, p: str, y: int):
    """Production of product p at site s in year y, kt: its routes' (ledger) or, without routes, its output."""
    if (s, p) in core.inp.site_products:
        return ledger.total("product_made", (s, p), y)
    return core.inp.product_output_kt.get((s, p, y), 0.0)


def bau_production_kt(inp: ModelInputs, s: str, p: str, y: int) -> float:
    """BAU production of product p at site s in year y, kt (its routes' BAU production, else its output)."""
    routes = [m.id for m in inp.measures if (pr := m.production()) is not None and (pr.site, pr.product) == (s, p)]
    if routes:
        return sum(inp.bau_route_kt.get((r, y), 0.0) for r in routes)
    return inp.product_output_kt.get((s, p, y), 0.0)


def _output_by_site(inp: ModelInputs) -> dict[str, list[tuple[str, int, float]]]:
    """(product, year, kt) of each site's output, in the order of `inp.product_output_kt`; grouped once per
    dict, so that asking for every site and year costs one pass, not one per site and year."""
    memo = inp.__dict__.get("_output_by_site")
    if memo is None or memo[0] is not inp.product_output_kt:
        by_site: dict[str, list[tuple[str, int, float]]] = {}
        for (s, p, y), v in inp.product_output_kt.items():
            by_site.setdefault(s, []).append((p, y, v))
        memo = inp.__dict__["_output_by_site"] = (inp.product_output_kt, by_site)
    return memo[1]


def benchmark_products(inp: ModelInputs, s: str) -> list[str]:
    """Products of site s with an ETS benchmark, sorted."""
    bench = {p for p, _y in inp.ets_benchmark}
    return sorted({p for p, _y, _v in _output_by_site(inp).get(s, ()) if p in bench})


def allocation_share(inp: ModelInputs, s: str, p: str, y: int) -> float:
    """alpha_{s,p,y}: product p's share of the t site s sells (the mass allocation of docs/model.md §6.11)."""
    sold = sum(v for _q, yy, v in _output_by_site(inp).get(s, ()) if yy == y)
    return inp.product_output_kt.get((s, p, y), 0.0) / sold if sold > 0 else 0.0


def cbam_keys(inp: ModelInputs) -> list[tuple[str, str, int]]:
    """(site, product, year) of every CBAM product a site sells in a CBAM year."""
    if inp.cbam is None:
        return []
    names = {x.product for x in inp.cbam.products}
    return sorted((s, p, y) for (s, p, y), v in inp.product_output_kt.items()
                  if p in names and y in inp.cbam.years and v > 0)


def needs_trade_split(inp: ModelInputs) -> bool:
    """The China price paid is deducted from CBAM and the surplus is sold: the deficit needs its own variable
    (a binary per covered site and year keeps allowances from being bought and sold at once)."""
    return bool(inp.cbam is not None and inp.cbam.deduct and inp.ets_sell_surplus and inp.ets_sites
                and cbam_keys(inp))


def add_markets(m: pyo.ConcreteModel, core, ledger: Ledger) -> None:
    """ETS position and CBAM certificates with their cost terms."""
    _ets(m, core, ledger)
    _cbam(m, core, ledger)


def _ets(m, core, ledger: Ledger) -> None:
    inp = core.inp
    ets, sell, w = inp.ets_sites, inp.ets_sell_surplus, inp.site_share
    bench = inp.ets_allocation == "benchmark"
    if bench:
        m.ets_benchmark_products = pyo.Set(initialize=sorted({p for p, _y in inp.ets_benchmark}), ordered=True)
        m.ets_benchmark = pyo.Param(m.ets_benchmark_products, m.periods, initialize=inp.ets_benchmark,
                                    mutable=True, within=pyo.Reals,
                                    doc="ETS benchmark x adjustment factors, t allowances per t of product")

    def allowances(m, s, y):
        if bench:
            return sum(m.ets_benchmark[p, y] * production(core, ledger, s, p, y) for p in benchmark_products(inp, s))
        return m.free_allocation_share[y] * inp.bau_scope1_kt[s, y]

    m.ets_allowances = pyo.Expression(ets, m.periods, rule=allowances, doc="free allowances, kt")
    m.ets_excess = pyo.Var(ets, m.periods, domain=pyo.Reals if sell else pyo.NonNegativeReals,
                           doc="allowances bought (sold if negative), kt")

    def ets_rule(m, s, y):
        need = m.scope1[s, y] - m.ets_allowances[s, y]
        return m.ets_excess[s, y] == need if sell else m.ets_excess[s, y] >= need

    m.ets_excess_min = pyo.Constraint(ets, m.periods, rule=ets_rule)
    if needs_trade_split(inp):
        def big_m(s, y):
            alloc = (sum(inp.ets_benchmark[p, y] * bau_production_kt(inp, s, p, y) for p in benchmark_products(inp, s))
                     if bench else inp.bau_scope1_kt[s, y])
            return BIG_M_FACTOR * (inp.bau_scope1_kt[s, y] + alloc) + 1.0

        m.ets_bought = pyo.Var(ets, m.periods, domain=pyo.NonNegativeReals, doc="allowances bought, kt")
        m.ets_sold = pyo.Var(ets, m.periods, domain=pyo.NonNegativeReals, doc="allowances sold, kt")
        m.ets_deficit = pyo.Var(ets, m.periods, domain=pyo.Binary, doc="1 when the site buys allowances")
        m.ets_trade_def = pyo.Constraint(ets, m.periods, rule=lambda m, s, y: (
            m.ets_excess[s, y] == m.ets_bought[s, y] - m.ets_sold[s, y]))
        m.ets_bought_max = pyo.Constraint(ets, m.periods, rule=lambda m, s, y: (
            m.ets_bought[s, y] <= big_m(s, y) * m.ets_deficit[s, y]))
        m.ets_sold_max = pyo.Constraint(ets, m.periods, rule=lambda m, s, y: (
            m.ets_sold[s, y] <= big_m(s, y) * (1 - m.ets_deficit[s, y])))
    for y in core.time.years:
        if ets:
            ledger.add("cost", "carbon_ets", y, sum(w[s] * m.price_ets[y] * m.ets_excess[s, y] for s in ets))


def ets_bought(m, inp: ModelInputs, s: str, y: int):
    """Allowances the site buys in year y (its carbon price effectively paid is price x this), kt."""
    return m.ets_bought[s, y] if hasattr(m, "ets_bought") else m.ets_excess[s, y]


def _cbam(m, core, ledger: Ledger) -> None:
    inp = core.inp
    keys = cbam_keys(inp)
    if not keys:
        return
    cb = inp.cbam
    m.cbam_keys = pyo.Set(initialize=keys, dimen=3, ordered=True, doc="(site, product, year) exported under CBAM")
    m.cbam_products = pyo.Set(initialize=[x.product for x in cb.products], ordered=True)
    m.price_cbam = pyo.Param(m.periods, initialize=inp.price_cbam_mcny_per_kt, mutable=True, within=pyo.Reals,
                             doc="EU ETS price x EUR/CNY, MCNY/kt")
    m.cbam_export_share = pyo.Param(m.cbam_products, m.periods, initialize=inp.cbam_export_share, mutable=True,
                                    within=pyo.Reals, doc="share of the product's output exported to the EU")

    def exported(m, s, p, y):
        return m.cbam_export_share[p, y] * inp.product_output_kt[s, p, y]

    def embedded(m, s, p, y):
        spec = cb.product(p)
        if spec.embedded == "default":
            return exported(m, s, p, y) * dict(spec.default_t_per_t)[y]
        site = m.scope1[s, y] + (m.scope2_location[s, y] if spec.indirect else 0)
        return m.cbam_export_share[p, y] * allocation_share(inp, s, p, y) * site

    m.cbam_exported = pyo.Expression(m.cbam_keys, rule=exported, doc="t exported to the EU, kt")
    m.cbam_embedded = pyo.Expression(m.cbam_keys, rule=embedded, doc="embedded emissions of the exports, ktCO2e")
    m.cbam_certificates = pyo.Var(m.cbam_keys, domain=pyo.NonNegativeReals, doc="CBAM certificates, kt")
    m.cbam_certificates_min = pyo.Constraint(m.cbam_keys, rule=lambda m, s, p, y: (
        m.cbam_certificates[s, p, y] >= m.cbam_embedded[s, p, y]
        - m.cbam_exported[s, p, y] * dict(cb.product(p).faa_t_per_t)[y]))
    deduct = [k for k in keys if cb.deduct and k[0] in inp.ets_sites]
    if deduct:
        m.cbam_deduction_keys = pyo.Set(initialize=deduct, dimen=3, ordered=True)
        m.cbam_deduction = pyo.Var(m.cbam_deduction_keys, domain=pyo.NonNegativeReals,
                                   doc="China carbon price paid deducted from the CBAM cost, MCNY")
        m.cbam_deduction_max = pyo.Constraint(m.cbam_deduction_keys, rule=lambda m, s, p, y: (
            m.cbam_deduction[s, p, y] <= m.price_cbam[y] * m.cbam_certificates[s, p, y]))
        m.cbam_deduction_paid_max = pyo.Constraint(m.cbam_deduction_keys, rule=lambda m, s, p, y: (
            m.cbam_deduction[s, p, y] <= m.price_ets[y] * m.cbam_export_share[p, y] * allocation_share(inp, s, p, y)
            * ets_bought(m, inp, s, y)))
    for s, p, y in keys:
        d = m.cbam_deduction[s, p, y] if deduct and (s, p, y) in m.cbam_deduction_keys else 0
        ledger.add("cost", "carbon_cbam", y,
                   inp.site_share[s] * (m.price_cbam[y] * m.cbam_certificates[s, p, y] - d))
