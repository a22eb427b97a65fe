#!/usr/bin/env python3
"""Time and profile the read stage (dicoso.read.folder.read_folder) on a benchmark folder.

    python bench/profile_reader.py bench/data/medium                 # wall time, default workers
    python bench/profile_reader.py bench/data/medium --workers 1     # single process
    python -m cProfile -s cumtime bench/profile_reader.py bench/data/medium --workers 1 | head -60

With worker processes cProfile only sees the parent waiting, so profile with
--workers 1. --profile writes the top functions (cumulative and own time) itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--profile", action="store_true", help="cProfile the run (implies --workers 1)")
    ap.add_argument("--top", type=int, default=35)
    a = ap.parse_args()
    t0 = time.perf_counter()
    from dicoso.read.folder import read_folder

    t1 = time.perf_counter()
    if a.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        res = read_folder(a.folder, workers=1)
        prof.disable()
        st = pstats.Stats(prof)
        st.sort_stats("cumulative").print_stats(a.top)
        st.sort_stats("tottime").print_stats(a.top)
    else:
        res = read_folder(a.folder, workers=a.workers)
    t2 = time.perf_counter()
    print(f"import {t1 - t0:.2f} s, read_folder {t2 - t1:.2f} s: {len(res.trips):,} trip rows, "
          f"{len(res.roster):,} roster rows, {len(res.issues):,} issues, {len(res.inputs):,} books")
    return 0


if __name__ == "__main__":
    sys.exit(main())
