"""The result store of a sweep: one DuckDB file of tidy tables (docs/sweeps.md lists every column).

`sweep`, `parameters` and `variants` are written when the store is created; solved variants then add
their rows to `metrics`, `targets`, `adoption`, `trajectories` (and the extra tables the sweep asks for)
in transactions of whole variants, so a killed sweep leaves each variant either wholly stored or absent,
and `--resume` solves exactly the absent ones (`metrics.variant` is the primary key: a variant cannot be
stored twice).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import duckdb
import pandas as pd

from ...errors import InputError
from ...schemas.sweep import SweepSpec
from ...version import __version__
from .design import Design

STORE_FORMAT = 3  # 2: table parameter_effects; 3: metrics objective_cny (was npv_cny) and cash_npv_cny. An
# older store is brought up to date when resumed (`Store.migrate`) and read as if it were (`_select`)
FILE_NAME = "sweep.duckdb"

TABLES = {
    "sweep": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "parameters": "parameter VARCHAR, position INTEGER, path VARCHAR, mode VARCHAR, distribution VARCHAR, "
                  "low DOUBLE, high DOUBLE, base DOUBLE, locations VARCHAR",
    "variants": "variant INTEGER, parameter VARCHAR, value DOUBLE, unit_value DOUBLE, level VARCHAR",
    "metrics": "variant INTEGER PRIMARY KEY, status VARCHAR, termination VARCHAR, objective_cny DOUBLE, "
               "cash_npv_cny DOUBLE, bound_cny DOUBLE, "
               "gap DOUBLE, targets_met BOOLEAN, targets_missed INTEGER, total_capex_cny DOUBLE, "
               "cumulative_scope12_tco2e DOUBLE, shortfall VARCHAR, message VARCHAR, solve_seconds DOUBLE, "
               "highs_seconds DOUBLE, rebuilt BOOLEAN, rebuild_reason VARCHAR, wall_seconds DOUBLE, "
               "cpu_seconds DOUBLE, worker INTEGER, peak_rss_mb DOUBLE",
    "targets": "variant INTEGER, target VARCHAR, type VARCHAR, year INTEGER, milestone BOOLEAN, unit VARCHAR, "
               "required DOUBLE, achieved DOUBLE, offsets_used DOUBLE, net DOUBLE, met BOOLEAN, shortfall DOUBLE",
    "adoption": "variant INTEGER, measure VARCHAR, kind VARCHAR, family VARCHAR, site VARCHAR, adopted BOOLEAN, "
                "first_year INTEGER, size DOUBLE, unit VARCHAR, actions INTEGER, capex_cny DOUBLE",
    "trajectories": "variant INTEGER, year INTEGER, scope VARCHAR, bau_tco2e DOUBLE, plan_tco2e DOUBLE",
    "costs": "variant INTEGER, year INTEGER, category VARCHAR, nominal_cny DOUBLE, discounted_cny DOUBLE",
    "electricity": "variant INTEGER, year INTEGER, site VARCHAR, grid_mwh DOUBLE, onsite_mwh DOUBLE, "
                   "green_claims_mwh DOUBLE, share DOUBLE",
    "abatement": "variant INTEGER, year INTEGER, measure VARCHAR, family VARCHAR, scope VARCHAR, tco2e DOUBLE",
    # whether each parameter, alone at each checked value, changes the model (effects.py; before solving)
    "parameter_effects": "parameter VARCHAR, position INTEGER, value DOUBLE, changes_model BOOLEAN, "
                         "inputs_difference VARCHAR, model_difference VARCHAR",
    # design carbon_price only: the stand-alone MACC of the base scenario (targets relaxed), written once
    "standalone_macc": "measure VARCHAR, name VARCHAR, name_zh VARCHAR, family VARCHAR, site VARCHAR, "
                       "potential_tco2e_per_yr DOUBLE, standalone_cost_cny_per_tco2e DOUBLE",
}
PER_VARIANT = ("metrics", "targets", "adoption", "trajectories", "costs", "electricity", "abatement")
SORT = {"sweep": "key", "parameters": "position", "variants": "variant, parameter",
        "metrics": "variant", "targets": "variant, target, year", "adoption": "variant, measure",
        "trajectories": "variant, year, scope", "costs": "variant, year, category",
        "electricity": "variant, year, site", "abatement": "variant, year, measure, family, scope",
        "parameter_effects": "position, value", "standalone_macc": "standalone_cost_cny_per_tco2e, measure"}


class Store:
    """An open sweep store (one writer: the process running the sweep)."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection):
        self.path, self.con = path, con

    @classmethod
    def open(cls, out_dir: str | Path, spec: SweepSpec, design: Design, resume: bool) -> Store:
        """Create the store in out_dir, or reopen it with `resume` (it must belong to the same sweep)."""
        path = Path(out_dir) / FILE_NAME
        where = str(path)
        exists = path.exists()
        if exists and not resume:
            raise InputError(where, "", "a sweep store already exists here; pass --resume to finish it, or "
                             "choose another --out folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise InputError(where, "", f"cannot open the store ({type(exc).__name__}: {exc})") from None
        store = cls(path, con)
        if exists:
            try:
                meta = store.meta()
            except duckdb.CatalogException:  # killed while the store was being created: nothing is stored
                store._create(spec, design)
                return store
            if meta.get("digest") != spec.digest:
                con.close()
                raise InputError(where, "", f"the store belongs to another sweep (digest {meta.get('digest')}, this "
                                 f"sweep file gives {spec.digest}); choose another --out folder")
            store.migrate()
            return store
        store._create(spec, design)
        return store

    def _create(self, spec: SweepSpec, design: Design) -> None:
        con = self.con
        con.begin()
        for name, cols in TABLES.items():
            con.execute(f"CREATE TABLE {name} ({cols})")
        sw = spec.sweep
        meta = {"name": spec.name, "file": spec.file, "base_scenario": spec.base.name, "design": sw.design,
                "seed": str(sw.seed), "samples": str(sw.samples or ""), "variants": str(len(design)),
                "digest": spec.digest, "planner_version": __version__, "store_format": str(STORE_FORMAT),
                "salib_problem": json.dumps(design.problem), "sweep_file": json.dumps(sw.model_dump(mode="json"))}
        self._insert("sweep", pd.DataFrame({"key": list(meta), "value": list(meta.values())}))
        prows = []
        for j, (p, locs) in enumerate(zip(spec.parameters, spec.locations, strict=True)):
            prows.append(dict(parameter=p.label, position=j, path=p.path, mode=p.mode, distribution=p.kind,
                              low=p.low, high=p.high, base=p.centre, locations=", ".join(x.label for x in locs)))
        self._insert("parameters", pd.DataFrame(prows))
        n, k = design.values.shape
        names = [p.label for p in spec.parameters]
        self._insert("variants", pd.DataFrame({
            "variant": [i for i in range(n) for _ in range(k)], "parameter": names * n,
            "value": design.values.reshape(-1), "unit_value": design.unit.reshape(-1),
            "level": [lev for row in design.level for lev in row]}))
        con.commit()

    def _insert(self, table: str, df: pd.DataFrame) -> None:
        self.con.register("_rows", df)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
        finally:
            with contextlib.suppress(duckdb.Error):  # fails in a transaction the insert aborted; keep its error
                self.con.unregister("_rows")

    def migrate(self) -> None:
        """Bring an older store's tables to today's columns (renamed columns renamed, new ones added as NULL:
        e.g. `cash_npv_cny` of variants solved before format 3), so that resumed variants insert by name."""
        con = self.con
        con.begin()
        try:
            for name, spec in TABLES.items():
                have = _stored_columns(con, name)
                if not have:
                    continue  # a table written later (parameter_effects, standalone_macc) is created then
                for old, new in RENAMED.get(name, {}).items():
                    if old in have and new not in have:
                        con.execute(f'ALTER TABLE {name} RENAME COLUMN "{old}" TO "{new}"')
                        have[have.index(old)] = new
                for col, typ in _columns(spec):
                    if col not in have:
                        con.execute(f'ALTER TABLE {name} ADD COLUMN "{col}" {typ}')
            con.commit()
        except BaseException:
            con.rollback()
            raise

    def meta(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT key, value FROM sweep").fetchall())

    def done(self) -> set[int]:
        """Variants already stored."""
        return {r[0] for r in self.con.execute("SELECT variant FROM metrics").fetchall()}

    def write(self, variant: int, tables: dict[str, pd.DataFrame]) -> None:
        """Store every row of one variant in one transaction."""
        self.write_many([(variant, tables)])

    def write_many(self, batch: list[tuple[int, dict[str, pd.DataFrame]]]) -> None:
        """Store every row of these variants in one transaction (all of them or none): one insert per table
        for the whole batch, since DuckDB's cost is per statement (~35 ms for a demo variant's four tables
        alone, ~7 ms per variant in batches of eight)."""
        if not batch:
            return
        self.con.begin()
        try:
            for name in PER_VARIANT:
                frames = [t[name].assign(variant=i) for i, t in batch if t.get(name) is not None and len(t[name])]
                if frames:
                    self._insert(name, frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True))
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def write_table(self, name: str, df: pd.DataFrame) -> None:
        """Replace the rows of a table that is not per variant (e.g. standalone_macc), in one transaction."""
        self.con.begin()
        try:
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({TABLES[name]})")
            self.con.execute(f"DELETE FROM {name}")
            if len(df):
                self._insert(name, df[[c.split()[0] for c in TABLES[name].split(", ")]])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def set_meta(self, key: str, value: str) -> None:
        """Set one row of the `sweep` table."""
        self.con.execute("INSERT OR REPLACE INTO sweep VALUES (?, ?)", [key, value])

    def read(self, name: str) -> pd.DataFrame:
        """One table, sorted, as a pandas frame."""
        return _select(self.con, name)

    def has_rows(self, name: str) -> bool:
        have = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return name in have and self.con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] > 0

    def close(self) -> None:
        self.con.close()


