"""Scenario comparison: solve (or read) several scenarios and set their inputs and outputs side by side.

Inputs are scenario files, result folders written by `planner run`, loaded scenarios or solved plans.
Scenarios are solved in parallel across worker processes. Frames (tidy, units in column names; the first
row of `scenarios` is the reference): scenarios, inputs, kpis, roadmap, common, trajectories, costs,
abatement, economics. See docs/compare.md for how to read each.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InfeasibleError, InputError, PlannerError
from ..postprocess.economics import COLUMNS as ECONOMICS_COLUMNS
from ..run import PlanResult, run_plan
from ..schemas import Scenario, load_scenario
from .compare_frames import (
    abatement_frame,
    cbam_frame,
    costs_frame,
    input_differences,
    kpi_frame,
    roadmap_frames,
    trajectory_frame,
)

FRAME_NAMES = ("scenarios", "inputs", "kpis", "roadmap", "common", "trajectories", "costs", "abatement",
               "economics", "cbam")


@dataclass
class Run:
    """One compared scenario: its label, where it came from, and its plan (None when it has no plan)."""

    label: str
    source: str
    scenario: Scenario
    plan: PlanResult | None = None
    status: str = "optimal"
    shortfalls: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    """Tidy frames comparing scenarios against a reference; `write(dir)` writes them as CSV."""

    reference: str
    runs: list[Run]
    frames_: dict[str, pd.DataFrame]

    def frames(self) -> dict[str, pd.DataFrame]:
        return dict(self.frames_)

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("frames_", {})
        if name in frames:
            return frames[name]
        raise AttributeError(name)

    def write(self, out_dir: str | Path) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for name, df in self.frames_.items():
            p = out / f"{name}.csv"
            df.to_csv(p, index=False)
            files.append(p)
        return files


def _solve(sc: Scenario) -> tuple[str, PlanResult | list[str] | str]:
    """Worker: ("ok", plan) | ("infeasible", shortfalls) | ("no_solution", message)."""
    try:
        p = run_plan(sc)
    except InfeasibleError as exc:
        return "infeasible", exc.shortfalls
    except PlannerError as exc:
        return "no_solution", str(exc)
    return "ok", p


def _prepare(item) -> Run | Scenario:
    """A Run for an already solved input, else the scenario to solve."""
    if isinstance(item, PlanResult):
        return Run(item.scenario.name, "plan", item.scenario, item, item.summary.get("status", "optimal"))
    if isinstance(item, Scenario):
        return item
    path = Path(item)
    if path.is_dir():
        p = PlanResult.read(path)
        return Run(p.scenario.name, str(path), p.scenario, p, p.summary.get("status", "optimal"))
    if not path.is_file():
        raise InputError(str(path), "", "expected a scenario file (.yaml) or a result folder written by "
                         "`planner run`; not found")
    return load_scenario(path)


def compare(items: list, reference: str | None = None, workers: int = 1,
            labels: list[str] | None = None) -> Comparison:
    """Compare scenarios (paths, result folders, Scenario objects or solved plans). Labels are the scenario
    names unless `labels` gives them; the reference is the label `reference` or the first item. Infeasible
    scenarios stay in, marked with their shortfalls."""
    if len(items) < 2:
        raise InputError("compare", "", f"expected at least two scenarios, got {len(items)}")
    if labels is not None and len(labels) != len(items):
        raise InputError("compare", "labels", f"expected {len(items)} labels, one per scenario, got {len(labels)}")
    prepared = [_prepare(x) for x in items]
    sources = [str(x) if isinstance(x, str | Path) else type(x).__name__ for x in items]
    if labels is None:
        labels = [p.label if isinstance(p, Run) else p.name for p in prepared]
    for p, lab in zip(prepared, labels, strict=True):
        if isinstance(p, Run):
            p.label = lab
    seen: dict[str, int] = {}
    for i, lab in enumerate(labels):
        if lab in seen:
            raise InputError(sources[i], "name", f"duplicate label {lab!r} (also {sources[seen[lab]]}); "
                             "give the scenarios different names or labels (--label)")
        seen[lab] = i
    ref = reference or labels[0]
    if ref not in seen:
        raise InputError("compare", "ref", f"unknown reference {ref!r}; expected one of {labels}")
    todo = [(i, p) for i, p in enumerate(prepared) if isinstance(p, Scenario)]
    results = _solve_all([p for _i, p in todo], workers)
    runs: list[Run] = []
    for i, p in enumerate(prepared):
        if isinstance(p, Run):
            runs.append(p)
            continue
        kind, out = results[[j for j, _ in todo].index(i)]
        if kind == "ok":
            out.scenario = p
            runs.append(Run(labels[i], sources[i], p, out, out.summary["status"]))
        else:
            shortfalls = out if isinstance(out, list) else [out]
            runs.append(Run(labels[i], sources[i], p, None, kind, shortfalls))
    runs.sort(key=lambda r: r.label != ref)  # reference first, then the given order
    return Comparison(ref, runs, build_frames(runs))


def _solve_all(scenarios: list[Scenario], workers: int) -> list:
    if workers <= 1 or len(scenarios) <= 1:
        return [_solve(sc) for sc in scenarios]
    with ProcessPoolExecutor(max_workers=min(workers, len(scenarios)), mp_context=mp.get_context("spawn")) as ex:
        return list(ex.map(_solve, scenarios))


def build_frames(runs: list[Run]) -> dict[str, pd.DataFrame]:
    """Every comparison frame from the runs (reference first)."""
    ref = runs[0]
    scen = pd.DataFrame([dict(scenario=r.label, name=r.scenario.name, company=r.scenario.company, source=r.source,
                              reference=r is ref, status=r.status,
                              gap=(r.plan.summary.get("gap") if r.plan else None),
                              cash_npv_cny=(r.plan.summary.get("cash_npv_cny") if r.plan else None),
                              objective_cny=(r.plan.summary.get("objective_cny") if r.plan else None),
                              shortfalls="; ".join(r.shortfalls)) for r in runs])
    scen[["gap", "cash_npv_cny", "objective_cny"]] = scen[["gap", "cash_npv_cny", "objective_cny"]].astype(float)
    roadmap, common = roadmap_frames(runs)
    economics = [r.plan.measure_economics.assign(scenario=r.label) for r in runs if r.plan is not None]
    econ = (pd.concat(economics, ignore_index=True) if economics
            else pd.DataFrame(columns=["scenario", *ECONOMICS_COLUMNS]))
    econ = econ[["scenario"] + [c for c in econ.columns if c != "scenario"]]
    frames = {"scenarios": scen, "inputs": input_differences(runs), "kpis": kpi_frame(runs), "roadmap": roadmap,
              "common": common, "trajectories": trajectory_frame(runs), "costs": costs_frame(runs),
              "abatement": abatement_frame(runs), "economics": econ, "cbam": cbam_frame(runs)}
    assert tuple(frames) == FRAME_NAMES
    return frames


__all__ = ["Comparison", "Run", "build_frames", "compare"]
