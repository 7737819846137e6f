"""Notifications against a real HTTP server on 127.0.0.1, and `incident stats` checked by hand."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from incidentkit.documents.model import Incident
from incidentkit.stats import percentile


class Receiver:
    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.payloads: list[dict] = []
        self.status, self.delay = status, delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.payloads.append(json.loads(body))
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooked(playbook: Path, monkeypatch: pytest.MonkeyPatch):
    (playbook / "incidentkit.toml").write_text('[notify]\nwebhooks = ["INCIDENT_WEBHOOK_URL"]\n')
    receivers: list[Receiver] = []

    def start(**kwargs) -> Receiver:
        receiver = Receiver(**kwargs)
        receivers.append(receiver)
        monkeypatch.setenv("INCIDENT_WEBHOOK_URL", receiver.url)
        return receiver

    yield start
    for receiver in receivers:
        receiver.close()


def timeline(playbook: Path) -> str:
    return Incident.read(next((playbook / "incidents").glob("INC-0001-*.md"))).section_text("Timeline")


def test_new_and_status_post_the_change(playbook: Path, incident, hooked) -> None:
    receiver = hooked()
    incident("new", "Checkout down", "-s", "SEV1", "--summary", "500s", check=True)
    incident("status", "mitigated", check=True)
    texts = [p["text"] for p in receiver.payloads]
    assert texts == ["INC-0001 [SEV1] open: Checkout down — declared",
                     "INC-0001 [SEV1] mitigated: Checkout down — status open → mitigated"]
    assert all(p["content"] == p["text"] for p in receiver.payloads)  # Slack reads text, Discord content
    assert receiver.url not in (playbook / "incidents").joinpath(
        next((playbook / "incidents").glob("INC-0001-*.md")).name).read_text()


def test_switch_posts_and_private_incidents_are_not_posted(playbook: Path, incident, hooked) -> None:
    receiver = hooked()
    (playbook / "config.json").write_text('{"ENABLED": true}\n')
    (playbook / "runbooks" / "kill-switches.md").write_text(
        "---\nswitches:\n  - name: bot\n    kind: json\n    file: config.json\n    key: ENABLED\n"
        "    off_value: false\n    on_value: true\n    owner: sam\n---\n")
    incident("new", "Bot broken", "-s", "SEV2", check=True)
    incident("switch", "off", "bot", check=True)
    assert receiver.payloads[-1]["text"] == "INC-0001 [SEV2] open: Bot broken — switch off bot: ENABLED=false in config.json: verified"
    count = len(receiver.payloads)
    incident("status", "resolved", check=True)
    incident("new", "Secret thing", "--private", check=True)
    incident("status", "2", "mitigated", check=True)
    assert len(receiver.payloads) == count + 1  # only the resolve of INC-0001


@pytest.mark.parametrize("mode", ["down", "500"])
def test_a_failed_post_never_blocks_the_record(playbook: Path, incident, hooked, mode: str) -> None:
    receiver = hooked(status=500)
    if mode == "down":
        receiver.close()
    result = incident("new", "Checkout down", "--summary", "500s")
    assert result.returncode == 0
    assert result.stdout.startswith("incidents/INC-0001-checkout-down.md")
    expected = "HTTP 500" if mode == "500" else "Connection refused"
    assert f"incident: warning: notification to $INCIDENT_WEBHOOK_URL failed: " in result.stderr
    assert expected in result.stderr
    assert "Notification failed: $INCIDENT_WEBHOOK_URL" in timeline(playbook)
    assert "http://127.0.0.1" not in timeline(playbook)  # the URL is a secret


def test_a_slow_webhook_is_bounded(playbook: Path, incident, hooked) -> None:
    hooked(delay=12)
    started = time.monotonic()
    result = incident("new", "Checkout down")
    elapsed = time.monotonic() - started
    assert result.returncode == 0 and "timed out" in result.stderr
    assert elapsed < 10, elapsed


def test_an_unset_variable_is_a_warning(playbook: Path, incident, monkeypatch: pytest.MonkeyPatch) -> None:
    (playbook / "incidentkit.toml").write_text('[notify]\nwebhooks = ["INCIDENT_WEBHOOK_URL"]\n')
    monkeypatch.delenv("INCIDENT_WEBHOOK_URL", raising=False)
    result = incident("new", "Checkout down")
    assert result.returncode == 0 and "$INCIDENT_WEBHOOK_URL is not set" in result.stderr


def test_percentile_matches_the_textbook() -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([10, 20, 30, 40, 50], 90) == 46
    assert percentile([7], 90) == 7
    assert percentile([], 50) is None


def test_stats_by_hand(playbook: Path, incident) -> None:
    # SEV1: to mitigate 10, 20, 60 min; to resolve 60, 120, 240 min. SEV2: 5 min, never resolved.
    # One drill and one private incident must not count.
    specs = [("A", "SEV1", "2026-10-05", 10, 60), ("B", "SEV1", "2026-11-02", 20, 120),
             ("C", "SEV1", "2026-11-20", 60, 240), ("D", "SEV2", "2026-11-21", 5, None)]
    for title, sev, day, mitigate, resolve in specs:
        incident("new", title, "-s", sev, "--at", f"{day}T10:00:00+00:00", check=True)
        ref = str(specs.index((title, sev, day, mitigate, resolve)) + 1)
        incident("status", ref, "mitigated", "--at", f"{day}T10:{mitigate:02d}:00+00:00" if mitigate < 60 else f"{day}T11:00:00+00:00", check=True)
        if resolve:
            incident("status", ref, "resolved", "--at", f"{day}T{10 + resolve // 60:02d}:{resolve % 60:02d}:00+00:00", check=True)
    incident("new", "Drill", "--drill", "-s", "SEV1", "--at", "2026-11-22T10:00:00+00:00", check=True)
    incident("new", "Hidden", "--private", "-s", "SEV1", "--at", "2026-11-22T10:00:00+00:00", check=True)
    numbers = json.loads(incident("stats", "--format", "json").stdout)
    assert numbers["incidents"] == 4 and numbers["drills"] == 1
    assert numbers["by_severity"] == {"SEV1": 3, "SEV2": 1}
    assert numbers["by_month"] == {"2026-10": {"SEV1": 1}, "2026-11": {"SEV1": 2, "SEV2": 1}}
    assert numbers["time_to_mitigate"]["SEV1"] == {"count": 3, "median_minutes": 20.0, "p90_minutes": 52.0}
    assert numbers["time_to_resolve"]["SEV1"] == {"count": 3, "median_minutes": 120.0, "p90_minutes": 216.0}
    assert numbers["time_to_mitigate"]["SEV2"] == {"count": 1, "median_minutes": 5.0, "p90_minutes": 5.0}
    assert "SEV2" not in numbers["time_to_resolve"]
    text = incident("stats").stdout
    assert "4 incidents, 1 fire drills" in text
    assert text.splitlines()[2].split()[:4] == ["SEV1", "3", "20m", "52m"]
