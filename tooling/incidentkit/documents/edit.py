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


def set_item_key(text: str, front: FrontMatter, list_key: str, index: int, key: str, value: Any, *, newline: str = "\n") -> str:
    """Set ``key`` in item ``index`` of the top-level list ``list_key`` (a block mapping).

    Used for a kill switch's ``tested_at``: only that value changes, or one
    line is added after the entry's last line at the indentation of its keys.
    """
    import yaml

    node = front.node
    seq = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == list_key), None) if node else None
    if not isinstance(seq, yaml.SequenceNode) or index >= len(seq.value) or not isinstance(seq.value[index], yaml.MappingNode):
        raise DocumentError(f"no entry {index + 1} under `{list_key}`")
    item = seq.value[index]
    if item.flow_style:
        raise DocumentError(f"cannot edit a flow-style entry ({{...}}); write `{key}` by hand", line=front.node_line(item))
    offset = front.block_start
    rendered = yaml_scalar(value)
    for key_node, value_node in item.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            if not isinstance(value_node, yaml.ScalarNode) or value_node.end_mark.line != key_node.start_mark.line:
                raise DocumentError(f"`{key}` is not a one-line value; edit it by hand", line=front.node_line(key_node))
            colon = text.index(":", offset + key_node.end_mark.index) + 1
            span = KeySpan(front.node_line(key_node), key_node.start_mark.column + 1, colon,
                           max(offset + value_node.end_mark.index, colon), front.node_line(key_node), True)
            line_end = _line_end(text, span.value_end)
            replacement = (" " + rendered if rendered else "") + _keep_comment(text[span.value_end:line_end], text, span, rendered)
            result = text[:colon] + replacement + text[line_end:]
            break
    else:
        end = offset + item.end_mark.index
        while end > offset and text[end - 1] in " \t\r\n":  # the item ends where the next token starts
            end -= 1
        indent = " " * item.value[0][0].start_mark.column
        result = text[:end] + f"{newline}{indent}{key}: {rendered}" + text[end:]
    reread = parse(result)
    entry = reread.data.get(list_key)[index]
    if entry.get(key) != value:
        raise DocumentError(f"internal error: `{key}` did not read back as written")
    return result
