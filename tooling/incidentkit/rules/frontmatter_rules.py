"""IK1xx: front matter that can be read, with the keys, types and values the tools rely on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from incidentkit.config import DETECTIONS, STATUSES
from incidentkit.documents.frontmatter import FrontMatterError
from incidentkit.documents.model import TIME_KEYS, Document, Incident, Postmortem
from incidentkit.rules.context import CheckedFile, Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.registry import rule

INCIDENT_REQUIRED = ("id", "title", "severity", "status", "detected_at")
POSTMORTEM_REQUIRED = ("incident", "status")
POSTMORTEM_PUBLISHED_REQUIRED = ("title", "date", "authors")
POSTMORTEM_STATUSES = ("draft", "published")


def _yaml_trap(value: Any) -> str:
    """Why a hand-written value may not be what it looks like (YAML 1.1)."""
    if isinstance(value, bool):
        return f" (YAML 1.1 reads yes/no/on/off as {str(value).lower()}; quote the value)"
    if isinstance(value, int):
        return " (YAML 1.1 reads 10:30 as a base-60 number and 012 as octal; quote the value)"
    return ""


@rule("IK101", "file-unreadable", "file", content=True)
def file_unreadable(ctx: Context, checked: CheckedFile) -> Iterator[Hit]:
    """A playbook file cannot be read as UTF-8 text.

    Binary content, another encoding, a file over 16 MiB or a symbolic link
    (never followed, so that a link cannot pull outside files into the
    playbook) all stop every other check of that file.
    """
    source = ctx.source(checked.path)
    if isinstance(source, Exception):
        yield Hit(checked.rel, source.line or 1, _message(source))


@rule("IK102", "front-matter-invalid", "file", content=True)
def front_matter_invalid(ctx: Context, checked: CheckedFile) -> Iterator[Hit]:
    """The front matter is missing, not closed, not a mapping, or not valid safe YAML.

    Incidents, post-mortems and the kill-switch inventory start with a
    `---` line, YAML keys, and a closing `---`. Only plain YAML is read:
    tags such as `!!python/object` and aliases (`*name`) are refused, so a
    hostile file cannot run code or expand into gigabytes.
    """
    if checked.kind not in ("incident", "postmortem", "inventory"):
        return
    doc = ctx.load(checked)
    if isinstance(doc, FrontMatterError):
        yield Hit(checked.rel, doc.line or 1, _message(doc), doc.column)


@rule("IK103", "key-missing", "incident", content=True)
def incident_key_missing(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """An incident lacks a required front-matter key.

    Every incident needs `id`, `title`, `severity`, `status` and `detected_at`.
    """
    for key in INCIDENT_REQUIRED:
        if doc.meta.get(key) in (None, ""):
            line = doc.front.line_of(key, doc.front.end_line)
            yield Hit(ctx.rel(doc.path), line, f"required key `{key}` is missing or empty")


@rule("IK104", "postmortem-key-missing", "postmortem", content=True)
def postmortem_key_missing(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A post-mortem lacks a required front-matter key.

    Every post-mortem needs `incident` and `status`; a published one also
    needs `title`, `date` (YYYY-MM-DD) and `authors`.
    """
    required = POSTMORTEM_REQUIRED + (POSTMORTEM_PUBLISHED_REQUIRED if doc.status == "published" else ())
    for key in required:
        if doc.meta.get(key) in (None, "", []):
            yield Hit(ctx.rel(doc.path), doc.front.line_of(key, doc.front.end_line), f"required key `{key}` is missing or empty")


