"""Accounting identities on random multi-site instances with every measure kind:
abatement sums to BAU minus plan (per year and scope, and per site), plan scopes sum to the totals the
targets see, costs sum to the NPV, roadmap capex equals the capex cost line."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import solve

pytestmark = pytest.mark.usefixtures("testlib")


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    u = lambda a, b: float(rng.uniform(a, b))  # noqa: E731
    sites, measures = [], []
    ents = [{"id": "p"}]
    for i in range(int(rng.integers(1, 4))):
        s = f"s{i}"
        ents.append({"id": f"e{i}", "owners": [{"entity": "p", "share": u(0.3, 1)}], "financial_control": "joint",
                     "operational_control": "p"})
        sites.append({"id": s, "entity": f"e{i}", "grid_region": "East",
                      "energy": {"electricity": u(500, 3000), "natural_gas": u(0, 2000), "coal": u(0, 1500),
                                 "heat": u(0, 300)},
                      "process_emissions": {"CO2": u(0, 400)}, "fugitive_emissions": {"HFC-134a": u(0, 0.2)},
                      "growth": {2024: 1.0, 2028: u(0.9, 1.4)}, "ets_covered": bool(rng.random() < 0.5)})
        measures += [
            {"id": f"{s}_eff", "kind": "efficiency", "site": s, "carriers": ["electricity", "natural_gas"],
             "saving_share": u(0.02, 0.2), "capex_fixed_cny": u(1e4, 2e5), "lifetime": int(rng.integers(1, 6))},
            {"id": f"{s}_kiln", "kind": "efficiency", "site": s, "carriers": ["coal"], "saving_share": u(0.05, 0.2),
             "capex_fixed_cny": u(1e4, 2e5), "lifetime": 3},
            {"id": f"{s}_hp", "kind": "electrification", "site": s, "target_carrier": "natural_gas",
             "cop": u(2, 4), "capex_cny_per_kw": u(100, 3000), "max_share": u(0.2, 1), "lifetime": 4},
            {"id": f"{s}_bio", "kind": "fuel_switch", "site": s, "target_carrier": "coal", "fuel": "biomass",
             "efficiency": 0.8, "capex_cny_per_kw": u(100, 2000), "max_share": u(0.1, 0.5), "lifetime": 4},
            {"id": f"{s}_whr", "kind": "waste_heat_recovery", "site": s, "target_carrier": "coal",
             "capex_cny_per_kw": u(100, 2000), "max_share": 0.2, "parasitic_mwh_per_mwh": 0.02, "lifetime": 4},
            {"id": f"{s}_steam", "kind": "electrification", "site": s, "target_carrier": "heat", "cop": 0.99,
             "capex_cny_per_kw": u(100, 800), "lifetime": 4},
            {"id": f"{s}_pv", "kind": "onsite_generation", "site": s, "capex_cny_per_kw": u(1000, 4000),
             "yield_mwh_per_mw": u(900, 1400), "self_consumption": u(0.4, 1), "degradation": 0.005,
             "max_size": u(0.2, 2), "lifetime": 5},
            {"id": f"{s}_bat", "kind": "storage", "site": s, "capex_cny_per_kwh": u(100, 700),
             "max_size": u(1, 5), "lifetime": 3, "requires": [f"{s}_pv"]},
            {"id": f"{s}_proc", "kind": "process", "site": s, "cut_share": u(0.1, 0.8),
             "carrier_change": {"electricity": u(0, 0.1), "coal": -u(0, 0.5)}, "capex_fixed_cny": u(1e4, 5e5),
             "lifetime": 5},
            {"id": f"{s}_ref", "kind": "process", "site": s, "target": "fugitive", "cut_share": 0.9,
             "capex_fixed_cny": u(1e3, 1e5), "lifetime": 5},
            {"id": f"{s}_ccus", "kind": "ccus", "site": s, "capex_cny_per_tpa": u(100, 800),
             "opex_cny_per_t": u(50, 300), "elec_mwh_per_t": 0.3, "lifetime": 5},
        ]
    measures += [{"id": "ppa", "kind": "green_ppa", "max_share": u(0.2, 1)},
                 {"id": "gec", "kind": "green_certificates", "max_mwh": u(100, 2000)},
                 {"id": "cr", "kind": "carbon_credits", "max_tco2e": u(10, 200)},
                 {"id": "sup", "kind": "supply_chain", "category": 1, "cut_share": u(0.1, 0.4),
                  "cost_cny_per_tco2e": u(10, 200), "capex_fixed_cny": u(1e4, 1e5), "lifetime": 3}]
    return dict(horizon={"start": 2025, "end": 2028}, discount_rate=u(0, 0.1),
                organisation={"approach": str(rng.choice(["equity_share", "financial_control"])),
                              "reporting_entity": "p", "entities": ents},
                sites=sites, measures=measures, scope3={"categories": {1: {"tco2e": u(100, 3000)}}},
                prices={"ets": u(0, 300), "export_electricity": u(100, 400)}, ets={"free_allocation_share": u(0, 1)},
                internal_carbon_price={"price_cny_per_t": u(100, 1500), "scope3": True,
                                       "scope2": str(rng.choice(["market", "location"]))},
                targets=[{"id": "nz", "year": 2028, "coverage": {"scope1": True, "scope2": "market"},
                          "reduction": u(0, 0.3), "offsets": "share", "offset_share": 0.05}])


@pytest.mark.parametrize("seed", range(6))
def test_identities(seed):
    p = solve(**random_case(seed), solver={"mip_rel_gap": 1e-6})
    e, a = p.emissions, p.abatement
    keys = ["year", "scope"]
    gap = e.groupby(keys)[["bau_tco2e", "plan_tco2e"]].sum()
    att = a.groupby(keys).tco2e.sum().reindex(gap.index, fill_value=0.0)
    assert np.allclose(gap.bau_tco2e - gap.plan_tco2e, att, atol=1e-6 * max(1.0, gap.bau_tco2e.abs().max()))
    by_site = e.groupby(["year", "site", "scope"])[["bau_tco2e", "plan_tco2e"]].sum()
    att_site = a.groupby(["year", "site", "scope"]).tco2e.sum().reindex(by_site.index, fill_value=0.0)
    assert np.allclose(by_site.bau_tco2e - by_site.plan_tco2e, att_site, atol=1e-3)
    # the target sees exactly scope 1 + scope 2 market of the emissions frame
    t = p.targets.iloc[0]
    y = e[(e.year == 2028) & e.scope.isin(["scope1", "scope2_market"])]
    assert t.achieved == pytest.approx(y.plan_tco2e.sum(), rel=1e-9, abs=1e-6)
    # costs: discounted sum = NPV; roadmap capex x share = capex cost line
    assert p.costs.discounted_cny.sum() == pytest.approx(p.summary["objective_cny"], rel=1e-6)
    capex = p.costs[p.costs.category == "capex"].nominal_cny.sum()
    assert (p.roadmap.capex_cny * p.roadmap.share).sum() == pytest.approx(capex, rel=1e-9, abs=1e-3)
    mc = p.measure_costs.groupby("category").nominal_cny.sum()
    assert mc.get("capex", 0.0) == pytest.approx(capex, rel=1e-9, abs=1e-3)
    assert len(p.roadmap) > 0  # the carbon prices make something worth doing


def test_sum_terms_is_the_sum():
    """ledger.sum_terms builds the very expression tree the + operator builds (same node classes, same
    arguments in the same order), for random lists of variables, monomials, products, named expressions,
    sums and numbers: the build may use it anywhere `sum` was used without changing the compiled model."""
    import pyomo.environ as pyo

    from planner.backend.ledger import sum_terms

    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(4))
    m.p = pyo.Param(mutable=True, initialize=2.0)
    m.e = pyo.Expression(range(2), rule=lambda m, i: m.x[i] + 1)
    rng = np.random.default_rng(0)
    makers = [lambda: m.x[int(rng.integers(4))], lambda: float(rng.choice([2.5, 0.0, 1.0])) * m.x[1],
              lambda: m.p * m.x[2], lambda: 3.0 * m.e[int(rng.integers(2))], lambda: m.e[1],
              lambda: m.x[0] * m.x[1], lambda: 0.0, lambda: 2.0, lambda: m.x[2] + m.x[3]]

    def tree(e):
        if not hasattr(e, "is_expression_type") or not e.is_expression_type() or e.is_named_expression_type():
            return ("leaf", e if e.__class__ in (int, float) else id(e))
        return (e.__class__.__name__, tuple(tree(a) for a in e.args))

    for _ in range(2000):
        terms = [makers[int(rng.integers(len(makers)))]() for _ in range(int(rng.integers(0, 6)))]
        assert tree(sum_terms(terms)) == tree(sum(terms)), terms
