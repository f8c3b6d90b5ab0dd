"""Parallel build of a portfolio's matrix: each chunk of sites is built as a Pyomo model and compiled to arrays
in a worker process (docs/model.md §12, "Parallel build"); the main process adds the parts up.

The one Pyomo formulation of every measure kind stays the only one: a worker builds the scenario's model with
its inputs restricted to a chunk of sites (`restrict`: those sites and their measures; company measures,
company rows and target rows kept) and compiles it with `matrix.compile_model`. The company part E (the model
restricted to no site) is built once. Every chunk model holds E's rows and columns plus its own sites'; sites
add linearly to the company rows (targets sum over sites), so the whole model is

    whole = E + Σ_chunks (chunk − E)

entry by entry: coefficients, objective, offset and row bounds (a bound holds the constants of the row). A
worker returns the difference as a `SitePart`: its sites' columns and own rows whole, and its change to E's
rows and columns (exact zeros where the chunk adds nothing). A chunk whose rows or company columns do not fit
this (a row of several sites that E lacks, a company column E lacks) raises `NotSeparable`; the caller then
builds serially.

Order of the assembled matrix: the site columns chunk by chunk (each in the compiler's order), then E's
columns; E's rows, then each chunk's own rows. Columns and rows carry keys (component name, index; a
ConstraintList member: the list's name and its columns), which `sitebind.bind` maps onto the whole model's
objects, in the order the compiler gives that model.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.base.component_namer import index_repr

from ..preprocess.inputs import ModelInputs
from ..preprocess.targets import TargetYear
from ..schemas.scenario import Solver
from .builder import BuiltModel, build_model
from .matrix import Matrix, append_empty_rows, compile_model, constant_constraints, constant_row

# solver.build auto: parallel from this many sites and workers. The whole Pyomo model is still built here (the
# results read it), so the workers' builds are extra CPU: with 2 workers on 2 cores the build and hand-over took
# more wall than serially (benchmarks/build.py --parallel); a third core is what lets them run beside this one
PARALLEL_MIN_SITES = 50
PARALLEL_MIN_WORKERS = 3
CHUNK_SITES = 10  # sites per worker task: fewer tasks cost less overhead, more tasks balance better


class NotSeparable(Exception):
    """The model does not split into company part + independent chunks (see module doc)."""


@dataclass
class Company:
    """The company part E: the model restricted to no site, compiled."""

    mx: Matrix
    names: list[tuple]  # column keys (`_names`)
    row_keys: list[tuple]
    owner: list[str | None]  # measure id per column


@dataclass
class SitePart:
    """A chunk's contribution. Columns: its sites' columns (`site` = index into `sites`), then E's columns;
    rows: its own rows, then E's rows. `A` covers both (E × E block as a difference from E); `c`, `row_lower`,
    `row_upper` of E's rows and columns and `offset` are differences from E too."""

    sites: list[str]
    names: list[tuple]  # the sites' columns: (component name, index)
    site: np.ndarray  # per site column: index into `sites`
    owner: list[str | None]  # per site column: measure id (None: core variable)
    c: np.ndarray  # site columns, then E's (difference)
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    offset: float  # difference
    row_keys: list[tuple]  # own rows (`row_keys`)
    row_lower: np.ndarray  # own rows, then E's (difference)
    row_upper: np.ndarray
    A: sp.csr_array  # (own rows + E rows) x (site columns + E columns)
    flip: np.ndarray  # per row of E: an empty row negated to match this chunk's orientation (`flipped`)


@dataclass
class Assembled:
    """The whole model's matrix (columns and rows as names) with its column groups and owners."""

    mx: Matrix  # columns, rows: names
    col_group: np.ndarray  # index of the column's site in `sites`, len(sites) for the company
    owner: np.ndarray  # index of the column's measure in inp.measures, -1 for core and rule columns
    sites: list[str]

    @property
    def names(self) -> list[str]:
        """Column names as Pyomo writes them (`VarData.name`)."""
        return [name if index is None else name + index_repr(index) for name, index in self.mx.columns]


def restrict(inp: ModelInputs, sites: list[str]) -> ModelInputs:
    """The inputs of the given sites only: their measures and the company's (no site)."""
    keep = set(sites)
    return replace(inp, sites=[s for s in inp.sites if s in keep],
                   measures=[m for m in inp.measures if m.site is None or m.site in keep],
                   ets_sites=[s for s in inp.ets_sites if s in keep],
                   site_products=[p for p in inp.site_products if p[0] in keep],
                   product_output_kt={k: v for k, v in inp.product_output_kt.items() if k[0] in keep})


