#!/usr/bin/env python3
"""Wall time and memory of each stage of one generate.py run, in-process.

    python bench/profile_stages.py DATA [--out DIR] [--cprofile FILE.prof]

Runs the same thing as `python generate.py DATA --year 2020 --as-of 2021-01-05 --out DIR`
(through dicoso.cli.main) with the stage functions wrapped, and prints for each call:
seconds, the process RSS after it and the peak RSS so far (ru_maxrss, this process only;
reader workers are separate processes). Nothing in dicoso/ is modified: the wrappers
are installed on the module attributes at run time.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (module, function) pairs to time; missing ones are skipped (the code is moving).
STAGES = [
    ("dicoso.pipeline", "read"),
    ("dicoso.read.folder", "_assemble"),
    ("dicoso.rules.engine", "compute"),
    ("dicoso.rules.trips", "process_trips"),
    ("dicoso.rules.summary", "build"),
    ("dicoso.rules.engine", "Compliance.trips_table"),
    ("dicoso.render.trips_csv", "write_trips_csv"),
    ("dicoso.publish.write", "write_outputs"),
    ("dicoso.render.chart", "days_chart"),
    ("dicoso.render.report", "render_report"),
    ("dicoso.publish.write", "diff"),
    ("dicoso.publish.manifest", "build_manifest"),
    ("dicoso.render.workbook", "write_workbook"),
    ("dicoso.render.workbook", "write_problems"),
    ("dicoso.publish.staging", "dump_json"),
    ("dicoso.publish.staging", "publish"),
    ("dicoso.cli.console", "Console.report"),
]

LOG: list[tuple[int, str, float, int, int]] = []
_depth = [0]


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def wrap(label: str, fn):
    @functools.wraps(fn)
    def inner(*a, **kw):
        _depth[0] += 1
        t0 = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            _depth[0] -= 1
            LOG.append((_depth[0], label, time.perf_counter() - t0, rss_now(), peak()))
    return inner


def install() -> None:
    for mod_name, attr in STAGES:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        owner, name = mod, attr
        if "." in attr:
            cls, name = attr.split(".")
            owner = getattr(mod, cls, None)
            if owner is None:
                continue
        fn = getattr(owner, name, None)
        if fn is None:
            continue
        setattr(owner, name, wrap(f"{mod_name.split('.')[-1]}.{attr}", fn))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "out" / "stages")
    ap.add_argument("--cprofile", type=Path, help="also write a cProfile of the main process")
    a = ap.parse_args()
    import shutil

    if a.out.exists():
        shutil.rmtree(a.out)
    t0 = time.perf_counter()
    from dicoso.cli import main as cli

    install()
    argv = [str(a.data), "--year", "2020", "--as-of", "2021-01-05", "--out", str(a.out), "-q"]
    t1 = time.perf_counter()
    if a.cprofile:
        import cProfile

        prof = cProfile.Profile()
        rc = prof.runcall(cli.main, argv)
        prof.dump_stats(a.cprofile)
    else:
        rc = cli.main(argv)
    t2 = time.perf_counter()
    print(f"imports {t1 - t0:.2f} s; cli.main {t2 - t1:.2f} s (rc {rc}); peak RSS {peak() / 2**20:,.0f} MB",
          file=sys.stderr)
    print(f"{'stage':<40} {'s':>8} {'RSS after':>11} {'peak so far':>12}", file=sys.stderr)
    for depth, label, sec, now, pk in LOG:
        print(f"{'  ' * depth + label:<40} {sec:8.2f} {now / 2**20:9,.0f} MB {pk / 2**20:10,.0f} MB", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
