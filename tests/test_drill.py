"""`incident drill` through standard input and through a real terminal (pexpect)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from incidentkit.documents.model import Document, Incident

CHECKLIST = """# Layer 1

1. Open the record.
2. Stop trading (switch:trading).
3. Check the bot stopped.
4. Tell whoever must know.
"""
INVENTORY = """---
switches:
  - name: trading
    kind: json
    file: config.json
    key: TRADING_ENABLED
    off_value: false
    on_value: true
    owner: sam
---
"""


@pytest.fixture
def drill_book(playbook: Path) -> Path:
    (playbook / "runbooks" / "layer-1.md").write_text(CHECKLIST)
    (playbook / "runbooks" / "kill-switches.md").write_text(INVENTORY)
    (playbook / "config.json").write_text('{"TRADING_ENABLED": true}\n')
    return playbook


def drill_incident(root: Path) -> Incident:
    return Incident.read(next((root / "incidents").glob("INC-0001-*.md")))


def assert_recorded(root: Path, outcomes: list[str]) -> Incident:
    doc = drill_incident(root)
    assert doc.drill and doc.meta["detection"] == "drill" and doc.status == "closed"
    times = [doc.time(k) for k in ("detected_at", "mitigated_at", "resolved_at", "closed_at")]
    assert all(times) and times == sorted(times)
    timeline = doc.section_text("Timeline")
    steps = re.findall(r"Drill step (\d) (\w+) in (\d+)s: ", timeline)
    assert [(int(n), o) for n, o, _ in steps] == list(enumerate(outcomes, start=1))
    report = doc.section_text("Drill report")
    assert report.startswith(f"Total ") and f"for {len(outcomes)} steps" in report
    for number, outcome in enumerate(outcomes, start=1):
        assert re.search(rf"^\| {number}\. .* \| {outcome} \| \d+s \|", report, re.M), report
    assert (root / "config.json").read_text() == '{"TRADING_ENABLED": true}\n'  # dry run
    inventory = Document.read(root / "runbooks" / "kill-switches.md")
    assert inventory.meta["switches"][0]["tested_at"] == doc.time("detected_at").date()
    return doc


def test_drill_from_standard_input(drill_book: Path, incident) -> None:
    result = incident("drill", input="\ns\nn forgot the dashboard\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("[Enter/y] done  [s] skipped  [n] missing") == 3  # the 4th had no answer left
    assert "switch:trading: dry run: TRADING_ENABLED is true, would become false" in result.stdout
    doc = assert_recorded(drill_book, ["done", "skipped", "missing", "missing"])
    report = doc.section_text("Drill report")
    assert "forgot the dashboard" in report and "no answer" in report
    assert "Missing or failed: step 3 (missing); step 4 (missing)." in report
    assert "1 done, 1 skipped, 2 missing, 0 failed" in result.stdout
    assert incident("check", f"incidents/{doc.path.name}").returncode == 0


def test_drill_in_a_real_terminal(drill_book: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    child = pexpect.spawn(sys.executable, ["-m", "incidentkit", "drill"], cwd=str(drill_book), env=env,
                          encoding="utf-8", timeout=30)
    answers = ["y", "", "s not today", "n"]
    for number, answer in enumerate(answers, start=1):
        child.expect(rf"Step {number}/4: ")
        child.expect(r"\[Enter/y\] done  \[s\] skipped  \[n\] missing, a note may follow: ")
        child.sendline(answer)
    child.expect(r"Drill report \(INC-0001")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    doc = assert_recorded(drill_book, ["done", "done", "skipped", "missing"])
    assert "not today" in doc.section_text("Drill report")


def test_a_failing_switch_fails_its_step(drill_book: Path, incident) -> None:
    (drill_book / "config.json").write_text('{"OTHER": 1}\n')
    result = incident("drill", input="\n\n\n\n")
    assert result.returncode == 0
    doc = drill_incident(drill_book)
    assert re.search(r"^\| 2\. .* \| failed \|", doc.section_text("Drill report"), re.M)
    assert "key TRADING_ENABLED not found" in doc.section_text("Drill report")
