"""`incident --help` stays quick: no heavy module is imported to print help."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("git", "rich", "jinja2", "yaml", "frontmatter", "filelock", "incidentkit.documents")

PROBE = """
import sys
from incidentkit.cli import cli
try:
    cli(["--help"], prog_name="incident")
except SystemExit:
    pass
print("LOADED=" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_help_imports_no_heavy_module() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY)], capture_output=True, text=True, check=True)
    assert "Commands:" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "LOADED="


def test_a_subcommand_help_is_light_too() -> None:
    probe = PROBE.replace('["--help"]', '["new", "--help"]')
    out = subprocess.run([sys.executable, "-c", probe.format(heavy=HEAVY)], capture_output=True, text=True, check=True)
    assert "--summary" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "LOADED="
