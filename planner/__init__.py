"""Decarbonisation roadmap planner: scenario YAML -> GHG baseline -> MILP roadmap -> tidy results."""

from .api import Comparison, Plan, compare, plan, write_comparison
from .schemas import Scenario, load_scenario
from .version import __version__

__all__ = ["Comparison", "Plan", "Scenario", "__version__", "compare", "load_scenario", "plan", "write_comparison"]