def separable(inp: ModelInputs, rows: list[TargetYear], elastic: bool = False) -> bool:
    """Whether a model of these inputs may be built in parts: annual time (representative days add rows over
    sites' hours, not tried), no target over named sites (a product intensity target's allocation: restricted
    to a chunk without those sites it would read as all sites) and no measure that names another site's
    measure."""
    if elastic or inp.hourly is not None or any(r.site_factors for r in rows):
        return False
    site_of = {m.id: m.site for m in inp.measures}
    for m in inp.measures:
        for other in list(getattr(m, "requires", None) or []):
            if site_of.get(other) != m.site:
                return False
    return True


def _labels(built: BuiltModel, mx: Matrix) -> tuple[np.ndarray, list[str | None]]:
    """Per column: index of its site in built.inp.sites (len(sites): company) and its measure's id."""
    from .decompose import column_groups, column_owner

    groups, _ = column_groups(built, mx)
    ids = [mm.id for mm in built.measures]
    return groups, [ids[o] if o >= 0 else None for o in column_owner(built, mx)]


def build_company(inp: ModelInputs, rows: list[TargetYear]) -> Company:
    """Build and compile the company part E."""
    b = build_model(restrict(inp, []), rows)
    mx = compile_model(b.m)
    have = {id(r) for r in mx.rows}  # rows without a free variable here (sums over no site) are kept empty
    mx = append_empty_rows(mx, [t for t in constant_constraints(b.m) if id(t[0]) not in have])
    _g, owner = _labels(b, mx)
    names = _names(mx.columns)
    return Company(mx, names, row_keys(mx, names), owner)


def build_part(inp: ModelInputs, rows: list[TargetYear], sites: list[str], company: Company) -> SitePart:
    """Build and compile the model of a chunk of sites; its difference from E (see module doc)."""
    b = build_model(restrict(inp, sites), rows)
    mx = compile_model(b.m)
    groups, owner = _labels(b, mx)
    names = _names(mx.columns)
    keys = row_keys(mx, names)
    missing = set(company.row_keys).difference(keys)
    if missing:  # E's rows that have no free variable in this chunk either: empty rows with their bounds
        missing = sorted(missing, key=repr)
        try:
            found = [_component_data(b.m, k) for k in missing]
        except KeyError:
            raise NotSeparable(f"company rows missing in the model of sites {sites[0]}..{sites[-1]}") from None
        mx = append_empty_rows(mx, [constant_row(con) for con in found])
        keys += missing
    del b  # the chunk's Pyomo objects go before the arrays are made
    n_sites = len(sites)
    own_col = np.flatnonzero(groups < n_sites)
    com_col = np.flatnonzero(groups == n_sites)
    e_col = {n: j for j, n in enumerate(company.names)}
    e_row = {k: i for i, k in enumerate(company.row_keys)}
    ne, ns = len(company.names), own_col.size
    if len(com_col) != ne or any(names[j] not in e_col for j in com_col):
        raise NotSeparable(f"company columns of sites {sites[0]}..{sites[-1]} differ from the company part")
    # column map: chunk column -> part column (site columns first, then E's in E's order)
    col_map = np.empty(len(names), dtype=np.int64)
    col_map[own_col] = np.arange(ns)
    col_map[com_col] = ns + np.fromiter((e_col[names[j]] for j in com_col), np.int64, com_col.size)
    in_e = np.array([k in e_row for k in keys], dtype=bool)
    if in_e.sum() != len(company.row_keys):
        raise NotSeparable(f"company rows missing in the model of sites {sites[0]}..{sites[-1]}")
    own_row = np.flatnonzero(~in_e)
    nr = own_row.size
    row_map = np.empty(len(keys), dtype=np.int64)
    row_map[own_row] = np.arange(nr)
    row_map[in_e] = nr + np.fromiter((e_row[keys[i]] for i in np.flatnonzero(in_e)), np.int64, int(in_e.sum()))
    coo = mx.A.tocoo()
    A = sp.coo_array((coo.data, (row_map[coo.row], col_map[coo.col])), shape=(nr + len(company.row_keys), ns + ne))
    E = company.mx
    e_block = sp.coo_array(E.A).tocoo()
    minus_e = sp.coo_array((-e_block.data, (nr + e_block.row, ns + e_block.col)), shape=A.shape)
    A = sp.csr_array(A + minus_e)
    A.eliminate_zeros()
    c = np.empty(ns + ne)
    c[col_map] = mx.c
    c[ns:] -= E.c
    lo, hi, integer = (np.empty(ns + ne), np.empty(ns + ne), np.empty(ns + ne, dtype=bool))
    lo[col_map], hi[col_map], integer[col_map] = mx.col_lower, mx.col_upper, mx.integer
    if not (np.array_equal(lo[ns:], E.col_lower) and np.array_equal(hi[ns:], E.col_upper)):
        raise NotSeparable("company column bounds depend on the sites")
    rlo, rhi = np.empty(nr + len(company.row_keys)), np.empty(nr + len(company.row_keys))
    rlo[row_map], rhi[row_map] = mx.row_lower, mx.row_upper
    flip = flipped(company, rlo[nr:], rhi[nr:])
    e_lo, e_hi = company_bounds(company, flip)
    rlo[nr:] = _difference(rlo[nr:], e_lo)
    rhi[nr:] = _difference(rhi[nr:], e_hi)
    return SitePart(list(sites), [names[j] for j in own_col], groups[own_col], [owner[j] for j in own_col],
                    c, lo[:ns], hi[:ns], integer[:ns], mx.offset - E.offset, [keys[i] for i in own_row],
                    rlo, rhi, A, flip)


