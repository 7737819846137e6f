"""A key in a JSON file. Only the value's characters change: the rest keeps its layout.

JSON is YAML flow syntax, so PyYAML's composer gives the value's exact span;
the edited text is then parsed as JSON and must equal the old document with
only that key changed, or nothing is written.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from incidentkit.documents.atomic import atomic_write
from incidentkit.errors import DocumentError
from incidentkit.runbooks import Switch
from incidentkit.switches.base import FlipResult, SwitchError, target_path, value_for


def _read(path: Path) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SwitchError("no such file", path=path, hint="check `file:` in runbooks/kill-switches.md") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SwitchError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path=path) from None
    try:
        return text, json.loads(text)
    except ValueError as exc:
        raise SwitchError(f"not valid JSON: {exc}", path=path) from None


def _lookup(data: Any, key: str, path: Path) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            raise SwitchError(f"key {key} not found", path=path, hint="check `key:` in runbooks/kill-switches.md")
        data = data[part]
    return data


def _value_span(text: str, key: str, path: Path) -> tuple[int, int]:
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        raise SwitchError("cannot edit this JSON in place (unusual escapes or tabs)", path=path,
                          hint="flip it by hand, and log it with `incident mitigate`") from None
    for part in key.split("."):
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        if node is None:
            raise SwitchError(f"key {key} not found", path=path)
    return node.start_mark.index, node.end_mark.index


def flip(root: Path, switch: Switch, target: str, dry_run: bool) -> FlipResult:
    path = target_path(root, switch)
    key = str(switch.data.get("key") or "")
    value = value_for(switch, target)
    text, data = _read(path)
    current = _lookup(data, key, path)
    action = f"switch {target} {switch.name}: {key}={json.dumps(value)} in {switch.data['file']}"
    hint = f"then restart: {switch.data['restart']}" if switch.data.get("restart") else ""
    if dry_run:
        return FlipResult(action, f"dry run: {key} is {json.dumps(current)}, would become {json.dumps(value)}", hint)
    start, end = _value_span(text, key, path)
    new_text = text[:start] + json.dumps(value) + text[end:]
    expected = copy.deepcopy(data)
    holder = expected
    parts = key.split(".")
    for part in parts[:-1]:
        holder = holder[part]
    holder[parts[-1]] = value
    if json.loads(new_text) != expected:
        raise SwitchError("the in-place edit would change more than the key; nothing written", path=path)
    try:
        atomic_write(path, new_text.encode("utf-8"))
    except DocumentError as exc:
        raise SwitchError(exc.message, path=path, hint=exc.hint) from None
    read_back = _lookup(_read(path)[1], key, path)
    if read_back != value:
        raise SwitchError(f"read back {json.dumps(read_back)}, expected {json.dumps(value)}", path=path)
    return FlipResult(action, "verified", hint)
