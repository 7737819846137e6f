"""A command that flips the switch, run as argv without a shell, with a timeout."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

from incidentkit.runbooks import Switch
from incidentkit.switches.base import FlipResult, SwitchError

DEFAULT_TIMEOUT = 30


def argv(value: Any) -> list[str]:
    """A list as it is, or a string split as a shell would split it (but never run by one)."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, str) and value.strip():
        return shlex.split(value)
    raise SwitchError(f"not a command: {value!r}", hint="give a list of arguments or a string")


def _run(args: list[str], root: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise SwitchError(f"command not found: {args[0]}") from None
    except PermissionError:
        raise SwitchError(f"not executable: {args[0]}") from None
    except subprocess.TimeoutExpired:
        raise SwitchError(f"{shlex.join(args)} timed out after {timeout:g} s") from None


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout or "").strip().splitlines()
    return f": {lines[-1]}" if lines else ""


def flip(root: Path, switch: Switch, target: str, dry_run: bool) -> FlipResult:
    args = argv(switch.data.get(f"{target}_run"))
    timeout = float(switch.data.get("timeout") or DEFAULT_TIMEOUT)
    action = f"switch {target} {switch.name}: {shlex.join(args)}"
    if dry_run:
        return FlipResult(action, "dry run: would run it" + (" and its check_run" if switch.data.get("check_run") else ""))
    ran = _run(args, root, timeout)
    if ran.returncode != 0:
        raise SwitchError(f"{shlex.join(args)} exited {ran.returncode}{_last_line(ran)}")
    check = switch.data.get("check_run")
    if not check:
        return FlipResult(action, "done (not verified: no check_run)")
    checked = _run(argv(check), root, timeout)
    if checked.returncode != 0:
        raise SwitchError(f"ran, but check_run exited {checked.returncode}{_last_line(checked)}")
    return FlipResult(action, "verified")