def _component_data(m: pyo.ConcreteModel, key: tuple, found: dict | None = None):
    """The component data object of a key (`_names`); KeyError when the model has none. `found`: a cache
    of each component's members by index."""
    name, index = key
    members = None if found is None else found.get(name)
    if members is None:
        comp = m.find_component(name)
        if comp is None:
            raise KeyError(key)
        members = dict(comp.items()) if comp.is_indexed() else {None: comp}
        if found is not None:
            found[name] = members
    return members[index]


def row_keys(mx: Matrix, names: list[tuple]) -> list[tuple]:
    """A name per row that does not depend on which sites a model holds: the constraint's name, or for a member
    of a ConstraintList (numbered in the order of adding) the list's name with the sorted names of its columns."""
    keys = _names(mx.rows)
    listed = [i for i, r in enumerate(mx.rows) if isinstance(r.parent_component(), pyo.ConstraintList)]
    if listed:
        A = mx.A
        for i in listed:
            cols = A.indices[A.indptr[i]:A.indptr[i + 1]]
            keys[i] = _list_key(mx.rows[i].parent_component().name, (names[j] for j in cols))
    return keys


def _names(objects) -> list[tuple]:
    """A key per component data object: (its component's full name, its index); each component's name is made
    once (cheaper than `.name`, which formats the index too)."""
    base: dict[int, str] = {}
    out = []
    for o in objects:
        c = o.parent_component()
        b = base.get(id(c))
        if b is None:
            b = base[id(c)] = c.name
        out.append((b, o.index()))
    return out


def _list_key(component: str, keys) -> tuple:
    return (component, tuple(sorted(map(repr, keys))))


