"""The sweep report's noise-free verdicts section: when `planner sweep verdicts` wrote verdicts.csv and
verdicts_summary.json next to the store, a table of each measure's verdict from the probes (no-regret, never,
interchangeable, depends, unproven) beside the verdict of the single returned plans, and a sentence saying what
the tolerance means and that single-plan verdicts can be solver noise (docs/robust.md §3). Verdicts of another
sweep (their digest differs from the store's) are not shown: the section says so."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ...postprocess.robust_words import VERDICT_WORD, column, localise, w
from ..common.i18n import FAMILY, pick
from ..common.render import Frames
from ..common.tables import cell
from .i18n import st

WORD = VERDICT_WORD
CLS = {"no_regret": "ok", "never": "muted"}
SHEET = {"en": "noise_free_verdicts", "zh": "排除噪声的结论"}


def read(folder: Path, digest: str | None = None) -> tuple[pd.DataFrame, dict] | None:
    """(verdicts, summary) written by `planner sweep verdicts` into `folder`, or None when absent. `digest`: the
    store's sweep digest; verdicts of another sweep (or written without a digest) give an empty frame and a
    summary with `other_sweep` (the section then says why it shows nothing)."""
    v, s = Path(folder) / "verdicts.csv", Path(folder) / "verdicts_summary.json"
    if not (v.is_file() and s.is_file()):
        return None
    summary = json.loads(s.read_text(encoding="utf-8"))
    if digest is not None and summary.get("digest") != digest:
        return pd.DataFrame(), {**summary, "other_sweep": str(summary.get("digest") or "-"), "store_digest": digest}
    return pd.read_csv(v), summary


def label(verdict: str, lang: str) -> str:
    return w(WORD[verdict], lang) if verdict in WORD else verdict


def naive(verdict: str, lang: str) -> str:
    """The single returned plans' verdict in the words of the adoption table above it."""
    return st(verdict, lang) if verdict in ("no_regret", "never", "depends") else verdict


def table(v: pd.DataFrame, s: dict, lang: str) -> dict:
    """The section: one row per measure, the noise-free verdict first."""
    rows = [[cell(str(r.measure)), cell(pick(FAMILY, r.family, lang)),
             cell(label(str(r.verdict), lang), CLS.get(str(r.verdict), "")), cell(naive(str(r.naive_verdict), lang)),
             cell(f"{r.essential} / {r.optional} / {r.never}", "n")] for r in v.itertuples()]
    head = [w("measure", lang), w("family", lang), w("verdict", lang), w("naive", lang), w("classes", lang)]
    tol = s["tolerance"]
    empty = w("other_sweep", lang, got=s["other_sweep"], want=s["store_digest"]) if "other_sweep" in s else ""
    return {"title": w("verdict_title", lang, tol=tol), "note": w("tolerance_text", lang, tol=tol), "header": head,
            "rows": rows, "empty": empty}


def sheets(v: pd.DataFrame, lang: str) -> Frames:
    """The verdicts as a workbook sheet (Chinese sheet name and headers for "zh")."""
    if v.empty:  # none, or another sweep's (table() says so)
        return {}
    if lang == "en":
        return {SHEET[lang]: v}
    zh = localise(v, lang, family=lambda f: pick(FAMILY, f, lang))
    return {SHEET[lang]: zh.rename(columns=lambda c: column(c, lang))}


__all__ = ["read", "sheets", "table"]
