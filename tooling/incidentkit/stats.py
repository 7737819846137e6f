"""Incident numbers: counts by severity and month, time to mitigate and resolve.

One function feeds `incident stats` and the site's stats page, so both show
the same numbers. Drills are counted apart; private incidents are left out
wherever the numbers are published.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from incidentkit.documents.model import Incident
from incidentkit.errors import DocumentError
from incidentkit.lifecycle import durations


def percentile(values: list[float], p: float) -> float | None:
    """The ``p``-th percentile by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Spread:
    count: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass
class Stats:
    severities: list[str]
    incidents: int = 0
    drills: int = 0
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # "2026-11" -> severity -> count
    by_severity: dict[str, int] = field(default_factory=dict)
    to_mitigate: dict[str, Spread] = field(default_factory=dict)
    to_resolve: dict[str, Spread] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        def spread(d: dict[str, Spread]) -> dict[str, dict[str, float | int | None]]:
            return {k: {"count": v.count, "median_minutes": v.median_minutes, "p90_minutes": v.p90_minutes} for k, v in d.items()}

        return {
            "incidents": self.incidents,
            "drills": self.drills,
            "by_severity": self.by_severity,
            "by_month": self.by_month,
            "time_to_mitigate": spread(self.to_mitigate),
            "time_to_resolve": spread(self.to_resolve),
        }


def _minutes(delta: timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds() / 60


def compute_stats(incidents: Iterable[Incident], severities: list[str], *, include_private: bool = False) -> Stats:
    """The numbers of ``incidents``: drills counted apart, private ones left out unless asked."""
    stats = Stats(severities=list(severities))
    mitigate: dict[str, list[float]] = {}
    resolve: dict[str, list[float]] = {}
    for incident in incidents:
        if incident.private and not include_private:
            continue
        if incident.drill:
            stats.drills += 1
            continue
        try:
            detected = incident.time("detected_at")
            spans = durations(incident)
        except DocumentError:
            continue  # a time without a zone: `incident check` reports it
        if detected is None:
            continue
        severity = incident.severity
        stats.incidents += 1
        stats.by_severity[severity] = stats.by_severity.get(severity, 0) + 1
        month = stats.by_month.setdefault(f"{detected:%Y-%m}", {})
        month[severity] = month.get(severity, 0) + 1
        if (m := _minutes(spans.to_mitigate)) is not None:
            mitigate.setdefault(severity, []).append(m)
        if (r := _minutes(spans.to_resolve)) is not None:
            resolve.setdefault(severity, []).append(r)
    order = {name: i for i, name in enumerate(stats.severities)}
    stats.by_month = dict(sorted(stats.by_month.items()))
    stats.by_severity = dict(sorted(stats.by_severity.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    for target, source in ((stats.to_mitigate, mitigate), (stats.to_resolve, resolve)):
        for severity in sorted(source, key=lambda s: (order.get(s, len(order)), s)):
            values = source[severity]
            target[severity] = Spread(len(values), percentile(values, 50), percentile(values, 90))
    return stats
