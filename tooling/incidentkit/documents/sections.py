"""Markdown sections (H2 headings) with their lines, and appending inside one."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PLACEHOLDERS = {"todo", "tbd"}


@dataclass(frozen=True)
class Section:
    name: str
    line: int  # 1-based line of the heading
    start: int  # index of the heading line
    content_start: int  # index just after the heading line
    end: int  # index where the next H1/H2 starts, or the end of the text


def parse_sections(text: str, offset: int = 0) -> list[Section]:
    """The H2 sections of ``text`` from index ``offset`` on; fences and comments are skipped."""
    heads: list[tuple[int, str, int, int, int]] = []  # level, name, line, start, content_start
    line_no = text.count("\n", 0, offset) + 1
    index = offset
    fence: str | None = None
    in_comment = False
    for raw in text[offset:].splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
        elif in_comment:
            in_comment = "-->" not in line
        else:
            opened = _FENCE.match(line)
            if opened:
                fence = opened.group(1)
            elif "<!--" in line and "-->" not in line[line.rindex("<!--") :]:
                in_comment = True
            else:
                match = _HEADING.match(line)
                if match and len(match.group(1)) <= 2:
                    heads.append((len(match.group(1)), (match.group(2) or "").strip(), line_no, index, index + len(raw)))
        index += len(raw)
        line_no += 1
    sections = []
    for position, (level, name, line, start, content_start) in enumerate(heads):
        end = heads[position + 1][3] if position + 1 < len(heads) else len(text)
        if level == 2:
            sections.append(Section(name, line, start, content_start, end))
    return sections


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
