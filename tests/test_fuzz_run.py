"""Property (issue 23): `planner run` on random small scenarios (no targets, no measures, scope-3-only targets,
zero emissions, one-year horizons, targets that cannot be met) ends with exit 0, or with the infeasibility
message on one line and exit 3; never a traceback or another exit code."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from helpers import BASE, efficiency
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.cli import main

S12 = [{"scope1": True, "scope2": "location"}, {"scope1": True, "scope2": "market"},
       {"scope1": False, "scope2": "location"}]
S3 = {"scope1": False, "scope2": "none", "scope3": "all"}
MEASURES = {
    "efficiency": efficiency("eff", share=0.2),
    "gas_saving": {**efficiency("gas", share=0.3), "carriers": ["natural_gas"]},
    "vsd": {"id": "vsd", "template": "vsd_motors", "site": "s1"},
    "credits": {"id": "cc", "template": "carbon_credits", "max_tco2e": 50},
}


@st.composite
def targets(draw, end: int, kinds: list[str]) -> list[dict]:
    """1-2 targets of the given kinds: scopes 1+2, scope 3 only, intensity per revenue or renewable share;
    reductions up to 100% (often more than the measures can reach)."""
    out = []
    for i in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(kinds))
        t = {"id": f"t{i}", "year": draw(st.integers(2025, end))}
        if kind == "renewable":
            t.update(type="renewable_share", share=draw(st.sampled_from([0.1, 0.5, 1.0])))
        else:
            t.update(reduction=draw(st.sampled_from([0.01, 0.1, 0.3, 0.9, 1.0])),
                     coverage=S3 if kind == "scope3" else draw(st.sampled_from(S12)))
            if kind == "intensity":
                t.update(type="intensity", intensity_per="revenue")
            t["offsets"] = draw(st.sampled_from(["none", "none", "share", "net_zero_residual"]))
            if t["offsets"] == "share":
                t["offset_share"] = 0.05
        t["pathway"] = draw(st.sampled_from(["milestone", "linear"]))
        t["maintain"] = draw(st.booleans())
        out.append(t)
    return out


FAMILIES = ["no_targets", "no_measures", "scope3_only", "zero_emissions", "one_year", "infeasible", "any"]
ALL_KINDS = ["scope12", "scope3", "intensity", "renewable"]


@st.composite
def scenarios(draw) -> dict:
    """A micro scenario (helpers.BASE) of one of FAMILIES; 'any' mixes everything."""
    family = draw(st.sampled_from(FAMILIES))
    d = copy.deepcopy(BASE)
    end = 2025 if family == "one_year" else draw(st.sampled_from([2025, 2026, 2028]))
    d["horizon"] = {"start": 2025, "end": end}
    zero = family == "zero_emissions"
    d["sites"][0]["energy"] = {"electricity": 0 if zero else draw(st.sampled_from([1, 1000])),
                               "natural_gas": 0 if zero else draw(st.sampled_from([0, 500]))}
    if family == "scope3_only" or (not zero and draw(st.booleans())):
        tco2e = 300 if family == "scope3_only" else draw(st.sampled_from([0, 300]))
        d["scope3"] = {"categories": {1: {"tco2e": tco2e}}}
    names = [] if family == "no_measures" else draw(st.lists(st.sampled_from(sorted(MEASURES)), unique=True,
                                                              max_size=3))
    d["measures"] = [MEASURES[n] for n in names if n != "gas_saving" or d["sites"][0]["energy"]["natural_gas"]]
    kinds = {"scope3_only": ["scope3"], "infeasible": ["scope12"]}.get(family, ALL_KINDS)
    d["targets"] = [] if family == "no_targets" else draw(targets(end, kinds))
    if family == "infeasible":  # -100% of scopes 1+2, no offsets: never reachable with these measures
        d["targets"][0].update(reduction=1.0, offsets="none", year=end)
    d["revenue_mcny"] = {2024: 100, 2030: draw(st.sampled_from([100, 150]))}
    return d


def _micro(**over) -> dict:
    return {**copy.deepcopy(BASE), **over}


# the cases, always tried first: no targets; a scope-3 target nothing can reduce; zero emissions with a
# target; a one-year horizon with a target the measures cannot reach
SCOPE3 = {"categories": {1: {"tco2e": 300}}}
EXAMPLES = [
    _micro(),
    _micro(scope3=SCOPE3, measures=[MEASURES["efficiency"]],
           targets=[{"id": "t", "year": 2025, "coverage": S3, "reduction": 0.5}]),
    _micro(sites=[{**BASE["sites"][0], "energy": {"electricity": 0}}],
           targets=[{"id": "t", "year": 2025, "coverage": S12[0], "reduction": 0.5}]),
    _micro(measures=[MEASURES["vsd"]], targets=[{"id": "t", "year": 2025, "coverage": S12[0], "reduction": 1.0}]),
]


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
@example(EXAMPLES[0])
@example(EXAMPLES[1])
@example(EXAMPLES[2])
@example(EXAMPLES[3])
def test_run_ends_with_exit_0_or_the_infeasibility_line(d):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "s.yaml"
        f.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
        r = CliRunner().invoke(main, ["run", str(f), "--out", str(Path(tmp) / "out")])
    if r.exit_code == 0:
        assert r.stderr == "" and "wrote " in r.stdout, r.stderr
        return
    assert r.exit_code == 3, (r.exit_code, r.stderr, r.exception, yaml.safe_dump(d))
    assert r.stderr.startswith("error: micro: targets cannot be met: ") and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
