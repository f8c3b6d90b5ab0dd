"""JSON Schema of scenario and sweep files, generated from the pydantic models (for editors: completion, inline
errors). `planner schema` writes it; the bundled copies (scenario.schema.json, sweep.schema.json next to this
module) are checked by a test to equal a fresh generation, so regenerate them when a model changes:

    planner schema --out planner/schemas/scenario.schema.json
    planner schema --sweep --out planner/schemas/sweep.schema.json

What the generic pydantic export misses is added here: trajectories (a number or a {year: number} mapping, with
the type's range and unit), `extends`, measures given by a library `template` (the kind and the required
parameters come from the template), and descriptions with units read from the field names.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .library import load_library
from .measure import MEASURE_KINDS
from .scenario import scenario_model
from .types import MAX_YEAR, MIN_YEAR
from .workbook.shape import func_bounds
from .workbook.words import unit_of

HERE = Path(__file__).resolve().parent
BUNDLED = {"scenario": HERE / "scenario.schema.json", "sweep": HERE / "sweep.schema.json"}
DRAFT = "http://json-schema.org/draft-07/schema#"  # what editors support fully (YAML language server)
YEAR_KEY = "^(199[0-9]|20[0-9][0-9]|2100)$"
assert (MIN_YEAR, MAX_YEAR) == (1990, 2100), "update YEAR_KEY"


def trajectory_schema(lo: float, hi: float, unit: str) -> dict:
    num = {"type": "number", "minimum": lo, "maximum": hi}
    u = f" ({unit})" if unit else ""
    return {"anyOf": [num, {"type": "object", "minProperties": 1, "propertyNames": {"pattern": YEAR_KEY},
                            "additionalProperties": num}],
            "description": f"a number{u} or {{year: number}} points, linearly interpolated; range {lo:g}..{hi:g}"}


class _Gen(GenerateJsonSchema):
    """pydantic's generator, with trajectories (a plain validator) given their real shape."""

    def function_plain_schema(self, schema):  # noqa: D102
        bounds = func_bounds(schema.get("function", {}).get("function"))
        return trajectory_schema(*bounds) if bounds else super().function_plain_schema(schema)


def _describe(node: Any) -> None:
    """Add a unit to each property's description where the field name tells it (`capex_cny_per_kw`: CNY/kW)."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                unit = unit_of(name, "en")
                if isinstance(sub, dict) and unit and "description" not in sub:
                    sub["description"] = unit
        for v in node.values():
            _describe(v)
    elif isinstance(node, list):
        for v in node:
            _describe(v)


def _measure_items(defs: dict, kinds: dict[str, str]) -> dict:
    """A measure: `kind` picks its schema; a `template` (without `kind`) takes the template's kind, whose
    required parameters the template supplies (so only `id` is required)."""
    lib = load_library()
    rules = []
    for kind, ref in sorted(kinds.items()):
        full = defs[ref]
        partial = ref + "_from_template"
        defs[partial] = {**copy.deepcopy(full), "required": [r for r in full.get("required", []) if r == "id"]}
        defs[partial]["properties"]["kind"] = {"const": kind}
        rules.append({"if": {"required": ["kind"], "properties": {"kind": {"const": kind}},
                             "not": {"required": ["template"]}}, "then": {"$ref": f"#/$defs/{ref}"}})
        rules.append({"if": {"required": ["kind", "template"], "properties": {"kind": {"const": kind}}},
                      "then": {"$ref": f"#/$defs/{partial}"}})
        for tpl, params in sorted(lib.templates.items()):
            if params["kind"] == kind:
                rules.append({"if": {"required": ["template"], "properties": {"template": {"const": tpl}},
                                     "not": {"required": ["kind"]}}, "then": {"$ref": f"#/$defs/{partial}"}})
    return {"type": "object", "required": ["id"],
            "properties": {"kind": {"enum": sorted(kinds)}, "template": {"enum": sorted(lib.templates)}},
            "anyOf": [{"required": ["kind"]}, {"required": ["template"]}], "allOf": rules,
            "description": "a measure: `kind` with its parameters, or a library `template` (data/measure_library.csv) "
                           "whose parameters the keys given here override"}


def scenario_schema() -> dict:
    """JSON Schema of a scenario file."""
    s = scenario_model().model_json_schema(schema_generator=_Gen)
    defs = s["$defs"]
    kinds = {k: cls.__name__ for k, cls in MEASURE_KINDS.items()}
    s["properties"]["measures"] = {"type": "array", "items": _measure_items(defs, kinds),
                                   "description": s["properties"]["measures"].get("description", "abatement measures")}
    s["properties"]["extends"] = {"type": "string", "description": "a parent scenario file (relative path) whose "
                                  "keys this file overrides"}
    regions = load_library().regions
    if "Site" in defs and "grid_region" in defs["Site"]["properties"]:
        defs["Site"]["properties"]["grid_region"]["examples"] = regions
    _describe(s)
    # a file with `extends` holds only what it changes: the same keys, none required
    defs = s.pop("$defs")
    full = {k: v for k, v in s.items()}
    partial = _relaxed({**defs, "Scenario": full})
    return {"$schema": DRAFT,
            "title": "Scenario file of the decarbonisation roadmap planner", "type": "object",
            "$defs": {**defs, "Scenario": full, **partial},
            "if": {"required": ["extends"]}, "then": {"$ref": "#/$defs/Scenario" + PARTIAL},
            "else": {"$ref": "#/$defs/Scenario"}}


PARTIAL = "__extends"  # suffix of the definitions of a file that extends another (no key required)


def _relaxed(defs: dict) -> dict:
    """Copies of the definitions with no required key (references renamed to the copies)."""
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "required" and isinstance(v, list):
                    continue
                if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/"):
                    out[k] = v + PARTIAL
                elif k == "anyOf" and isinstance(v, list) and all(isinstance(x, dict) and set(x) == {"required"}
                                                                    for x in v):
                    continue  # a measure's `kind` or `template`: the parent file may give it
                else:
                    out[k] = walk(v)
            return out
        if isinstance(node, list):
            return [walk(x) for x in node]
        return node

    return {k + PARTIAL: walk(v) for k, v in defs.items()}


def sweep_schema() -> dict:
    """JSON Schema of a sweep file."""
    from .sweep import Sweep

    s = Sweep.model_json_schema(schema_generator=_Gen)
    _describe(s)
    return {"$schema": DRAFT, **s,
            "title": "Sweep file of the decarbonisation roadmap planner"}


def schema(kind: str = "scenario") -> dict:
    """The JSON Schema of scenario (`kind="scenario"`) or sweep files, as a dict."""
    return {"scenario": scenario_schema, "sweep": sweep_schema}[kind]()


def schema_text(kind: str = "scenario") -> str:
    return json.dumps(schema(kind), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write_schema(out: str | Path, kind: str = "scenario") -> Path:
    out = Path(out)
    out.write_text(schema_text(kind), encoding="utf-8")
    return out
