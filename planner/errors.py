"""Exceptions that the CLI turns into one-line messages and exit codes."""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: every planner error carries an exit code."""

    exit_code = 1


class InputError(PlannerError):
    """A scenario or data file is invalid: `file: key.path: what was expected`."""

    exit_code = 2

    def __init__(self, file: str, path: str, message: str):
        self.file, self.path, self.message = file, path, message
        loc = f"{path}: " if path else ""
        super().__init__(f"{file}: {loc}{message}")


class InfeasibleError(PlannerError):
    """The targets cannot all be met; `shortfalls` holds one line per target."""

    exit_code = 3

    def __init__(self, scenario: str, shortfalls: list[str], detail: str = ""):
        self.shortfalls = shortfalls
        head = f"{scenario}: targets cannot be met"
        body = "; ".join(shortfalls) if shortfalls else detail
        super().__init__(f"{head}: {body}")


class SolverError(PlannerError):
    """The solver stopped without a usable solution (time limit with no incumbent, error)."""

    exit_code = 4
