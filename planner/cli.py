"""Command line: `planner run|validate|baseline FILE`. Errors are one line on stderr with an exit code:
2 bad input, 3 targets cannot be met, 4 solver stopped without a solution."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from .errors import InputError, PlannerError
from .lazy import LazyModule
from .units import CNY_TO_MCNY

pd = LazyModule("pandas")  # imported when a command prints a table, not for `--help` or a failed check


def _fail(exc: PlannerError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _out_dir(out: str | None, name: str) -> Path:
    return Path(out) if out else Path("reports") / name


ROOT = click.option("--root", type=click.Path(file_okay=False),
                    help="folder tree that `extends` may reach (default: the scenario's folder and scenarios/)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planner")
def main() -> None:
    """Decarbonisation roadmap planner: scenario YAML -> optimal, costed roadmap."""


@main.command()
@click.argument("file")
@ROOT
def validate(file: str, root: str | None) -> None:
    """Check a scenario file without solving: every check `run` makes before the solve (same message, same
    exit code), from the schema to the model inputs, hourly profiles and target rows."""
    from .preprocess.prepare import prepare
    from .schemas import load_scenario

    try:
        sc = load_scenario(file, root)
        prepare(sc)
    except PlannerError as exc:
        _fail(exc)
    click.echo(f"{file}: valid scenario {sc.name!r}: {len(sc.sites)} sites, {len(sc.measures)} measures, "
               f"{len(sc.targets)} targets, horizon {sc.horizon.start}-{sc.horizon.end}")


@main.command()
@click.argument("file")
@ROOT
@click.option("--out", type=click.Path(file_okay=False), help="output folder (default reports/<scenario>)")
def baseline(file: str, root: str | None, out: str | None) -> None:
    """Print and write the base-year inventory and the BAU projection."""
    from .preprocess import baseline as bl
    from .schemas import load_scenario

    try:
        sc = load_scenario(file, root)
    except PlannerError as exc:
        _fail(exc)
    inv = bl.inventory(sc)
    bau = bl.bau_emissions(sc)
    d = _out_dir(out, sc.name)
    d.mkdir(parents=True, exist_ok=True)
    inv.to_csv(d / "inventory.csv", index=False)
    bau.to_csv(d / "bau.csv", index=False)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:,.4g}".format):
        click.echo(f"{sc.company}: base year {sc.base_year} inventory ({sc.organisation.approach}, GWP {sc.gwp})")
        click.echo(inv.to_string(index=False))
        click.echo("\nBAU projection, tCO2e (consolidated):")
        tot = bl.scope_totals(bau)
        click.echo(tot.loc[[y for y in tot.index if y == sc.base_year or y % 5 == 0 or y == sc.horizon.end]]
                   .to_string())
    click.echo(f"\nwrote {d / 'inventory.csv'} and {d / 'bau.csv'}")


LANG = click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="en", show_default=True,
                    help="language of charts and report")


def _langs(lang: str) -> tuple[str, ...]:
    return ("en", "zh") if lang == "both" else (lang,)


def _write_report(p, d: Path, lang: str, fmt: str = "html", stamp: bool = False, pool=None) -> None:
    from .report import write_report

    formats = ("html", "pptx") if fmt == "all" else (fmt,)
    files = write_report(p.with_standalone_macc(), d, _langs(lang), formats, stamp=stamp, pool=pool)
    html = [f for f in files if f.suffix == ".html"]
    if html:
        click.echo(f"report: {', '.join(str(f) for f in html)}; workbook: {d / 'results.xlsx'}; charts: {d / 'charts'}")
    decks = [f for f in files if f.suffix == ".pptx"]
    if decks:
        click.echo(f"deck: {', '.join(str(f) for f in decks)}")


@main.command()
@click.argument("file")
@ROOT
@click.option("--out", type=click.Path(file_okay=False), help="output folder (default reports/<scenario>)")
@LANG
@click.option("--format", "fmt", type=click.Choice(["html", "pptx", "all"]), default="html", show_default=True,
              help="html: charts, HTML report and Excel workbook; pptx: slide deck deck_<lang>.pptx; all: both")
@click.option("--stamp", is_flag=True, help="show the run time in the report and deck (files then differ per run; "
              "by default two runs give byte-identical files)")
def report(file: str, root: str | None, out: str | None, lang: str, fmt: str, stamp: bool) -> None:
    """Solve a scenario and write charts, an offline HTML report and an Excel workbook, or a slide deck."""
    from .report.common.parallel import Pool
    from .schemas import load_scenario

    try:
        sc = load_scenario(file, root)
    except PlannerError as exc:
        _fail(exc)
    d = _out_dir(out, sc.name)
    # then the drawing processes: they import matplotlib and the report while this process imports the solver
    # and solves (planner/report/common/parallel.py; PLANNER_REPORT_WORKERS=1: none)
    with Pool().start("planner.report.plan.tasks") as pool:
        from .api import plan
        from .studies.standalone_macc import Background

        macc = Background(sc)  # the stand-alone MACC needs only the scenario: solved meanwhile on the other core
        try:
            p = plan(sc)
        except PlannerError as exc:
            macc.close()
            _fail(exc)
        p.macc_standalone = macc.result()
        _write_report(p, d, lang, fmt, stamp, pool)


@main.command()
@click.argument("file")
@ROOT
@click.option("--out", type=click.Path(file_okay=False), help="output folder (default reports/<scenario>)")
@click.option("--time-limit", type=float, help="override solver.time_limit (seconds)")
@click.option("--report", "with_report", is_flag=True, help="also write charts, HTML report and Excel workbook")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler for the site subproblems (tcp://host:8786)")
@LANG
def run(file: str, root: str | None, out: str | None, time_limit: float | None, with_report: bool,
        scheduler: str | None, lang: str) -> None:
    """Solve a scenario and write roadmap, emissions, abatement, costs, targets and summary."""
    from .api import plan
    from .schemas import load_scenario

    try:
        sc = load_scenario(file, root)
        if time_limit is not None and not (math.isfinite(time_limit) and 0 < time_limit <= 1e6):
            raise InputError("--time-limit", "", f"expected seconds > 0 and <= 1e6, got {time_limit}")
        if time_limit is not None:
            sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"time_limit": time_limit})})
        d = _out_dir(out, sc.name)
        p = plan(sc, out_dir=d, scheduler=scheduler)
    except PlannerError as exc:
        _fail(exc)
    s = p.summary
    gap = f"{s['gap']:.2e}" if s["gap"] is not None else "n/a"
    click.echo(f"{sc.company} [{sc.name}]: status {s['status']}, cash NPV {s['cash_npv_cny'] * CNY_TO_MCNY:,.1f} MCNY, "
               f"objective incl. internal carbon price {s['objective_cny'] * CNY_TO_MCNY:,.1f} MCNY "
               f"(bound {s['best_bound_cny'] * CNY_TO_MCNY:,.1f}, gap {gap}), solve {s['solve_seconds']:.1f} s, "
               f"{s['model']['binaries']} binaries")
    if s["status"] != "optimal":
        click.echo(f"warning: not proven optimal ({s['status']}); the roadmap is the best found, gap {gap}",
                   err=True)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:,.0f}".format):
        r = p.roadmap[p.roadmap.action == "build"][["year", "site", "measure", "size", "unit", "capex_cny"]]
        click.echo("\nRoadmap (builds):")
        click.echo(r.to_string(index=False) if len(r) else "  (no builds)")
        tg = p.targets[p.targets.milestone].copy()
        share = tg.unit == "share"
        fmt = {True: "{:.1%}".format, False: lambda v: f"{round(v):,} t"}  # round(): an int, never "-0 t"
        for col in ("required", "achieved", "net"):
            tg[col] = [fmt[bool(sh)](v) for sh, v in zip(share, tg[col], strict=True)]
        click.echo("\nTargets (milestone years):")
        click.echo(tg[["target", "year", "required", "achieved", "net", "met", "sbti_ok"]].to_string(index=False)
                   if len(tg) else "  (no targets in the scenario)")
    click.echo(f"\nwrote {len(p.files)} files to {d}")
    if with_report:
        _write_report(p, d, lang)


@main.command()
@click.argument("items", nargs=-1, required=True)
@click.option("--ref", help="label of the reference scenario (default: the first)")
@click.option("--label", "labels", multiple=True, help="label of each scenario, in order (default: scenario names)")
@click.option("--out", type=click.Path(file_okay=False), help="output folder (default reports/compare_<labels>)")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="scenarios solved in parallel")
@LANG
def compare(items: tuple[str, ...], ref: str | None, labels: tuple[str, ...], out: str | None, workers: int,
            lang: str) -> None:
    """Compare scenarios side by side: ITEMS are scenario files or result folders written by `planner run`."""
    from .api import compare as run_compare
    from .api import write_comparison

    try:
        c = run_compare(list(items), reference=ref, workers=workers, labels=list(labels) if labels else None)
        d = Path(out) if out else Path("reports") / ("compare_" + "_".join(r.label for r in c.runs))[:120]
        write_comparison(c, d, _langs(lang))
    except PlannerError as exc:
        _fail(exc)
    k = c.kpis.pivot_table(index="kpi", columns="scenario", values="value", sort=False)
    kpis = ("cash_npv", "objective", "total_capex", "cumulative_emissions", "targets_met", "targets_total")
    k = k.loc[[i for i in kpis if i in k.index], [r.label for r in c.runs if r.label in k.columns]]
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:,.0f}".format):
        click.echo(f"reference {c.reference}; {len(c.inputs)} input differences")
        for r in c.runs:
            if r.plan is None:
                click.echo(f"{r.label}: {r.status}: {'; '.join(r.shortfalls)}")
        click.echo(k.to_string())
        changed = c.roadmap[(c.roadmap.verdict != "") & (c.roadmap.verdict != "same")]
        if c.runs[0].plan is None:
            click.echo(f"\nno roadmap verdicts: the reference {c.reference} has no plan ({c.runs[0].status})")
        click.echo(f"\nroadmap differences: {len(changed)}; common to all: {len(c.common)} measures")
        for row in changed.itertuples():
            click.echo(f"  {row.measure} ({row.site}): {row.verdict}")
    click.echo(f"\nwrote {d}")


class _SweepGroup(click.Group):
    """`planner sweep FILE ...` runs a sweep (the `run` subcommand); `planner sweep variant FILE N` writes one."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_SweepGroup)
