"""Decisions under uncertainty: the stochastic roadmap (`stochastic.py`), near-optimal alternatives
(`alternatives.py`), noise-free sweep verdicts (`verdicts.py`) and their CSV/markdown writer (`write.py`);
docs/robust.md."""

from .alternatives import Alternatives, alternatives
from .stochastic import RobustResult, load_tree, robust
from .verdicts import SweepVerdicts, sweep_verdicts

__all__ = ["Alternatives", "RobustResult", "SweepVerdicts", "alternatives", "load_tree", "robust", "sweep_verdicts"]
