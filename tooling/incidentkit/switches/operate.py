"""Flipping a switch from the inventory: check the entry, flip, read back, record it.

A failed flip leaves its target as it was and is logged as failed; a
successful one (or a drill's dry run) sets the switch's `tested_at`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from incidentkit.documents.edit import set_item_key
from incidentkit.documents.model import Document, Incident
from incidentkit.errors import DocumentError, IncidentkitError, UsageError
from incidentkit.playbook import Playbook
from incidentkit.record import mitigate
from incidentkit.runbooks import SWITCH_KINDS, Switch, missing_fields, switches, wrong_types
from incidentkit.switches import command_kind, env_kind, json_kind, manual_kind, sqlite_kind
from incidentkit.switches.base import FlipResult, SwitchError
from incidentkit.switches.manual_kind import Declined

INVENTORY = "kill-switches.md"
KINDS = {"json": json_kind, "env": env_kind, "sqlite": sqlite_kind, "command": command_kind}


def inventory(playbook: Playbook) -> tuple[Document, list[Switch]]:
    path = playbook.runbooks_dir / INVENTORY
    if not path.is_file():
        raise UsageError(f"no inventory at {playbook.relative(path)}", hint="`incident init` writes one; add your switches")
    doc = Document.read(path)
    entries, problems = switches(doc)
    if problems:
        line, problem = problems[0]
        raise IncidentkitError(problem, path=playbook.relative(path), line=line)
    return doc, entries


def find(playbook: Playbook, name: str) -> Switch:
    _, entries = inventory(playbook)
    for entry in entries:
        if entry.name == name:
            rel = f"{playbook.config.folders.runbooks}/{INVENTORY}"
            missing = missing_fields(entry)
            if missing:
                raise IncidentkitError(f"switch {name} lacks {', '.join(missing)}", path=rel, line=entry.line)
            if entry.kind not in SWITCH_KINDS:
                raise IncidentkitError(f"switch {name} has an unknown kind {entry.kind!r}", path=rel, line=entry.line)
            problems = wrong_types(entry)
            if problems:
                raise IncidentkitError(f"switch {name}: {problems[0]}", path=rel, line=entry.line)
            return entry
    known = ", ".join(e.name for e in entries) or "none yet"
    raise UsageError(f"no switch named {name!r}", hint=f"known: {known}; see `incident switch list`")


@dataclass(frozen=True)
class Outcome:
    flip: FlipResult
    logged_in: Incident | None
    warning: str = ""


def flip(
    playbook: Playbook,
    name: str,
    target: str,
    *,
    at: datetime,
    incident: Incident | None,
    dry_run: bool = False,
    confirm: Callable[[str], bool] = lambda steps: False,
) -> Outcome:
    """Flip switch ``name`` to ``target`` (off/on); log the row in ``incident`` when given."""
    entry = find(playbook, name)
    try:
        if entry.kind == "manual":
            result = manual_kind.flip(playbook.root, entry, target, dry_run, confirm)
        else:
            result = KINDS[entry.kind].flip(playbook.root, entry, target, dry_run)
    except Declined:
        raise
    except SwitchError as exc:
        if incident is not None and not dry_run:
            mitigate(playbook, incident, f"switch {target} {entry.name}", f"failed: {exc}", at)
        raise
    if dry_run:
        return Outcome(result, None)
    if incident is not None:
        mitigate(playbook, incident, result.action, result.result, at)
    try:
        mark_tested(playbook, entry, at)
    except IncidentkitError as exc:  # the flip and its record stand; only the bookkeeping failed
        return Outcome(result, incident, str(exc))
    return Outcome(result, incident)


def mark_tested(playbook: Playbook, entry: Switch, at: datetime) -> None:
    """Set the switch's ``tested_at`` to the day of ``at`` (a drill or a real use)."""
    day = at.astimezone(playbook.config.tz).date()
    path = playbook.runbooks_dir / INVENTORY
    with playbook.lock("inventory"):
        doc = Document.read(path)
        if doc.meta["switches"][entry.index].get("tested_at") == day:
            return
        try:
            text = set_item_key(doc.text, doc.front, "switches", entry.index, "tested_at", day, newline=doc.source.newline)
        except DocumentError as exc:
            raise IncidentkitError(f"flipped, but tested_at not updated: {exc.message}", path=playbook.relative(path),
                                   line=exc.line) from None
        doc.source.save(text)
