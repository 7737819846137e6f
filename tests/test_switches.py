"""Kill switches on real targets: JSON, .env, SQLite, a command and a manual switch."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import assert_clean_error

from incidentkit.documents.model import Document, Incident

INVENTORY = """---
switches:
  - name: trading
    description: Stop placing new trades
    kind: json
    file: targets/config.json
    key: bot.TRADING_ENABLED
    off_value: false
    on_value: true
    restart: systemctl restart bot
    owner: sam
  - name: feature
    kind: env
    file: targets/app.env
    key: FEATURE_X
    off_value: "off"
    on_value: "on"
    owner: sam
    tested_at: 2026-01-01   # last drill
  - name: flags
    kind: sqlite
    database: targets/flags.db
    off_sql: UPDATE flags SET enabled = 0 WHERE name = 'pipeline'
    on_sql: UPDATE flags SET enabled = 1 WHERE name = 'pipeline'
    check_sql: SELECT enabled FROM flags WHERE name = 'pipeline'
    owner: sam
  - name: maintenance
    kind: command
    off_run: [python3, targets/maint.py, "on"]
    on_run: python3 targets/maint.py off
    check_run: python3 targets/maint.py check
    owner: sam
  - name: rollback
    kind: manual
    off_steps: Redeploy the last green tag
    on_steps: Deploy the fixed tag
    owner: sam
---
# Kill switches
"""

CONFIG_JSON = '{\n  "bot": {"TRADING_ENABLED": true, "size": 0.5},\n    "other": [1, 2]\n}\n'
APP_ENV = '# app settings\nexport FEATURE_X="on"   # flipped by incidentkit\nOTHER=keep\n'
MAINT = textwrap.dedent("""
    import sys
    from pathlib import Path
    state = Path(__file__).with_name("maintenance.state")
    if sys.argv[1] == "check":
        sys.exit(0 if state.exists() and state.read_text() == "on" else 3)
    state.write_text(sys.argv[1])
