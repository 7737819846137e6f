"""Terminal output of the CLI (rich, imported only by the commands that print tables)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from incidentkit.documents.model import TIME_KEYS, Incident
from incidentkit.errors import DocumentError
from incidentkit.lifecycle import Durations, durations, next_step
from incidentkit.playbook import Playbook
from incidentkit.timeutil import humanize, humanize_minutes, stamp

SEVERITY_STYLE = {"SEV1": "bold red", "SEV2": "red", "SEV3": "yellow", "SEV4": "cyan"}
STATUS_STYLE = {"open": "bold red", "mitigated": "yellow", "resolved": "green", "closed": "dim"}


def _console() -> Any:
    from rich.console import Console

    # Piped output keeps whole lines, so that grep and scripts see one row per line.
    return Console(width=None if sys.stdout.isatty() else 400, highlight=False)


def _safe_time(incident: Incident, key: str) -> Any:
    try:
        return incident.time(key)
    except DocumentError:  # a hand-broken time: shown raw, reported by `incident check`
        return None


def incident_rows(playbook: Playbook, incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """Plain data about each incident (the JSON of `incident list`)."""
    rows = []
    for incident in incidents:
        row: dict[str, Any] = {
            "id": incident.id,
            "title": incident.title,
            "severity": incident.severity,
            "status": incident.status,
        }
        for key in TIME_KEYS:
            value = _safe_time(incident, key)
            row[key] = value.isoformat() if value else None
        row.update(
            services=incident.services,
            drill=incident.drill,
            private=incident.private,
            path=playbook.relative(incident.path),
        )
        rows.append(row)
    return rows


def _table(columns: tuple[str, ...], wrap: tuple[str, ...]) -> Any:
    """A borderless table whose only wrapping columns are ``wrap``."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, no_wrap=column not in wrap)
    return table


def render_table(rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    console = _console()
    if not rows:
        console.print("No incidents.")
        return
    table = _table(("id", "severity", "status", "detected", "title"), wrap=("title",))
    for row in rows:
        detected = (row["detected_at"] or "")[:16].replace("T", " ")
        title = escape(row["title"]) + (" [dim](drill)[/]" if row["drill"] else "") + (" [dim](private)[/]" if row["private"] else "")
        table.add_row(
            row["id"],
            f"[{SEVERITY_STYLE.get(row['severity'], 'none')}]{escape(row['severity'])}[/]",
            f"[{STATUS_STYLE.get(row['status'], 'none')}]{escape(row['status'])}[/]",
            detected,
            title,
        )
    console.print(table)


def render_incident(playbook: Playbook, incident: Incident) -> None:
    from rich.markup import escape

    console = _console()
    tz = playbook.config.tz
    sev = incident.severity
    console.print(f"[bold]{escape(incident.id)}[/] {escape(incident.title)}")
    definition = playbook.config.severities.get(sev, "")
    console.print(f"  {'severity':<16} [{SEVERITY_STYLE.get(sev, 'none')}]{escape(sev)}[/]" + (f" — {escape(definition)}" if definition else ""))
    console.print(f"  {'status':<16} [{STATUS_STYLE.get(incident.status, 'none')}]{escape(incident.status)}[/]")
    for key in TIME_KEYS:
        value = _safe_time(incident, key)
        raw = incident.meta.get(key)
        if value is not None:
            console.print(f"  {key:<16} {stamp(value, tz)}")
        elif raw not in (None, ""):
            console.print(f"  {key:<16} [red]{escape(str(raw))} (no timezone)[/]")
    if incident.services:
        console.print(f"  {'services':<16} {escape(', '.join(incident.services))}")
    try:
        spans = durations(incident)
    except DocumentError:
        spans = Durations(None, None, None)
    for label, value in (("detect", spans.to_detect), ("mitigate", spans.to_mitigate), ("resolve", spans.to_resolve)):
        if value is not None:
            console.print(f"  {'time to ' + label:<16} {humanize(value)}")
    try:
        postmortem = playbook.load_postmortem(incident)
    except DocumentError as exc:
        postmortem = None
        console.print(f"  {'post-mortem':<16} [red]{escape(str(exc))}[/]")
    if postmortem is not None:
        console.print(f"  {'post-mortem':<16} {playbook.relative(postmortem.path)} ({escape(postmortem.status)})")
    console.print(f"  {'file':<16} {playbook.relative(incident.path)}")
    console.print(f"\n[bold]Next:[/] {escape(next_step(incident, playbook.config, postmortem))}")


ACTION_STYLE = {"overdue": "bold red", "open": "yellow", "done": "dim"}


def render_actions(rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    console = _console()
    if not rows:
        console.print("No action items.")
        return
    table = _table(("state", "due", "owner", "incident", "item", "where"), wrap=("item",))
    for row in rows:
        table.add_row(
            f"[{ACTION_STYLE.get(row['state'], 'none')}]{row['state']}[/]",
            row["due"] or "-",
            f"@{escape(row['owner'])}" if row["owner"] else "-",
            escape(row["incident"]),
            escape(row["title"]),
            f"{escape(row['path'])}:{row['line']}",
        )
    console.print(table)


def render_switches(rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    console = _console()
    if not rows:
        console.print("No switches yet: add them to runbooks/kill-switches.md.")
        return
    table = _table(("name", "kind", "owner", "tested", "target", "description"), wrap=("target", "description"))
    for row in rows:
        table.add_row(*(escape(str(row[key] or "-")) for key in ("name", "kind", "owner", "tested_at", "target", "description")))
    console.print(table)


def render_stats(stats: Any) -> None:
    def minutes(value: float | None) -> str:
        return "-" if value is None else humanize_minutes(value)

    console = _console()
    console.print(f"{stats.incidents} incidents, {stats.drills} fire drills (counted apart)")
    table = _table(("severity", "incidents", "median to mitigate", "p90 to mitigate", "median to resolve", "p90 to resolve"), wrap=())
    for severity, count in stats.by_severity.items():
        m, r = stats.to_mitigate.get(severity), stats.to_resolve.get(severity)
        table.add_row(severity, str(count), minutes(m.median_minutes if m else None), minutes(m.p90_minutes if m else None),
                      minutes(r.median_minutes if r else None), minutes(r.p90_minutes if r else None))
    console.print(table)
    months = _table(("month", *stats.severities), wrap=())
    for month, counts in stats.by_month.items():
        months.add_row(month, *(str(counts.get(s, 0)) for s in stats.severities))
    console.print(months)
