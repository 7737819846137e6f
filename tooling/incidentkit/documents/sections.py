"""Markdown sections (H2 headings) with their lines, and appending inside one."""

from __future__ import annotations

import re
from typing import NamedTuple

_HEADING = re.compile(r"^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$", re.M)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_OPEN_COMMENT = re.compile(r"<!--(?!.*?-->)", re.S)
_PLACEHOLDERS = {"todo", "tbd"}


class Section(NamedTuple):
    """An H2 section: its name, heading line, and where its text lies."""

    name: str
    line: int  # 1-based line of the heading
    start: int  # index of the heading line
    content_start: int  # index just after the heading line
    end: int  # index where the next H1/H2 starts, or the end of the text


def parse_sections(text: str, offset: int = 0) -> list[Section]:
    """The H2 sections of ``text`` from index ``offset`` on; fences and comments are skipped.

    Regular expressions find the candidates in C; only headings inside a fenced
    block or an HTML comment are dropped, so a long file costs little.
    """
    hidden = _hidden_ranges(text, offset)
    heads: list[tuple[int, str, int, int]] = []  # level, name, start, content_start
    for match in _HEADING.finditer(text, offset):
        start = match.start()
        if any(low <= start < high for low, high in hidden):
            continue
        content_start = match.end() + 1 if match.end() < len(text) else match.end()
        heads.append((len(match.group(1)), (match.group(2) or "").strip(), start, content_start))
    sections = []
    line, counted = 1, 0
    for position, (level, name, start, content_start) in enumerate(heads):
        line += text.count("\n", counted, start)
        counted = start
        end = heads[position + 1][2] if position + 1 < len(heads) else len(text)
        if level == 2:
            sections.append(Section(name, line, start, content_start, end))
    return sections


def _hidden_ranges(text: str, offset: int) -> list[tuple[int, int]]:
    """Index ranges of fenced code blocks and HTML comments, where a '#' is not a heading."""
    hidden = []
    if "<!--" in text:
        hidden += [(m.start(), m.end()) for m in _COMMENT.finditer(text, offset)]
        unclosed = _OPEN_COMMENT.search(text, offset)
        if unclosed:
            hidden.append((unclosed.start(), len(text)))
    if "```" in text or "~~~" in text:
        fence: tuple[str, int] | None = None
        for match in _FENCE.finditer(text, offset):
            marker = match.group(1)
            if fence is None:
                fence = (marker, match.start())
            elif marker[0] == fence[0][0] and len(marker) >= len(fence[0]) and not match.group(2).strip():
                hidden.append((fence[1], match.end()))
                fence = None
        if fence is not None:
            hidden.append((fence[1], len(text)))
    return hidden


def find_section(sections: list[Section], name: str) -> Section | None:
    wanted = name.strip().lower()
    for section in sections:
        if section.name.lower() == wanted:
            return section
    return None


def meaningful(content: str) -> str:
    """The content without HTML-comment hints, stripped; '' for TODO/TBD placeholders."""
    text = _COMMENT.sub("", content).strip()
    if text.lower().rstrip(".:!") in _PLACEHOLDERS:
        return ""
    return text


def append_entry(text: str, section: Section | None, name: str, entry: str, newline: str, *, table_header: str | None = None) -> str:
    """Insert ``entry`` (one line) at the end of section ``name``; create the section if missing.

    With ``table_header`` the entry is a table row: it goes after the table's
    last row, and the header is written first when the section has no table.
    Every byte outside the inserted lines stays as it was.
    """
    if section is None:
        prefix = "" if text.endswith(("\n", "\r")) or not text else newline
        block = f"{newline}## {name}{newline}{newline}"
        if table_header:
            block += table_header.replace("\n", newline) + newline
        return text + prefix + block + entry + newline
    region = text[section.content_start : section.end]
    lines = region.splitlines(keepends=True)
    insert_after = -1  # index into lines; -1 means right after the heading
    if table_header:
        rows = [i for i, line in enumerate(lines) if line.lstrip().startswith("|")]
        if rows:
            insert_after = rows[-1]
            table_header = None
    if insert_after < 0:
        for i, line in enumerate(lines):
            if line.strip():
                insert_after = i
    new_lines = [entry]
    if table_header:
        new_lines = table_header.split("\n") + new_lines
        if insert_after >= 0:
            new_lines.insert(0, "")  # a table needs a blank line before it
    head = "".join(lines[: insert_after + 1])
    if head and not head.endswith("\n"):
        head += newline
    if insert_after < 0 and text[: section.content_start] and not text[: section.content_start].endswith("\n"):
        head = newline + head
    tail = "".join(lines[insert_after + 1 :])
    inserted = "".join(line + newline for line in new_lines)
    return text[: section.content_start] + head + inserted + tail + text[section.end :]
