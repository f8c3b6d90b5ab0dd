"""Decarbonisation roadmap planner: scenario YAML -> GHG baseline -> MILP roadmap -> tidy results."""

from .api import Plan, plan
from .schemas import Scenario, load_scenario

__all__ = ["Plan", "Scenario", "load_scenario", "plan"]
__version__ = "0.1.0"
