"""The rule catalogue, generated from the rules' own docstrings so that it cannot drift."""

from __future__ import annotations

import textwrap

from incidentkit.rules import RULES

FAMILIES = {
    "IK1": "Front matter",
    "IK2": "Sections",
    "IK3": "Deadlines",
    "IK4": "Consistency",
    "IK5": "Safety",
    "IK6": "Readiness",
}


def rule_catalogue() -> str:
    """The catalogue as Markdown: one heading per family, one per rule."""
    out = [
        "# Rules",
        "",
        "`incident check` reports each finding as `path:line:col: CODE severity: message`.",
        "Change a rule's severity under `[tool.incidentkit.rules]` (`IK301 = \"warning\"`,",
        "or a family: `IK6 = \"off\"`); run a subset with `--select IK3,IK101`.",
    ]
    for family, title in FAMILIES.items():
        out += ["", f"## {family}xx — {title}"]
        for code in sorted(c for c in RULES if c.startswith(family)):
            rule = RULES[code]
            out += ["", f"### {code} `{rule.name}`", "", f"*Default: {rule.default_level()}.*", ""]
            out.append(textwrap.dedent(rule.doc.split("\n", 1)[1]).strip() if "\n" in rule.doc else "")
            out[-1] = f"{rule.summary}\n\n{out[-1]}".strip()
    return "\n".join(out).rstrip() + "\n"
