"""`make bench`: every benchmark of bench/, on generated playbooks of 1,000, 5,000 and 10,000 incidents.

Each benchmark prints its ratio to a baseline measured in the same run; this
runner adds the growth factor from the smallest to the largest size (10x the
incidents: 10 is linear) and writes every number to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

GROWTH_KEYS = {
    "check": ["baseline_s", "check_s", "cold_s", "lessons_s", "precommit_median_s"],
    "site": ["plain_s", "plugin_s"],
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000", help="incident counts, comma separated")
    parser.add_argument("--only", default="startup,check,site", help="benchmarks to run")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    only = args.only.split(",")
    results: dict[str, object] = {"sizes": sizes, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    if "startup" in only:
        import bench_startup

        results["startup"] = bench_startup.run()
    for name in ("check", "site"):
        if name not in only:
            continue
        module = __import__(f"bench_{name}")
        per_size = {}
        for size in sizes:
            print()
            per_size[str(size)] = module.run(size)
        results[name] = per_size
        if len(sizes) > 1:
            small, large = per_size[str(sizes[0])], per_size[str(sizes[-1])]
            factor = sizes[-1] / sizes[0]
            growth = {key: large[key] / small[key] for key in GROWTH_KEYS[name] if small.get(key)}
            results[f"{name}_growth"] = growth
            print(f"\n{name}: growth from {sizes[0]} to {sizes[-1]} incidents ({factor:g}x; linear = {factor:g}):")
            for key, value in growth.items():
                verdict = "linear or better" if value <= factor * 1.15 else "worse than linear"
                print(f"  {key:<20} x{value:.1f}  {verdict}")
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
