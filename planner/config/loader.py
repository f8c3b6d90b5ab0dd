"""Read a scenario YAML: resolve `extends`, apply measure templates, validate, cross-check references.

Every problem becomes an InputError naming the file, the key path and what was expected.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import InputError
from ..library import Library, load_library
from ..trajectory import interpolate, value_at
from .measures import SITE_KINDS
from .schema import Scenario


def deep_merge(base: Any, over: Any) -> Any:
    """Merge `over` onto `base`: dicts recursively, lists of {id: ...} items by id, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    if _id_list(base) and _id_list(over):
        out = [copy.deepcopy(x) for x in base]
        index = {x["id"]: i for i, x in enumerate(out)}
        for item in over:
            if item["id"] in index:
                out[index[item["id"]]] = deep_merge(out[index[item["id"]]], item)
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(over)


def _id_list(x: Any) -> bool:
    return isinstance(x, list) and bool(x) and all(isinstance(i, dict) and "id" in i for i in x)


def read_yaml(path: Path, _seen: tuple[Path, ...] = ()) -> dict:
    """Raw mapping of a scenario file with its `extends` chain merged in."""
    path = path.resolve()
    if path in _seen:
        raise InputError(str(path), "extends", "circular extends chain")
    if not path.exists():
        raise InputError(str(path), "", "file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(str(path), where, f"invalid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict):
        raise InputError(str(path), "", "expected a mapping of scenario keys at the top level")
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str):
        raise InputError(str(path), "extends", "expected a file name (string)")
    base = read_yaml(path.parent / parent, _seen + (path,))
    base.pop("name", None)
    return deep_merge(base, raw)


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
        sc = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise _format(exc, raw, file) from None
    check_references(sc, lib, file)
    return sc


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge and validate a scenario file."""
    path = Path(path)
    raw = read_yaml(path)
    return validate(raw, str(path))


def _unique(items: list[str], file: str, where: str) -> None:
    seen = set()
    for i, x in enumerate(items):
        if x in seen:
            raise InputError(file, f"{where}[{i}].id", f"duplicate id {x!r}")
        seen.add(x)


def check_references(sc: Scenario, lib: Library, file: str) -> None:
    """Cross-field checks pydantic cannot express: ids, regions, carriers, gases, years."""
    ents = {e.id for e in sc.organisation.entities}
    _unique([e.id for e in sc.organisation.entities], file, "organisation.entities")
    _unique([s.id for s in sc.sites], file, "sites")
    _unique([m.id for m in sc.measures], file, "measures")
    _unique([t.id for t in sc.targets], file, "targets")
    if sc.organisation.reporting_entity not in ents:
        raise InputError(file, "organisation.reporting_entity",
                         f"unknown entity {sc.organisation.reporting_entity!r}")
    for i, e in enumerate(sc.organisation.entities):
        for j, o in enumerate(e.owners):
            if o.entity not in ents:
                raise InputError(file, f"organisation.entities[{i}].owners[{j}].entity",
                                 f"unknown entity {o.entity!r}")
        if e.financial_control not in (None, "joint") and e.financial_control not in ents:
            raise InputError(file, f"organisation.entities[{i}].financial_control",
                             f"expected an entity id, 'joint' or null, got {e.financial_control!r}")
        if e.operational_control is not None and e.operational_control not in ents:
            raise InputError(file, f"organisation.entities[{i}].operational_control",
                             f"expected an entity id or null, got {e.operational_control!r}")
    gases = set(lib.gwp.index)
    carriers = set(lib.carriers) | {"electricity"}
    regions = set(lib.regions) | set(sc.grid.factors)
    for i, s in enumerate(sc.sites):
        p = f"sites[{i}]"
        if s.entity not in ents:
            raise InputError(file, f"{p}.entity", f"unknown entity {s.entity!r}; expected one of {sorted(ents)}")
        if s.grid_region not in regions:
            raise InputError(file, f"{p}.grid_region", f"unknown region {s.grid_region!r}; "
                             f"expected one of {sorted(regions)}")
        for key in ("energy", "heat_efficiency"):
            for c in getattr(s, key):
                if c not in carriers or (key == "heat_efficiency" and c == "electricity"):
                    raise InputError(file, f"{p}.{key}.{c}",
                                     f"unknown fuel carrier; expected one of {sorted(carriers)}")
        for key in ("process_emissions", "fugitive_emissions"):
            for g in getattr(s, key):
                if g not in gases:
                    raise InputError(file, f"{p}.{key}.{g}", f"unknown gas; expected one of {sorted(gases)}")
    site_ids = {s.id for s in sc.sites}
    asset_ids = {m.id for m in sc.measures if hasattr(m, "lifetime")}
    fuels = set(lib.carriers)
    for i, m in enumerate(sc.measures):
        p = f"measures[{i}]"
        if m.kind in SITE_KINDS and m.site is None:
            raise InputError(file, f"{p}.site", f"{m.kind} measure needs a site")
        if m.site is not None and m.site not in site_ids:
            raise InputError(file, f"{p}.site", f"unknown site {m.site!r}; expected one of {sorted(site_ids)}")
        for r in getattr(m, "requires", []):
            if r not in asset_ids:
                raise InputError(file, f"{p}.requires", f"expected the id of a built measure (efficiency, heat, "
                                 f"generation, storage, process, CCUS, supply chain), got {r!r}")
        site_carriers = set(sc.site(m.site).energy) if m.site is not None else set()
        for c in getattr(m, "carriers", []):
            if c not in site_carriers:
                raise InputError(file, f"{p}.carriers", f"carrier {c!r} is not used at site {m.site!r} "
                                 f"(its energy has {sorted(site_carriers)})")
        tc = getattr(m, "target_carrier", None)
        if tc is not None and (tc not in fuels or tc not in site_carriers):
            raise InputError(file, f"{p}.target_carrier", f"expected a fuel or heat carrier used at site "
                             f"{m.site!r} ({sorted(site_carriers - {'electricity'})}), got {tc!r}")
        fuel = getattr(m, "fuel", None)
        if fuel is not None and fuel not in fuels:
            raise InputError(file, f"{p}.fuel", f"unknown fuel {fuel!r}")
        for c in getattr(m, "carrier_change", {}):
            if c not in site_carriers:
                raise InputError(file, f"{p}.carrier_change.{c}", f"carrier is not used at site {m.site!r}")
        for g in getattr(m, "gases", None) or []:
            if g not in gases:
                raise InputError(file, f"{p}.gases", f"unknown gas {g!r}")
        if m.kind == "supply_chain" and m.category not in sc.scope3.categories:
            raise InputError(file, f"{p}.category", f"scope-3 category {m.category} has no baseline in scope3")
    for i, t in enumerate(sc.targets):
        p = f"targets[{i}]"
        if not sc.horizon.start <= t.year <= sc.horizon.end:
            raise InputError(file, f"{p}.year", f"expected a year within the horizon "
                             f"{sc.horizon.start}-{sc.horizon.end}, got {t.year}")
        cats = t.coverage.scope3
        if cats != "all":
            for c in cats:
                if c not in sc.scope3.categories:
                    raise InputError(file, f"{p}.coverage.scope3", f"category {c} has no baseline in scope3")
        if t.type == "intensity":
            if t.intensity_per == "revenue" and sc.revenue_mcny is None:
                raise InputError(file, f"{p}.intensity_per", "revenue intensity needs revenue_mcny")
            if t.intensity_per == "revenue" and value_at(sc.revenue_mcny, sc.base_year) <= 0:
                raise InputError(file, "revenue_mcny", f"expected revenue > 0 in the base year {sc.base_year}")
            if t.intensity_per == "output":
                units = {s.output.unit for s in sc.sites if s.output is not None}
                if len(units) != 1 or any(s.output is None for s in sc.sites):
                    raise InputError(file, f"{p}.intensity_per",
                                     "output intensity needs every site's output in one unit")
                if sum(s.output.value for s in sc.sites) <= 0:
                    raise InputError(file, f"{p}.intensity_per", "output intensity needs base-year output > 0")
    _check_indices(sc, file)
    known_prices = set(lib.prices.index)
    for k in sc.prices:
        if k not in known_prices:
            raise InputError(file, f"prices.{k}", f"unknown price item; expected one of {sorted(known_prices)}")


MAX_INDEX = 1000.0


def _check_indices(sc: Scenario, file: str) -> None:
    """Growth and cost indices are normalised to their base-year value: it must be positive and the index
    must stay within 0..1000 (a larger ratio is a typo that would wreck the model's numerics)."""
    years = [sc.base_year, *sc.years]
    items = [(f"sites[{i}].growth", s.growth) for i, s in enumerate(sc.sites)]
    items += [(f"scope3.categories.{c}.growth", v.growth) for c, v in sc.scope3.categories.items()]
    items += [(f"trajectories.capex_index.{k}", v) for k, v in sc.trajectories.capex_index.items()]
    for path, traj in items:
        if traj is None:
            continue
        vals = interpolate(traj, years)
        base = vals[sc.base_year]
        if base <= 0:
            raise InputError(file, path, f"expected a positive value in the base year {sc.base_year}, got {base:g}")
        worst = max(abs(v) / base for v in vals.values())
        if worst > MAX_INDEX or min(vals.values()) < 0:
            raise InputError(file, path, f"expected values >= 0 within {MAX_INDEX:g}x the base-year value "
                             f"{base:g} (got a ratio of {worst:g})")