def sweep() -> None:
    """Sensitivity sweeps: `planner sweep SWEEP.yaml [--workers N] [--scheduler ADDR] [--resume] [--out DIR]
    [--report]` solves every variant into DIR/sweep.duckdb; `planner sweep report DIR` writes its report;
    `planner sweep variant SWEEP.yaml N` writes variant N as a scenario file. See docs/sweeps.md."""


@sweep.command("run")
@click.argument("file")
@ROOT
@click.option("--out", type=click.Path(file_okay=False), help="store folder (default reports/sweeps/<name>)")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="local worker processes, each keeping its model")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786): run the variants on that cluster")
@click.option("--resume", is_flag=True, help="finish a sweep whose store exists (solves only missing variants)")
@click.option("--commit-seconds", type=click.FloatRange(0, 3600), default=3.0, show_default=True,
              help="commit finished variants at most this often (a crash loses at most these seconds of work; "
                   "0: every variant on its own, slower)")
@click.option("--quiet", is_flag=True, help="no progress output")
@click.option("--report", "with_report", is_flag=True, help="then write the sweep report next to the store")
@LANG
def sweep_run(file: str, root: str | None, out: str | None, workers: int, scheduler: str | None, resume: bool,
              commit_seconds: float, quiet: bool, with_report: bool, lang: str) -> None:
    """Solve every variant of a sweep file into a DuckDB store."""
    import warnings

    from .api import sweep as run_sweep
    from .schemas.sweep import load_sweep
    from .studies.sweep.inert import SweepWarning

    try:
        spec = load_sweep(file, root)
        with warnings.catch_warnings():  # printed as `warning: ...` lines instead (before solving unless quiet)
            warnings.simplefilter("ignore", SweepWarning)
            r = run_sweep(spec, out, workers=workers, scheduler=scheduler, resume=resume, quiet=quiet,
                          commit_seconds=commit_seconds)
    except PlannerError as exc:
        _fail(exc)
    states = ", ".join(f"{n} {s}" for s, n in sorted(r.statuses.items()))
    click.echo(f"{spec.name}: {r.variants} variants ({states}); solved {r.solved_now} now in {r.seconds:.1f} s; "
               f"store {r.store}")
    for w in r.warnings if quiet else ():  # loud even when quiet: a parameter that changed nothing
        click.echo(f"warning: {w}", err=True)
    if with_report:
        _sweep_report(str(r.store), None, lang)


