"""Parameter paths of a sweep: parse `measures[kind=ccus].capex_cny_per_tpa`, find every place it names in a
scenario (a path that matches nothing is an error) and apply a mode (scale, set, add, shift) there.

Grammar: segments joined by `.`; a list segment takes a selector in brackets: `[*]` every item, `[ID]` the
item with that id, `[FIELD=VALUE]` every item whose field equals VALUE (measures also match `family` by
their family, default included). Pseudo-keys: `prices.ITEM` for a library price the scenario does not set,
`carbon_price` (= internal_carbon_price.price_cny_per_t), a measure's `capex` (every `capex_cny*` field of
the measure) and a site's `growth_rate` (compound annual growth of its activity index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from .library import Library
from .scenario import Scenario
from .trajectory import interpolate
from .types import MAX_YEAR, MIN_YEAR

_SEGMENT = re.compile(r"^([A-Za-z0-9_\-]+)(?:\[([^\[\]]*)\])?$")
ALIASES = {"carbon_price": ("internal_carbon_price", "price_cny_per_t")}


@dataclass(frozen=True)
class Location:
    """One concrete place a parameter changes: keys into the scenario mapping, and how it is read."""

    keys: tuple  # dict keys and list indices from the scenario's top level
    label: str  # as a user would write it, e.g. measures[north_ccus].capex_cny_per_tpa
    library_price: str | None = None  # `prices.ITEM` absent from the scenario: its library value is the base
    growth_rate: bool = False  # a site's growth index set/changed by a compound annual rate

    def read(self, raw: dict, sc: Scenario, lib: Library) -> Any:
        node: Any = raw
        for k in self.keys[:-1]:
            node = node[k]
        last = self.keys[-1]
        if isinstance(node, dict) and last not in node:
            return lib.price(self.library_price) if self.library_price else None
        return node[last]

    def write(self, raw: dict, value: Any) -> None:
        node: Any = raw
        for k in self.keys[:-1]:
            node = node[k]
        node[self.keys[-1]] = value

    def check_mode(self, mode: str, value: Any) -> str | None:
        """Why `mode` cannot apply here (None when it can)."""
        if self.growth_rate:
            return None if mode in ("set", "add") else f"{self.label}: growth_rate takes mode set or add"
        if value is None and mode != "set":
            return f"{self.label} has no value in the base scenario to {mode}; use mode: set"
        if mode == "shift" and not isinstance(value, dict):
            return f"{self.label} is a constant; mode shift moves the years of a {{year: value}} trajectory"
        return None


def apply_mode(value: Any, mode: str, x: float, loc: Location, sc: Scenario) -> Any:
    """The new value at a location: scale (x), add (+x), set (= x, a constant), shift (years + round(x))."""
    if loc.growth_rate:
        years = [sc.base_year, *sc.years]
        old = interpolate(value, years, default=1.0) if mode == "add" else {y: 1.0 for y in years}
        return {y: old[y] * (1.0 + x) ** (y - sc.base_year) for y in years}
    if mode == "set":  # whole numbers as integers (years, lifetimes; a float field accepts them too)
        return int(round(x)) if float(x).is_integer() or (isinstance(value, int) and not isinstance(value, bool)) \
            else x
    if isinstance(value, dict):
        if mode == "shift":
            n = int(round(x))
            return {min(MAX_YEAR, max(MIN_YEAR, y + n)): v for y, v in sorted(value.items())}
        return {y: (v * x if mode == "scale" else v + x) for y, v in value.items()}
    out = value * x if mode == "scale" else value + x
    return int(round(out)) if isinstance(value, int) and not isinstance(value, bool) else out


def split_path(path: str) -> list[tuple[str, str | None]]:
    """[(key, selector or None)] of a path; dots inside brackets belong to the selector."""
    parts, depth, cur = [], 0, ""
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        m = _SEGMENT.match(p.strip())
        if not m:
            raise ValueError(f"bad segment {p!r}; expected KEY or KEY[SELECTOR] joined by dots")
        out.append((m.group(1), m.group(2)))
    return out


def _is_trajectory(v: Any) -> bool:
    return isinstance(v, dict) and bool(v) and all(isinstance(k, int) and isinstance(x, int | float)
                                                   and not isinstance(x, bool) for k, x in v.items())


def _number_like(v: Any) -> bool:
    return v is None or _is_trajectory(v) or (isinstance(v, int | float) and not isinstance(v, bool))


def _select(items: list, sel: str, key: str, sc: Scenario) -> list[int]:
    if sel == "*":
        return list(range(len(items)))
    objs = getattr(sc, key, None) if key in ("measures", "sites", "targets") else None
    if "=" in sel:
        field, want = (s.strip() for s in sel.split("=", 1))

        def val(i):
            if key == "measures" and field == "family" and objs is not None:
                return objs[i].family_name
            item = items[i]
            return str(item.get(field)) if isinstance(item, dict) and item.get(field) is not None else None

        found = [i for i in range(len(items)) if val(i) == want]
        if not found:
            have = sorted({v for i in range(len(items)) if (v := val(i)) is not None})
            raise LookupError(f"no item of {key} with {field}={want}; {field} is one of {have}")
        return found
    found = [i for i, it in enumerate(items) if isinstance(it, dict) and str(it.get("id")) == sel]
    if not found:
        ids = [str(it.get("id")) for it in items if isinstance(it, dict)]
        raise LookupError(f"no item of {key} with id {sel!r}; ids: {', '.join(ids[:40])}")
    return found


def _label(keys: tuple, raw: dict) -> str:
    out, node = "", raw
    for k in keys:
        if isinstance(k, int) and isinstance(node, list):
            item = node[k]
            out += f"[{item.get('id', k) if isinstance(item, dict) else k}]"
        else:
            out += ("." if out else "") + str(k)
        node = node[k] if (isinstance(node, list) or k in node) else None
        if node is None:
            break
    return out


def resolve_path(path: str, raw: dict, sc: Scenario, lib: Library, file: str, where: str) -> list[Location]:
    """Every location `path` names in the dumped scenario `raw`; an InputError (at `where`) when it names none
    or a place that holds no number or trajectory."""
    try:
        segs = split_path(path)
    except ValueError as exc:
        raise InputError(file, where, str(exc)) from None
    if segs[0][0] in ALIASES and segs[0][1] is None and len(segs) == 1:
        segs = [(k, None) for k in ALIASES[segs[0][0]]]
    states: list[tuple] = [()]
    out: list[Location] = []
    try:
        for n, (key, sel) in enumerate(segs):
            last = n == len(segs) - 1
            nxt = []
            for keys in states:
                node: Any = raw
                for k in keys:
                    node = node[k]
                if not isinstance(node, dict):
                    raise LookupError(f"{_label(keys, raw) or 'the scenario'} has no keys (it is a value)")
                dkey = int(key) if key.isdigit() and int(key) in node else key
                if dkey not in node:
                    if keys == ("prices",) and last and key in lib.prices.index:
                        out.append(Location(keys + (key,), f"prices.{key}", library_price=key))
                        continue
                    if last and key == "capex" and len(keys) >= 2 and keys[-2] == "measures":
                        fields = sorted(k for k, v in node.items() if k.startswith("capex_cny") and v is not None)
                        if not fields:
                            raise LookupError(f"{_label(keys, raw)} has no capex_cny* field")
                        out += [Location(keys + (f,), _label(keys + (f,), raw)) for f in fields]
                        continue
                    if last and key == "growth_rate" and len(keys) >= 2 and keys[-2] == "sites":
                        out.append(Location(keys + ("growth",), _label(keys, raw) + ".growth_rate",
                                            growth_rate=True))
                        continue
                    have = sorted(str(k) for k in node)
                    raise LookupError(f"unknown key {key!r} at {_label(keys, raw) or 'the top level'}; "
                                      f"expected one of {have[:40]}")
                child = node[dkey]
                if sel is not None:
                    if not isinstance(child, list):
                        raise LookupError(f"{_label(keys + (dkey,), raw)} is not a list; drop the [{sel}]")
                    nxt += [keys + (dkey, i) for i in _select(child, sel, key, sc)]
                elif isinstance(child, list) and not all(isinstance(x, dict) for x in child):
                    raise LookupError(f"{_label(keys + (dkey,), raw)} holds a list of values, not a number or a "
                                      "{year: value} trajectory")
                elif isinstance(child, list):
                    raise LookupError(f"{_label(keys + (dkey,), raw)} is a list; select items with "
                                      f"{key}[ID], {key}[*] or {key}[FIELD=VALUE]")
                else:
                    nxt.append(keys + (dkey,))
            states = nxt
    except LookupError as exc:
        raise InputError(file, where, f"path {path!r} matches nothing: {exc.args[0]}") from None
    for keys in states:
        loc = Location(keys, _label(keys, raw))
        value = loc.read(raw, sc, lib)
        if not _number_like(value):
            raise InputError(file, where, f"path {path!r} names {loc.label}, which holds "
                             f"{type(value).__name__}; expected a number or a {{year: value}} trajectory")
        out.append(loc)
    if not out:
        raise InputError(file, where, f"path {path!r} matches nothing")
    return out
