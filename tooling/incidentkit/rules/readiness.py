"""IK6xx: readiness: kill switches that work, a drilled checklist, answered questions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from incidentkit.documents.model import Document
from incidentkit.documents.sections import find_section, meaningful, parse_sections
from incidentkit.rules.context import CHECKLIST, INVENTORY, CheckedFile, Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.registry import rule
from incidentkit.runbooks import PLAYBOOK_QUESTIONS, SWITCH_KINDS, SWITCH_NAME, checklist, missing_fields, switches, wrong_types


@rule("IK601", "switch-malformed", "inventory")
def switch_malformed(ctx: Context, doc: Document) -> Iterator[Hit]:
    """A kill-switch entry is malformed.

    Each switch has a unique `name` ([a-z0-9-]+), a `kind` (json, env,
    sqlite, command, manual), an `owner`, and the fields of its kind: json
    and env need `file`, `key`, `off_value`, `on_value`; sqlite needs
    `database`, `off_sql`, `on_sql`, `check_sql`; command needs `off_run`
    and `on_run`; manual needs `off_steps` and `on_steps`.
    """
    rel = ctx.rel(doc.path)
    entries, problems = switches(doc)
    for line, problem in problems:
        yield Hit(rel, line, problem)
    if "switches" not in doc.meta:
        yield Hit(rel, doc.front.end_line, "no `switches:` list in the front matter")
    seen: dict[str, int] = {}
    for entry in entries:
        missing = missing_fields(entry)
        if missing:
            yield Hit(rel, entry.line, f"switch {entry.name or '(unnamed)'} lacks {', '.join(missing)}", entry.column)
        for problem in wrong_types(entry):
            line, column = entry.where(problem.split("`")[1])
            yield Hit(rel, line, f"switch {entry.name or '(unnamed)'}: {problem}", column)
        if entry.name and not SWITCH_NAME.match(entry.name):
            line, column = entry.where("name")
            yield Hit(rel, line, f"switch name {entry.name!r} must match [a-z0-9-]+", column)
        if entry.kind and entry.kind not in SWITCH_KINDS:
            line, column = entry.where("kind")
            yield Hit(rel, line, f"unknown kind {entry.kind!r}; use one of {', '.join(SWITCH_KINDS)}", column)
        if entry.name in seen:
            yield Hit(rel, entry.line, f"switch {entry.name} is defined twice (first at line {seen[entry.name]})", entry.column)
        seen.setdefault(entry.name, entry.line)


@rule("IK602", "switch-untested", "inventory")
def switch_untested(ctx: Context, doc: Document) -> Iterator[Hit]:
    """A kill switch has not been tested within `switch_test_max_age` (90 days).

    A switch nobody has flipped lately may not work when it matters. A drill
    (`incident drill`) or a real use sets `tested_at`.
    """
    max_age = ctx.config.duration("switch_test_max_age")
    for entry in switches(doc)[0]:
        tested = entry.data.get("tested_at")
        if isinstance(tested, datetime):
            tested = tested.date()
        line, column = entry.where("tested_at")
        if not isinstance(tested, date):
            yield Hit(ctx.rel(doc.path), line, f"switch {entry.name} has never been tested (no tested_at date); run `incident drill`", column)
        elif ctx.today - tested > max_age:
            yield Hit(ctx.rel(doc.path), line, f"switch {entry.name} was last tested {tested}, over {ctx.config.switch_test_max_age} ago", column)


@rule("IK603", "checklist-unknown-switch", "checklist")
def checklist_unknown_switch(ctx: Context, checked: CheckedFile, text: str) -> Iterator[Hit]:
    """A Layer 1 checklist step names a switch that is not in the inventory."""
    inventory = ctx.document(ctx.playbook.runbooks_dir / INVENTORY)
    known = {entry.name for entry in switches(inventory)[0]} if isinstance(inventory, Document) else set()
    for step in checklist(text):
        for name in step.switches:
            if name not in known:
                yield Hit(checked.rel, step.line, f"step {step.number} names switch:{name}, which is not in {ctx.config.folders.runbooks}/{INVENTORY}")


@rule("IK604", "no-recent-drill", "repo")
def no_recent_drill(ctx: Context, files: list[CheckedFile], whole: bool) -> Iterator[Hit]:
    """No fire drill within `drill_max_age` (90 days).

    A checklist that has not been run lately is a guess. `incident drill`
    runs it against the clock.
    """
    if not whole and not any(f.kind == "checklist" for f in files):
        return
    drills = [fact.detected_at for fact in map(ctx.fact, ctx.incident_paths()) if fact and fact.drill and fact.detected_at]
    latest = max(drills, default=None)
    where = f"{ctx.config.folders.runbooks}/{CHECKLIST}"
    if latest is None:
        yield Hit(where, 1, "no fire drill on record; run `incident drill`")
    elif ctx.now - latest > ctx.config.duration("drill_max_age"):
        yield Hit(where, 1, f"last fire drill {latest.date()}, over {ctx.config.drill_max_age} ago; run `incident drill`")


@rule("IK605", "playbook-question-unanswered", "playbook")
def playbook_question_unanswered(ctx: Context, checked: CheckedFile, text: str) -> Iterator[Hit]:
    """runbooks/playbook.md leaves one of its five questions unanswered.

    Most critical feature; Turn it off in 60 seconds; Where the logs are;
    What healthy looks like; Who to notify. Each an H2 heading with an answer.
    """
    sections = parse_sections(text)
    for question in PLAYBOOK_QUESTIONS:
        section = find_section(sections, question)
        if section is None:
            yield Hit(checked.rel, 1, f"`## {question}` is missing")
        elif not meaningful(text[section.content_start : section.end]):
            yield Hit(checked.rel, section.line, f"`## {question}` is not answered")