def _sweep_report(store: str, out: str | None, lang: str) -> None:
    from .api import sweep_report

    try:
        files = sweep_report(store, out, _langs(lang))
    except PlannerError as exc:
        _fail(exc)
    html = [str(f) for f in files if f.suffix == ".html"]
    xlsx = [f for f in files if f.suffix == ".xlsx"][0]
    click.echo(f"sweep report: {', '.join(html)}; workbook: {xlsx}; charts: {xlsx.parent / 'charts'}")


@sweep.command("report")
@click.argument("store")
@click.option("--out", type=click.Path(file_okay=False), help="report folder (default: the store's folder)")
@LANG
def sweep_report_cmd(store: str, out: str | None, lang: str) -> None:
    """Charts, sweep_<lang>.html and sweep.xlsx from a sweep store (folder or .duckdb), without solving."""
    _sweep_report(store, out, lang)


@sweep.command("variant")
@click.argument("file")
@click.argument("n", type=int)
@ROOT
@click.option("--out", type=click.Path(dir_okay=False), help="scenario file to write (default: standard output)")
def sweep_variant(file: str, n: int, root: str | None, out: str | None) -> None:
    """Write variant N of a sweep as a plain scenario file that `planner run` solves."""
    from .schemas.sweep import load_sweep
    from .studies.sweep import variant_yaml

    try:
        text = variant_yaml(load_sweep(file, root), n)
    except PlannerError as exc:
        _fail(exc)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote variant {n} to {out}")
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--xlsx", "out", required=True, type=click.Path(dir_okay=False), help="workbook to write (.xlsx)")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="language of sheet names, headers, units and notes (ids stay as they are)")
@click.option("--from", "source", help="fill the workbook with this scenario (YAML file or workbook)")
@ROOT
def template(out: str, lang: str, source: str | None, root: str | None) -> None:
    """Write a scenario workbook: one sheet per part of a scenario, with units, drop-downs, ranges and notes citing
    the library defaults; `planner run|validate|report|compare` read the filled workbook like a YAML file."""
    from .schemas.workbook import template as write_template

    try:
        path = write_template(out, lang, source, root)
    except PlannerError as exc:
        _fail(exc)
    click.echo(f"wrote {path}" + (f" (filled with {source})" if source else ""))


