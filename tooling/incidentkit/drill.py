"""`incident drill`: the Layer 1 checklist as a timed fire drill, recorded as a drill incident.

Each step is shown, answered (done / skipped / missing, with an optional
note) and timed; a step naming `switch:NAME` flips that switch with a dry
run unless the drill is live. The report goes into the drill incident,
which then closes itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from incidentkit.documents.model import Incident
from incidentkit.errors import IncidentkitError, UsageError
from incidentkit.playbook import Playbook
from incidentkit.record import TIMELINE, new_incident, table_cell, timeline_entry
from incidentkit.runbooks import Step, checklist
from incidentkit.switches.operate import flip, mark_tested
from incidentkit.timeutil import seconds_text

CHECKLIST = "layer-1.md"
REPORT = "Drill report"
PROMPT = "[Enter/y] done  [s] skipped  [n] missing, a note may follow: "
_ANSWERS = {"": "done", "y": "done", "yes": "done", "done": "done",
            "s": "skipped", "skip": "skipped", "skipped": "skipped",
            "n": "missing", "no": "missing", "missing": "missing"}


@dataclass
class StepResult:
    step: Step
    outcome: str  # done | skipped | missing | failed
    note: str
    seconds: float
    switches: list[str] = field(default_factory=list)


@dataclass
class DrillReport:
    incident: Incident
    results: list[StepResult]
    seconds: float

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)

    @property
    def problems(self) -> list[StepResult]:
        return [r for r in self.results if r.outcome in ("missing", "failed")]

    def markdown(self) -> str:
        lines = [
            f"Total {seconds_text(self.seconds)} for {len(self.results)} steps: "
            f"{self.count('done')} done, {self.count('skipped')} skipped, "
            f"{self.count('missing')} missing, {self.count('failed')} failed.",
            "",
            "| step | result | time | note |",
            "|---|---|---|---|",
        ]
        for r in self.results:
            note = "; ".join([*r.switches, r.note] if r.note else r.switches)
            lines.append(f"| {r.step.number}. {table_cell(r.step.text)} | {r.outcome} | {seconds_text(r.seconds)} | {table_cell(note)} |")
        if self.problems:
            lines += ["", "Missing or failed: " + "; ".join(f"step {r.step.number} ({r.outcome})" for r in self.problems) + "."]
        else:
            lines += ["", "No step missing or failed."]
        return "\n".join(lines)


def parse_answer(line: str) -> tuple[str, str]:
    """(outcome, note) from an answer line; an unknown first word is a note on a done step."""
    text = line.strip()
    word, _, rest = text.partition(" ")
    outcome = _ANSWERS.get(word.lower())
    if outcome is None:
        return "done", text
    return outcome, rest.strip()


def run_drill(
    playbook: Playbook,
    *,
    ask: Callable[[str], str | None],
    say: Callable[[str], None],
    clock: Callable[[], datetime],
    checklist_path: Path | None = None,
    live: bool = False,
) -> DrillReport:
    """Run the checklist; ``ask`` returns an answer line, or None when input has ended."""
    path = checklist_path or playbook.runbooks_dir / CHECKLIST
    try:
        steps = checklist(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no checklist at {path}", hint="write the Layer 1 steps as a numbered list") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IncidentkitError(f"cannot read the checklist: {exc}", path=path) from None
    if not steps:
        raise UsageError(f"{playbook.relative(path)} has no numbered steps", hint="write them as `1. …`, `2. …`")
    started_at, started = clock(), time.monotonic()
    mode = "live: switches really flipped" if live else "switches flipped with --dry-run"
    incident_path = new_incident(
        playbook, f"Fire drill: {playbook.relative(path)}", at=started_at,
        severity=list(playbook.config.severities)[-1], detection="drill", drill=True,
        summary=f"Timed fire drill of {playbook.relative(path)} ({mode}).",
    )
    incident = Incident.read(incident_path)
    say(f"Fire drill {incident.id}: {len(steps)} steps, {mode}. The clock is running.")
    results: list[StepResult] = []
    ended = False
    for step in steps:
        say(f"\nStep {step.number}/{len(steps)}: {step.text}")
        shown = time.monotonic()
        flips, failed = _flip_named(playbook, step, live, incident, clock, say)
        answer = None if ended else ask(PROMPT)
        if answer is None:
            ended = True
            outcome, note = "missing", "no answer"
        else:
            outcome, note = parse_answer(answer)
        if failed:
            outcome = "failed"
        result = StepResult(step, outcome, note, time.monotonic() - shown, flips)
        results.append(result)
        text = f"Drill step {step.number} {outcome} in {seconds_text(result.seconds)}: {step.text}"
        incident = playbook.update(incident, lambda doc, t=text: doc.with_entry(TIMELINE, timeline_entry(playbook, clock(), t + (f" — {note}" if note else ""))))
    report = DrillReport(incident, results, time.monotonic() - started)
    incident = _close(playbook, incident, report, clock())
    report.incident = incident
    return report


def _flip_named(playbook: Playbook, step: Step, live: bool, incident: Incident, clock: Callable[[], datetime],
                say: Callable[[str], None]) -> tuple[list[str], bool]:
    notes, failed = [], False
    for name in step.switches:
        try:
            outcome = flip(playbook, name, "off", at=clock(), incident=incident if live else None, dry_run=not live)
            if not live:
                mark_tested(playbook, _entry(playbook, name), clock())
            notes.append(f"switch:{name} {outcome.flip.result}")
            say(f"  switch:{name}: {outcome.flip.result}")
        except IncidentkitError as exc:
            failed = True
            notes.append(f"switch:{name} failed: {exc.message}")
            say(f"  switch:{name}: FAILED: {exc}")
    return notes, failed


def _entry(playbook: Playbook, name: str):  # noqa: ANN202 - a Switch
    from incidentkit.switches.operate import find

    return find(playbook, name)


def _close(playbook: Playbook, incident: Incident, report: DrillReport, at: datetime) -> Incident:
    """Write the report and close the drill: every lifecycle timestamp set to the end."""

    def change(doc: Incident) -> str:
        text = doc.with_keys({"status": "closed", "mitigated_at": at, "resolved_at": at, "closed_at": at})
        doc = Incident.from_source(doc.source.replaced(text))
        doc = Incident.from_source(doc.source.replaced(doc.with_entry(TIMELINE, timeline_entry(playbook, at, "Drill finished; closed"))))
        newline = doc.source.newline
        block = f"{newline}## {REPORT}{newline}{newline}" + report.markdown().replace("\n", newline) + newline
        return doc.text + ("" if doc.text.endswith(("\n", "\r")) else newline) + block

    return playbook.update(incident, change)
