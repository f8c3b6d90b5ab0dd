"""Studies: anything that solves a scenario more than once (stand-alone MACC now; comparisons and sweeps next)."""

from .standalone_macc import standalone_macc

__all__ = ["standalone_macc"]