@main.command()
@click.argument("file")
@click.option("--to", "dst", required=True, type=click.Path(dir_okay=False),
              help="file to write: .xlsx (a workbook) or .yaml/.yml")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="language of the workbook (when writing .xlsx)")
@ROOT
def convert(file: str, dst: str, lang: str, root: str | None) -> None:
    """Convert a scenario between YAML and a workbook (validated first; both give the same scenario)."""
    from .schemas.workbook import convert as run_convert

    try:
        path = run_convert(file, dst, lang, root)
    except PlannerError as exc:
        _fail(exc)
    click.echo(f"wrote {path}")


@main.command()
@click.option("--out", type=click.Path(dir_okay=False), help="file to write (default: standard output)")
@click.option("--sweep", "of_sweep", is_flag=True, help="the schema of sweep files (default: scenario files)")
def schema(out: str | None, of_sweep: bool) -> None:
    """Write the JSON Schema of scenario (or sweep) files, for editors: add the line
    `# yaml-language-server: $schema=<path of the schema>` at the top of a YAML file (docs/workbook.md)."""
    from .schemas.export import schema_text

    try:
        text = schema_text("sweep" if of_sweep else "scenario")
    except PlannerError as exc:
        _fail(exc)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(InputError(out, "", f"cannot write the file ({exc.strerror or type(exc).__name__})"))
        click.echo(f"wrote {out}")
    else:
        click.echo(text, nl=False)


