"""Load a scenario: read the YAML (with `extends`), apply measure templates, validate, cross-check.

Every problem becomes an InputError naming the file, the key path and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from .checks import check_references
from .library import Library, load_library
from .scenario import Scenario, scenario_model
from .yamlio import check_tree, read_yaml

MAX_ECHO_CHARS = 60  # a bad value is quoted in the message up to this many characters


def apply_templates(raw: dict, lib: Library, file: str) -> dict:
    """Fill each measure from its library template; the scenario's keys override."""
    measures = raw.get("measures") or []
    if not isinstance(measures, list):
        raise InputError(file, "measures", "expected a list of measures")
    out = []
    for i, m in enumerate(measures):
        if not isinstance(m, dict):
            raise InputError(file, f"measures[{i}]", "expected a mapping")
        tpl = m.get("template")
        if tpl is not None:
            if not isinstance(tpl, str) or tpl not in lib.templates:
                raise InputError(file, f"measures[{i}].template",
                                 f"unknown template {tpl!r}; expected one of {sorted(lib.templates)}")
            base = dict(lib.templates[tpl])
            if "name" in m and "name_zh" not in m:
                base.pop("name_zh", None)  # a renamed measure must not keep the template's Chinese name
            m = {**base, **m}
        elif "kind" not in m:
            raise InputError(file, f"measures[{i}]", "expected `template` or `kind`")
        out.append(m)
    return {**raw, "measures": out}


def _loc(loc: tuple, raw: dict, missing: bool = False) -> str:
    """Key path of a pydantic error location as the user wrote it: list indices in brackets, and the
    labels pydantic inserts (union members such as `float`, measure kinds) left out by walking the raw
    mapping alongside."""
    parts: list[str] = []
    node: object = raw
    for i, p in enumerate(loc):
        if isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            parts.append(f"[{p}]")
            node = node[p]
            continue
        if isinstance(node, dict):
            key = p if p in node else int(p) if isinstance(p, str) and p.isdigit() and int(p) in node else \
                str(p) if isinstance(p, int) and not isinstance(p, bool) and str(p) in node else None
            if key is not None:
                parts.append(("." if parts else "") + str(key))
                node = node[key]
                continue
            if missing and i == len(loc) - 1:
                parts.append(("." if parts else "") + str(p))
        # anything else is a label pydantic inserted (union member, discriminator tag): not part of the path
    return "".join(parts)


def _echo(value: object) -> str:
    """A bad value as YAML writes it (true, null), cut to MAX_ECHO_CHARS."""
    text = {True: "true", False: "false", None: "null"}.get(value, "") if isinstance(value, bool | None) else ""
    text = text or repr(value)
    return text if len(text) <= MAX_ECHO_CHARS else text[:MAX_ECHO_CHARS - 1] + "…"


def _format(exc: ValidationError, raw: dict, file: str) -> InputError:
    err = exc.errors()[0]
    path = _loc(err["loc"], raw, err["type"] == "missing")
    if err["type"] == "trajectory_point":  # a bad {year: value} point: name the year in the key path
        path += f".{err['ctx']['year']}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err["type"] == "extra_forbidden":
        msg = "unknown key (not allowed here; check spelling)"
    elif err["type"] == "string_pattern_mismatch":
        msg = "expected an id of letters, digits and _ . - (not starting with . or -)"
    elif err["type"] == "missing":
        msg = "required key is missing"
    elif "input" in err and not isinstance(err["input"], dict | list):
        msg = f"{msg} (got {_echo(err['input'])})"
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(file, path, msg)


_EXP_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


def _yaml12_numbers(node: Any) -> Any:
    """Numbers written with an exponent (`1.2e6`), which YAML 1.1 readers such as `yaml.safe_load` leave as
    strings, as floats (the planner's own reader already reads them as YAML 1.2 does)."""
    if isinstance(node, dict):
        return {k: _yaml12_numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_yaml12_numbers(v) for v in node]
    if isinstance(node, str) and len(node) < 40 and _EXP_FLOAT.match(node):
        return float(node.replace("_", ""))
    return node


def validate(raw: dict, file: str = "<scenario>", lib: Library | None = None) -> Scenario:
    """Validate a raw mapping into a Scenario (templates applied, references checked)."""
    lib = lib or load_library()
    if not isinstance(raw, dict):
        raise InputError(file, "", "expected a mapping of scenario keys at the top level")
    check_tree(raw, file)
    raw = _yaml12_numbers(raw)
    measures = raw.get("measures")
    # a template's cost_index (e.g. `pv`) may stay undefined (index 1); one the scenario names must exist
    explicit = [i for i, m in enumerate(measures) if isinstance(m, dict) and "cost_index" in m] \
        if isinstance(measures, list) else []
    raw = apply_templates(raw, lib, file)
    try:
        sc = scenario_model().model_validate(raw)
    except ValidationError as exc:
        raise _format(exc, raw, file) from None
    check_references(sc, lib, file)
    indices = sc.trajectories.capex_index
    for i in explicit:
        name = getattr(sc.measures[i], "cost_index", None)
        if name is not None and name not in indices:
            raise InputError(file, f"measures[{i}].cost_index", f"unknown cost index {name!r}; expected a key of "
                             f"trajectories.capex_index {sorted(indices)}")
    return sc


def load_scenario(path: str | Path, root: str | Path | None = None) -> Scenario:
    """Read, merge and validate a scenario file. `extends` may only name files inside `root` (default: the
    scenario's own folder)."""
    path = Path(path)
    if path.suffix.lower() == WORKBOOK_SUFFIX:  # a scenario workbook (docs/workbook.md)
        from .workbook import load_workbook_scenario

        return load_workbook_scenario(path)
    raw = read_yaml(path, root)
    resolve_profiles(raw, path)
    return validate(raw, str(path))


WORKBOOK_SUFFIX = ".xlsx"


PROFILE_KEYS = ("load", "pv", "wind", "heat", "grid_factor")  # hourly profiles: "typical" (or "flat") or a CSV path


def resolve_profiles(raw, path: Path) -> None:
    """Profile CSV paths of `time.sites` are relative to the scenario file's folder (not the working
    directory); a missing file is an input error naming the key."""
    time = raw.get("time") if isinstance(raw, dict) else None
    days = time.get("days_file") if isinstance(time, dict) else None
    if isinstance(days, str):
        csv = Path(days) if Path(days).is_absolute() else path.resolve().parent / days
        if not csv.is_file():
            raise InputError(str(path), "time.days_file", f"file {days!r} not found (relative to the scenario "
                             f"file's folder); expected a CSV of given representative days")
        time["days_file"] = str(csv)
    sites = time.get("sites") if isinstance(time, dict) else None
    if not isinstance(sites, dict):
        return
    for sid, hourly in sites.items():
        if not isinstance(hourly, dict):
            continue
        for kind in PROFILE_KEYS:
            spec = hourly.get(kind)
            if not isinstance(spec, str) or spec in ("typical", "flat"):
                continue
            csv = Path(spec) if Path(spec).is_absolute() else path.resolve().parent / spec
            if not csv.is_file():
                raise InputError(str(path), f"time.sites.{sid}.{kind}", f"profile file {spec!r} not found "
                                 f"(relative to the scenario file's folder); expected a CSV of 8,760 values "
                                 f"or 'typical'")
            hourly[kind] = str(csv)


