"""Which lines of a text a set of line-by-line regular expressions can hit, found fast.

detect-secrets runs each detector's patterns on one line at a time. Doing that
per line in Python costs a call per line and pattern, so the patterns run over
the whole text at once, in MULTILINE mode (``^`` and ``$`` then mean what they
mean on a lone line), and every line a match touches is kept: a match that
begins on the newline ending the line before (``(?:\\s|^)AKC...``) still
names the line it is about.

Some patterns (IBM Cloud, Cloudant, SoftLayer) start with look-behinds and
optional prefixes, which keeps the regular-expression engine from skipping
ahead: each costs 150-320 µs on a 2 KB file. Every one of them requires a run
of N word characters (the secret itself, ``[a-f0-9]{48}``), so they only run
on the lines that hold such a run: ``required_run`` reads that N from the
pattern's parse tree, and returns 0 (never skip) for anything it cannot prove.
Likewise a pattern that needs a literal (``AKC``) is skipped on a text
without it.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind re.compile; named sre_parse before Python 3.11
    from re import _constants as sre, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without it: every pattern runs everywhere
    sre = sre_parse = None

GATE_MIN_RUN = 16  # shorter runs are in most lines: gating on them saves nothing
_WORDISH = re.compile(r"[\w-]")


class LinePattern:
    """One detector pattern and what every match of it needs; compiled on first use, since
    a one-file run skips most patterns on their literal alone (46 compiles cost 16 ms)."""

    __slots__ = ("source", "flags", "on_lowercase", "run", "literal", "_regex")

    def __init__(self, source: str, flags: int, on_lowercase: bool, run: int, literal: str) -> None:
        self.source, self.flags = source, flags | re.MULTILINE
        self.on_lowercase = on_lowercase  # runs on the lowercased text (its literals are lowercase)
        self.run = run  # it needs this many [\w-] characters in a row; 0 when that is not known
        self.literal = literal  # every match holds this text ('' when none is known)
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.source, self.flags)
        return self._regex


def spec(source: str, flags: int, on_lowercase: bool = False) -> tuple[str, int, bool, int, str]:
    """What ``compile_patterns`` takes (plain data, to be cached): the pattern and what it needs."""
    return source, flags, on_lowercase, required_run(source, flags), required_literal(source, flags)


def compile_patterns(specs: list[tuple[str, int, bool, int, str]]) -> tuple[LinePattern, ...]:
    """``spec`` tuples as ``LinePattern`` in MULTILINE mode."""
    return tuple(LinePattern(*fields) for fields in specs)


def required_run(source: str, flags: int = 0) -> int:
    """How many ``[\\w-]`` characters in a row every match of ``source`` must contain (0: unknown)."""
    if sre_parse is None:
        return 0
    try:
        return _run_in_sequence(list(sre_parse.parse(source, flags)))
    except Exception:  # noqa: BLE001 - a private parser: anything it cannot do means "do not gate"
        return 0


def required_literal(source: str, flags: int = 0) -> str:
    """The longest text every match of a case-sensitive ``source`` must contain ('' if unknown)."""
    if sre_parse is None:
        return ""
    try:
        parsed = sre_parse.parse(source, flags)
        if (flags | parsed.state.flags) & re.IGNORECASE:
            return ""
        return _literal_in_sequence(list(parsed))
    except Exception:  # noqa: BLE001 - as in required_run
        return ""


def _literal_in_sequence(items: list[tuple[Any, Any]]) -> str:
    best, current = "", ""
    for op, av in items:
        if op is sre.LITERAL:
            current += chr(av)
            best = max(best, current, key=len)
            continue
        current = ""
        if op is sre.SUBPATTERN and not (av[1] & re.IGNORECASE):  # a group that must match
            best = max(best, _literal_in_sequence(list(av[-1])), key=len)
    return best


def _run_in_sequence(items: list[tuple[Any, Any]]) -> int:
    """The longest run some item of a sequence (every item of which must match) requires."""
    best = 0
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, _high, body = av
            body = list(body)
            if low >= 1 and len(body) == 1 and _one_wordish_char(*body[0]):
                best = max(best, low)
        elif op is sre.SUBPATTERN:  # a group that must match: its own sequence must too
            best = max(best, _run_in_sequence(list(av[-1])))
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            best = max(best, _run_in_sequence(list(av)))
    return best


def _one_wordish_char(op: Any, av: Any) -> bool:
    """True when the item matches exactly one character, always a word character or '-'."""
    if op is sre.IN:
        return all(_wordish_set_item(item_op, item_av) for item_op, item_av in av)
    return op is sre.LITERAL and _wordish_set_item(op, av)


def _wordish_set_item(op: Any, av: Any) -> bool:
    if op is sre.LITERAL:
        return bool(_WORDISH.fullmatch(chr(av)))
    if op is sre.RANGE:
        low, high = av
        return high - low < 4096 and all(_WORDISH.fullmatch(chr(code)) for code in range(low, high + 1))
    if op is sre.CATEGORY:
        return av in (sre.CATEGORY_WORD, sre.CATEGORY_DIGIT, sre.CATEGORY_UNI_WORD, sre.CATEGORY_UNI_DIGIT)
    return False  # NEGATE and anything else


def candidate_lines(text: str, patterns: tuple[LinePattern, ...]) -> list[int]:
    """0-based numbers of the lines that some pattern can hit when run on that line alone."""
    text = _lf(text)
    lines: set[int] = set()
    lowered: str | None = None  # lowercasing never adds or removes a newline
    long_lines: list[tuple[int, int, int, int]] | None = None
    for pattern in patterns:
        if len(pattern.literal) > 1 and pattern.literal not in text:
            continue
        if pattern.run >= GATE_MIN_RUN and not pattern.on_lowercase:
            if long_lines is None:
                long_lines = _lines_with_long_tokens(text, GATE_MIN_RUN)
            for number, start, end, longest in long_lines:
                if longest >= pattern.run and number not in lines and pattern.regex.search(text, start, end):
                    lines.add(number)
            continue
        if pattern.on_lowercase:
            lowered = text.lower() if lowered is None else lowered
            haystack = lowered
        else:
            haystack = text
        for match in pattern.regex.finditer(haystack):
            first = haystack.count("\n", 0, match.start())
            lines.update(range(first, first + haystack.count("\n", match.start(), match.end()) + 1))
    return sorted(lines)


def _lf(text: str) -> str:
    """``text`` with CRLF line ends as LF: a line is what lies between two LFs, without them."""
    return text.replace("\r\n", "\n") if "\r\n" in text else text


def split_lines(text: str) -> list[str]:
    """The lines ``candidate_lines`` numbers, as a detector should see them."""
    return _lf(text).split("\n")


def _lines_with_long_tokens(text: str, shortest: int) -> list[tuple[int, int, int, int]]:
    """(number, start, end, longest token) of each line with a token of ``shortest`` or more
    characters between white space, in line order.

    A run of ``[\\w-]`` characters holds no white space, so it lies inside such a token.
    str.split finds them in C; a regular expression for the run is ten times slower.
    """
    longest: dict[int, int] = {}  # line start -> its longest token
    for token in {token for token in text.split() if len(token) >= shortest}:
        at = text.find(token)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            longest[start] = max(longest.get(start, 0), len(token))
            at = text.find(token, at + 1)
    found = []
    for start in sorted(longest):
        end = text.find("\n", start)
        found.append((text.count("\n", 0, start), start, len(text) if end < 0 else end, longest[start]))
    return found
