"""Sweep verdicts free of solver noise (docs/robust.md): per variant, each measure is essential, optional or
never within a tolerance (at least the variant's MIP gap), proven by one probe solve: a measure the returned
plan adopts is forbidden (essential when no plan without it lies within the tolerance), one it does not is
forced (never when no plan with it does). Across variants: `no_regret` = essential in every variant, `never`
= never in every one, `interchangeable` = optional in every one, `unproven` when a probe stopped (time
limit) before proving a variant's class and the proven ones agree, else `depends`. The verdicts no longer
depend on which of several plans within the gap HiGHS returned."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...backend import build_model, solve
from ...backend.nearopt import NearOptimal
from ...errors import InputError, PlannerError
from ...preprocess.prepare import prepare
from ...schemas.sweep import SweepSpec, load_sweep
from ..sweep.design import make_design
from ..sweep.engine import variant_scenario
from .alternatives import adopted, probe
from .pool import Pool

DEFAULT_TOLERANCE = 1e-3  # the bundled sweeps' mip_rel_gap
ANCHOR_SHARE = 10  # the variant's best plan (the cap's anchor) is solved to a gap of tolerance / ANCHOR_SHARE


@dataclass
class SweepVerdicts:
    summary: dict
    verdicts: pd.DataFrame  # one row per measure: verdict, naive verdict of the returned plans, counts
    status: pd.DataFrame  # one row per (variant, measure): adopted in the returned plan, class, proven
    files: list[Path] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"verdicts": self.verdicts, "verdict_status": self.status}

    def write(self, out_dir: str | Path, langs: tuple[str, ...] = ("en",)) -> list[Path]:
        from .write import write_verdicts

        self.files = write_verdicts(self, Path(out_dir), langs)
        return self.files


def variant_status(sc, tolerance: float) -> list[dict]:
    """Rows (measure, adopted, class, proven) of one scenario within `tolerance` of its best plan ([] when
    it has no plan)."""
    try:
        pre = prepare(sc)
    except PlannerError:
        return []
    built = build_model(pre.inputs, pre.targets)
    opts = sc.solver.model_copy(update={"heuristic": "off"})
    tol = max(tolerance, sc.solver.mip_rel_gap)
    # the anchor (the best plan, the cap's base) to a tenth of the tolerance: a plan returned at the variant's own
    # gap could lie up to that gap above the optimum and move the cap with it (docs/robust.md §3)
    anchor = opts.model_copy(update={"mip_rel_gap": min(sc.solver.mip_rel_gap, tol / ANCHOR_SHARE)})
    info = solve(built, anchor)
    if not info.has_solution or info.status == "infeasible":
        return []
    best = info.objective_mcny
    cap = best + tol * abs(best)
    _, used, _ = adopted(built)
    near = NearOptimal(built)
    rows = []
    for mm in built.measures:
        on = mm.id in used
        pr = probe(built, near, mm, "forbid" if on else "force", opts, cap=cap)
        cls, proven = pr.verdict(cap, "essential" if on else "never")
        rows.append({"measure": mm.id, "family": mm.cfg.family_name, "adopted": on, "class": cls, "proven": proven,
                     "anchor_gap": info.gap})
    near.restore()
    return rows


def _verdict(classes: list[str]) -> str:
    """The verdict across variants. An unproven class (a probe stopped at its time limit) counts toward no
    verdict: `depends` when the proven classes already differ, else `unproven`."""
    if "unproven" in classes:
        proven = [c for c in classes if c != "unproven"]
        return "depends" if len(set(proven)) > 1 else "unproven"
    if all(c == "essential" for c in classes):
        return "no_regret"
    if all(c == "never" for c in classes):
        return "never"
    if all(c == "optional" for c in classes):
        return "interchangeable"
    return "depends"


def _task(task: tuple) -> list[dict]:
    return variant_status(*task)


def sweep_verdicts(sweep: str | Path | SweepSpec, tolerance: float = DEFAULT_TOLERANCE,
                   out_dir: str | Path | None = None, langs: tuple[str, ...] = ("en",), workers: int = 1,
                   scheduler=None) -> SweepVerdicts:
    """Noise-free verdicts of every measure over a sweep file's variants (one solve per variant plus one
    probe per variant and measure), on `workers` local processes or the Dask cluster of `scheduler`."""
    if not (math.isfinite(tolerance) and 0 <= tolerance < 1):
        raise InputError("--tolerance", "", f"expected a share in [0, 1) (e.g. 0.001 or 0.1%), got {tolerance:g}")
    t0 = time.perf_counter()
    spec = sweep if isinstance(sweep, SweepSpec) else load_sweep(sweep)
    design = make_design(spec)
    raw = spec.base.model_dump(mode="python")
    tasks, index = [], []
    for i in range(len(design)):
        try:
            tasks.append((variant_scenario(spec, design.values[i], i, raw), tolerance))
            index.append(i)
        except PlannerError:
            pass
    rows = []
    with Pool(workers, scheduler) as pool:
        results = pool.map(_task, tasks)
    skipped = len(design) - sum(1 for got in results if got)
    for i, got in zip(index, results, strict=True):
        rows += [{"variant": i, **r} for r in got]
    status = pd.DataFrame(rows, columns=["variant", "measure", "family", "adopted", "class", "proven",
                                         "anchor_gap"])
    out = []
    for mid, g in status.groupby("measure", sort=True):
        n = len(g)
        naive = "no_regret" if g.adopted.all() else "never" if not g.adopted.any() else "depends"
        out.append({"measure": mid, "family": g.family.iloc[0], "verdict": _verdict(list(g["class"])),
                    "naive_verdict": naive, "variants": n, "adopted": int(g.adopted.sum()),
                    **{c: int((g["class"] == c).sum()) for c in ("essential", "optional", "never", "unproven")}})
    verdicts = pd.DataFrame(out)
    summary = {"sweep": spec.name, "digest": spec.digest, "tolerance": tolerance, "variants": len(design),
               "unsolved": skipped,
               "probes": len(status), "seconds": time.perf_counter() - t0,
               "changed": int((verdicts.verdict != verdicts.naive_verdict).sum()) if len(verdicts) else 0}
    res = SweepVerdicts(summary, verdicts, status)
    if out_dir is not None:
        res.write(out_dir, langs)
    return res


__all__ = ["DEFAULT_TOLERANCE", "SweepVerdicts", "sweep_verdicts", "variant_status"]