def flipped(company: Company, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Per row of E: whether it is an empty row written the other way round than in a chunk with bounds
    lower, upper (a constant row keeps the sides Pyomo gave it; the compiler orients a row with variables)."""
    lo, hi = company.mx.row_lower, company.mx.row_upper
    empty = np.diff(company.mx.A.indptr) == 0
    return empty & (np.isinf(lower) != np.isinf(lo)) & (np.isinf(lower) == np.isinf(hi))


def company_bounds(company: Company, flip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E's row bounds with the rows in `flip` negated."""
    lo, hi = company.mx.row_lower.copy(), company.mx.row_upper.copy()
    lo[flip], hi[flip] = -company.mx.row_upper[flip], -company.mx.row_lower[flip]
    return lo, hi


def _difference(part: np.ndarray, base: np.ndarray) -> np.ndarray:
    """part − base, 0 where both are the same infinity; NotSeparable where only one is infinite."""
    inf_p, inf_b = np.isinf(part), np.isinf(base)
    if np.any(inf_p != inf_b) or np.any(part[inf_p] != base[inf_b]):
        raise NotSeparable("a company row is bounded on one side in some models and not in others")
    out = np.zeros_like(part)
    fin = ~inf_p
    out[fin] = part[fin] - base[fin]
    return out


def assemble(inp: ModelInputs, company: Company, parts: list[SitePart]) -> Assembled:
    """The whole matrix from the company part and the chunks' parts (see module doc for the order)."""
    E = company.mx
    sites = list(inp.sites)
    pos = {s: i for i, s in enumerate(sites)}
    mid = {m.id: i for i, m in enumerate(inp.measures)}
    ns = sum(len(p.names) for p in parts)
    ne, re = len(company.names), len(company.row_keys)
    nr_own = sum(len(p.row_keys) for p in parts)
    n, nrow = ns + ne, re + nr_own
    keys = list(company.row_keys)
    seen = set(keys)
    blocks_r, blocks_c, blocks_v = [], [], []
    ecoo = sp.coo_array(E.A)
    blocks_r.append(ecoo.row)
    blocks_c.append(ns + ecoo.col)
    blocks_v.append(ecoo.data)
    c = np.empty(n)
    c[ns:] = E.c
    lo, hi, integer = np.empty(n), np.empty(n), np.empty(n, dtype=bool)
    lo[ns:], hi[ns:], integer[ns:] = E.col_lower, E.col_upper, E.integer
    rlo, rhi = np.empty(nrow), np.empty(nrow)
    flip = parts[0].flip if parts else np.zeros(re, dtype=bool)
    if any(not np.array_equal(p.flip, flip) for p in parts):
        raise NotSeparable("company rows are written the other way round in different chunks")
    rlo[:re], rhi[:re] = company_bounds(company, flip)
    group = np.full(n, len(sites), dtype=np.int64)
    owner = np.full(n, -1, dtype=np.int64)
    owner[ns:] = [mid[o] if o is not None else -1 for o in company.owner]
    names: list[tuple] = []
    offset = E.offset
    c0 = r0 = 0
    for p in parts:
        k, m = len(p.names), len(p.row_keys)
        for key in p.row_keys:
            if key in seen:
                raise NotSeparable(f"row {key} is built by more than one chunk of sites")
            seen.add(key)
        keys += p.row_keys
        names += p.names
        col_to = np.concatenate([c0 + np.arange(k), ns + np.arange(ne)])
        row_to = np.concatenate([re + r0 + np.arange(m), np.arange(re)])
        coo = p.A.tocoo()
        blocks_r.append(row_to[coo.row])
        blocks_c.append(col_to[coo.col])
        blocks_v.append(coo.data)
        c[c0:c0 + k] = p.c[:k]
        c[ns:] += p.c[k:]
        lo[c0:c0 + k], hi[c0:c0 + k], integer[c0:c0 + k] = p.col_lower, p.col_upper, p.integer
        rlo[re + r0:re + r0 + m], rhi[re + r0:re + r0 + m] = p.row_lower[:m], p.row_upper[:m]
        fin_lo, fin_hi = np.isfinite(rlo[:re]), np.isfinite(rhi[:re])
        rlo[:re][fin_lo] += p.row_lower[m:][fin_lo]
        rhi[:re][fin_hi] += p.row_upper[m:][fin_hi]
        offset += p.offset
        group[c0:c0 + k] = [pos[p.sites[i]] for i in p.site]
        owner[c0:c0 + k] = [mid[o] if o is not None else -1 for o in p.owner]
        c0, r0 = c0 + k, r0 + m
    names += company.names
    A = sp.csr_array(sp.coo_array((np.concatenate(blocks_v), (np.concatenate(blocks_r), np.concatenate(blocks_c))),
                                  shape=(nrow, n)))
    A.sum_duplicates()
    A.eliminate_zeros()
    # rows left without a coefficient are constants: dropped when 0 meets their bounds (as Pyomo's compiler
    # does), kept empty when not (HiGHS then proves the infeasibility: matrix.compile_model)
    keep = (np.diff(A.indptr) > 0) | (rlo > 0) | (rhi < 0)
    if not keep.all():
        A, rlo, rhi = sp.csr_array(A[keep]), rlo[keep], rhi[keep]
        keys = [k for k, ok in zip(keys, keep, strict=True) if ok]
    mx = Matrix(c, offset, A, rlo, rhi, lo, hi, integer, names, keys)
    return Assembled(mx, group, owner, sites)


def chunks(sites: list[str], size: int = CHUNK_SITES) -> list[list[str]]:
    return [sites[i:i + size] for i in range(0, len(sites), size)]


_JOB: tuple | None = None  # (inp, rows, company) of a forked worker (`_set_job`)


def _set_job(inp: ModelInputs, rows: list[TargetYear], company: Company) -> None:
    """Worker initializer; with fork the arguments are inherited, not pickled."""
    global _JOB
    _JOB = (inp, rows, company)


def _fork_task(sites: list[str]) -> SitePart:
    inp, rows, company = _JOB
    return build_part(inp, rows, sites, company)


def build_parts(inp: ModelInputs, rows: list[TargetYear], company: Company, workers: int, client=None,
                chunk: int = CHUNK_SITES):
    """Start building every chunk's part; returns a function that waits for the parts (in site order).
    `client`: a Dask client (inputs scattered once); else a local pool of forked processes."""
    tasks = chunks(list(inp.sites), chunk)
    if client is not None:
        fut_inp, fut_rows, fut_com = client.scatter([inp, rows, company], broadcast=True)
        futs = [client.submit(build_part, fut_inp, fut_rows, t, fut_com, pure=False) for t in tasks]
        return lambda: client.gather(futs)
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(tasks))), mp_context=mp.get_context("fork"),
                               initializer=_set_job, initargs=(inp, rows, company))
    futs = [pool.submit(_fork_task, t) for t in tasks]

    def wait() -> list[SitePart]:
        try:
            return [f.result() for f in futs]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return wait


