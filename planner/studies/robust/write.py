"""CSV, JSON and a short markdown section (English and Chinese) for the robust studies: the stochastic
roadmap, the near-optimal alternatives and the noise-free sweep verdicts; the words are those of the report
(planner/postprocess/robust_words.py, one definition). The report family planner/report/robust draws the
HTML, workbooks and decks from the same frames."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ...postprocess.robust_words import column, localise, w


def _range(r: list | None, lang: str) -> str:
    """The proven range of EVPI or VSS in words; `noise` when it contains zero."""
    if r is None:
        return ""
    lo, hi = r
    return w("noise", lang) if lo <= 0 < hi else w("range_text", lang, lo=lo, hi=hi)


def _value(col: str, v) -> str:
    """A value in the house's number format (the report's value_cell): missing as "", years as written,
    numbers to four significant figures below 10, else whole with thousands separators."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float | int) and not isinstance(v, bool) and (col == "year" or col.endswith("_year")):
        return str(int(v))
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 10 else f"{v:,.0f}"
    return str(v)


def _table(df: pd.DataFrame, lang: str = "en") -> str:
    """A markdown table; column names and generated values (classes, verdicts, yes/no, evidence, how found) in
    Chinese for `zh`; identifiers (measures, sites, families, parameter names) keep their names."""
    if df.empty:
        return ""
    shown = localise(df, lang)
    cols = [column(c, lang) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_value(c, v) for c, v in zip(df.columns, row, strict=True)) + " |"
              for row in shown.itertuples(index=False)]
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
                 f"## {w('commit_now', lang, split=split)}", ""]
        now = res.commit_now
        lines.append(_table(_builds(now), lang) if len(now) else w("nothing_now", lang, split=split))
        evpi = "; ".join(x for x in (w("evpi_text", lang, split=split), _range(s["evpi_range_cny"], lang)) if x)
        lines += ["", f"- {w('evpi', lang)}: {w('cny', lang, x=s['evpi_cny'])} ({evpi})"]
        why = "; ".join(x for x in (w("vss_text", lang), _range(s["vss_range_cny"], lang)) if x)
        vss = w("cny", lang, x=s["vss_cny"]) + f" ({why})" if s["vss_cny"] is not None else w("vss_inf", lang)
        lines += [f"- {w('vss', lang)}: {vss}", "", f"## {w('branches', lang)}", "", _table(res.branches, lang),
                  f"## {w('continuations', lang)}", "", _table(_builds(res.continuations), lang)]
        return lines

    return files + _markdown(out, "robust", langs, page)


def write_alternatives(res, out: Path, langs: tuple[str, ...]) -> list[Path]:
    files = _frames(res.frames(), res.summary, out, "alternatives_summary")

    def page(lang: str) -> list[str]:
        lines = [f"# {w('alt_title', lang, slack=res.summary['slack'])}", "", _table(res.overview, lang), "",
                 f"## {w('map', lang)}", "",
                 *(f"- {w(k + '_text', lang)}" for k in ("essential", "optional", "never", "unproven")),
                 "", _table(res.measure_map, lang)]
        return lines

    return files + _markdown(out, "alternatives", langs, page)


def write_verdicts(res, out: Path, langs: tuple[str, ...]) -> list[Path]:
    files = _frames(res.frames(), res.summary, out, "verdicts_summary")

    def page(lang: str) -> list[str]:
        lines = [f"# {w('verdict_title', lang, tol=res.summary['tolerance'])}", "",
                 *(f"- {w(v + '_text', lang)}" for v in ("no_regret", "never_sweep", "interchangeable", "depends",
                                                           "unproven_sweep")),
                 "", _table(res.verdicts, lang)]
        return lines

    return files + _markdown(out, "verdicts", langs, page)
