"""IK5xx: likely secrets, found by detect-secrets, reported by line and never echoed.

detect-secrets decides what a secret is (its token-format detectors and its
keyword detector, with its false-positive filters). Its entropy detectors are
left out: incident files are full of commit hashes. Importing detect-secrets
costs ~0.25 s, more than a whole pre-commit run should take, so a file is
first searched with the detectors' own patterns, cached per detect-secrets
version in the user's cache (incidentkit.cache); only lines those patterns hit
go to detect-secrets (incidentkit.rules.prefilter: how, and why no line
detect-secrets would flag is lost). The keyword patterns are lowercase by
detect-secrets' own rule, so they run on the lowercased text without
IGNORECASE (10x faster). Results are cached by content hash, so a file is
scanned again only when it changes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from incidentkit.cache import digest, read_json, write_json
from incidentkit.rules.context import CheckedFile, Context
from incidentkit.rules.finding import Hit
from incidentkit.rules.prefilter import LinePattern, candidate_lines, compile_patterns, spec, split_lines
from incidentkit.rules.registry import rule

_LEFT_OUT = {"IPPublicDetector"}  # addresses in logs are evidence, not secrets
_PATTERNS = "secret-patterns.json"
_RESULTS = "secret-results.json"
_FORMAT = 3


def _detector_names_and_patterns() -> tuple[list[str], list[tuple[str, int, bool, int, str]]]:
    """Ask detect-secrets itself for its detectors and their search patterns."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins import keyword
    from detect_secrets.plugins.base import RegexBasedDetector

    names = ["KeywordDetector"]
    # detect-secrets matches its keyword list case-insensitively and keeps it lowercase:
    # a case-sensitive copy run on the lowercased text finds the same lines, 10x faster.
    lowercase = all(word == word.lower() for word in keyword.DENYLIST)
    patterns = [spec(keyword.DENYLIST_REGEX, 0 if lowercase else re.IGNORECASE, lowercase)]
    for cls in get_mapping_from_secret_type_to_class().values():
        if issubclass(cls, RegexBasedDetector) and cls.__name__ not in _LEFT_OUT:
            names.append(cls.__name__)
            patterns += [spec(regex.pattern, regex.flags) for regex in cls.denylist]
    return sorted(names), patterns


def _installed_version() -> str:
    """Which detect-secrets is installed, cheaply: where it lives and when it was written.

    importlib.metadata costs ~25 ms to import, a tenth of a pre-commit run;
    the package's own files change whenever it is upgraded or reinstalled.
    """
    spec = importlib.util.find_spec("detect_secrets")
    if spec is None or not spec.origin:
        raise ModuleNotFoundError("detect-secrets is not installed")
    package = Path(spec.origin).parent
    stamps = [os.stat(package / part).st_mtime_ns for part in ("__init__.py", "plugins")]
    return f"{package}:{stamps[0]}:{stamps[1]}"


@lru_cache(maxsize=4)
def _prefilter(cache: Path | None) -> tuple[tuple[str, ...], tuple[LinePattern, ...], str]:
    """(detector names, their line patterns, a key naming this set)."""
    version = _installed_version()
    cache = cache / _PATTERNS if cache else None
    data = read_json(cache)
    if data is None or data.get("detect_secrets") != version or data.get("format") != _FORMAT:
        names, patterns = _detector_names_and_patterns()
        data = {"format": _FORMAT, "detect_secrets": version, "detectors": names, "patterns": patterns}
        write_json(cache, data)
    compiled = compile_patterns(data["patterns"])
    key = hashlib.sha1(json.dumps([version, data["detectors"], data["patterns"]]).encode()).hexdigest()
    return tuple(data["detectors"]), compiled, key


class SecretScanner:
    """Scans texts, remembering results by content hash in ``.incidentkit/`` between runs."""

    def __init__(self, cache: Path | None) -> None:
        self.detectors, self.patterns, self.key = _prefilter(cache)
        self._path = cache / _RESULTS if cache else None
        data = read_json(self._path)
        self._known: dict[str, list] = data.get("results", {}) if data and data.get("key") == self.key else {}
        self.used: dict[str, list] = {}  # this run's results, by content hash

    def fork(self) -> SecretScanner:
        """A scanner for a worker process: the same known results, its own record of use."""
        twin = object.__new__(SecretScanner)
        twin.detectors, twin.patterns, twin.key, twin._path = self.detectors, self.patterns, self.key, self._path
        twin._known, twin.used = self._known, {}
        return twin

    def scan(self, text: str, key: str | None = None) -> list[tuple[int, int, str]]:
        key = key or digest(text)
        found = self._known.get(key)
        if found is None:
            found = [list(hit) for hit in find_secrets(text, self.detectors, self.patterns)]
        self.used[key] = found
        return [tuple(hit) for hit in found]  # type: ignore[misc]

    def learnt(self) -> dict[str, list | None]:
        """This run's results for the parent process; None for those it already knows."""
        return {key: None if self._known.get(key) is found else found for key, found in self.used.items()}

    def adopt(self, learnt: dict[str, list | None]) -> None:
        self.used.update((key, self._known[key] if found is None else found) for key, found in learnt.items())

    def save(self, *, keep_unused: bool) -> None:
        """Write the cache: only this run's entries after a whole-repo run, else merged."""
        results = {**self._known, **self.used} if keep_unused else self.used
        if results != self._known:
            write_json(self._path, {"key": self.key, "results": results})


def find_secrets(text: str, detectors: tuple[str, ...], patterns: tuple[LinePattern, ...]) -> list[tuple[int, int, str]]:
    """(line, column, kind) of each likely secret in ``text``; 1-based positions."""
    candidates = candidate_lines(text, patterns)
    if not candidates:
        return []
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    found = []
    lines = split_lines(text)
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
    for line, column, kind in ctx.secrets().scan(source.text, ctx.digest(checked.path)):
        yield Hit(checked.rel, line, f"likely secret ({kind}); remove it and rotate it", column)
