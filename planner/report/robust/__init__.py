"""The robust studies' report (stochastic roadmap and near-optimal alternatives), from their written frames."""

from .html import write_robust_report

__all__ = ["write_robust_report"]
