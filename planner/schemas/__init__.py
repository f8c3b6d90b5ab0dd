"""Scenario configuration: schema, loader and measure parameter types."""

from .loader import load_scenario, validate
from .scenario import Scenario

__all__ = ["Scenario", "load_scenario", "validate"]
