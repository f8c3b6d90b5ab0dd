"""One sentence of cause per compared scenario, from the comparison's frames only: which measures abate more
(or are new) instead of which, because which inputs changed, and what it does to emissions and cash NPV.

    "2.2x the Green electricity certificates volume (1,044 → 2,431 kt abated) and Induction melting (new,
    950 kt abated) instead of Biomass boiler (dropped, 162 kt abated), because the ETS price changed ..."

Measures are judged by their horizon abatement (roadmap frame, `abatement_tco2e`) and, for purchases, by the
volume bought (`volume`); inputs by the rows of the inputs frame."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common.i18n import tr
from ..common.render import Frames
from .charts import feasible, reference, site_text

SHARE = 0.05  # a measure is named when its abatement change is at least 5% of the largest change
MOST = 2  # measures named per side


@dataclass
class Change:
    """One measure's difference from the reference (abatement in tCO2e over the horizon)."""

    site: str
    measure: str
    name: str
    name_zh: str
    before: float
    after: float
    adopted_before: bool
    adopted_after: bool
    volume_ratio: float = math.nan  # volume bought in the scenario / in the reference (purchases)

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class Cause:
    """The facts one scenario's sentence states."""

    scenario: str
    reference: str
    more: list[Change] = field(default_factory=list)
    less: list[Change] = field(default_factory=list)
    inputs: list[tuple[str, str, str]] = field(default_factory=list)  # (path, reference value, value)
    emissions_delta: float = math.nan  # cumulative emissions, tCO2e
    npv_delta: float = math.nan  # cash NPV, CNY


def _changes(fr: Frames, ref: str, s: str) -> list[Change]:
    r = fr["roadmap"].assign(scenario=fr["roadmap"].scenario.astype(str))
    if "abatement_tco2e" not in r:
        return []
    out = []
    for (site, measure), g in r.groupby(["site", "measure"], sort=False):
        g = g.drop_duplicates("scenario").set_index("scenario")
        if ref not in g.index or s not in g.index:
            continue
        a, b = g.loc[ref], g.loc[s]
        va, vb = (float(a.get("volume", math.nan)), float(b.get("volume", math.nan)))
        ratio = vb / va if va > 0 and not math.isnan(vb) else math.nan
        zh = str(a.name_zh) if isinstance(a.name_zh, str) and a.name_zh else str(a["name"])
        out.append(Change(str(site), str(measure), str(a["name"]), zh, float(a.abatement_tco2e or 0.0),
                          float(b.abatement_tco2e or 0.0), bool(a.adopted), bool(b.adopted), ratio))
    return out


def _named(changes: list[Change], largest: float) -> list[Change]:
    """The largest changes of one side, at most MOST, none under SHARE of the largest change of either side."""
    picked: list[Change] = []
    total = sum(abs(c.delta) for c in changes)
    for c in sorted(changes, key=lambda c: -abs(c.delta)):
        if len(picked) == MOST or abs(c.delta) < SHARE * largest or (
                picked and sum(abs(x.delta) for x in picked) >= 0.75 * total):
            break
        picked.append(c)
    return picked


def _kpi_delta(fr: Frames, s: str, kpi: str) -> float:
    k = fr["kpis"]
    v = k.loc[(k.scenario.astype(str) == s) & (k.kpi == kpi), "delta"]
    return float(v.iloc[0]) if len(v) else math.nan


def cause(fr: Frames, s: str) -> Cause:
    """The facts of scenario s against the reference."""
    ref = reference(fr)
    ch = [c for c in _changes(fr, ref, s) if abs(c.delta) >= 0.5]
    largest = max((abs(c.delta) for c in ch), default=0.0)
    i = fr["inputs"]
    i = i[i.scenario.astype(str) == s]
    return Cause(s, ref, _named([c for c in ch if c.delta > 0], largest),
                 _named([c for c in ch if c.delta < 0], largest),
                 [(str(p), str(a), str(b)) for p, a, b in zip(i.path, i.reference_value, i.value, strict=True)],
                 _kpi_delta(fr, s, "cumulative_emissions"), _kpi_delta(fr, s, "cash_npv"))


def _kt(t: float) -> str:
    return f"{t * T_TO_KT:,.0f}"