class _Share(click.ParamType):
    """A share written as 0.02 or 2%."""

    name = "share"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        text = str(value).strip()
        try:
            return float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
        except ValueError:
            self.fail(f"expected a share such as 0.02 or 2%, got {value!r}", param, ctx)


@main.command()
@click.argument("file")
@ROOT
@click.option("--branches", "branches_file", required=True, type=click.Path(dir_okay=False),
              help="branches file: split year, parameters, branches and probabilities (docs/robust.md)")
@click.option("--objective", type=click.Choice(["expected", "cvar", "regret"]),
              help="override the file's risk.objective")
@click.option("--time-limit", type=click.FloatRange(1, 1e6), help="seconds for each solve of the tree "
              "(default: the scenario's solver.time_limit); a tree stopped by it reports its gap")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="local processes for the branches' solves alone (the tree is one solve)")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786): the branches' solves alone run there")
@click.option("--decompose", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
              help="solve the tree by scenario decomposition (branches apart, coupled by the shared decisions; "
              "expected objective) or as one MIP; auto: from 1,000 binaries up when the expected-value plan is within "
              "3 gaps of the wait-and-see bound (docs/robust.md)")
@click.option("--out", type=click.Path(file_okay=False), help="output folder (default reports/<scenario>/robust)")
@click.option("--report", "with_report", is_flag=True,
              help="then write the HTML report and the deck (per language) and the workbook")
@LANG
def robust(file: str, root: str | None, branches_file: str, objective: str | None, time_limit: float | None,
           workers: int, scheduler: str | None, decompose: str, out: str | None, with_report: bool,
           lang: str) -> None:
    """Stochastic roadmap: the plan to commit to before the split year, each branch's continuation, EVPI, VSS."""
    from .schemas import load_scenario
    from .studies.robust import robust as run_robust

    try:
        sc = load_scenario(file, root)
        d = Path(out) if out else Path("reports") / sc.name / "robust"
        r = run_robust(sc, branches_file, objective=objective, out_dir=d, langs=_langs(lang), time_limit=time_limit,
                       workers=workers, scheduler=scheduler, decompose=decompose)
    except PlannerError as exc:
        _fail(exc)
    s = r.summary
    click.echo(f"{sc.name}: {s['branches']} branches split at {s['split_year']}, objective {s['objective']}: "
               f"{s['objective_cny']:,.0f} CNY (expected NPV {s['expected_npv_cny']:,.0f} CNY)")
    now = ", ".join(f"{row.measure} {row.year}" for row in r.commit_now.itertuples()) or "nothing"
    click.echo(f"commit now (before {s['split_year']}): {now}")
    def rng(r):
        return f" (proven {r[0]:,.0f}..{r[1]:,.0f})" if r else ""

    vss = (f"{s['vss_cny']:,.0f} CNY{rng(s['vss_range_cny'])}" if s["vss_cny"] is not None
           else "the average branch's plan is infeasible")
    gap = f", gap {s['tree_gap']:.2g}" if s["tree_gap"] is not None else ""
    click.echo(f"EVPI {s['evpi_cny']:,.0f} CNY{rng(s['evpi_range_cny'])}; VSS {vss}; tree "
               f"{s['tree_variables']} variables ({s['tree_binaries']} binaries), {s['tree_status']}{gap} in "
               f"{s['tree_solve_seconds']:.1f} s ({s['tree_method']})")
    if with_report:
        from .report.robust import write_robust_report
        files = write_robust_report(d, "robust", _langs(lang))
        click.echo(f"report: {', '.join(str(f) for f in files if f.suffix == '.html')}")
    click.echo(f"wrote {d}")


