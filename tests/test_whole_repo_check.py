"""A whole-repo check finds the same, whether spread over forked workers or not,
and whether it judges each file afresh or reuses an earlier run's verdicts.

The workers reuse parses, secret scans and content-rule hits of earlier runs
(the user cache); these tests run the real multiprocessing path with a low
file threshold, on a playbook where some files break rules, some hold a
secret, and one changes between runs.
"""

from __future__ import annotations

import json
import dataclasses
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from rule_fixtures import CLEAN, INCIDENT, POSTMORTEM, write_playbook

from incidentkit.cache import decode_tagged, tagged
from incidentkit.playbook import Playbook
from incidentkit.rules import engine
from incidentkit.rules.finding import Finding, Hit
from incidentkit.rules.registry import RULES

NOW = datetime(2026, 11, 20, tzinfo=timezone.utc)
COUNT = 60


def _numbered(text: str, number: int) -> str:
    return text.replace("INC-0001", f"INC-{number:04d}")


@pytest.fixture
def many(tmp_path: Path) -> Path:
    files: dict[str, str | bytes | None] = {rel: text for rel, text in CLEAN.items()}
    for number in range(3, COUNT + 3):
        incident = _numbered(CLEAN[INCIDENT], number)
        postmortem = _numbered(CLEAN[POSTMORTEM], number)
        if number % 7 == 0:
            incident = incident.replace("## Summary\n\nCheckout returned 500s.\n", "")  # IK201
        if number % 11 == 0:
            incident += '\npassword = "hunter2-correct-horse"\n'  # IK501
        if number % 13 == 0:
            postmortem = None  # IK301: no post-mortem long after resolution
        files[_numbered(INCIDENT, number)] = incident
        files[_numbered(POSTMORTEM, number)] = postmortem
    write_playbook(tmp_path, files)
    return tmp_path


def _check(root: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(engine, "_workers", lambda: workers)
    return engine.check(Playbook.open(root), now=NOW).findings


def test_workers_find_what_one_process_finds(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _check(many, 1, monkeypatch)
    cold = _check(many, 2, monkeypatch)  # the first parallel run fills the caches
    warm = _check(many, 2, monkeypatch)  # this one reuses them
    assert cold == alone
    assert warm == alone
    codes = [finding.code for finding in alone]
    assert codes.count("IK201") == len([n for n in range(3, COUNT + 3) if n % 7 == 0])
    assert codes.count("IK501") == len([n for n in range(3, COUNT + 3) if n % 11 == 0])
    assert codes.count("IK301") == len([n for n in range(3, COUNT + 3) if n % 13 == 0])


def test_an_edit_between_runs_is_seen(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(many, 2, monkeypatch)
    edited = many / _numbered(INCIDENT, 5)
    edited.write_text(edited.read_text().replace("## Summary\n\nCheckout returned 500s.\n", "")
                      + "\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    warm = _check(many, 2, monkeypatch)
    mine = {(f.code, f.line) for f in warm if f.path == edited.relative_to(many).as_posix()}
    assert {code for code, _ in mine} == {"IK201", "IK501"}
    assert warm == _check(many, 1, monkeypatch)


def test_a_deleted_file_leaves_the_caches(many: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> None:
    _check(many, 2, monkeypatch)
    (many / _numbered(INCIDENT, 11)).unlink()  # the one with the secret
    findings = _check(many, 2, monkeypatch)
    assert not [f for f in findings if f.path.endswith("INC-0011-checkout-down.md") and f.code == "IK501"]
    remembered = [line.split("\t")[0] for line in next(private_cache.rglob("files.memo")).read_text().splitlines()[1:]]
    assert "incidents/INC-0011-checkout-down.md" not in remembered
    assert "incidents/INC-0012-checkout-down.md" in remembered
    assert len(remembered) == len(set(remembered)) == len(list(many.glob("*/INC-*.md")))


def _counting(monkeypatch: pytest.MonkeyPatch, code: str) -> list[str]:
    """Wrap rule ``code`` so that each file it judges is recorded."""
    seen: list[str] = []
    known = RULES[code]

    def check(ctx, doc):  # noqa: ANN001, ANN202
        seen.append(doc.path.name)
        return known.check(ctx, doc)

    monkeypatch.setitem(RULES, code, dataclasses.replace(known, check=check))
    return seen


def test_content_rules_judge_only_what_changed(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _counting(monkeypatch, "IK201")  # one process: a worker's calls would not be seen here
    first = _check(many, 1, monkeypatch)
    assert len(seen) == COUNT + 2  # every incident (the fixtures' two and the generated ones)
    seen.clear()
    assert _check(many, 1, monkeypatch) == first
    assert seen == []  # the verdicts were reused
    edited = many / _numbered(INCIDENT, 5)
    edited.write_text(edited.read_text().replace("## Summary\n\nCheckout returned 500s.\n", ""))
    again = _check(many, 1, monkeypatch)
    assert seen == [edited.name]
    assert [f.code for f in again if f.path == edited.relative_to(many).as_posix()] == ["IK201"]
    seen.clear()
    (many / "incidentkit.toml").write_text('[sections]\nopen = ["Summary"]\n')
    _check(many, 1, monkeypatch)
    assert len(seen) == COUNT + 2  # another config: judged afresh


def test_a_content_rule_that_reads_the_clock_fails_loudly(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    known = RULES["IK201"]

    def check(ctx, doc):  # noqa: ANN001, ANN202
        if ctx.now.year > 2000:
            yield Hit(ctx.rel(doc.path), 1, "late")

    monkeypatch.setitem(RULES, "IK201", dataclasses.replace(known, check=check))
    with pytest.raises(AttributeError, match="content rule cannot read ctx.now"):
        _check(many, 1, monkeypatch)


def test_a_content_rule_that_reads_another_file_fails_loudly(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    known = RULES["IK201"]

    def check(ctx, doc):  # noqa: ANN001, ANN202
        yield from ()
        ctx.source(doc.path.with_name("INC-0002-fire-drill.md"))

    monkeypatch.setitem(RULES, "IK201", dataclasses.replace(known, check=check))
    with pytest.raises(AttributeError, match="not its file"):
        _check(many, 1, monkeypatch)


@pytest.mark.parametrize(("value", "kept"), [
    ({"a": [1, 2.5, None, True, {"b": datetime(2026, 1, 1, 9, 30, 0, 250, tzinfo=timezone.utc)}], "d": date(2026, 1, 2)}, True),
    ({1: "a number key"}, False),
    ({"a": {1, 2}}, False),
    ({"a": float("nan")}, False),
    ({"a": ["\x00dt", "2020-01-01T00:00:00"]}, False),  # would read back as a date-time
    ({"a": b"bytes"}, False),
])
def test_the_parse_cache_keeps_only_what_reads_back_equal(value: dict, kept: bool) -> None:
    if kept:
        assert decode_tagged(json.loads(json.dumps(tagged(value)))) == value
    else:
        with pytest.raises(ValueError):
            tagged(value)
