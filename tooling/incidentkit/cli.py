"""The `incident` command: thin click doors onto the library.

Library modules are imported inside the commands so that `incident --help`
starts fast; each command parses its arguments, calls the library, prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from incidentkit import __version__

if TYPE_CHECKING:
    from datetime import datetime

    from incidentkit.documents.model import Incident
    from incidentkit.playbook import Playbook


class IncidentGroup(click.Group):
    """Turns library errors into one located line on stderr with the contract's exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        from incidentkit.errors import IncidentkitError

        try:
            return super().invoke(ctx)
        except IncidentkitError as exc:
            click.echo(f"incident: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # a filesystem refusal the library did not foresee: still one line
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"incident: error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("incident: interrupted", err=True)
            ctx.exit(130)


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Playbook folder (default: walk up from here to the config or incidents/).",
)
at_option = click.option("--at", "at", metavar="T", help="When: ISO 8601 with offset, HH:MM (today) or now.")


def _playbook(root: Path | None) -> Playbook:
    from incidentkit.playbook import Playbook

    return Playbook.open(root)


def _when(playbook: Playbook, value: str | None) -> datetime:
    from incidentkit.timeutil import now, parse_when

    tz = playbook.config.tz
    return parse_when(value, tz) if value else now(tz)


def _warn(exc: Exception) -> None:
    click.echo(f"incident: warning: skipped {exc}", err=True)


def _ref_and_rest(args: tuple[str, ...], what: str) -> tuple[str | None, str]:
    if len(args) == 1:
        return None, args[0]
    if len(args) == 2:
        return args[0], args[1]
    from incidentkit.errors import UsageError

    raise UsageError(f"expected [REF] {what}, got {len(args)} arguments", hint="quote the text")


def _notify(playbook: Playbook, path: Path, change: str) -> None:
    """Post ``change`` to the configured webhooks; a failure warns and is noted, never fatal."""
    if not playbook.config.notify.webhooks:
        return
    from incidentkit.documents.model import Incident
    from incidentkit.notify import post
    from incidentkit.record import log

    incident = Incident.read(path)
    failures = post(playbook.config, incident, change)
    for failure in failures:
        click.echo(f"incident: warning: notification to ${failure.target} failed: {failure.reason}", err=True)
    if failures:
        targets = ", ".join(f"${f.target} ({f.reason})" for f in failures)
        log(playbook, incident, f"Notification failed: {targets}", _when(playbook, None))


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.group(cls=IncidentGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="incident")
def cli() -> None:
    """Git-native incident response: record, mitigate, check and learn.

    \b
    The 2 am path:
      incident new "Bot placing bad trades" -s SEV1 --summary "…"
      incident switch off trading        (or: incident mitigate "…")
      incident status mitigated
    """


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(directory: Path) -> None:
    """Create a skeleton playbook in DIRECTORY; never overwrites a file."""
    from incidentkit.scaffold import init_playbook

    for path, created in init_playbook(directory):
        click.echo(f"{'created' if created else 'kept   '} {_shown_path(path)}", err=True)


@cli.command()
@click.argument("title")
@click.option("-s", "--severity", metavar="SEV", help="Severity (default: from config).")
@click.option("--summary", metavar="TEXT", help="One or two sentences for the Summary section.")
@click.option("--service", "services", multiple=True, metavar="S", help="Affected service (repeatable).")
@click.option("--detection", default="alert", show_default=True, help="alert | user-report | log | observation | drill")
@click.option("--started-at", metavar="T", help="When the impact started, if before detection.")
@at_option
@click.option("--drill", is_flag=True, help="A fire drill: kept out of production metrics.")
@click.option("--private", is_flag=True, help="Never published to the site.")
@root_option
def new(title: str, severity: str | None, summary: str | None, services: tuple[str, ...], detection: str,
        started_at: str | None, at: str | None, drill: bool, private: bool, root: Path | None) -> None:
    """Open an incident; prints only the path of the new file."""
    from incidentkit.record import new_incident

    playbook = _playbook(root)
    path = new_incident(
        playbook,
        title,
        at=_when(playbook, at),
        severity=severity,
        summary=summary,
        services=services,
        detection=detection,
        started_at=_when(playbook, started_at) if started_at else None,
        drill=drill,
        private=private,
    )
    click.echo(_shown_path(path))
    _notify(playbook, path, "declared")
    click.echo("Next: stop the bleeding (incident switch off NAME, or incident mitigate \"…\").", err=True)