def _item(c: Change, lang: str, dup: set[str]) -> str:
    name = c.name_zh if lang == "zh" else c.name
    if name in dup:
        name += f" ({site_text(c.site, lang)})"
    a, b = _kt(c.before), _kt(c.after)
    if not c.adopted_before:
        return tr("cau_new", lang, name=name, b=b)
    if not c.adopted_after:
        return tr("cau_dropped", lang, name=name, a=a)
    if not math.isnan(c.volume_ratio) and abs(c.volume_ratio - 1) > 0.05:
        return tr("cau_volume", lang, name=name, r=c.volume_ratio, a=a, b=b)
    return tr("cau_more" if c.delta > 0 else "cau_less", lang, name=name, a=a, b=b)


TOPICS = [  # input path pattern -> text key (its groups fill the text)
    (r"prices\.ets(\[.*)?", "cau_in_ets"), (r"prices\.ccer(\[.*)?", "cau_in_ccer"),
    (r"prices\.([a-z_]+)(\[.*)?", "cau_in_price"), (r"internal_carbon_price\..*", "cau_in_icp"),
    (r"measures\[([^\]]+)\]\.enabled", "cau_in_enabled"), (r"measures\[([^\]]+)\].*", "cau_in_measure"),
    (r"targets\[([^\]]+)\].*", "cau_in_target"), (r"ets\..*", "cau_in_ets_rules"),
]


def _topics(inputs: list[tuple[str, str, str]], lang: str) -> list[str]:
    """The changed inputs as phrases, one per topic, in the order of the inputs frame; a price series with its
    latest changed year ("the ETS price changed (2050: 350 → 800 CNY/t)")."""
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for path, a, b in inputs:
        key, x = "cau_in_other", path
        for pat, k in TOPICS:
            m = re.fullmatch(pat, path)
            if m:
                key, x = k, (m.group(1) or "") if m.groups() and k != "cau_in_ets" and k != "cau_in_ccer" else ""
                break
        if key == "cau_in_enabled" and b == "false":
            key = "cau_in_disabled"
        year = re.search(r"\[(\d{4})\]$", path)
        found[key, x] = (year.group(1) if year else "", a, b)  # the last row of a topic: its latest year
    out = []
    for (key, x), (year, a, b) in found.items():
        phrase = tr(key, lang, x=x)
        if key in ("cau_in_ets", "cau_in_ccer", "cau_in_icp") and year:
            phrase += tr("cau_in_values", lang, year=year, a=a, b=b)
        out.append(phrase)
    return out


def _join(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sentence(c: Cause, lang: str, dup: set[str] = frozenset()) -> str:
    """The cause of a scenario as one sentence: "X instead of Y, because Z changed; effect"."""
    more = _join([_item(x, lang, dup) for x in c.more], lang) if c.more else ""
    less = _join([_item(x, lang, dup) for x in c.less], lang) if c.less else ""
    what = (tr("cau_instead", lang, more=more, less=less) if more and less else more or less
            or tr("cau_same", lang, ref=c.reference))
    topics = _topics(c.inputs, lang)
    why = tr("cau_because", lang, topics=_join(topics, lang)) if topics else tr("cau_no_inputs", lang)
    effect = ""
    if not (math.isnan(c.emissions_delta) or math.isnan(c.npv_delta)):
        effect = tr("cau_effect", lang, e=c.emissions_delta * T_TO_KT, npv=c.npv_delta * CNY_TO_MCNY)
    text = tr("cau_sentence", lang, what=what, why=why, effect=effect)
    return text[0].upper() + text[1:] if lang == "en" else text


def sentences(fr: Frames, lang: str) -> list[tuple[str, str]]:
    """(scenario, sentence) for every feasible scenario but the reference; none from a roadmap frame without
    the abatement per measure (an older comparison)."""
    ref = reference(fr)
    if "abatement_tco2e" not in fr["roadmap"]:
        return []
    names = fr["roadmap"].drop_duplicates(["site", "measure"])
    col = "name_zh" if lang == "zh" and "name_zh" in names else "name"
    counts = names[col].astype(str).value_counts()
    dup = set(counts[counts > 1].index)
    return [(s, sentence(cause(fr, s), lang, dup)) for s in feasible(fr) if s != ref]