def read_store(path: str | Path, tables: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of a sweep store (or those named), sorted, as pandas frames."""
    p = Path(path)
    p = p / FILE_NAME if p.is_dir() else p
    if not p.is_file():
        raise InputError(str(p), "", "no sweep store here (expected sweep.duckdb written by `planner sweep`)")
    con = duckdb.connect(str(p), read_only=True)
    try:
        have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return {t: _select(con, t) for t in (tables or tuple(TABLES)) if t in have or tables}
    finally:
        con.close()


RENAMED = {  # table -> {old column name: current name}
    "standalone_macc": {"cost_cny_per_tco2e": "standalone_cost_cny_per_tco2e"},
    "metrics": {"npv_cny": "objective_cny"},  # format 1-2: the objective, shadow prices included
}


def _columns(spec: str) -> list[tuple[str, str]]:
    """(name, type) of each column of a TABLES entry."""
    return [(part.split()[0], part.split()[1]) for part in spec.split(", ")]


def _stored_columns(con, name: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                      "ORDER BY ordinal_position", [name]).fetchall()]


def _select(con, name: str) -> pd.DataFrame:
    """One table, sorted, in today's columns: an older store's renamed columns under their current names
    (RENAMED) and columns it lacks as NULL (e.g. `cash_npv_cny` before format 3)."""
    have = _stored_columns(con, name)
    if not have:
        return con.execute(f"SELECT * FROM {name}").df()  # no such table: DuckDB's error, as before
    stored = {RENAMED.get(name, {}).get(c, c): c for c in have}
    sel = ", ".join(f'"{stored[c]}" AS "{c}"' if c in stored else f'CAST(NULL AS {t}) AS "{c}"'
                    for c, t in _columns(TABLES[name]))
    return con.execute(f"SELECT {sel} FROM {name} ORDER BY {SORT[name]}").df()
