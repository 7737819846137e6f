"""Real git and real pre-commit: the hook installed from this checkout guards `git commit`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, git, run_incident

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git snapshot of this checkout's working tree, as `pre-commit try-repo` makes one."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO).split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (snapshot / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / rel)
    git("init", "-q", "-b", "main", cwd=snapshot)
    git("add", "-A", cwd=snapshot)
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "snapshot", cwd=snapshot)
    return snapshot, git("rev-parse", "HEAD", cwd=snapshot).strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def commit(root: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-m", message], cwd=root, capture_output=True, text=True, env=env, timeout=900)


def test_commit_of_an_incident_without_summary_is_refused_then_accepted(
    playbook: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo, rev = hook_repo
    (playbook / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: incident-check\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([*PRE_COMMIT, "install"], cwd=playbook, check=True, capture_output=True, env=env)
    git("add", ".pre-commit-config.yaml", cwd=playbook)
    assert commit(playbook, env, "hook config").returncode == 0

    created = run_incident("new", "Checkout down", "-s", "SEV2", "--summary", "500s on /checkout", cwd=playbook, check=True)
    rel = created.stdout.strip()
    path = playbook / rel
    good = path.read_text()
    without_summary = good.replace(good[good.index("## Summary"):good.index("## Triage")], "")
    path.write_text(without_summary)
    status_line = without_summary.splitlines().index("status: open              # open → mitigated → resolved → closed") + 1
    git("add", rel, cwd=playbook)

    refused = commit(playbook, env, "INC-0001")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert f"{rel}:{status_line}:1: IK201 error: section `## Summary` is required once the incident is open" in output
    assert "Traceback" not in output
    assert git("rev-list", "--count", "HEAD", cwd=playbook).strip() == "2"  # init + hook config only

    path.write_text(good)
    git("add", rel, cwd=playbook)
    accepted = commit(playbook, env, "INC-0001")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git("show", "--name-only", "--format=", "HEAD", cwd=playbook).split() == [rel]


def test_files_outside_the_playbook_are_ignored_by_the_hook_entry(playbook: Path) -> None:
    (playbook / "notes.md").write_text("password = 'not checked here'\n")
    result = run_incident("check", "notes.md", "README-missing.md", cwd=playbook)
    assert result.returncode == 0
    assert result.stdout == ""


def test_this_repos_own_hook_passes_on_its_playbook(pre_commit_home: Path) -> None:
    venv_incident = REPO / ".venv" / "bin" / "incident"
    assert venv_incident.exists(), "make test creates .venv; the repo's hook runs it"
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    result = subprocess.run([*PRE_COMMIT, "run", "incident-check", "--all-files"], cwd=REPO,
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "incident check (this checkout)" in result.stdout and "Passed" in result.stdout
