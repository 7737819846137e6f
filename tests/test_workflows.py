"""The GitHub workflows validate offline against the workflow schema (check-jsonschema)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
LINT = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]


def test_our_workflows_are_valid() -> None:
    assert [w.name for w in WORKFLOWS] == ["ci.yml", "deadlines.yml", "site.yml"]
    result = subprocess.run([*LINT, *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_fails_the_lint(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    shutil.copy(REPO / ".github" / "workflows" / "ci.yml", broken)
    broken.write_text(broken.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    result = subprocess.run([*LINT, str(broken)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "runs_on" in result.stdout + result.stderr or "runs-on" in result.stdout + result.stderr


def test_least_privilege_and_pinned_actions() -> None:
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    assert "@v" in step["uses"], (path.name, step["uses"])
    site = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text())
    assert site["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    deadlines = (REPO / ".github" / "workflows" / "deadlines.yml").read_text()
    assert "incident check --select IK301,IK302,IK303 --format github" in deadlines
    assert "schedule" in yaml.safe_load(deadlines)[True]  # YAML 1.1 reads the key `on` as True
