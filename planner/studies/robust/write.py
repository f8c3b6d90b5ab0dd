"""CSV, JSON and a short markdown section (English and Chinese) for the robust studies: the stochastic
roadmap, the near-optimal alternatives and the noise-free sweep verdicts. A stand-in until the report stage
draws them (docs/robust.md lists what the report should show)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

WORDS = {
    "robust_title": {"en": "Stochastic roadmap: what to commit to before {split}",
                     "zh": "随机路线图：{split}年前需承诺的决策"},
    "objective": {"en": "Objective", "zh": "目标"},
    "expected": {"en": "expected NPV", "zh": "期望净现值"},
    "cvar": {"en": "expected NPV blended with CVaR (weight {w:g}, alpha {a:g})",
             "zh": "期望净现值与CVaR加权（权重{w:g}，置信水平{a:g}）"},
    "regret": {"en": "minimax regret against each branch's own optimum", "zh": "相对各分支自身最优的最小最大遗憾"},
    "commit_now": {"en": "Commit now (shared by every branch)", "zh": "现在承诺（所有分支共享）"},
    "nothing_now": {"en": "Nothing to build before {split}: under this objective, waiting is better.",
                    "zh": "{split}年前无需建设：在该目标下，等待更优。"},
    "continuations": {"en": "Each branch's continuation", "zh": "各分支的后续方案"},
    "evpi": {"en": "Expected value of perfect information (EVPI)", "zh": "完全信息期望价值（EVPI）"},
    "evpi_text": {"en": "what knowing the branch before {split} would save in expectation",
                  "zh": "若在{split}年前已知分支，期望可节省的成本"},
    "vss": {"en": "Value of the stochastic solution (VSS)", "zh": "随机解的价值（VSS）"},
    "vss_text": {"en": "what the plan made for the average branch would cost more",
                 "zh": "按平均分支制定的方案多出的成本"},
    "vss_inf": {"en": "the plan made for the average branch cannot be completed in some branch",
                "zh": "按平均分支制定的方案在某些分支中无法完成"},
    "branches": {"en": "Branches", "zh": "分支"},
    "alt_title": {"en": "Near-optimal roadmaps within {slack:.1%} of the least NPV",
                  "zh": "成本在最低净现值{slack:.1%}以内的近似最优路线图"},
    "measure_map": {"en": "Measure map", "zh": "措施分类"},
    "essential": {"en": "essential: in every roadmap within the slack (a plan without it costs more)",
                  "zh": "必做：松弛范围内的每条路线图都包含（不做则成本超出）"},
    "optional": {"en": "optional: interchangeable, plans with and without it lie within the slack",
                 "zh": "可选：可互换，含与不含该措施的方案都在松弛范围内"},
    "never": {"en": "never: any plan with it costs more than the slack",
              "zh": "不做：任何包含该措施的方案成本都超出松弛范围"},
    "verdict_title": {"en": "Sweep verdicts free of solver noise (tolerance {tol:.2%})",
                      "zh": "排除求解器噪声的敏感性结论（容差{tol:.2%}）"},
    "no_regret": {"en": "no-regret: essential in every variant: without it every plan costs more than the tolerance",
                  "zh": "无悔：每个变体中都必做，不做则成本超出容差"},
    "never_sweep": {"en": "never: in every variant, doing it costs more than the tolerance",
                    "zh": "不做：每个变体中，做它的成本都超出容差"},
    "interchangeable": {"en": "interchangeable: in every variant plans with and without it lie within the tolerance "
                                "(a single plan's choice is solver noise)",
                        "zh": "可互换：每个变体中含与不含该措施的方案都在容差以内（单一方案的选择属于求解器噪声）"},
    "depends": {"en": "depends on the assumptions: essential or never in some variants, not in others",
                "zh": "取决于假设：在部分变体中必做或不做，在其他变体中则不然"},
    "cny": {"en": "{x:,.0f} CNY", "zh": "{x:,.0f} 元"},
    "range": {"en": "proven between {lo:,.0f} and {hi:,.0f} CNY at the solver's gap",
              "zh": "在求解器间隙下可证明位于 {lo:,.0f} 至 {hi:,.0f} 元之间"},
    "noise": {"en": "not distinguishable from zero at the solver's gap: solve with a smaller mip_rel_gap",
              "zh": "在求解器间隙下与零无法区分：请用更小的 mip_rel_gap 求解"},
}


COLUMNS_ZH = {
    "measure": "措施", "site": "厂址", "year": "年份", "size": "规模", "unit": "单位", "capex_cny": "资本支出（元）",
    "branch": "分支", "probability": "概率", "own_npv_cny": "自身最优净现值（元）",
    "stochastic_npv_cny": "随机方案净现值（元）", "regret_cny": "遗憾（元）",
    "average_plan_npv_cny": "平均分支方案净现值（元）", "own_builds": "自身最优建设数",
    "alternative": "方案", "objective": "目标", "npv_cny": "净现值（元）", "above_least": "高于最低",
    "builds": "建设数", "measures": "措施数", "solve_seconds": "求解秒数", "family": "类别", "class": "分类",
    "proven": "已证明", "adopted_in": "采用次数", "roadmaps": "路线图数", "evidence": "依据",
    "earliest_year": "最早年份", "latest_year": "最晚年份", "verdict": "结论", "naive_verdict": "单一方案结论",
    "variants": "变体数", "adopted": "采用数", "essential": "必做", "optional": "可选", "never": "不做",
    "unproven": "未证明",
}


def w(key: str, lang: str, **kw) -> str:
    return WORDS[key][lang].format(**kw)


def _range(r: list | None, lang: str) -> str:
    """The proven range of EVPI or VSS in words; `noise` when it contains zero."""
    if r is None:
        return ""
    lo, hi = r
    return w("noise", lang) if lo <= 0 < hi else w("range", lang, lo=lo, hi=hi)


def _table(df: pd.DataFrame, lang: str = "en") -> str:
    """A markdown table; column names in Chinese for `zh` (parameter values keep their names)."""
    if df.empty:
        return ""
    cols = [COLUMNS_ZH.get(c, c) if lang == "zh" else c for c in df.columns]
    fmt = lambda v: f"{v:,.4g}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def _frames(frames: dict[str, pd.DataFrame], summary: dict, out: Path, name: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for n, f in frames.items():
        p = out / f"{n}.csv"
        f.to_csv(p, index=False)
        files.append(p)
    p = out / f"{name}.json"
    p.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return [*files, p]


def _markdown(out: Path, stem: str, langs: tuple[str, ...], page) -> list[Path]:
    """Write `page(lang)` (a list of lines) to `<stem>_<lang>.md` for each language."""
    files = []
    for lang in langs:
        p = out / f"{stem}_{lang}.md"
        p.write_text("\n".join(page(lang)), encoding="utf-8")
        files.append(p)
    return files


def _builds(df: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("branch", "measure", "site", "year", "size", "unit", "capex_cny") if c in df.columns]
    return df[cols]


def write_robust(res, out: Path, langs: tuple[str, ...]) -> list[Path]:
    s = res.summary
    files = _frames(res.frames(), s, out, "robust_summary")

    def page(lang: str) -> list[str]:
        split = s["split_year"]
        obj = w(s["objective"], lang, w=s["cvar_weight"] or 0, a=s["cvar_alpha"] or 0)
        lines = [f"# {w('robust_title', lang, split=split)}", "", f"{w('objective', lang)}: {obj}", "",
                 f"## {w('commit_now', lang)}", ""]
        now = res.commit_now
        lines.append(_table(_builds(now), lang) if len(now) else w("nothing_now", lang, split=split))
        lines += ["", f"- {w('evpi', lang)}: {w('cny', lang, x=s['evpi_cny'])} ({w('evpi_text', lang, split=split)}; "
                  f"{_range(s['evpi_range_cny'], lang)})"]
        vss = (w("cny", lang, x=s["vss_cny"]) + f" ({w('vss_text', lang)}; {_range(s['vss_range_cny'], lang)})"
               if s["vss_cny"] is not None else w("vss_inf", lang))
        lines += [f"- {w('vss', lang)}: {vss}", "", f"## {w('branches', lang)}", "", _table(res.branches, lang),
                  f"## {w('continuations', lang)}", "", _table(_builds(res.continuations), lang)]
        return lines

    return files + _markdown(out, "robust", langs, page)


def write_alternatives(res, out: Path, langs: tuple[str, ...]) -> list[Path]:
    files = _frames(res.frames(), res.summary, out, "alternatives_summary")

    def page(lang: str) -> list[str]:
        lines = [f"# {w('alt_title', lang, slack=res.summary['slack'])}", "", _table(res.overview, lang), "",
                 f"## {w('measure_map', lang)}", "", *(f"- {w(k, lang)}" for k in ("essential", "optional", "never")),
                 "", _table(res.measure_map, lang)]
        return lines

    return files + _markdown(out, "alternatives", langs, page)


def write_verdicts(res, out: Path, langs: tuple[str, ...]) -> list[Path]:
    files = _frames(res.frames(), res.summary, out, "verdicts_summary")

    def page(lang: str) -> list[str]:
        words = {"no_regret": "no_regret", "never": "never_sweep", "interchangeable": "interchangeable",
                 "depends": "depends"}
        lines = [f"# {w('verdict_title', lang, tol=res.summary['tolerance'])}", "",
                 *(f"- {w(v, lang)}" for v in words.values()), "", _table(res.verdicts, lang)]
        return lines

    return files + _markdown(out, "verdicts", langs, page)
