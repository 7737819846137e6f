"""A switch a person flips by hand: the steps are shown, the operator confirms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from incidentkit.runbooks import Switch
from incidentkit.switches.base import FlipResult, SwitchError


class Declined(SwitchError):
    """The operator did not confirm: nothing is logged."""


def flip(root: Path, switch: Switch, target: str, dry_run: bool, confirm: Callable[[str], bool]) -> FlipResult:
    steps = str(switch.data.get(f"{target}_steps") or "")
    action = f"switch {target} {switch.name} (manual): {steps}"
    if dry_run:
        return FlipResult(action, "dry run: steps shown")
    if not confirm(steps):
        raise Declined(f"switch {target} {switch.name} not confirmed; nothing logged")
    return FlipResult(action, "confirmed by operator")
