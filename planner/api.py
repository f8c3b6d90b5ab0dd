"""Python API: `load_scenario(path)`, `validate(path)` (every check `plan` makes before it solves),
`plan(scenario)` -> Plan (tidy frames + summary), `compare([...])`, `sweep(file)` -> SweepResult (a DuckDB
store of every variant).

The facade over the stages: a `Plan` is a `PlanResult` (planner/run.py) with the studies that read it at
hand (`with_standalone_macc`)."""

from __future__ import annotations

from pathlib import Path

from .preprocess.prepare import validate
from .run import PlanResult, diagnose, run_plan
from .schemas import Scenario, load_scenario
from .studies import standalone_macc
from .studies.compare import Comparison, compare
from .studies.robust import Alternatives, alternatives, robust, sweep_verdicts
from .studies.robust.compare import alternatives_comparison
from .studies.sweep import SweepResult, run_sweep

__all__ = ["Comparison", "Plan", "SweepResult", "alternatives", "alternatives_comparison", "compare", "diagnose",
           "load_scenario", "plan", "robust", "robust_report", "sweep", "sweep_report", "sweep_verdicts", "validate",
           "write_alternatives_comparison", "write_comparison"]


class Plan(PlanResult):
    """Result of a solved scenario: the result frames plus the scenario, summary and input tables; every
    frame is tidy with units in its column names."""

    def with_standalone_macc(self) -> Plan:
        """Compute the stand-alone MACC (a study: one forced solve per measure) and keep it."""
        if self.macc_standalone is None:
            self.macc_standalone = standalone_macc(self.scenario)
        return self


def plan(scenario: Scenario | str | Path, out_dir: str | Path | None = None, scheduler: str | None = None) -> Plan:
    """Build, solve and read the roadmap of a scenario. A time-limited run returns its best plan (status
    `time_limit`, with its gap); raises InfeasibleError, or SolverError when no plan was found at all.
    `scheduler`: a Dask scheduler address for the site subproblems of large portfolios."""
    return run_plan(scenario, out_dir, cls=Plan, scheduler=scheduler)


def write_comparison(comparison: Comparison, out_dir: str | Path, langs: tuple[str, ...] = ("en",)) -> list[Path]:
    """The comparison's frames as CSV, plus charts, comparison_<lang>.html and comparison.xlsx."""
    from .report.compare import write_comparison_report  # the report stage; imported when first used

    files = comparison.write(out_dir)  # the page titles: the labels, "A vs B" in each language (the report's default)
    return files + write_comparison_report(comparison.frames(), out_dir, langs)


def sweep(file, out_dir: str | Path | None = None, workers: int = 1, scheduler=None, resume: bool = False,
          quiet: bool = True, commit_seconds: float = 3.0) -> SweepResult:
    """Solve every variant of a sweep file (or loaded `SweepSpec`) into `out_dir/sweep.duckdb` (default
    reports/sweeps/<name>). `workers` local processes, or `scheduler` a Dask address or Client; `resume`
    finishes an interrupted sweep; finished variants are committed together at most every `commit_seconds`
    (0: each on its own). `result.tables()` reads the store as pandas frames."""
    return run_sweep(file, out_dir, workers=workers, scheduler=scheduler, resume=resume, quiet=quiet,
                     commit_seconds=commit_seconds)


def sweep_report(store: str | Path, out_dir: str | Path | None = None, langs: tuple[str, ...] = ("en",)) -> list[Path]:
    """Charts, sweep_<lang>.html and sweep.xlsx of a sweep store (its folder or .duckdb file), from the store
    alone (nothing is re-solved); out_dir defaults to the store's folder. The frames behind them:
    `planner.studies.sweep.analysis` (load, tornado, adoption, fan, ...)."""
    from .report.sweep import write_sweep_report  # the report stage; imported when first used
    from .studies.sweep import analysis

    d = analysis.load(store)
    return write_sweep_report(d, analysis.frames(d), out_dir, langs)


def robust_report(folder: str | Path, kind: str = "robust", langs: tuple[str, ...] = ("en",)) -> list[Path]:
    """The HTML page and deck per language and the workbooks (Chinese too with "zh") of a robust study's folder:
    `kind` "robust" (`robust(..., out_dir=folder)`) or "alternatives"; from the written frames alone."""
    from .report.robust import write_robust_report  # the report stage; imported when first used

    return write_robust_report(Path(folder), kind, langs)


def write_alternatives_comparison(res: Alternatives, out_dir: str | Path,
                                  langs: tuple[str, ...] = ("en",)) -> list[Path]:
    """The near-optimal alternatives side by side through the comparison report (CSV frames, charts,
    comparison_<lang>.html, comparison.xlsx): `res` from `alternatives(..., plans=True)`, the least-NPV roadmap
    the reference, each roadmap labelled alt_<number>."""
    from .postprocess.robust_words import w
    from .report.compare import write_comparison_report

    c = alternatives_comparison(res)
    files = c.write(out_dir)
    title = {lang: w("alt_title", lang, slack=res.summary["slack"]) for lang in langs}
    return files + write_comparison_report(c.frames(), out_dir, langs, title=title)
