"""No private incident's id, title or text in anything incidentkit emits beyond the repo:
lessons.md, `incident stats`, notifications (the site has its own test in test_site.py)."""

from __future__ import annotations

import json
from pathlib import Path

from site_fixture import PRIVATE_ID, PRIVATE_LESSON, PRIVATE_TITLE, make_site_playbook
from test_notify_and_stats import Receiver

NEEDLES = [PRIVATE_ID, PRIVATE_TITLE, "zanzibar", "Zanzibar", PRIVATE_LESSON, "payroll"]


def assert_clean(text: str, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in text, (needle, where)


def test_lessons_and_stats_leave_private_incidents_out(tmp_path: Path) -> None:
    from conftest import run_incident

    root = make_site_playbook(tmp_path)
    assert run_incident("lessons", cwd=root).returncode == 0
    lessons = (root / "lessons.md").read_text()
    assert "Migrations need a lock timeout." in lessons  # the public lesson is there
    assert_clean(lessons, "lessons.md")
    stats = run_incident("stats", "--format", "json", cwd=root)
    assert json.loads(stats.stdout)["incidents"] == 2
    assert_clean(stats.stdout, "stats json")
    assert_clean(run_incident("stats", cwd=root).stdout, "stats text")


def test_notifications_never_carry_a_private_incident(tmp_path: Path, monkeypatch) -> None:
    from conftest import run_incident

    root = make_site_playbook(tmp_path)
    (root / "incidentkit.toml").write_text('[notify]\nwebhooks = ["INCIDENT_WEBHOOK_URL"]\n')
    receiver = Receiver()
    try:
        monkeypatch.setenv("INCIDENT_WEBHOOK_URL", receiver.url)
        assert run_incident("new", "Zanzibar again", "--private", "-s", "SEV1", cwd=root).returncode == 0
        assert run_incident("status", "3", "closed", cwd=root).returncode == 1  # refused: open action item
        assert run_incident("status", "5", "mitigated", cwd=root).returncode == 0
        assert run_incident("new", "Public outage", cwd=root).returncode == 0
    finally:
        receiver.close()
    assert [p["text"].split(" ")[0] for p in receiver.payloads] == ["INC-0006"]
    assert_clean(json.dumps(receiver.payloads), "notifications")
