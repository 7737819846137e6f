"""Front matter with key lines, safe YAML, one-key edits and section appends."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from incidentkit.documents.frontmatter import FrontMatterError, parse
from incidentkit.documents.model import Incident
from incidentkit.documents.sections import append_entry, find_section, meaningful, parse_sections
from incidentkit.documents.source import decode

UTC = timezone.utc

DOC = """---
id: INC-0042
title: "Foresight: inflated conviction"   # quoted, with a comment
severity: SEV1            # SEV1..SEV4
status: open

detected_at: 2026-11-20T23:02:00+00:00   # timezone required
mitigated_at:                # set later
services: [foresight, 'b']
tags:
- a
-   b
drill: no
---
## Summary

Five bad trades.

```
## Not a section (inside a fence)
```

<!--
## Not a section (inside a comment)
-->

## Timeline

<!-- hint -->
- 2026-11-20 23:02 UTC — declared

## Mitigation log
<!-- hint -->
"""


def test_key_lines_and_values() -> None:
    front = parse(DOC)
    assert front.data["id"] == "INC-0042"
    assert front.data["detected_at"] == datetime(2026, 11, 20, 23, 2, tzinfo=UTC)
    assert front.data["drill"] is False  # YAML 1.1: `no` is false
    assert {k: front.spans[k].line for k in ("id", "title", "detected_at", "drill")} == {
        "id": 2, "title": 3, "detected_at": 7, "drill": 13,
    }
    assert front.end_line == 14


def test_sections_skip_fences_and_comments() -> None:
    front = parse(DOC)
    sections = parse_sections(DOC, front.body_start)
    assert [(s.name, s.line) for s in sections] == [("Summary", 15), ("Timeline", 27), ("Mitigation log", 32)]
    assert meaningful(DOC[sections[2].content_start : sections[2].end]) == ""


@pytest.mark.parametrize("content, empty", [
    ("<!-- only a hint -->\n", True),
    ("TODO\n", True),
    ("  tbd.  \n", True),
    ("<!-- hint -->\nReal text\n", False),
    ("TODO: check the logs of the scorer\n", False),
])
def test_placeholder_sections_are_empty(content: str, empty: bool) -> None:
    assert (meaningful(content) == "") is empty


def test_alias_bomb_is_refused_quickly_without_expansion() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    started = time.perf_counter()
    with pytest.raises(FrontMatterError) as caught:
        parse(bomb)
    assert time.perf_counter() - started < 0.5
    assert "aliases" in caught.value.message
    assert caught.value.line == 3  # the first alias, on b's line


def test_arbitrary_tags_are_refused() -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse("---\nx: !!python/object/apply:os.system ['true']\n---\n")
    assert caught.value.line == 2


@pytest.mark.parametrize("text, line, needle", [
    ("no front matter\n", 1, "no front matter"),
    ("---\nid: INC-1\n", 1, "not closed"),
    ("---\nid: INC-1\ntitle: a: b\n---\n", 3, "invalid YAML"),
    ("---\n- a list\n---\n", 2, "mapping"),
])
def test_bad_front_matter_is_located(text: str, line: int, needle: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    assert caught.value.line == line
    assert needle in caught.value.message


def test_set_keys_changes_only_the_edited_lines() -> None:
    doc = Incident.from_source(decode(Path("x.md"), DOC.encode()))
    new = doc.with_keys({
        "status": "mitigated",
        "mitigated_at": datetime(2026, 11, 20, 23, 7, tzinfo=UTC),
        "resolved_at": datetime(2026, 11, 21, 2, 10, tzinfo=UTC),
    })
    old_lines, new_lines = DOC.splitlines(keepends=True), new.splitlines(keepends=True)
    assert [l for l in new_lines if l not in old_lines] == [
        "status: mitigated\n",
        "mitigated_at: 2026-11-20T23:07:00+00:00 # set later\n",
        "resolved_at: 2026-11-21T02:10:00+00:00\n",
    ]
    assert [l for l in old_lines if l not in new_lines] == ["status: open\n", "mitigated_at:                # set later\n"]
    # resolved_at goes right after mitigated_at, in the lifecycle's order
    assert new_lines.index("resolved_at: 2026-11-21T02:10:00+00:00\n") == new_lines.index("mitigated_at: 2026-11-20T23:07:00+00:00 # set later\n") + 1


def test_comment_column_is_kept_when_there_is_room() -> None:
    text = "---\nstatus: open          # lifecycle\n---\n"
    doc = Incident.from_source(decode(Path("x.md"), text.encode()))
    assert doc.with_keys({"status": "resolved"}) == "---\nstatus: resolved      # lifecycle\n---\n"


@pytest.mark.parametrize("title", ["no", "10:30", "{{ 7*7 }}", "{% raw %}", "a: b # c", "'quoted'", "x\\y", "012", ""])
def test_strings_round_trip_as_strings(title: str) -> None:
    text = "---\ntitle: old\n---\n"
    doc = Incident.from_source(decode(Path("x.md"), text.encode()))
    new = doc.with_keys({"title": title})
    assert parse(new).data["title"] == title


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + DOC.replace("\n", "\r\n").encode()
    path = tmp_path / "INC-0042.md"
    path.write_bytes(raw)
    doc = Incident.read(path)
    assert doc.front.spans["detected_at"].line == 7
    text = doc.with_keys({"status": "mitigated"})
    text = Incident.from_source(doc.source.replaced(text)).with_entry("Timeline", "- 2026-11-20 23:05 UTC — x")
    doc.source.save(text)
    written = path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\n" not in written.replace(b"\r\n", b"")  # no bare LF was introduced
    assert b"status: mitigated\r\n" in written
    assert b"- 2026-11-20 23:02 UTC \xe2\x80\x94 declared\r\n- 2026-11-20 23:05 UTC \xe2\x80\x94 x\r\n" in written
    assert written.replace(b"status: mitigated", b"status: open").replace(b"- 2026-11-20 23:05 UTC \xe2\x80\x94 x\r\n", b"") == raw


def test_append_entry_places_rows_after_the_table_and_creates_missing_sections() -> None:
    header = "| time | action | result |\n|---|---|---|"
    text = "---\nid: X\n---\n## Mitigation log\n\n<!-- hint -->\n\n## Root cause\n"
    sections = parse_sections(text, parse(text).body_start)
    once = append_entry(text, find_section(sections, "Mitigation log"), "Mitigation log", "| t1 | a | ok |", "\n", table_header=header)
    assert once == "---\nid: X\n---\n## Mitigation log\n\n<!-- hint -->\n\n| time | action | result |\n|---|---|---|\n| t1 | a | ok |\n\n## Root cause\n"
    sections = parse_sections(once, parse(once).body_start)
    twice = append_entry(once, find_section(sections, "Mitigation log"), "Mitigation log", "| t2 | b | ok |", "\n", table_header=header)
    assert "| t1 | a | ok |\n| t2 | b | ok |\n\n## Root cause\n" in twice
    missing = append_entry(twice, None, "Timeline", "- t3 — c", "\n")
    assert missing.startswith(twice)
    assert missing.endswith("\n## Timeline\n\n- t3 — c\n")


def test_append_to_a_heading_at_end_of_file_without_newline() -> None:
    text = "---\nid: X\n---\n## Timeline"
    sections = parse_sections(text, parse(text).body_start)
    assert append_entry(text, sections[0], "Timeline", "- e", "\n") == "---\nid: X\n---\n## Timeline\n- e\n"
