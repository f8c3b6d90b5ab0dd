"""What a sweep means, as tidy pandas frames read from its store alone (nothing is re-solved): tornado,
Morris / Sobol indices, adoption frequency with no-regret verdicts, emission fans, distributions, the
interaction-aware MACC of a carbon-price sweep, where targets fail, parameters against NPV.

    from planner.studies.sweep.analysis import load, adoption, tornado
    d = load("reports/sweeps/demo_tornado")
    tornado(d, "cash_npv_cny")          # one row per parameter, sorted by swing
    adoption(d)                    # one row per measure: frequency, verdict, what it depends on

The report (planner/report/sweep_*.py) draws exactly these frames.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import inert
from .store import FILE_NAME, TABLES, read_store

SOLVED = ("optimal", "time_limit", "feasible")
NO_REGRET, NEVER = 0.95, 0.0
S12 = ("scope1", "scope2_market")
MARKET = ("scope1", "scope2_market", "scope3")
METRICS = ("cash_npv_cny", "cumulative_scope12_tco2e", "capex_2030_cny")
CAPEX_YEAR = 2030
RELAXED = ("carbon_price",)  # designs whose variants drop the base scenario's targets
NOT_SAMPLES = ("oat", "carbon_price")  # designs whose variants are no sample of the inputs: no distribution


@dataclass
class SweepData:
    """A sweep store read into memory: its tables, settings and how complete it is."""

    path: Path
    tables: dict[str, pd.DataFrame]
    meta: dict[str, str]
    planned: int
    stored: int
    values: pd.DataFrame = field(default_factory=pd.DataFrame)  # variant x parameter (the value in effect)

    @property
    def design(self) -> str:
        return self.meta.get("design", "")

    @property
    def targets_relaxed(self) -> bool:
        """The variants drop the base scenario's targets (a carbon-price sweep): no target is checked."""
        return self.design in RELAXED

    @property
    def partial(self) -> bool:
        return self.stored < self.planned

    @property
    def parameters(self) -> list[str]:
        return list(self.tables["parameters"].parameter)

    @property
    def metrics(self) -> pd.DataFrame:
        return self.tables["metrics"]

    def solved(self) -> pd.DataFrame:
        """Metrics of the variants with a plan (optimal, time-limited or feasible)."""
        m = self.metrics
        return m[m.status.isin(SOLVED)]


def load(path: str | Path) -> SweepData:
    """Read a store (its folder or the .duckdb file); tables the store does not have are empty frames."""
    p = Path(path)
    p = p / FILE_NAME if p.is_dir() else p
    tables = read_store(p)
    for t, cols in TABLES.items():
        if t not in tables:
            tables[t] = pd.DataFrame(columns=[c.split()[0] for c in cols.split(", ")])
    meta = dict(zip(tables["sweep"].key, tables["sweep"].value, strict=True))
    planned = int(meta.get("variants") or tables["variants"].variant.nunique())
    d = SweepData(p, tables, meta, planned, len(tables["metrics"]))
    d.values = _values(tables)
    return d