@cli.command()
@click.argument("args", nargs=-1, required=True, metavar="[REF] TEXT")
@at_option
@root_option
def log(args: tuple[str, ...], at: str | None, root: Path | None) -> None:
    """Add a timeline entry."""
    from incidentkit.record import log as log_entry

    ref, text = _ref_and_rest(args, "TEXT")
    playbook = _playbook(root)
    incident = playbook.resolve(ref, _warn)
    log_entry(playbook, incident, text, _when(playbook, at))
    click.echo(f"{incident.id}: logged")


@cli.command()
@click.argument("args", nargs=-1, required=True, metavar="[REF] ACTION")
@click.option("--result", "-r", default="done", show_default=True, help="What happened when you did it.")
@at_option
@root_option
def mitigate(args: tuple[str, ...], result: str, at: str | None, root: Path | None) -> None:
    """Add a row to the mitigation log."""
    from incidentkit.record import mitigate as add_row

    ref, action = _ref_and_rest(args, "ACTION")
    playbook = _playbook(root)
    incident = playbook.resolve(ref, _warn)
    add_row(playbook, incident, action, result, _when(playbook, at))
    click.echo(f"{incident.id}: mitigation logged")
    if incident.status == "open":
        click.echo(f"When the bleeding has stopped: incident status {incident.id} mitigated", err=True)


@cli.command()
@click.argument("args", nargs=-1, required=True, metavar="[REF] STATUS")
@at_option
@root_option
def status(args: tuple[str, ...], at: str | None, root: Path | None) -> None:
    """Move the lifecycle forward: mitigated, resolved or closed."""
    from incidentkit.errors import UsageError
    from incidentkit.lifecycle import next_step
    from incidentkit.record import set_status

    ref, target = _ref_and_rest(args, "STATUS")
    if target not in ("mitigated", "resolved", "closed"):
        raise UsageError(f"unknown status {target!r}", hint="use mitigated, resolved or closed")
    playbook = _playbook(root)
    incident = playbook.resolve(ref, _warn)
    updated = set_status(playbook, incident, target, _when(playbook, at))
    click.echo(f"{updated.id}: {incident.status} → {updated.status}")
    _notify(playbook, updated.path, f"status {incident.status} → {updated.status}")
    click.echo(f"Next: {next_step(updated, playbook.config)}", err=True)


