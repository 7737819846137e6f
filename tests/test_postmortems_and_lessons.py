"""Layer 3 through the CLI: post-mortem scaffold, action items, closing, lessons.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_clean_error

from incidentkit.documents.model import Postmortem

LESSON_A = "Renames need a consumer check in CI."
LESSON_B = "A default on a read that sizes money fails silently."


def open_resolve(incident, title: str, *, service: str, day: int, extra: tuple[str, ...] = ()) -> Path:
    out = incident("new", title, "-s", "SEV1", "--summary", f"{title}: summary.", "--service", service,
                   "--at", f"2026-11-{day:02d}T10:00:00+00:00", *extra, check=True)
    path = Path(out.stdout.strip())
    ref = path.name.split("-")[1]
    incident("mitigate", ref, "Set TRADING_ENABLED=false", "--result", "verified", "--at", f"2026-11-{day:02d}T10:05:00+00:00", check=True)
    incident("status", ref, "resolved", "--at", f"2026-11-{day:02d}T12:00:00+00:00", check=True)
    return path


def fill_and_publish(path: Path, lessons: list[str], items: list[str], date: str) -> None:
    text = path.read_text()
    for heading in ("Why did it happen?", "What went well?", "What went poorly?"):
        marker = f"## {heading}\n"
        end = text.index("-->\n", text.index(marker)) + 4
        text = text[:end] + f"Answer to {heading}\n" + text[end:]
    changes = text.index("-->\n", text.index("## What will we change?")) + 4
    text = text[:changes] + "".join(f"{item}\n" for item in items) + text[changes:]
    learn = text.index("-->\n", text.index("## What did we learn?")) + 4
    text = text[:learn] + "".join(f"- {lesson}\n" for lesson in lessons) + text[learn:]
    text = text.replace("status: draft ", "status: published", 1).replace("date: ", f"date: {date} #", 1)
    path.write_text(text)


def test_scaffold_fill_publish_compile(playbook: Path, incident) -> None:
    rel = open_resolve(incident, "Bot placed inflated trades", service="foresight", day=20)
    out = incident("postmortem", "1", "--author", "sam")
    assert out.returncode == 0, out.stderr
    pm_rel = out.stdout.strip()
    assert pm_rel == f"postmortems/{rel.name}"
    pm = Postmortem.read(playbook / pm_rel)
    assert pm.meta["incident"] == "INC-0001" and pm.meta["status"] == "draft" and pm.meta["authors"] == ["sam"]
    assert pm.section_text("What happened?").startswith("Bot placed inflated trades: summary.")
    assert "Incident declared (SEV1): Bot placed inflated trades" in pm.section_text("What happened?")
    assert pm.section_text("What did we do?") == "- 2026-11-20 10:05 UTC: Set TRADING_ENABLED=false (verified)"

    fill_and_publish(playbook / pm_rel, [LESSON_A, LESSON_B], ["- [ ] Alert on drift @sam due:2026-12-01"], "2026-11-21")
    check = incident("check", "--now", "2026-11-21T12:00:00+00:00", "--select", "IK1,IK2,IK3", pm_rel)
    assert check.returncode == 0, check.stdout

    lessons_path = playbook / "lessons.md"
    lessons_path.write_text("# Our lessons\n\nHand-written above.  \n\n<!-- incidentkit:lessons:start -->\n"
                            "<!-- incidentkit:lessons:end -->\n\nHand-written below.\n")
    assert incident("lessons", "--check").returncode == 1
    assert "lessons.md:5:1: IK406 error: lessons.md is out of date; run `incident lessons`" in incident("check", "lessons.md").stdout
    assert incident("lessons").returncode == 0
    compiled = lessons_path.read_bytes()
    assert compiled == (
        "# Our lessons\n\nHand-written above.  \n\n<!-- incidentkit:lessons:start -->\n## foresight\n\n"
        f"- {LESSON_A} (INC-0001, Bot placed inflated trades, 2026-11-21)\n"
        f"- {LESSON_B} (INC-0001, Bot placed inflated trades, 2026-11-21)\n"
        "<!-- incidentkit:lessons:end -->\n\nHand-written below.\n"
    ).encode()
    assert incident("lessons").returncode == 0
    assert lessons_path.read_bytes() == compiled  # compiling twice changes nothing
    assert incident("lessons", "--check").returncode == 0
    assert incident("check", "lessons.md", pm_rel, "--now", "2026-11-21T12:00:00+00:00").returncode == 0


def test_lessons_newest_first_grouped_without_drafts_drills_or_private(playbook: Path, incident) -> None:
    specs = [("Old shop outage", "shop", 10, (), "2026-11-11", "Shop lesson."),
             ("New bot outage", "foresight", 20, (), "2026-11-21", "Bot lesson."),
             ("Middle shop outage", "shop", 15, (), "2026-11-16", "Newer shop lesson."),
             ("Secret outage", "foresight", 16, ("--private",), "2026-11-17", "Private lesson."),
             ("Drill", "foresight", 17, ("--drill",), "2026-11-18", "Drill lesson.")]
    for number, (title, service, day, extra, date, lesson) in enumerate(specs, start=1):
        open_resolve(incident, title, service=service, day=day, extra=extra)
        pm = playbook / incident("postmortem", str(number), "--author", "sam", check=True).stdout.strip()
        fill_and_publish(pm, [lesson], ["- [x] Done @sam due:2026-11-25"], date)
    draft = open_resolve(incident, "Draft outage", service="shop", day=18)
    pm = playbook / incident("postmortem", "6", "--author", "sam", check=True).stdout.strip()
    assert draft.name in pm.name
    incident("lessons", check=True)
    block = (playbook / "lessons.md").read_text().split("<!-- incidentkit:lessons:start -->")[1]
    assert block.split("<!-- incidentkit:lessons:end -->")[0] == (
        "\n## foresight\n\n- Bot lesson. (INC-0002, New bot outage, 2026-11-21)\n"
        "\n## shop\n\n- Newer shop lesson. (INC-0003, Middle shop outage, 2026-11-16)\n"
        "- Shop lesson. (INC-0001, Old shop outage, 2026-11-11)\n"
    )
    (playbook / "incidentkit.toml").write_text('[lessons]\nmax_count = 2\n')
    incident("lessons", check=True)
    assert "Shop lesson. (INC-0001" not in (playbook / "lessons.md").read_text()
    (playbook / "incidentkit.toml").write_text('[lessons]\nmax_age = "7d"\n')
    incident("lessons", "--now", "2026-11-24T00:00:00+00:00", check=True)
    text = (playbook / "lessons.md").read_text()
    assert "Bot lesson." in text and "Newer shop lesson." not in text


def test_postmortem_errors_are_clear(playbook: Path, incident) -> None:
    assert_clean_error(incident("postmortem", "42"), 1, "no incident INC-0042")
    open_resolve(incident, "Checkout down", service="shop", day=20)
    incident("postmortem", "1", check=True)
    assert_clean_error(incident("postmortem", "1"), 1, "INC-0001 already has a post-mortem", "postmortems/INC-0001-checkout-down.md")
    opened = incident("new", "Still burning", "--at", "2026-11-22T10:00:00+00:00", check=True)
    warned = incident("postmortem", "2")
    assert warned.returncode == 0 and "not resolved yet" in warned.stderr


def test_action_item_with_a_bad_date_is_located(playbook: Path, incident) -> None:
    open_resolve(incident, "Checkout down", service="shop", day=20)
    pm = playbook / incident("postmortem", "1", check=True).stdout.strip()
    fill_and_publish(pm, [LESSON_A], ["- [ ] Alert on lock waits @sam due:2026-13-01"], "2026-11-21")
    line = pm.read_text().splitlines().index("- [ ] Alert on lock waits @sam due:2026-13-01") + 1
    out = incident("check", "--now", "2026-11-21T12:00:00+00:00", str(pm.relative_to(playbook)))
    assert out.returncode == 1
    assert f"postmortems/{pm.name}:{line}:1: IK207 error: action item has due:2026-13-01 is not a date (write due:YYYY-MM-DD)" in out.stdout


def test_actions_listing_and_closing(playbook: Path, incident) -> None:
    open_resolve(incident, "Checkout down", service="shop", day=10)
    pm = playbook / incident("postmortem", "1", check=True).stdout.strip()
    fill_and_publish(pm, [LESSON_A], ["- [ ] Later thing @alex due:2026-11-20",
                                      "- [ ] Overdue thing @sam due:2026-11-15",
                                      "- [x] Done thing @sam due:2026-11-12"], "2026-11-11")
    listed = json.loads(incident("actions", "--format", "json", "--now", "2026-11-18T00:00:00+00:00").stdout)
    assert [(r["state"], r["title"], r["owner"]) for r in listed] == [
        ("overdue", "Overdue thing", "sam"), ("open", "Later thing", "alex")]
    everything = json.loads(incident("actions", "--all", "--format", "json", "--now", "2026-11-18T00:00:00+00:00").stdout)
    assert [r["state"] for r in everything] == ["overdue", "open", "done"]
    assert everything[0]["path"] == f"postmortems/{pm.name}" and everything[0]["incident"] == "INC-0001"
    mine = json.loads(incident("actions", "--owner", "@alex", "--format", "json").stdout)
    assert [r["title"] for r in mine] == ["Later thing"]
    overdue = json.loads(incident("actions", "--overdue", "--format", "json", "--now", "2026-11-18T00:00:00+00:00").stdout)
    assert [r["title"] for r in overdue] == ["Overdue thing"]
    text_out = incident("actions", "--now", "2026-11-18T00:00:00+00:00").stdout
    assert text_out.splitlines()[1].split()[:3] == ["overdue", "2026-11-15", "@sam"]

    refused = incident("status", "1", "closed")
    assert_clean_error(refused, 1, "INC-0001 cannot close: 2 open action item(s)", f"postmortems/{pm.name}:", "Overdue thing")
    pm.write_text(pm.read_text().replace("- [ ] ", "- [x] "))
    closed = incident("status", "1", "closed", "--at", "2026-11-25T10:00:00+00:00")
    assert closed.returncode == 0, closed.stderr
    assert "closed_at: 2026-11-25T10:00:00+00:00" in (playbook / "incidents" / pm.name).read_text()


def test_closing_needs_a_published_postmortem(playbook: Path, incident) -> None:
    open_resolve(incident, "Checkout down", service="shop", day=10)
    assert_clean_error(incident("status", "1", "closed"), 1, "cannot close: its post-mortem is missing")
    incident("postmortem", "1", check=True)
    assert_clean_error(incident("status", "1", "closed"), 1, "cannot close: its post-mortem is a draft")


@pytest.mark.parametrize("broken", ["<!-- incidentkit:lessons:end -->\n<!-- incidentkit:lessons:start -->\n",
                                    "<!-- incidentkit:lessons:start -->\nno end\n"])
def test_broken_markers_are_a_clear_error(playbook: Path, incident, broken: str) -> None:
    (playbook / "lessons.md").write_text("# Lessons\n\n" + broken)
    before = (playbook / "lessons.md").read_bytes()
    assert_clean_error(incident("lessons"), 1, "lessons.md:3: the lessons markers are broken")
    assert (playbook / "lessons.md").read_bytes() == before
