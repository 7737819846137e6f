"""IK5xx: likely secrets, found by detect-secrets, reported by line and never echoed.

detect-secrets decides what a secret is (its token-format detectors and its
keyword detector, with its false-positive filters). Its entropy detectors are
left out: incident files are full of commit hashes. Importing detect-secrets
costs ~0.25 s, more than a whole pre-commit run should take, so a file is
first searched with the detectors' own patterns, cached per detect-secrets
version in `.incidentkit/`; only lines those patterns hit go to detect-secrets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from incidentkit.documents.atomic import atomic_write
from incidentkit.rules.context import CheckedFile, Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.registry import rule

_LEFT_OUT = {"IPPublicDetector"}  # addresses in logs are evidence, not secrets
_CACHE = "secret-patterns.json"


def _detector_names_and_patterns() -> tuple[list[str], list[tuple[str, int]]]:
    """Ask detect-secrets itself for its detectors and their search patterns."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins import keyword
    from detect_secrets.plugins.base import RegexBasedDetector

    names = ["KeywordDetector"]
    patterns = [(keyword.DENYLIST_REGEX, re.IGNORECASE)]
    for cls in get_mapping_from_secret_type_to_class().values():
        if issubclass(cls, RegexBasedDetector) and cls.__name__ not in _LEFT_OUT:
            names.append(cls.__name__)
            patterns += [(regex.pattern, regex.flags) for regex in cls.denylist]
    return sorted(names), patterns


@lru_cache(maxsize=4)
def _prefilter(state_dir: Path | None) -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    version = metadata.version("detect-secrets")
    cache = state_dir / _CACHE if state_dir else None
    data = None
    if cache is not None and cache.is_file():
        try:
            data = json.loads(cache.read_text())
            if data.get("detect_secrets") != version:
                data = None
        except (OSError, ValueError):
            data = None
    if data is None:
        names, patterns = _detector_names_and_patterns()
        data = {"detect_secrets": version, "detectors": names, "patterns": patterns}
        if cache is not None:
            try:
                atomic_write(cache, json.dumps(data).encode())
            except Exception:  # an unwritable cache only costs time
                pass
    compiled = tuple(re.compile(pattern, flags) for pattern, flags in data["patterns"])
    return tuple(data["detectors"]), compiled


def candidate_lines(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[int]:
    """0-based numbers of the lines that any detector pattern hits."""
    lines: set[int] = set()
    for pattern in patterns:
        for match in pattern.finditer(text):
            lines.add(text.count("\n", 0, match.start()))
    return sorted(lines)


def find_secrets(text: str, state_dir: Path | None) -> list[tuple[int, int, str]]:
    """(line, column, kind) of each likely secret in ``text``; 1-based positions."""
    detectors, patterns = _prefilter(state_dir)
    candidates = candidate_lines(text, patterns)
    if not candidates:
        return []
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    found = []
    lines = text.splitlines()
    with transient_settings({"plugins_used": [{"name": name} for name in detectors]}):
        for number in candidates:
            line = lines[number] if number < len(lines) else ""
            kinds: dict[str, int] = {}
            for secret in scan_line(line):
                column = line.find(secret.secret_value or "") + 1 or 1
                kinds.setdefault(secret.type, column)
            for kind, column in sorted(kinds.items(), key=lambda item: item[1]):
                found.append((number + 1, column, kind))
    return found


@rule("IK501", "likely-secret", "file")
def likely_secret(ctx: Context, checked: CheckedFile) -> Iterator[Hit]:
    """A line looks like it holds a secret: a key, a token or a password.

    Found by detect-secrets' token-format and keyword detectors. The finding
    names the kind and the line, never the value. Remove it, rotate the
    secret, and if it was ever pushed, treat it as leaked.
    """
    source = ctx.source(checked.path)
    if isinstance(source, Exception):
        return
    for line, column, kind in find_secrets(source.text, ctx.state_dir()):
        yield Hit(checked.rel, line, f"likely secret ({kind}); remove it and rotate it", column)
