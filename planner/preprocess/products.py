"""Products and their BAU production (docs/model.md §6.11): output for sale by year, the production of each
product including what other routes of its site consume (intermediates such as clinker), each route's BAU
production (the routes with existing capacity share each product in proportion to that capacity) and the
energy, process emissions and material inputs that BAU production adds to its site. Pure python and numpy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..schemas.library import Library
from ..schemas.measure import Production
from ..schemas.scenario import Scenario
from ..schemas.trajectory import interpolate

# library price items that are not materials (inputs_per_t may name any other price item: scrap, limestone, ...)
NOT_MATERIALS = ("electricity", "export_electricity", "ets", "ccer", "gec", "ppa_premium", "internal_carbon")


def routes(sc: Scenario) -> dict[str, Production]:
    """measure id -> its production (enabled measures that make a product), sorted by id."""
    out = {}
    for m in sorted(sc.measures, key=lambda m: m.id):
        p = m.production() if m.enabled else None
        if p is not None:
            out[m.id] = p
    return out


@dataclass(frozen=True)
class ProductBAU:
    """Products by year (base year and horizon), t/yr at 100% of the site."""

    output_t: dict[tuple[str, str, int], float]  # (site, product, year): made for sale
    production_t: dict[tuple[str, str, int], float]  # (site, product, year): for sale + intermediate use
    route_t: dict[tuple[str, int], float]  # (route id, year): BAU production of each route
    routes: dict[str, Production] = field(default_factory=dict)
    # what BAU production adds to its site: electricity MWh, fuel MWh, process t of gas, by year
    elec_mwh: dict[tuple[str, int], float] = field(default_factory=dict)
    fuel_mwh: dict[tuple[str, str, int], float] = field(default_factory=dict)
    process_t: dict[tuple[str, str, int], float] = field(default_factory=dict)  # (site, gas, year), t of gas

    def site_products(self) -> list[tuple[str, str]]:
        """(site, product) pairs made by at least one route, sorted."""
        return sorted({(p.site, p.product) for p in self.routes.values()})


def growth(traj, base_year: int, years: list[int]) -> dict[int, float]:
    """Index normalised to 1.0 in the base year (as baseline.growth_index, which imports this module)."""
    vals = interpolate(traj, years, default=1.0)
    b = vals[base_year] or 1.0
    return {y: vals[y] / b for y in years}


def product_bau(sc: Scenario, lib: Library, years: list[int]) -> ProductBAU:
    """Output, production and BAU route production for `years` (base year first). Per site and year, the
    production P of its products solves P = D + A P, D the output for sale and A[p, q] the use of p per t of
    q made in BAU (the existing routes of q weighted by their share of q's existing capacity)."""
    rts = routes(sc)
    out, prod, rt = {}, {}, {}
    by_product: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mid, p in rts.items():
        by_product[p.site, p.product].append(mid)
    elec: dict[tuple[str, int], float] = defaultdict(float)
    fuel: dict[tuple[str, str, int], float] = defaultdict(float)
    proc: dict[tuple[str, str, int], float] = defaultdict(float)
    for s in sc.sites:
        names = sorted(s.products)
        if not names:
            continue
        idx = {p: i for i, p in enumerate(names)}
        share: dict[str, float] = {}
        for p in names:
            ids = by_product.get((s.id, p), [])
            cap = sum(rts[r].existing_capacity_t for r in ids)
            for r in ids:
                share[r] = rts[r].existing_capacity_t / cap if cap > 0 else 0.0
        a = np.zeros((len(names), len(names)))
        for r, w in share.items():
            q = idx[rts[r].product]
            for name, x in rts[r].inputs_per_t.items():
                if name in idx:
                    a[idx[name], q] += w * x
        site_growth = growth(s.growth, sc.base_year, years)
        index = {p: site_growth if s.products[p].growth is None else growth(s.products[p].growth, sc.base_year,
                                                                             years) for p in names}
        for y in years:
            d = np.array([s.products[p].output_t * index[p][y] for p in names])
            try:
                x = np.linalg.solve(np.eye(len(names)) - a, d)
            except np.linalg.LinAlgError:
                x = np.full(len(names), np.nan)
            if not np.all(np.isfinite(x)) or np.any(x < -1e-9 * max(1.0, float(d.max(initial=0.0)))):
                raise InputError(sc.name, f"sites.{s.id}.products", "the routes' intermediate inputs form a loop "
                                 "that makes more of a product than it consumes (no BAU production solves it)")
            for p in names:
                out[s.id, p, y] = float(d[idx[p]])
                prod[s.id, p, y] = max(0.0, float(x[idx[p]]))
                ids = by_product.get((s.id, p), [])
                if ids and prod[s.id, p, y] > 0 and not any(share[r] > 0 for r in ids):
                    raise InputError(sc.name, f"sites.{s.id}.products.{p}", f"made in {y} but no route of it has "
                                     "existing_capacity_t > 0 (BAU production needs an existing route)")
                for r in ids:
                    t = share[r] * prod[s.id, p, y]
                    rt[r, y] = t
                    pr = rts[r]
                    for c, amount in pr.energy_per_t.items():
                        if c == "electricity":
                            elec[s.id, y] += t * amount
                        else:
                            fuel[s.id, c, y] += t * amount * lib.carriers[c].mwh_per_unit
                    for c, amount in pr.inputs_per_t.items():
                        if c not in idx and c in lib.carriers:  # a carrier named as an input: energy like any other
                            fuel[s.id, c, y] += t * amount * lib.carriers[c].mwh_per_unit
                    for gas, amount in pr.process_emissions_per_t.items():
                        proc[s.id, gas, y] += t * amount
    # every route carrier and gas has a (possibly zero) BAU entry at its site, so that the model has its balance
    for mid, pr in rts.items():
        for y in years:
            rt.setdefault((mid, y), 0.0)
            for c in [*pr.energy_per_t, *(c for c in pr.inputs_per_t if c in lib.carriers)]:
                if c != "electricity":
                    fuel[pr.site, c, y] += 0.0
            for gas in pr.process_emissions_per_t:
                proc[pr.site, gas, y] += 0.0
    return ProductBAU(out, prod, rt, rts, dict(elec), dict(fuel), dict(proc))
