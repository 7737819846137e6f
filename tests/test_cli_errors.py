"""Bad input: one clear line on stderr, exit 1 or 2, no traceback, nothing half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_incident


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".incidentkit" not in p.parts
    }


@pytest.fixture
def one_incident(playbook: Path, incident) -> Path:
    out = incident("new", "Checkout down", "--summary", "500s", "--at", "2026-11-20T10:00:00+00:00", check=True)
    return playbook / out.stdout.strip()


def test_unknown_severity(playbook: Path, incident) -> None:
    before = snapshot(playbook)
    result = incident("new", "x", "-s", "SEV9")
    assert_clean_error(result, 2, "unknown severity 'SEV9'", "SEV1, SEV2, SEV3, SEV4")
    assert snapshot(playbook) == before


def test_ref_that_does_not_exist(playbook: Path, incident, one_incident: Path) -> None:
    before = snapshot(playbook)
    assert_clean_error(incident("log", "42", "text"), 1, "no incident INC-0042", "incident list")
    assert_clean_error(incident("log", "OPS-1", "text"), 2, "'OPS-1' is not an incident reference")
    assert snapshot(playbook) == before


def test_no_active_or_several_active_incidents(playbook: Path, incident) -> None:
    assert_clean_error(incident("log", "text"), 1, "no incident is open or mitigated")
    incident("new", "First", "--at", "2026-11-20T10:00:00+00:00", check=True)
    incident("new", "Second", "--at", "2026-11-20T10:05:00+00:00", check=True)
    assert_clean_error(incident("log", "text"), 1, "2 incidents are active", "INC-0001 (open) First", "INC-0002 (open) Second")


def test_hand_broken_front_matter(playbook: Path, incident, one_incident: Path) -> None:
    text = one_incident.read_text().replace("severity: SEV2", "severity: [SEV2", 1)
    one_incident.write_text(text)
    before = snapshot(playbook)
    result = incident("log", "1", "text")
    assert_clean_error(result, 1, f"incidents/{one_incident.name}:", "invalid YAML in front matter")
    assert snapshot(playbook) == before


def test_non_utf8_file(playbook: Path, incident, one_incident: Path) -> None:
    raw = one_incident.read_bytes().replace(b"500s", b"500s caf\xe9", 1)
    one_incident.write_bytes(raw)
    result = incident("mitigate", "1", "restart")
    line = raw.count(b"\n", 0, raw.index(b"\xe9")) + 1
    assert_clean_error(result, 1, f"{one_incident.name}:{line}: not UTF-8 (byte 0xe9)", "re-save the file as UTF-8")
    assert one_incident.read_bytes() == raw


def test_unparsable_at(playbook: Path, incident, one_incident: Path) -> None:
    before = snapshot(playbook)
    assert_clean_error(incident("log", "text", "--at", "half past ten"), 2, "cannot read the time 'half past ten'", "HH:MM")
    assert_clean_error(incident("log", "text", "--at", "2026-11-20T10:30"), 2, "has no timezone")
    assert snapshot(playbook) == before


def test_backwards_and_out_of_order_status_is_refused(playbook: Path, incident, one_incident: Path) -> None:
    incident("status", "resolved", "--at", "2026-11-20T11:00:00+00:00", check=True)
    text = one_incident.read_text()
    assert "mitigated_at:\n" in text  # a skipped step sets no invented timestamp
    assert_clean_error(incident("status", "1", "mitigated"), 1, "INC-0001 is resolved; it cannot go back to mitigated")
    assert_clean_error(incident("status", "1", "resolved"), 1, "already resolved")
    (playbook / "postmortems" / one_incident.name).write_text("---\nincident: INC-0001\nstatus: published\n---\n")
    assert_clean_error(incident("status", "1", "closed", "--at", "2026-11-20T10:30:00+00:00"), 1,
                       "closed_at 2026-11-20T10:30:00+00:00 would come before resolved_at")
    assert_clean_error(incident("status", "1", "reopened"), 2, "unknown status 'reopened'")
    assert one_incident.read_text() == text


def test_no_playbook_here(tmp_path: Path) -> None:
    assert_clean_error(run_incident("list", cwd=tmp_path), 2, "no playbook found", "incident init")


def test_bad_config_is_exit_2(playbook: Path, incident) -> None:
    (playbook / "incidentkit.toml").write_text('postmortem_deu = "48h"\n')
    assert_clean_error(incident("list"), 2, "incidentkit.toml:1: postmortem_deu: unknown key")


def test_read_only_folder(tmp_path: Path) -> None:
    # Root ignores permissions, so the command runs as `nobody` when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="incidentkit-ro-"))
    try:
        base.chmod(0o755)
        root = base / "playbook"
        run_incident("init", str(root), cwd=base, check=True)
        for path in [root, *root.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        prefix: tuple[str, ...] = ()
        if os.geteuid() == 0:
            prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        before = snapshot(root)
        result = run_incident("new", "Checkout down", cwd=root, prefix=prefix, env={"HOME": str(base)})
        assert_clean_error(result, 1, "Permission denied")
        assert snapshot(root) == before
        assert not list(root.rglob(".*.tmp"))
    finally:
        for path in [base, *base.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base)