@cli.command(name="list")
@click.option("--open", "only_active", is_flag=True, help="Only open and mitigated incidents.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
def list_incidents(only_active: bool, fmt: str, root: Path | None) -> None:
    """List incidents, newest first."""
    from incidentkit.console import incident_rows, render_table

    playbook = _playbook(root)
    incidents = playbook.load_incidents(_warn)
    if only_active:
        incidents = [i for i in incidents if i.active]
    rows = incident_rows(playbook, reversed(incidents))
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        render_table(rows)


@cli.command()
@click.argument("ref", required=False)
@root_option
def show(ref: str | None, root: Path | None) -> None:
    """Show an incident: its facts, durations and the next step."""
    from incidentkit.console import render_incident

    playbook = _playbook(root)
    render_incident(playbook, playbook.resolve(ref, _warn))


@cli.command()
@click.argument("ref", required=False)
@click.option("--author", "authors", multiple=True, metavar="NAME", help="Author (repeatable; default: git user.name).")
@root_option
def postmortem(ref: str | None, authors: tuple[str, ...], root: Path | None) -> None:
    """Scaffold the post-mortem of an incident; prints its path."""
    from incidentkit.postmortem import default_author, scaffold_postmortem
    from incidentkit.timeutil import now

    playbook = _playbook(root)
    incident = playbook.resolve(ref, _warn) if ref else _resolved_or_active(playbook)
    if incident.status not in ("resolved", "closed"):
        click.echo(f"incident: warning: {incident.id} is {incident.status}, not resolved yet; "
                   "the post-mortem is due 48 h after resolution", err=True)
    path = scaffold_postmortem(playbook, incident, today=now(playbook.config.tz),
                               authors=list(authors) or [default_author(playbook.root)])
    click.echo(_shown_path(path))
    click.echo("Next: answer the five questions, set `status: published`, then `incident lessons`.", err=True)


def _resolved_or_active(playbook: Playbook) -> Incident:
    """Without REF: the one active incident, else the one resolved incident without a post-mortem."""
    from incidentkit.errors import IncidentkitError

    try:
        return playbook.resolve(None, _warn)
    except IncidentkitError:
        waiting = [i for i in playbook.load_incidents(_warn)
                   if i.status == "resolved" and not i.drill and not playbook.postmortem_path(i).exists()]
        if len(waiting) == 1:
            return waiting[0]
        names = ", ".join(i.id for i in waiting) or "none"
        raise IncidentkitError(f"name the incident: resolved incidents without a post-mortem: {names}",
                               hint="incident postmortem INC-0042") from None


@cli.command()
@click.option("--owner", help="Only this owner's items (without the @).")
@click.option("--overdue", is_flag=True, help="Only overdue items.")
@click.option("--all", "show_all", is_flag=True, help="Include done items.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--now", "now_value", metavar="T", help="The clock for overdue (default: now).")
@root_option
def actions(owner: str | None, overdue: bool, show_all: bool, fmt: str, now_value: str | None, root: Path | None) -> None:
    """List action items across post-mortems, overdue first."""
    from incidentkit.action_items import collect_actions

    playbook = _playbook(root)
    today = _when(playbook, now_value).astimezone(playbook.config.tz).date()
    rows = collect_actions(playbook.postmortem_pairs(_warn), today)
    if owner:
        rows = [r for r in rows if (r.item.owner or "").lower() == owner.lstrip("@").lower()]
    if overdue:
        rows = [r for r in rows if r.state == "overdue"]
    elif not show_all:
        rows = [r for r in rows if r.state != "done"]
    data = [r.as_dict(playbook.relative(r.postmortem.path)) for r in rows]
    if fmt == "json":
        import json

        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if fmt == "markdown":
        from incidentkit.action_items import markdown_by_owner

        click.echo(markdown_by_owner(data), nl=False)
        return
    from incidentkit.console import render_actions

    render_actions(data)


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if lessons.md is out of date; write nothing.")
@click.option("--now", "now_value", metavar="T", help="The clock for the age limit (default: now).")
@root_option
def lessons(check_only: bool, now_value: str | None, root: Path | None) -> None:
    """Compile lessons.md from the published post-mortems."""
    from incidentkit.documents.atomic import atomic_write
    from incidentkit.lessons import LESSONS_FILE, compile_lessons
    from incidentkit.rules.context import Context

    playbook = _playbook(root)
    clock = _when(playbook, now_value)
    loader = Context(playbook, clock)  # reuses earlier parses of unchanged files
    sources = loader.lesson_sources()
    loader.finish(whole=False)
    if sources is None:  # an unreadable post-mortem stops the compile: skipping it would drop its lessons
        raise loader.load_errors()[0]
    current, compiled = compile_lessons(playbook, sources, clock.astimezone(playbook.config.tz).date())
    if current == compiled:
        click.echo(f"{LESSONS_FILE} is up to date", err=True)
        return
    if check_only:
        click.echo(f"{LESSONS_FILE} is out of date; run `incident lessons`", err=True)
        sys.exit(1)
    atomic_write(playbook.root / LESSONS_FILE, compiled.encode("utf-8"))
    click.echo(f"{LESSONS_FILE}: compiled", err=True)


@cli.group()
def switch() -> None:
    """Kill switches from runbooks/kill-switches.md: list, off, on."""


@switch.command(name="list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
def switch_list(fmt: str, root: Path | None) -> None:
    """List the switches of the inventory."""
    from incidentkit.switches.operate import inventory

    playbook = _playbook(root)
    _, entries = inventory(playbook)
    rows = [{
        "name": e.name, "kind": e.kind, "owner": e.data.get("owner"),
        "tested_at": str(e.data["tested_at"]) if e.data.get("tested_at") else None,
        "target": e.data.get("file") or e.data.get("database") or e.data.get("off_run") or e.data.get("off_steps"),
        "description": e.data.get("description") or "",
    } for e in entries]
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    from incidentkit.console import render_switches

    render_switches(rows)


def _flip(target: str, name: str, ref: str | None, dry_run: bool, yes: bool, root: Path | None) -> None:
    from incidentkit.playbook import NoActiveIncident
    from incidentkit.switches.operate import flip

    playbook = _playbook(root)
    incident = None
    if ref or not dry_run:
        try:
            incident = playbook.resolve(ref, _warn)
        except NoActiveIncident:  # stopping the bleeding never waits for paperwork
            click.echo("incident: warning: no active incident, so this flip is not logged; "
                       "`incident new` opens one (or pass --incident REF)", err=True)

    def confirm(steps: str) -> bool:
        click.echo(f"Steps: {steps}", err=True)
        return yes or click.confirm("Done?", default=False, err=True)

    outcome = flip(playbook, name, target, at=_when(playbook, None), incident=incident, dry_run=dry_run, confirm=confirm)
    click.echo(f"{outcome.flip.action}: {outcome.flip.result}")
    if outcome.flip.hint:
        click.echo(outcome.flip.hint, err=True)
    if outcome.logged_in is not None:
        click.echo(f"logged in the mitigation log of {outcome.logged_in.id}", err=True)
        _notify(playbook, outcome.logged_in.path, f"{outcome.flip.action}: {outcome.flip.result}")
        if target == "off" and outcome.logged_in.status == "open":
            click.echo(f"When the bleeding has stopped: incident status {outcome.logged_in.id} mitigated", err=True)
    if outcome.warning:
        click.echo(f"incident: warning: {outcome.warning}", err=True)


def _flip_command(target: str):  # noqa: ANN202 - a click command factory
    @click.argument("name")
    @click.option("--incident", "ref", metavar="REF", help="Log it in this incident (default: the active one).")
    @click.option("--dry-run", is_flag=True, help="Show the change; touch nothing.")
    @click.option("--yes", is_flag=True, help="Manual switches: the steps are done, do not ask.")
    @root_option
    def command(name: str, ref: str | None, dry_run: bool, yes: bool, root: Path | None) -> None:
        _flip(target, name, ref, dry_run, yes, root)

    command.__doc__ = f"Turn switch NAME {target}, verify, and log it."
    return command


switch.command(name="off")(_flip_command("off"))
switch.command(name="on")(_flip_command("on"))


@cli.command()
@click.argument("ref", required=False)
@click.option("--window", default="24h", show_default=True, help="How far back before the impact start.")
@click.option("--write", is_flag=True, help="Append the result to the incident's Triage section.")
@root_option
def triage(ref: str | None, window: str, write: bool, root: Path | None) -> None:
    """Commits, tags and risky files changed in the service repos before the incident."""
    from incidentkit.errors import UsageError
    from incidentkit.timeutil import parse_duration
    from incidentkit.triage import render, triage as find_changes

    try:
        span = parse_duration(window)
    except ValueError as exc:
        raise UsageError(f"--window {window}: {exc}") from None
    playbook = _playbook(root)
    incident = playbook.resolve(ref, _warn)
    result = find_changes(playbook, incident, span)
    lines = render(result, playbook)
    click.echo("\n".join(lines))
    for service in result.services:
        if service.error:
            click.echo(f"incident: warning: {service.service}: {service.error}", err=True)
    if write:
        block = "\n".join(lines)
        playbook.update(incident, lambda doc: doc.with_entry("Triage", block.replace("\n", doc.source.newline)))
        click.echo(f"{incident.id}: written under ## Triage", err=True)


@cli.command()
@click.option("--checklist", "checklist_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Checklist to drill (default: runbooks/layer-1.md).")
@click.option("--live", is_flag=True, help="Really flip the switches the steps name (default: --dry-run).")
@root_option
def drill(checklist_path: Path | None, live: bool, root: Path | None) -> None:
    """Run the Layer 1 checklist as a timed fire drill and record it.

    Answers: Enter or y = done, s = skipped, n = missing; a note may follow on
    the same line. From the terminal, or one answer per line on standard input.
    """
    from incidentkit.drill import run_drill
    from incidentkit.timeutil import now

    playbook = _playbook(root)
    interactive = sys.stdin.isatty()

    def ask(prompt: str) -> str | None:
        if interactive:
            try:
                return click.prompt(prompt, default="", show_default=False, prompt_suffix="")
            except click.Abort:
                raise KeyboardInterrupt from None
        line = sys.stdin.readline()
        if not line:
            return None
        click.echo(f"{prompt}{line.rstrip()}")
        return line.rstrip("\r\n")

    report = run_drill(playbook, ask=ask, say=click.echo, clock=lambda: now(playbook.config.tz),
                       checklist_path=checklist_path, live=live)
    click.echo(f"\nDrill report ({report.incident.id}, {playbook.relative(report.incident.path)}):\n")
    click.echo(report.markdown())
    if live:
        named = sorted({name for r in report.results for name in r.step.switches})
        for name in named:
            click.echo(f"switch {name} was turned off for real: `incident switch on {name}` when the drill is over", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
def stats(fmt: str, root: Path | None) -> None:
    """Counts by severity and month, time to mitigate and resolve (median, p90).

    The same numbers as the site's stats page: drills counted apart, private
    incidents left out.
    """
    from incidentkit.stats import compute_stats

    playbook = _playbook(root)
    numbers = compute_stats(playbook.load_incidents(_warn), list(playbook.config.severities))
    if fmt == "json":
        import json

        click.echo(json.dumps(numbers.as_dict(), indent=2))
        return
    from incidentkit.console import render_stats

    render_stats(numbers)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True)
@click.option("--now", "now_value", metavar="T", help="The clock for deadlines (default: now).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or families, e.g. IK3,IK101.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@root_option
def check(paths: tuple[Path, ...], fmt: str, now_value: str | None, select: tuple[str, ...], color: str,
          root: Path | None) -> None:
    """Validate front matter, sections, deadlines, secrets and readiness.

    With PATHS (as pre-commit passes them), those files plus the repo-wide
    rules they can break; files outside the playbook folders are ignored.
    Exit 0 clean (warnings allowed), 1 with any error, 2 for usage errors.
    """
    import os

    from incidentkit import report
    from incidentkit.rules import check as run_check
    from incidentkit.rules.registry import parse_select

    selected = parse_select(select)
    playbook = _playbook(root)
    result = run_check(playbook, now=_when(playbook, now_value), paths=paths or None, select=selected)
    if fmt == "json":
        click.echo(report.as_json(result))
    elif fmt == "github":
        if result.findings:
            click.echo(report.github(result))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(report.github_summary(result))
    else:
        cwd = Path.cwd().resolve()

        def show_path(rel: str) -> str:
            return os.path.relpath(playbook.root / rel, cwd) if (playbook.root / rel).is_relative_to(cwd) else rel

        colored = report.use_color(color, sys.stdout.isatty())
        if result.findings:
            click.echo(report.text(result, color=colored, show_path=show_path), color=colored)
    click.echo(report.summary_line(result), err=True)
    sys.exit(result.exit_code)


@cli.command()
def rules() -> None:
    """Print the rule catalogue (Markdown, generated from the rules themselves)."""
    from incidentkit.catalogue import rule_catalogue

    click.echo(rule_catalogue(), nl=False)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="incident")
    except KeyboardInterrupt:  # raised before a command ran (e.g. during imports)
        sys.exit(130)
