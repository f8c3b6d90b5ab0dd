"""The house rules, checked: stages import only from earlier stages, only the backend imports Pyomo, every
measure kind in the schema has a model and a docs section, and the names in docs/model.md exist in the model."""

from __future__ import annotations

import ast
import re

import pytest
from helpers import ROOT, efficiency, scenario

import planner
from planner.backend import REGISTRY, build_model, solve
from planner.backend.builder import BuiltModel
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years
from planner.schemas.measure import MEASURE_KINDS
from planner.units import CNY_PER_MWH_TO_MCNY_PER_GWH, CNY_PER_T_TO_MCNY_PER_KT, MCNY_TO_CNY

PKG = ROOT / "planner"
# stage of each top-level module or folder; a module may import from its own stage and earlier ones
STAGES = {"errors": 0, "lazy": 0, "units": 0, "version": 0, "schemas": 1, "preprocess": 2, "backend": 3,
          "postprocess": 4, "run": 5, "studies": 6, "report": 7, "synthetic": 8, "api": 8, "cli": 9,
          "__init__": 9, "__main__": 9}
MODEL_MD = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def _stage(rel_parts: tuple[str, ...]) -> str:
    head = rel_parts[0]
    return head[:-3] if head.endswith(".py") else head


def _imports(path):
    """(module parts relative to planner, or None for third-party, first name) of every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = path.relative_to(PKG).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = (*base, *(node.module.split(".") if node.module else ()))
                if not node.module:  # `from . import x`: x is the module
                    for alias in node.names:
                        yield (*mod, alias.name), None
                else:
                    yield mod, None
            elif node.module and node.module.split(".")[0] == "planner":
                yield tuple(node.module.split(".")[1:]) or ("__init__",), None
            else:
                yield None, node.module.split(".")[0] if node.module else ""
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield None, alias.name.split(".")[0]
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "LazyModule" and node.args
              and isinstance(node.args[0], ast.Constant)):  # `LazyModule("pyomo.environ")` imports it when used
            yield None, str(node.args[0].value).split(".")[0]


MODULES = sorted(p for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_modules_import_only_from_earlier_stages(path):
    own = STAGES[_stage(path.relative_to(PKG).parts)]
    for mod, _third in _imports(path):
        if mod is None or not mod:
            continue
        other = STAGES[_stage(mod if mod[0] not in ("",) else ("__init__",))]
        assert other <= own, f"{path.relative_to(PKG)} (stage {own}) imports planner.{'.'.join(mod)} (stage {other})"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_only_the_backend_imports_pyomo_and_the_report_never_solves(path):
    rel = path.relative_to(PKG).parts
    third = {t for _m, t in _imports(path) if t}
    if rel[0] != "backend":
        assert not third & {"pyomo", "highspy"}, f"{'/'.join(rel)} imports a solver library"
    if rel[0] == "report":
        stages = {_stage(m) for m, _t in _imports(path) if m}
        assert not stages & {"backend", "run", "studies", "api"}, f"{'/'.join(rel)} reaches a solving stage"


SHARED_MEASURE_MODULES = {"__init__", "base", "heat_supply", "green_power"}  # machinery, not kinds


def test_every_schema_kind_has_a_model_and_a_docs_section_and_vice_versa():
    assert set(MEASURE_KINDS) == set(REGISTRY)
    modules = {p.stem for p in (PKG / "backend" / "measures").glob("*.py")} - SHARED_MEASURE_MODULES
    assert set(REGISTRY) == modules  # every kind module registers exactly its kind
    for kind, model in REGISTRY.items():
        assert model.config is MEASURE_KINDS[kind]
        assert f"kind `{kind}`" in MODEL_MD, f"docs/model.md has no section naming kind `{kind}`"


def test_each_kind_module_holds_its_config_and_model():
    for kind, model in REGISTRY.items():
        assert model.__module__ == model.config.__module__
        assert model.__module__.rsplit(".", 1)[1] == kind, f"kind {kind} lives in {model.__module__}"


def _demo_model() -> BuiltModel:
    """The demo with one asset that may not be reinvested, a PPA volume cap and a waste-heat power plant at its
    casting site (so that every optional component and every kind is built)."""
    sc = planner.load_scenario(ROOT / "scenarios" / "demo.yaml")
    ms = [m.model_copy(update={"reinvest": False}) if m.kind == "efficiency" and m.id == sc.measures[0].id
          else m.model_copy(update={"max_mwh": 1e5}) if m.kind == "green_ppa" else m for m in sc.measures]
    ms.append(MEASURE_KINDS["waste_heat_power"].model_validate(
        {"id": "zz_whp", "kind": "waste_heat_power", "site": "north_casting", "capex_cny_per_kw": 8000,
         "yield_mwh_per_mwh_fuel": 0.03, "existing_size": 1.0}))
    sc = sc.model_copy(update={"measures": ms})
    drv = bl.drivers(sc)
    return build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))


def _glossary_names() -> tuple[set[str], set[str]]:
    """(`m.<name>`, `blk.<name>`) names in docs/model.md."""
    return set(re.findall(r"`m\.([A-Za-z_0-9]+)", MODEL_MD)), set(re.findall(r"`blk\.([A-Za-z_0-9]+)", MODEL_MD))


def test_docs_names_exist_in_the_model_and_every_model_component_is_documented():
    """Names of the annual demo and of the representative-day demo (docs/model.md §15) together."""
    model_names: set[str] = set()
    block_names: set[str] = set()
    for b in (_demo_model(), _built(planner.load_scenario(ROOT / "scenarios" / "demo_hourly.yaml")),
              _built(_hourly_variant()), _built(_route_variant())):
        model_names |= {c.local_name for c in b.m.component_objects(descend_into=False)
                        if not c.local_name.startswith("measure_")}
        block_names |= {c.local_name for mm in b.measures for c in mm.block.component_objects(descend_into=False)}
    doc_m, doc_blk = _glossary_names()
    assert doc_m - model_names == set(), "documented but not in the model"
    assert model_names - doc_m == set(), "in the model but not documented in docs/model.md"
    assert doc_blk - block_names == set(), "documented block components missing from the demo's measure blocks"
    assert block_names - doc_blk == set(), "measure block components not documented in docs/model.md"


def _hourly_variant():
    """demo_hourly_milestones (interpolated years) with the optional hourly components: a battery whose power
    is its own decision, gas heat with the typical heat shape and a heat pump; two days."""
    from planner.schemas.loader import resolve_profiles, validate
    from planner.schemas.yamlio import read_yaml

    path = ROOT / "scenarios" / "demo_hourly_milestones.yaml"
    raw = read_yaml(path)
    resolve_profiles(raw, path)
    raw["sites"][0]["energy"]["natural_gas"] = 1e6
    raw["time"] = {**raw["time"], "days": 2}
    raw["time"]["sites"]["east_assembly"]["heat"] = "typical"
    raw["time"]["scope2_matching"] = "hourly"  # contracts' volumes (docs/model.md §15.6)
    raw["time"]["sites"]["east_assembly"]["connection"] = {"import_mw": 100, "export_mw": 10, "upgrade": {
        "capex_cny_per_mw": 1e5, "max_mw": 20}}
    raw["measures"] = [{**m, "power_capex_cny_per_kw": 300} if m["id"] == "battery" else m for m in raw["measures"]]
    raw["measures"].append({"id": "hp", "template": "heat_pump", "site": "east_assembly",
                            "target_carrier": "natural_gas"})
    return validate(raw, str(path))


def _route_variant():
    """The demo with a product at its first site made by two routes (ramp, shares and stages set), so that the
    route components and the product balance are built; the site in the ETS by benchmark (surplus sold) and
    the product exported under the CBAM with the China price deducted (docs/model.md §10.1-10.2)."""
    from planner.schemas.loader import validate
    from planner.schemas.yamlio import read_yaml

    path = ROOT / "scenarios" / "demo.yaml"
    raw = read_yaml(path)
    site = raw["sites"][0]
    site["products"] = {"widget": {"output_t": 1000}}
    raw["measures"] += [
        {"id": "r_old", "kind": "route", "site": site["id"], "product": "widget", "existing_capacity_t": 1000,
         "min_share": 0.1, "energy_per_t": {"electricity": 0.5}},
        {"id": "r_new", "kind": "route", "site": site["id"], "product": "widget", "capex_cny_per_t": 100,
         "max_size": 1, "stages": 2, "ramp_t_per_year": 100, "max_share": 0.5, "energy_per_t": {"electricity": 0.4}}]
    site["ets_covered"] = True
    raw["ets"] = {"allocation": "benchmark", "sell_surplus": True, "benchmarks": {"widget": {"tco2_per_t": 0.3}}}
    raw["cbam"] = {"eu_ets_price_eur_per_t": 80, "products": {"widget": {
        "export_share": 0.2, "goods": "cement", "eu_benchmark_tco2e_per_t": 0.1}}}
    return validate(raw, str(path))


def _built(sc) -> BuiltModel:
    drv = bl.drivers(sc)
    return build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))


# Micro site: 1,000 MWh at 500 CNY/MWh, grid 0.5 / 0.6 t/MWh. Retrofit: 10% saved for 30,000 CNY.
MUTABLE_CASES = {
    # at 200 CNY/MWh the retrofit saves only 20,000: not adopted; NPV 1000 x 200
    "price_elec": (lambda m: [m.price_elec.__setitem__(k, 200 * CNY_PER_MWH_TO_MCNY_PER_GWH) for k in m.price_elec],
                   {"prices": {"electricity": 200}}),
    # from zero: an internal price of 1,000 CNY/t on market-based scope 2 (0.6 t/MWh) makes saving worth more
    "price_internal_carbon": (lambda m: [m.price_internal_carbon.__setitem__(y, 1000 * CNY_PER_T_TO_MCNY_PER_KT)
                                         for y in m.price_internal_carbon],
                              {"internal_carbon_price": {"price_cny_per_t": 1000, "scope2": "market"}}),
    # unit capex of the retrofit x3 (90,000 > 50,000 saved): not adopted
    "unit_capex": (lambda m: [m.measure_e1.unit_capex.__setitem__(t, 3 * m.measure_e1.unit_capex[t].value)
                              for t in m.measure_e1.unit_capex], {"measures": [efficiency(capex=0,
                              capex_cny_per_mwh_saved=900)]}),
}


@pytest.mark.usefixtures("testlib")
@pytest.mark.parametrize("name", sorted(MUTABLE_CASES))
def test_changing_a_mutable_parameter_and_resolving_equals_rebuilding(name):
    change, variant = MUTABLE_CASES[name]
    base = {"measures": [efficiency(capex=0, capex_cny_per_mwh_saved=300)]} if name == "unit_capex" else {
        "measures": [efficiency()]}
    b = _built(scenario(**base))
    assert solve(b, b.inp and scenario(**base).solver).has_solution
    change(b.m)
    resolved = solve(b, scenario(**base).solver)
    rebuilt = planner.plan(scenario(**{**base, **variant}))
    assert resolved.objective_mcny * MCNY_TO_CNY == pytest.approx(rebuilt.summary["objective_cny"], rel=1e-9)
    adopted = b.value(b.measures[0].block.build[2025]) > 0.5
    assert adopted == (len(rebuilt.roadmap) > 0)


@pytest.mark.usefixtures("testlib")
def test_two_half_weight_slices_per_year_give_the_annual_optimum():
    import dataclasses

    from planner.preprocess.timeindex import Slice, TimeIndex

    sc = scenario(horizon={"start": 2025, "end": 2026}, discount_rate=0.05,
                  sites=[{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 2000}}],
                  measures=[efficiency(), {"id": "pv", "template": "rooftop_pv", "site": "s1", "max_size": 0.5},
                            {"id": "hp", "template": "heat_pump", "site": "s1", "target_carrier": "natural_gas"},
                            {"id": "gec", "template": "green_certificates", "earliest_year": 2026}],
                  targets=[{"id": "t", "year": 2026, "coverage": {"scope1": True, "scope2": "market"},
                            "reduction": 0.3}])
    annual = planner.plan(sc)
    drv = bl.drivers(sc)
    inp = build_inputs(sc, None, drv)
    t = inp.time
    two = TimeIndex(t.base_year, t.periods, tuple(Slice(f"{y}.{h}", y, 0.5) for y in t.years for h in (0, 1)))
    b = build_model(dataclasses.replace(inp, time=two), target_years(sc, bl.bau_emissions(sc, drv), drv))
    info = solve(b, sc.solver)
    assert info.objective_mcny * MCNY_TO_CNY == pytest.approx(annual.summary["objective_cny"], rel=1e-7)
    with pytest.raises(ValueError, match="sum to 0.5"):
        TimeIndex(t.base_year, t.periods, tuple(Slice(f"{y}.0", y, 0.5) for y in t.years))


def test_validated_scenarios_pickle(tmp_path):
    import pickle
    import subprocess
    import sys

    sc = planner.load_scenario(ROOT / "scenarios" / "demo.yaml")
    assert pickle.loads(pickle.dumps(sc)) == sc
    (tmp_path / "sc.pkl").write_bytes(pickle.dumps(sc))
    r = subprocess.run([sys.executable, "-c", "import pickle, sys; sc = pickle.load(open(sys.argv[1], 'rb')); "
                        "print(sc.name, len(sc.measures))", str(tmp_path / "sc.pkl")], capture_output=True, text=True)
    assert r.stdout.split() == ["demo", str(len(sc.measures))], r.stderr


def test_a_result_folder_reads_back_to_the_same_files(tmp_path):
    import filecmp

    from planner.api import Plan

    p = planner.plan(ROOT / "scenarios" / "demo_strict.yaml")
    p.write(tmp_path / "a")
    q = Plan.read(tmp_path / "a")
    q.write(tmp_path / "b")
    for f in (tmp_path / "a").iterdir():
        assert filecmp.cmp(f, tmp_path / "b" / f.name, shallow=False), f.name
    assert q.scenario.model_dump() == p.scenario.model_dump()
    import pandas as pd
    pd.testing.assert_frame_equal(q.roadmap, p.roadmap, check_dtype=False)
    assert (q.abatement.source == p.abatement.source).all()


def test_a_cost_term_of_an_unknown_category_is_refused():
    from planner.backend.ledger import Ledger

    with pytest.raises(KeyError, match="unknown cost category"):
        Ledger().add("cost", "biogas_premium", 2025, 1.0, "m")


@pytest.mark.usefixtures("testlib")
def test_the_worked_example_in_architecture_md_adds_a_kind_without_touching_shared_files():
    import sys
    import types

    from planner.backend.measures import base as measure_base
    from planner.schemas import measure as measure_schema

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    name = "planner.backend.measures.biogas"
    module = types.ModuleType(name)
    module.__package__ = "planner.backend.measures"
    sys.modules[name] = module
    try:
        exec(compile(code, "docs/architecture.md", "exec"), module.__dict__)
        # 1,000 MWh of gas at 200 CNY/MWh (0.2 t/MWh, boiler 0.9); biogas up to 30% at +150 CNY/MWh.
        # A 100% scope-1 cut by 2025 is impossible; -30% needs every MWh of biogas allowed: 300 MWh.
        sc = scenario(sites=[{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 1000}}],
                      measures=[{"id": "bio", "kind": "biogas", "site": "s1", "max_share": 0.3}],
                      targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"},
                                "reduction": 0.3}])
        p = planner.plan(sc)
        bio = p.roadmap[p.roadmap.measure == "bio"]
        assert bio["size"].sum() == pytest.approx(300, rel=1e-6)
        ab = p.abatement[p.abatement.measure == "bio"].tco2e.sum()
        assert ab == pytest.approx(300 * 0.2, rel=1e-6)  # 60 t of fossil gas avoided
        energy = p.costs[p.costs.category == "energy"].nominal_cny.sum()
        assert energy == pytest.approx(1000 * 500 + 1000 * 200 + 300 * 150, rel=1e-6)
    finally:
        sys.modules.pop(name, None)
        measure_schema.MEASURE_KINDS.pop("biogas", None)
        measure_base.REGISTRY.pop("biogas", None)
