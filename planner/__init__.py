"""Decarbonisation roadmap planner: scenario YAML -> GHG baseline -> MILP roadmap -> tidy results."""

from .api import Plan, plan
from .schemas import Scenario, load_scenario
from .version import __version__

__all__ = ["Plan", "Scenario", "__version__", "load_scenario", "plan"]