""")


@pytest.fixture
def targets(playbook: Path, incident) -> Path:
    folder = playbook / "targets"
    folder.mkdir()
    (folder / "config.json").write_text(CONFIG_JSON)
    (folder / "app.env").write_text(APP_ENV)
    (folder / "maint.py").write_text(MAINT)
    with sqlite3.connect(folder / "flags.db") as db:
        db.execute("CREATE TABLE flags (name TEXT PRIMARY KEY, enabled INTEGER)")
        db.executemany("INSERT INTO flags VALUES (?, ?)", [("pipeline", 1), ("other", 1)])
    db.close()
    (playbook / "runbooks" / "kill-switches.md").write_text(INVENTORY)
    incident("new", "Bot broken", "-s", "SEV1", "--summary", "bad trades", check=True)
    return folder


def mitigation_rows(playbook: Path) -> list[str]:
    doc = Incident.read(next((playbook / "incidents").glob("INC-0001-*.md")))
    return [line for line in doc.section_text("Mitigation log").splitlines()[2:]]


def switch_tested_at(playbook: Path, name: str):
    doc = Document.read(playbook / "runbooks" / "kill-switches.md")
    return next(s for s in doc.meta["switches"] if s["name"] == name).get("tested_at")


def flag(folder: Path) -> int:
    with sqlite3.connect(folder / "flags.db") as db:
        return db.execute("SELECT enabled FROM flags WHERE name = 'pipeline'").fetchone()[0]


def test_json_off_and_on_edits_only_the_value(playbook: Path, incident, targets: Path) -> None:
    off = incident("switch", "off", "trading")
    assert off.returncode == 0, off.stderr
    assert off.stdout == "switch off trading: bot.TRADING_ENABLED=false in targets/config.json: verified\n"
    assert "then restart: systemctl restart bot" in off.stderr
    assert (targets / "config.json").read_text() == CONFIG_JSON.replace('"TRADING_ENABLED": true', '"TRADING_ENABLED": false')
    assert incident("switch", "on", "trading").returncode == 0
    assert (targets / "config.json").read_text() == CONFIG_JSON
    rows = mitigation_rows(playbook)
    assert len(rows) == 2 and all(r.endswith("| verified |") for r in rows)
    assert "switch off trading: bot.TRADING_ENABLED=false in targets/config.json" in rows[0]
    assert switch_tested_at(playbook, "trading") is not None


def test_env_off_and_on_keeps_quotes_export_and_comment(playbook: Path, incident, targets: Path) -> None:
    inventory_before = (playbook / "runbooks" / "kill-switches.md").read_text()
    assert incident("switch", "off", "feature").returncode == 0
    assert (targets / "app.env").read_text() == APP_ENV.replace('FEATURE_X="on"', 'FEATURE_X="off"')
    assert incident("switch", "on", "feature").returncode == 0
    assert (targets / "app.env").read_text() == APP_ENV
    # only the tested_at value changed in the inventory, its comment kept
    after = (playbook / "runbooks" / "kill-switches.md").read_text()
    changed = [line for line in after.splitlines() if line not in inventory_before.splitlines()]
    assert len(changed) == 1 and changed[0].startswith("    tested_at: 2026-") and changed[0].endswith("# last drill")
    assert [r.rsplit("|", 2)[-2].strip() for r in mitigation_rows(playbook)] == ["verified", "verified"]


def test_sqlite_off_and_on_in_one_transaction(playbook: Path, incident, targets: Path) -> None:
    assert incident("switch", "off", "flags").returncode == 0
    assert flag(targets) == 0
    with sqlite3.connect(targets / "flags.db") as db:
        assert db.execute("SELECT enabled FROM flags WHERE name = 'other'").fetchone()[0] == 1
    assert incident("switch", "on", "flags").returncode == 0
    assert flag(targets) == 1
    assert len(mitigation_rows(playbook)) == 2


def test_command_off_and_on_with_check(playbook: Path, incident, targets: Path) -> None:
    off = incident("switch", "off", "maintenance")
    assert off.returncode == 0, off.stderr
    assert (targets / "maintenance.state").read_text() == "on"
    assert off.stdout.endswith(": verified\n")
    on = incident("switch", "on", "maintenance")
    # the check expects maintenance on; after "on" (maintenance off) the check fails: logged as failed
    assert on.returncode == 1 and "check_run exited 3" in on.stderr
    assert mitigation_rows(playbook)[-1].endswith("| failed: ran, but check_run exited 3 |")


def test_manual_switch_needs_confirmation(playbook: Path, incident, targets: Path) -> None:
    declined = incident("switch", "off", "rollback", input="n\n")
    assert declined.returncode == 1 and "not confirmed; nothing logged" in declined.stderr
    assert mitigation_rows(playbook) == []
    confirmed = incident("switch", "off", "rollback", input="y\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "Redeploy the last green tag" in confirmed.stderr
    assert mitigation_rows(playbook)[-1].endswith("| confirmed by operator |")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts and ".incidentkit" not in p.parts}


@pytest.mark.parametrize("name", ["trading", "feature", "flags", "maintenance", "rollback"])
def test_dry_run_touches_nothing(playbook: Path, incident, targets: Path, name: str) -> None:
    before = snapshot(playbook)
    result = incident("switch", "off", name, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout
    assert snapshot(playbook) == before


@pytest.mark.parametrize("name, breakage, message", [
    ("trading", lambda t: (t / "config.json").write_text('{"bot": {"size": 1}}\n'), "key bot.TRADING_ENABLED not found"),
    ("feature", lambda t: (t / "app.env").write_text("OTHER=1\n"), "variable FEATURE_X not found"),
    ("flags", lambda t: (t / "flags.db").unlink(), "no such database"),
    ("trading", lambda t: (t / "config.json").unlink(), "no such file"),
    ("maintenance", lambda t: (t / "maint.py").write_text("import sys; sys.exit(2)\n"), "exited 2"),
])
def test_failures_leave_the_target_and_are_logged(playbook: Path, incident, targets: Path, name, breakage, message) -> None:
    breakage(targets)
    before = snapshot(targets)
    result = incident("switch", "off", name)
    assert_clean_error(result, 1, message)
    assert snapshot(targets) == before
    assert f"| switch off {name} | failed: " in mitigation_rows(playbook)[-1]
    assert message in mitigation_rows(playbook)[-1]


def test_permission_error_leaves_the_target(playbook: Path, incident, targets: Path, tmp_path: Path) -> None:
    # Root ignores permissions: the flip runs as `nobody` in a world-readable copy.
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="incidentkit-perm-"))
    try:
        copy = base / "pb"
        shutil.copytree(playbook, copy)
        for path in [base, *copy.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        (copy / "targets").chmod(0o555)
        (copy / "targets" / "config.json").chmod(0o444)
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") if os.geteuid() == 0 else ()
        before = (copy / "targets" / "config.json").read_bytes()
        result = subprocess.run([*prefix, sys.executable, "-m", "incidentkit", "switch", "off", "trading"], cwd=copy,
                                capture_output=True, text=True, env={**os.environ, "HOME": str(base), "NO_COLOR": "1",
                                                                     "INCIDENTKIT_CACHE_DIR": str(base / "cache")})
        assert_clean_error(result, 1, "Permission denied")
        assert (copy / "targets" / "config.json").read_bytes() == before
        doc = Incident.read(next((copy / "incidents").glob("INC-0001-*.md")))
        assert "| switch off trading | failed: " in doc.section_text("Mitigation log")
    finally:
        for path in [base, *base.rglob("*")]:
            path.chmod(0o777)
        shutil.rmtree(base)


READER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    reads = 0
    while not stop.exists():
        data = json.loads(path.read_text())  # raises on a partial file
        assert data["bot"]["TRADING_ENABLED"] in (True, False) and data["other"] == [1, 2]
        reads += 1
    print(reads)
""")


