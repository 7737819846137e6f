"""`incident triage`: what changed in the service repositories before the incident.

Commits and tags from (started_at or detected_at) − window to detected_at,
their authors, and the risky files they touched (migrations, config,
dependency manifests and lock files; patterns per service in config).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from incidentkit.config import Service
from incidentkit.documents.model import Incident
from incidentkit.errors import IncidentkitError, UsageError
from incidentkit.playbook import Playbook
from incidentkit.timeutil import stamp


@dataclass(frozen=True)
class Change:
    sha: str
    when: datetime
    author: str
    summary: str
    risky: tuple[str, ...]


@dataclass(frozen=True)
class Tag:
    name: str
    when: datetime
    sha: str


@dataclass
class ServiceChanges:
    service: str
    repo: str
    error: str = ""
    commits: list[Change] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Triage:
    incident: Incident
    start: datetime
    end: datetime
    window: timedelta
    services: list[ServiceChanges]


def is_risky(path: str, patterns: tuple[str, ...]) -> bool:
    """fnmatch on the whole path and on the file name: `*.lock` and `config/**` both work."""
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def triage(playbook: Playbook, incident: Incident, window: timedelta) -> Triage:
    detected = incident.time("detected_at")
    if detected is None:
        raise IncidentkitError(f"{incident.id} has no detected_at", path=incident.path)
    start = (incident.time("started_at") or detected) - window
    configured = playbook.config.services
    if not configured:
        raise UsageError("no service repositories in config",
                         hint='add [tool.incidentkit.services.NAME] with repo = "../path"')
    names = [s for s in incident.services if s in configured] or list(configured)
    results = []
    for name in incident.services:
        if name not in configured:
            results.append(ServiceChanges(name, "", error=f"no [tool.incidentkit.services.{name}] in config"))
    for name in names:
        results.append(_service_changes(playbook.root, configured[name], start, detected))
    return Triage(incident, start, detected, window, results)


def _service_changes(root: Path, service: Service, start: datetime, end: datetime) -> ServiceChanges:
    import git

    found = ServiceChanges(service.name, service.repo)
    if not service.repo:
        found.error = "no `repo` set in config"
        return found
    path = (root / service.repo).resolve()
    try:
        repo = git.Repo(path)
    except git.NoSuchPathError:
        found.error = f"{path} does not exist"
        return found
    except git.InvalidGitRepositoryError:
        found.error = f"{path} is not a git repository"
        return found
    try:
        commits = repo.iter_commits(all=True, since=start.isoformat(), until=end.isoformat())
        for commit in commits:
            when = commit.committed_datetime.astimezone(timezone.utc)
            if not start <= when <= end:
                continue
            files = sorted(str(f) for f in commit.stats.files)
            found.commits.append(Change(commit.hexsha[:10], when, commit.author.name or "", commit.summary,
                                        tuple(f for f in files if is_risky(f, service.risky))))
        for ref in repo.tags:
            tagged = ref.tag.tagged_date if ref.tag is not None else ref.commit.committed_date
            when = datetime.fromtimestamp(tagged, timezone.utc)
            if start <= when <= end:
                found.tags.append(Tag(ref.name, when, ref.commit.hexsha[:10]))
    except (git.GitCommandError, ValueError) as exc:
        found.error = f"git failed: {str(exc).strip().splitlines()[-1]}"
    found.commits.sort(key=lambda c: c.when)
    found.tags.sort(key=lambda t: t.when)
    return found


def render(result: Triage, playbook: Playbook) -> list[str]:
    """The triage as Markdown lines, for the terminal and the Triage section alike."""
    tz = playbook.config.tz
    lines = [f"What changed from {stamp(result.start, tz)} to {stamp(result.end, tz)} "
             f"(`incident triage`, window {_window(result.window)} before the impact):"]
    for service in result.services:
        lines.append("")
        header = f"**{service.service}**" + (f" (`{service.repo}`)" if service.repo else "")
        if service.error:
            lines.append(f"{header}: could not be read: {service.error}")
            continue
        if not service.commits and not service.tags:
            lines.append(f"{header}: no commits or tags in the window")
            continue
        lines.append(f"{header}:")
        for tag in service.tags:
            lines.append(f"- {stamp(tag.when, tz)} tag `{tag.name}` on {tag.sha}")
        for change in service.commits:
            risky = f" — risky: {', '.join(f'`{f}`' for f in change.risky)}" if change.risky else ""
            lines.append(f"- {stamp(change.when, tz)} {change.sha} {change.author}: {change.summary}{risky}")
    return lines


def _window(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:g}d" if hours >= 24 and hours % 24 == 0 else f"{hours:g}h"
