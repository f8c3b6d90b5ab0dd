"""Sensitivity sweeps: many variants of a scenario solved in place, in parallel or on a Dask cluster, into
a resumable DuckDB store (docs/sweeps.md)."""

from __future__ import annotations

from pathlib import Path

from ...errors import InputError
from ...run import dump_scenario
from ...schemas.sweep import SweepSpec, load_sweep
from .design import Design, make_design
from .engine import EXECUTION_COLUMNS, Worker, variant_scenario
from .inert import SweepWarning
from .runner import SweepResult, run_sweep
from .store import TABLES, read_store


def variant_yaml(sweep: SweepSpec | str | Path, n: int) -> str:
    """Variant n of a sweep as a plain scenario YAML (`planner run` solves it to the stored result)."""
    spec = sweep if isinstance(sweep, SweepSpec) else load_sweep(sweep)
    design = make_design(spec)
    if not 0 <= n < len(design):
        raise InputError(spec.file, "", f"variant {n} does not exist; the sweep has variants 0..{len(design) - 1}")
    head = f"# variant {n} of sweep {spec.name} ({spec.file}):\n"
    head += "".join(f"#   {p.label} = {'base' if x != x else f'{x:g}'}\n"
                    for p, x in zip(spec.parameters, design.values[n], strict=True))
    return head + dump_scenario(variant_scenario(spec, design.values[n], n))


__all__ = ["EXECUTION_COLUMNS", "TABLES", "Design", "SweepResult", "SweepSpec", "SweepWarning", "Worker", "load_sweep",
           "make_design", "read_store", "run_sweep", "variant_scenario", "variant_yaml"]
