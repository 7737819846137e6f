"""A variable in a KEY=VALUE file, read by the process at its next restart.

The line is edited in place (quotes, `export` and comments kept); python-dotenv
reads the file back, as the service's own loader would, to verify.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from incidentkit.documents.atomic import atomic_write
from incidentkit.errors import DocumentError
from incidentkit.runbooks import Switch
from incidentkit.switches.base import FlipResult, SwitchError, as_text, target_path, value_for


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SwitchError("no such file", path=path, hint="check `file:` in runbooks/kill-switches.md") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SwitchError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path=path) from None


def _values(text: str) -> dict[str, str | None]:
    from dotenv import dotenv_values

    return dict(dotenv_values(stream=io.StringIO(text)))


def flip(root: Path, switch: Switch, target: str, dry_run: bool) -> FlipResult:
    path = target_path(root, switch)
    key = str(switch.data.get("key") or "")
    value = as_text(value_for(switch, target))
    text = _read(path)
    current = _values(text)
    if key not in current:
        raise SwitchError(f"variable {key} not found", path=path, hint="check `key:` in runbooks/kill-switches.md")
    action = f"switch {target} {switch.name}: {key}={value} in {switch.data['file']}"
    hint = f"then restart: {switch.data['restart']}" if switch.data.get("restart") else "then restart the service: it reads the file at start"
    if dry_run:
        return FlipResult(action, f"dry run: {key} is {current[key]!r}, would become {value!r}", hint)
    pattern = re.compile(rf"^(?P<head>[ \t]*(?:export[ \t]+)?{re.escape(key)}[ \t]*=[ \t]*)(?P<value>'[^']*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^#\r\n]*?)(?P<tail>[ \t]+#[^\r\n]*)?(?P<eol>\r?)$", re.M)
    matches = list(pattern.finditer(text))
    if not matches:
        raise SwitchError(f"cannot find the line of {key} to edit", path=path)
    last = matches[-1]  # the one that wins when a file sets a variable twice
    old = last.group("value")
    quote = old[0] if old[:1] in ("'", '"') else ""
    new_value = f"{quote}{value}{quote}" if quote or not re.search(r"[\s#'\"]", value) else f'"{value}"'
    new_text = text[: last.start("value")] + new_value + text[last.end("value") :]
    try:
        atomic_write(path, new_text.encode("utf-8"))
    except DocumentError as exc:
        raise SwitchError(exc.message, path=path, hint=exc.hint) from None
    read_back = _values(_read(path)).get(key)
    if read_back != value:
        raise SwitchError(f"read back {read_back!r}, expected {value!r}", path=path)
    return FlipResult(action, "verified", hint)
