"""Parsing and formatting of times and durations; every time carries a timezone."""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from incidentkit.errors import ConfigError, UsageError

_DURATION_PART = re.compile(r"(\d+)\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_HH_MM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def load_timezone(name: str) -> tzinfo:
    """The zone called ``name`` (IANA name or ``UTC``); ConfigError if unknown."""
    if name.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"unknown timezone {name!r}", hint="use an IANA name such as 'Europe/Berlin' or 'UTC'"
        ) from exc


@lru_cache(maxsize=64)
def parse_duration(text: str) -> timedelta:
    """``"48h"``, ``"14d"``, ``"1d12h"``, ``"90m"`` as a timedelta; ValueError otherwise."""
    compact = text.strip().lower().replace(" ", "")
    if not compact:
        raise ValueError("empty duration")
    pos = 0
    seconds = 0
    for match in _DURATION_PART.finditer(compact):
        if match.start() != pos:
            break
        seconds += int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(compact):
        raise ValueError(f"not a duration: {text!r} (use e.g. 48h, 14d, 1d12h)")
    return timedelta(seconds=seconds)


def now(tz: tzinfo) -> datetime:
    """The current time in ``tz``, to the second."""
    return datetime.now(tz).replace(microsecond=0)


def parse_when(text: str, tz: tzinfo, *, clock: datetime | None = None) -> datetime:
    """Parse an ``--at``/``--now`` value: ISO 8601 with an offset, ``HH:MM`` or ``now``.

    ``HH:MM`` is today in ``tz``. An ISO time without an offset is refused
    rather than guessed: a record at 2 am must not be off by the zone.
    """
    value = text.strip()
    current = clock or now(tz)
    if value.lower() == "now":
        return current.astimezone(tz)
    match = _HH_MM.match(value)
    if match:
        today = current.astimezone(tz).date()
        naive = datetime.combine(today, time(int(match.group(1)), int(match.group(2))))
        return naive.replace(tzinfo=tz)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"cannot read the time {text!r}",
            hint="use ISO 8601 with an offset (2026-11-20T23:02+00:00), HH:MM or now",
        ) from None
    if parsed.tzinfo is None:
        raise UsageError(
            f"the time {text!r} has no timezone",
            hint="add an offset such as +00:00 or Z, or give HH:MM for today in the configured timezone",
        )
    return parsed


def iso(moment: datetime) -> str:
    """The front-matter form: ``2026-11-20T23:02:00+00:00``."""
    return moment.isoformat(timespec="seconds")


def stamp(moment: datetime, tz: tzinfo) -> str:
    """The timeline form, to the minute in the display zone: ``2026-11-20 23:02 UTC``."""
    local = moment.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        label = "UTC"
    else:
        label = local.strftime("%z")
        label = f"{label[:3]}:{label[3:]}"
    return f"{local:%Y-%m-%d %H:%M} {label}"


def humanize(delta: timedelta) -> str:
    """``1h 05m``, ``2d 3h``, ``12m``: durations as people read them at 2 am."""
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    return f"{sign}{minutes}m"



def seconds_text(seconds: float) -> str:
    """``12s``, ``3m 05s``, ``1h 02m 03s``: drill timings, to the second."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def humanize_minutes(minutes: float) -> str:
    """:func:`humanize` for a duration given in minutes (the unit of the stats)."""
    return humanize(timedelta(minutes=minutes))
