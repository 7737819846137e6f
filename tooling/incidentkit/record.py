"""Recording an incident: open it, log events and mitigations, move its status.

These are the 2 am operations; each one edits only what it must and writes
atomically under the incident's lock.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path

from incidentkit.config import DETECTIONS
from incidentkit.documents.model import Incident
from incidentkit.errors import IncidentkitError, UsageError
from incidentkit.lifecycle import transition
from incidentkit.playbook import Playbook
from incidentkit.templates import render
from incidentkit.timeutil import stamp

TIMELINE = "Timeline"
MITIGATION_LOG = "Mitigation log"
MITIGATION_HEADER = "| time | action | result |\n|---|---|---|"


def slugify(title: str, max_length: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def one_line(text: str) -> str:
    """Log text as a single line: an entry is one bullet or one table row."""
    return " ".join(text.split())


def table_cell(text: str) -> str:
    return one_line(text).replace("|", "\\|")


def timeline_entry(playbook: Playbook, at: datetime, text: str) -> str:
    return f"- {stamp(at, playbook.config.tz)} — {one_line(text)}"


def mitigation_row(playbook: Playbook, at: datetime, action: str, result: str) -> str:
    return f"| {stamp(at, playbook.config.tz)} | {table_cell(action)} | {table_cell(result)} |"


def new_incident(
    playbook: Playbook,
    title: str,
    *,
    at: datetime,
    severity: str | None = None,
    summary: str | None = None,
    services: tuple[str, ...] = (),
    detection: str = "alert",
    started_at: datetime | None = None,
    drill: bool = False,
    private: bool = False,
) -> Path:
    """Create the incident file with the next free id; return its path."""
    config = playbook.config
    title = one_line(title)
    if not title:
        raise UsageError("the title is empty", hint='incident new "What is broken, for whom"')
    severity = config.check_severity(severity or config.severity_default)
    if detection not in DETECTIONS:
        raise UsageError(f"unknown detection {detection!r}", hint="use one of " + ", ".join(DETECTIONS))
    if started_at and started_at > at:
        raise UsageError("--started-at comes after the detection time", hint="impact starts before it is detected")
    declared = f"Incident declared ({severity}): {title}"
    if drill:
        declared = f"Fire drill started ({severity}): {title}"

    def rendered(ident: str) -> bytes:
        text = render(
            playbook.templates_dir,
            "incident.md.j2",
            id=ident,
            title=title,
            severity=severity,
            severities=list(config.severities),
            detected_at=at,
            started_at=started_at,
            services=list(services),
            detection="drill" if drill else detection,
            drill=drill,
            private=private,
            summary=(summary or "").strip(),
            first_entry=timeline_entry(playbook, at, declared),
        )
        return text.encode("utf-8")

    return playbook.create_incident_file(slugify(title), rendered)


def log(playbook: Playbook, incident: Incident, text: str, at: datetime) -> Incident:
    """Append a timeline bullet."""
    if not one_line(text):
        raise UsageError("the log text is empty")
    entry = timeline_entry(playbook, at, text)
    return playbook.update(incident, lambda doc: doc.with_entry(TIMELINE, entry))


def mitigate(playbook: Playbook, incident: Incident, action: str, result: str, at: datetime) -> Incident:
    """Append a row to the mitigation log."""
    if not one_line(action):
        raise UsageError("the action is empty", hint='incident mitigate "Set TRADING_ENABLED=false"')
    row = mitigation_row(playbook, at, action, result or "done")
    return playbook.update(incident, lambda doc: doc.with_entry(MITIGATION_LOG, row, table_header=MITIGATION_HEADER))


def set_status(playbook: Playbook, incident: Incident, status: str, at: datetime) -> Incident:
    """Move the lifecycle forward, set its timestamp and note it in the timeline."""

    if status == "closed":
        _refuse_to_close(playbook, incident)

    def change(doc: Incident) -> str:
        updates = transition(doc, status, at)
        text = doc.with_keys(updates)
        moved = Incident.from_source(doc.source.replaced(text))
        return moved.with_entry(TIMELINE, timeline_entry(playbook, at, f"Status: {status}"))

    return playbook.update(incident, change)


def _refuse_to_close(playbook: Playbook, incident: Incident) -> None:
    """An incident closes when its lesson is learnt: a published post-mortem, every item done."""
    from incidentkit.action_items import open_items

    if incident.drill:
        return
    postmortem = playbook.load_postmortem(incident)
    if postmortem is None or postmortem.status != "published":
        state = "is a draft" if postmortem is not None else "is missing"
        raise IncidentkitError(
            f"{incident.id} cannot close: its post-mortem {state}",
            hint=f"`incident postmortem {incident.id}`, then publish it (status: published)",
        )
    items = open_items(postmortem)
    if items:
        where = "; ".join(f"{playbook.relative(postmortem.path)}:{item.line} {item.title}" for item in items)
        raise IncidentkitError(
            f"{incident.id} cannot close: {len(items)} open action item(s): {where}",
            hint="tick them ([x]) when done",
        )
