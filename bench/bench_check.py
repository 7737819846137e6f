"""Whole-repo `incident check` vs loading every file with python-frontmatter, same run.

Target: ratio <= 1.0 (the rules cost less than the naive parse they replace).
The timed runs come after a first run, whose secret-scan cache they reuse
(as every run after the first does); the first run is printed too.
Also the pre-commit path: `incident check ONE_FILE` in that repo as a whole
process, median target < 0.3 s. Peak memory (max RSS) is printed for each.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate

COUNT = 5000
TARGET_RATIO = 1.0
TARGET_PRECOMMIT_S = 0.3

BASELINE = """
import json, resource, sys, time
from pathlib import Path
import frontmatter
root = Path(sys.argv[1])
started = time.perf_counter()
files = sorted(root.glob("incidents/*.md")) + sorted(root.glob("postmortems/*.md"))
posts = [frontmatter.load(str(path)) for path in files]
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(posts),
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHECK = """
import json, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
from incidentkit.playbook import Playbook
from incidentkit.rules import check
root = Path(sys.argv[1])
started = time.perf_counter()
result = check(Playbook.open(root), now=datetime(2030, 1, 1, tzinfo=timezone.utc))
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": time.perf_counter() - started, "files": result.files, "findings": len(result.findings),
                  "max_rss_mb": rss / 1024}))
"""


def _in_process(script: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _interleaved_best(first: str, second: str, root: Path, runs: int = 5) -> tuple[dict, dict]:
    """Best of ``runs`` each, alternating, so that machine noise hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(_in_process(first, root))
        b.append(_in_process(second, root))
    return min(a, key=lambda r: r["seconds"]), min(b, key=lambda r: r["seconds"])


def _lessons(root: Path, runs: int = 3) -> dict:
    """`incident lessons --check` as a whole process (it compiles, compares, writes nothing)."""
    incident = Path(sys.executable).parent / "incident"
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(incident), "lessons", "--check"], cwd=root, capture_output=True)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return {"seconds": best, "max_rss_mb": _peak_rss_mb([str(incident), "lessons", "--check"], root)}


def _peak_rss_mb(command: list[str], cwd: Path) -> float:
    """The peak resident memory of ``command`` run once, in MB."""
    out = subprocess.run([sys.executable, "-c",
                          "import resource,subprocess,sys; subprocess.run(sys.argv[1:], capture_output=True);"
                          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)", *command],
                         cwd=cwd, capture_output=True, text=True)
    return float(out.stdout.strip() or 0)


def _precommit(root: Path, one_file: str, runs: int = 15) -> tuple[float, float]:
    incident = Path(sys.executable).parent / "incident"
    command = [str(incident), "check", one_file]
    subprocess.run(command, cwd=root, capture_output=True)  # warm caches (and the secret-pattern cache)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=root, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), _peak_rss_mb(command, root)


def run(count: int = COUNT) -> dict:
    with tempfile.TemporaryDirectory(prefix="incidentkit-bench-") as tmp:
        root = generate(Path(tmp), count)
        _in_process(BASELINE, root)  # warm the page cache for both
        cold = _in_process(CHECK, root)  # the first run fills the secret-scan cache
        baseline, checked = _interleaved_best(BASELINE, CHECK, root)
        lessons = _lessons(root)
        one = sorted((root / "incidents").glob("*.md"))[count // 2].relative_to(root).as_posix()
        precommit_s, precommit_rss = _precommit(root, one)
    ratio = checked["seconds"] / baseline["seconds"]
    print(f"check ({count} incidents + {count} post-mortems, {checked['files']} files, {checked['findings']} findings):")
    print(f"  python-frontmatter load of every file {baseline['seconds']:.2f} s (peak {baseline['max_rss_mb']:.0f} MB)")
    print(f"  incident check, whole repo            {checked['seconds']:.2f} s (peak {checked['max_rss_mb']:.0f} MB)")
    print(f"  ratio {ratio:.2f} (target <= {TARGET_RATIO}); first run, secret-scan cache empty: "
          f"{cold['seconds']:.2f} s, ratio {cold['seconds'] / baseline['seconds']:.2f}")
    print(f"  incident lessons --check (process)    {lessons['seconds']:.2f} s (peak {lessons['max_rss_mb']:.0f} MB), "
          f"ratio {lessons['seconds'] / baseline['seconds']:.2f} to the same baseline")
    print(f"  pre-commit path, one file, whole process: median {precommit_s * 1000:.0f} ms "
          f"(target < {TARGET_PRECOMMIT_S * 1000:.0f} ms), peak {precommit_rss:.0f} MB")
    return {
        "count": count,
        "baseline_s": baseline["seconds"],
        "check_s": checked["seconds"],
        "ratio": ratio,
        "cold_s": cold["seconds"],
        "cold_ratio": cold["seconds"] / baseline["seconds"],
        "target_ratio": TARGET_RATIO,
        "baseline_peak_mb": baseline["max_rss_mb"],
        "check_peak_mb": checked["max_rss_mb"],
        "lessons_s": lessons["seconds"],
        "lessons_ratio": lessons["seconds"] / baseline["seconds"],
        "precommit_median_s": precommit_s,
        "precommit_peak_mb": precommit_rss,
        "target_precommit_s": TARGET_PRECOMMIT_S,
    }


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
