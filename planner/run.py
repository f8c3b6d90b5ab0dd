"""One run of the pipeline: scenario -> baseline -> inputs -> model -> solve -> tidy frames (`PlanResult`).

Solves once (plus the elastic diagnosis when targets cannot be met); studies that solve many times build on
`run_plan`. Result folders are written and read back here (`PlanResult.write`, `PlanResult.read`)."""

from __future__ import annotations

import gc
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .backend import BuiltModel, SolveInfo, build_for_solve, build_model, relaxing_families, solve
from .errors import NON_TARGET_CONFLICT, InfeasibleError, InputError, Shortfall, SolverError
from .postprocess import sbti
from .postprocess.assumptions import assumptions, stand_ins
from .postprocess.dispatch import connection_upgrades
from .postprocess.dispatch import reduction as hourly_reduction
from .postprocess.results import TARGET_DTYPES, Frames, cash_npv, extract
from .postprocess.shortfall import shortfalls as shortfall_records
from .preprocess import baseline as bl
from .preprocess.inputs import ModelInputs, build_inputs  # noqa: F401 - read as planner.run.* by tests, benchmarks
from .preprocess.prepare import prepare
from .preprocess.targets import TargetYear, target_years  # noqa: F401
from .schemas import Scenario, load_scenario, validate
from .schemas.library import load_library
from .schemas.yamlio import check_tree, decode, parse_yaml, read_bytes
from .units import MCNY_TO_CNY
from .version import __version__

RESULT_FORMAT = 3  # version of the result folder layout (1: before scenario.yaml and result_format; 2: before
# cash_npv_cny/objective_cny and the one-cash-flow measure economics)

__all__ = ["PlanResult", "diagnose", "diagnose_shortfalls", "dump_scenario", "read_plan", "run_plan"]


