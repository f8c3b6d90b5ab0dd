"""Prices of the coupling rows from the per-group problems alone (docs/model.md §12, "Pricing").

The matrix splits into column groups (sites and the company) that share only the coupling rows C,
l_C <= A_C x <= u_C. Relaxing those rows with prices y gives the Lagrangian dual function

    L(y) = offset + Σ_g min{(c_g - A_Cgᵀ y)·x_g : x_g in X_g} + Σ_r y_r s_r(y),
    s_r(y) = l_r if y_r > 0, u_r if y_r < 0 (0 if y_r = 0),

a lower bound of the model for every sign-feasible y (y_r >= 0 needs a finite l_r, y_r <= 0 a finite u_r).
With X_g the LP relaxation of group g, max_y L(y) is the LP bound; with X_g the group's MIP (its dual bound
in place of the min) L(y) is at least as high. `maximise` runs a trust-region bundle method on the LP
version: each evaluation solves every group's LP (in local threads or on Dask workers, each group's LP kept
in its process and restarted from its last basis) and adds one cutting plane per bucket of groups to a
piecewise-linear model of L; the master LP (HiGHS) maximises the model inside a box around the best point.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np
import scipy.sparse as sp

from .matrix import Matrix
from .subsolve import SubProblem, SubResult, forget, new_highs, pass_matrix, solve_chunk, solve_priced

INF = highspy.kHighsInf
BUCKETS = 64  # groups are summed into this many cutting-plane models (a small master LP, most of the detail)
PRICE_TOL = 2e-4  # stop when the model promises less than this (relative) over the best L(y) found
MAX_ITERATIONS = 60
SERIOUS = 0.1  # a step is taken when L rises by at least this share of the promised rise
KEEP_PER_PROCESS = 300  # group LPs kept for hot starts per process (about 1.7 MB each); the rest keep
# their last basis only (subsolve.solve_priced)
BOX_START = 0.05  # MCNY per model unit (ktCO2e, GWh) on each coupling row, without a starting estimate


@dataclass
class Split:
    """The matrix split into groups: columns and own rows of every group; the coupling rows."""

    cols_of: list[np.ndarray]
    rows_of: list[np.ndarray]
    coupling: np.ndarray  # row indices of the coupling rows
    AC: sp.csr_array  # the coupling rows (all columns)
    ACg: list[sp.csr_array]  # the coupling rows restricted to each group's columns
    lower: np.ndarray
    upper: np.ndarray


def split(A: sp.csr_array, row_lower, row_upper, col_group: np.ndarray, n_groups: int,
          row_group: np.ndarray) -> Split:
    cols_of = [np.flatnonzero(col_group == g) for g in range(n_groups)]
    rows_of = [np.flatnonzero(row_group == g) for g in range(n_groups)]
    coupling = np.flatnonzero(row_group == -1)
    AC = sp.csr_array(A[coupling])
    ACc = sp.csc_array(AC)
    return Split(cols_of, rows_of, coupling, AC, [sp.csr_array(ACc[:, c]) for c in cols_of],
                 np.asarray(row_lower)[coupling], np.asarray(row_upper)[coupling])


def sign_feasible(y: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """y with every component of a sign the row's bounds allow (the others 0)."""
    y = np.where(~np.isfinite(lower) & (y > 0), 0.0, y)
    return np.where(~np.isfinite(upper) & (y < 0), 0.0, y)