def build_assembled(inp: ModelInputs, rows: list[TargetYear], workers: int = 2, client=None,
                    chunk: int = CHUNK_SITES) -> Assembled:
    """The whole matrix built in parts (no monolithic model)."""
    company = build_company(inp, rows)
    return assemble(inp, company, build_parts(inp, rows, company, workers, client, chunk)())


def default_workers(threads: int) -> int:
    return max(1, min(threads, os.cpu_count() or 1))


def use_parallel(opts: Solver, inp: ModelInputs, rows: list[TargetYear], elastic: bool = False) -> bool:
    """`parallel` whenever the model splits, `serial` never, `auto` from PARALLEL_MIN_SITES sites with at least
    PARALLEL_MIN_WORKERS workers (solver.threads, at most the machine's cores)."""
    if opts.build == "serial" or not separable(inp, rows, elastic):
        return False
    return opts.build == "parallel" or (len(inp.sites) >= PARALLEL_MIN_SITES
                                        and default_workers(opts.threads) >= PARALLEL_MIN_WORKERS)


def build_for_solve(inp: ModelInputs, rows: list[TargetYear], opts: Solver, scheduler: str | None = None
                    ) -> tuple[BuiltModel, tuple[Matrix, tuple[int, int, int]] | None, float]:
    """The built model and, when built in parallel, its matrix for `solve(compiled=...)`: the chunks' parts
    are built in workers while this process builds the whole Pyomo model (read by the results), then added
    up and bound to that model's objects. Returns (built, compiled or None, seconds spent after the whole
    model was built: waiting for the workers, adding up, binding). Falls back to the serial build (compiled
    None: `solve` compiles) when the model does not split."""
    if not use_parallel(opts, inp, rows):
        return build_model(inp, rows), None, 0.0
    from . import sitebind
    from .decompose import connect

    client = connect(scheduler) if scheduler else None
    try:
        try:
            company = build_company(inp, rows)
            wait = build_parts(inp, rows, company, default_workers(opts.threads), client)
        except Exception:  # noqa: BLE001 - any failure of the parts: the serial build is the reference
            return build_model(inp, rows), None, 0.0
        try:
            built = build_model(inp, rows)  # an input error shows here as in the serial build
        except BaseException:
            with contextlib.suppress(Exception):
                wait()  # the workers stop before the error goes up
            raise
        t0 = time.perf_counter()
        try:
            compiled = sitebind.bind(assemble(inp, company, wait()), built)
        except Exception:  # noqa: BLE001 - NotSeparable, or a chunk that failed to build: compile serially
            return built, None, time.perf_counter() - t0
        return built, compiled, time.perf_counter() - t0
    finally:
        if client is not None:
            client.close()
