"""The mkdocs plugin `incidentkit`: a thin door onto site.pages.

It reads the playbook through the library, adds every generated page to the
build in memory (File.generated; nothing is written into docs_dir), gives
the site a short navigation (incident pages are reached from the indexes,
not listed on every page), and turns playbook errors into PluginError.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.incidentkit")

NAV = [
    {"Home": "index.md"},
    {"Layer 1": "layer-1.md"},
    {"Incidents": "incidents/index.md"},
    {"Post-mortems": "postmortems/index.md"},
    {"Action items": "actions/index.md"},
    {"Lessons": "lessons/index.md"},
    {"Kill switches": "kill-switches.md"},
    {"Drills": "drills/index.md"},
    {"Stats": "stats/index.md"},
    {"Runbooks": ["layer-2.md", "playbook.md"]},
    {"Rules": "rules/index.md"},
]
CSS_URI = "assets/incidentkit.css"


class IncidentkitPluginConfig(Config):
    enabled = c.Type(bool, default=True)
    root = c.Optional(c.Type(str))  # the playbook root; default: the folder of mkdocs.yml
    now = c.Optional(c.Type(str))  # fixes the clock of overdue items (ISO 8601 with offset), for reproducible builds


class IncidentkitPlugin(BasePlugin[IncidentkitPluginConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if not config.nav:
            config.nav = list(NAV)
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        # Incident pages are reached from the indexes; listing thousands of them at INFO helps nobody.
        config.validation.nav.omitted_files = logging.DEBUG
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        from incidentkit.errors import IncidentkitError
        from incidentkit.playbook import Playbook
        from incidentkit.site.pages import CSS, SiteData, generated_pages
        from incidentkit.timeutil import now, parse_when

        root = Path(self.config.root or Path(config.config_file_path).parent)
        try:
            playbook = Playbook.open(root)
            clock = parse_when(self.config.now, playbook.config.tz) if self.config.now else now(playbook.config.tz)
            data = SiteData.load(playbook, clock, directory_urls=config.use_directory_urls)
            pages = generated_pages(data)
        except IncidentkitError as exc:
            raise PluginError(f"incidentkit: {exc}") from None
        for src_uri, content in pages.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                if src_uri == "index.md":
                    continue  # the playbook's own home page wins
                files.remove(existing)
            files.append(File.generated(config, src_uri, content=content))
        files.append(File.generated(config, CSS_URI, content=CSS))
        missing = [uri for uri in ("layer-1.md", "layer-2.md", "playbook.md") if files.get_file_from_path(uri) is None]
        if missing and config.nav == NAV:
            raise PluginError(f"incidentkit: the runbooks lack {', '.join(missing)} (incident init writes them)")
        log.info("incidentkit: %d pages generated (%d incidents)", len(pages), len(data.incidents))
        return files
