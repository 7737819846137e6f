"""What every kind of switch shares: the result of a flip and the error of a failed one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentkit.errors import IncidentkitError
from incidentkit.runbooks import Switch

TARGETS = ("off", "on")


class SwitchError(IncidentkitError):
    """A flip that did not happen; the target was left as it was."""


@dataclass(frozen=True)
class FlipResult:
    action: str  # what was done, for the mitigation log: "switch off trading: …"
    result: str  # verified | confirmed by operator | done (not verified: …)
    hint: str = ""  # e.g. the restart command to run next


def value_for(switch: Switch, target: str) -> Any:
    """The configured value for ``target`` (off/on)."""
    return switch.data.get(f"{target}_value")


def target_path(root: Path, switch: Switch, key: str = "file") -> Path:
    value = switch.data.get(key)
    if not isinstance(value, str) or not value:
        raise SwitchError(f"switch {switch.name} has no `{key}`", hint="fix runbooks/kill-switches.md")
    return (root / value).resolve() if not Path(value).is_absolute() else Path(value)


def as_text(value: Any) -> str:
    """A switch value as it is written in an env file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
