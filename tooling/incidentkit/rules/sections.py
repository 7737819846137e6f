"""IK2xx: the sections a document needs for its status, with real content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from incidentkit.config import STATUSES
from incidentkit.documents.actions import ACTIONS_SECTION, LESSONS_SECTION, lessons
from incidentkit.documents.model import Incident, Postmortem
from incidentkit.rules.context import Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.registry import rule

MITIGATION_LOG = "Mitigation log"
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")


def _status(doc: Incident) -> str:
    return doc.status if doc.status in STATUSES else "open"


def _required(ctx: Context, doc: Incident) -> list[str]:
    """Sections the incident needs now; a drill only ever needs the opening ones."""
    return ctx.config.required_sections("open" if doc.drill else _status(doc))


@rule("IK201", "section-missing", "incident", content=True)
def section_missing(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """An incident lacks a section its status requires.

    `Summary` and `Timeline` always; `Triage` and `Mitigation log` from
    `mitigated`; `Root cause`, `Fix` and `Data hygiene` from `resolved`
    (configurable under `[tool.incidentkit.sections]`). A drill needs only
    the opening ones: it has no root cause to find.
    """
    for name in _required(ctx, doc):
        if doc.section(name) is None:
            yield Hit(ctx.rel(doc.path), doc.front.line_of("status", doc.front.end_line),
                      f"section `## {name}` is required once the incident is {_status(doc)}")


@rule("IK202", "section-empty", "incident", content=True)
def section_empty(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """A required incident section holds nothing but a hint, TODO or TBD.

    Template hints live in HTML comments and do not count as content.
    """
    for name in _required(ctx, doc):
        section = doc.section(name)
        if section is not None and not doc.section_text(name):
            yield Hit(ctx.rel(doc.path), section.line, f"section `## {name}` is empty")


@rule("IK203", "mitigation-log-empty", "incident", content=True)
def mitigation_log_empty(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """A mitigated (or later) incident has no entry in its mitigation log.

    What stopped the bleeding is the most useful line of the record:
    `incident switch off NAME` or `incident mitigate "…"` writes it.
    """
    if doc.drill or STATUSES.index(_status(doc)) < STATUSES.index("mitigated"):
        return
    section = doc.section(MITIGATION_LOG)
    if section is None or not doc.section_text(MITIGATION_LOG):
        return  # IK201 / IK202 report it
    rows = [line for line in doc.section_text(MITIGATION_LOG).splitlines() if line.strip()]
    table = [line for line in rows if line.lstrip().startswith("|")]
    entries = [line for line in table[2:] if not _TABLE_SEPARATOR.match(line)] if table else []
    bullets = [line for line in rows if not line.lstrip().startswith("|")]
    if not entries and not bullets:
        yield Hit(ctx.rel(doc.path), section.line, "the mitigation log has no entry; log what stopped the bleeding")


@rule("IK204", "postmortem-section", "postmortem", content=True)
def postmortem_section(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A published post-mortem lacks one of its sections, or leaves it empty.

    The seven sections: What happened? Why did it happen? What did we do?
    What went well? What went poorly? What will we change? What did we
    learn? A draft needs only its front matter.
    """
    if doc.status != "published":
        return
    for name in ctx.config.sections["postmortem"]:
        section = doc.section(name)
        if section is None:
            yield Hit(ctx.rel(doc.path), doc.front.line_of("status"), f"section `## {name}` is required once published")
        elif not doc.section_text(name):
            yield Hit(ctx.rel(doc.path), section.line, f"section `## {name}` is empty")


@rule("IK205", "no-action-item", "postmortem", content=True)
def no_action_item(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A published post-mortem has no action item.

    Prevention is the point: at least one task-list item under "What will
    we change?", as `- [ ] What to change @owner due:YYYY-MM-DD`.
    """
    if doc.status == "published" and not ctx.items(doc):
        section = doc.section(ACTIONS_SECTION)
        yield Hit(ctx.rel(doc.path), section.line if section else doc.front.line_of("status"),
                  "no action item; add `- [ ] … @owner due:YYYY-MM-DD`")


@rule("IK206", "no-lesson", "postmortem", content=True)
def no_lesson(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A published post-mortem has no lesson.

    Each bullet under "What did we learn?" is one lesson, compiled into
    lessons.md for every future session.
    """
    if doc.status == "published" and not lessons(doc):
        section = doc.section(LESSONS_SECTION)
        yield Hit(ctx.rel(doc.path), section.line if section else doc.front.line_of("status"),
                  "no lesson; add one bullet per lesson under `## What did we learn?`")


@rule("IK207", "action-item-malformed", "postmortem", content=True)
def action_item_malformed(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """An action item lacks an `@owner` or a valid `due:YYYY-MM-DD`.

    Items without an owner and a date are the ones that never get done.
    """
    for item in ctx.items(doc):
        problems = []
        if item.owner is None:
            problems.append("no @owner")
        if item.due_raw is None:
            problems.append("no due:YYYY-MM-DD")
        elif item.due is None:
            problems.append(f"due:{item.due_raw} is not a date (write due:YYYY-MM-DD)")
        if problems:
            yield Hit(ctx.rel(doc.path), item.line, "action item has " + " and ".join(problems))
