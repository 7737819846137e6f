"""Building the site of 2,000 incidents (and their 2,000 post-mortems) vs as many plain pages.

Both builds use mkdocs-material and a short explicit navigation (a nav that
lists thousands of pages is quadratic in any mkdocs site, plugin or not).
Target: ratio <= 1.5.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate

COUNT = 2000
TARGET = 1.5

PLUGIN_SITE = """site_name: Bench
docs_dir: runbooks
theme: {name: material, font: false}
plugins:
  - search
  - incidentkit: {now: "2030-01-01T00:00:00+00:00"}
"""
PLAIN_SITE = """site_name: Bench
docs_dir: docs
theme: {name: material, font: false}
nav: [index.md]
validation: {nav: {omitted_files: ignore}}
plugins: [search]
"""


def _build(root: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], cwd=root, check=True, env=env,
                   capture_output=True)
    return time.perf_counter() - started


def run(count: int = COUNT, runs: int | None = None) -> dict:
    runs = runs or (2 if count <= 2000 else 1)
    with tempfile.TemporaryDirectory(prefix="incidentkit-site-") as tmp:
        with_plugin = generate(Path(tmp) / "playbook", count)
        runbooks = with_plugin / "runbooks"
        for name, text in {"layer-1.md": "# Layer 1\n\n1. Stop it.\n", "layer-2.md": "# Layer 2\n\nFix it.\n",
                           "playbook.md": "# Playbook\n", "kill-switches.md": "---\nswitches: []\n---\n# Kill switches\n"}.items():
            (runbooks / name).write_text(text)
        (with_plugin / "mkdocs.yml").write_text(PLUGIN_SITE)
        plain = Path(tmp) / "plain"
        pages = 0
        (plain / "docs").mkdir(parents=True)
        (plain / "docs" / "index.md").write_text("# Home\n")
        pages = 0
        for folder in ("incidents", "postmortems"):  # the same bodies as plain pages: one per page the plugin makes
            (plain / "docs" / folder).mkdir()
            for path in sorted((with_plugin / folder).glob("*.md")):
                text = path.read_text()
                (plain / "docs" / folder / path.name).write_text(text[text.index("\n---\n", 4) + 5 :])
                pages += 1
        (plain / "mkdocs.yml").write_text(PLAIN_SITE)
        _build(plain)  # warm imports and the page cache for both
        plain_times, plugin_times = [], []
        for _ in range(runs):  # alternating, so that this machine's slow minutes hit both alike
            plain_times.append(_build(plain))
            plugin_times.append(_build(with_plugin))
        plain_s, plugin_s = min(plain_times), min(plugin_times)
    ratio = plugin_s / plain_s
    print(f"site ({count} incidents and their post-mortems): {pages} plain pages {plain_s:.2f} s, with the incidentkit plugin {plugin_s:.2f} s, "
          f"ratio {ratio:.2f} (target <= {TARGET})")
    return {"count": count, "plain_s": plain_s, "plugin_s": plugin_s, "ratio": ratio, "target": TARGET}


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