@rule("IK105", "wrong-type", "incident", content=True)
def incident_wrong_type(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """An incident key holds the wrong type of value.

    `id`, `title`, `severity`, `status` and `detection` are text; `services`
    is a list of names; `drill` and `private` are `true` or `false`. YAML 1.1
    turns unquoted `10:30` into a number and `no` into false: quote such text.
    """
    yield from _types(ctx, doc, {
        "id": str, "title": str, "severity": str, "status": str, "detection": str,
        "services": list, "drill": bool, "private": bool,
    })


@rule("IK106", "postmortem-wrong-type", "postmortem", content=True)
def postmortem_wrong_type(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A post-mortem key holds the wrong type of value.

    `incident`, `title` and `status` are text, `date` is a date written
    YYYY-MM-DD, and `authors` is a list of names.
    """
    yield from _types(ctx, doc, {"incident": str, "title": str, "status": str, "date": date, "authors": list})


def _types(ctx: Context, doc: Document, expected: dict[str, type]) -> Iterator[Hit]:
    names = {str: "text", list: "a list", bool: "true or false", date: "a date (YYYY-MM-DD)"}
    for key, kind in expected.items():
        value = doc.meta.get(key)
        if value is None:
            continue
        ok = isinstance(value, kind) and not (kind is date and isinstance(value, datetime))
        if kind is list and isinstance(value, list):
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            yield Hit(ctx.rel(doc.path), doc.front.line_of(key),
                      f"`{key}` should be {names[kind]}, got {value!r}{_yaml_trap(value)}")


@rule("IK107", "unknown-value", "incident", content=True)
def incident_unknown_value(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """An incident's severity, status or detection is not one of the known values.

    Severities come from config (`[tool.incidentkit.severities]`); statuses
    are open, mitigated, resolved, closed; detection is alert, user-report,
    log, observation or drill.
    """
    checks = (
        ("severity", tuple(ctx.config.severities)),
        ("status", STATUSES),
        ("detection", DETECTIONS),
    )
    for key, allowed in checks:
        value = doc.meta.get(key)
        if isinstance(value, str) and value and value not in allowed:
            yield Hit(ctx.rel(doc.path), doc.front.line_of(key), f"unknown {key} {value!r}; use one of {', '.join(allowed)}")


@rule("IK108", "postmortem-unknown-status", "postmortem", content=True)
def postmortem_unknown_status(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A post-mortem's status is neither `draft` nor `published`."""
    value = doc.meta.get("status")
    if isinstance(value, str) and value and value not in POSTMORTEM_STATUSES:
        yield Hit(ctx.rel(doc.path), doc.front.line_of("status"), f"unknown status {value!r}; use draft or published")


@rule("IK109", "time-without-timezone", "incident", content=True)
def time_without_timezone(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """A time in an incident has no timezone, or is not a date-time at all.

    `started_at`, `detected_at`, `mitigated_at`, `resolved_at` and `closed_at`
    are written as ISO 8601 with an offset: `2026-11-20T23:02:00+00:00`.
    A time without an offset is ambiguous by hours at 2 am.
    """
    for key in TIME_KEYS:
        value = doc.meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, datetime):
            if value.tzinfo is None:
                yield Hit(ctx.rel(doc.path), doc.front.line_of(key), f"`{key}` has no timezone; add an offset such as +00:00")
        elif isinstance(value, date):
            yield Hit(ctx.rel(doc.path), doc.front.line_of(key), f"`{key}` is a date without a time; write {value}T00:00:00+00:00 or the real time")
        else:
            yield Hit(ctx.rel(doc.path), doc.front.line_of(key),
                      f"`{key}` is not a date-time: {value!r}{_yaml_trap(value)}; write it as 2026-11-20T23:02:00+00:00")


@rule("IK110", "id-mismatch", "incident", content=True)
def id_mismatch(ctx: Context, doc: Incident) -> Iterator[Hit]:
    """An incident's `id` does not match its file name.

    `incidents/INC-0042-slug.md` holds `id: INC-0042`; the file name is how
    references, post-mortems and links find it.
    """
    value = doc.meta.get("id")
    expected = ctx.playbook.format_id(ctx.playbook.number_of(doc.path) or 0)
    if isinstance(value, str) and value and value != expected:
        yield Hit(ctx.rel(doc.path), doc.front.line_of("id"), f"id {value} does not match the file name (expected {expected})")


@rule("IK111", "postmortem-name-mismatch", "postmortem", content=True)
def postmortem_name_mismatch(ctx: Context, doc: Postmortem) -> Iterator[Hit]:
    """A post-mortem's `incident` key does not match its file name.

    `postmortems/INC-0042-slug.md` is the post-mortem of `incident: INC-0042`,
    with the same file name as the incident.
    """
    value = doc.meta.get("incident")
    expected = ctx.playbook.format_id(ctx.playbook.number_of(doc.path) or 0)
    if isinstance(value, str) and value and value != expected:
        yield Hit(ctx.rel(doc.path), doc.front.line_of("incident"), f"incident {value} does not match the file name (expected {expected})")


@rule("IK112", "duplicate-id", "repo")
def duplicate_id(ctx: Context, files: list[CheckedFile], whole: bool) -> Iterator[Hit]:
    """Two incident files share one id.

    Ids are allocated by `incident new` under a lock; a duplicate comes from
    a merge of two branches or a copied file. Renumber one of them.
    """
    checked = {f.path.name: f for f in files if f.kind == "incident"}
    if not checked:
        return
    by_number: dict[int, list[str]] = {}
    for name in sorted(ctx.listing(ctx.playbook.incidents_dir)):
        number = ctx.playbook.number_of(name)
        if number is not None and name.endswith(".md"):
            by_number.setdefault(number, []).append(name)
    for number, names in by_number.items():
        if len(names) > 1:
            for name in names:
                if name in checked:
                    others = ", ".join(other for other in names if other != name)
                    yield Hit(checked[name].rel, 1, f"{ctx.playbook.format_id(number)} is also used by {others}")


@rule("IK113", "misnamed-file", "file", content=True)
def misnamed_file(ctx: Context, checked: CheckedFile) -> Iterator[Hit]:
    """A Markdown file in incidents/ or postmortems/ is not named after an id.

    Name it `INC-0042-short-slug.md` (the configured prefix, the number, a
    slug); `incident new` does this for you. Other files are not read.
    """
    if checked.kind == "misnamed":
        yield Hit(checked.rel, 1, f"file name is not an id; name it {ctx.config.id_prefix}-0042-short-slug.md")


@rule("IK114", "duplicate-key", "file", content=True)
def duplicate_key(ctx: Context, checked: CheckedFile) -> Iterator[Hit]:
    """A front-matter key appears twice; YAML silently keeps only the last one."""
    if checked.kind not in ("incident", "postmortem", "inventory"):
        return
    doc = ctx.load(checked)
    if isinstance(doc, Document):
        for key, line in doc.front.duplicates:
            yield Hit(checked.rel, line, f"key `{key}` is set twice; only this last value counts")


def _message(exc: Exception) -> str:
    message = getattr(exc, "message", str(exc))
    hint = getattr(exc, "hint", None)
    return f"{message} ({hint})" if hint else message
