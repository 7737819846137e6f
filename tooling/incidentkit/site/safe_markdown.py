"""User Markdown made safe to render: pasted text stays text.

Incident bodies hold pasted log lines and other untrusted text. Before mkdocs
renders them: HTML comments (template hints) are dropped, every `<` outside
code is escaped so no tag reaches the page, and link targets with a scheme
other than http(s) or mailto are neutralised.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$\n?", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK_TARGET = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)([A-Za-z][A-Za-z0-9+.\-]*):", re.M)
_SAFE_SCHEMES = {"http", "https", "mailto"}


def _escape_text(text: str) -> str:
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape_plain(text[last : match.start()]))
        out.append(match.group(0))  # Markdown escapes code spans itself
        last = match.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    text = text.replace("<", "&lt;")
    return _LINK_TARGET.sub(lambda m: m.group(0) if m.group(2).lower() in _SAFE_SCHEMES else f"{m.group(1)}#blocked-{m.group(2)}-", text)


def as_data(markdown: str) -> str:
    """``markdown`` with no raw HTML and no script links, code blocks untouched."""
    markdown = _COMMENT.sub("", markdown)
    out, last = [], 0
    for match in _FENCE.finditer(markdown):
        out.append(_escape_text(markdown[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape_text(markdown[last:]))
    return "".join(out)
