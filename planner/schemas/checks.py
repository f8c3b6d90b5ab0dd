"""Cross-field checks of a validated scenario that pydantic cannot express: ids, entities, regions, carriers,
gases, target years and indices. Each measure kind checks its own references (`MeasureBase.check`)."""

from __future__ import annotations

from ..errors import InputError
from .library import Library
from .measure import CheckContext
from .scenario import Scenario
from .trajectory import interpolate, value_at


def _unique(items: list[str], file: str, where: str) -> None:
    seen = set()
    for i, x in enumerate(items):
        if x in seen:
            raise InputError(file, f"{where}[{i}].id", f"duplicate id {x!r}")
        seen.add(x)


def check_references(sc: Scenario, lib: Library, file: str) -> None:
    """Cross-field checks pydantic cannot express: ids, regions, carriers, gases, years."""
    ents = {e.id for e in sc.organisation.entities}
    _unique([e.id for e in sc.organisation.entities], file, "organisation.entities")
    _unique([s.id for s in sc.sites], file, "sites")
    _unique([m.id for m in sc.measures], file, "measures")
    _unique([t.id for t in sc.targets], file, "targets")
    if sc.organisation.reporting_entity not in ents:
        raise InputError(file, "organisation.reporting_entity",
                         f"unknown entity {sc.organisation.reporting_entity!r}")
    for i, e in enumerate(sc.organisation.entities):
        owners: set[str] = set()
        for j, o in enumerate(e.owners):
            if o.entity not in ents:
                raise InputError(file, f"organisation.entities[{i}].owners[{j}].entity",
                                 f"unknown entity {o.entity!r}")
            if o.entity in owners:
                raise InputError(file, f"organisation.entities[{i}].owners[{j}].entity",
                                 f"owner {o.entity!r} is listed twice; give one line with the total share")
            if o.entity == e.id:
                raise InputError(file, f"organisation.entities[{i}].owners[{j}].entity", "an entity cannot own itself")
            owners.add(o.entity)
        total = sum(o.share for o in e.owners)
        if total > 1 + 1e-9:
            raise InputError(file, f"organisation.entities[{i}].owners",
                             f"owner shares sum to {total:g}; expected at most 1")
        if e.financial_control not in (None, "joint") and e.financial_control not in ents:
            raise InputError(file, f"organisation.entities[{i}].financial_control",
                             f"expected an entity id, 'joint' or null, got {e.financial_control!r}")
        if e.operational_control is not None and e.operational_control not in ents:
            raise InputError(file, f"organisation.entities[{i}].operational_control",
                             f"expected an entity id or null, got {e.operational_control!r}")
    gases = set(lib.gwp.index)
    carriers = set(lib.carriers) | {"electricity"}
    regions = set(lib.regions) | set(sc.grid.factors)
    for i, s in enumerate(sc.sites):
        p = f"sites[{i}]"
        if s.entity not in ents:
            raise InputError(file, f"{p}.entity", f"unknown entity {s.entity!r}; expected one of {sorted(ents)}")
        if s.grid_region not in regions:
            raise InputError(file, f"{p}.grid_region", f"unknown region {s.grid_region!r}; "
                             f"expected one of {sorted(regions)}")
        for key in ("energy", "heat_efficiency"):
            for c in getattr(s, key):
                if c not in carriers or (key == "heat_efficiency" and c == "electricity"):
                    raise InputError(file, f"{p}.{key}.{c}",
                                     f"unknown fuel carrier; expected one of {sorted(carriers)}")
        for c in s.emission_factors:
            if c not in lib.carriers:
                raise InputError(file, f"{p}.emission_factors.{c}", "unknown fuel carrier (grid electricity's "
                                 f"factor is set in grid.factors); expected one of {sorted(lib.carriers)}")
        for key in ("process_emissions", "fugitive_emissions"):
            for g in getattr(s, key):
                if g not in gases:
                    raise InputError(file, f"{p}.{key}.{g}", f"unknown gas; expected one of {sorted(gases)}")
    for i, m in enumerate(sc.measures):
        m.check(CheckContext(sc, lib, file, f"measures[{i}]"))
    for i, y in enumerate(sc.time.detail_years):
        if sc.time.hourly_years != "milestones":
            raise InputError(file, f"time.detail_years[{i}]", "detail years need `hourly_years: milestones`")
        if not sc.horizon.start <= y <= sc.horizon.end:
            raise InputError(file, f"time.detail_years[{i}]", f"expected a year within the horizon "
                             f"{sc.horizon.start}-{sc.horizon.end}, got {y}")
    for i, t in enumerate(sc.targets):
        p = f"targets[{i}]"
        if not sc.horizon.start <= t.year <= sc.horizon.end:
            raise InputError(file, f"{p}.year", f"expected a year within the horizon "
                             f"{sc.horizon.start}-{sc.horizon.end}, got {t.year}")
        cats = t.coverage.scope3
        if cats != "all":
            for c in cats:
                if c not in sc.scope3.categories:
                    raise InputError(file, f"{p}.coverage.scope3", f"category {c} has no baseline in scope3")
        if t.type == "intensity":
            if t.intensity_per == "revenue" and sc.revenue_mcny is None:
                raise InputError(file, f"{p}.intensity_per", "revenue intensity needs revenue_mcny")
            if t.intensity_per == "revenue" and value_at(sc.revenue_mcny, sc.base_year) <= 0:
                raise InputError(file, "revenue_mcny", f"expected revenue > 0 in the base year {sc.base_year}")
            if t.intensity_per == "product":
                made = {q for s in sc.sites for q in s.products}
                if t.product not in made:
                    raise InputError(file, f"{p}.product", f"unknown product {t.product!r}; expected one of "
                                     f"{sorted(made)} (sites.*.products)")
                if cats:
                    raise InputError(file, f"{p}.coverage.scope3", "a product intensity target covers scopes 1 and "
                                     "2 only (the product's sites)")
                if sum(s.products[t.product].output_t for s in sc.sites if t.product in s.products) <= 0:
                    raise InputError(file, f"{p}.product", f"product intensity needs base-year output_t > 0 of "
                                     f"{t.product!r}")
            if t.intensity_per == "output":
                units = {s.output.unit for s in sc.sites if s.output is not None}
                if len(units) != 1 or any(s.output is None for s in sc.sites):
                    raise InputError(file, f"{p}.intensity_per",
                                     "output intensity needs every site's output in one unit")
                if sum(s.output.value for s in sc.sites) <= 0:
                    raise InputError(file, f"{p}.intensity_per", "output intensity needs base-year output > 0")
    _check_indices(sc, file)
    _check_markets(sc, lib, file)
    known_prices = set(lib.prices.index)
    for k in sc.prices:
        if k not in known_prices:
            raise InputError(file, f"prices.{k}", f"unknown price item; expected one of {sorted(known_prices)}")


