"""The package version (one place; the top-level package and reports read it)."""

__version__ = "0.1.0"
