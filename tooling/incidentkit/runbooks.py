"""The runbooks that Layer 1 relies on: the kill-switch inventory and the checklist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from incidentkit.documents.model import Document

SWITCH_KINDS = ("json", "env", "sqlite", "command", "manual")
SWITCH_NAME = re.compile(r"^[a-z0-9-]+$")
KIND_FIELDS = {
    "json": ("file", "key", "off_value", "on_value"),
    "env": ("file", "key", "off_value", "on_value"),
    "sqlite": ("database", "off_sql", "on_sql", "check_sql"),
    "command": ("off_run", "on_run"),
    "manual": ("off_steps", "on_steps"),
}
PLAYBOOK_QUESTIONS = (
    "Most critical feature",
    "Turn it off in 60 seconds",
    "Where the logs are",
    "What healthy looks like",
    "Who to notify",
)
_STEP = re.compile(r"^ {0,3}(\d+)[.)]\s+(.*?)\s*$")
_SWITCH_REF = re.compile(r"\bswitch:([a-z0-9][a-z0-9-]*)")


@dataclass(frozen=True)
class Switch:
    name: str
    kind: str
    data: dict[str, Any]
    line: int  # 1-based line where the entry starts
    index: int = 0  # position in the `switches` list
    column: int = 1
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (line, column)

    def where(self, key: str) -> tuple[int, int]:
        """(line, column) of ``key`` in this entry, else of the entry itself."""
        return self.keys.get(key, (self.line, self.column))


@dataclass(frozen=True)
class Step:
    number: int
    text: str
    line: int
    switches: tuple[str, ...]


def switches(doc: Document) -> tuple[list[Switch], list[tuple[int, str]]]:
    """The switch entries of an inventory, and (line, problem) for entries that are not mappings."""
    found: list[Switch] = []
    problems: list[tuple[int, str]] = []
    node = doc.front.node
    if node is None:
        return found, problems
    seq = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "switches"), None)
    values = doc.meta.get("switches")
    if seq is None or values is None:
        return found, problems
    if not isinstance(seq, yaml.SequenceNode) or not isinstance(values, list):
        problems.append((doc.front.node_line(seq), "`switches` must be a list of switch entries"))
        return found, problems
    for index, (item_node, item) in enumerate(zip(seq.value, values)):
        line = doc.front.node_line(item_node)
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            problems.append((line, "a switch entry must be a mapping with name, kind and owner"))
            continue
        keys = {
            str(k.value): (doc.front.node_line(k), doc.front.node_column(k))
            for k, _ in item_node.value
            if isinstance(k, yaml.ScalarNode)
        }
        name, kind = str(item.get("name") or ""), str(item.get("kind") or "")
        found.append(Switch(name, kind, item, line, index, doc.front.node_column(item_node), keys))
    return found, problems


TEXT_FIELDS = ("name", "kind", "owner", "file", "key", "database", "off_sql", "on_sql", "check_sql", "off_steps", "on_steps")


def missing_fields(entry: Switch) -> list[str]:
    """The required fields an entry lacks: name, kind, owner, and those of its kind."""
    missing = [key for key in ("name", "kind", "owner") if entry.data.get(key) in (None, "")]
    if entry.kind in KIND_FIELDS:
        missing += [key for key in KIND_FIELDS[entry.kind] if entry.data.get(key) in (None, "")]
    return missing


def wrong_types(entry: Switch) -> list[str]:
    """Text fields that YAML read as something else (`key: ON` is the boolean true)."""
    problems = []
    for key in TEXT_FIELDS:
        value = entry.data.get(key)
        if value is not None and not isinstance(value, str):
            trap = " (YAML 1.1 reads on/off/yes/no as booleans: quote it)" if isinstance(value, bool) else ""
            problems.append(f"`{key}` should be text, got {value!r}{trap}")
    return problems


def checklist(text: str, first_line: int = 1) -> list[Step]:
    """The numbered steps of a Layer 1 checklist, with the switches they name."""
    steps = []
    fence = False
    for number, line in enumerate(text.splitlines(), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        match = None if fence else _STEP.match(line)
        if match:
            steps.append(Step(int(match.group(1)), match.group(2), number, tuple(_SWITCH_REF.findall(match.group(2)))))
    return steps