@dataclass
class PlanResult(Frames):
    """Result of a solved scenario: the result frames plus the scenario, summary and input tables; every
    frame is tidy with units in its column names."""

    scenario: Scenario | None = None
    summary: dict = field(default_factory=dict)
    inventory: pd.DataFrame | None = None
    bau: pd.DataFrame | None = None
    sbti: pd.DataFrame | None = None
    sda_pathway: pd.DataFrame | None = None  # SBTi SDA pathway of the products of SDA sectors
    assumptions: pd.DataFrame | None = None
    macc_standalone: pd.DataFrame | None = None
    files: list[Path] = field(default_factory=list)

    FRAMES = ("roadmap", "emissions", "abatement", "costs", "measure_costs", "targets", "sbti", "macc",
              "measure_economics", "measure_cash_flows", "electricity", "assumptions", "inventory", "bau")
    # written when the plan has them: hourly dispatch, products (output by route, intensity, SDA pathway), the
    # 24/7 carbon-free share, the China ETS position and the EU CBAM exposure (postprocess/markets.py)
    OPTIONAL = ("dispatch", "product_output", "product_intensity", "sda_pathway", "carbon_free", "ets_position",
                "cbam_exposure")

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every result table by name (the stand-alone MACC only once computed)."""
        out = {n: getattr(self, n) for n in self.FRAMES}
        if self.macc_standalone is not None:
            out["macc_standalone"] = self.macc_standalone
        for name in self.OPTIONAL:
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write every frame as CSV, summary.json and the resolved scenario (scenario.yaml) into out_dir;
        `PlanResult.read(out_dir)` reads them back (e.g. for a comparison without re-solving)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for name, frame in self.frames().items():
            p = out / f"{name}.csv"
            frame.to_csv(p, index=False)
            files.append(p)
        p = out / "summary.json"
        p.write_text(json.dumps(self.summary, indent=2, ensure_ascii=False), encoding="utf-8")
        files.append(p)
        if self.scenario is not None:
            p = out / "scenario.yaml"
            p.write_text(dump_scenario(self.scenario), encoding="utf-8")
            files.append(p)
        self.files = files
        return files

    @classmethod
    def read(cls, folder: str | Path):
        """A solved plan from a result folder written by `write` (CSV frames, summary.json, scenario.yaml).
        A folder from another result format or with files missing is an InputError (exit 2)."""
        return read_plan(cls, Path(folder))


def dump_scenario(sc: Scenario) -> str:
    """The resolved scenario (extends merged, templates applied) as YAML that validates back to it."""
    return yaml.safe_dump(sc.model_dump(mode="python"), allow_unicode=True, sort_keys=False)


def load_dumped_scenario(text: str, where: str) -> Scenario:
    """The scenario of `dump_scenario` text (templates were applied before the dump: every field is explicit,
    so they are not applied again; the `template` names are kept)."""
    raw = parse_yaml(text, where)
    check_tree(raw, where)
    templates = {}
    for m in raw.get("measures", []) if isinstance(raw, dict) else []:
        if isinstance(m, dict):
            templates[m.get("id")] = m.pop("template", None)
    sc = validate(raw, where)
    return sc.model_copy(update={"measures": [m.model_copy(update={"template": templates.get(m.id)})
                                              for m in sc.measures]})


REQUIRED_COLUMNS = {  # what a comparison reads from each result file
    "roadmap": ("measure", "name", "name_zh", "kind", "family", "site", "year", "action", "size", "unit", "capex_cny",
                "end_year", "share"),
    "emissions": ("year", "site", "scope", "source", "bau_tco2e", "plan_tco2e", "share"),
    "abatement": ("year", "measure", "family", "site", "scope", "source", "tco2e"),
    "costs": ("year", "category", "nominal_cny", "discounted_cny"),
    "measure_costs": ("year", "measure", "category", "nominal_cny", "discounted_cny"),
    "targets": ("target", "type", "year", "required", "achieved", "offsets_used", "met", "milestone", "scope1",
                "scope2", "scope3"),
    "sbti": ("target", "criterion", "ok"),
    "macc": ("measure", "net_cost_cny", "discounted_abatement_tco2e", "plan_cost_cny_per_tco2e"),
    "measure_economics": ("measure", "discounted_cost_cny", "abatement_tco2e", "plan_cost_cny_per_tco2e", "irr",
                          "irr_note", "payback_years", "payback_note"),
    "measure_cash_flows": ("measure", "year", "cash_flow_cny", "cumulative_cash_flow_cny", "discount_factor"),
    "electricity": ("year", "site", "grid_mwh", "onsite_mwh", "green_claims_mwh", "share"),
}


def _read_frame(path: Path) -> pd.DataFrame:
    """A result CSV as written: empty text cells stay empty strings (numbers stay NaN where missing)."""
    df = pd.read_csv(path, float_precision="round_trip")  # exact floats on any pandas
    for c in df.columns:
        if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]):
            df[c] = df[c].fillna("")
    return df


def read_plan(cls, folder: Path):
    """See PlanResult.read."""
    where = str(folder)
    if not folder.is_dir():
        raise InputError(where, "", "expected a scenario file (.yaml) or a result folder written by `planner run`")
    needed = [f"{n}.csv" for n in cls.FRAMES] + ["summary.json", "scenario.yaml"]
    missing = [n for n in needed if not (folder / n).is_file()]
    rerun = f"re-run `planner run SCENARIO --out {folder}`"
    if "summary.json" in missing:
        raise InputError(where, "", f"not a result folder (no summary.json); {rerun}")
    try:
        summary = json.loads(read_bytes(folder / "summary.json", f"{where}/summary.json", "summary.json"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{where}/summary.json", "", f"unreadable ({type(exc).__name__}); {rerun}") from None
    fmt = summary.get("result_format") if isinstance(summary, dict) else None
    if fmt != RESULT_FORMAT:
        version = summary.get("planner_version", "an older version") if isinstance(summary, dict) else "?"
        raise InputError(where, "", f"written by planner {version} (result format {fmt or 1}, this planner reads "
                         f"{RESULT_FORMAT}); {rerun}")
    if missing:
        raise InputError(where, "", f"incomplete result folder, missing {', '.join(missing)}; {rerun}")
    frames = {}
    for n in cls.FRAMES:
        try:
            frames[n] = _read_frame(folder / f"{n}.csv")
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            raise InputError(f"{where}/{n}.csv", "", f"unreadable ({type(exc).__name__}); {rerun}") from None
        lacking = [c for c in REQUIRED_COLUMNS.get(n, ()) if c not in frames[n].columns]
        if lacking:
            raise InputError(f"{where}/{n}.csv", "", f"expected the columns {', '.join(lacking)}; {rerun}")
    if frames["targets"].empty:  # header only: typed as written, so that boolean masks select rows
        frames["targets"] = frames["targets"].astype({**TARGET_DTYPES, "sbti_ok": bool})
    scenario_file = f"{where}/scenario.yaml"
    sc = load_dumped_scenario(decode(read_bytes(folder / "scenario.yaml", scenario_file), scenario_file), scenario_file)
    if (folder / "macc_standalone.csv").is_file():
        frames["macc_standalone"] = _read_frame(folder / "macc_standalone.csv")
    for name in cls.OPTIONAL:
        if (folder / f"{name}.csv").is_file():
            frames[name] = _read_frame(folder / f"{name}.csv")
    return cls(**frames, scenario=sc, summary=summary, files=sorted(folder.iterdir()))


def non_target_conflict(sc: Scenario, inp: ModelInputs, rows: list[TargetYear]) -> str:
    """The line for a model that has no solution even with its targets free: the constraint families whose
    relaxation alone restores a solution (backend.relax), else the kinds of constraint that can cause it."""
    found = relaxing_families(build_model(inp, rows, elastic=True), sc.solver)
    if not found:
        return NON_TARGET_CONFLICT
    return (f"the model is infeasible without any target: relaxing the {' or the '.join(found)} alone "
            "restores a solution; check those inputs")


def diagnose_shortfalls(sc: Scenario, inp: ModelInputs, rows: list[TargetYear]) -> list[Shortfall] | None:
    """Solve the elastic model (target slacks free) and return each target that cannot be met, with the years
    it fails, its best achievable level and the residual by source; None when even the elastic model has no
    solution (constraints other than targets conflict)."""
    b = build_model(inp, rows, elastic=True)
    info = solve(b, sc.solver)
    if not info.has_solution:
        return None
    return shortfall_records(b, sc)


def diagnose(sc: Scenario, inp: ModelInputs, rows: list[TargetYear]) -> list[str]:
    """One line per target that cannot be met (see `diagnose_shortfalls`)."""
    found = diagnose_shortfalls(sc, inp, rows)
    return [non_target_conflict(sc, inp, rows)] if found is None else [s.text for s in found]


def infeasible(sc: Scenario, inp: ModelInputs, rows: list[TargetYear]) -> InfeasibleError:
    """The error of an infeasible scenario, diagnosed by the elastic solve."""
    found = diagnose_shortfalls(sc, inp, rows)
    if found is None:
        return InfeasibleError(sc.name, [non_target_conflict(sc, inp, rows)], no_target=True)
    if not found:  # infeasible, yet no target is short by more than the tolerance
        return InfeasibleError(sc.name, ["the targets are met only within numerical tolerance; relax one slightly "
                                         "or check for conflicting constraints"])
    return InfeasibleError(sc.name, [s.text for s in found], details=found)


def _read(sc: Scenario, inp: ModelInputs, rows: list[TargetYear], built: BuiltModel, bau: pd.DataFrame,
          info: SolveInfo) -> Frames:
    """The plan's frames, or the error saying why there is no plan."""
    if info.status == "infeasible":
        raise infeasible(sc, inp, rows)
    if not info.has_solution:
        hint = (f"raise solver.time_limit (now {sc.solver.time_limit} s)" if info.status == "no_solution" else
                "the solver failed, not for lack of time: check the scenario for extreme magnitudes (sizes, "
                "prices, activity data) that strain its numerics")
        raise SolverError(f"{sc.name}: solver stopped without a solution ({info.termination}); {hint}")
    return extract(built, bau, sc)


