"""What the workbook writer and reader share: the column keys of each table form, the library lists and notes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

from ..library import data_dir, load_library
from ..measure import MEASURE_KINDS
from ..yamlio import decode, read_bytes
from .shape import Table
from .words import unit_of

MARK = "#"  # column A of a table's (hidden) key row: "#<table id>"
NOTES, KEY, LABEL, UNIT, YEAR, VALUE = "@notes", "@key", "@label", "@unit", "year", "value"
PARENT = "@parent:"  # + the parent table's id


def keys_of(t: Table) -> list[str]:
    """Column keys of a table from column B on (the key row)."""
    parents = [PARENT + p for p in t.parents]
    if t.form == "fields":
        return [LABEL, VALUE, UNIT, NOTES]
    if t.form == "rows":
        return [*parents, *(c.key for c in t.columns), NOTES]
    if t.form == "models":
        return [*parents, KEY, *(c.key for c in t.columns), NOTES]
    if t.form == "map":
        return [*parents, KEY, VALUE, UNIT, NOTES]
    if t.form == "series":
        return [*parents, YEAR, VALUE, NOTES]
    return [*parents, KEY, YEAR, VALUE, UNIT, NOTES]  # map_series


def rel_path(t: Table) -> list[str]:
    """Path of the table's value inside its parent's item (or from the scenario root)."""
    base = t.parents[-1] + "." if t.parents else ""
    return t.id[len(base):].split(".")


@dataclass(frozen=True)
class Ref:
    """A library row cited in a notes cell: what it says and its source in both languages."""

    text: str
    source: str
    source_zh: str


def _csv(name: str) -> list[dict[str, str]]:
    path = data_dir() / name
    return list(csv.DictReader(io.StringIO(decode(read_bytes(path, str(path), "CSV file"), str(path)))))


@cache
def _refs(folder: str) -> dict[str, dict[str, Ref]]:
    out: dict[str, dict[str, Ref]] = {"prices": {}, "carriers": {}, "gases": {}, "regions": {}}
    for r in _csv("prices.csv"):
        out["prices"][r["item"]] = Ref(f"{r['value']} {r['unit']} ({r['year']})", r["source"], r["source_zh"])
    for r in _csv("carriers.csv"):
        out["carriers"][r["carrier"]] = Ref(f"{r['unit']}, {r['co2_t_per_mwh']} tCO2/MWh", r["source"], r["source_zh"])
    for r in _csv("gwp.csv"):
        out["gases"][r["gas"]] = Ref(f"GWP AR5 {r['AR5']}, AR6 {r['AR6']}", r["source"], r["source_zh"])
    latest: dict[str, dict[str, str]] = {}
    for r in _csv("grid_factors.csv"):
        if r["region"] not in latest or int(r["year"]) > int(latest[r["region"]]["year"]):
            latest[r["region"]] = r
    for k, r in latest.items():
        out["regions"][k] = Ref(f"{r['tco2_per_mwh']} tCO2/MWh ({r['year']})", r["source"], r["source_zh"])
    return out


def refs() -> dict[str, dict[str, Ref]]:
    return _refs(str(data_dir()))


def note(group: str, key: object, lang: str) -> str:
    """Notes cell citing the library default of `key` in `group` (prices, carriers, gases, regions)."""
    ref = refs()[group].get(str(key))
    if ref is None:
        return ""
    default = "默认值" if lang == "zh" else "default"
    return f"{default} {ref.text}: {ref.source_zh if lang == 'zh' else ref.source}"


KEY_GROUP = {  # the library list of a dict's keys, by field name (others: guessed from the name below)
    "energy": "carriers", "heat_efficiency": "carriers", "carrier_change": "carriers", "emission_factors": "carriers",
    "energy_per_t": "carriers", "inputs_per_t": "carriers", "process_emissions": "gases",
    "fugitive_emissions": "gases", "process_emissions_per_t": "gases", "prices": "prices", "factors": "regions",
}


def key_group(t: Table) -> str | None:
    """Which library list a table's dict keys come from (by the field's name)."""
    n = t.name
    if n in KEY_GROUP:
        return KEY_GROUP[n]
    if "price" in n:
        return "prices"
    if n in ("factors",) or "region" in n:
        return "regions"
    if "emission" in n or n == "gases":
        return "gases"
    if "energy" in n or "carrier" in n or "efficiency" in n or n.endswith("_per_t"):
        return "carriers"
    return None


def lists() -> dict[str, list[str]]:
    """Drop-down lists from the library: grid regions, carriers (with electricity), gases, templates, kinds."""
    lib = load_library()
    return {"regions": lib.regions, "carriers": ["electricity", *sorted(lib.carriers)],
            "gases": sorted(lib.gwp.index), "templates": sorted(lib.templates), "kinds": sorted(MEASURE_KINDS),
            "prices": sorted(lib.prices.index)}


# the drop-down of a column, by its field name: a library list or the ids of a table
COLUMN_LIST = {"grid_region": "regions", "target_carrier": "carriers", "fuel": "carriers", "template": "templates",
               "kind": "kinds"}
COLUMN_IDS = {"site": "sites", "entity": "organisation.entities", "reporting_entity": "organisation.entities",
              "financial_control": "organisation.entities", "operational_control": "organisation.entities"}


def map_unit(t: Table, key: object, lang: str) -> str:
    """Unit of a dict's value for one key: a price item's library unit, a carrier's unit (electricity MWh) for
    energy amounts, else the field's unit."""
    group = key_group(t)
    if group == "prices" and (ref := refs()["prices"].get(str(key))):
        return ref.text.split(" ", 1)[1].rsplit(" (", 1)[0]
    per_t = t.name.endswith("_per_t")  # amounts per t of product (route energy and inputs)
    if group == "carriers" and ("energy" in t.name or per_t):
        ref = refs()["carriers"].get(str(key))
        unit = "MWh" if key == "electricity" else ref.text.split(",")[0] if ref else "t" if per_t else ""
        return unit + ("/t" if unit and per_t else "")
    return unit_of(t.name, lang, t.value_leaf.unit if t.value_leaf else "")
