"""Helpers shared by several test files: the round-number micro scenario and small measure builders."""

from __future__ import annotations

import copy
import logging
import os
import shutil
from pathlib import Path

import pytest

from planner.api import plan
from planner.schemas.loader import validate
from planner.schemas.yamlio import deep_merge

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).parent / "data"
DEMO_VARIANTS = ("demo_no_ccus", "demo_high_carbon", "demo_strict")  # conftest.bundled_plan solves them once per run

BASE = {
    "name": "micro", "company": "Micro Co", "base_year": 2024, "horizon": {"start": 2025, "end": 2025},
    "discount_rate": 0.0, "gwp": "AR5",
    "organisation": {"reporting_entity": "p", "entities": [{"id": "p"}]},
    "sites": [{"id": "s1", "entity": "p", "grid_region": "East", "energy": {"electricity": 1000}}],
    "grid": {"factors": {"East": 0.5}, "residual_factor": 0.6},
    "solver": {"threads": 1, "time_limit": 60, "mip_rel_gap": 0.0},
}


def compared(plans: dict, reference: str | None = None):
    """What `compare([scenarios/<name>.yaml, ...])` returns, built from plans of those files already solved
    (name -> plan, e.g. the session's `demo_plan` and `bundled_plan`): the same runs (label: the scenario's name,
    source: its file, its scenario and plan, reference first) and the same frames (test_compare.py checks it)."""
    from planner.studies.compare import Comparison, Run, build_frames

    runs = [Run(p.scenario.name, str(ROOT / "scenarios" / f"{name}.yaml"), p.scenario, p, p.summary["status"])
            for name, p in plans.items()]
    ref = reference or runs[0].label
    runs.sort(key=lambda r: r.label != ref)
    return Comparison(ref, runs, build_frames(runs))


def scenario(**over):
    """A validated micro scenario: BASE deep-merged with `over` (lists of id-items merge by id)."""
    raw = deep_merge(copy.deepcopy(BASE), over)
    return validate(raw, "micro.yaml")


def solve(**over):
    return plan(scenario(**over))


def built(p, measure: str):
    """Roadmap rows of one measure."""
    return p.roadmap[p.roadmap.measure == measure]


def efficiency(mid: str = "e1", share: float = 0.1, capex: float = 30_000, life: int = 1, **kw) -> dict:
    """A go/no-go electricity-saving retrofit at site s1 with a fixed capex (CNY) and lifetime (years)."""
    return {"id": mid, "kind": "efficiency", "site": "s1", "carriers": ["electricity"], "saving_share": share,
            "capex_fixed_cny": capex, "lifetime": life, **kw}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def browser():
    """Playwright driving Debian's chromium (no browser download); skips outside CI when it is missing."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium must be installed in CI (.ci/run installs Debian's chromium)")
        pytest.skip("Debian's chromium is not installed here (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright
    return sync_playwright()


def open_in_chromium(html: Path, probe: str = "脱碳路线图"):
    """(console/page/network messages, screenshot PNG bytes, body text, typeof window.__pwned, font facts) of
    a local HTML file opened in headless chromium; font facts check the embedded PlannerCJK font on `probe`."""
    msgs = []
    with browser() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = b.new_page(viewport={"width": 1300, "height": 900})
        page.on("console", lambda m: msgs.append((m.type, m.text)))
        page.on("pageerror", lambda e: msgs.append(("pageerror", str(e))))
        page.on("request", lambda r: msgs.append(("network", r.url)) if not r.url.startswith(("file:", "data:"))
                else None)
        page.goto(html.resolve().as_uri())
        page.wait_for_load_state("load")
        shot = page.screenshot(full_page=False)
        text = page.inner_text("body")
        flag = page.evaluate("typeof window.__pwned")
        fonts = page.evaluate("""async (probe) => { await document.fonts.load("16px PlannerCJK", probe);
            await document.fonts.ready;
            return {check: document.fonts.check("16px PlannerCJK", probe),
                    loaded: [...document.fonts].some(f => f.family.includes("PlannerCJK") && f.status === "loaded"),
                    scripts: document.scripts.length, images: document.images.length,
                    broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length}; }""",
                              probe)
        b.close()
    return msgs, shot, text, flag, fonts


class LogRecords(logging.Handler):
    """Collects the messages (INFO and above) logged while a chart or report is drawn."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        if record.levelno >= logging.INFO:
            self.messages.append(record.getMessage())


def two_retrofits():
    """Micro scenario (test library): 1,000 MWh at 500 CNY/MWh, discount 10%, 2025-2027; retrofits e1 (capex
    100,000) and e2 (200,000) each save 10% (50,000 CNY a year) for 3 years; a -20% target in 2025 needs both."""
    return scenario(horizon={"start": 2025, "end": 2027}, discount_rate=0.1,
                    measures=[efficiency("e1", capex=100_000, life=3, reinvest=False),
                              efficiency("e2", capex=200_000, life=3, reinvest=False)],
                    targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                              "reduction": 0.2}])
