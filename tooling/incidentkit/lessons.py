"""`lessons.md`: the lessons of published post-mortems, compiled between two markers.

Text outside the markers is the user's and is kept byte for byte; compiling
twice changes nothing. The block is rendered from a packaged Jinja2 template
(`lessons.md.j2`) that a playbook's `templates/` folder may override.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from incidentkit.config import Config
from incidentkit.documents.actions import lessons as lesson_bullets
from incidentkit.documents.model import Incident, Postmortem
from incidentkit.errors import IncidentkitError
from incidentkit.playbook import Playbook
from incidentkit.templates import render
from incidentkit.timeutil import parse_duration

START = "<!-- incidentkit:lessons:start -->"
END = "<!-- incidentkit:lessons:end -->"
LESSONS_FILE = "lessons.md"
UNSORTED = "other"


@dataclass(frozen=True)
class Lesson:
    text: str
    incident_id: str
    title: str
    date: date
    service: str


@dataclass(frozen=True)
class LessonSource:
    """What one post-mortem gives lessons.md: small, so a worker process can send it back."""

    lessons: tuple[Lesson, ...]


def lesson_source(postmortem: Postmortem, incident: Incident | None) -> LessonSource:
    """The lessons of a published post-mortem; none for drafts, drills and private incidents."""
    if incident is None or postmortem.status != "published" or incident.drill or incident.private:
        return LessonSource(())
    when = postmortem.meta.get("date")
    if isinstance(when, datetime):
        when = when.date()
    if not isinstance(when, date):
        return LessonSource(())  # IK106 reports it
    service = incident.services[0] if incident.services else UNSORTED
    return LessonSource(tuple(Lesson(text, incident.id, incident.title, when, service) for _, text in lesson_bullets(postmortem)))


def collect_lessons(sources: Iterable[LessonSource], config: Config, today: date) -> list[Lesson]:
    """The lessons to compile: newest first, within the configured count and age."""
    found = [lesson for source in sources for lesson in source.lessons]
    if config.lessons.max_age:
        oldest = today - parse_duration(config.lessons.max_age)
        found = [lesson for lesson in found if lesson.date >= oldest]
    found.sort(key=lambda lesson: (lesson.date, lesson.incident_id), reverse=True)
    return found[: config.lessons.max_count] if config.lessons.max_count >= 0 else found


def grouped(lessons: list[Lesson]) -> list[tuple[str, list[Lesson]]]:
    """By service, the group with the newest lesson first; newest first within each."""
    groups: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        groups.setdefault(lesson.service, []).append(lesson)
    return list(groups.items())


def render_block(playbook: Playbook, lessons: list[Lesson]) -> str:
    """The text between the markers (starting and ending with a newline)."""
    body = render(playbook.templates_dir, "lessons.md.j2", groups=grouped(lessons), count=len(lessons))
    return "\n" + body.strip("\n") + "\n" if body.strip() else "\n"


def splice(text: str, block: str, *, path: str = LESSONS_FILE) -> str:
    """``text`` with the region between the markers replaced by ``block``."""
    start = text.find(START)
    end = text.find(END, start + len(START)) if start >= 0 else -1
    if start < 0 and END not in text:
        separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return f"{text}{separator}{START}{block}{END}\n"
    if start < 0 or end < 0:
        stray_end = text.find(END)
        at = stray_end if 0 <= stray_end and (start < 0 or stray_end < start) else start
        line = text.count("\n", 0, at) + 1
        raise IncidentkitError(
            "the lessons markers are broken (one is missing, or the end comes first)", path=path, line=line,
            hint=f"keep one {START} line and one {END} line after it",
        )
    return text[: start + len(START)] + block + text[end:]


def compile_lessons(playbook: Playbook, sources: Iterable[LessonSource], today: date) -> tuple[str, str]:
    """(current text, compiled text) of lessons.md; the current text is '' when it is missing."""
    from incidentkit.documents.source import read_source

    path = playbook.root / LESSONS_FILE
    current = read_source(path).text if path.exists() else ""
    lessons = collect_lessons(sources, playbook.config, today)
    base = current or "# Lessons\n\nCompiled by `incident lessons` from the published post-mortems.\n\n"
    return current, splice(base, render_block(playbook, lessons), path=LESSONS_FILE)
