"""Running the rules: whole repo, or given files plus the repo-wide rules they can break."""

from __future__ import annotations

import gc
import os

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from incidentkit.playbook import Playbook
from incidentkit.rules import consistency, deadlines, frontmatter_rules, readiness, secrets, sections  # noqa: F401  (register)
from incidentkit.rules.context import CheckedFile, ContentView, Context, Learnt
from incidentkit.rules.finding import Finding
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


PARALLEL_MIN_FILES = 400  # below this, starting workers costs more than it saves


def check(playbook: Playbook, *, now: datetime, paths: Iterable[Path] | None = None, select: tuple[str, ...] = ()) -> CheckResult:
    """Check the whole playbook, or ``paths`` (others than playbook files are ignored).

    A whole-repo check of a large playbook spreads the per-file rules over the
    CPU cores (forked workers, files of one incident kept together); the
    repo-wide rules then run once on what the workers learnt.
    """
    collecting = gc.isenabled()
    gc.disable()  # a check makes many long-lived objects and no cycles worth a collection pass
    try:
        return _check(playbook, now, paths, select)
    finally:
        if collecting:
            gc.enable()


def _check(playbook: Playbook, now: datetime, paths: Iterable[Path] | None, select: tuple[str, ...]) -> CheckResult:
    ctx = Context(playbook, now)
    whole = paths is None
    ctx.reuse_parses = whole
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
    workers = _workers() if whole and len(files) >= PARALLEL_MIN_FILES else 1
    if workers > 1:
        result.findings += _check_in_parallel(ctx, files, by_scope, workers)
    else:
        result.findings += check_files(ctx, files, by_scope)
    result.findings += _run(ctx, by_scope.get("repo", []), files, whole)
    ctx.finish(whole=whole)
    result.findings.sort(key=lambda f: (f.path, f.line, f.column, f.code))
    return result


def check_files(ctx: Context, files: list[CheckedFile], by_scope: dict[str, list[tuple[Rule, str]]]) -> list[Finding]:
    """The per-file rules of ``files``: every file's own, then those of its kind."""
    findings: list[Finding] = []
    for checked in files:
        judged = checked.kind in _JUDGED_KINDS
        run = _FileRun(ctx, checked, ctx.judged(checked) if judged else None)
        findings += run(by_scope.get("file", []), checked)
        if checked.kind in _DOC_KINDS:
            doc = ctx.load(checked)
            if checked.kind == "incident":
                ctx.incident(checked.path)  # its facts, for the repo-wide rules
            if not isinstance(doc, Exception):
                findings += run(by_scope.get(checked.kind, []), doc)
            if checked.kind == "postmortem":
                ctx.lesson_source(checked.path)  # gathered here, where the post-mortem is at hand
        elif checked.kind in ("checklist", "playbook", "lessons"):
            source = ctx.source(checked.path)
            if not isinstance(source, Exception):
                findings += run(by_scope.get(checked.kind, []), checked, source.text)
        if judged and run.fresh:
            ctx.remember(checked, run.verdict)
    return findings


_JUDGED_KINDS = ("incident", "postmortem")  # many files, parsed through the cache: worth remembering


class _FileRun:
    """Runs the rules on one file: content rules through a ContentView, their hits reused
    from an earlier run when the file, the code and the config are unchanged.

    A verdict is ``[codes judged, {code: hits}]``, the hits only of codes that had any:
    a large playbook's cache holds one per file.
    """

    def __init__(self, ctx: Context, checked: CheckedFile, judged: list | None) -> None:
        self.ctx, self.view = ctx, ContentView(ctx, checked)
        self.codes: set[str] = set(judged[0].split()) if judged else set()
        self.hits: dict[str, list] = dict(judged[1]) if judged else {}
        self.fresh = False

    @property
    def verdict(self) -> list:
        return [" ".join(sorted(self.codes)), self.hits]

    def __call__(self, rules: list[tuple[Rule, str]], *args: object) -> list[Finding]:
        found: list[Finding] = []
        for known, level in rules:
            if not known.content:
                found += [Finding(h.path, h.line, h.column, known.code, level, h.message) for h in known.check(self.ctx, *args)]
                continue
            if known.code in self.codes:
                hits = self.hits.get(known.code, ())
            else:
                hits = [[h.path, h.line, h.message, h.column] for h in known.check(self.view, *args)]
                self.codes.add(known.code)
                if hits:
                    self.hits[known.code] = hits
                self.fresh = True
            found += [Finding(path, line, column, known.code, level, message) for path, line, message, column in hits]
        return found


def _run(ctx: Context, rules: list[tuple[Rule, str]], *args: object) -> list[Finding]:
    return [
        Finding(hit.path, hit.line, hit.column, known.code, level, hit.message)
        for known, level in rules
        for hit in known.check(ctx, *args)
    ]


def _workers() -> int:
    import multiprocessing  # here: a one-file run (the pre-commit hook) never needs it

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


_FORKED: tuple[Context, list[CheckedFile], dict[str, list[tuple[Rule, str]]]] | None = None


def _check_chunk(chunk: range) -> tuple[list[Finding], Learnt]:
    assert _FORKED is not None
    parent, files, by_scope = _FORKED
    ctx = parent.for_worker()
    findings = check_files(ctx, files[chunk.start : chunk.stop], by_scope)
    return findings, ctx.learnt()


def _check_in_parallel(ctx: Context, files: list[CheckedFile], by_scope: dict[str, list[tuple[Rule, str]]],
                       workers: int) -> list[Finding]:
    global _FORKED
    # An incident and its post-mortem share a file name: sorted by name they sit side by
    # side, so that one worker reads both and neither is parsed twice.
    ordered = sorted(files, key=lambda f: (f.path.name, f.rel))
    size = max(1, -(-len(ordered) // (workers * 4)))
    chunks = [range(i, min(i + size, len(ordered))) for i in range(0, len(ordered), size)]
    if ctx.reuse_parses:
        ctx.memo().read()
    ctx.secrets()  # compile the secret patterns once, before the fork
    _FORKED = (ctx, ordered, by_scope)
    try:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_check_chunk, chunks)
    finally:
        _FORKED = None
    findings: list[Finding] = []
    for part_findings, learnt in parts:
        findings += part_findings
        ctx.adopt(learnt)
    return findings
