"""Running the rules: whole repo, or given files plus the repo-wide rules they can break."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from incidentkit.playbook import Playbook
from incidentkit.rules import consistency, deadlines, frontmatter_rules, readiness, secrets, sections  # noqa: F401  (register)
from incidentkit.rules.context import CheckedFile, Context
from incidentkit.rules.finding import Finding, Hit
from incidentkit.rules.registry import Rule, active_rules

_DOC_KINDS = ("incident", "postmortem", "inventory")  # files with front matter


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def check(playbook: Playbook, *, now: datetime, paths: Iterable[Path] | None = None, select: tuple[str, ...] = ()) -> CheckResult:
    """Check the whole playbook, or ``paths`` (others than playbook files are ignored)."""
    ctx = Context(playbook, now)
    whole = paths is None
    if whole:
        files = ctx.discover()
    else:
        classified = (ctx.classify(Path(p).absolute()) for p in paths)
        files = sorted({f.path: f for f in classified if f is not None and (f.path.exists() or f.path.is_symlink())}.values(),
                       key=lambda f: f.rel)
    by_scope: dict[str, list[tuple[Rule, str]]] = {}
    for known, level in active_rules(playbook.config, select):
        by_scope.setdefault(known.scope, []).append((known, level))

    result = CheckResult(files=len(files))
    emit = result.findings.append

    def run(rules: list[tuple[Rule, str]], *args: object) -> None:
        for known, level in rules:
            for hit in known.check(ctx, *args):
                emit(_finding(hit, known, level))

    for checked in files:
        run(by_scope.get("file", []), checked)
        if checked.kind in _DOC_KINDS:
            doc = ctx.load(checked)
            if not isinstance(doc, Exception):
                run(by_scope.get(checked.kind, []), doc)
        elif checked.kind in ("checklist", "playbook", "lessons"):
            source = ctx.source(checked.path)
            if not isinstance(source, Exception):
                run(by_scope.get(checked.kind, []), checked, source.text)
    run(by_scope.get("repo", []), files, whole)
    result.findings.sort(key=lambda f: (f.path, f.line, f.column, f.code))
    return result


def _finding(hit: Hit, known: Rule, level: str) -> Finding:
    return Finding(hit.path, hit.line, hit.column, known.code, level, hit.message)
