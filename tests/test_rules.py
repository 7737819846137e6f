"""One table-driven case per rule: a minimal change that triggers it at an exact line and
column, against a clean playbook in which no rule fires."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest
from rule_fixtures import CHECKLIST, CLEAN, DRILL, INCIDENT, INVENTORY, LESSONS, PLAYBOOK, POSTMORTEM, write_playbook

from incidentkit.playbook import Playbook
from incidentkit.rules import RULES, check

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)


def edit(rel: str, old: str, new: str) -> Callable[[dict], None]:
    def apply(files: dict) -> None:
        assert old in files[rel], (rel, old)
        files[rel] = files[rel].replace(old, new, 1)
    return apply


def put(rel: str, content: str | bytes | None) -> Callable[[dict], None]:
    def apply(files: dict) -> None:
        files[rel] = content
    return apply


@dataclass
class Case:
    code: str
    change: list[Callable[[dict], None]]
    where: tuple[str, int, int]
    now: datetime = NOW
    also: set[str] = field(default_factory=set)


CASES = [
    Case("IK101", [put(INCIDENT, CLEAN[INCIDENT].encode().replace(b"500s.", b"500s \xff."))], (INCIDENT, 18, 1)),
    Case("IK102", [edit(INCIDENT, "severity: SEV2", "severity: [SEV2")], (INCIDENT, 5, 7)),
    Case("IK103", [edit(INCIDENT, "title: Checkout down\n", "")], (INCIDENT, 14, 1), also={"IK406"}),
    Case("IK104", [edit(POSTMORTEM, "authors: [sam]\n", "")], (POSTMORTEM, 6, 1)),
    Case("IK105", [edit(INCIDENT, "title: Checkout down", "title: 10:30")], (INCIDENT, 3, 1), also={"IK406"}),
    Case("IK106", [edit(POSTMORTEM, "date: 2026-11-02", "date: next week")], (POSTMORTEM, 5, 1), also={"IK406"}),
    Case("IK107", [edit(INCIDENT, "severity: SEV2", "severity: SEV9")], (INCIDENT, 4, 1)),
    Case("IK108", [edit(POSTMORTEM, "status: published", "status: final")], (POSTMORTEM, 4, 1), also={"IK301", "IK406"}),
    Case("IK109", [edit(INCIDENT, "detected_at: 2026-11-01T10:00:00+00:00", "detected_at: 2026-11-01T10:00:00")], (INCIDENT, 6, 1)),
    Case("IK110", [edit(INCIDENT, "id: INC-0001", "id: INC-0003")], (INCIDENT, 2, 1), also={"IK406"}),
    Case("IK111", [edit(POSTMORTEM, "incident: INC-0001", "incident: INC-0007")], (POSTMORTEM, 2, 1)),
    Case("IK112", [put("incidents/INC-0001-copy.md", CLEAN[INCIDENT])], (INCIDENT, 1, 1), also={"IK301"}),
    Case("IK113", [put("incidents/notes.md", "# notes\n")], ("incidents/notes.md", 1, 1)),
    Case("IK114", [edit(INCIDENT, "severity: SEV2\n", "severity: SEV2\nseverity: SEV3\n")], (INCIDENT, 5, 1)),
    Case("IK201", [edit(INCIDENT, "## Data hygiene\n\nNo data affected.\n", "")], (INCIDENT, 5, 1)),
    Case("IK202", [edit(INCIDENT, "A bad migration.", "TODO")], (INCIDENT, 34, 1)),
    Case("IK203", [edit(INCIDENT, "| 2026-11-01 10:05 UTC | rollback | verified |\n", "")], (INCIDENT, 28, 1)),
    Case("IK204", [edit(POSTMORTEM, "The alert fired.", "<!-- hint -->")], (POSTMORTEM, 20, 1)),
    Case("IK205", [edit(POSTMORTEM, "- [x] Run migrations in a transaction @sam due:2026-11-05\n- [ ] Alert on lock waits @sam due:2026-11-15\n", "Nothing.\n")],
         (POSTMORTEM, 28, 1)),
    Case("IK206", [edit(POSTMORTEM, "- Migrations need a lock timeout.", "Nothing learnt.")], (POSTMORTEM, 33, 1), also={"IK406"}),
    Case("IK207", [edit(POSTMORTEM, "Alert on lock waits @sam due:2026-11-15", "Alert on lock waits due:2026-11-15")], (POSTMORTEM, 31, 1)),
    Case("IK301", [put(POSTMORTEM, None)], (INCIDENT, 9, 1), also={"IK406"}),
    Case("IK302", [], (POSTMORTEM, 31, 1), now=datetime(2026, 11, 16, 0, 1, tzinfo=timezone.utc)),
    Case("IK303", [edit(POSTMORTEM, "due:2026-11-15", "due:2026-11-16")], (POSTMORTEM, 31, 1)),
    Case("IK401", [edit(INCIDENT, "mitigated_at: 2026-11-01T10:10:00+00:00", "mitigated_at: 2026-11-01T09:00:00+00:00")], (INCIDENT, 8, 1)),
    Case("IK402", [edit(INCIDENT, "resolved_at: 2026-11-01T12:00:00+00:00", "resolved_at:")], (INCIDENT, 5, 1)),
    Case("IK403", [edit(INCIDENT, "status: resolved", "status: mitigated")], (INCIDENT, 9, 1)),
    Case("IK404", [put("postmortems/INC-0009-ghost.md", "---\nincident: INC-0009\nstatus: draft\n---\n")], ("postmortems/INC-0009-ghost.md", 2, 1)),
    Case("IK405", [edit(INCIDENT, "status: resolved", "status: closed"), edit(INCIDENT, "closed_at:", "closed_at: 2026-11-03T12:00:00+00:00")], (INCIDENT, 5, 1)),
    Case("IK406", [edit(POSTMORTEM, "- Migrations need a lock timeout.", "- Migrations need a lock timeout of 5 s.")], (LESSONS, 5, 1)),
    Case("IK501", [edit(INCIDENT, "Deploy at 09:45.", "Deploy at 09:45 with aws_access_key_id = AKIAIOSFODNN7EXAMPLE")], (INCIDENT, 22, 42)),
    Case("IK601", [edit(INVENTORY, "    owner: sam\n", "")], (INVENTORY, 3, 5)),
    Case("IK602", [edit(INVENTORY, "tested_at: 2026-11-01", "tested_at: 2026-08-01")], (INVENTORY, 10, 5)),
    Case("IK603", [edit(CHECKLIST, "(switch:trading)", "(switch:trading-v2)")], (CHECKLIST, 4, 1)),
    Case("IK604", [edit(DRILL, "detected_at: 2026-11-05T10:00:00+00:00", "detected_at: 2026-08-01T10:00:00+00:00")], (CHECKLIST, 1, 1), also={"IK401"}),
    Case("IK605", [edit(PLAYBOOK, "Nobody else.", "<!-- who? -->")], (PLAYBOOK, 19, 1)),
]


def run(tmp_path: Path, files: dict, now: datetime):
    write_playbook(tmp_path, files)
    return check(Playbook.open(tmp_path), now=now)


def test_the_clean_playbook_has_no_finding(tmp_path: Path) -> None:
    """The clean counterpart of every case below: the same files, untouched."""
    result = run(tmp_path, dict(CLEAN), NOW)
    assert result.findings == []
    assert result.files == 7


def test_every_rule_has_a_case_and_a_docstring() -> None:
    assert sorted(c.code for c in CASES) == sorted(RULES)
    for rule in RULES.values():
        assert len(rule.summary) > 20, rule.code


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_rule(case: Case, tmp_path: Path) -> None:
    files = dict(CLEAN)
    for change in case.change:
        change(files)
    result = run(tmp_path, files, case.now)
    hits = [(f.path, f.line, f.column) for f in result.findings if f.code == case.code]
    assert hits and hits[0] == case.where, [str(f) for f in result.findings]
    assert {f.code for f in result.findings} - case.also == {case.code}, [str(f) for f in result.findings]
