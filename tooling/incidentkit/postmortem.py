"""`incident postmortem`: scaffold the post-mortem from what the incident already records."""

from __future__ import annotations

import getpass
import re
from datetime import datetime
from pathlib import Path

from incidentkit.documents.atomic import create_exclusive
from incidentkit.documents.model import Incident
from incidentkit.errors import IncidentkitError
from incidentkit.playbook import Playbook
from incidentkit.templates import render

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_SEPARATOR = re.compile(r"^[\s|:-]+$")


def mitigation_bullets(incident: Incident) -> list[str]:
    """The mitigation-log rows as bullets: ``- 2026-11-20 23:06 UTC: action (result)``."""
    bullets = []
    rows = [line for line in incident.section_text("Mitigation log").splitlines() if _ROW.match(line)]
    for line in rows[1:]:  # the first row is the header
        if _SEPARATOR.match(line):
            continue
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) >= 2:
            when, action, result = (cells + [""])[:3]
            bullets.append(f"- {when}: {action}" + (f" ({result})" if result else ""))
    return bullets


def default_author(root: Path) -> str:
    """The git user name of the playbook's repository, else the login name."""
    import git

    try:
        reader = git.Repo(root, search_parent_directories=True).config_reader()
        name = reader.get_value("user", "name", default="")
        if name:
            return str(name)
    except (git.GitError, OSError, ValueError):  # no repository, no git binary: fall back
        pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment or the password database
        return "someone"


def scaffold_postmortem(playbook: Playbook, incident: Incident, *, today: datetime, authors: list[str]) -> Path:
    """Create ``postmortems/<incident stem>.md`` as a draft; refuse when it exists."""
    path = playbook.postmortem_path(incident)
    if path.exists():
        raise IncidentkitError(
            f"{incident.id} already has a post-mortem", path=playbook.relative(path),
            hint="edit it, or delete it first to start again",
        )
    what_happened = incident.section_text("Summary")
    timeline = incident.section_text("Timeline")
    if timeline:
        what_happened = f"{what_happened}\n\nTimeline:\n\n{timeline}".strip()
    did = mitigation_bullets(incident)
    fix = incident.section_text("Fix")
    what_we_did = "\n".join(did) + (f"\n\nFix: {fix}" if fix else "")
    text = render(
        playbook.templates_dir,
        "postmortem.md.j2",
        incident_id=incident.id,
        title=incident.title,
        date=today.astimezone(playbook.config.tz).date().isoformat(),
        authors=authors,
        what_happened=what_happened,
        what_we_did=what_we_did.strip(),
    )
    try:
        playbook.postmortems_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IncidentkitError(f"cannot create the folder: {exc.strerror}", path=playbook.postmortems_dir) from None
    if not create_exclusive(path, text.encode("utf-8")):
        raise IncidentkitError(f"{incident.id} already has a post-mortem", path=playbook.relative(path))
    return path
