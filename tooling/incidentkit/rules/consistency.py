"""IK4xx: consistency between times, statuses and files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from incidentkit.config import STATUSES
from incidentkit.documents.model import TIME_KEYS, Incident, Postmortem
from incidentkit.lifecycle import STATUS_TIME
from incidentkit.rules.context import CheckedFile, Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.registry import rule


def _aware_times(doc: Incident) -> list[tuple[str, datetime]]:
    times = []
    for key in TIME_KEYS:
        value = doc.meta.get(key)
        if isinstance(value, datetime) and value.tzinfo is not None:
            times.append((key, value))
    return times


@rule("IK401", "times-out-of-order", "incident", content=True)
def times_out_of_order(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """Times are out of order.

    started_at ≤ detected_at ≤ mitigated_at ≤ resolved_at ≤ closed_at.
    """
    times = _aware_times(doc)
    for (earlier, first), (later, second) in zip(times, times[1:]):
        if second < first:
            yield Hit(ctx.rel(doc.path), doc.front.line_of(later), f"`{later}` ({second.isoformat()}) comes before `{earlier}` ({first.isoformat()})")


@rule("IK402", "status-without-time", "incident", content=True)
def status_without_time(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """The status has no timestamp of its own.

    `mitigated` needs `mitigated_at`, `resolved` needs `resolved_at`,
    `closed` needs `closed_at`. A skipped step (open → resolved) needs none.
    """
    key = STATUS_TIME.get(doc.status)
    if key and doc.meta.get(key) in (None, ""):
        yield Hit(ctx.rel(doc.path), doc.front.line_of("status"), f"status is {doc.status} but `{key}` is not set")


@rule("IK403", "time-ahead-of-status", "incident", content=True)
def time_ahead_of_status(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """A timestamp belongs to a status the incident has not reached.

    For example `resolved_at` set while the status is still `mitigated`:
    either the status or the time is wrong.
    """
    if doc.status not in STATUSES:
        return
    reached = STATUSES.index(doc.status)
    for status, key in STATUS_TIME.items():
        if STATUSES.index(status) > reached and doc.meta.get(key) not in (None, ""):
            yield Hit(ctx.rel(doc.path), doc.front.line_of(key), f"`{key}` is set but the status is still {doc.status}")


@rule("IK404", "postmortem-without-incident", "postmortem")
def postmortem_without_incident(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A post-mortem names an incident that does not exist."""
    if ctx.incident_for(doc) is None and doc.path.name not in ctx.listing(ctx.playbook.incidents_dir):
        yield Hit(ctx.rel(doc.path), doc.front.line_of("incident"),
                  f"no incident {doc.incident_id or doc.path.stem} in {ctx.config.folders.incidents}/")


@rule("IK405", "closed-with-open-items", "incident")
def closed_with_open_items(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """A closed incident still has open action items.

    Close an incident when every action item of its post-mortem is done.
    """
    if doc.status != "closed":
        return
    postmortem = ctx.postmortem_for(doc)
    if postmortem is None:
        return
    open_items = [item for item in ctx.items(postmortem) if not item.done]
    if open_items:
        where = ", ".join(f"{ctx.rel(postmortem.path)}:{item.line}" for item in open_items)
        yield Hit(ctx.rel(doc.path), doc.front.line_of("status"), f"closed with {len(open_items)} open action item(s): {where}")


@rule("IK406", "lessons-out-of-date", "repo")
def lessons_out_of_date(ctx: Context, files: list[CheckedFile], whole: bool) -> Iterator[Hit]:
    """lessons.md does not hold the lessons of the published post-mortems.

    Every session starts by loading lessons.md, so it must be current:
    `incident lessons` compiles it (your text outside the markers is kept).
    Not judged while a post-mortem or its incident cannot be read.
    """
    if not whole and not any(f.kind in ("postmortem", "lessons") for f in files):
        return
    from incidentkit.errors import IncidentkitError
    from incidentkit.lessons import LESSONS_FILE, START, compile_lessons

    sources = ctx.lesson_sources()
    if sources is None:
        return  # IK101 / IK102 report the unreadable file; its lessons cannot be judged
    try:
        current, compiled = compile_lessons(ctx.playbook, sources, ctx.today)
    except IncidentkitError as exc:
        yield Hit(LESSONS_FILE, exc.line or 1, f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
        return
    if current != compiled:
        line = current.count("\n", 0, current.find(START)) + 1 if START in current else 1
        state = "is missing" if not current else "is out of date"
        yield Hit(LESSONS_FILE, line, f"lessons.md {state}; run `incident lessons` to compile it")
