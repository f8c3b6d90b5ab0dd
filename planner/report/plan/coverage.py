"""Target coverages: the distinct (scope 1, scope-2 basis, scope-3 categories) the emission targets cover, the
rows of a frame inside one, and its name."""

from __future__ import annotations

import pandas as pd

from ..common.i18n import SCOPE, pick
from ..common.render import Frames


def coverage_groups(fr: Frames) -> list[tuple[bool, str, str]]:
    """Distinct (scope1, scope2 basis, scope-3 categories) covered by emission targets; scopes 1+2 market
    when there is none."""
    t = fr["targets"]
    t = t[t.type != "renewable_share"]
    groups = sorted({(bool(r.scope1), str(r.scope2), str(r.scope3) if isinstance(r.scope3, str) else "")
                     for r in t.itertuples()}, key=lambda g: (not g[0], g[1], g[2]))
    return groups or [(True, "market", "")]


def covered(df: pd.DataFrame, group: tuple[bool, str, str]) -> pd.DataFrame:
    """The rows of a frame with `scope` and `source` columns inside the coverage `group`."""
    s1, s2, s3 = group
    cats = {f"cat{int(c):02d}" for c in s3.split(",") if c}
    keep = (df.scope == "scope1") & s1
    if s2 != "none":
        keep |= df.scope == f"scope2_{s2}"
    keep |= (df.scope == "scope3") & df.source.isin(cats)
    return df[keep]


def group_label(group, lang: str) -> str:
    """The coverage in words: its scopes' names joined by " + ", scope 3 with its categories."""
    s1, s2, s3 = group
    parts = [pick(SCOPE, "scope1", lang)] if s1 else []
    if s2 != "none":
        parts.append(pick(SCOPE, f"scope2_{s2}", lang))
    if s3:
        parts.append(pick(SCOPE, "scope3", lang) + f" ({s3})")
    return " + ".join(parts)
