"""Stand-alone MACC: each measure forced alone at its potential (built in its first year at its maximum
size and operated to maximise abatement, with any prerequisites in place), against BAU (or the
prerequisites alone). Stand-alone cost per tonne (`standalone_cost_cny_per_tco2e`) = discounted change of
the total cost excluding carbon prices (ETS and internal) / discounted abatement; potential = average
annual abatement while in service. Kinds priced in closed form (green power: price / market-based grid
factor) say so through `macc_method`; offsets are left out. Abatement basis: scope 1 + scope 2 market +
scope 3, consolidated.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

from ..backend import COST_CATEGORIES, REGISTRY, build_model, solve
from ..backend.subsolve import highs_used
from ..postprocess.macc import MACC_COLUMNS
from ..preprocess.baseline import drivers
from ..preprocess.inputs import ModelInputs, build_inputs
from ..schemas.library import Library, load_library
from ..schemas.scenario import Constraints, InternalCarbonPrice, Scenario
from ..units import KT_TO_T

CARBON = ("carbon_ets", "carbon_cbam", "carbon_internal")  # carbon prices: outside a MACC cost
FORCING_CARBON_PRICE_CNY_PER_T = 1e5  # makes the dispatch of forced measures maximise abatement


def _forced_run(sc: Scenario, lib: Library, ids: list[str]) -> tuple[float, dict[int, float]]:
    """(discounted cost excluding carbon prices, MCNY; market-basis emissions by year, kt) with the given
    measures forced in place from their first year at their potential."""
    ms = [m.model_copy(update={"enabled": m.id in ids}) for m in sc.measures]
    # a very high internal carbon price (excluded from the reported cost) makes the dispatch of the forced
    # measures maximise abatement: each is operated at its potential, as a MACC assumes
    icp = InternalCarbonPrice(price_cny_per_t=FORCING_CARBON_PRICE_CNY_PER_T, scope2="market", scope3=True)
    sc2 = sc.model_copy(update={"measures": ms, "targets": [], "constraints": Constraints(),
                                "internal_carbon_price": icp,
                                "solver": sc.solver.model_copy(update={"mip_rel_gap": 0.0})})
    inp = build_inputs(sc2, lib, drivers(sc2, lib))
    b = build_model(inp, [])
    for mm in b.measures:
        mm.force_potential()
    info = solve(b, sc2.solver)
    if not info.has_solution:
        return float("nan"), {}
    m, val = b.m, b.value
    cost = sum(inp.discount[y] * val(m.cost[c, y]) for c in COST_CATEGORIES if c not in CARBON for y in inp.years)
    em = {y: sum(inp.site_share[s] * val(m.scope1[s, y] + m.scope2_market[s, y]) for s in inp.sites)
          + sum(val(m.scope3[c, y]) for c in b.core.scope3_categories) for y in inp.years}
    return cost, em


def standalone_macc(sc: Scenario, lib: Library | None = None) -> pd.DataFrame:
    """Stand-alone levelised cost (CNY/tCO2e) and potential (tCO2e/yr) of every enabled measure."""
    lib = lib or load_library()
    inp: ModelInputs = build_inputs(sc, lib)
    cache: dict[tuple[str, ...], tuple[float, dict[int, float]]] = {}

    def run(ids: tuple[str, ...]):
        if ids not in cache:
            cache[ids] = _forced_run(sc, lib, list(ids))
        return cache[ids]

    rows = []
    for m in inp.measures:
        model = REGISTRY[m.kind](m, inp)
        base = dict(measure=m.id, name=m.label, name_zh=m.label_zh, family=m.family_name, site=m.site or "company")
        if model.macc_method == "none":
            continue
        if model.macc_method == "closed_form":
            closed = model.standalone_macc()
            if closed is not None:
                rows.append({**base, "potential_tco2e_per_yr": closed[0], "standalone_cost_cny_per_tco2e": closed[1]})
            continue
        pre = tuple(sorted(getattr(m, "requires", [])))
        c0, e0 = run(pre)
        c1, e1 = run(tuple(sorted({*pre, m.id})))
        if not e0 or not e1:
            continue
        dab = {y: (e0[y] - e1[y]) for y in inp.years}
        disc = sum(inp.discount[y] * dab[y] for y in inp.years)
        in_service = [y for y in inp.years if abs(dab[y]) > 1e-9]
        if disc <= 1e-9 or not in_service:
            continue
        rows.append({**base, "potential_tco2e_per_yr": sum(dab[y] for y in in_service) / len(in_service) * KT_TO_T,
                     "standalone_cost_cny_per_tco2e": (c1 - c0) / disc * KT_TO_T})  # MCNY/kt -> CNY/t
    cols = MACC_COLUMNS + ["potential_tco2e_per_yr", "standalone_cost_cny_per_tco2e"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("standalone_cost_cny_per_tco2e", kind="stable").reset_index(drop=True)


_PENDING: tuple | None = None  # (scenario, library) of the background run: read by the forked process


def _pending_macc() -> pd.DataFrame:
    assert _PENDING is not None
    return standalone_macc(*_PENDING)


class Background:
    """The stand-alone MACC of a scenario computed in a forked process (it needs only the scenario, so it can
    run while the plan itself is solved, on the other core); `result()` is the frame `standalone_macc` gives,
    computed in this process if no process could be forked or it died."""

    def __init__(self, sc: Scenario, lib: Library | None = None) -> None:
        global _PENDING
        self.sc, self.lib = sc, lib
        self.executor: ProcessPoolExecutor | None = None
        self.future: Future | None = None
        if "fork" in multiprocessing.get_all_start_methods() and not highs_used():  # see highs_used
            _PENDING = (sc, lib)
            try:
                self.executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
                self.future = self.executor.submit(_pending_macc)
            except (OSError, RuntimeError, BrokenProcessPool):
                self.close()

    def result(self) -> pd.DataFrame:
        try:
            if self.future is not None:
                try:
                    return self.future.result()
                except (BrokenProcessPool, OSError):
                    pass
            return standalone_macc(self.sc, self.lib)
        finally:
            self.close()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor, self.future = None, None
