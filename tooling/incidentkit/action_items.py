"""Action items across post-mortems: open, overdue, done; what blocks closing an incident."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from incidentkit.documents.actions import ActionItem, action_items
from incidentkit.documents.model import Incident, Postmortem

STATES = ("overdue", "open", "done")


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    postmortem: Postmortem
    incident_id: str
    title: str  # the incident's title
    state: str  # overdue | open | done

    def as_dict(self, rel: str) -> dict[str, object]:
        return {
            "state": self.state,
            "title": self.item.title,
            "owner": self.item.owner,
            "due": self.item.due.isoformat() if self.item.due else None,
            "incident": self.incident_id,
            "incident_title": self.title,
            "path": rel,
            "line": self.item.line,
        }


def state_of(item: ActionItem, today: date) -> str:
    if item.done:
        return "done"
    if item.due is not None and item.due < today:
        return "overdue"
    return "open"


def collect_actions(pairs: Iterable[tuple[Postmortem, Incident | None]], today: date) -> list[ActionRow]:
    """Every action item, overdue first, then open, then done; each by due date."""
    rows = []
    for postmortem, incident in pairs:
        incident_id = incident.id if incident is not None else postmortem.incident_id
        title = incident.title if incident is not None else str(postmortem.meta.get("title") or "")
        for item in action_items(postmortem):
            rows.append(ActionRow(item, postmortem, incident_id, title, state_of(item, today)))
    far = date.max
    rows.sort(key=lambda r: (STATES.index(r.state), r.item.due or far, r.incident_id, r.item.line))
    return rows


def open_items(postmortem: Postmortem | None) -> list[ActionItem]:
    return [item for item in action_items(postmortem) if not item.done] if postmortem is not None else []


def markdown_by_owner(rows: list[dict[str, object]]) -> str:
    """Action items as Markdown grouped by owner (a CI job summary)."""
    if not rows:
        return "No action items.\n"
    owners: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        owners.setdefault(f"@{row['owner']}" if row["owner"] else "no owner", []).append(row)
    out = []
    for owner in sorted(owners):
        out.append(f"### {owner}\n")
        for row in owners[owner]:
            title = str(row["title"]).replace("|", "\\|")
            out.append(f"- **{row['state']}** due {row['due'] or '—'}: {title} ({row['incident']}, `{row['path']}:{row['line']}`)")
        out.append("")
    return "\n".join(out) + "\n"
