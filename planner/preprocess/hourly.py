"""Representative days (docs/model.md §15): the sites' 8,760-hour profiles reduced by tsam to typical days with
weights (the peak-load day kept as its own day), the time-of-use prices of each representative hour, the
months each day stands for (monthly demand charges) and the error of the reduction.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

from ..errors import InputError
from ..schemas.library import data_dir
from ..schemas.loader import PROFILE_KEYS
from ..schemas.scenario import TOU_CODES, Scenario, Tariff
from .profiles import MONTH_OF_DAY, profile

DAYS = 365


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
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Tariff.model_validate(raw, strict=False)


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


def representative_days(sc: Scenario) -> HourlyInputs:
    """Cluster every site's load, PV and wind shapes together into `time.days` days of `hours_per_day`."""
    t = sc.time
    hours = t.hours_per_day
    cols: dict[str, np.ndarray] = {}
    for site in sc.sites:
        h = t.sites[site.id]
        for kind in PROFILE_KEYS:
            if kind == "heat" and h.heat == "flat":
                continue  # flat heat takes no part in choosing the days
            x = profile(getattr(h, kind), kind, site.grid_region, f"time.sites.{site.id}.{kind}")
            mean = x.mean()
            if mean <= 0:
                raise InputError("scenario", f"time.sites.{site.id}.{kind}", "the profile is zero all year")
            cols[f"{kind}:{site.id}"] = _blocks(x / mean, hours).ravel()
    index = pd.date_range("2023-01-01", periods=DAYS * hours, freq=f"{24 // hours}h")
    frame = pd.DataFrame(cols, index=index)
    peak_col = f"load:{sc.sites[0].id}"
    days = min(t.days, DAYS)
    arr, weight, assign, ids = _cluster(frame, days, hours, peak_col)
    n = len(ids)
    day_months = {d: sorted({int(MONTH_OF_DAY[k]) + 1 for k in range(DAYS) if assign[k] == ids[d]}) for d in range(n)}
    for d in range(n):  # an appended extreme day stands for itself: its month is its calendar month
        if not day_months[d]:
            orig = frame[peak_col].to_numpy().reshape(DAYS, hours)
            k = int(np.argmax(orig.max(axis=1)))
            day_months[d] = [int(MONTH_OF_DAY[k]) + 1]
    rows, shapes = [], {}
    for j, col in enumerate(frame.columns):
        rep = arr[:, :, j]
        wmean = float((weight[:, None] * rep).sum() / (DAYS * hours))
        orig = frame[col].to_numpy()
        rows.append({"site": col.split(":", 1)[1], "profile": col.split(":", 1)[0],
                     "energy_error_pct": 100 * (wmean / orig.mean() - 1),
                     "peak_error_pct": 100 * (rep.max() / orig.max() - 1)})
        shapes[col] = rep / wmean  # exact annual energy: weighted mean 1
    out = {k: {} for k in PROFILE_KEYS}
    for col, rep in shapes.items():
        kind, s = col.split(":", 1)
        for d in range(n):
            for h in range(hours):
                out[kind][s, d, h] = float(rep[d, h])
    tou, period, dc, lim, src, exp = {}, {}, {}, {}, {}, {}
    for site in sc.sites:
        tar = load_tariff(t.sites[site.id].tariff)
        letters = tar.month_letters()
        price = np.array([[tar.prices_cny_per_mwh[TOU_CODES[letters[mo + 1][hh]]] for hh in range(24)]
                          for mo in MONTH_OF_DAY])  # (365, 24)
        code = np.array([[letters[mo + 1][hh] for hh in range(24)] for mo in MONTH_OF_DAY])
        pb = price.reshape(DAYS, hours, 24 // hours).mean(axis=2)
        xp = tar.export_price_cny_per_mwh
        xb = None
        if xp is not None:
            xb = (np.full((DAYS, hours), float(xp)) if not isinstance(xp, dict) else np.array(
                [[xp[TOU_CODES[letters[mo + 1][hh]]] for hh in range(24)] for mo in MONTH_OF_DAY]
            ).reshape(DAYS, hours, 24 // hours).mean(axis=2))
        for d in range(n):
            members = [k for k in range(DAYS) if assign[k] == ids[d]] or [int(np.argmax(
                frame[peak_col].to_numpy().reshape(DAYS, hours).max(axis=1)))]
            for h in range(hours):
                tou[site.id, d, h] = float(pb[members, h].mean())
                if xb is not None:
                    exp[site.id, d, h] = float(xb[members, h].mean())
                block = code[members][:, h * (24 // hours):(h + 1) * (24 // hours)].ravel()
                vals, cnt = np.unique(block, return_counts=True)
                period[site.id, d, h] = TOU_CODES[str(vals[np.argmax(cnt)])]
        dc[site.id] = tar.demand_charge_cny_per_kw_month
        lim[site.id] = tar.export_limit_mw
        src[site.id] = tar.source
    return HourlyInputs(list(range(n)), hours, {d: float(weight[d]) for d in range(n)}, day_months,
                        out["load"], out["pv"], out["wind"], tou, period, dc, lim, src, heat_shape=out["heat"],
                        export_cny_per_mwh=exp,
                        reduction=pd.DataFrame(rows))


def slice_key(year: int, day: int, hour: int) -> str:
    return f"{year}.d{day}.h{hour:02d}"


__all__ = ["HourlyInputs", "load_tariff", "representative_days", "slice_key"]
