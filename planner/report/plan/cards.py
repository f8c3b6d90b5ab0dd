"""The report's emission summary cards: every figure says what it covers. The total (scopes 1+2+3) next to the
emissions the targets cover (one card per target coverage, with its targets), so that scope 3 growing beside
"all targets met" reads as what it is."""

from __future__ import annotations

from ..common.render import Frames
from .coverage import coverage_groups, covered, group_label

C: dict[str, tuple[str, str]] = {
    "total": ("Total emissions {base} → {end}, scopes 1+2+3 (market-based), all sites",
              "总排放 {base}→{end}年，范围一+二+三（市场法），全部工厂"),
    "covered": ("{cov}, {base} → {end}: covered by {targets}", "{cov}，{base}→{end}年：目标 {targets} 的覆盖范围"),
    "met": ("Target milestones met", "目标节点达成"),
    "k_of_n": ("{k} of {n}", "{k} / {n}"),
    "sep": (", ", "、"),
    "intensity": (" (intensity target)", "（强度目标）"),
}


def _say(key: str, lang: str, **kw) -> str:
    return C[key][0 if lang == "en" else 1].format(**kw)


def _change(a: float, b: float) -> str:
    """'903,550 → 986,055 tCO2e (+9%)'."""
    rel = f" ({100 * (b - a) / a:+.0f}%)" if a > 0 else ""
    return f"{a:,.0f} → {b:,.0f} tCO2e{rel}"


def emission_cards(fr: Frames, lang: str) -> list[dict[str, str]]:
    """Cards (label, value): total emissions base year -> last year, each target coverage's, milestones met."""
    bau, em, t = fr["bau"], fr["emissions"], fr["targets"]
    base, end = int(bau.year.min()), int(em.year.max())
    b0 = bau[(bau.year == base) & (bau.scope != "scope2_location")].tco2e.sum()
    e1 = em[(em.year == end) & (em.scope != "scope2_location")].plan_tco2e.sum()
    cards = [{"label": _say("total", lang, base=base, end=end), "value": _change(b0, e1)}]
    emission_targets = t[t.type != "renewable_share"]
    for g in coverage_groups(fr):
        mine = emission_targets[(emission_targets.scope1 == g[0]) & (emission_targets.scope2 == g[1])
                                & (emission_targets.scope3.fillna("").astype(str) == g[2])]
        kinds = mine.groupby("target").type.first()
        if kinds.empty:
            continue
        ids = [tid + (_say("intensity", lang) if kind == "intensity" else "") for tid, kind in kinds.items()]
        b = covered(bau[bau.year == base], g).tco2e.sum()
        e = covered(em[em.year == end], g).plan_tco2e.sum()
        cards.append({"label": _say("covered", lang, cov=group_label(g, lang), base=base, end=end,
                                    targets=_say("sep", lang).join(ids)),
                      "value": _change(b, e)})
    ms = t[t.milestone]
    cards.append({"label": _say("met", lang), "value": _say("k_of_n", lang, k=int(ms.met.sum()), n=len(ms))})
    return cards
