"""Action items (task-list items with @owner and due:YYYY-MM-DD) and lessons of a post-mortem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from incidentkit.documents.model import Postmortem

ACTIONS_SECTION = "What will we change?"
LESSONS_SECTION = "What did we learn?"

_TASK = re.compile(r"^\s{0,3}[-*+]\s+\[([ xX])\]\s+(.*?)\s*$")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*?)\s*$")
_OWNER = re.compile(r"(?:^|\s)@([A-Za-z0-9][A-Za-z0-9_.-]*)")
_DUE = re.compile(r"(?:^|\s)due:(\S+)")


@dataclass(frozen=True)
class ActionItem:
    line: int
    done: bool
    text: str  # the item without its checkbox
    owner: str | None
    due: date | None
    due_raw: str | None  # what followed due:, kept to report a bad date

    @property
    def title(self) -> str:
        """The text without the @owner and due: tags."""
        return " ".join(_DUE.sub(" ", _OWNER.sub(" ", self.text)).split())


def _lines(doc: Postmortem, section_name: str) -> list[tuple[int, str]]:
    section = doc.section(section_name)
    if section is None:
        return []
    lines = doc.text[section.content_start : section.end].splitlines()
    in_comment = False
    found = []
    for number, line in enumerate(lines, start=section.line + 1):
        if in_comment:
            in_comment = "-->" not in line
            continue
        if "<!--" in line and "-->" not in line[line.index("<!--") :]:
            in_comment = True
            continue
        found.append((number, line))
    return found


def action_items(doc: Postmortem) -> list[ActionItem]:
    """The task-list items of "What will we change?", outside HTML-comment hints."""
    items = []
    for number, line in _lines(doc, ACTIONS_SECTION):
        match = _TASK.match(line)
        if not match:
            continue
        text = match.group(2)
        owner = _OWNER.search(text)
        due_match = _DUE.search(text)
        due = None
        if due_match:
            try:
                due = date.fromisoformat(due_match.group(1)) if len(due_match.group(1)) == 10 else None
            except ValueError:
                due = None
        items.append(
            ActionItem(
                line=number,
                done=match.group(1) != " ",
                text=text,
                owner=owner.group(1) if owner else None,
                due=due,
                due_raw=due_match.group(1) if due_match else None,
            )
        )
    return items


def lessons(doc: Postmortem) -> list[tuple[int, str]]:
    """The bullets of "What did we learn?" as (line, text); continuation lines joined."""
    found: list[tuple[int, str]] = []
    for number, line in _lines(doc, LESSONS_SECTION):
        match = _BULLET.match(line)
        if match and match.group(1):
            found.append((number, match.group(1)))
        elif found and line.strip() and line.startswith((" ", "\t")):
            first, text = found[-1]
            found[-1] = (first, f"{text} {line.strip()}")
    return found