MAX_INDEX = 1000.0  # growth indices (relative to the base year)
MAX_CAPEX_INDEX = 10.0  # capex indices multiply the stated capex: 10x is a typo or an index written as 100 = base


def _check_indices(sc: Scenario, file: str) -> None:
    """Growth indices are normalised to their base-year value: it must be positive and the index must stay
    within 0..1000 (a larger ratio is a typo that would wreck the model's numerics). Capex indices are
    absolute multipliers of the stated capex: each value within 0..10."""
    years = [sc.base_year, *sc.years]
    for k, traj in sc.trajectories.capex_index.items():
        worst = max(interpolate(traj, years).values())
        if worst > MAX_CAPEX_INDEX:
            raise InputError(file, f"trajectories.capex_index.{k}", f"expected multipliers of the stated unit "
                             f"capex within 0..{MAX_CAPEX_INDEX:g} (used as written, not relative to the base "
                             f"year: divide an index such as 100 = base year by its base-year value), got {worst:g}")
    items = [(f"sites[{i}].growth", s.growth) for i, s in enumerate(sc.sites)]
    items += [(f"scope3.categories.{c}.growth", v.growth) for c, v in sc.scope3.categories.items()]
    for path, traj in items:
        if traj is None:
            continue
        vals = interpolate(traj, years)
        base = vals[sc.base_year]
        if base <= 0:
            raise InputError(file, path, f"expected a positive value in the base year {sc.base_year}, got {base:g}")
        worst = max(abs(v) / base for v in vals.values())
        if worst > MAX_INDEX or min(vals.values()) < 0:
            raise InputError(file, path, f"expected values >= 0 within {MAX_INDEX:g}x the base-year value "
                             f"{base:g} (got a ratio of {worst:g})")


def _check_markets(sc: Scenario, lib: Library, file: str) -> None:
    """ETS benchmarks and CBAM products name products of the sites; a CBAM product has a goods category and,
    with embedded: default, a default value (its own or its CN code's in data/cbam.csv)."""
    from .market_data import cbam_default  # noqa: PLC0415 (the carbon-market tables)
    made = {q: s.products[q].sector for s in sc.sites for q in s.products}
    for p in sc.ets.benchmarks:
        if p not in made:
            raise InputError(file, f"ets.benchmarks.{p}", f"unknown product; expected one of {sorted(made)}")
    if sc.ets.allocation == "benchmark" and not any(s.ets_covered for s in sc.sites):
        raise InputError(file, "ets.allocation", "benchmark allocation needs a site with ets_covered: true")
    for p, spec in sc.cbam.products.items():
        where = f"cbam.products.{p}"
        if p not in made:
            raise InputError(file, where, f"unknown product; expected one of {sorted(made)}")
        if spec.goods is None and made[p] == "other":
            raise InputError(file, f"{where}.goods", "a product of sector other needs its CBAM goods category "
                             "(iron_and_steel, aluminium, hydrogen, cement, fertilisers)")
        if spec.embedded == "default" and spec.default_tco2e_per_t is None:
            if spec.cn_code is None or cbam_default(lib.cbam, spec.cn_code) is None:
                raise InputError(file, f"{where}.default_tco2e_per_t", "embedded: default needs the EU default "
                                 "value (tCO2e/t before mark-up) or a cn_code with a China default in data/cbam.csv")
    if sc.cbam.products and sc.horizon.end >= sc.cbam.start_year and sc.cbam.eu_ets_price_eur_per_t == 0.0:
        raise InputError(file, "cbam.eu_ets_price_eur_per_t", "CBAM products need the EU ETS price (EUR/t by year)")
