"""Shared helpers: a round-number data library and a minimal scenario for hand-solvable micro-models."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from planner.api import plan
from planner.schemas.loader import validate
from planner.schemas.yamlio import deep_merge

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).parent / "data"


@pytest.fixture
def testlib(monkeypatch):
    """Use tests/data: gas 0.2 t/MWh, coal 0.3, purchased heat 0.4 (scope 2); electricity 500 CNY/MWh."""
    monkeypatch.setenv("PLANNER_DATA", str(TEST_DATA))
    yield


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
