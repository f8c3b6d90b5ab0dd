"""Synthetic portfolios: N sites cycling through three plant archetypes and seven grid regions,
with the demo's measure menu per site. Deterministic for a seed; used by benchmarks and tests."""

from __future__ import annotations

import numpy as np

from .schemas import Scenario, validate

REGIONS = ["East", "North", "Southwest", "Central", "South", "Northwest", "Northeast"]


def _site_measures(s: str, kind: int, rng: np.random.Generator) -> list[dict]:
    pv = {"id": f"{s}_pv", "template": "rooftop_pv", "site": s, "max_size": float(rng.uniform(2, 15))}
    common = [{"id": f"{s}_vsd", "template": "vsd_motors", "site": s}, pv,
              {"id": f"{s}_ems", "template": "energy_management", "site": s,
               "carriers": ["electricity", "natural_gas"] + (["coal"] if kind == 1 else [])}]
    if kind == 0:
        return common + [
            {"id": f"{s}_bat", "template": "battery_storage", "site": s, "max_size": 10, "requires": [f"{s}_pv"]},
            {"id": f"{s}_hp", "template": "heat_pump", "site": s, "target_carrier": "natural_gas"}]
    if kind == 1:
        return common + [
            {"id": f"{s}_kiln", "template": "kiln_retrofit", "site": s, "exclusive_group": f"{s}_melt"},
            {"id": f"{s}_route", "template": "process_retrofit", "site": s, "cut_share": 0.7,
             "carrier_change": {"coal": -0.85, "electricity": 0.45}, "capex_fixed_cny": float(rng.uniform(5e7, 1.2e8)),
             "exclusive_group": f"{s}_melt"},
            {"id": f"{s}_whr", "template": "waste_heat_recovery", "site": s, "target_carrier": "coal",
             "max_share": 0.2},  # ASSUMPTION: a fifth of the coal heat serves low-temperature uses
            {"id": f"{s}_eb", "template": "electric_boiler", "site": s, "target_carrier": "natural_gas"},
            {"id": f"{s}_ccus", "template": "ccus", "site": s, "min_size": 10}]
    return common + [{"id": f"{s}_hp", "template": "heat_pump", "site": s, "target_carrier": "natural_gas"},
                     {"id": f"{s}_ref", "template": "refrigerant_switch", "site": s, "capex_fixed_cny": 2e6}]


def portfolio(n_sites: int, seed: int = 0, end_year: int = 2050) -> Scenario:
    """A validated scenario with `n_sites` sites and targets like the demo's."""
    rng = np.random.default_rng(seed)
    sites, measures = [], []
    for i in range(n_sites):
        s, kind = f"site{i:03d}", i % 3
        g = float(rng.uniform(1.0, 1.6))
        site = {"id": s, "entity": "group", "grid_region": REGIONS[i % len(REGIONS)],
                "growth": {2024: 1.0, 2050: g}, "output": {"value": float(rng.uniform(1e5, 1e6)), "unit": "units"}}
        if kind == 0:
            site["energy"] = {"electricity": float(rng.uniform(5e4, 2e5)), "natural_gas": float(rng.uniform(5e5, 3e6))}
            site["fugitive_emissions"] = {"HFC-134a": float(rng.uniform(0.1, 1.0))}
        elif kind == 1:
            site["energy"] = {"electricity": float(rng.uniform(3e4, 1e5)), "coal": float(rng.uniform(1e4, 4e4)),
                              "natural_gas": float(rng.uniform(1e6, 8e6))}
            site["process_emissions"] = {"CO2": float(rng.uniform(5e3, 2e4))}
            site["ets_covered"] = True
        else:
            site["energy"] = {"electricity": float(rng.uniform(1e5, 3e5)), "natural_gas": float(rng.uniform(1e6, 4e6))}
            site["fugitive_emissions"] = {"NF3": float(rng.uniform(0.05, 0.3))}
        sites.append(site)
        measures += _site_measures(s, kind, rng)
    measures += [{"id": "green_power", "template": "green_ppa", "max_share": 0.9},
                 {"id": "gec", "template": "green_certificates"},
                 {"id": "ccer", "template": "carbon_credits", "max_tco2e": 10000.0 * n_sites},
                 {"id": "suppliers", "template": "supplier_engagement"}]
    raw = {
        "name": f"portfolio_{n_sites}", "company": f"Synthetic portfolio of {n_sites} sites", "base_year": 2024,
        "horizon": {"start": 2025, "end": end_year}, "discount_rate": 0.06,
        "organisation": {"reporting_entity": "group", "entities": [{"id": "group"}]},
        "sites": sites, "scope3": {"categories": {1: {"tco2e": 150000.0 * n_sites}}},
        "prices": {"ets": {2024: 96, 2030: 150, 2050: 350}, "gec": {2025: 5, 2030: 25, 2050: 50}},
        "grid": {"factor_index": {2024: 1.0, 2030: 0.85, 2040: 0.55, 2050: 0.3}},
        "ets": {"free_allocation_share": {2025: 0.95, 2050: 0.3}},
        "trajectories": {"capex_index": {"pv": {2024: 1.0, 2030: 0.8, 2050: 0.55},
                                         "battery": {2024: 1.0, 2030: 0.7, 2050: 0.45}}},
        "targets": [
            {"id": "nt", "year": 2030, "coverage": {"scope1": True, "scope2": "market"}, "reduction": 0.42,
             "pathway": "linear"},
            {"id": "nz", "year": end_year, "coverage": {"scope1": True, "scope2": "market"}, "reduction": 1.0,
             "offsets": "net_zero_residual", "pathway": "linear"}],
        "measures": measures,
        "solver": {"time_limit": 120, "mip_rel_gap": 1e-3, "threads": 2},
    }
    return validate(raw, f"<portfolio {n_sites}>")
