"""Generate a realistic playbook of N incidents and N post-mortems for the benchmarks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

SERVICES = ["foresight", "shop", "api", "indecision", "billing"]
WORDS = ("deploy config rollback queue latency timeout migration cache scorer order trade user page "
         "alert restart worker cron backup disk memory index lock retry webhook token expiry").split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(root: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` incidents and as many post-mortems under ``root``; return root."""
    rng = random.Random(seed)
    (root / "incidents").mkdir(parents=True, exist_ok=True)
    (root / "postmortems").mkdir(exist_ok=True)
    (root / "runbooks").mkdir(exist_ok=True)
    (root / "incidentkit.toml").write_text("")
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    for number in range(1, count + 1):
        detected = start + timedelta(hours=number * 3 + rng.randint(0, 2))
        mitigated = detected + timedelta(minutes=rng.randint(2, 90))
        resolved = mitigated + timedelta(hours=rng.randint(1, 30))
        severity = f"SEV{rng.randint(1, 4)}"
        service = rng.choice(SERVICES)
        stem = f"INC-{number:04d}-{service}-{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        timeline = "\n".join(
            f"- {(detected + timedelta(minutes=m)):%Y-%m-%d %H:%M} UTC — {_sentence(rng, 8)}" for m in range(0, 60, 6)
        )
        (root / "incidents" / f"{stem}.md").write_text(f"""---
id: INC-{number:04d}
title: {_sentence(rng, 6)[:-1]}
severity: {severity}            # SEV1 | SEV2 | SEV3 | SEV4
status: resolved          # open → mitigated → resolved → closed
detected_at: {detected.isoformat()}
started_at: {(detected - timedelta(minutes=rng.randint(0, 30))).isoformat()}
mitigated_at: {mitigated.isoformat()}
resolved_at: {resolved.isoformat()}
closed_at:
services: [{service}]
detection: alert
drill: false
private: {str(number % 50 == 0).lower()}
---
## Summary

<!-- One or two sentences: what is broken, for whom, since when. -->
{_sentence(rng, 20)}

## Triage

{_sentence(rng, 30)}

## Timeline

{timeline}

## Mitigation log

| time | action | result |
|---|---|---|
| {mitigated:%Y-%m-%d %H:%M} UTC | {_sentence(rng, 6)} | verified |

## Root cause

{_sentence(rng, 40)}

## Fix

{_sentence(rng, 25)}

## Data hygiene

{_sentence(rng, 15)}
""")
        due = (resolved + timedelta(days=rng.randint(1, 14))).date()
        (root / "postmortems" / f"{stem}.md").write_text(f"""---
incident: INC-{number:04d}
title: {_sentence(rng, 5)[:-1]}
status: published         # draft | published
date: {(resolved + timedelta(hours=20)).date()}
authors: [sam]
---
## What happened?

{_sentence(rng, 40)}

## Why did it happen?

{_sentence(rng, 40)}

## What did we do?

{_sentence(rng, 20)}

## What went well?

{_sentence(rng, 12)}

## What went poorly?

{_sentence(rng, 12)}

## What will we change?

- [x] {_sentence(rng, 7)} @sam due:{due}
- [x] {_sentence(rng, 7)} @alex due:{due}

## What did we learn?

- {_sentence(rng, 14)}
- {_sentence(rng, 10)}
""")
    return root
