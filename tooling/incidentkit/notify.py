"""Webhook notifications: a short JSON message, Slack- and Discord-compatible.

URLs are secrets: config names environment variables, and only the
environment holds the URLs. A failed or slow post (5 s timeout) never blocks
or loses the record: the caller gets the failures back, warns, and notes
them in the timeline. Private incidents are never posted.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass

from incidentkit.config import Config
from incidentkit.documents.model import Incident

TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Failure:
    target: str  # the environment variable's name, never the URL
    reason: str


def message(incident: Incident, change: str) -> str:
    """One line: id, severity, status, title, and what changed."""
    return f"{incident.id} [{incident.severity}] {incident.status}: {incident.title} — {change}"


def post(config: Config, incident: Incident, change: str, *, environ: dict[str, str] | None = None,
         timeout: float = TIMEOUT_SECONDS) -> list[Failure]:
    """Post ``change`` about ``incident`` to every configured webhook; return the failures."""
    if incident.private or not config.notify.webhooks:
        return []
    env = os.environ if environ is None else environ
    text = message(incident, change)
    body = json.dumps({"text": text, "content": text}).encode("utf-8")
    failures = []
    for name in config.notify.webhooks:
        url = env.get(name, "")
        if not url:
            failures.append(Failure(name, f"${name} is not set"))
            continue
        if not url.startswith(("https://", "http://")):
            failures.append(Failure(name, f"${name} is not an http(s) URL"))
            continue
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json", "User-Agent": "incidentkit"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
                response.read(1024)
        except urllib.error.HTTPError as exc:
            failures.append(Failure(name, f"HTTP {exc.code}"))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            failures.append(Failure(name, f"{'timed out' if 'timed out' in str(reason) else reason}"))
    return failures
