#!/usr/bin/env python3
"""Interleaved comparison of checkouts on one drop folder, for a machine whose speed drifts.

    python bench/compare.py DATA N CHECKOUT [CHECKOUT ...]

Runs `CHECKOUT/generate.py DATA --year 2020 --as-of 2021-01-05 --out <fresh>` N times per
checkout, alternating the order every round (A B C, C B A, …) so that a slow minute of a
shared machine falls on every checkout alike; prints per checkout the median and best wall
time and CPU (user + sys of the whole process tree: readers and writers included). Compile
each checkout's bytecode first (`python -m compileall -q CHECKOUT/dicoso`), as on any machine
after its first run. A git worktree per commit makes the checkouts:
`git worktree add /tmp/before f185cb9`.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    data, rounds, trees = argv[0], int(argv[1]), [Path(t).resolve() for t in argv[2:]]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    results: dict[Path, list[tuple[float, float]]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        for i in range(rounds):
            for tree in trees if i % 2 == 0 else trees[::-1]:
                out = Path(tmp) / tree.name
                shutil.rmtree(out, ignore_errors=True)
                before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
                done = subprocess.run([sys.executable, str(tree / "generate.py"), data, "--year", "2020",
                                       "--as-of", "2021-01-05", "--out", str(out)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tree)
                wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode != 0:
                    print(f"{tree}: generate.py exited {done.returncode}")
                    return 1
                results[tree].append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    for tree, runs in results.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{tree.name:12s} wall median {statistics.median(walls):.2f} s, best {min(walls):.2f} s; "
              f"CPU median {statistics.median(cpus):.2f} s, best {min(cpus):.2f} s (n={len(runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
