"""`incident triage` against a real git repository with commits and tags at fixed dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from incidentkit.documents.model import Incident


def commit(repo: Path, when: str, files: dict[str, str], message: str, author: str = "sam") -> None:
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(content)
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.invalid",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.invalid"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True, env=env)


def tag(repo: Path, name: str, when: str) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_COMMITTER_NAME": "sam", "GIT_COMMITTER_EMAIL": "s@e.invalid"}
    subprocess.run(["git", "tag", "-a", name, "-m", name], cwd=repo, check=True, env=env)


@pytest.fixture
def service_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "foresight"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit(repo, "2026-11-18T10:00:00+00:00", {"README.md": "bot\n"}, "Too early")
    tag(repo, "deploy-old", "2026-11-18T10:05:00+00:00")
    commit(repo, "2026-11-20T21:00:00+00:00", {"scorer.py": "x = 1\n"}, "Tune the scorer", author="alex")
    commit(repo, "2026-11-20T22:31:00+00:00", {"features.py": "raw = 1\n", "config/bot.json": "{}\n",
                                              "poetry.lock": "x\n"}, "Rename conviction_raw")
    tag(repo, "deploy-2026-11-20b", "2026-11-20T22:32:00+00:00")
    commit(repo, "2026-11-20T23:30:00+00:00", {"scorer.py": "x = 2\n"}, "After detection: the fix")
    return repo


def test_triage_lists_exactly_the_window(playbook: Path, incident, service_repo: Path) -> None:
    (playbook / "incidentkit.toml").write_text(f'[services.foresight]\nrepo = "{os.path.relpath(service_repo, playbook)}"\n'
                                               'risky = ["config/**", "*.lock", "migrations/**"]\n')
    incident("new", "Bad trades", "--service", "foresight", "--started-at", "2026-11-20T22:40:00+00:00",
             "--at", "2026-11-20T23:02:00+00:00", check=True)
    out = incident("triage", "--window", "2h")
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("- ")]
    assert lines[0] == "- 2026-11-20 22:32 UTC tag `deploy-2026-11-20b` on " + lines[0].rsplit(" ", 1)[-1]
    assert lines[1].startswith("- 2026-11-20 21:00 UTC ") and lines[1].endswith(" alex: Tune the scorer")
    assert lines[2].startswith("- 2026-11-20 22:31 UTC ")
    assert lines[2].endswith("sam: Rename conviction_raw — risky: `config/bot.json`, `poetry.lock`")
    assert len(lines) == 3  # not the commit from the 18th, not the fix after detection
    assert "from 2026-11-20 20:40 UTC to 2026-11-20 23:02 UTC" in out.stdout

    wide = incident("triage", "--window", "3d")
    assert "Too early" in wide.stdout and "deploy-old" in wide.stdout and "After detection" not in wide.stdout

    assert incident("triage", "--window", "2h", "--write").returncode == 0
    doc = Incident.read(next((playbook / "incidents").glob("INC-0001-*.md")))
    assert "Rename conviction_raw — risky: `config/bot.json`, `poetry.lock`" in doc.section_text("Triage")


def test_a_missing_or_non_git_repo_is_a_message(playbook: Path, incident, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (playbook / "incidentkit.toml").write_text('[services.gone]\nrepo = "../nowhere"\n[services.plain]\nrepo = "../plain"\n')
    incident("new", "Outage", "--service", "gone", "--service", "plain", "--at", "2026-11-20T23:02:00+00:00", check=True)
    out = incident("triage")
    assert out.returncode == 0
    assert "**gone** (`../nowhere`): could not be read:" in out.stdout and "does not exist" in out.stdout
    assert "is not a git repository" in out.stdout
    assert "Traceback" not in out.stderr


def test_no_services_configured(playbook: Path, incident) -> None:
    incident("new", "Outage", "--at", "2026-11-20T23:02:00+00:00", check=True)
    out = incident("triage")
    assert out.returncode == 2 and "no service repositories in config" in out.stderr