@main.command()
@click.argument("file")
@ROOT
@click.option("--slack", type=_Share(), default="2%", show_default=True, help="NPV slack above the least, e.g. 2%")
@click.option("--count", type=click.IntRange(1, 100), default=5, show_default=True, help="alternatives to look for")
@click.option("--out", type=click.Path(file_okay=False),
              help="output folder (default reports/<scenario>/alternatives)")
@click.option("--report", "with_report", is_flag=True,
              help="then write the HTML report and the deck (per language) and the workbook")
@click.option("--compare-report", "compare_report", is_flag=True,
              help="then write the comparison report of the roadmaps side by side into OUT/comparison")
@LANG
def alternatives(file: str, root: str | None, slack: float, count: int, out: str | None, with_report: bool,
                 compare_report: bool, lang: str) -> None:
    """Near-optimal roadmaps within the slack that differ most, and the measure map (essential/optional/never)."""
    from .schemas import load_scenario
    from .studies.robust import alternatives as run_alternatives

    try:
        sc = load_scenario(file, root)
        d = Path(out) if out else Path("reports") / sc.name / "alternatives"
        r = run_alternatives(sc, slack=slack, count=count, out_dir=d, langs=_langs(lang), plans=compare_report)
    except PlannerError as exc:
        _fail(exc)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:,.4g}".format):
        click.echo(r.overview.drop(columns=["solve_seconds"]).to_string(index=False))
        click.echo("")
        click.echo(r.measure_map[["measure", "class", "proven", "adopted_in", "earliest_year", "latest_year"]]
                   .to_string(index=False))
    if with_report:
        from .report.robust import write_robust_report
        files = write_robust_report(d, "alternatives", _langs(lang))
        click.echo(f"report: {', '.join(str(f) for f in files if f.suffix == '.html')}")
    if compare_report:
        from .api import write_alternatives_comparison

        try:
            files = write_alternatives_comparison(r, d / "comparison", _langs(lang))
        except PlannerError as exc:
            _fail(exc)
        click.echo(f"comparison: {', '.join(str(f) for f in files if f.suffix == '.html')}")
    click.echo(f"wrote {d}")


@sweep.command("verdicts")
@click.argument("file")
@ROOT
@click.option("--tolerance", type=_Share(), default="0.1%", show_default=True,
              help="NPV tolerance of a verdict (at least each variant's mip_rel_gap)")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="local processes, one variant at a time each")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786): run the variants on that cluster")
@click.option("--out", type=click.Path(file_okay=False), help="output folder (default reports/sweeps/<name>)")
@LANG
def sweep_verdicts_cmd(file: str, root: str | None, tolerance: float, workers: int, scheduler: str | None,
                       out: str | None, lang: str) -> None:
    """No-regret / never / interchangeable verdicts free of solver noise: one probe solve per variant and measure."""
    from .schemas.sweep import load_sweep
    from .studies.robust import sweep_verdicts

    try:
        spec = load_sweep(file, root)
        d = Path(out) if out else Path("reports") / "sweeps" / spec.name
        r = sweep_verdicts(spec, tolerance, out_dir=d, langs=_langs(lang), workers=workers, scheduler=scheduler)
    except PlannerError as exc:
        _fail(exc)
    click.echo(r.verdicts[["measure", "verdict", "naive_verdict", "essential", "optional", "never"]]
               .to_string(index=False))
    click.echo(f"{r.summary['variants']} variants, {r.summary['probes']} probes in {r.summary['seconds']:.1f} s; "
               f"wrote {d}")
