"""Incident and post-mortem documents: front matter, sections and their lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import datetime
from pathlib import Path
from typing import Any

from incidentkit.documents import frontmatter as fm
from incidentkit.documents.edit import set_keys
from incidentkit.documents.sections import Section, append_entry, meaningful, parse_sections
from incidentkit.documents.source import Source, read_source
from incidentkit.errors import DocumentError

INCIDENT_KEYS = (
    "id",
    "title",
    "severity",
    "status",
    "detected_at",
    "started_at",
    "mitigated_at",
    "resolved_at",
    "closed_at",
    "services",
    "detection",
    "drill",
    "private",
)
TIME_KEYS = ("started_at", "detected_at", "mitigated_at", "resolved_at", "closed_at")


@dataclass(frozen=True)
class Document:
    """A front-matter Markdown file as read: its exact text, keys and sections."""

    source: Source
    front: fm.FrontMatter
    sections: list[Section]

    @classmethod
    def from_source(cls, source: Source) -> Document:
        front = fm.parse(source.text, path=source.path)
        return cls(source, front, parse_sections(source.text, front.body_start))

    @classmethod
    def read(cls, path: Path) -> Document:
        return cls.from_source(read_source(path))

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def meta(self) -> dict[str, Any]:
        return self.front.data

    @cached_property
    def _by_name(self) -> dict[str, Section]:
        by_name: dict[str, Section] = {}
        for section in self.sections:
            by_name.setdefault(section.name.lower(), section)
        return by_name

    def section(self, name: str) -> Section | None:
        return self._by_name.get(name.strip().lower())

    @cached_property
    def _texts(self) -> dict[str, str]:
        return {}

    def section_text(self, name: str) -> str:
        """The meaningful content of section ``name`` ('' when missing, a hint or TODO)."""
        key = name.strip().lower()
        if key not in self._texts:
            section = self._by_name.get(key)
            self._texts[key] = "" if section is None else meaningful(self.text[section.content_start : section.end])
        return self._texts[key]

    # --- edits: each returns the new text; nothing is written here ---------

    def with_keys(self, updates: dict[str, Any], order: tuple[str, ...] = INCIDENT_KEYS) -> str:
        return set_keys(self.text, self.front, updates, order=order, newline=self.source.newline)

    def with_entry(self, section: str, entry: str, *, table_header: str | None = None) -> str:
        return append_entry(
            self.text, self.section(section), section, entry, self.source.newline, table_header=table_header
        )


class Incident(Document):
    """An incident file; typed views over its front matter."""

    @property
    def id(self) -> str:
        return str(self.meta.get("id") or self.path.stem)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")

    @property
    def severity(self) -> str:
        return str(self.meta.get("severity") or "")

    @property
    def status(self) -> str:
        return str(self.meta.get("status") or "open")

    @property
    def active(self) -> bool:
        return self.status in ("open", "mitigated")

    @property
    def drill(self) -> bool:
        return self.meta.get("drill") is True

    @property
    def private(self) -> bool:
        return self.meta.get("private") is True

    @property
    def services(self) -> list[str]:
        value = self.meta.get("services") or []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def time(self, key: str) -> datetime | None:
        """The aware datetime at ``key``; DocumentError (located) for a value without a timezone."""
        value = self.meta.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value
        raise DocumentError(
            f"{key} must be a date-time with a timezone, got {value!r}",
            path=self.path,
            line=self.front.line_of(key),
            hint="write it as 2026-11-20T23:02:00+00:00",
        )

    @property
    def impact_start(self) -> datetime | None:
        """Where durations are measured from: ``started_at``, else ``detected_at``."""
        return self.time("started_at") or self.time("detected_at")


class Postmortem(Document):
    """A post-mortem file, named like its incident."""

    @property
    def incident_id(self) -> str:
        return str(self.meta.get("incident") or "")

    @property
    def status(self) -> str:
        return str(self.meta.get("status") or "draft")
