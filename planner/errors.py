"""Exceptions that the CLI turns into one-line messages and exit codes."""

from __future__ import annotations

import unicodedata

MAX_MESSAGE_CHARS = 400  # longer file names, key paths or messages are cut with an ellipsis


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` on one printable line: control and format characters (newlines, NUL, bidi marks...) escaped,
    long text cut to `limit` characters."""
    out = []
    for ch in str(text):
        if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    s = "".join(out)
    return s if len(s) <= limit else s[: limit - 1] + "…"


class PlannerError(Exception):
    """Base class: every planner error carries an exit code."""

    exit_code = 1


class InputError(PlannerError):
    """A scenario or data file is invalid: `file: key.path: what was expected`."""

    exit_code = 2

    def __init__(self, file: str, path: str, message: str):
        self.file, self.path, self.message = one_line(file, 200), one_line(path, 200), one_line(message)
        loc = f"{self.path}: " if path else ""
        super().__init__(f"{self.file}: {loc}{self.message}")


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
