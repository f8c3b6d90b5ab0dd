"""Representative days (docs/model.md §15): the sites' 8,760-hour profiles reduced by tsam to typical days with
weights (the peak-load day kept as its own day), the time-of-use prices of each representative hour, the
months each day stands for (monthly demand charges) and the error of the reduction.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..errors import InputError
from ..schemas.connection import Connection
from ..schemas.library import data_dir
from ..schemas.loader import _format
from ..schemas.scenario import TOU_CODES, Scenario, Tariff
from ..schemas.yamlio import check_tree, decode, parse_yaml, read_bytes
from .given_days import PRICES, SHAPES, read_days
from .profiles import MONTH_OF_DAY, profile

DAYS = 365
REST_WEEKDAYS = (5, 6)  # rest days of the typical year, which starts on a Monday (Saturday 5, Sunday 6)


@dataclass
class HourlyInputs:
    """Per-site hourly numbers keyed (site, day, hour); shapes have a weighted mean of 1 over the year."""

    days: list[int]  # representative days 0..n-1
    hours: int  # slices per day
    day_weight: dict[int, float]  # days of the year each stands for (sums to 365)
    day_months: dict[int, list[int]]  # months (1-12) with at least one day that the day stands for
    load_shape: dict[tuple[str, int, int], float]
    pv_shape: dict[tuple[str, int, int], float]
    wind_shape: dict[tuple[str, int, int], float]
    tou_cny_per_mwh: dict[tuple[str, int, int], float]  # mean over the days a day stands for
    tou_period: dict[tuple[str, int, int], str]  # the most frequent period (charts)
    demand_charge_cny_per_kw_month: dict[str, float]
    export_limit_mw: dict[str, float | None]
    tariff_source: dict[str, str]
    heat_shape: dict[tuple[str, int, int], float] = field(default_factory=dict)  # sites with a heat profile
    # (a site without one has flat heat: shape 1 in every slice)
    export_cny_per_mwh: dict[tuple[str, int, int], float] = field(default_factory=dict)  # tariff export price
    # (sites whose tariff sets one; mean over the days a day stands for)
    reduction: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)  # error per site and profile
    factor_shape: dict[tuple[str, int, int], float] = field(default_factory=dict)  # sites with an hourly grid
    # factor (weighted mean 1; none: the annual factor in every hour)
    profiles: list[str] = field(default_factory=list)  # "<kind>:<site>" that shaped the days
    given: bool = False  # the days come from time.days_file
    hourly_matching: bool = False  # market-based claims matched hour by hour (time.scope2_matching)
    connection: dict[str, Connection | None] = field(default_factory=dict)
    capacity_charge_cny_per_kva_month: dict[str, float] = field(default_factory=dict)

    @property
    def hours_per_slice(self) -> float:
        return 24 / self.hours


def load_tariff(ref: str | Tariff) -> Tariff:
    """A site's tariff: inline, or a bundled one by name (data/tariffs/<name>.yaml)."""
    if isinstance(ref, Tariff):
        return ref
    path = data_dir() / "tariffs" / f"{ref}.yaml"
    if not path.exists():
        have = sorted(p.stem for p in (data_dir() / "tariffs").glob("*.yaml"))
        raise InputError("scenario", "time.sites.tariff", f"no bundled tariff {ref!r}; have {have}")
    file = str(path)  # read and checked as a scenario file is: one-line errors naming the file and key path
    raw = parse_yaml(decode(read_bytes(path, file, "tariff file"), file), file)
    if not isinstance(raw, dict):
        raise InputError(file, "", "expected a mapping of tariff keys at the top level")
    check_tree(raw, file)
    try:
        return Tariff.model_validate(raw, strict=False)
    except ValidationError as exc:
        raise _format(exc, raw, file) from None


