#!/usr/bin/env python3
"""Interleaved comparison of checkouts on one drop folder, for a machine whose speed drifts.

    python bench/compare.py DATA N CHECKOUT [CHECKOUT ...]

Runs `CHECKOUT/generate.py DATA --year 2020 --as-of 2021-01-05 --out <fresh>` N times per
checkout, alternating the order every round (A B C, C B A, …) so that a slow minute of a
shared machine falls on every checkout alike; prints per checkout the median and best wall
time and CPU (the whole process tree: readers and writers included), measured as
bench/run.py measures (`run.measure`, each checkout's bytecode compiled first). A git
worktree per commit makes the checkouts: `git worktree add /tmp/before f185cb9`.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import run as bench  # bench/run.py (this folder is on sys.path when the script runs)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    data, rounds, trees = argv[0], int(argv[1]), [Path(t).resolve() for t in argv[2:]]
    for tree in trees:
        bench.compile_bytecode(tree)
    results: dict[Path, list[dict]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        for i in range(rounds):
            for tree in trees if i % 2 == 0 else trees[::-1]:
                out = Path(tmp) / tree.name
                shutil.rmtree(out, ignore_errors=True)
                r = bench.measure([sys.executable, str(tree / "generate.py"), data, *bench.GEN_ARGS, "--out", str(out)],
                                  Path(tmp) / f"{tree.name}.log", sample=False)
                if r["rc"] != 0:
                    print(f"{tree}: generate.py exited {r['rc']}: {' '.join(r['tail'])}")
                    return 1
                results[tree].append(r)
    for tree, runs in results.items():
        walls, cpus = [r["wall"] for r in runs], [r["cpu"] for r in runs if r["cpu"] is not None]
        cpu = f"CPU median {statistics.median(cpus):.2f} s, best {min(cpus):.2f} s" if cpus else "CPU not measured"
        print(f"{tree.name:12s} wall median {statistics.median(walls):.2f} s, best {min(walls):.2f} s; {cpu} "
              f"(n={len(runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
