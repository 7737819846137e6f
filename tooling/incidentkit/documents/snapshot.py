"""A parsed document as a plain record, so that an unchanged file need not be parsed again."""

from __future__ import annotations

from typing import Any, TypeVar

from incidentkit.cache import decode_tagged, tagged
from incidentkit.documents.frontmatter import FrontMatter, KeySpan
from incidentkit.documents.model import Document
from incidentkit.documents.sections import Section
from incidentkit.documents.source import Source

D = TypeVar("D", bound=Document)


def to_record(doc: Document) -> dict[str, Any] | None:
    """The parse results of ``doc`` as JSON-able data; None when they would not round-trip."""
    front = doc.front
    try:
        data = tagged(front.data)
    except ValueError:
        return None
    return {
        "data": data,
        "spans": [[key, *span] for key, span in front.spans.items()],
        "at": [front.start, front.block_start, front.block_end, front.body_start, front.end_line, front.base_line],
        "dups": [list(d) for d in front.duplicates],
        "sections": [list(section) for section in doc.sections],
    }


def from_record(cls: type[D], source: Source, record: dict[str, Any]) -> D:
    """The document of ``source`` rebuilt from its record (no YAML node: not for the inventory)."""
    start, block_start, block_end, body_start, end_line, base_line = record["at"]
    spans = {fields[0]: KeySpan(*fields[1:]) for fields in record["spans"]}
    front = FrontMatter(decode_tagged(record["data"]), spans, start, block_start, block_end, body_start, end_line,
                        [tuple(d) for d in record["dups"]], None, base_line)
    return cls(source, front, [Section(*fields) for fields in record["sections"]])
