"""The repo's own playbook is real content and must hold to its own rules."""

from __future__ import annotations

from conftest import REPO, run_incident

from incidentkit.documents.model import TIME_KEYS, Incident, Postmortem
from incidentkit.playbook import Playbook


def test_every_incident_has_the_sections_its_status_requires() -> None:
    playbook = Playbook.open(REPO)
    incidents = playbook.load_incidents()
    assert [i.id for i in incidents] == ["INC-0001"]
    for incident in incidents:
        for name in playbook.config.required_sections(incident.status):
            assert incident.section_text(name), f"{incident.path.name}: section {name!r} is empty"
        times = [incident.time(k) for k in TIME_KEYS if incident.time(k)]
        assert times == sorted(times)
        assert all(t.utcoffset() is not None for t in times)


def test_the_example_incident_was_stopped_by_the_trading_switch() -> None:
    playbook = Playbook.open(REPO)
    incident = playbook.resolve("1")
    assert incident.severity == "SEV1" and incident.status == "resolved"
    assert "TRADING_ENABLED=false" in incident.section_text("Mitigation log")
    postmortem = playbook.load_postmortem(incident)
    assert isinstance(postmortem, Postmortem) and postmortem.incident_id == "INC-0001"
    for name in playbook.config.sections["postmortem"]:
        assert postmortem.section_text(name), name


def test_show_runs_against_the_repo() -> None:
    shown = run_incident("show", "INC-0001", cwd=REPO)
    assert shown.returncode == 0, shown.stderr
    assert "time to mitigate 27m" in shown.stdout
