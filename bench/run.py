"""Run every benchmark of bench/ and print each as a ratio to its in-run baseline."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = ["startup", "check", "site"]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(BENCH))
    selected = argv or BENCHMARKS
    results = {}
    for name in selected:
        module = importlib.import_module(f"bench_{name}")
        results[name] = module.run()
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
