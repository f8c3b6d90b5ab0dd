"""The frames of a scenario comparison, each from the runs' plans and scenarios (reference first).

Pure pandas over solved plans: no solving here (compare.py solves)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from ..postprocess.macc import MARKET_BASIS
from ..postprocess.results import SHADOW_CATEGORIES
from ..schemas.trajectory import interpolate

if TYPE_CHECKING:
    from .compare import Run

COST_GROUPS = {  # KPI -> cash cost categories (together they make the cash NPV)
    "npv_capex": ("capex",), "npv_om": ("fixed_om", "variable_om"), "npv_energy": ("energy", "export_revenue"),
    "npv_ets": ("carbon_ets",), "npv_cbam": ("carbon_cbam",),
    "npv_contracts": ("ppa_premium", "certificates", "credits"),
    "npv_salvage": ("salvage",),
}
ABSENT = "(absent)"
SKIP_KEYS = {"name", "description"}  # the label itself and free text


# -- inputs ------------------------------------------------------------------------------------------
def _fmt(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def flatten(node, prefix: str = "") -> dict[str, str]:
    """Key path -> value text: mappings by key (`a.b`, integer keys as `[2030]`), lists of items with an id
    by id (`measures[north_ccus]`), other lists as one value."""
    out: dict[str, str] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            if not prefix and k in SKIP_KEYS:
                continue
            path = f"{prefix}[{k}]" if isinstance(k, int) else (f"{prefix}.{k}" if prefix else str(k))
            out.update(flatten(v, path))
    elif isinstance(node, list) and node and all(isinstance(x, dict) and "id" in x for x in node):
        for x in node:
            out.update(flatten({k: v for k, v in x.items() if k != "id"}, f"{prefix}[{x['id']}]"))
    elif isinstance(node, list):
        out[prefix] = "[" + ", ".join(_fmt(x) for x in node) + "]"
    else:
        out[prefix] = _fmt(node)
    return out


def _is_trajectory(v) -> bool:
    """A {year: number} mapping (a trajectory given by points)."""
    return isinstance(v, dict) and bool(v) and all(isinstance(k, int) and not isinstance(k, bool) for k in v) \
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v.values())


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def leaves(node, prefix: str = "") -> dict[str, object]:
    """Key path -> raw value as `flatten`, but a trajectory ({year: value}) stays one leaf."""
    out: dict[str, object] = {}
    if _is_trajectory(node) and prefix:
        out[prefix] = node
    elif isinstance(node, dict):
        for k, v in node.items():
            if not prefix and k in SKIP_KEYS:
                continue
            out.update(leaves(v, f"{prefix}[{k}]" if isinstance(k, int) else (f"{prefix}.{k}" if prefix else str(k))))
    elif isinstance(node, list) and node and all(isinstance(x, dict) and "id" in x for x in node):
        for x in node:
            out.update(leaves({k: v for k, v in x.items() if k != "id"}, f"{prefix}[{x['id']}]"))
    else:
        out[prefix] = node
    return out


def _pairs(path: str, a, b) -> list[tuple[str, str, str]]:
    """(path, reference text, text) where a and b differ. Trajectories are compared by their effective
    (interpolated) value in every year either side names, so a constant 0 against {2025: 100, ...} reads
    `[2025]: 0 -> 100`, never as a removal; a key one side lacks entirely is `(absent)` there."""
    ta, tb = _is_trajectory(a), _is_trajectory(b)
    if (ta or tb) and (ta or _number(a)) and (tb or _number(b)):
        years = sorted(set(a if ta else ()) | set(b if tb else ()))
        va, vb = interpolate(a, years), interpolate(b, years)
        return [(f"{path}[{y}]", _fmt(va[y]), _fmt(vb[y])) for y in years if va[y] != vb[y]]
    if ta or tb:  # a trajectory against nothing (or against text): point by point, as given
        ea = {f"{path}[{y}]": _fmt(float(v)) for y, v in a.items()} if ta else {path: _fmt(a)}
        eb = {f"{path}[{y}]": _fmt(float(v)) for y, v in b.items()} if tb else {path: _fmt(b)}
        return [(k, ea.get(k, ABSENT), eb.get(k, ABSENT)) for k in sorted(set(ea) | set(eb))
                if ea.get(k, ABSENT) != eb.get(k, ABSENT)]
    fa, fb = flatten(a, path), flatten(b, path)
    return [(k, fa.get(k, ABSENT), fb.get(k, ABSENT)) for k in sorted(set(fa) | set(fb))
            if fa.get(k, ABSENT) != fb.get(k, ABSENT)]


def input_differences(runs: list[Run]) -> pd.DataFrame:
    """scenario, path, reference_value, value for every key path whose effective value differs from the
    reference (trajectories interpolated; `(absent)` only where one side has no such key at all)."""
    ref = leaves(runs[0].scenario.model_dump(mode="python"))
    rows = []
    for r in runs[1:]:
        cur = leaves(r.scenario.model_dump(mode="python"))
        for path in sorted(set(ref) | set(cur)):
            if path not in cur:
                rows += [(r.label, k, v, ABSENT) for k, v in flatten(ref[path], path).items()]
            elif path not in ref:
                rows += [(r.label, k, ABSENT, v) for k, v in flatten(cur[path], path).items()]
            else:
                rows += [(r.label, *x) for x in _pairs(path, ref[path], cur[path])]
    return pd.DataFrame(rows, columns=["scenario", "path", "reference_value", "value"])


# -- KPIs --------------------------------------------------------------------------------------------
def _milestone_years(runs: list[Run]) -> list[int]:
    years = set()
    for r in runs:
        if r.plan is not None:
            t = r.plan.targets
            years |= set(t.loc[t.milestone.astype(bool), "year"].astype(int))
    return sorted(years)


def renewable_share(p, year: int) -> float:
    """Consolidated renewable share of electricity used in a year (on-site supply and claims over use)."""
    e = p.electricity[p.electricity.year == year]
    use = (e.share * (e.grid_mwh + e.onsite_mwh)).sum()
    return float((e.share * (e.onsite_mwh + e.green_claims_mwh)).sum() / use) if use > 0 else math.nan


def _kpis(p, milestones: list[int]) -> list[tuple[str, str, float]]:
    if p is None:
        return []
    disc = p.costs.groupby("category").discounted_cny.sum()
    em = p.emissions[p.emissions.scope.isin(MARKET_BASIS)]
    macc = p.macc
    denom = macc.discounted_abatement_tco2e.sum()
    credits = p.roadmap[(p.roadmap.action == "purchase") & (p.roadmap.unit == "tCO2e")]["size"].sum()
    met = p.targets.groupby("target").met.all() if len(p.targets) else pd.Series(dtype=bool)
    last = int(p.emissions.year.max())
    s = p.summary
    rows = [("cash_npv", "CNY", s["cash_npv_cny"])]
    rows += [(k, "CNY", float(sum(disc.get(c, 0.0) for c in cats))) for k, cats in COST_GROUPS.items()]
    rows += [("internal_carbon", "CNY", float(sum(disc.get(c, 0.0) for c in SHADOW_CATEGORIES))),
             ("objective", "CNY", s["objective_cny"])]
    rows += [("total_capex", "CNY", s["total_capex_cny"]),
             ("avg_abatement_cost", "CNY/tCO2e", float(macc.net_cost_cny.sum() / denom) if denom > 0 else math.nan),
             ("cumulative_emissions", "tCO2e", float(em.plan_tco2e.sum()))]
    by_year = em.groupby("year").plan_tco2e.sum()
    rows += [(f"emissions_{y}", "tCO2e", float(by_year.get(y, math.nan))) for y in milestones]
    rows += [(f"renewable_share_{last}", "share", renewable_share(p, last)),
             ("offsets_used", "tCO2e", float(credits)),
             ("targets_met", "count", float(met.sum())), ("targets_total", "count", float(len(met))),
             ("sbti_passed", "count", float(p.sbti.ok.sum())), ("sbti_total", "count", float(len(p.sbti))),
             ("gap", "share", math.nan if s.get("gap") is None else float(s["gap"]))]
    return rows


def kpi_frame(runs: list[Run]) -> pd.DataFrame:
    """kpi, unit, scenario, value, delta (value − the reference's)."""
    milestones = _milestone_years(runs)
    per = {r.label: {k: (u, v) for k, u, v in _kpis(r.plan, milestones)} for r in runs}
    order = list(dict.fromkeys(k for r in runs for k in per[r.label]))
    ref = per[runs[0].label]
    rows = []
    for k in order:
        unit = next(per[r.label][k][0] for r in runs if k in per[r.label])
        for r in runs:
            v = per[r.label].get(k, (unit, math.nan))[1]
            base = ref.get(k, (unit, math.nan))[1]
            rows.append((k, unit, r.label, v, v - base))
    return pd.DataFrame(rows, columns=["kpi", "unit", "scenario", "value", "delta"])


# -- roadmap -----------------------------------------------------------------------------------------
def _ratio(a: float, b: float, label: str, noun: str, more: str, less: str, beyond: float = 0.01) -> str:
    """"2.3x the volume in B" from 1.5 times up, else "40% more ... in B" / "25% less ... in B"; "" within
    `beyond`."""
    if math.isnan(a) or math.isnan(b) or a <= 0 or abs(b / a - 1) <= beyond:
        return ""
    r = b / a
    if r >= 1.5:
        return f"{r:.1f}x the {noun} in {label}"
    return f"{abs(r - 1):.0%} {more if r > 1 else less} in {label}"


def _verdict(ref: dict | None, cur: dict | None, label: str) -> str:
    if ref is None and cur is None:
        return "same"
    if ref is None:
        return f"only in {label}"
    if cur is None:
        return f"not in {label}"
    parts = []
    dy = int(cur["first_year"] - ref["first_year"])
    if dy:
        parts.append(f"{abs(dy)} year{'s' if abs(dy) > 1 else ''} {'earlier' if dy < 0 else 'later'} in {label}")
    parts.append(_ratio(ref["size"], cur["size"], label, "size", "larger", "smaller"))  # first build
    parts.append(_ratio(ref["volume"], cur["volume"], label, "volume", "more volume", "less volume", 0.05))
    return "; ".join(p for p in parts if p) or "same"


def _adoptions(p) -> dict[tuple[str, str], dict]:
    """(measure, site) -> name, family, first year, size of the first build, volume bought over the horizon
    (purchases), unit and horizon abatement (scope 1 + 2 market + 3, consolidated)."""
    out = {}
    ab = p.abatement[p.abatement.scope.isin(MARKET_BASIS)].groupby("measure").tco2e.sum()  # a company-level
    # measure's abatement is booked at the sites it serves; a measure id is unique in a scenario
    for (mid, site), g in p.roadmap.sort_values("year", kind="stable").groupby(["measure", "site"], sort=False):
        first = g.iloc[0]
        sized = first.action == "build" and first.unit != "adoption"
        bought = g[g.action == "purchase"]["size"]
        out[mid, site] = dict(name=first["name"], name_zh=first["name_zh"], family=first.family,
                              first_year=float(first.year), size=float(first["size"]) if sized else math.nan,
                              volume=float(bought.sum()) if len(bought) else math.nan, unit=first.unit,
                              abatement_tco2e=float(ab.get(mid, 0.0)))
    return out


def roadmap_frames(runs: list[Run]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roadmap differences, common ground) over the measures adopted in any scenario with a plan."""
    solved = [r for r in runs if r.plan is not None]
    adopted = {r.label: _adoptions(r.plan) for r in solved}
    keys = sorted({k for a in adopted.values() for k in a})
    ref = runs[0].label
    rows = []
    for key in keys:
        info = next(a[key] for a in adopted.values() if key in a)
        for r in solved:
            cur = adopted[r.label].get(key)
            # no verdict against a reference without a plan (infeasible): "only in B" would read as a difference
            verdict = "" if r.label == ref or ref not in adopted else _verdict(adopted[ref].get(key), cur, r.label)
            rows.append(dict(measure=key[0], site=key[1], name=info["name"], name_zh=info["name_zh"],
                             family=info["family"], scenario=r.label, adopted=cur is not None,
                             first_year=cur["first_year"] if cur else math.nan,
                             size=cur["size"] if cur else math.nan, volume=cur["volume"] if cur else math.nan,
                             unit=info["unit"], abatement_tco2e=cur["abatement_tco2e"] if cur else 0.0,
                             verdict=verdict))
    cols = ["measure", "site", "name", "name_zh", "family", "scenario", "adopted", "first_year", "size", "volume",
            "unit", "abatement_tco2e", "verdict"]
    roadmap = pd.DataFrame(rows, columns=cols)
    common_keys = [k for k in keys if all(k in adopted[r.label] for r in solved)]
    common = pd.DataFrame([dict(measure=k[0], site=k[1], **{c: next(a[k] for a in adopted.values())[c]
                                                             for c in ("name", "name_zh", "family")})
                           for k in common_keys], columns=["measure", "site", "name", "name_zh", "family"])
    return roadmap, common


# -- trajectories, costs, abatement -------------------------------------------------------------------
def coverage_label(scope1: bool, scope2: str, scope3: str) -> str:
    parts = (["scope 1"] if scope1 else []) + ([f"scope 2 {scope2}-based"] if scope2 not in ("none", "") else [])
    if scope3:
        parts.append(f"scope 3 cat. {scope3}")
    return " + ".join(parts)


def coverage_label_zh(scope1: bool, scope2: str, scope3: str) -> str:
    basis = {"market": "市场法", "location": "位置法"}
    parts = (["范围一"] if scope1 else []) + ([f"范围二（{basis[scope2]}）"] if scope2 in basis else [])
    if scope3:
        parts.append(f"范围三 类别 {scope3}")
    return " + ".join(parts)


def _cats(scope3) -> list[str]:
    """Scope-3 sources (`cat01`, ...) of a targets-frame `scope3` cell ("1,4"; empty or NaN for none)."""
    text = "" if pd.isna(scope3) else str(scope3)
    return [f"cat{int(c):02d}" for c in text.split(",") if c.strip()]


def _groups(runs: list[Run]) -> dict[str, tuple[bool, str, list[str], str]]:
    groups = {}
    for r in runs:
        if r.plan is None:
            continue
        t = r.plan.targets[r.plan.targets.type != "renewable_share"]
        for s1, s2, s3 in t[["scope1", "scope2", "scope3"]].drop_duplicates().itertuples(index=False):
            cats = _cats(s3)
            numbers = ",".join(c[3:].lstrip("0") for c in cats)
            groups[coverage_label(bool(s1), str(s2), numbers)] = (bool(s1), str(s2), cats,
                                                                   coverage_label_zh(bool(s1), str(s2), numbers))
    return groups


def trajectory_frame(runs: list[Run]) -> pd.DataFrame:
    """scenario, year, group, group_zh, plan_tco2e, net_tco2e, bau_tco2e, required_tco2e, milestone."""
    rows = []
    for label, (s1, s2, cats, label_zh) in _groups(runs).items():
        for r in runs:
            if r.plan is None:
                continue
            e = r.plan.emissions
            scopes = (["scope1"] if s1 else []) + ([f"scope2_{s2}"] if s2 != "none" else [])
            mask = e.scope.isin(scopes) | ((e.scope == "scope3") & e.source.isin(cats))
            by = e[mask].groupby("year")[["plan_tco2e", "bau_tco2e"]].sum()
            t = r.plan.targets
            t = t[(t.type != "renewable_share") & (t.scope1.astype(bool) == s1) & (t.scope2.astype(str) == s2)]
            t = t[t.scope3.map(lambda x, key=cats: _cats(x) == key).astype(bool)]
            req = t.groupby("year").required.min()
            off = t.groupby("year").offsets_used.max()
            ms = set(t.loc[t.milestone.astype(bool), "year"])
            for y, v in by.iterrows():
                rows.append((r.label, int(y), label, label_zh, v.plan_tco2e, v.plan_tco2e - off.get(y, 0.0),
                             v.bau_tco2e, req.get(y, math.nan), y in ms))
    return pd.DataFrame(rows, columns=["scenario", "year", "group", "group_zh", "plan_tco2e", "net_tco2e",
                                       "bau_tco2e", "required_tco2e", "milestone"])


def costs_frame(runs: list[Run]) -> pd.DataFrame:
    """scenario, category, discounted_cny, delta_cny (vs the reference; NaN for runs without a plan)."""
    per = {r.label: r.plan.costs.groupby("category", sort=False).discounted_cny.sum() for r in runs if r.plan}
    ref = per.get(runs[0].label)
    rows = []
    for r in runs:
        if r.label not in per:
            continue
        for c, v in per[r.label].items():
            rows.append((r.label, c, float(v), float(v - ref.get(c, 0.0)) if ref is not None else math.nan))
    return pd.DataFrame(rows, columns=["scenario", "category", "discounted_cny", "delta_cny"])


def abatement_frame(runs: list[Run]) -> pd.DataFrame:
    """scenario, family, tco2e (scope 1 + 2 market + 3, consolidated, over the horizon)."""
    parts = []
    for r in runs:
        if r.plan is None:
            continue
        a = r.plan.abatement[r.plan.abatement.scope.isin(MARKET_BASIS)]
        parts.append(a.groupby("family", as_index=False).tco2e.sum().assign(scenario=r.label))
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["scenario", "family", "tco2e"])
    return df[["scenario", "family", "tco2e"]]


CBAM_COLUMNS = ["scenario", "product", "year", "exported_t", "embedded_tco2e_per_t", "certificates_t", "cost_cny",
                "discounted_cost_cny", "delta_cost_cny"]


def cbam_frame(runs: list[Run]) -> pd.DataFrame:
    """The EU CBAM exposure side by side: per scenario, product and year (consolidated over sites) the t exported,
    the embedded emissions per t on the basis used, the certificates, the cost (nominal and discounted) and its
    difference from the reference's (NaN where the reference has no CBAM row). Empty when no run has CBAM."""
    parts = []
    for r in runs:
        cb = getattr(r.plan, "cbam_exposure", None) if r.plan is not None else None
        if cb is None or len(cb) == 0:
            continue
        s = r.plan.summary
        rate, y0 = float(s.get("discount_rate", 0.0)), int(s.get("base_year", 0))
        df = cb.assign(exported_w=cb.exported_t * cb.share, embedded_w=cb.embedded_tco2e * cb.share,
                       certificates_w=cb.certificates_t * cb.share)
        g = df.groupby(["product", "year"], as_index=False)[["exported_w", "embedded_w", "certificates_w",
                                                            "cost_cny"]].sum()
        g["embedded_tco2e_per_t"] = (g.embedded_w / g.exported_w.where(g.exported_w > 0)).fillna(0.0)
        g["discounted_cost_cny"] = g.cost_cny * (1.0 + rate) ** -(g.year - y0)
        parts.append(g.rename(columns={"exported_w": "exported_t", "certificates_w": "certificates_t"})
                     .assign(scenario=r.label))
    if not parts:
        return pd.DataFrame(columns=CBAM_COLUMNS)
    df = pd.concat(parts, ignore_index=True)
    ref = df[df.scenario == runs[0].label].set_index(["product", "year"]).cost_cny
    df["delta_cost_cny"] = [c - ref.get((p, y), math.nan) for p, y, c in zip(df["product"], df.year, df.cost_cny,
                                                                                  strict=True)]
    return df[CBAM_COLUMNS]
