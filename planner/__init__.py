"""Decarbonisation roadmap planner: scenario YAML -> GHG baseline -> MILP roadmap -> tidy results."""

from .api import Comparison, Plan, SweepResult, compare, plan, sweep, sweep_report, write_comparison
from .schemas import Scenario, load_scenario
from .version import __version__

__all__ = ["Comparison", "Plan", "Scenario", "SweepResult", "__version__", "compare", "load_scenario", "plan", "sweep",
           "sweep_report", "write_comparison"]
