"""Scenario workbooks (Excel in, Excel out): `template` writes one, `load_workbook_scenario` reads one as a
scenario, `convert` turns YAML into a workbook and back. See docs/workbook.md."""

from __future__ import annotations

from pathlib import Path

import yaml

from ...errors import InputError
from ..loader import WORKBOOK_SUFFIX, load_scenario, resolve_profiles, validate
from ..scenario import Scenario
from ..yamlio import read_yaml
from .read import cell_of, read_workbook
from .write import write_workbook

LANGS = ("en", "zh")
YAML_SUFFIXES = (".yaml", ".yml", ".json")


def load_workbook_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario workbook; a problem names the sheet and cell (`sites!D7: ...`)."""
    path = Path(path)
    raw, where = read_workbook(path)
    resolve_profiles(raw, path)
    try:
        return validate(raw, str(path))
    except InputError as exc:
        cell = cell_of(exc.path, where)
        if cell is None:
            raise
        raise InputError(exc.file, f"{cell} ({exc.path})", exc.message) from None


def read_raw(path: str | Path, root: str | Path | None = None) -> dict:
    """The raw mapping of a scenario file or workbook (`extends` merged, templates not applied), checked to be a
    valid scenario first."""
    path = Path(path)
    load_scenario(path, root)
    if path.suffix.lower() == WORKBOOK_SUFFIX:
        return read_workbook(path)[0]
    return read_yaml(path, root)


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise InputError("--lang", "", f"expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def template(out: str | Path, lang: str = "en", scenario: str | Path | None = None,
             root: str | Path | None = None) -> Path:
    """Write a scenario workbook to `out`: empty, or filled with `scenario` (a YAML file or a workbook)."""
    out = Path(out)
    if out.suffix.lower() != WORKBOOK_SUFFIX:
        raise InputError(str(out), "", f"expected a workbook name ending in {WORKBOOK_SUFFIX}")
    raw = read_raw(scenario, root) if scenario is not None else None
    lang = _lang(lang)
    try:
        return write_workbook(raw, out, lang)
    except OSError as exc:
        raise InputError(str(out), "", f"cannot write the workbook ({exc.strerror or type(exc).__name__})") from None


def scenario_yaml(raw: dict, source: str = "") -> str:
    """A raw scenario mapping as YAML text (leaf mappings and lists in flow style)."""
    head = f"# converted from {Path(source).name} by `planner convert`\n" if source else ""
    return head + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120)


def convert(src: str | Path, dst: str | Path, lang: str = "en", root: str | Path | None = None) -> Path:
    """Convert a scenario between YAML and a workbook, by the suffix of `dst` (.xlsx or .yaml/.yml). The source
    is validated first; the result validates to the same scenario."""
    src, dst = Path(src), Path(dst)
    suffix = dst.suffix.lower()
    if suffix == WORKBOOK_SUFFIX:
        return template(dst, lang, src, root)
    if suffix not in YAML_SUFFIXES[:2]:
        raise InputError(str(dst), "", f"expected a file name ending in {WORKBOOK_SUFFIX}, .yaml or .yml")
    raw = read_raw(src, root)
    try:
        dst.write_text(scenario_yaml(raw, str(src)), encoding="utf-8")
    except OSError as exc:
        raise InputError(str(dst), "", f"cannot write the file ({exc.strerror or type(exc).__name__})") from None
    return dst


__all__ = ["convert", "load_workbook_scenario", "read_raw", "read_workbook", "scenario_yaml", "template",
           "write_workbook"]