def _values(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """variant x parameter: the value each variant uses (an unchanged value is the parameter's base)."""
    v, pr = t["variants"], t["parameters"]
    if v.empty:
        return pd.DataFrame()
    w = v.pivot(index="variant", columns="parameter", values="value")
    base = pr.set_index("parameter").base
    for c in w.columns:
        b = base.get(c)
        w[c] = w[c].fillna(b if b is not None and pd.notna(b) else np.nan)
    return w[[c for c in pr.parameter if c in w.columns]]


def effects(d: SweepData) -> pd.DataFrame:
    """Per parameter: whether it changes the model (checked before solving; NA in a store written before
    the check existed), the first difference and, when it changes nothing, the run's warning."""
    paths = dict(zip(d.tables["parameters"].parameter, d.tables["parameters"].path, strict=True))
    return inert.summary(d.tables["parameter_effects"], paths)


def variant_metrics(d: SweepData) -> pd.DataFrame:
    """metrics with `capex_2030_cny`: capex of the builds up to 2030 (the costs table's capex when stored,
    else the capex of measures first adopted by 2030)."""
    m = d.metrics.copy()
    costs, ad = d.tables["costs"], d.tables["adoption"]
    if len(costs):
        c = costs[(costs.category == "capex") & (costs.year <= CAPEX_YEAR)].groupby("variant").nominal_cny.sum()
    else:
        a = ad[ad.adopted.astype(bool) & (ad.first_year <= CAPEX_YEAR)]
        c = a.groupby("variant").capex_cny.sum()
    m["capex_2030_cny"] = m.variant.map(c).fillna(0.0).where(m.status.isin(SOLVED))
    return m


# -- which assumptions matter --------------------------------------------------------------------------
def tornado(d: SweepData, metric: str = "cash_npv_cny") -> pd.DataFrame:
    """OAT: per parameter the metric at its low and high (min/max over its values) against the base variant,
    sorted by swing (largest first). NaN where a variant is unsolved or not yet stored."""
    cols = ["parameter", "low_value", "high_value", "base_metric", "metric_at_low", "metric_at_high",
            "delta_low", "delta_high", "swing", "unsolved", "changes_model"]
    v = d.tables["variants"]
    if d.design != "oat" or v.empty:
        return pd.DataFrame(columns=cols)
    vm = variant_metrics(d).set_index("variant")
    m = vm[metric].where(vm.status.isin(SOLVED))
    base_ids = v.groupby("variant")["level"].agg(lambda s: (s == "base").all())
    base_v = base_ids[base_ids].index.min()
    base = float(m.get(base_v, np.nan)) if pd.notna(base_v) else np.nan
    rows = []
    changes = effects(d).set_index("parameter").changes_model  # False: the bar is zero by construction
    for p in d.parameters:
        own = v[(v.parameter == p) & (v.level != "base")].sort_values("value")
        if own.empty:
            continue
        vals = own.variant.map(m)
        lo_i, hi_i = own.index[0], own.index[-1]
        lo, hi = float(vals.loc[lo_i]), float(vals.loc[hi_i])
        if own.level.eq("value").any() and vals.notna().any():  # a list of values: the extremes of the metric
            lo, hi = float(vals.min()), float(vals.max())
        rows.append(dict(parameter=p, low_value=own.value.iloc[0], high_value=own.value.iloc[-1], base_metric=base,
                         metric_at_low=lo, metric_at_high=hi, delta_low=lo - base, delta_high=hi - base,
                         swing=abs(hi - lo), unsolved=int(vals.isna().sum()), changes_model=changes.get(p, pd.NA)))
    out = pd.DataFrame(rows, columns=cols).astype({"changes_model": "boolean"})
    return out.sort_values("swing", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def _problem(d: SweepData) -> dict | None:
    raw = d.meta.get("salib_problem")
    return json.loads(raw) if raw else None


def indices(d: SweepData, metric: str = "cash_npv_cny") -> pd.DataFrame:
    """Global sensitivity of a metric: Morris mu*/sigma (design morris), Sobol first-order and total indices
    with 95% confidence half-widths (design sobol), both by SALib from the stored unit-cube samples; for
    other sampled designs the Spearman rank correlation. Needs every variant solved for Morris and Sobol
    (`note` says why not otherwise)."""
    cols = ["parameter", "method", "index", "value", "conf", "note"]
    v, prob = d.tables["variants"], _problem(d)
    if v.empty or d.design in ("oat", "grid", "carbon_price") or prob is None:
        return pd.DataFrame(columns=cols)
    unit = v.pivot(index="variant", columns="parameter", values="unit_value")[prob["names"]]
    y = variant_metrics(d).set_index("variant")[metric].where(d.metrics.set_index("variant").status.isin(SOLVED))
    y = y.reindex(range(d.planned))
    rows: list[dict] = []
    if d.design in ("morris", "sobol") and y.isna().any():
        note = f"{int(y.isna().sum())} of {d.planned} variants unsolved or not stored: {d.design} indices need all"
        return pd.DataFrame([dict(parameter="", method=d.design, index="", value=np.nan, conf=np.nan, note=note)],
                            columns=cols)
    if d.design == "morris":
        from SALib.analyze import morris
        sw = json.loads(d.meta.get("sweep_file", "{}"))
        r = morris.analyze(prob, unit.reindex(range(d.planned)).to_numpy(), y.to_numpy(),
                           num_levels=sw.get("levels") or 4, seed=int(d.meta.get("seed", 0)))
        for i, p in enumerate(prob["names"]):
            rows += [dict(parameter=p, method="morris", index="mu_star", value=r["mu_star"][i],
                          conf=r["mu_star_conf"][i], note=""),
                     dict(parameter=p, method="morris", index="sigma", value=r["sigma"][i], conf=np.nan, note="")]
    elif d.design == "sobol":
        from SALib.analyze import sobol
        sw = json.loads(d.meta.get("sweep_file", "{}"))
        r = sobol.analyze(prob, y.to_numpy(), calc_second_order=bool(sw.get("second_order")),
                          seed=int(d.meta.get("seed", 0)))
        for i, p in enumerate(prob["names"]):
            rows += [dict(parameter=p, method="sobol", index="S1", value=r["S1"][i], conf=r["S1_conf"][i], note=""),
                     dict(parameter=p, method="sobol", index="ST", value=r["ST"][i], conf=r["ST_conf"][i], note="")]
    else:
        ok = y.dropna().index
        for p in prob["names"]:
            x = d.values.loc[ok, p]
            rho = x.rank().corr(y.loc[ok].rank()) if len(ok) > 2 and x.nunique() > 1 else np.nan
            rows.append(dict(parameter=p, method="spearman", index="rho", value=rho, conf=np.nan, note=""))
    return pd.DataFrame(rows, columns=cols)


# -- which measures are safe bets ------------------------------------------------------------------------
def separator(x: pd.Series, y: pd.Series) -> tuple[float, str, float]:
    """The threshold on x that best predicts the boolean y as `x > t` (direction "above") or `x <= t`
    ("below"): (threshold, direction, accuracy). Thresholds are midpoints between observed values."""
    ok = x.notna()
    x, y = x[ok].to_numpy(float), y[ok].to_numpy(bool)
    if len(x) < 2 or np.unique(x).size < 2:
        return np.nan, "", np.nan
    o = np.argsort(x, kind="stable")
    xs, ys = x[o], y[o]
    n, pos = len(ys), ys.sum()
    below_pos = np.cumsum(ys)  # positives among the first i+1 (x <= xs[i])
    i = np.arange(1, n + 1)
    cut = np.r_[xs[1:] != xs[:-1], False]  # a threshold only between distinct values
    acc_above = ((i - below_pos) + (pos - below_pos)) / n  # x <= t -> no, x > t -> yes
    acc_below = (below_pos + (n - i - (pos - below_pos))) / n
    acc_above, acc_below = np.where(cut, acc_above, -1), np.where(cut, acc_below, -1)
    ja, jb = int(acc_above.argmax()), int(acc_below.argmax())
    if acc_above[ja] >= acc_below[jb]:
        return float((xs[ja] + xs[ja + 1]) / 2), "above", float(acc_above[ja])
    return float((xs[jb] + xs[jb + 1]) / 2), "below", float(acc_below[jb])


def best_separator(values: pd.DataFrame, y: pd.Series) -> dict:
    """The parameter (and threshold) that best separates y True from False over the variants of y."""
    best = dict(parameter="", threshold=np.nan, direction="", accuracy=np.nan)
    for p in values.columns:
        t, side, acc = separator(values.loc[y.index, p], y)
        if side and (not best["direction"] or acc > best["accuracy"] + 1e-12):
            best = dict(parameter=p, threshold=t, direction=side, accuracy=acc)
    return best


def adoption(d: SweepData) -> pd.DataFrame:
    """Per measure and site over the solved variants: how often adopted, verdict no_regret (>= 95%), never
    (0%) or depends; for depends the parameter and threshold that best separate adopting from not, with
    the share of variants that rule explains (`accuracy`), the median first year and capex when adopted."""
    cols = ["measure", "site", "kind", "family", "variants", "adopted", "frequency", "verdict", "parameter",
            "threshold", "direction", "accuracy", "first_year_median", "capex_median_cny"]
    ad = d.tables["adoption"]
    ok = set(d.solved().variant)
    ad = ad[ad.variant.isin(ok)]
    if ad.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (measure, site), g in ad.groupby(["measure", "site"], sort=True):
        a = g.adopted.astype(bool)
        f = float(a.mean())
        verdict = "no_regret" if f >= NO_REGRET else "never" if f <= NEVER else "depends"
        sep = dict(parameter="", threshold=np.nan, direction="", accuracy=np.nan)
        if verdict == "depends" and not d.values.empty:
            sep = best_separator(d.values, pd.Series(a.to_numpy(), index=g.variant.to_numpy()))
        fy = g.first_year[a].dropna()
        rows.append(dict(measure=measure, site=site, kind=g.kind.iloc[0], family=g.family.iloc[0], variants=len(g),
                         adopted=int(a.sum()), frequency=f, verdict=verdict, **sep,
                         first_year_median=float(fy.median()) if len(fy) else np.nan,
                         capex_median_cny=float(g.capex_cny[a].median()) if a.any() else np.nan))
    out = pd.DataFrame(rows, columns=cols)
    order = {"no_regret": 0, "depends": 1, "never": 2}
    return (out.assign(_o=out.verdict.map(order)).sort_values(["_o", "frequency", "measure"],
            ascending=[True, False, True], kind="stable").drop(columns="_o").reset_index(drop=True))


def adoption_matrix(d: SweepData, max_columns: int = 60) -> tuple[pd.DataFrame, str]:
    """Heat-map data: measures (rows, in `adoption` order) x variants (adopted 0/1), or, with more solved
    variants than max_columns, x bins of the parameter that separates most measures (adoption share);
    the second item names the columns ("variant" or the parameter)."""
    ad = d.tables["adoption"]
    ad = ad[ad.variant.isin(set(d.solved().variant))]
    if ad.empty:
        return pd.DataFrame(), "variant"
    order = list(adoption(d).measure)
    ad = ad.assign(adopted=ad.adopted.astype(float))
    m = ad.pivot_table(index="measure", columns="variant", values="adopted", aggfunc="max").reindex(order)
    if m.shape[1] <= max_columns or d.values.empty:
        return m, "variant"
    sep = adoption(d)
    sep = sep[sep.parameter != ""].parameter
    p = sep.mode().iloc[0] if len(sep) else d.values.columns[0]
    x = d.values.loc[m.columns, p]
    bins = pd.qcut(x.rank(method="first"), 10, labels=False)
    edges = x.groupby(bins).agg(["min", "max"])
    out = m.T.groupby(bins.to_numpy()).mean().T
    out.columns = [f"{edges.loc[b, 'min']:.3g}–{edges.loc[b, 'max']:.3g}" for b in out.columns]
    return out, p


# -- how uncertain is the path ---------------------------------------------------------------------------
def _fan_targets(d: SweepData, scopes: tuple[str, ...]) -> pd.DataFrame:
    """Target rows (every constrained year) on the fan's emissions: targets whose `achieved` equals the plan's
    sum of `scopes` in every solved variant (a scope-3 or intensity target is left out)."""
    t = d.tables["targets"]
    t = t[(t.unit == "tCO2e") & t.variant.isin(set(d.solved().variant))]
    tr = d.tables["trajectories"]
    s = tr[tr.scope.isin(scopes)].groupby(["variant", "year"]).plan_tco2e.sum().rename("fan")
    if t.empty or s.empty:
        return t.iloc[:0]
    t = t.join(s, on=["variant", "year"])
    same = (t.achieved - t.fan).abs() <= 1e-6 * t.fan.abs().clip(lower=1.0)
    keep = same.groupby(t.target).all()
    return t[t.target.isin(keep[keep].index)]


def fan(d: SweepData, scopes: tuple[str, ...] = S12) -> pd.DataFrame:
    """Per year over the solved variants: emissions as the targets count them (sum of `scopes`, net of the
    offsets counted toward the targets on those scopes that year, tCO2e) P10, P50, P90, min, max; the median
    gross emissions (before offsets), the median offsets and the median BAU. Where two such targets count
    offsets in the same year, the larger is taken."""
    tr = d.tables["trajectories"]
    tr = tr[tr.scope.isin(scopes) & tr.variant.isin(set(d.solved().variant))]
    cols = ["year", "p10", "p50", "p90", "min", "max", "gross_p50", "offsets_p50", "bau_p50", "variants"]
    if tr.empty:
        return pd.DataFrame(columns=cols)
    s = tr.groupby(["variant", "year"], as_index=False)[["plan_tco2e", "bau_tco2e"]].sum()
    off = _fan_targets(d, scopes).groupby(["variant", "year"]).offsets_used.max().rename("offsets")
    s = s.join(off.astype(float), on=["variant", "year"]).fillna({"offsets": 0.0})
    s["net"] = s.plan_tco2e - s.offsets
    g = s.groupby("year")
    out = pd.DataFrame({"p10": g.net.quantile(0.1), "p50": g.net.median(), "p90": g.net.quantile(0.9),
                        "min": g.net.min(), "max": g.net.max(), "gross_p50": g.plan_tco2e.median(),
                        "offsets_p50": g.offsets.median(), "bau_p50": g.bau_tco2e.median(),
                        "variants": g.variant.nunique()}).reset_index()
    return out[cols]


def target_levels(d: SweepData, scopes: tuple[str, ...] = S12) -> pd.DataFrame:
    """Targets on the fan's emissions (see `_fan_targets`): the required level (net of the offsets the target
    allows, as the fan) at each milestone year, median over solved variants."""
    cols = ["target", "type", "year", "required"]
    t = _fan_targets(d, scopes)
    t = t[t.milestone.astype(bool)]
    if t.empty:
        return pd.DataFrame(columns=cols)
    return t.groupby(["target", "type", "year"], as_index=False).required.median()[cols]


def first_years(d: SweepData) -> pd.DataFrame:
    """How many solved variants first adopt each measure in each year."""
    ad = d.tables["adoption"]
    ad = ad[ad.adopted.astype(bool) & ad.variant.isin(set(d.solved().variant))]
    return ad.groupby(["measure", "site", "family", "first_year"], as_index=False).size().rename(
        columns={"size": "variants"})


# -- interaction-aware MACC -------------------------------------------------------------------------------
def carbon_supply(d: SweepData) -> pd.DataFrame:
    """Carbon-price sweep: per price the abatement the optimum chooses (average over the horizon of BAU
    minus plan, scopes 1 + 2 market + 3, tCO2e/yr), the measures adopted and the NPV."""
    cols = ["variant", "price_cny_per_t", "abatement_tco2e_per_yr", "measures", "cash_npv_cny", "status"]
    if d.design != "carbon_price" or d.values.empty:
        return pd.DataFrame(columns=cols)
    tr = d.tables["trajectories"]
    tr = tr[tr.scope.isin(MARKET)]
    per = tr.groupby(["variant", "year"])[["bau_tco2e", "plan_tco2e"]].sum()
    ab = (per.bau_tco2e - per.plan_tco2e).groupby("variant").mean()
    ad = d.tables["adoption"]
    adopted = ad[ad.adopted.astype(bool)].groupby("variant").measure.agg(lambda s: ", ".join(sorted(s)))
    m = d.metrics.set_index("variant")
    rows = [dict(variant=v, price_cny_per_t=float(d.values.loc[v, "carbon_price"]),
                 abatement_tco2e_per_yr=float(ab.get(v, np.nan)), measures=adopted.get(v, ""),
                 cash_npv_cny=m.cash_npv_cny.get(v, np.nan), status=m.status.get(v, "not stored"))
            for v in d.values.index if v in m.index]
    return pd.DataFrame(rows, columns=cols).sort_values("price_cny_per_t", kind="stable").reset_index(drop=True)


def macc_comparison(d: SweepData) -> pd.DataFrame:
    """Per measure: its stand-alone cost and potential (the store's `standalone_macc`, computed once on the
    base scenario with targets relaxed) against the lowest swept price at which the optimum adopts it, and
    why they differ (`reason`: as_expected when it enters at the first swept price at or above its stand-alone
    cost; earlier or later than that; never (up to the highest price); beyond (costs more than it))."""
    cols = ["measure", "site", "family", "standalone_cost_cny_per_tco2e", "potential_tco2e_per_yr", "entry_price",
            "share_of_prices", "reason"]
    sup = carbon_supply(d)
    if sup.empty:
        return pd.DataFrame(columns=cols)
    ad = d.tables["adoption"]
    ad = ad[ad.variant.isin(set(sup.variant))].merge(sup[["variant", "price_cny_per_t"]], on="variant")
    sa = d.tables["standalone_macc"].set_index("measure") if len(d.tables["standalone_macc"]) else None
    prices = sorted(sup.price_cny_per_t)
    rows = []
    for (measure, site), g in ad.groupby(["measure", "site"], sort=True):
        yes = g[g.adopted.astype(bool)]
        entry = float(yes.price_cny_per_t.min()) if len(yes) else np.nan
        cost = float(sa.standalone_cost_cny_per_tco2e.get(measure, np.nan)) if sa is not None else np.nan
        pot = float(sa.potential_tco2e_per_yr.get(measure, np.nan)) if sa is not None else np.nan
        expected = next((p for p in prices if p >= cost - 0.01 * max(abs(cost), 1.0)), np.nan)  # covers its cost
        if np.isnan(cost):
            reason = "no stand-alone cost"
        elif np.isnan(entry):
            reason = "never" if cost <= prices[-1] else "beyond"
        elif np.isnan(expected) or entry < expected:
            reason = "earlier"
        elif entry > expected:
            reason = "later"
        else:
            reason = "as_expected"
        rows.append(dict(measure=measure, site=site, family=g.family.iloc[0], standalone_cost_cny_per_tco2e=cost,
                         potential_tco2e_per_yr=pot, entry_price=entry, share_of_prices=float(len(yes) / len(g)),
                         reason=reason))
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["entry_price", "standalone_cost_cny_per_tco2e"], na_position="last",
                           kind="stable").reset_index(drop=True)


# -- where it stops working -------------------------------------------------------------------------------
def infeasibility(d: SweepData) -> pd.DataFrame:
    """Per target (and `all` for any status without a plan): the share of stored variants in which it is
    missed, and the parameter region where that happens (best threshold rule, its accuracy)."""
    cols = ["target", "variants", "missed", "share", "parameter", "threshold", "direction", "accuracy"]
    m = d.metrics
    if m.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    flags = {"all": pd.Series(~m.status.isin(SOLVED).to_numpy(), index=m.variant.to_numpy())}
    t = d.tables["targets"]
    bad = t[~t.met.astype(bool)].groupby("target").variant.agg(set)
    for target in sorted(set(t.target)):
        flags[target] = pd.Series(m.variant.isin(bad.get(target, set())).to_numpy(), index=m.variant.to_numpy())
    for name, y in flags.items():
        sep = dict(parameter="", threshold=np.nan, direction="", accuracy=np.nan)
        if y.any() and not y.all() and not d.values.empty:
            sep = best_separator(d.values, y)
        rows.append(dict(target=name, variants=len(y), missed=int(y.sum()), share=float(y.mean()), **sep))
    return pd.DataFrame(rows, columns=cols)


def scatter(d: SweepData, metric: str = "cash_npv_cny") -> pd.DataFrame:
    """Long frame of (variant, parameter, value, metric) over the solved variants, with each parameter's
    least-squares slope and intercept (the trend line)."""
    cols = ["variant", "parameter", "value", metric, "slope", "intercept"]
    s = d.solved().set_index("variant")[metric]
    if s.empty or d.values.empty:
        return pd.DataFrame(columns=cols)
    v = d.values.loc[d.values.index.intersection(s.index)]
    long = v.reset_index().melt(id_vars="variant", var_name="parameter", value_name="value")
    long[metric] = long.variant.map(s)
    fits = {}
    for p, g in long.groupby("parameter"):
        ok = g.dropna(subset=["value", metric])
        fits[p] = tuple(np.polyfit(ok.value, ok[metric], 1)) if ok.value.nunique() > 1 else (np.nan, np.nan)
    long["slope"] = long.parameter.map(lambda p: fits[p][0])
    long["intercept"] = long.parameter.map(lambda p: fits[p][1])
    return long[cols]


def frames(d: SweepData) -> dict[str, pd.DataFrame]:
    """Every analysis frame the store supports (those that do not apply to its design are empty)."""
    mat, columns = adoption_matrix(d)
    out = {"summary": pd.concat([summary(d), pd.DataFrame([{"item": "heatmap_columns", "value": columns}])],
                                ignore_index=True),
           "adoption": adoption(d), "infeasibility": infeasibility(d), "fan": fan(d),
           "target_levels": target_levels(d), "first_years": first_years(d),
           "adoption_matrix": mat.reset_index() if len(mat) else mat}
    for metric in METRICS:
        out[f"tornado_{metric}"] = tornado(d, metric)
    out["parameter_effects"] = effects(d)
    out["indices_npv"] = indices(d, "cash_npv_cny")
    out["carbon_supply"] = carbon_supply(d)
    out["macc_comparison"] = macc_comparison(d)
    out["standalone_macc"] = d.tables["standalone_macc"]
    out["scatter_npv"] = scatter(d)
    out["metrics"] = variant_metrics(d)
    return out


def summary(d: SweepData) -> pd.DataFrame:
    """Key facts of the sweep as (item, value) rows: design, variants planned and stored, statuses."""
    st = d.metrics.status.value_counts().sort_index()
    rows = [("name", d.meta.get("name", "")), ("design", d.design), ("base_scenario", d.meta.get("base_scenario", "")),
            ("variants_planned", d.planned), ("variants_stored", d.stored), ("partial", d.partial),
            ("targets_relaxed", d.targets_relaxed), ("samples_inputs", d.design not in NOT_SAMPLES)]
    rows += [(f"status_{k}", int(n)) for k, n in st.items()]
    idle = inert.without_effect(d.tables["parameter_effects"])
    if idle:
        rows.append(("parameters_without_effect", ", ".join(idle)))
    return pd.DataFrame(rows, columns=["item", "value"]).astype({"value": str})