def run_plan(scenario: Scenario | str | Path, out_dir: str | Path | None = None, cls=PlanResult,
             scheduler: str | None = None):
    """Build, solve and read the roadmap of a scenario. Raises InfeasibleError, or SolverError when no
    plan at all was found (a time-limited run returns its best plan with status `time_limit`).
    `scheduler`: address of a Dask scheduler for the site subproblems of the decomposition."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    lib = load_library()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.collect()  # while the heap is small (see the freeze below)
    t0 = time.perf_counter()
    pre = prepare(sc, lib)  # every pre-solve check, shared with `planner validate` (preprocess/prepare.py)
    drv, bau, inv, inp, rows = pre.drivers, pre.bau, pre.inventory, pre.inputs, pre.targets
    t1 = time.perf_counter()
    built, compiled, handover_s = build_for_solve(inp, rows, sc.solver, scheduler)  # solver.build
    t2 = time.perf_counter()
    build_s = t2 - t0
    # the built model lives to the end: full collections need not walk it again (100 sites: results -25% CPU);
    # only when nobody froze before us (unfreeze is process-wide), and after collecting the garbage of earlier
    # runs, which a freeze would otherwise keep (a previous run's whole model)
    if freeze:
        gc.freeze()
    try:
        info: SolveInfo = solve(built, sc.solver, scheduler=scheduler, compiled=compiled)
        t3 = time.perf_counter()
        fr = _read(sc, inp, rows, built, bau, info)
    finally:
        if freeze:
            gc.unfreeze()
    checks = sbti.check(sc, bau, drv)
    ok = sbti.summary(checks)
    timings = {"preprocess": t1 - t0, "build": t2 - t1 - handover_s, "handover": info.handover_seconds + handover_s,
               "highs": info.highs_seconds, "solve_other": info.solve_seconds - info.handover_seconds
               - info.highs_seconds, "results": time.perf_counter() - t3}
    tg = fr.targets.copy()
    tg["sbti_ok"] = tg.target.map(ok)
    summary = {
        "scenario": sc.name, "company": sc.company, "currency": sc.currency,
        "status": info.status, "optimal": info.status == "optimal", "termination": info.termination,
        # the discounted cost of every cash category (all but the internal carbon price, a steering price)
        "cash_npv_cny": cash_npv(fr.costs),
        # what the solver minimises: the cash NPV + the discounted internal carbon cost
        "objective_cny": None if info.objective_mcny is None else info.objective_mcny * MCNY_TO_CNY,
        "best_bound_cny": None if info.bound_mcny is None else info.bound_mcny * MCNY_TO_CNY,
        "gap": info.gap, "build_seconds": build_s, "solve_seconds": info.solve_seconds,
        "first_plan_seconds": info.first_plan_seconds, "stage_seconds": timings, "heuristic": info.heuristic,
        "model": {"variables": info.n_variables, "binaries": info.n_binaries, "constraints": info.n_constraints},
        "horizon": [sc.horizon.start, sc.horizon.end], "base_year": sc.base_year,
        "discount_rate": sc.discount_rate, "gwp": sc.gwp, "consolidation": sc.organisation.approach,
        "targets_met": bool(tg.met.all()) if len(tg) else True,
        "sbti": ok,
        "total_capex_cny": float(fr.roadmap.capex_cny.mul(fr.roadmap.share).sum()),
        "base_year_tco2e": {s: float(bau[(bau.year == sc.base_year) & (bau.scope == s)].tco2e.sum())
                            for s in bl.SCOPES},
        # biogenic CO2 of fuels burned on site, consolidated, reported apart from the scopes (GHG Protocol)
        "biogenic_co2_t": {"base_year": float(bau[bau.year == sc.base_year].biogenic_co2_t.sum()),
                           "plan": {int(y): float(v) for y, v in
                                    fr.emissions.groupby("year").plan_biogenic_co2_t.sum().items()}},
        "stand_ins": stand_ins(drv),
        "solver": sc.solver.model_dump(),
        "planner_version": __version__, "result_format": RESULT_FORMAT,
    }
    if inp.hourly is not None:  # docs/model.md §15: the days and the error of the reduction
        summary["representative_days"] = {"days": len(inp.hourly.days), "hours_per_day": inp.hourly.hours,
                                          "detail_years": inp.time.detail_years,
                                          "day_weight_days": inp.hourly.day_weight,
                                          "reduction_error": hourly_reduction(built),
                                          "given": inp.hourly.given, "profiles": inp.hourly.profiles,
                                          "scope2_matching": "hourly" if inp.hourly.hourly_matching else "annual",
                                          "connection_upgrade_mw": connection_upgrades(built)}
    p = cls(**{**vars(fr), "targets": tg}, scenario=sc, summary=summary, inventory=inv, bau=bau, sbti=checks,
             sda_pathway=sbti.sda_pathway(sc, fr.product_intensity), assumptions=assumptions(sc, lib, drv))
    if out_dir is not None:
        p.write(out_dir)
    return p