def _blocks(x: np.ndarray, hours: int) -> np.ndarray:
    """8,760 hourly values -> (365, hours) means of consecutive hours."""
    return x.reshape(DAYS, hours, 24 // hours).mean(axis=2)


def _cluster(frame: pd.DataFrame, days: int, hours: int, peak_col: str | None):
    """(representatives (n, hours, columns), day weights, assignment of each day) from tsam."""
    import tsam

    n_typical = days - 1 if peak_col is not None and days > 1 else days
    extremes = tsam.ExtremeConfig(method="append", max_value=[peak_col]) if n_typical < days else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = tsam.aggregate(frame, n_typical, period_duration=24, temporal_resolution=24 / hours,
                             cluster=tsam.ClusterConfig(method="hierarchical", representation="mean"),
                             extremes=extremes)
    reps = res.cluster_representatives
    ids = sorted(reps.index.get_level_values(0).unique())
    arr = np.stack([reps.loc[i][frame.columns].to_numpy() for i in ids])
    counts = res.cluster_counts
    weight = np.array([float(counts.get(i, 0.0)) for i in ids])
    assign = np.asarray(res.cluster_assignments)
    return arr, weight, assign, ids


def used_profiles(sc: Scenario) -> dict[str, list[str]]:
    """Site -> the profiles that shape its hours (and so choose the days): the load always; PV or wind when an
    enabled measure of the site follows it (on-site generation of that technology, or with hourly matching a
    PPA or certificates with that `profile`); heat and the grid factor unless `flat`."""
    hourly_match = sc.time.scope2_matching == "hourly"
    out = {}
    for site in sc.sites:
        h = sc.time.sites[site.id]
        kinds = ["load"]
        for kind in ("pv", "wind"):
            if any(m.enabled and (getattr(m, "technology", None) == kind and m.site == site.id or hourly_match and
                                  getattr(m, "profile", None) == kind and m.site in (None, site.id))
                   for m in sc.measures):
                kinds.append(kind)
        kinds += [k for k in ("heat", "grid_factor") if getattr(h, k) != "flat"]
        out[site.id] = kinds
    return out


@dataclass
class _Days:
    """Days before pricing: weights, months, shapes (kind, site) -> (n, hours), and for each day the calendar
    (month 1-12 or None, rest day) of the days it stands for."""

    weight: np.ndarray
    day_months: dict[int, list[int]]
    shapes: dict[tuple[str, str], np.ndarray]
    calendar: list[list[tuple[int | None, bool]]]
    reduction: pd.DataFrame
    prices: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # given (kind, site) in CNY/MWh


def _clustered(sc: Scenario, used: dict[str, list[str]]) -> _Days:
    """tsam on the used profiles, the first site's peak-load day appended (§15.1)."""
    t = sc.time
    hours = t.hours_per_day
    cols: dict[str, np.ndarray] = {}
    for site in sc.sites:
        h = t.sites[site.id]
        for kind in SHAPES:  # a CSV nothing uses is still read and checked (validate = run), not clustered
            if kind not in used[site.id] and getattr(h, kind) not in ("typical", "flat"):
                profile(getattr(h, kind), kind, site.grid_region, f"time.sites.{site.id}.{kind}")
        for kind in used[site.id]:
            x = profile(getattr(h, kind), kind, site.grid_region, f"time.sites.{site.id}.{kind}")
            mean = x.mean()
            if mean <= 0:
                raise InputError("scenario", f"time.sites.{site.id}.{kind}", "the profile is zero all year")
            cols[f"{kind}:{site.id}"] = _blocks(x / mean, hours).ravel()
    index = pd.date_range("2023-01-01", periods=DAYS * hours, freq=f"{24 // hours}h")
    frame = pd.DataFrame(cols, index=index)
    peak_col = f"load:{sc.sites[0].id}"
    arr, weight, assign, ids = _cluster(frame, min(t.days, DAYS), hours, peak_col)
    n = len(ids)
    peak_day = int(np.argmax(frame[peak_col].to_numpy().reshape(DAYS, hours).max(axis=1)))
    members = [[k for k in range(DAYS) if assign[k] == ids[d]] or [peak_day] for d in range(n)]
    day_months = {d: sorted({int(MONTH_OF_DAY[k]) + 1 for k in members[d]}) for d in range(n)}
    rows, shapes = [], {}
    for j, col in enumerate(frame.columns):
        rep = arr[:, :, j]
        wmean = float((weight[:, None] * rep).sum() / (DAYS * hours))
        orig = frame[col].to_numpy()
        kind, s = col.split(":", 1)
        rows.append({"site": s, "profile": kind, "energy_error_pct": 100 * (wmean / orig.mean() - 1),
                     "peak_error_pct": 100 * (rep.max() / orig.max() - 1)})
        shapes[kind, s] = rep / wmean  # exact annual energy: weighted mean 1
    calendar = [[(int(MONTH_OF_DAY[k]) + 1, bool(k % 7 in REST_WEEKDAYS)) for k in members[d]] for d in range(n)]
    return _Days(weight, day_months, shapes, calendar, pd.DataFrame(rows))


def _given(sc: Scenario, used: dict[str, list[str]]) -> _Days:
    """The days of `time.days_file` as they are (§15.7)."""
    t = sc.time
    path = t.days_file
    g = read_days(path, [s.id for s in sc.sites], t.hours_per_day)
    n = len(g.weight)
    shapes, prices = {}, {}
    for site in sc.sites:
        h = t.sites[site.id]
        for kind in SHAPES:
            if getattr(h, kind) not in ("typical", "flat"):
                raise InputError("scenario", f"time.sites.{site.id}.{kind}", "with time.days_file the profiles "
                                 "come from the days file; leave this key out")
            x = g.column(kind, site.id)
            if x is None:
                if kind in used[site.id] and kind not in ("heat", "grid_factor"):
                    raise InputError(path, "time.days_file", f"no {kind} column for site {site.id!r} "
                                     f"({kind} or {kind}:{site.id}); a measure or the load uses it")
                continue
            if kind in ("heat", "grid_factor") and kind not in used[site.id]:
                used[site.id].append(kind)
            wmean = float((g.weight[:, None] * x).sum() / (DAYS * g.hours))
            if wmean <= 0:
                raise InputError(path, f"time.days_file.{kind}", f"the {kind} of site {site.id!r} is zero all year")
            shapes[kind, site.id] = x / wmean
        for kind in PRICES:
            if (x := g.column(kind, site.id)) is not None:
                prices[kind, site.id] = x
        if g.month is None and ("price", site.id) not in prices:
            raise InputError(path, "time.days_file", f"no month column and no price column for site {site.id!r}: "
                             "the tariff's prices need each day's month")
    months = {d: [int(g.month[d])] if g.month is not None else list(range(1, 13)) for d in range(n)}
    calendar = [[(int(g.month[d]) if g.month is not None else None, bool(g.rest[d]))] for d in range(n)]
    return _Days(g.weight, months, shapes, calendar, pd.DataFrame(columns=[
        "site", "profile", "energy_error_pct", "peak_error_pct"]), prices)


def _tariff_hours(tar: Tariff, month: int | None, rest: bool) -> tuple[np.ndarray, list[str], np.ndarray | None]:
    """Import price, period letter and export price (None: the scenario's) of each hour of a calendar day."""
    letters = tar.month_letters(rest)[month] if month is not None else "f" * 24
    price = np.array([tar.prices_cny_per_mwh.get(TOU_CODES[c], 0.0) for c in letters])
    xp = tar.export_price_cny_per_mwh
    if xp is None or isinstance(xp, dict) and month is None:
        return price, list(letters), None
    exp = np.full(24, float(xp)) if not isinstance(xp, dict) else np.array([xp[TOU_CODES[c]] for c in letters])
    return price, list(letters), exp


def representative_days(sc: Scenario) -> HourlyInputs:
    """The representative days (clustered, or given by `time.days_file`), the shapes of every used profile and
    the tariff's prices of each representative hour."""
    t = sc.time
    hours = t.hours_per_day
    step = 24 // hours
    used = used_profiles(sc)
    days = _given(sc, used) if t.days_file else _clustered(sc, used)
    n = len(days.weight)
    for (kind, s), rep in list(days.shapes.items()):  # the site's BAU load carries the annual factor (§15.6)
        if kind == "grid_factor":
            load = days.shapes["load", s]
            days.shapes[kind, s] = rep / float((days.weight[:, None] * load * rep).sum() / (DAYS * hours))
    out: dict[str, dict] = {k: {} for k in SHAPES}
    for (kind, s), rep in days.shapes.items():
        for d in range(n):
            for h in range(hours):
                out[kind][s, d, h] = float(rep[d, h])
    tou, period, dc, lim, src, exp = {}, {}, {}, {}, {}, {}
    for site in sc.sites:
        tar = load_tariff(t.sites[site.id].tariff)
        table = {}
        for d in range(n):
            rows = [table.setdefault(key, _tariff_hours(tar, *key)) for key in days.calendar[d]]
            pb = np.mean([r[0] for r in rows], axis=0).reshape(hours, step).mean(axis=1)
            xs = [r[2] for r in rows if r[2] is not None]
            xb = np.mean(xs, axis=0).reshape(hours, step).mean(axis=1) if xs else None
            given_p, given_x = days.prices.get(("price", site.id)), days.prices.get(("export_price", site.id))
            for h in range(hours):
                tou[site.id, d, h] = float(given_p[d, h] if given_p is not None else pb[h])
                if given_x is not None or xb is not None:
                    exp[site.id, d, h] = float(given_x[d, h] if given_x is not None else xb[h])
                block = [c for r in rows for c in r[1][h * step:(h + 1) * step]]
                vals, cnt = np.unique(block, return_counts=True)
                period[site.id, d, h] = TOU_CODES[str(vals[np.argmax(cnt)])]
        conn = t.sites[site.id].connection
        if conn is not None and conn.billing == "capacity" and tar.capacity_charge_cny_per_kva_month <= 0:
            raise InputError("scenario", f"time.sites.{site.id}.connection.billing", "billing: capacity needs the "
                             "tariff's capacity_charge_cny_per_kva_month (> 0)")
        dc[site.id] = tar.demand_charge_cny_per_kw_month
        lim[site.id] = tar.export_limit_mw
        src[site.id] = tar.source
    hi = HourlyInputs(list(range(n)), hours, {d: float(days.weight[d]) for d in range(n)}, days.day_months,
                      out["load"], out["pv"], out["wind"], tou, period, dc, lim, src, heat_shape=out["heat"],
                      export_cny_per_mwh=exp, reduction=days.reduction)
    hi.factor_shape = out["grid_factor"]
    hi.profiles = [f"{k}:{s}" for s in sorted(used) for k in used[s]]
    hi.given = bool(t.days_file)
    hi.hourly_matching = t.scope2_matching == "hourly"
    hi.connection = {s: t.sites[s].connection for s in used}
    hi.capacity_charge_cny_per_kva_month = {s.id: load_tariff(t.sites[s.id].tariff).capacity_charge_cny_per_kva_month
                                            for s in sc.sites}
    return hi


def slice_key(year: int, day: int, hour: int) -> str:
    return f"{year}.d{day}.h{hour:02d}"


__all__ = ["HourlyInputs", "load_tariff", "representative_days", "slice_key"]
