"""The incident lifecycle: status transitions with their timestamps, durations, next step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from incidentkit.config import STATUSES, Config
from incidentkit.documents.model import TIME_KEYS, Incident, Postmortem
from incidentkit.errors import IncidentkitError
from incidentkit.timeutil import iso, stamp

STATUS_TIME = {"mitigated": "mitigated_at", "resolved": "resolved_at", "closed": "closed_at"}


def transition(incident: Incident, target: str, at: datetime) -> dict[str, Any]:
    """The front-matter updates that move ``incident`` to ``target`` at ``at``.

    Forward only (open → mitigated → resolved → closed). A skipped step gets
    no invented timestamp. ``at`` must not come before a time already recorded.
    """
    if target not in STATUS_TIME:
        raise IncidentkitError(f"cannot set status {target!r}", hint="use mitigated, resolved or closed")
    current = incident.status
    if current not in STATUSES:
        raise IncidentkitError(
            f"{incident.id} has an unknown status {current!r}",
            path=incident.path,
            line=incident.front.line_of("status"),
            hint="fix it by hand to one of " + ", ".join(STATUSES),
        )
    if STATUSES.index(target) == STATUSES.index(current):
        raise IncidentkitError(f"{incident.id} is already {current}")
    if STATUSES.index(target) < STATUSES.index(current):
        raise IncidentkitError(
            f"{incident.id} is {current}; it cannot go back to {target}",
            hint="the lifecycle only moves forward: open → mitigated → resolved → closed; "
            "if it broke again, open a new incident and link them",
        )
    key = STATUS_TIME[target]
    for earlier in TIME_KEYS[: TIME_KEYS.index(key)]:
        recorded = incident.time(earlier)
        if recorded is not None and at < recorded:
            raise IncidentkitError(
                f"{key} {iso(at)} would come before {earlier} {iso(recorded)}",
                path=incident.path,
                line=incident.front.line_of(earlier),
                hint="pass --at with the real time, or fix the earlier time by hand",
            )
    return {"status": target, key: at}


@dataclass(frozen=True)
class Durations:
    to_detect: timedelta | None
    to_mitigate: timedelta | None
    to_resolve: timedelta | None


def durations(incident: Incident) -> Durations:
    """Time to detect, mitigate and resolve, measured from the impact start."""
    start = incident.impact_start
    started, detected = incident.time("started_at"), incident.time("detected_at")
    mitigated, resolved = incident.time("mitigated_at"), incident.time("resolved_at")
    return Durations(
        to_detect=detected - started if started and detected else None,
        to_mitigate=mitigated - start if start and mitigated else None,
        to_resolve=resolved - start if start and resolved else None,
    )


def next_step(incident: Incident, config: Config, postmortem: Postmortem | None = None) -> str:
    """What the person on call should do next, as one line with the command."""
    ref = incident.id
    status = incident.status
    if status == "open":
        return (
            "Stop the bleeding: flip a kill switch (`incident switch off NAME`) or log what you did "
            f"(`incident mitigate {ref} \"…\"`), then `incident status {ref} mitigated`."
        )
    if status == "mitigated":
        return (
            "Fix the root cause: a targeted change with a regression test, validated after deploy; "
            f"then fill Root cause, Fix, Data hygiene and run `incident status {ref} resolved`."
        )
    if status == "resolved":
        close = f"close with `incident status {ref} closed` once its action items are done."
        if postmortem is not None and postmortem.status == "published":
            return f"The post-mortem is published; {close}"
        resolved = incident.time("resolved_at")
        due = f" (due {stamp(resolved + config.duration('postmortem_due'), config.tz)})" if resolved else ""
        if postmortem is not None:
            return f"Finish the post-mortem and set `status: published`{due}; then {close}"
        return f"Write the post-mortem{due}: `incident postmortem {ref}`; {close}"
    if status == "closed":
        return "Nothing left: the lesson is in lessons.md (`incident lessons`)."
    return f"Unknown status {status!r}: fix it to one of {', '.join(STATUSES)}."
