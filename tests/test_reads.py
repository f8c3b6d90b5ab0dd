"""Issue 30: the results stage reads a solved model's values once and fast (backend/reads.py); every value is
the very float `BuiltModel.value` gives (bit for bit), so every result frame is unchanged."""

from __future__ import annotations

import struct

import pytest
from helpers import efficiency, scenario

from planner.backend import build_model, solve
from planner.backend.ledger import LEDGERS
from planner.backend.reads import LedgerValues, reader
from planner.postprocess.results import costs, electricity, plan_emissions, roadmap
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years


def _bits(x: float) -> bytes:
    return struct.pack("d", x)


@pytest.fixture(scope="module")
def solved():
    """Two sites, an efficiency retrofit, PV with a battery, a PPA and certificates (a shared 2-year horizon)."""
    sites = [{"id": s, "entity": "p", "grid_region": "East", "energy": {"electricity": e, "natural_gas": 800}}
             for s, e in (("s1", 1000), ("s2", 3000))]
    measures = [efficiency("e1", capex=1e4, life=2, carriers=["electricity", "natural_gas"]),
                {"id": "pv", "kind": "onsite_generation", "site": "s2", "capex_cny_per_kw": 2000,
                 "yield_mwh_per_mw": 1200, "max_size": 1, "lifetime": 5},
                {"id": "bat", "kind": "storage", "site": "s2", "capex_cny_per_kwh": 300, "max_size": 2,
                 "lifetime": 3, "requires": ["pv"]},
                {"id": "ppa", "kind": "green_ppa", "max_share": 0.5},
                {"id": "gec", "kind": "green_certificates", "max_mwh": 300}]
    sc = scenario(horizon={"start": 2025, "end": 2026}, discount_rate=0.05, sites=sites, measures=measures,
                  targets=[{"id": "t", "year": 2026, "coverage": {"scope1": True, "scope2": "market"},
                            "reduction": 0.3}])
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    assert solve(b, sc.solver).has_solution
    return b


def test_ledger_values_are_the_model_values_bit_for_bit(solved):
    b = solved
    with b.evaluation():
        lv = LedgerValues(b)
        n = several = 0
        for name in LEDGERS:
            got = lv.terms(name)
            want = list(b.ledger.items(name))
            assert [t[:3] for t in got] == [t[:3] for t in want]  # the ledger's own order
            assert [_bits(t[3]) for t in got] == [_bits(b.value(t[3])) for t in want]
            keys = [(k, t) for k, t, _m, _x in got]
            for key, time in set(keys):
                assert _bits(lv.total(name, key, time)) == _bits(b.value(b.ledger.total(name, key, time)))
                n, several = n + 1, several + (keys.count((key, time)) > 1)
        assert n > 20 and several > 5  # many totals compared, several of them sums of more than one term
        assert lv.total("green_claims", "nowhere", 2025) == 0.0  # no terms: 0, as Ledger.total
        purchase = lv.indexed(b.m.grid_purchase)
        assert {k: _bits(x) for k, x in purchase.items()} == {
            k: _bits(b.value(v)) for k, v in b.m.grid_purchase.items()}
    # outside an evaluation (no memo of b's): the same floats as Pyomo's own evaluation
    val = reader(b)
    assert [_bits(val(b.m.cost[k])) for k in b.m.cost] == [_bits(b.value(b.m.cost[k])) for k in b.m.cost]


def test_frames_read_alone_equal_the_frames_read_together(solved):
    """A frame function without `lv` (as the sweep engine calls it) gives the frame extract's shared read gives."""
    b = solved
    with b.evaluation():
        lv = LedgerValues(b)
        together = (costs(b, lv)[1], electricity(b, lv), plan_emissions(b, lv), roadmap(b, lv))
    alone = (costs(b)[1], electricity(b), plan_emissions(b), roadmap(b))
    for x, y in zip(together, alone, strict=True):
        assert x.equals(y) and len(x)


class _PyomoValues:
    """The reference: every value read by Pyomo's own evaluation (`BuiltModel.value`), as the results stage
    read them before LedgerValues."""

    def __init__(self, b):
        self.b = b
        self.value = b.value

    def terms(self, name: str) -> list[tuple]:
        return [(k, t, m, self.b.value(x)) for k, t, m, x in self.b.ledger.items(name)]

    def total(self, name: str, key, time) -> float:
        return self.b.value(self.b.ledger.total(name, key, time))

    def indexed(self, component) -> dict:
        return {k: self.b.value(v) for k, v in component.items()}


def test_frames_from_the_fast_reads_equal_frames_from_pyomos_evaluation(solved):
    b = solved
    with b.evaluation():
        fast = (costs(b, LedgerValues(b))[1], electricity(b, LedgerValues(b)), plan_emissions(b, LedgerValues(b)),
                roadmap(b, LedgerValues(b)))
    with b.evaluation():
        ref = _PyomoValues(b)
        slow = (costs(b, ref)[1], electricity(b, ref), plan_emissions(b, ref), roadmap(b, ref))
    for x, y in zip(fast, slow, strict=True):
        assert x.equals(y) and len(x)
