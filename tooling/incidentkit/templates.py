"""Rendering documents from Jinja2 templates; a playbook's ``templates/`` overrides ours.

Values are data: a title holding ``{{ 7*7 }}`` is written as those characters,
because values are passed to the template, never compiled as one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incidentkit.documents.edit import yaml_scalar
from incidentkit.errors import IncidentkitError


def render(templates_dir: Path, name: str, **context: Any) -> str:
    """Render template ``name`` (e.g. ``incident.md.j2``) with ``context``."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(templates_dir)), jinja2.PackageLoader("incidentkit", "templates")]
        ),
        autoescape=False,  # Markdown, not HTML: the site escapes when it renders
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["yaml"] = yaml_scalar
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or str(templates_dir / name)
        raise IncidentkitError(
            f"template error: {exc}", path=where, line=getattr(exc, "lineno", None),
            hint="fix the template, or delete it to use the packaged one",
        ) from None
