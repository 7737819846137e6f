"""Cold start of `incident --help` as a ratio to `python -c pass`, measured in the same run.

`--help` must stay quick: heavy modules (GitPython, rich, Jinja2, PyYAML) are
imported only by the commands that use them (tests/test_startup.py asserts
that). A bare `import click` is printed too: it is the floor of any click CLI.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 21
TARGET = 6.0  # about 100 ms on this machine; click alone is ~3.5


def _medians(*commands: list[str]) -> list[float]:
    """The median wall time of each command, run in turn so that a slow minute hits all alike."""
    for argv in commands:
        subprocess.run(argv, check=True, capture_output=True)  # warm the page cache and .pyc files
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(RUNS):
        for argv, times in zip(commands, samples):
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


def run() -> dict[str, float]:
    script = Path(sys.executable).parent / "incident"
    command = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "incidentkit", "--help"]
    baseline, click_only, measured = _medians([sys.executable, "-c", "pass"], [sys.executable, "-c", "import click"], command)
    ratio = measured / baseline
    print(
        f"startup: `incident --help` {measured * 1000:.0f} ms; `python -c pass` {baseline * 1000:.0f} ms; "
        f"`import click` {click_only * 1000:.0f} ms\n"
        f"  ratio to python: {ratio:.2f} (target <= {TARGET}); ratio to click alone: {measured / click_only:.2f}"
    )
    return {
        "help_s": measured,
        "python_pass_s": baseline,
        "import_click_s": click_only,
        "ratio": ratio,
        "ratio_to_click": measured / click_only,
        "target": TARGET,
    }


if __name__ == "__main__":
    run()