def test_a_polling_reader_never_sees_a_partial_json_file(playbook: Path, targets: Path) -> None:
    from datetime import datetime, timezone

    from incidentkit.playbook import Playbook
    from incidentkit.switches.operate import flip

    stop = playbook / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(targets / "config.json"), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    book = Playbook.open(playbook)
    for i in range(60):
        flip(book, "trading", "off" if i % 2 == 0 else "on", at=datetime.now(timezone.utc), incident=None)
    stop.write_text("")
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert int(out) > 0


def test_unknown_switch_lists_the_known_ones(playbook: Path, incident, targets: Path) -> None:
    assert_clean_error(incident("switch", "off", "nope"), 2, "no switch named 'nope'", "trading, feature, flags")


def test_switch_list(playbook: Path, incident, targets: Path) -> None:
    rows = json.loads(incident("switch", "list", "--format", "json").stdout)
    assert [(r["name"], r["kind"]) for r in rows] == [
        ("trading", "json"), ("feature", "env"), ("flags", "sqlite"), ("maintenance", "command"), ("rollback", "manual")]
    assert incident("switch", "list").stdout.splitlines()[1].split()[:3] == ["trading", "json", "sam"]


def test_a_yaml_boolean_key_is_refused_with_the_reason(playbook: Path, incident, targets: Path) -> None:
    inventory = playbook / "runbooks" / "kill-switches.md"
    inventory.write_text(INVENTORY.replace("key: bot.TRADING_ENABLED", "key: ON"))
    before = snapshot(targets)
    result = incident("switch", "off", "trading")
    assert_clean_error(result, 1, "`key` should be text, got True", "quote it")
    assert snapshot(targets) == before
    check = incident("check", "runbooks/kill-switches.md")
    assert "runbooks/kill-switches.md:7:5: IK601 warning: switch trading: `key` should be text, got True" in check.stdout


def test_no_active_incident_still_flips_and_says_it_was_not_logged(playbook: Path, incident, targets: Path) -> None:
    incident("status", "1", "resolved", check=True)
    result = incident("switch", "off", "trading")
    assert result.returncode == 0, result.stderr
    assert "no active incident, so this flip is not logged" in result.stderr
    assert '"TRADING_ENABLED": false' in (targets / "config.json").read_text()
    incident("new", "Second", check=True)
    incident("new", "Third", check=True)
    several = incident("switch", "off", "trading")  # two active: which record is ambiguous, so nothing flips
    assert_clean_error(several, 1, "2 incidents are active")
