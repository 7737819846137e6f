"""Shared fixtures: a temporary git playbook and the real `incident` CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run_incident(*args: str, cwd: Path, input: str | None = None, env: dict[str, str] | None = None,
                 check: bool = False, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (``python -m incidentkit``) as a user would, in ``cwd``."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "incidentkit", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"incident {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def playbook(tmp_path: Path) -> Path:
    """A fresh `incident init` playbook inside a new git repository, committed."""
    root = tmp_path / "playbook"
    root.mkdir()
    git("init", "-q", "-b", "main", cwd=root)
    git("config", "user.email", "test@example.invalid", cwd=root)
    git("config", "user.name", "test", cwd=root)
    run_incident("init", cwd=root, check=True)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "init", cwd=root)
    return root


@pytest.fixture
def incident(playbook: Path):
    """A factory running the CLI inside the playbook."""

    def call(*args: str, **kwargs):
        return run_incident(*args, cwd=playbook, **kwargs)

    return call


def assert_clean_error(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    """One clear line on stderr, the expected exit code, no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own incidentkit cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("INCIDENTKIT_CACHE_DIR", str(folder))
    return folder
