"""The 2 am path end to end through the real CLI in a temporary git repository."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from conftest import git

from incidentkit.documents.model import Incident


def test_new_log_mitigate_mitigated_resolved_keeps_hand_edits(playbook: Path, incident) -> None:
    created = incident(
        "new", "Foresight placed trades with inflated conviction scores", "-s", "SEV1",
        "--summary", "Trades with conviction > 0.95 since 22:40.", "--service", "foresight",
        "--started-at", "2026-11-20T22:40:00+00:00", "--at", "2026-11-20T23:02:00+00:00",
    )
    assert created.returncode == 0, created.stderr
    # stdout is exactly the path, so that $EDITOR "$(incident new ...)" works
    assert created.stdout == "incidents/INC-0001-foresight-placed-trades-with-inflated-conviction.md\n"
    path = playbook / created.stdout.strip()

    assert incident("log", "Discord alert: five trades with conviction > 0.95", "--at", "2026-11-20T23:03:00+00:00").returncode == 0

    # The engineer edits the file by hand between two commands: a note under Triage,
    # a comment in the front matter. Those bytes must survive every later command.
    text = path.read_text()
    hand_triage = "## Triage\n\nDeploy at 22:31 renamed `conviction_raw`; scorer reads the old name.  \n"
    text = text.replace("## Triage\n", hand_triage, 1)
    text = text.replace("drill: false", "drill: false   # hand comment, keep me", 1)
    path.write_text(text)

    assert incident("mitigate", "Set TRADING_ENABLED=false", "--result", "verified", "--at", "2026-11-20T23:06:00+00:00").returncode == 0
    mitigated = incident("status", "mitigated", "--at", "2026-11-20T23:07:00+00:00")
    assert mitigated.returncode == 0, mitigated.stderr
    resolved = incident("status", "1", "resolved", "--at", "2026-11-21T02:10:00+00:00")
    assert resolved.returncode == 0, resolved.stderr

    final = path.read_text()
    assert hand_triage in final
    assert "drill: false   # hand comment, keep me\n" in final
    # Everything before the first edit point is byte-for-byte what existed before.
    before_lines = text.splitlines(keepends=True)
    after_lines = final.splitlines(keepends=True)
    removed = [line for line in before_lines if line not in after_lines]
    assert [line.split(":")[0] for line in removed] == ["status", "mitigated_at", "resolved_at"]

    doc = Incident.read(path)
    assert doc.status == "resolved"
    times = [doc.time(k) for k in ("started_at", "detected_at", "mitigated_at", "resolved_at")]
    assert all(isinstance(t, datetime) and t.utcoffset() is not None for t in times)
    assert times == sorted(times)
    assert doc.time("mitigated_at").isoformat() == "2026-11-20T23:07:00+00:00"
    assert "mitigated_at: 2026-11-20T23:07:00+00:00\n" in final
    assert "resolved_at: 2026-11-21T02:10:00+00:00\n" in final
    assert doc.meta["closed_at"] is None

    log = final[final.index("## Mitigation log"):final.index("## Root cause")]
    assert "| 2026-11-20 23:06 UTC | Set TRADING_ENABLED=false | verified |\n" in log
    timeline = final[final.index("## Timeline"):final.index("## Mitigation log")]
    stamps = re.findall(r"^- (\d{4}-\d\d-\d\d \d\d:\d\d UTC) — (.*)$", timeline, re.M)
    assert [s for s, _ in stamps] == sorted(s for s, _ in stamps)
    assert [text for _, text in stamps] == [
        "Incident declared (SEV1): Foresight placed trades with inflated conviction scores",
        "Discord alert: five trades with conviction > 0.95",
        "Status: mitigated",
        "Status: resolved",
    ]

    shown = incident("show")
    assert shown.returncode == 1  # nothing is active any more: show needs a REF
    shown = incident("show", "INC-0001")
    assert "time to mitigate" in shown.stdout and "27m" in shown.stdout  # from started_at 22:40
    assert "time to resolve" in shown.stdout and "3h 30m" in shown.stdout
    assert "incident postmortem INC-0001" in shown.stdout

    # The record is a plain file in git: it commits like any other.
    git("add", "-A", cwd=playbook)
    git("commit", "-qm", "INC-0001", cwd=playbook)
    committed = git("show", "--name-only", "--format=", "HEAD", cwd=playbook).split()
    assert committed == [created.stdout.strip()]  # lock files in .incidentkit/ stay out of git


def test_new_without_at_uses_the_clock_with_an_offset(playbook: Path, incident) -> None:
    path = playbook / incident("new", "Checkout down", "--summary", "500s").stdout.strip()
    doc = Incident.read(path)
    detected = doc.time("detected_at")
    assert detected is not None and detected.utcoffset() is not None
    assert abs((datetime.now(detected.tzinfo) - detected).total_seconds()) < 120


def test_list_and_show_the_open_incident(playbook: Path, incident) -> None:
    incident("new", "Old one", "--at", "2026-11-01T10:00:00+00:00", check=True)
    incident("status", "1", "resolved", "--at", "2026-11-01T11:00:00+00:00", check=True)
    incident("new", "Checkout down", "-s", "SEV2", "--at", "2026-11-20T10:00:00+00:00", check=True)
    listing = incident("list")
    lines = listing.stdout.splitlines()
    assert lines[1].split()[:3] == ["INC-0002", "SEV2", "open"]  # newest first
    assert lines[2].split()[:3] == ["INC-0001", "SEV2", "resolved"]
    only_open = incident("list", "--open", "--format", "json")
    import json

    rows = json.loads(only_open.stdout)
    assert [r["id"] for r in rows] == ["INC-0002"]
    assert rows[0]["detected_at"] == "2026-11-20T10:00:00+00:00"
    shown = incident("show")  # the single active incident needs no REF
    assert shown.stdout.startswith("INC-0002 Checkout down")
    assert "Stop the bleeding" in shown.stdout


def test_show_next_step_follows_the_post_mortem(playbook: Path, incident) -> None:
    path = playbook / incident("new", "Checkout down", "--at", "2026-11-20T10:00:00+00:00", check=True).stdout.strip()
    incident("status", "resolved", "--at", "2026-11-20T11:00:00+00:00", check=True)
    assert "Write the post-mortem (due 2026-11-22 11:00 UTC)" in incident("show", "1").stdout
    postmortem = playbook / "postmortems" / path.name
    postmortem.write_text("---\nincident: INC-0001\nstatus: draft\n---\n")
    assert "Finish the post-mortem and set `status: published`" in incident("show", "1").stdout
    postmortem.write_text("---\nincident: INC-0001\nstatus: published\n---\n")
    assert "The post-mortem is published; close with" in incident("show", "1").stdout
