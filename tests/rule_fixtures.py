"""A clean playbook in which no rule fires; each rule's case breaks exactly one thing."""

from __future__ import annotations

from pathlib import Path

INCIDENT = "incidents/INC-0001-checkout-down.md"
POSTMORTEM = "postmortems/INC-0001-checkout-down.md"
DRILL = "incidents/INC-0002-fire-drill.md"
INVENTORY = "runbooks/kill-switches.md"
CHECKLIST = "runbooks/layer-1.md"
PLAYBOOK = "runbooks/playbook.md"
LESSONS = "lessons.md"

CLEAN = {
    INCIDENT: """---
id: INC-0001
title: Checkout down
severity: SEV2
status: resolved
detected_at: 2026-11-01T10:00:00+00:00
started_at: 2026-11-01T09:50:00+00:00
mitigated_at: 2026-11-01T10:10:00+00:00
resolved_at: 2026-11-01T12:00:00+00:00
closed_at:
services: [shop]
detection: alert
drill: false
private: false
---
## Summary

Checkout returned 500s.

## Triage

Deploy at 09:45.

## Timeline

- 2026-11-01 10:00 UTC — declared

## Mitigation log

| time | action | result |
|---|---|---|
| 2026-11-01 10:05 UTC | rollback | verified |

## Root cause

A bad migration.

## Fix

Reverted.

## Data hygiene

No data affected.
""",
    POSTMORTEM: """---
incident: INC-0001
title: Checkout down after a migration
status: published
date: 2026-11-02
authors: [sam]
---
## What happened?

Checkout failed for two hours.

## Why did it happen?

The migration locked the orders table.

## What did we do?

Rolled back at 10:05.

## What went well?

The alert fired.

## What went poorly?

Ten minutes to find the deploy.

## What will we change?

- [x] Run migrations in a transaction @sam due:2026-11-05
- [ ] Alert on lock waits @sam due:2026-11-15

## What did we learn?

- Migrations need a lock timeout.
""",
    DRILL: """---
id: INC-0002
title: Fire drill
severity: SEV3
status: closed
detected_at: 2026-11-05T10:00:00+00:00
mitigated_at: 2026-11-05T10:05:00+00:00
resolved_at: 2026-11-05T10:06:00+00:00
closed_at: 2026-11-05T10:06:00+00:00
detection: drill
drill: true
---
## Summary

Quarterly drill.

## Timeline

- 2026-11-05 10:00 UTC — Fire drill started
""",
    INVENTORY: """---
switches:
  - name: trading
    kind: json
    file: ../bot/config.json
    key: TRADING_ENABLED
    off_value: false
    on_value: true
    owner: sam
    tested_at: 2026-11-01
---
# Kill switches
""",
    CHECKLIST: """# Layer 1

1. Open the record.
2. Stop trading (switch:trading).
3. Mark it mitigated.
""",
    LESSONS: """# Lessons

Hand-written intro.

<!-- incidentkit:lessons:start -->
## shop

- Migrations need a lock timeout. (INC-0001, Checkout down, 2026-11-02)
<!-- incidentkit:lessons:end -->
""",
    PLAYBOOK: """# Playbook

## Most critical feature

Orders.

## Turn it off in 60 seconds

`incident switch off trading`

## Where the logs are

journalctl -u bot

## What healthy looks like

Five orders an hour.

## Who to notify

Nobody else.
""",
}


def write_playbook(root: Path, files: dict[str, str | bytes | None]) -> None:
    (root / "incidentkit.toml").write_text("")
    for folder in ("incidents", "postmortems", "runbooks"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
