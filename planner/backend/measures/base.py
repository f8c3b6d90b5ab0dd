"""Measure base classes: the interface every measure kind implements, the registry, and the asset machinery.

A measure kind is one module in this package with its config class (schemas stage types) and a model
class naming it in `config`; defining the class registers the kind for validation and for the builder.

An asset measure has, per model year t: build[t] (binary: a build or reinvestment starts in t), for sized
assets size[t] (capacity built in t), in_service[t] and capacity[t]. Capex (with a mutable unit capex and
the capex index), fixed O&M and salvage follow from the builds; subclasses add physics and variable costs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import ClassVar

from ...preprocess.inputs import ModelInputs
from ...schemas.measure import AssetMeasure, MeasureBase, SizedMeasure, register_kind
from ...units import CNY_TO_MCNY, MCNY_TO_CNY
from ..lazy_pyomo import pyo
from ..ledger import Ledger, sum_terms

REGISTRY: dict[str, type[MeasureModel]] = {}

# smallest build of a sized asset, as a share of its maximum size (when min_size is smaller): without it a build
# of size 0 costs nothing when the capex is per unit only, and shows as a "0.0 MW_th" adoption
MIN_BUILD_SHARE = 1e-3

Value = Callable[[object], float]  # evaluates a model expression or variable after the solve


class MeasureModel(ABC):
    """Base of every measure kind: `build` adds variables, constraints and ledger terms to its block."""

    config: ClassVar[type[MeasureBase]]  # the kind's config class; set in each kind's module
    size_unit: ClassVar[str] = ""
    # how the stand-alone MACC values the measure: "forced_solve" (in place at its potential, solved),
    # "closed_form" (`standalone_macc` from prices alone) or "none" (offsets are not abatement)
    macc_method: ClassVar[str] = "forced_solve"
    # config fields read only by the measure's mutable parameters (`coefficients`): a sweep that changes only
    # these (and prices) updates a built model in place instead of rebuilding it (backend/resolve.py)
    coefficient_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if "config" in cls.__dict__:
            register_kind(cls.config)
            kind = cls.config.model_fields["kind"].annotation.__args__[0]
            REGISTRY[kind] = cls

    def __init__(self, cfg: MeasureBase, inp: ModelInputs):
        self.cfg, self.inp = cfg, inp
        self.id = cfg.id
        self.block: pyo.Block | None = None

    @property
    def share(self) -> float:
        """Consolidation share applied to the measure's site costs (1 for company-level measures)."""
        return self.inp.site_share[self.cfg.site] if self.cfg.site else 1.0

    @property
    def years(self) -> list[int]:
        """Model years within the measure's earliest..latest year."""
        years = self.inp.years
        lo = max(years[0], self.cfg.earliest_year or years[0])
        hi = min(years[-1], self.cfg.latest_year or years[-1])
        return [y for y in years if lo <= y <= hi]

    @abstractmethod
    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """Add the measure's variables, constraints and ledger terms to its block."""

    def link(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """Constraints that read other measures' ledger terms (run after every measure has built)."""
        return None

    def cost(self, ledger: Ledger, category: str, year: int, expr) -> None:
        ledger.add("cost", category, year, expr, self.id)

    # -- in-place re-solve (backend/resolve.py) ---------------------------------------------------------
    def coefficients(self) -> dict[str, dict]:
        """Every mutable parameter of the measure's block, by block attribute name, with its values
        ({index: value}) from the current `cfg` and `inp`, exactly as `build` initialises them. A sweep writes
        them after a coefficient-only change; a mutable parameter missing here is an error there."""
        return {}

    @classmethod
    def config_change(cls, old: MeasureBase, new: MeasureBase) -> str | None:
        """The first config field that differs between two configs of this kind and is not one of
        `coefficient_fields` (so needs a rebuild), or None."""
        for name in type(old).model_fields:
            if name not in cls.coefficient_fields and getattr(old, name) != getattr(new, name):
                return name
        return None

    # -- results ----------------------------------------------------------------------------------------
    def scope1_source(self) -> str:
        """Source label of the measure's `scope1_other` terms in the emissions frame."""
        return self.cfg.kind

    def roadmap_rows(self, value: Value) -> list[dict]:
        """Rows of the roadmap frame (build or purchase actions) after the solve."""
        return []

    # -- stand-alone MACC (studies) --------------------------------------------------------------------
    def standalone_macc(self) -> tuple[float, float] | None:
        """(potential tCO2e/yr, CNY/tCO2e) for `macc_method = "closed_form"`; None when it has no potential."""
        return None

    def force_potential(self) -> None:
        """Fix the decisions so that the measure is in place at its potential (stand-alone MACC)."""
        return None


class AssetModel(MeasureModel):
    """Go/no-go asset: build[t] binaries, in service for `lifetime` years, optional reinvestment."""

    sized: ClassVar[bool] = False
    cfg: AssetMeasure

    def unit_capex(self, year: int) -> float:
        """Capex per unit of size in MCNY (before the cost index); go/no-go assets: per build."""
        return 0.0

    def max_size(self) -> float:
        return 1.0

    def coefficients(self) -> dict[str, dict]:
        return {"unit_capex": {t: self.unit_capex(t) for t in self.build_years}}

    @property
    def stages(self) -> int:
        """Builds that may be in service at once (`stages` of a sized measure; 1 for go/no-go assets)."""
        return getattr(self.cfg, "stages", 1)

    def window(self, t: int) -> list[int]:
        """Build years whose asset is in service in year t (computed once per year: the rules ask often)."""
        memo = self._windows
        if t not in memo:  # build years are ascending: those in t - lifetime + 1 .. t
            by = self.build_years
            memo[t] = by[bisect_left(by, t - self.cfg.lifetime + 1):bisect_right(by, t)]
        return memo[t]

    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg = self.inp, self.cfg
        years = inp.years
        self.build_years = self.years
        self._windows: dict[int, list[int]] = {}  # window(t), filled on demand
        blk.periods = pyo.Set(initialize=years, ordered=True)
        blk.build_years = pyo.Set(initialize=self.build_years, ordered=True)
        blk.build = pyo.Var(blk.build_years, domain=pyo.Binary, doc="a build or reinvestment starts")
        lifetime = cfg.lifetime
        build = dict(blk.build.items())
        # rows and expressions below are given as {index: expression} (the same expressions their rules made, in the
        # same order): Pyomo then skips inspecting a rule function per component

        def recursive(var, built):  # var[t] = var[t-1] + built[t] - built[t-lifetime]: the window sum, sparsely
            return {t: var[t] == (var[t - 1] if t > years[0] else 0) + (built[t] if t in built else 0)
                    - (built[t - lifetime] if (t - lifetime) in built else 0) for t in years}

        if self.sized:
            smax = self.max_size()
            self.smax = smax
            blk.size = pyo.Var(blk.build_years, bounds=(0, smax), doc=f"size built, {self.size_unit}")
            size = dict(blk.size.items())
            blk.size_max = pyo.Constraint(blk.build_years, rule={t: size[t] <= smax * build[t] for t in size})
            floor = max(cfg.min_size, MIN_BUILD_SHARE * smax)  # a build has a meaningful size, never ~0
            self.size_floor = floor
            blk.size_min = pyo.Constraint(blk.build_years, rule={t: size[t] >= floor * build[t] for t in size})
            if smax <= 0:  # nothing to build (no potential at the site)
                for t in self.build_years:
                    blk.build[t].fix(0)
            blk.capacity = pyo.Var(blk.periods, bounds=(0, smax * self.stages),
                                   doc="capacity in service (site potential as bound)")
            blk.capacity_def = pyo.Constraint(blk.periods, rule=recursive(dict(blk.capacity.items()), size))
        else:
            size = build
        blk.in_service = pyo.Var(blk.periods, bounds=(0, self.stages),
                                 doc="builds in service (at most `stages` vintages at a time; 1 by default)")
        in_service = dict(blk.in_service.items())
        blk.in_service_def = pyo.Constraint(blk.periods, rule=recursive(in_service, build))
        if not cfg.reinvest:
            blk.build_count_max = pyo.Constraint(expr=sum(blk.build[t] for t in blk.build_years) <= self.stages)
        blk.unit_capex = pyo.Param(blk.build_years, initialize={t: self.unit_capex(t) for t in self.build_years},
                                   mutable=True, within=pyo.Reals, doc="capex per unit of size (per build), MCNY")
        index = core.capex_index(cfg.cost_index)
        share = self.share
        fixed = cfg.capex_fixed_cny * CNY_TO_MCNY
        unit_capex = dict(blk.unit_capex.items())
        blk.capex = pyo.Expression(blk.build_years, initialize={t: (  # MCNY, nominal, at 100% of the site
            unit_capex[t] * index[t] * size[t] + fixed * build[t]) for t in self.build_years},
            doc="capex of a build, MCNY")
        capex = dict(blk.capex.items())
        for t in self.build_years:
            self.cost(ledger, "capex", t, share * capex[t])
            ledger.add("capex", None, t, share * capex[t], self.id)
            ledger.add("adoptions", None, t, build[t], self.id)
        # fixed O&M per year as a named expression: a sweep that changes one measure's capex then recompiles
        # only that measure's terms of the objective (backend/patch.py), not every measure's window sums
        fom_share, fom_fixed = cfg.fom_share, cfg.fom_fixed_cny * CNY_TO_MCNY
        fom = {x: fom_share * capex[x] for x in self.build_years}  # each term made once, shared by its years
        om_years = [t for t in years if self.window(t)]
        blk.fixed_om = pyo.Expression(om_years, initialize={t: sum_terms([fom[x] for x in self.window(t)])
                                                            + fom_fixed * in_service[t] for t in om_years},
                                      doc="fixed O&M of the builds in service, MCNY")
        for t in blk.fixed_om:
            self.cost(ledger, "fixed_om", t, share * blk.fixed_om[t])
        end = years[-1]
        salvage = sum(blk.capex[x] * (x + lifetime - 1 - end) / lifetime
                      for x in self.build_years if x + lifetime - 1 > end)
        if not isinstance(salvage, int):
            self.cost(ledger, "salvage", end, -share * salvage)
        self.build_physics(blk, core, ledger)

    @abstractmethod
    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """The measure's effect on the ledgers and its variable costs."""

    def roadmap_rows(self, value: Value) -> list[dict]:
        rows = []
        for t in self.build_years:
            if value(self.block.build[t]) < 0.5:
                continue
            size = value(self.block.size[t]) if self.sized else 1.0
            unit = self.size_unit if self.sized else "adoption"
            rows.append({"year": t, "action": "build", "size": size, "unit": unit,
                         "capex_cny": value(self.block.capex[t]) * MCNY_TO_CNY,
                         "end_year": t + self.cfg.lifetime - 1, "share": self.share})
        return rows

    def force_potential(self) -> None:
        if not self.build_years:
            return
        first = self.build_years[0]
        for t in self.build_years:
            self.block.build[t].fix(1 if t == first else 0)
            if self.sized:
                self.block.size[t].fix(self.smax if t == first else 0.0)


class SizedAssetModel(AssetModel):
    """Asset sized continuously (min_size..max_size per build)."""

    sized = True
    cfg: SizedMeasure

    @abstractmethod
    def natural_max(self) -> float:
        """Largest useful size when the scenario gives none."""

    def max_size(self) -> float:
        return float(self.cfg.max_size) if self.cfg.max_size is not None else self.natural_max()


def purchase_rows(volumes: dict[int, float], unit: str) -> list[dict]:
    """Roadmap rows of a contract bought year by year (volumes in reporting units)."""
    return [{"year": t, "action": "purchase", "size": v, "unit": unit, "capex_cny": 0.0, "end_year": t, "share": 1.0}
            for t, v in volumes.items() if v > 1e-6]


__all__ = ["REGISTRY", "AssetModel", "MeasureModel", "SizedAssetModel", "Value", "purchase_rows"]
