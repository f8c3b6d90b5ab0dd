"""Load a scenario: read the YAML (with `extends`), apply measure templates, validate, cross-check.

Every problem becomes an InputError naming the file, the key path and what was expected.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from .checks import check_references
from .library import Library, load_library
from .scenario import Scenario, scenario_model
from .yamlio import read_yaml


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


def _loc(loc: tuple, raw: dict) -> str:
    parts: list[str] = []
    skip_tag = False
    for i, p in enumerate(loc):
        if skip_tag:
            skip_tag = False
            continue
        if isinstance(p, int):
            parts.append(f"[{p}]")
            if i > 0 and loc[i - 1] == "measures":
                skip_tag = True  # pydantic inserts the union tag after the list index
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def _format(exc: ValidationError, raw: dict, file: str) -> InputError:
    err = exc.errors()[0]
    path = _loc(err["loc"], raw)
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key (not allowed here; check spelling)"
    elif err["type"] == "missing":
        msg = "required key is missing"
    elif "input" in err and not isinstance(err["input"], dict | list):
        msg = f"{msg} (got {err['input']!r})"
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(file, path, msg)


def validate(raw: dict, file: str = "<scenario>", lib: Library | None = None) -> Scenario:
    """Validate a raw mapping into a Scenario (templates applied, references checked)."""
    lib = lib or load_library()
    raw = apply_templates(raw, lib, file)
    try:
        sc = scenario_model().model_validate(raw)
    except ValidationError as exc:
        raise _format(exc, raw, file) from None
    check_references(sc, lib, file)
    return sc


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge and validate a scenario file."""
    path = Path(path)
    raw = read_yaml(path)
    return validate(raw, str(path))


