"""The rows of the store's `parameter_effects` table read back (no model, no solver: the report uses it):
which parameters change nothing, the warning each gets, and one summary row per parameter."""

from __future__ import annotations

import pandas as pd


class SweepWarning(UserWarning):
    """A swept parameter changes nothing in the model (issued by run_sweep before solving)."""


SUMMARY_COLUMNS = ["parameter", "path", "values_checked", "changes_model", "difference", "warning"]


def without_effect(effects: pd.DataFrame) -> list[str]:
    """Parameters that change the model at none of their checked values (all checked, none invalid)."""
    if effects.empty:
        return []
    ch = effects.changes_model.astype("boolean")
    g = pd.DataFrame({"p": effects.parameter, "no": ch.eq(False).fillna(False)}).groupby("p", sort=False).no.all()
    return [p for p, none in g.items() if none]


def warning_text(parameter: str, path: str, values: list[float], unread: str = "") -> str:
    """The warning of a parameter that changes nothing (the run's, the API's and the report's)."""
    at = ", ".join(f"{v:g}" for v in values)
    what = f"the model inputs it reads at {at} (only unread entries of {unread} changed)" if unread \
        else f"the model inputs at {at}"
    return (f"parameter {parameter} ({path}) did not change {what}: its variants solve the base model, so "
            "its results show no effect; check the path and the range")


def warnings_of(effects: pd.DataFrame, paths: dict[str, str]) -> list[str]:
    """One warning per parameter without effect, in parameter order."""
    out = []
    for p in without_effect(effects):
        e = effects[effects.parameter == p]
        unread = ", ".join(sorted({x for x in e.inputs_difference if x}))
        out.append(warning_text(p, paths.get(p, p), list(e.value), unread))
    return out


def summary(effects: pd.DataFrame, paths: dict[str, str]) -> pd.DataFrame:
    """Per parameter (store order): the values checked, whether any changes the model (NA: not known, e.g.
    a store written before the check existed or an invalid value), the first difference and the warning."""
    rows = []
    warn = dict(zip(without_effect(effects), warnings_of(effects, paths), strict=True))
    for p, e in effects.groupby("parameter", sort=False):
        ch = e.changes_model.astype("boolean")
        changes = True if ch.eq(True).any() else False if p in warn else pd.NA
        diff = next((x for x in e.model_difference if x), "") or next((x for x in e.inputs_difference if x), "")
        rows.append(dict(parameter=p, path=paths.get(p, p), values_checked=", ".join(f"{v:g}" for v in e.value),
                         changes_model=changes, difference=diff, warning=warn.get(p, "")))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype({"changes_model": "boolean"})
