"""--at parsing and time formatting: every time carries a timezone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from incidentkit.errors import UsageError
from incidentkit.timeutil import humanize, parse_duration, parse_when, stamp

BERLIN = ZoneInfo("Europe/Berlin")
CLOCK = datetime(2026, 11, 20, 23, 30, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-20T23:02:00+00:00", datetime(2026, 11, 20, 23, 2, tzinfo=timezone.utc)),
    ("2026-11-20T23:02Z", datetime(2026, 11, 20, 23, 2, tzinfo=timezone.utc)),
    ("2026-11-21T00:02:00+01:00", datetime(2026, 11, 20, 23, 2, tzinfo=timezone.utc)),
    ("now", CLOCK),
    ("23:02", datetime(2026, 11, 20, 23, 2, tzinfo=timezone.utc)),
])
def test_parse_when_in_utc(text: str, expected: datetime) -> None:
    parsed = parse_when(text, timezone.utc, clock=CLOCK)
    assert parsed == expected and parsed.utcoffset() is not None


def test_hh_mm_is_today_in_the_configured_zone() -> None:
    # 23:30 UTC is already the 21st in Berlin: 01:15 means 01:15 on the 21st, Berlin time.
    parsed = parse_when("01:15", BERLIN, clock=CLOCK)
    assert parsed.isoformat() == "2026-11-21T01:15:00+01:00"


@pytest.mark.parametrize("text", ["25:00", "yesterday", "2026-11-20T23:02", "23:2", "", "12:60"])
def test_bad_or_naive_times_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_when(text, timezone.utc, clock=CLOCK)
    assert caught.value.exit_code == 2
    assert "HH:MM" in str(caught.value) or "offset" in str(caught.value)


def test_durations_and_display() -> None:
    assert parse_duration("48h") == timedelta(hours=48)
    assert parse_duration("1d12h") == timedelta(hours=36)
    assert parse_duration("2w") == timedelta(days=14)
    with pytest.raises(ValueError):
        parse_duration("48 hours")
    assert humanize(timedelta(minutes=27)) == "27m"
    assert humanize(timedelta(hours=3, minutes=5)) == "3h 05m"
    assert humanize(timedelta(days=2, hours=3)) == "2d 3h"
    assert stamp(CLOCK, timezone.utc) == "2026-11-20 23:30 UTC"
    assert stamp(CLOCK, BERLIN) == "2026-11-21 00:30 +01:00"
