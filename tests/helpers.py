"""Helpers shared by several test files: the round-number micro scenario and small measure builders."""

from __future__ import annotations

import copy
from pathlib import Path

from planner.api import plan
from planner.schemas.loader import validate
from planner.schemas.yamlio import deep_merge

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).parent / "data"

BASE = {
    "name": "micro", "company": "Micro Co", "base_year": 2024, "horizon": {"start": 2025, "end": 2025},
    "discount_rate": 0.0, "gwp": "AR5",
    "organisation": {"reporting_entity": "p", "entities": [{"id": "p"}]},
    "sites": [{"id": "s1", "entity": "p", "grid_region": "East", "energy": {"electricity": 1000}}],
    "grid": {"factors": {"East": 0.5}, "residual_factor": 0.6},
    "solver": {"threads": 1, "time_limit": 60, "mip_rel_gap": 0.0},
}


def scenario(**over):
    """A validated micro scenario: BASE deep-merged with `over` (lists of id-items merge by id)."""
    raw = deep_merge(copy.deepcopy(BASE), over)
    return validate(raw, "micro.yaml")


def solve(**over):
    return plan(scenario(**over))


def built(p, measure: str):
    """Roadmap rows of one measure."""
    return p.roadmap[p.roadmap.measure == measure]


def efficiency(mid: str = "e1", share: float = 0.1, capex: float = 30_000, life: int = 1, **kw) -> dict:
    """A go/no-go electricity-saving retrofit at site s1 with a fixed capex (CNY) and lifetime (years)."""
    return {"id": mid, "kind": "efficiency", "site": "s1", "carriers": ["electricity"], "saving_share": share,
            "capex_fixed_cny": capex, "lifetime": life, **kw}
