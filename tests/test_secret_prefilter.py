"""The secret prefilter never drops a line detect-secrets would look at.

detect-secrets runs each detector pattern on one line alone. The prefilter
runs them over the whole text, skips patterns whose literal is absent and runs
the slow ones only on lines with a long enough token; every line on which an
original pattern matches alone must still be a candidate.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidentkit.rules.prefilter import candidate_lines, required_literal, required_run, split_lines
from incidentkit.rules.secrets import _detector_names_and_patterns, _prefilter, find_secrets

DETECTORS, PATTERNS, _KEY = _prefilter(None)
ORIGINALS = [re.compile(source, flags) for source, flags, *_ in _detector_names_and_patterns()[1]]
_RNG = random.Random(5)


def _token(alphabet: str, size: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(size))


HEX = "0123456789abcdef"
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SECRETS = [  # what the detectors look for, in the shapes their patterns want
    f"AKC{_token(ALNUM, 60)}", f"AP6{_token(ALNUM, 12)}", f"AKIA{_token('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}",
    f"ghp_{_token(ALNUM, 36)}", f"glpat-{_token(ALNUM, 20)}", f"xoxb-123-{_token(HEX, 20)}",
    f"sk_live_{_token(ALNUM, 24)}", f"{_token(HEX, 32)}-us12", f"AC{_token(HEX, 32)}", f"SK{_token(HEX, 32)}",
    f"cloudant_password={_token(HEX, 64)}", f"cl-apikey: '{_token('abcdefghijklmnopqrstuvwxyz', 24)}'",
    f"ibm_cloud_iam_key = {_token(ALNUM + '_-', 44)}", f"cos_hmac_secret_access_key: {_token(HEX, 48)}",
    f"softlayer_api_key={_token(HEX, 64)}", f"https://u:{_token(HEX, 64)}@x.cloudant.com",
    f"{_token('0123456789', 9)}:{_token(ALNUM, 35)}", f"eyJ{_token(ALNUM, 20)}.{_token(ALNUM, 20)}.x",
    "-----BEGIN RSA PRIVATE KEY-----", "password = 'hunter2hunter2'", "api_key: \"s3cr3t-v4lue\"",
    f"aws_secret_access_key = \"{_token(ALNUM, 40)}\"",
]
FRAGMENTS = SECRETS + [  # parts of secrets, and what surrounds them in an incident file
    "IBM_COS_HMAC", "[\"ibm-iam-token\"]",
    "\n", "\r\n", "\n\n", " ", "  ", "\t", "\x0c", "\u2028", "\r", '"', "'", "=", ":", "[", "]", "-", "_", "/",
    "— deploy", "rolled back", "Ǆ", "İ", "K", "token", "key", "ibm", "cl", "sl", "#", "`",
]


def _lines_hit_alone(text: str) -> set[int]:
    """The ground truth: the lines on which some original pattern matches with the line alone."""
    return {number for number, line in enumerate(split_lines(text)) if any(regex.search(line) for regex in ORIGINALS)}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_every_line_a_pattern_hits_alone_is_a_candidate(parts: list[str]) -> None:
    text = "".join(parts)
    assert _lines_hit_alone(text) <= set(candidate_lines(text, PATTERNS))


def test_each_fragment_is_seen_by_some_pattern() -> None:
    """So that the property above is about secrets, not about text no pattern matches."""
    for fragment in SECRETS:
        assert _lines_hit_alone(fragment) == {0}, fragment


def test_a_token_at_the_start_of_a_line_is_found_on_that_line() -> None:
    """A pattern that begins with (?:\\s|^) matches from the newline before: that line was scanned instead."""
    token = f"AKC{_token(ALNUM, 60)}"
    for text in (f"notes\n{token}\n", f"notes\x0cmore\n{token}\n", f"notes\r\n{token}\r\n"):
        assert [(line, kind) for line, _, kind in find_secrets(text, DETECTORS, PATTERNS)] == [(2, "Artifactory Credentials")]


def test_slow_patterns_run_only_on_lines_with_a_long_token() -> None:
    key = _token(ALNUM, 44)
    text = f"# Incident\n\nibm_cloud_iam_key = {key}\nshort words only here\n"
    assert candidate_lines(text, PATTERNS) == [2]
    assert [line for line, _, _ in find_secrets(text, DETECTORS, PATTERNS)] == [3]


@pytest.mark.parametrize(("source", "flags", "run"), [
    (r"[a-f0-9]{48}", 0, 48),
    (r"(?:x|)(?:\"|')([a-z]{24})", re.IGNORECASE, 24),
    (r"(ghp|gho)_[A-Za-z0-9_]{36}", 0, 36),
    (r"[\w\-]{20,50}(?!\w)", 0, 20),
    (r"[^a]{30}", 0, 0),  # a negated set can match white space
    (r".{30}", 0, 0),
    (r"[a-z ]{30}", 0, 0),  # a space breaks the run
    (r"(?:[a-z]{30})?", 0, 0),  # optional
    (r"a|[a-z]{30}", 0, 0),  # one branch needs no run
    (r"[a-z]{0,30}", 0, 0),
])
def test_required_run(source: str, flags: int, run: int) -> None:
    assert required_run(source, flags) == run


@pytest.mark.parametrize(("source", "flags", "literal"), [
    (r"(?:\s|=|^)AKC[a-z]{10,}", 0, "AKC"),
    (r"glpat-[A-Za-z0-9]{20}", 0, "glpat-"),
    (r"xox(?:a|b)-\d+", re.IGNORECASE, ""),  # case-insensitive: any case would match
    (r"(?i)xox(?:a|b)-\d+", 0, ""),
    (r"ab?c", 0, "a"),
    (r"(?:abc)?def", 0, "def"),
    (r"abc|def", 0, ""),
])
def test_required_literal(source: str, flags: int, literal: str) -> None:
    assert required_literal(source, flags) == literal
