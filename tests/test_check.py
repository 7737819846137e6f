"""`incident check` as a door: deadlines at their edges, config severities, selection,
path mode, reporters, colours and exit codes."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO, run_incident
from rule_fixtures import CLEAN, INCIDENT, POSTMORTEM, write_playbook

from incidentkit.playbook import Playbook
from incidentkit.report import use_color
from incidentkit.rules import check

RESOLVED = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    write_playbook(tmp_path, dict(CLEAN))
    return tmp_path


def codes(root: Path, now: datetime, **kwargs) -> list[str]:
    return [f.code for f in check(Playbook.open(root), now=now, **kwargs).findings]


@pytest.mark.parametrize("after, fires", [
    (timedelta(hours=47, minutes=59), False),
    (timedelta(hours=48), False),
    (timedelta(hours=48, minutes=1), True),
])
def test_postmortem_deadline_edges(clean: Path, after: timedelta, fires: bool) -> None:
    (clean / POSTMORTEM).write_text(CLEAN[POSTMORTEM].replace("status: published", "status: draft"))
    assert ("IK301" in codes(clean, RESOLVED + after)) is fires


def test_a_late_published_postmortem_is_history(clean: Path) -> None:
    (clean / POSTMORTEM).write_text(CLEAN[POSTMORTEM].replace("date: 2026-11-02", "date: 2026-11-09"))
    (clean / "lessons.md").write_text(CLEAN["lessons.md"].replace("2026-11-02", "2026-11-09"))
    assert codes(clean, RESOLVED + timedelta(days=8)) == []


@pytest.mark.parametrize("due, fires", [("2026-11-15", False), ("2026-11-16", True)])
def test_action_item_due_edges(clean: Path, due: str, fires: bool) -> None:
    # resolved 2026-11-01 12:00 UTC: 14 days later is 2026-11-15
    (clean / POSTMORTEM).write_text(CLEAN[POSTMORTEM].replace("due:2026-11-15", f"due:{due}"))
    assert ("IK303" in codes(clean, RESOLVED + timedelta(days=2))) is fires


@pytest.mark.parametrize("now, fires", [("2026-11-15T23:59:00+00:00", False), ("2026-11-16T00:00:00+00:00", True)])
def test_overdue_item_edges(clean: Path, now: str, fires: bool) -> None:
    assert ("IK302" in codes(clean, datetime.fromisoformat(now))) is fires


def test_severities_come_from_config(clean: Path) -> None:
    (clean / POSTMORTEM).unlink()
    (clean / "incidentkit.toml").write_text('[rules]\nIK3 = "warning"\nIK301 = "off"\nIK406 = "off"\nIK6 = "error"\n')
    (clean / "runbooks" / "layer-1.md").write_text("1. Flip switch:nope\n")
    result = check(Playbook.open(clean), now=RESOLVED + timedelta(days=9))
    assert [(f.code, f.severity) for f in result.findings] == [("IK603", "error")]
    assert result.exit_code == 1


def test_select_runs_only_those_codes(clean: Path) -> None:
    (clean / POSTMORTEM).unlink()
    (clean / INCIDENT).write_text(CLEAN[INCIDENT].replace("severity: SEV2", "severity: SEV9"))
    now = RESOLVED + timedelta(days=9)
    assert sorted(codes(clean, now)) == ["IK107", "IK301", "IK406"]
    assert codes(clean, now, select=("IK3",)) == ["IK301"]
    assert codes(clean, now, select=("IK107", "IK5")) == ["IK107"]


def test_paths_check_those_files_and_ignore_others(clean: Path) -> None:
    (clean / POSTMORTEM).unlink()
    (clean / "README.md").write_text("not a playbook file\n")
    (clean / "incidents" / "INC-0001-again.md").write_text(CLEAN[INCIDENT])
    playbook = Playbook.open(clean)
    result = check(playbook, now=RESOLVED + timedelta(days=9), paths=[clean / "README.md", clean / "runbooks" / "playbook.md"])
    assert result.findings == [] and result.files == 1
    result = check(playbook, now=RESOLVED + timedelta(days=9), paths=[clean / INCIDENT])
    # the file's own rules, plus the repo-wide duplicate id it shares with a file not passed
    assert sorted((f.code, f.path) for f in result.findings) == [("IK112", INCIDENT), ("IK301", INCIDENT)]


def test_alias_bomb_is_a_finding_in_well_under_a_second(clean: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]")
    (clean / INCIDENT).write_text("---\n" + "\n".join(lines) + "\n---\n## Summary\n")
    started = time.perf_counter()
    result = check(Playbook.open(clean), now=RESOLVED)
    assert time.perf_counter() - started < 1.0
    assert [(f.code, f.line) for f in result.findings if f.path == INCIDENT] == [("IK102", 3)]


def test_cli_formats_and_exit_codes(clean: Path) -> None:
    (clean / INCIDENT).write_text(CLEAN[INCIDENT].replace("severity: SEV2", "severity: SEV9"))
    now = "2026-11-10T12:00:00+00:00"
    text = run_incident("check", "--now", now, cwd=clean)
    assert text.returncode == 1
    assert text.stdout == f"{INCIDENT}:4:1: IK107 error: unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, SEV4\n"
    assert "1 error(s)" in text.stderr

    github = run_incident("check", "--now", now, "--format", "github", cwd=clean,
                          env={"GITHUB_STEP_SUMMARY": str(clean / "summary.md")})
    assert github.stdout == (
        f"::error file={INCIDENT},line=4,col=1,title=IK107::unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, SEV4\n"
    )
    assert f"| `{INCIDENT}:4` | IK107 | error |" in (clean / "summary.md").read_text()

    as_json = run_incident("check", "--now", now, "--format", "json", cwd=clean)
    assert json.loads(as_json.stdout) == [{
        "path": INCIDENT, "line": 4, "column": 1, "code": "IK107", "severity": "error",
        "message": "unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, SEV4",
    }]
    colored = run_incident("check", "--now", now, "--color", "always", cwd=clean)
    assert "\x1b[31mIK107" in colored.stdout
    assert "\x1b[" not in run_incident("check", "--now", now, cwd=clean).stdout

    (clean / INCIDENT).write_text(CLEAN[INCIDENT])
    assert run_incident("check", "--now", now, cwd=clean).returncode == 0
    assert run_incident("check", "--select", "IK9", cwd=clean).returncode == 2
    (clean / "incidentkit.toml").write_text('[rules]\nIK301 = "loud"\n')
    bad_config = run_incident("check", cwd=clean)
    assert bad_config.returncode == 2 and "rules.IK301" in bad_config.stderr


def test_github_escapes_newlines_and_property_separators() -> None:
    from incidentkit.report import github
    from incidentkit.rules import CheckResult, Finding

    result = CheckResult([Finding("a,b:c.md", 1, 2, "IK101", "error", "50% done\nnext")])
    assert github(result) == "::error file=a%2Cb%3Ac.md,line=1,col=2,title=IK101::50%25 done%0Anext"


def test_color_choice_honours_no_color() -> None:
    assert use_color("auto", True, {}) is True
    assert use_color("auto", True, {"NO_COLOR": "1"}) is False
    assert use_color("auto", False, {}) is False
    assert use_color("always", False, {"NO_COLOR": "1"}) is True
    assert use_color("never", True, {}) is False


def test_the_repos_own_playbook_passes_its_check() -> None:
    result = run_incident("check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " error" not in result.stdout


def test_the_catalogue_lists_every_rule_from_its_docstring() -> None:
    from incidentkit.catalogue import rule_catalogue
    from incidentkit.rules import RULES

    catalogue = run_incident("rules", cwd=REPO).stdout
    assert catalogue == rule_catalogue()
    for code, rule in RULES.items():
        assert f"### {code} `{rule.name}`" in catalogue
        assert rule.summary in catalogue


def test_the_summary_counts_files_in_words() -> None:
    from incidentkit.report import summary_line
    from incidentkit.rules import CheckResult

    assert summary_line(CheckResult(files=1)) == "incident check: 1 file, no findings"
    assert summary_line(CheckResult(files=2)) == "incident check: 2 files, no findings"
