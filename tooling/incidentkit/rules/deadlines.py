"""IK3xx: deadlines: the post-mortem within 48 h, action items within 2 weeks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from incidentkit.documents.model import Incident, Postmortem
from incidentkit.errors import DocumentError
from incidentkit.rules.context import Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.registry import rule
from incidentkit.timeutil import stamp


def _resolved(doc: Incident) -> datetime | None:
    try:
        return doc.time("resolved_at")
    except DocumentError:
        return None  # IK109 reports it


@rule("IK301", "postmortem-overdue", "incident")
def postmortem_overdue(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """The post-mortem is missing or still a draft after its deadline.

    Due `postmortem_due` (48 h) after `resolved_at`. Drills need none. A
    published post-mortem that came late is history, not a finding.
    """
    resolved = _resolved(doc)
    if doc.drill or resolved is None:
        return
    due = resolved + ctx.config.duration("postmortem_due")
    if ctx.now <= due:
        return
    postmortem = ctx.postmortem_for(doc)
    if postmortem is not None and postmortem.status == "published":
        return
    state = "is still a draft" if postmortem is not None else "is missing"
    when = stamp(due, ctx.config.tz)
    fix = "publish it (status: published)" if postmortem is not None else f"run `incident postmortem {doc.id}`"
    yield Hit(ctx.rel(doc.path), doc.front.line_of("resolved_at"), f"post-mortem {state}; it was due {when}: {fix}")


@rule("IK302", "action-item-overdue", "postmortem")
def action_item_overdue(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """An open action item is past its due date.

    Tick it (`[x]`) when done, or agree a new date and change `due:`.
    """
    for item in ctx.items(doc):
        if not item.done and item.due is not None and item.due < ctx.today:
            owner = f" (@{item.owner})" if item.owner else ""
            yield Hit(ctx.rel(doc.path), item.line, f"action item overdue since {item.due}{owner}: {item.title}")


@rule("IK303", "action-item-too-late", "postmortem")
def action_item_too_late(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """An action item is due later than `action_item_due` (14 days) after resolution.

    Prevention that waits longer than two weeks tends never to happen:
    split the item, or do the smallest useful part first.
    """
    incident = ctx.incident_for(doc)
    resolved = _resolved(incident) if incident is not None else None
    if resolved is None:
        return
    latest = (resolved + ctx.config.duration("action_item_due")).astimezone(ctx.config.tz).date()
    for item in ctx.items(doc):
        if item.due is not None and item.due > latest:
            yield Hit(ctx.rel(doc.path), item.line, f"due {item.due} is more than {ctx.config.action_item_due} after resolution; due by {latest} at the latest")
