"""One-key edits of front matter that leave every other byte as the user wrote it.

ruamel.yaml's round trip was measured first and rejected: it re-indents
block lists and respaces values on lines it was not asked to touch. We know
each key's span from the composer, so an edit rewrites only the value on its
own line, keeping the trailing comment (at its column when there is room).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import yaml

from incidentkit.documents.frontmatter import FrontMatter, KeySpan, parse
from incidentkit.errors import DocumentError

_SAFE_PLAIN_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_(/.")


def yaml_scalar(value: Any) -> str:
    """``value`` as YAML that PyYAML reads back as the same value.

    Aware datetimes are written unquoted in ISO form (read back as datetimes);
    strings stay plain when that is safe and become double-quoted otherwise,
    so a title like ``no`` or ``10:30`` or ``{{ 7*7 }}`` is kept as text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (date, int, float)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    text = str(value)
    if text and text[0] in _SAFE_PLAIN_START and text == text.strip() and not any(c in text for c in "#:,[]{}\"'\\\n\t`|>&*!%@"):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def set_keys(text: str, front: FrontMatter, updates: dict[str, Any], *, order: tuple[str, ...] = (), newline: str = "\n") -> str:
    """Set top-level keys of the front matter of ``text``; other bytes unchanged.

    A missing key is inserted after the nearest key that precedes it in
    ``order`` (else at the end of the block). The result is parsed again and
    checked, so a bad edit raises instead of being written.
    """
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), non-overlapping
    inserts: dict[int, list[str]] = {}
    for key, value in updates.items():
        rendered = yaml_scalar(value)
        span = front.spans.get(key)
        if span is None:
            at = _insert_point(text, front, key, order)
            inserts.setdefault(at, []).append(f"{key}: {rendered}".rstrip() + newline)
            continue
        line_end = _line_end(text, span.value_end)
        rest = text[span.value_end : line_end]
        if not span.scalar or span.value_end_line != span.line:
            rest = ""  # a multi-line value is replaced whole
        replacement = (" " + rendered if rendered else "") + _keep_comment(rest, text, span, rendered)
        edits.append((span.colon, line_end, replacement))
    pieces = []
    cursor = 0
    points = sorted(edits + [(at, at, "".join(lines)) for at, lines in inserts.items()])
    for start, end, replacement in points:
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    result = "".join(pieces)
    reread = parse(result)
    for key, value in updates.items():
        if _normal(reread.data.get(key)) != _normal(value):
            raise DocumentError(f"internal error: front-matter key {key!r} did not read back as written")
    return result


def _normal(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    if end < 0:
        end = len(text)
    if end > 0 and text[end - 1] == "\r":
        end -= 1
    return end


def _keep_comment(rest: str, text: str, span: KeySpan, rendered: str) -> str:
    """The trailing comment of the edited line, kept at its column where there is room."""
    stripped = rest.lstrip(" \t")
    if not stripped.startswith("#"):
        return ""
    line_start = text.rfind("\n", 0, span.colon) + 1
    old_column = span.value_end - line_start + len(rest) - len(stripped)
    new_width = span.colon - line_start + (1 + len(rendered) if rendered else 0)
    return " " * max(1, old_column - new_width) + stripped


def _insert_point(text: str, front: FrontMatter, key: str, order: tuple[str, ...]) -> int:
    before = order[: order.index(key)] if key in order else ()
    present = [front.spans[k] for k in before if k in front.spans]
    if present:
        last = max(present, key=lambda span: span.value_end)
        end = text.find("\n", last.value_end)
        return len(text) if end < 0 else end + 1
    return front.block_end
