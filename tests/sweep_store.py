"""A sweep store written row by row with the store module (no solving): known adoption rules for tests,
and a large synthetic store for the report benchmark (benchmarks/sweep_report.py)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from planner.studies.sweep.store import FILE_NAME, TABLES, Store

YEARS = list(range(2025, 2051))
SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3")


def synthetic_store(out: Path, n: int, planned: int | None = None, measures: int = 6, seed: int = 0,
                    infeasible: tuple[int, ...] = ()) -> Path:
    """A store of an LHS-like sweep: n stored variants (of `planned`), parameters `carbon_price` (10 CNY/t per
    variant index, mod 1000) and `noise` (random). Measure rules: `eff` always adopted; `ccus` only when
    carbon_price > 180; `never` never; `mostly` in all but variant 0; `m<k>` random. Variants in
    `infeasible` are infeasible (missing t30)."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(out / FILE_NAME))
    store = Store(out / FILE_NAME, con)
    con.begin()
    for name, cols in TABLES.items():
        con.execute(f"CREATE TABLE {name} ({cols})")
    planned = planned or n
    meta = {"name": "synthetic", "file": "synthetic.yaml", "base_scenario": "demo", "design": "lhs", "seed": "0",
            "samples": str(planned), "variants": str(planned), "digest": "x", "planner_version": "test",
            "store_format": "1", "salib_problem": json.dumps({"num_vars": 2, "names": ["carbon_price", "noise"],
                                                              "bounds": [[0.0, 1.0]] * 2}),
            "sweep_file": json.dumps({"design": "lhs"})}
    store._insert("sweep", pd.DataFrame({"key": list(meta), "value": list(meta.values())}))
    store._insert("parameters", pd.DataFrame([
        dict(parameter="carbon_price", position=0, path="carbon_price", mode="set", distribution="uniform",
             low=0.0, high=1000.0, base=None, locations="internal_carbon_price.price_cny_per_t"),
        dict(parameter="noise", position=1, path="prices.ets", mode="scale", distribution="uniform", low=0.5,
             high=1.5, base=1.0, locations="prices.ets")]))
    cp = (10.0 * np.arange(planned)) % 1000
    noise = rng.uniform(0.5, 1.5, planned)
    store._insert("variants", pd.DataFrame({
        "variant": np.repeat(np.arange(planned), 2), "parameter": ["carbon_price", "noise"] * planned,
        "value": np.column_stack([cp, noise]).ravel(), "unit_value": np.column_stack([cp / 1000, noise - 0.5]).ravel(),
        "level": "sample"}))
    con.commit()
    names = ["eff", "ccus", "never", "mostly"] + [f"m{k}" for k in range(max(0, measures - 4))]
    for i in range(n):
        bad = i in infeasible
        npv = 1e8 + 1e5 * cp[i] + 1e6 * noise[i]
        metrics = pd.DataFrame([dict(variant=i, status="infeasible" if bad else "optimal", termination="",
                                     objective_cny=None if bad else npv, cash_npv_cny=None if bad else npv,
                                     targets_met=not bad, targets_missed=int(bad),
                                     total_capex_cny=None if bad else 5e6 * (1 + (cp[i] > 180)),
                                     cumulative_scope12_tco2e=None if bad else 1e6 - 100 * cp[i], shortfall="",
                                     message="", rebuilt=False, rebuild_reason="")])
        tg = pd.DataFrame([dict(target="t30", type="absolute", year=2030, milestone=True, unit="tCO2e",
                                required=30_000.0, achieved=35_000.0 if bad else 29_000.0, offsets_used=0.0,
                                net=35_000.0 if bad else 29_000.0, met=not bad, shortfall=5_000.0 if bad else 0.0)])
        tables = {"metrics": metrics, "targets": tg}
        if not bad:
            adopt = {"eff": True, "ccus": cp[i] > 180, "never": False, "mostly": i != 0}
            adopt.update({m: bool(rng.random() < 0.5) for m in names[4:]})
            tables["adoption"] = pd.DataFrame([dict(
                measure=m, kind="ccus" if m == "ccus" else "efficiency", family="ccus" if m == "ccus" else "efficiency",
                site="s1", adopted=a, first_year=2025 + (i + k) % 10 if a else None, size=1.0 if a else 0.0,
                unit="MW", actions=int(a), capex_cny=1e6 if a else 0.0) for k, (m, a) in enumerate(adopt.items())])
            tables["adoption"]["first_year"] = tables["adoption"].first_year.astype("Int64")
            base = 40_000.0 * (1 - (np.array(YEARS) - 2025) / 30) * (1 - cp[i] / 3000)
            tables["trajectories"] = pd.DataFrame([dict(year=y, scope=s, bau_tco2e=40_000.0, plan_tco2e=b / 2)
                                                   for y, b in zip(YEARS, base, strict=True) for s in SCOPES])
        store.write(i, tables)
    con.close()
    return out
