"""Fuzzing: no input gives a traceback; every failure is a finding or a clear error.

Each test counts its cases into test-output/fuzz-counts.json, so the number of
cases that ran is on record after every run.
"""

from __future__ import annotations

import json
import re
import string
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_fixtures import CLEAN, INCIDENT, POSTMORTEM, write_playbook

from incidentkit.documents.actions import action_items, lessons
from incidentkit.documents.frontmatter import FrontMatterError, parse
from incidentkit.documents.model import Incident, Postmortem
from incidentkit.documents.sections import append_entry, parse_sections
from incidentkit.documents.source import decode
from incidentkit.errors import IncidentkitError, UsageError
from incidentkit.playbook import Playbook
from incidentkit.rules import check
from incidentkit.timeutil import parse_when

COUNTS: dict[str, int] = {}
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def record_counts():
    yield
    out = REPO / "test-output"
    out.mkdir(exist_ok=True)
    (out / "fuzz-counts.json").write_text(json.dumps(COUNTS, indent=2, sort_keys=True) + "\n")
    print(f"\nfuzz cases run: {sum(COUNTS.values())} {COUNTS}")


yaml_scalars = st.one_of(
    st.sampled_from(["no", "yes", "on", "10:30", "012", "~", "null", "2026-11-20", "2026-11-20T10:00", "'q'", '"x"',
                     "[a, b]", "{a: 1}", "*alias", "&anchor x", "!!python/object:os.system", "|", ">", "- x", "@x", "`x`"]),
    st.text(alphabet=string.printable, max_size=30),
)
keys = st.sampled_from(["id", "title", "severity", "status", "detected_at", "started_at", "mitigated_at", "resolved_at",
                        "closed_at", "services", "detection", "drill", "private", "incident", "date", "authors", "x"])


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    lines = [f"{draw(keys)}:{draw(st.sampled_from([' ', '', '  ']))}{draw(yaml_scalars)}" for _ in range(draw(st.integers(0, 12)))]
    return "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.one_of(
        st.sampled_from(["## Summary", "## Timeline", "## Mitigation log", "## What will we change?", "## What did we learn?",
                         "```", "~~~", "<!--", "-->", "- [ ] item @sam due:2026-13-01", "- [x] done @a due:2026-11-01",
                         "| a | b |", "|---|", "TODO", "# H1", "\t## tabbed", "- bullet"]),
        st.text(alphabet=string.printable + "é—\u00a0\ufeff", max_size=40)), max_size=20))
    opening = draw(st.sampled_from(["---\n", "---\r\n", "\ufeff---\n", "--- \n", "", "----\n"]))
    closing = draw(st.sampled_from(["\n---\n", "\r\n---\r\n", "\n", "\n...\n", "\n---"]))
    return opening + draw(front_matters()) + closing + "\n".join(body)


@FUZZ
@given(text=documents())
def test_any_document_parses_or_fails_located(text: str) -> None:
    count("document")
    try:
        doc = Incident.from_source(decode(Path("INC-0001-x.md"), text.encode("utf-8", "surrogatepass")))
    except FrontMatterError as exc:
        assert exc.line is not None and exc.line >= 1
        return
    except IncidentkitError:
        return
    for name in ("Summary", "Timeline"):
        doc.section_text(name)
    action_items(Postmortem(doc.source, doc.front, doc.sections))
    lessons(Postmortem(doc.source, doc.front, doc.sections))


@FUZZ
@given(text=documents(), entry=st.text(alphabet=string.printable.replace("\n", "").replace("\r", ""), min_size=1, max_size=30))
def test_appending_keeps_every_other_byte(text: str, entry: str) -> None:
    count("append")
    try:
        front = parse(text)
    except FrontMatterError:
        return
    sections = parse_sections(text, front.body_start)
    timeline = next((s for s in sections if s.name.lower() == "timeline"), None)
    new = append_entry(text, timeline, "Timeline", entry, "\n")
    assert entry in new
    # removing the inserted line (and the newlines we may have added) gives back the original bytes
    assert len(new) >= len(text) + len(entry)
    if timeline is not None:
        assert new.startswith(text[: timeline.content_start]) and new.endswith(text[timeline.end :])
    else:
        assert new.startswith(text)


@FUZZ
@given(value=st.one_of(st.text(max_size=30), st.sampled_from(["now", "23:59", "24:00", "00:00", "2026-11-20T10:00Z",
                                                              "2026-02-30T10:00+00:00", "9999-12-31T23:59:59+14:00",
                                                              "0001-01-01T00:00:00-12:00", "T", ":", "12:3"])))
def test_any_at_value_parses_or_is_a_usage_error(value: str) -> None:
    count("at")
    try:
        parsed = parse_when(value, timezone.utc, clock=NOW)
    except UsageError as exc:
        assert exc.exit_code == 2 and exc.hint
        return
    assert parsed.utcoffset() is not None


@pytest.fixture(scope="module")
def fuzz_book(tmp_path_factory: pytest.TempPathFactory) -> Playbook:
    root = tmp_path_factory.mktemp("fuzz-book")
    write_playbook(root, dict(CLEAN))
    return Playbook.open(root)


@FUZZ
@given(ref=st.one_of(st.text(max_size=20), st.sampled_from(["1", "INC-1", "inc-0001", "0", "-1", "INC-", "OPS-1", "1e3",
                                                            "٣", "INC-0001-x", " 1 ", "99999999999999999999"])))
def test_any_ref_resolves_or_is_a_clear_error(fuzz_book: Playbook, ref: str) -> None:
    count("ref")
    try:
        incident = fuzz_book.resolve(ref)
    except IncidentkitError as exc:
        assert exc.message
        return
    # it resolved: to the incident whose number the reference names (INC-0001 or the drill INC-0002)
    assert fuzz_book.number_of(incident.path) == int(re.search(r"(\d+)\s*$", ref).group(1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(incident_text=documents(), postmortem_text=documents())
def test_the_checker_turns_any_files_into_findings(tmp_path_factory: pytest.TempPathFactory, incident_text: str,
                                                   postmortem_text: str) -> None:
    count("check")
    root = tmp_path_factory.mktemp("fuzz-check")
    files = dict(CLEAN)
    files[INCIDENT] = incident_text.encode("utf-8", "surrogatepass")
    files[POSTMORTEM] = postmortem_text.encode("utf-8", "surrogatepass")
    write_playbook(root, files)
    result = check(Playbook.open(root), now=NOW)  # raises on any bug; a bad file is a finding
    for finding in result.findings:
        assert finding.line >= 1 and finding.code.startswith("IK")
