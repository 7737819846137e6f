"""Hostile files: each gives a located finding (or none, when it is valid) in bounded time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rule_fixtures import CLEAN, INCIDENT, write_playbook

MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"seconds": time.perf_counter() - started, "code": run.returncode, "stdout": run.stdout,
                  "stderr": run.stderr, "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

BOMB = "---\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n" for i in range(1, 9)) + "---\n## Summary\n"


def clean_incident() -> str:
    return CLEAN[INCIDENT]


def fifo(path: Path) -> None:
    """A named pipe where the incident was: opening it to read would wait for a writer forever."""
    path.unlink()
    os.mkfifo(path)


CASES = {
    "alias-bomb": (lambda p: p.write_text(BOMB), [("IK102", 3)]),
    "20-mb": (lambda p: p.write_bytes(clean_incident().encode() + b"x" * (20 * 1024 * 1024)), [("IK101", 1)]),
    "binary": (lambda p: p.write_bytes(b"---\nid: INC-0001\n\x00\x01\x02---\n"), [("IK101", 3)]),
    "non-utf8": (lambda p: p.write_bytes(clean_incident().encode().replace(b"500s", b"500s \xff\xfe")), [("IK101", 18)]),
    "tabs": (lambda p: p.write_text(clean_incident().replace("services: [shop]", "services:\n\t- shop")), [("IK102", 12)]),
    "bom": (lambda p: p.write_bytes(b"\xef\xbb\xbf" + clean_incident().encode()), []),
    "crlf": (lambda p: p.write_bytes(clean_incident().replace("\n", "\r\n").encode()), []),
    "fifo": (fifo, [("IK101", 1)]),
}


def run_check(root: Path) -> dict:
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "incidentkit", "check", "--format", "json",
                          "--now", "2026-11-10T12:00:00+00:00"], cwd=root, capture_output=True, text=True, env=env, check=True,
                         timeout=120)
    return json.loads(out.stdout)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_incident_file(tmp_path: Path, name: str) -> None:
    write_playbook(tmp_path, dict(CLEAN))
    make, expected = CASES[name]
    make(tmp_path / INCIDENT)
    measured = run_check(tmp_path)
    assert "Traceback" not in measured["stderr"], measured["stderr"]
    findings = [(f["code"], f["line"]) for f in json.loads(measured["stdout"]) if f["path"] == INCIDENT]
    assert findings == expected, measured["stdout"]
    assert measured["seconds"] < 10, measured
    assert measured["max_rss_mb"] < 250, measured


def test_a_symlink_in_incidents_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text("---\nid: INC-0009\ntitle: outside secret words\n---\n")
    root = tmp_path / "book"
    root.mkdir()
    write_playbook(root, dict(CLEAN))
    (root / "incidents" / "INC-0009-link.md").symlink_to(secret)
    measured = run_check(root)
    findings = json.loads(measured["stdout"])
    assert [(f["code"], f["line"]) for f in findings if f["path"] == "incidents/INC-0009-link.md"] == [("IK101", 1)]
    assert "outside secret words" not in measured["stdout"]
    listed = subprocess.run([sys.executable, "-m", "incidentkit", "list", "--format", "json"], cwd=root,
                            capture_output=True, text=True)
    assert "INC-0009" not in listed.stdout


def test_a_file_name_that_is_not_an_id(tmp_path: Path) -> None:
    write_playbook(tmp_path, dict(CLEAN))
    (tmp_path / "incidents" / "notes about the outage.md").write_text("# notes\n")
    findings = json.loads(run_check(tmp_path)["stdout"])
    assert [(f["code"], f["line"]) for f in findings if f["path"].startswith("incidents/notes")] == [("IK113", 1)]
