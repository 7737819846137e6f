"""The generated pages of the playbook site, as Markdown with HTML blocks.

Every value taken from front matter goes through html.escape; user Markdown
bodies go through safe_markdown.as_data. Private incidents and their
post-mortems are dropped here, before any page, index, number or lesson is
built from them, so nothing downstream can leak them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from incidentkit.action_items import collect_actions
from incidentkit.catalogue import rule_catalogue
from incidentkit.documents.model import Document, Incident, Postmortem
from incidentkit.errors import DocumentError
from incidentkit.lessons import collect_lessons, grouped, lesson_source
from incidentkit.lifecycle import durations
from incidentkit.playbook import Playbook
from incidentkit.runbooks import Switch, switches
from incidentkit.site import charts
from incidentkit.site.safe_markdown import as_data
from incidentkit.stats import Stats, compute_stats
from incidentkit.timeutil import humanize, humanize_minutes, stamp

CSS = """
.ik-card{border:1px solid var(--md-default-fg-color--lightest);border-radius:.4rem;padding:.6rem .9rem;margin:0 0 1.2rem}
.ik-card h1{margin:0 0 .4rem}
.ik-facts{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;font-size:.75rem}
.ik-badge{display:inline-block;border-radius:.2rem;padding:0 .35rem;font-weight:700;color:#fff;background:#546e7a}
.ik-SEV1{background:#b71c1c}.ik-SEV2{background:#e65100}.ik-SEV3{background:#f9a825;color:#000}.ik-SEV4{background:#1565c0}
.ik-open{background:#b71c1c}.ik-mitigated{background:#e65100}.ik-resolved{background:#2e7d32}.ik-closed{background:#757575}
.ik-overdue{background:#b71c1c}.ik-draft{background:#757575}.ik-published{background:#2e7d32}
.ik-chart svg{max-width:100%;height:auto}
"""


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL mkdocs gives the page at ``src_uri``."""
    if not directory_urls:
        return src_uri[:-3] + ".html"
    stem = src_uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(target: str, source: str, directory_urls: bool = True) -> str:
    """A relative link from the page ``source`` to the page ``target`` (both src_uris)."""
    to, here = page_url(target, directory_urls), page_url(source, directory_urls)
    if directory_urls:
        return posixpath.relpath(to.rstrip("/") or ".", here.rstrip("/") or ".") + "/"
    return posixpath.relpath(to, posixpath.dirname(here) or ".")


def badge(text: str, kind: str | None = None) -> str:
    return f'<span class="ik-badge ik-{escape(kind or text)}">{escape(text)}</span>'


def _html_block(lines: list[str]) -> str:
    """HTML that Markdown passes through untouched: one block, no blank line inside."""
    return '<div class="incidentkit">\n' + "\n".join(line for line in lines if line.strip()) + "\n</div>"


def _front(title: str) -> str:
    return f"---\ntitle: {title}\n---\n\n"


def _time(incident: Incident, key: str, playbook: Playbook) -> str:
    try:
        value = incident.time(key)
    except DocumentError:  # a time without a zone: `incident check` reports it; the site shows what it can
        return ""
    return stamp(value, playbook.config.tz) if value else ""


@dataclass
class SiteData:
    playbook: Playbook
    today: date
    incidents: list[Incident]  # public only, newest first
    postmortems: dict[str, Postmortem]  # incident file name -> its post-mortem (public only)
    inventory: Document | None
    checklist: str
    stats: Stats
    directory_urls: bool = True

    @classmethod
    def load(cls, playbook: Playbook, now: datetime, directory_urls: bool = True) -> SiteData:
        everything = playbook.load_incidents()
        public = [i for i in everything if not i.private]
        public.sort(key=lambda i: (_detected(i), i.id), reverse=True)
        names = {i.path.name for i in public}
        # A post-mortem belongs to the incident of the same file name; one of a private or
        # unknown incident is left out (IK404 reports the unknown ones).
        postmortems = {path.name: Postmortem.read(path) for path in playbook.postmortem_paths() if path.name in names}
        inventory_path = playbook.runbooks_dir / "kill-switches.md"
        inventory = Document.read(inventory_path) if inventory_path.is_file() else None
        checklist_path = playbook.runbooks_dir / "layer-1.md"
        checklist = checklist_path.read_text(encoding="utf-8") if checklist_path.is_file() else ""
        stats = compute_stats(public, list(playbook.config.severities))
        today = now.astimezone(playbook.config.tz).date()
        return cls(playbook, today, public, postmortems, inventory, checklist, stats, directory_urls)

    def incident_uri(self, incident: Incident) -> str:
        return f"incidents/{incident.path.name}"

    def postmortem_uri(self, postmortem: Postmortem) -> str:
        return f"postmortems/{postmortem.path.name}"

    def link(self, target: str, source: str) -> str:
        return escape(href(target, source, self.directory_urls))


def _detected(incident: Incident) -> str:
    value = incident.meta.get("detected_at")
    return value.isoformat() if isinstance(value, datetime) and value.tzinfo else ""


# --- pages -------------------------------------------------------------------


def incident_page(data: SiteData, incident: Incident) -> str:
    source = data.incident_uri(incident)
    spans = durations(incident)
    facts = [
        badge(incident.severity), badge(incident.status),
        f"<span>detected {escape(_time(incident, 'detected_at', data.playbook))}</span>",
        f"<span>time to mitigate <strong>{escape(humanize(spans.to_mitigate)) if spans.to_mitigate else '—'}</strong></span>",
        f"<span>time to resolve <strong>{escape(humanize(spans.to_resolve)) if spans.to_resolve else '—'}</strong></span>",
    ]
    if incident.services:
        facts.append(f"<span>services {escape(', '.join(incident.services))}</span>")
    if incident.drill:
        facts.append(badge("drill"))
    postmortem = data.postmortems.get(incident.path.name)
    if postmortem is not None:
        facts.append(f'<a href="{data.link(data.postmortem_uri(postmortem), source)}">post-mortem ({escape(postmortem.status)})</a>')
    else:
        facts.append("<span>no post-mortem yet</span>")
    card = _html_block([
        '<div class="ik-card">',
        f"<h1>{escape(incident.id)}: {escape(incident.title)}</h1>",
        f'<div class="ik-facts">{" ".join(facts)}</div>',
        "</div>",
    ])
    body = incident.text[incident.front.body_start :]
    return _front(incident.id) + card + "\n\n" + as_data(body).strip() + "\n"


def postmortem_page(data: SiteData, postmortem: Postmortem, incident: Incident) -> str:
    source = data.postmortem_uri(postmortem)
    title = str(postmortem.meta.get("title") or incident.title)
    authors = postmortem.meta.get("authors") or []
    card = _html_block([
        '<div class="ik-card">',
        f"<h1>Post-mortem: {escape(title)}</h1>",
        '<div class="ik-facts">',
        badge(postmortem.status),
        f'<a href="{data.link(data.incident_uri(incident), source)}">{escape(incident.id)}: {escape(incident.title)}</a>',
        f"<span>{escape(str(postmortem.meta.get('date') or ''))}</span>",
        f"<span>by {escape(', '.join(map(str, authors)) if isinstance(authors, list) else str(authors))}</span>",
        "</div>",
        "</div>",
    ])
    body = postmortem.text[postmortem.front.body_start :]
    return _front(f"Post-mortem {incident.id}") + card + "\n\n" + as_data(body).strip() + "\n"


def _incident_rows(data: SiteData, incidents: list[Incident], source: str) -> list[str]:
    rows = ['<table><thead><tr><th>id</th><th>severity</th><th>status</th><th>detected</th>'
            "<th>title</th><th>to mitigate</th><th>to resolve</th></tr></thead><tbody>"]
    for incident in incidents:
        spans = durations(incident)
        rows.append(
            f'<tr><td><a href="{data.link(data.incident_uri(incident), source)}">{escape(incident.id)}</a></td>'
            f"<td>{badge(incident.severity)}</td><td>{badge(incident.status)}</td>"
            f"<td>{escape(_time(incident, 'detected_at', data.playbook))}</td><td>{escape(incident.title)}</td>"
            f"<td>{escape(humanize(spans.to_mitigate)) if spans.to_mitigate else '—'}</td>"
            f"<td>{escape(humanize(spans.to_resolve)) if spans.to_resolve else '—'}</td></tr>"
        )
    rows.append("</tbody></table>")
    return rows


def incident_index(data: SiteData) -> str:
    source = "incidents/index.md"
    real = [i for i in data.incidents if not i.drill]
    active = [i for i in real if i.active]
    lines = ["<h1>Incidents</h1>"]
    if active:
        lines += [f"<h2>Active ({len(active)})</h2>", *_incident_rows(data, active, source)]
    lines += [f"<h2>All incidents ({len(real)}), newest first</h2>", *_incident_rows(data, real, source)]
    drills = [i for i in data.incidents if i.drill]
    lines.append(f'<p>Fire drills are kept apart: <a href="{data.link("drills/index.md", source)}">{len(drills)} drills</a>.</p>')
    return _front("Incidents") + _html_block(lines) + "\n"


def postmortem_index(data: SiteData) -> str:
    source = "postmortems/index.md"
    by_name = {i.path.name: i for i in data.incidents}
    rows = ['<table><thead><tr><th>incident</th><th>post-mortem</th><th>status</th><th>date</th></tr></thead><tbody>']
    for name, postmortem in sorted(data.postmortems.items(), key=lambda kv: str(kv[1].meta.get("date") or ""), reverse=True):
        incident = by_name[name]
        rows.append(
            f'<tr><td><a href="{data.link(data.incident_uri(incident), source)}">{escape(incident.id)}</a></td>'
            f'<td><a href="{data.link(data.postmortem_uri(postmortem), source)}">{escape(str(postmortem.meta.get("title") or incident.title))}</a></td>'
            f"<td>{badge(postmortem.status)}</td><td>{escape(str(postmortem.meta.get('date') or ''))}</td></tr>"
        )
    rows.append("</tbody></table>")
    return _front("Post-mortems") + _html_block(["<h1>Post-mortems</h1>", *rows]) + "\n"


def actions_page(data: SiteData) -> str:
    source = "actions/index.md"
    by_name = {i.path.name: i for i in data.incidents}
    pairs = [(pm, by_name[name]) for name, pm in data.postmortems.items()]
    rows = collect_actions(pairs, data.today)
    lines = ["<h1>Action items</h1>", f"<p>As of {escape(data.today.isoformat())}.</p>"]
    for state, heading in (("overdue", "Overdue"), ("open", "Open"), ("done", "Done")):
        chosen = sorted((r for r in rows if r.state == state), key=lambda r: ((r.item.owner or "~").lower(), r.item.due or date.max))
        lines.append(f"<h2>{heading} ({len(chosen)})</h2>")
        if not chosen:
            lines.append("<p>None.</p>")
            continue
        lines.append('<table><thead><tr><th>owner</th><th>due</th><th>item</th><th>incident</th><th>state</th></tr></thead><tbody>')
        for row in chosen:
            lines.append(
                f"<tr><td>{escape('@' + row.item.owner) if row.item.owner else '—'}</td>"
                f"<td>{escape(row.item.due.isoformat()) if row.item.due else '—'}</td><td>{escape(row.item.title)}</td>"
                f'<td><a href="{data.link(data.postmortem_uri(row.postmortem), source)}">{escape(row.incident_id)}</a></td>'
                f"<td>{badge(row.state)}</td></tr>"
            )
        lines.append("</tbody></table>")
    return _front("Action items") + _html_block(lines) + "\n"


def lessons_page(data: SiteData) -> str:
    source = "lessons/index.md"
    by_name = {i.path.name: i for i in data.incidents}
    sources = [lesson_source(pm, by_name[name]) for name, pm in data.postmortems.items()]
    lessons = collect_lessons(sources, data.playbook.config, data.today)
    ids = {i.id: i for i in data.incidents}
    lines = ["<h1>Lessons</h1>", "<p>Compiled from the published post-mortems, newest first.</p>"]
    for service, items in grouped(lessons):
        lines.append(f"<h2>{escape(service)}</h2><ul>")
        for lesson in items:
            incident = ids.get(lesson.incident_id)
            link = (f'<a href="{data.link(data.incident_uri(incident), source)}">{escape(lesson.incident_id)}</a>'
                    if incident else escape(lesson.incident_id))
            lines.append(f"<li>{escape(lesson.text)} ({link}, {escape(lesson.title)}, {escape(lesson.date.isoformat())})</li>")
        lines.append("</ul>")
    if not lessons:
        lines.append("<p>No lessons yet.</p>")
    return _front("Lessons") + _html_block(lines) + "\n"


def kill_switches_page(data: SiteData) -> str:
    entries: list[Switch] = switches(data.inventory)[0] if data.inventory else []
    lines = ["<h1>Kill switches</h1>", "<p>Flip one with <code>incident switch off NAME</code>: it is verified and logged.</p>",
             '<table><thead><tr><th>name</th><th>what it stops</th><th>kind</th><th>owner</th>'
             "<th>last tested</th><th>off</th></tr></thead><tbody>"]
    for entry in entries:
        how = entry.data.get("off_steps") if entry.kind == "manual" else f"incident switch off {entry.name}"
        lines.append(
            f"<tr><td><strong>{escape(entry.name)}</strong></td><td>{escape(str(entry.data.get('description') or ''))}</td>"
            f"<td>{escape(entry.kind)}</td><td>{escape(str(entry.data.get('owner') or ''))}</td>"
            f"<td>{escape(str(entry.data.get('tested_at') or 'never'))}</td><td><code>{escape(str(how))}</code></td></tr>"
        )
    lines.append("</tbody></table>")
    body = data.inventory.text[data.inventory.front.body_start :] if data.inventory else ""
    return _front("Kill switches") + _html_block(lines) + "\n\n" + as_data(_drop_h1(body)).strip() + "\n"


def _drop_h1(markdown: str) -> str:
    lines = markdown.lstrip("\n").splitlines(keepends=True)
    return "".join(lines[1:]) if lines and lines[0].startswith("# ") else "".join(lines)


def drills_page(data: SiteData) -> str:
    source = "drills/index.md"
    drills = [i for i in data.incidents if i.drill]
    parts = [_front("Drills") + _html_block(["<h1>Fire drills</h1>",
             f"<p>{len(drills)} drills; they are kept out of the incident numbers and lessons.</p>"])]
    for drill in drills:
        parts.append(_html_block([f'<h2><a href="{data.link(data.incident_uri(drill), source)}">{escape(drill.id)}</a>: '
                                  f"{escape(drill.title)}</h2>", f"<p>{escape(_time(drill, 'detected_at', data.playbook))}</p>"]))
        report = drill.section_text("Drill report")
        parts.append(as_data(report) if report else "No report.")
    return "\n\n".join(parts) + "\n"


def stats_page(data: SiteData) -> str:
    stats = data.stats
    lines = ["<h1>Stats</h1>", f"<p>{stats.incidents} incidents ({stats.drills} fire drills counted apart).</p>",
             '<table><thead><tr><th>severity</th><th>incidents</th><th>median to mitigate</th>'
             "<th>p90 to mitigate</th><th>median to resolve</th><th>p90 to resolve</th></tr></thead><tbody>"]

    def minutes(value: float | None) -> str:
        return "—" if value is None else escape(humanize_minutes(value))

    for severity, count in stats.by_severity.items():
        m, r = stats.to_mitigate.get(severity), stats.to_resolve.get(severity)
        lines.append(f"<tr><td>{badge(severity)}</td><td>{count}</td>"
                     f"<td>{minutes(m.median_minutes if m else None)}</td><td>{minutes(m.p90_minutes if m else None)}</td>"
                     f"<td>{minutes(r.median_minutes if r else None)}</td><td>{minutes(r.p90_minutes if r else None)}</td></tr>")
    lines.append("</tbody></table>")
    if stats.incidents:
        lines += ['<div class="ik-chart">' + charts.incidents_per_month(stats) + "</div>",
                  '<div class="ik-chart">' + charts.time_to_mitigate_and_resolve(stats) + "</div>"]
    return _front("Stats") + _html_block(lines) + "\n"


def rules_page() -> str:
    return _front("Rules") + rule_catalogue()


def home_page(data: SiteData) -> str:
    source = "index.md"
    active = [i for i in data.incidents if i.active and not i.drill]
    lines = ["<h1>Incident playbook</h1>"]
    if active:
        lines.append(f"<h2>Active now ({len(active)})</h2>")
        lines += _incident_rows(data, active, source)
    else:
        lines.append("<p>No active incident.</p>")
    links = [("incidents/index.md", "Incidents"), ("postmortems/index.md", "Post-mortems"), ("actions/index.md", "Action items"),
             ("lessons/index.md", "Lessons"), ("kill-switches.md", "Kill switches"), ("drills/index.md", "Drills"),
             ("stats/index.md", "Stats"), ("rules/index.md", "Rules")]
    lines.append("<p>" + " · ".join(f'<a href="{data.link(uri, source)}">{label}</a>' for uri, label in links) + "</p>")
    checklist = as_data(_drop_h1(data.checklist)).strip() if data.checklist else "Write the Layer 1 checklist in runbooks/layer-1.md."
    return _front("Home") + _html_block(lines) + "\n\n## Layer 1: stop the bleeding\n\n" + checklist + "\n"


def generated_pages(data: SiteData) -> dict[str, str]:
    """Every generated page by its src_uri."""
    pages = {
        "index.md": home_page(data),
        "incidents/index.md": incident_index(data),
        "postmortems/index.md": postmortem_index(data),
        "actions/index.md": actions_page(data),
        "lessons/index.md": lessons_page(data),
        "kill-switches.md": kill_switches_page(data),
        "drills/index.md": drills_page(data),
        "stats/index.md": stats_page(data),
        "rules/index.md": rules_page(),
    }
    by_name = {i.path.name: i for i in data.incidents}
    for incident in data.incidents:
        pages[data.incident_uri(incident)] = incident_page(data, incident)
    for name, postmortem in data.postmortems.items():
        pages[data.postmortem_uri(postmortem)] = postmortem_page(data, postmortem, by_name[name])
    return pages