def side_value(y: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Σ_r y_r s_r(y) (y sign-feasible)."""
    s = np.where(y > 0, lower, np.where(y < 0, upper, 0.0))
    return float(y[y != 0] @ s[y != 0])


@dataclass
class Evaluator:
    """Solves every group at given prices: locally (threads) or on a Dask cluster (blocks sent once)."""

    blocks: list[SubProblem]
    c: list[np.ndarray]  # each group's own cost vector
    sp_: Split
    offset: float
    workers: int = 1
    client: object = None
    run: str = field(default_factory=lambda: uuid.uuid4().hex)  # names this run's LPs kept in the workers
    highs_seconds: float = 0.0
    evaluations: int = 0
    _remote: list | None = None
    _where: list | None = None
    _pool: ThreadPoolExecutor | None = None
    _ACgT: list | None = None

    def __post_init__(self):
        if self.client is not None:  # each group stays on one worker: its LP is kept there (same answers as local)
            names = sorted(self.client.scheduler_info()["workers"])
            self._where = [[names[g % len(names)]] for g in range(len(self.blocks))]
            self._remote = [None] * len(self.blocks)
            for i, name in enumerate(names):  # one hand-over per worker
                mine = list(range(i, len(self.blocks), len(names)))
                for g, fut in zip(mine, self.client.scatter([self.blocks[g] for g in mine], workers=[name]),
                                  strict=True):
                    self._remote[g] = fut
        elif self.workers > 1 and len(self.blocks) > 1:
            self._pool = ThreadPoolExecutor(max_workers=self.workers)

    def drop_kept(self) -> None:
        """Free the LPs kept for hot starts (here and on the workers)."""
        if self.client is not None:
            self.client.run(forget, self.run)
        forget(self.run)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        self.drop_kept()

    def solve(self, y: np.ndarray, relax: bool, options: dict, groups: list[int] | None = None) -> list[SubResult]:
        """Every group's problem (or those of `groups`, in that order) at prices y, with `options` over its own."""
        if self._ACgT is None:  # transposed once: a transpose per group and evaluation cost 0.6 ms each
            self._ACgT = [sp.csr_array(A.T) for A in self.sp_.ACg]
        ids = list(range(len(self.blocks))) if groups is None else list(groups)
        cs = {g: self.c[g] - self._ACgT[g] @ y for g in ids}
        procs = len({w[0] for w in self._where}) if self._where else 1  # group g is on process g % procs
        keys = {g: (self.run, self.blocks[g].name) for g in ids}
        keeps = {g: g // procs < KEEP_PER_PROCESS for g in ids}  # the others keep only their basis
        t0 = time.perf_counter()
        if self._remote is not None:  # one task per worker and evaluation: its groups, solved in turn (a task per
            # group cost the scheduler a round trip per site LP, longer than the LP's hot-started solve)
            # (a worker with several threads gets one task per thread)
            names = sorted({w[0] for w in self._where})
            threads = self.client.nthreads()
            chunks = [(name, [g for g in ids if g % procs == i][t::max(1, threads.get(name, 1))])
                      for i, name in enumerate(names) for t in range(max(1, threads.get(name, 1)))]
            chunks = [(name, mine) for name, mine in chunks if mine]
            futs = [self.client.submit(solve_chunk, [self._remote[g] for g in mine], [cs[g] for g in mine], relax,
                                       options, [keys[g] for g in mine], [keeps[g] for g in mine], workers=[name],
                                       allow_other_workers=False, pure=False)
                    for name, mine in chunks]
            got = {}
            for (_name, mine), part in zip(chunks, self.client.gather(futs), strict=True):
                got.update(zip(mine, part, strict=True))
            res = [got[g] for g in ids]
        else:
            args = ([self.blocks[g] for g in ids], [cs[g] for g in ids], [relax] * len(ids), [options] * len(ids),
                    [keys[g] for g in ids], [keeps[g] for g in ids])
            res = list(self._pool.map(solve_priced, *args) if self._pool is not None else map(solve_priced, *args))
        self.highs_seconds += time.perf_counter() - t0
        if groups is None:
            self.evaluations += 1
        return res

    def value(self, y: np.ndarray, res: list[SubResult]) -> float | None:
        """L(y) from the groups' dual bounds; None when a group has none."""
        if any(r.bound is None for r in res):
            return None
        return self.offset + sum(r.bound for r in res) + side_value(y, self.sp_.lower, self.sp_.upper)


@dataclass
class Pricing:
    y: np.ndarray  # the best prices found (coupling rows)
    bound: float | None  # L(y) of the LP relaxation there: a lower bound of the LP, so of the model
    iterations: int
    converged: bool
    results: list[SubResult] | None  # the groups' LP answers at y


def maximise(ev: Evaluator, y0: np.ndarray | None, options: dict, deadline: float, ceiling: float | None = None,
             master_options: dict | None = None, tol: float = PRICE_TOL,
             max_iterations: int = MAX_ITERATIONS) -> Pricing:
    """Trust-region bundle method on the LP Lagrangian (module doc), from y0 (or 0); `options` go to the
    groups' LPs, `master_options` to the master LP (in this thread: its thread count must be the
    process's, see solve.ensure_threads); `ceiling`: max L if known (the LP bound), reaching it within tol
    stops."""
    lo, up = ev.sp_.lower, ev.sp_.upper
    m = lo.size
    n0 = ev.evaluations  # the evaluator may have solved before (decompose: the site MIPs at the estimate)
    y_hat = sign_feasible(np.zeros(m) if y0 is None else np.asarray(y0, float), lo, up)
    res = ev.solve(y_hat, True, options)
    L_hat = ev.value(y_hat, res)
    if L_hat is None or m == 0:
        return Pricing(y_hat, L_hat, ev.evaluations - n0, m == 0, res)
    best_res = res
    big = np.max(np.abs(y_hat)) if y0 is not None else 0.0
    box = max(0.25 * big, BOX_START) if big > 0 else BOX_START
    master = _Master(ev, lo, up, master_options or {})
    master.add_cuts(res)
    converged = False
    for _ in range(max_iterations):
        if ceiling is not None and L_hat >= ceiling - tol * max(abs(ceiling), 1.0):
            converged = True
            break
        if time.perf_counter() > deadline:
            break
        y_new, model = master.solve(y_hat, box)
        if y_new is None:
            break
        promised = model - L_hat
        at_edge = np.max(np.abs(y_new - y_hat), initial=0.0) >= 0.99 * box
        if promised <= tol * max(abs(L_hat), 1.0):
            if not at_edge:  # the model's maximum lies inside the box: no y gains more than tol
                converged = True
                break
            box *= 2.0  # the box held the step back: look further
            continue
        res = ev.solve(y_new, True, options)
        L_new = ev.value(y_new, res)
        if L_new is None:
            break
        master.add_cuts(res)
        if L_new >= L_hat + SERIOUS * promised:
            y_hat, L_hat, best_res = y_new, L_new, res
            if at_edge:
                box *= 2.0
        elif L_new < L_hat - promised:  # the model was far off: trust it less
            box *= 0.5
    return Pricing(y_hat, L_hat, ev.evaluations - n0, converged, best_res)


class _Master:
    """max Σ_b θ_b + Σ_r y_r s_r  s.t.  θ_b <= a_bk - d_bk·y (every cut k of bucket b), y in the box and
    sign-feasible; for a row with l_r < u_r both finite, y_r = p_r - n_r is modelled as y_r + n_r >= 0 with
    the term l_r y_r + (l_r - u_r) n_r."""

    def __init__(self, ev: Evaluator, lo: np.ndarray, up: np.ndarray, options: dict):
        self.ev = ev
        m = lo.size
        n_groups = len(ev.blocks)
        self.nb = min(BUCKETS, n_groups)
        self.bucket = np.arange(n_groups) % self.nb
        self.m = m
        fl, fu = np.isfinite(lo), np.isfinite(up)
        self.two = np.flatnonzero(fl & fu & (lo < up))
        self.ylo = np.where(fu, -INF, 0.0)  # y_r < 0 needs a finite upper bound ...
        self.yup = np.where(fl, INF, 0.0)  # ... y_r > 0 a finite lower bound
        coef = np.where(fl, lo, np.where(fu, up, 0.0))  # the term's coefficient on y_r
        # columns: θ (nb), y (m), n (len(two)); HiGHS minimises: -Σθ - coef·y - (l - u)·n
        self.h = new_highs({k: v for k, v in options.items() if k in ("threads", "random_seed")})
        nt = self.two.size
        cost = np.concatenate([-np.ones(self.nb), -coef, -(lo[self.two] - up[self.two])])
        clo = np.concatenate([np.full(self.nb, -INF), self.ylo, np.zeros(nt)])
        cup = np.concatenate([np.full(self.nb, INF), self.yup, np.full(nt, INF)])
        self.h.addVars(cost.size, clo, cup)
        self.h.changeColsCost(cost.size, np.arange(cost.size, dtype=np.int32), cost)
        if nt:  # y_r + n_r >= 0
            idx = np.column_stack([self.nb + self.two, self.nb + m + np.arange(nt)]).ravel().astype(np.int32)
            self.h.addRows(nt, np.zeros(nt), np.full(nt, INF), 2 * nt, np.arange(0, 2 * nt, 2, dtype=np.int32),
                           idx, np.ones(2 * nt))
        self.y_cols = np.arange(self.nb, self.nb + m, dtype=np.int32)

    def add_cuts(self, res: list[SubResult]) -> None:
        a = np.zeros(self.nb)
        d = np.zeros((self.nb, self.m))
        for g, r in enumerate(res):
            if r.x is None:
                continue
            b = self.bucket[g]
            a[b] += self.ev.c[g] @ r.x
            d[b] += self.ev.sp_.ACg[g] @ r.x
        # θ_b + d_b·y <= a_b
        rows = sp.csr_array(np.hstack([np.eye(self.nb), d, np.zeros((self.nb, self.two.size))]))
        self.h.addRows(self.nb, np.full(self.nb, -INF), a, rows.nnz, rows.indptr[:-1].astype(np.int32),
                       rows.indices.astype(np.int32), rows.data)

    def solve(self, center: np.ndarray, box: float) -> tuple[np.ndarray | None, float]:
        lo = np.maximum(self.ylo, center - box)
        up = np.minimum(self.yup, center + box)
        self.h.changeColsBounds(self.m, self.y_cols, lo, up)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None, 0.0
        x = np.asarray(self.h.getSolution().col_value)
        return x[self.nb:self.nb + self.m].copy(), -float(self.h.getInfo().objective_function_value) + self.ev.offset


SAMPLE_SITES = 24  # sites in the sampled LP that gives the first prices


def sample_prices(mx: Matrix, parts: Split, n_sites: int, options: dict,
                  k: int = SAMPLE_SITES) -> tuple[np.ndarray | None, float | None, float]:
    """First prices of the coupling rows: row duals of the LP of k evenly spaced sites and the company, each
    sampled site's cost and coupling coefficients weighted by n_sites / k so that it stands for the sites
    left out. Returns (prices, LP value when every site is in the sample (the LP bound itself, the most
    any L(y) of the relaxation reaches) else None, seconds); prices None if that LP fails."""
    t0 = time.perf_counter()
    take = np.unique(np.linspace(0, n_sites - 1, min(k, n_sites)).round().astype(int)) if n_sites else np.zeros(0, int)
    w = n_sites / max(take.size, 1)
    groups = list(take) + [n_sites]
    cols = np.concatenate([parts.cols_of[g] for g in groups])
    weight = np.concatenate([np.full(parts.cols_of[g].size, w if g < n_sites else 1.0) for g in groups])
    own = np.concatenate([parts.rows_of[g] for g in groups])
    rows = np.concatenate([own, parts.coupling])
    A = sp.csr_array(sp.vstack([mx.A[own][:, cols], parts.AC[:, cols] @ sp.diags(weight)], format="csr"))
    h = new_highs(options)
    pass_matrix(h, mx.c[cols] * weight, A, mx.row_lower[rows], mx.row_upper[rows], mx.col_lower[cols],
                mx.col_upper[cols], np.zeros(cols.size, bool))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, None, time.perf_counter() - t0
    y = np.asarray(h.getSolution().row_dual)[own.size:]
    whole = float(h.getInfo().objective_function_value) + mx.offset if take.size == n_sites else None
    return sign_feasible(y, parts.lower, parts.upper), whole, time.perf_counter() - t0
