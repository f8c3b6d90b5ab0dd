"""The JSON Schema of scenario and sweep files (planner/schemas/*.schema.json, docs/workbook.md, "Editors"): the
bundled files equal a fresh generation, every bundled scenario and sweep validates against them, and a misspelt
key is refused by the schema as by the loader. Needs the `jsonschema` test dependency."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from click.testing import CliRunner
from helpers import ROOT

import planner
from planner.cli import main
from planner.errors import InputError
from planner.schemas.export import BUNDLED, schema, schema_text
from planner.schemas.loader import validate
from planner.schemas.yamlio import decode, parse_file_text, read_bytes, read_yaml

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SWEEPS = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))


@pytest.fixture(scope="module")
def validators():
    return {k: jsonschema.Draft7Validator(schema(k)) for k in ("scenario", "sweep")}


def _as_json(path):
    """The file as an editor's language server sees it: parsed on its own (no `extends` merged), JSON keys."""
    raw = parse_file_text(decode(read_bytes(path), str(path)), str(path), path)
    return json.loads(json.dumps(raw))


@pytest.mark.parametrize("kind", ["scenario", "sweep"])
def test_bundled_schema_equals_a_fresh_generation(kind):
    assert BUNDLED[kind].read_text(encoding="utf-8") == schema_text(kind), (
        f"regenerate: planner schema {'--sweep ' if kind == 'sweep' else ''}--out {BUNDLED[kind].relative_to(ROOT)}")
    jsonschema.Draft7Validator.check_schema(json.loads(BUNDLED[kind].read_text(encoding="utf-8")))  # a valid schema


def test_every_bundled_scenario_and_sweep_is_valid(validators):
    assert SCENARIOS and SWEEPS
    for kind, files in (("scenario", SCENARIOS), ("sweep", SWEEPS)):
        for f in files:
            errors = [f"{f.name}: {list(e.path)}: {e.message[:200]}" for e in validators[kind].iter_errors(_as_json(f))]
            assert not errors, errors


MISSPELT = {  # a typo at each level, as a user makes it
    "top level": lambda r: r.update(discount_rat=0.05),
    "site": lambda r: r["sites"][0].update(grid_regoin="East"),
    "measure from a template": lambda r: r["measures"][0].update(max_sise=3),
    "measure with a kind": lambda r: r["measures"].append({"id": "x", "kind": "ccus", "site": "north_casting",
                                                            "capex_cny_per_tpa": 400, "captur_rate": 0.9}),
    "target": lambda r: r["targets"][0].update(reductoin=0.5),
    "trajectory": lambda r: r["prices"].update(ets={"2024": "high"}),
    "template name": lambda r: r["measures"][0].update(template="rooftop_pvv"),
}


def test_a_misspelt_key_is_refused_by_the_schema_as_by_the_loader(validators):
    base = read_yaml(ROOT / "scenarios" / "demo.yaml")
    for case, spoil in MISSPELT.items():
        raw = copy.deepcopy(base)
        spoil(raw)
        assert next(validators["scenario"].iter_errors(json.loads(json.dumps(raw))), None), f"{case}: accepted"
        with pytest.raises(InputError):
            validate(raw, "demo.yaml")


def test_schema_has_units_ranges_and_enums():
    s = schema()
    site = s["$defs"]["Site"]["properties"]
    assert site["export_limit_share"]["minimum"] == 0 and site["export_limit_share"]["maximum"] == 1
    price = site["electricity_price"]["anyOf"][0]
    assert "CNY/MWh" in price["description"] and price["anyOf"][0]["maximum"] == 1e5
    assert "ccus" in s["$defs"]["Scenario"]["properties"]["measures"]["items"]["properties"]["kind"]["enum"]
    assert s["$defs"]["OnsiteGeneration"]["properties"]["capex_cny_per_kw"]["description"] == "CNY/kW"


def test_cli_writes_the_bundled_schema(tmp_path):
    res = CliRunner().invoke(main, ["schema", "--sweep", "--out", str(tmp_path / "s.json")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == BUNDLED["sweep"].read_text(encoding="utf-8")
    assert planner.schema("sweep")["title"].startswith("Sweep file")
