"""Safe front matter with the position of every top-level key.

The block is delimited exactly as python-frontmatter delimits it (its
``YAMLHandler.FM_BOUNDARY``) and parsed with the same PyYAML safe loader (the
C one where available), but composed by us first so that we keep each key's
line and column for located findings and byte-exact edits, and so that YAML
aliases are refused before anything walks them ("billion laughs").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

from incidentkit.errors import DocumentError

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

BOUNDARY = YAMLHandler.FM_BOUNDARY
MAX_FRONT_MATTER_CHARS = 64 * 1024


class FrontMatterError(DocumentError):
    """The front matter cannot be read; ``line``/``column`` point at the cause."""

    def __init__(self, message: str, *, path: Any = None, line: int | None = None, column: int = 1, hint: str | None = None):
        super().__init__(message, path=path, line=line, hint=hint)
        self.column = column


class KeySpan(NamedTuple):
    """Where one top-level key and its value sit in the file (0-based char indices)."""

    line: int  # 1-based file line of the key
    column: int  # 1-based column of the key
    colon: int  # index just after the key's ':'
    value_end: int  # index just after the value's last character
    value_end_line: int  # 1-based line where the value ends
    scalar: bool


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    spans: dict[str, KeySpan]
    start: int  # index of the opening boundary
    block_start: int  # index where the YAML text begins
    block_end: int  # index of the closing boundary line's first character
    body_start: int  # index just after the closing boundary
    end_line: int  # 1-based line of the closing boundary
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    node: Any = None  # the composed YAML mapping, for nested positions (kill switches)
    base_line: int = 0  # file line (0-based) of the YAML block's line 0

    def line_of(self, key: str, default: int = 1) -> int:
        span = self.spans.get(key)
        return span.line if span else default

    def node_line(self, node: Any) -> int:
        """The 1-based file line where a composed ``node`` starts."""
        return self.base_line + node.start_mark.line + 1

    def node_column(self, node: Any) -> int:
        return node.start_mark.column + 1


def locate(text: str) -> tuple[int, int, int, int] | None:
    """(start, block_start, block_end, body_start) of the front matter, or None."""
    opening = BOUNDARY.match(text)
    if not opening:
        return None
    closing = BOUNDARY.search(text, opening.end())
    if not closing:
        return None
    return opening.start(), opening.end(), closing.start(), closing.end()


def parse(text: str, path: Any = None) -> FrontMatter:
    """Parse the front matter of ``text``; FrontMatterError (located) when it cannot."""
    where = locate(text)
    if where is None:
        hint = "start the file with a line '---', the YAML keys, then a closing '---'"
        if BOUNDARY.match(text):
            raise FrontMatterError("front matter is not closed by a '---' line", path=path, line=1, hint=hint)
        raise FrontMatterError("no front matter", path=path, line=1, hint=hint)
    start, block_start, block_end, body_start = where
    block = text[block_start:block_end]
    base_line = text.count("\n", 0, block_start)  # file line (0-based) of the block's line 0
    end_line = text.count("\n", 0, block_end) + 1
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(
            f"front matter too large ({len(block)} characters, limit {MAX_FRONT_MATTER_CHARS})",
            path=path,
            line=1,
            hint="keep long text in the Markdown body",
        )
    loader = _Loader(block)
    try:
        _refuse_aliases(block, path, base_line)
        node = loader.get_single_node()
        if node is None:
            return FrontMatter({}, {}, start, block_start, block_end, body_start, end_line, base_line=base_line)
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(
                "front matter must be a mapping of keys to values",
                path=path,
                line=base_line + node.start_mark.line + 1,
            )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = base_line + mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError(
            f"invalid YAML in front matter: {problem}",
            path=path,
            line=line,
            column=column,
            hint="quote values that contain ': ' or start with a special character",
        ) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML in front matter: {exc}", path=path, line=1) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):  # pragma: no cover - guarded by the MappingNode check
        raise FrontMatterError("front matter must be a mapping", path=path, line=1)
    spans, duplicates = _spans(node, block, block_start, base_line)
    return FrontMatter(data, spans, start, block_start, block_end, body_start, end_line, duplicates, node, base_line)


def _refuse_aliases(block: str, path: Any, base_line: int) -> None:
    """Refuse any alias (``*name``) before composing, so nothing is ever expanded."""
    if "*" not in block:
        return
    for event in yaml.parse(block, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise FrontMatterError(
                "YAML aliases (*name) are not allowed in front matter",
                path=path,
                line=base_line + event.start_mark.line + 1,
                column=event.start_mark.column + 1,
                hint="write the value out in full",
            )


def _spans(node: yaml.MappingNode, block: str, offset: int, base_line: int) -> tuple[dict[str, KeySpan], list[tuple[str, int]]]:
    spans: dict[str, KeySpan] = {}
    duplicates: list[tuple[str, int]] = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        name = key.value
        line = base_line + key.start_mark.line + 1
        if name in spans:
            duplicates.append((name, line))
        colon = block.index(":", key.end_mark.index) + 1
        end = max(value.end_mark.index, colon)
        # A block collection ends at the start of the next line: back off to its own.
        while end > colon and block[end - 1] in "\r\n":
            end -= 1
        spans[name] = KeySpan(
            line=line,
            column=key.start_mark.column + 1,
            colon=offset + colon,
            value_end=offset + end,
            value_end_line=line + block.count("\n", key.start_mark.index, end),
            scalar=isinstance(value, yaml.ScalarNode),
        )
    return spans, duplicates
