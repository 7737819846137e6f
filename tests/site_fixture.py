"""A playbook for the site tests: public, private, drill and hostile-title incidents."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rule_fixtures import CLEAN, write_playbook

from incidentkit.documents.edit import yaml_scalar

HOSTILE = "<img src=x onerror=alert(1)> {{ 7*7 }} & \"quoted\" 'single'"
PRIVATE_ID = "INC-0003"
PRIVATE_TITLE = "Zanzibar payroll leak"
PRIVATE_LESSON = "Quarantine the zanzibar export bucket"

HOSTILE_INCIDENT = f"""---
id: INC-0004
title: {yaml_scalar(HOSTILE)}
severity: SEV3
status: open
detected_at: 2026-11-19T08:00:00+00:00
services: [shop]
detection: user-report
drill: false
private: false
---
## Summary

A pasted log line: <script>alert("log")</script> and [a link](javascript:alert(2)).

## Timeline

- 2026-11-19 08:00 UTC — `<b>code stays code</b>`
"""

PRIVATE_INCIDENT = f"""---
id: {PRIVATE_ID}
title: {PRIVATE_TITLE}
severity: SEV1
status: resolved
detected_at: 2026-11-03T10:00:00+00:00
mitigated_at: 2026-11-03T10:30:00+00:00
resolved_at: 2026-11-03T11:00:00+00:00
services: [payroll]
detection: alert
drill: false
private: true
---
## Summary

Zanzibar records exposed.

## Timeline

- 2026-11-03 10:00 UTC — zanzibar alert
"""

PRIVATE_POSTMORTEM = f"""---
incident: {PRIVATE_ID}
title: Zanzibar post-mortem
status: published
date: 2026-11-04
authors: [sam]
---
## What will we change?

- [ ] Rotate zanzibar keys @sam due:2026-11-05

## What did we learn?

- {PRIVATE_LESSON}
"""

MKDOCS = """site_name: Test playbook
docs_dir: runbooks
theme:
  name: material
  font: false
plugins:
  - search
  - incidentkit:
      now: "2026-11-20T12:00:00+00:00"
"""


def make_site_playbook(root: Path) -> Path:
    files = dict(CLEAN)
    files["incidents/INC-0003-zanzibar.md"] = PRIVATE_INCIDENT
    files["postmortems/INC-0003-zanzibar.md"] = PRIVATE_POSTMORTEM
    files["incidents/INC-0004-hostile.md"] = HOSTILE_INCIDENT
    write_playbook(root, files)
    (root / "runbooks" / "layer-2.md").write_text("# Layer 2\n\nFix it.\n")
    (root / "mkdocs.yml").write_text(MKDOCS)
    return root


def build(root: Path, site: str = "site") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)
