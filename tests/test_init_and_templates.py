"""`incident init` and template rendering: nothing overwritten, values written literally."""

from __future__ import annotations

from pathlib import Path

from conftest import run_incident

from incidentkit.documents.model import Incident

SKELETON = [
    "incidentkit.toml",
    "incidents/.gitkeep",
    "lessons.md",
    "mkdocs.yml",
    "postmortems/.gitkeep",
    "runbooks/kill-switches.md",
    "runbooks/layer-1.md",
    "runbooks/layer-2.md",
    "runbooks/playbook.md",
]


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_init_creates_the_skeleton_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "ops"
    first = run_incident("init", str(root), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert files(root) == SKELETON
    assert first.stderr.count("created") == len(SKELETON)
    (root / "runbooks" / "layer-1.md").write_text("my own checklist\n")
    (root / "lessons.md").unlink()
    second = run_incident("init", str(root), cwd=tmp_path)
    assert second.returncode == 0
    assert (root / "runbooks" / "layer-1.md").read_text() == "my own checklist\n"
    assert "created lessons.md" in second.stderr.replace("ops/", "")
    assert second.stderr.count("kept") == len(SKELETON) - 1
    playbook_questions = (root / "runbooks" / "playbook.md").read_text()
    for heading in ("## Most critical feature", "## Turn it off in 60 seconds", "## Where the logs are",
                    "## What healthy looks like", "## Who to notify"):
        assert heading + "\n" in playbook_questions


def test_init_beside_a_configured_pyproject_adds_no_second_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.incidentkit]\n")
    assert run_incident("init", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "incidentkit.toml").exists()


def test_hostile_title_and_summary_are_written_literally(playbook: Path, incident) -> None:
    title = "{{ 7*7 }} {% raw %} <img src=x onerror=alert(1)> & \"q\" 'q' #tag: no"
    summary = "{{ config }} {% for x in y %}"
    out = incident("new", title, "--summary", summary, check=True)
    doc = Incident.read(playbook / out.stdout.strip())
    assert doc.title == title
    assert summary in doc.section_text("Summary")
    assert f"Incident declared (SEV2): {title}\n" in doc.text  # the timeline entry too, not rendered


def test_a_template_in_the_playbook_overrides_the_packaged_one(playbook: Path, incident) -> None:
    (playbook / "templates").mkdir()
    (playbook / "templates" / "incident.md.j2").write_text(
        "---\nid: {{ id }}\ntitle: {{ title | yaml }}\nseverity: {{ severity }}\nstatus: open\n"
        "detected_at: {{ detected_at | yaml }}\n---\n## Summary\n\nOur own layout.\n\n## Timeline\n\n{{ first_entry }}\n"
    )
    out = incident("new", "Custom", check=True)
    doc = Incident.read(playbook / out.stdout.strip())
    assert doc.section_text("Summary") == "Our own layout."
    assert doc.section_text("Timeline").endswith("Incident declared (SEV2): Custom")


def test_a_broken_template_is_a_located_error(playbook: Path, incident) -> None:
    (playbook / "templates").mkdir()
    (playbook / "templates" / "incident.md.j2").write_text("---\nid: {{ id }\n---\n")
    result = incident("new", "x")
    assert result.returncode == 1
    assert "templates/incident.md.j2:2: template error" in result.stderr
    assert list((playbook / "incidents").glob("*.md")) == []
