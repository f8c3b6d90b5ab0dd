"""The comparison page's EU CBAM table (issue 26): per scenario and exported product, over the horizon, the
tonnes exported, the embedded emissions per tonne in the first and last year, the certificates, the certificate
cost (nominal and discounted) and the discounted cost's difference from the reference. Absent (None) when the
comparison has no `cbam` frame or it is empty."""

from __future__ import annotations

import pandas as pd

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common.render import Frames
from ..common.tables import cell, missing, num, table
from .charts import all_scenarios, reference

S: dict[str, tuple[str, str]] = {
    "title": ("EU CBAM on exports", "出口欧盟的碳边境调节机制（CBAM）"),
    "note": ("Horizon totals, consolidated over sites; below the discounted cost its difference from the reference "
             "(MCNY).", "规划期合计（按合并比例）；折现成本下方为与参照情景之差（百万元）。"),
    "product": ("Product", "产品"),
    "exported": ("Exported (kt)", "出口量（千吨）"),
    "embedded": ("Embedded (tCO2e/t), {first} → {last}", "隐含排放（吨CO2e/吨），{first}→{last}"),
    "certificates": ("Certificates (ktCO2e)", "证书（千吨CO2e）"),
    "cost": ("Cost (MCNY, nominal)", "成本（百万元，名义）"),
    "disc": ("Cost (MCNY, discounted)", "成本（百万元，折现）"),
}


def say(key: str, lang: str, **kw) -> str:
    return S[key][0 if lang == "en" else 1].format(**kw)


def summary(cb: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and product: exported_t, certificates_t, cost_cny, discounted_cost_cny (horizon sums) and the
    embedded tCO2e/t of the first and last year (first_tco2e_per_t, last_tco2e_per_t)."""
    cb = cb.sort_values("year", kind="stable")
    g = cb.groupby(["scenario", "product"], sort=False)
    out = g[["exported_t", "certificates_t", "cost_cny", "discounted_cost_cny"]].sum()
    out["first_tco2e_per_t"] = g.embedded_tco2e_per_t.first()
    out["last_tco2e_per_t"] = g.embedded_tco2e_per_t.last()
    return out.reset_index()


def cbam_table(fr: Frames, lang: str) -> dict | None:
    """The CBAM table section of the comparison page (None without CBAM in any scenario)."""
    cb = fr.get("cbam")
    if cb is None or len(cb) == 0:
        return None
    cb = cb.assign(scenario=cb.scenario.astype(str))
    s = summary(cb)
    ref_cost = s[s.scenario == reference(fr)].set_index("product").discounted_cost_cny
    order = {x: i for i, x in enumerate(all_scenarios(fr))}
    s = s.assign(_o=s.scenario.map(order)).sort_values(["_o", "product"], kind="stable")
    rows = []
    for r in s.itertuples(index=False):
        ref = ref_cost.get(r.product)
        delta = "" if r.scenario == reference(fr) or ref is None or missing(ref) else format(
            (r.discounted_cost_cny - ref) * CNY_TO_MCNY, "+,.1f")
        rows.append([cell(r.scenario), cell(str(r.product)), cell(num(r.exported_t * T_TO_KT, ",.0f"), "n"),
                     cell(f"{r.first_tco2e_per_t:.2f} → {r.last_tco2e_per_t:.2f}", "n"),
                     cell(num(r.certificates_t * T_TO_KT, ",.0f"), "n"),
                     cell(num(r.cost_cny * CNY_TO_MCNY, ",.1f"), "n"),
                     cell(num(r.discounted_cost_cny * CNY_TO_MCNY, ",.1f"), "n", delta)])
    years = cb.year.astype(int)
    head = [("情景" if lang == "zh" else "Scenario"), say("product", lang), say("exported", lang),
            say("embedded", lang, first=years.min(), last=years.max()), say("certificates", lang),
            say("cost", lang), say("disc", lang)]
    return table(say("title", lang), head, rows, note=say("note", lang))
