"""The library's own exceptions: every user mistake becomes one, never a traceback."""

from __future__ import annotations

from pathlib import Path


class IncidentkitError(Exception):
    """A refused action or bad input, located where we know where.

    ``exit_code`` follows the CLI contract: 1 for a refused action or bad
    document, 2 for usage and configuration errors.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class UsageError(IncidentkitError):
    """A bad argument or option value (exit 2)."""

    exit_code = 2


class ConfigError(IncidentkitError):
    """A configuration file that cannot be used (exit 2)."""

    exit_code = 2


class DocumentError(IncidentkitError):
    """A playbook file that cannot be read or parsed (exit 1)."""
