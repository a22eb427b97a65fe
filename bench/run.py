#!/usr/bin/env python3
"""Benchmark the year-end run at several scales against a naive baseline, in one command.

    python bench/run.py [--scales small,medium,large] [--skip-baseline-large] [--repeat N]

For each scale: make the drop folder (bench/make_data.py, cached under bench/data/),
run `python generate.py DATA --year 2020 --as-of 2021-01-05 --out OUT` as a
subprocess and measure wall time and peak memory, run the naive baseline
(bench/baseline.py) the same way, and check that the days per cadre of
generate.py's summary.json equal the baseline's. `large` brings `large-half` with it
(the doubling check). Also times `python generate.py --help` (best of 5).

Memory: `/usr/bin/time -v` gives the peak RSS of the largest single process of the
run (generate.py reads books in worker processes); a sampler thread adds up the
PSS of the whole process tree every 20 ms, which is what the run really costs the
machine. The 2 GB target is checked against the larger of the two. The sampler
costs CPU that generate.py (which uses both cores) would otherwise have, so it runs
in one extra run per scale whose wall time is not counted; wall times come from
runs without it, the naive baseline's too.

Results: a Markdown table printed, written to bench/results.md (with the machine),
bench/results.json, and copied into bench/README.md between the results markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
OUT = DATA / "out"
sys.path.insert(0, str(BENCH))

import make_data  # noqa: E402

GENERATE = [str(ROOT / "generate.py")]
GEN_ARGS = ["--year", "2020", "--as-of", "2021-01-05"]
TIME_BIN = "/usr/bin/time"
DEFAULT_REPEAT = {"small": 5, "medium": 5, "large-half": 3, "large": 3}
FULL_BASELINE_MAX_ROWS = 100_000  # above this the naive baseline is skipped with --skip-baseline-large
CONFIG = {"quiet_wait": 60.0}  # s to wait for a quiet machine before each measurement (--quiet-wait)

TARGETS = {
    "small_wall": 1.0,  # s, 100 books, including interpreter start
    "medium_speedup": 10.0,  # x faster than the naive baseline
    "large_wall": 30.0,  # s, 1M rows
    "large_mem": 2 * 1024**3,  # bytes
    "doubling": 2.1,  # wall(large) / wall(large-half)
    "help_wall": 0.3,  # s
}


# Every measured program runs as on an ordinary installation, where Python caches the
# compiled bytecode of a module after its first import: some sandboxes set
# PYTHONDONTWRITEBYTECODE, which would make every run recompile the package.
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_bytecode(root: Path = ROOT) -> None:
    """What the first run on any machine leaves behind (see RUN_ENV), for the checkout at `root`."""
    import compileall

    for folder in (root / "dicoso", BENCH):
        compileall.compile_dir(folder, quiet=1)


# --- measuring one command ----------------------------------------------------------

def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _tree_pss(root: int) -> int:
    """Sum of PSS (bytes) over `root` and all its descendants."""
    kids, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


class Sampler(threading.Thread):
    """Peak tree PSS. Reading smaps_rollup of a GB-sized process costs CPU, so the
    interval grows with the run's age: 20 ms for the first second (short runs), then
    50 ms, then 200 ms after 5 s; the sampler costs a few % of one core."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self.done = threading.Event()

    def run(self) -> None:
        t0 = time.monotonic()
        while not self.done.is_set():
            self.peak = max(self.peak, _tree_pss(self.pid))
            age = time.monotonic() - t0
            self.done.wait(0.02 if age < 1 else 0.05 if age < 5 else 0.2)


def measure(cmd: list[str], log: Path, timeout: float | None = None, sample: bool = True) -> dict:
    """Run cmd; wall seconds, peak RSS of the largest process, and with `sample` the
    peak PSS of the process tree (the sampler costs CPU: timed runs go without it)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    use_time = os.access(TIME_BIN, os.X_OK)
    tfile = log.with_suffix(".time")
    full = ([TIME_BIN, "-v", "-o", str(tfile)] if use_time else []) + cmd
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=RUN_ENV)
        sampler = Sampler(proc.pid)
        if sample:
            sampler.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
            rc = "timeout"
        wall = time.perf_counter() - t0
        sampler.done.set()
        if sample:
            sampler.join()
    max_rss, cpu = 0, None
    if use_time and tfile.exists():
        text = tfile.read_text(errors="replace")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        max_rss = int(m.group(1)) * 1024 if m else 0
        u = re.search(r"User time \(seconds\): ([\d.]+)", text)
        k = re.search(r"System time \(seconds\): ([\d.]+)", text)
        cpu = float(u.group(1)) + float(k.group(1)) if u and k else None
    else:  # fallback: rusage of the waited-for children of this process (largest one; CPU since `before`)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        max_rss = ru.ru_maxrss * 1024
        cpu = ru.ru_utime - before.ru_utime + ru.ru_stime - before.ru_stime
    tail = log.read_text("utf-8", errors="replace").strip().splitlines()[-3:] if log.exists() else []
    return {"rc": rc, "wall": wall, "cpu": cpu, "max_rss": max_rss, "tree_pss": sampler.peak if sample else None,
            "tail": tail}


def _cpu_times() -> tuple[int, int]:
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(f), f[3] + f[4]  # total, idle + iowait


def busy_share(seconds: float = 0.5) -> float:
    """Share of the machine's CPU time used (by anything) over `seconds`."""
    try:
        t0, i0 = _cpu_times()
        time.sleep(seconds)
        t1, i1 = _cpu_times()
        return 1.0 - (i1 - i0) / max(t1 - t0, 1)
    except (OSError, ValueError):
        return float("nan")


def wait_quiet(max_wait: float, threshold: float = 0.15) -> float:
    """Wait (up to max_wait s) until other processes use < threshold of the CPUs; the share seen."""
    deadline = time.monotonic() + max_wait
    while True:
        b = busy_share()
        if b < threshold or time.monotonic() >= deadline:
            return b
        time.sleep(2.0)


def code_fingerprint() -> str:
    """Hash of the code a generate.py run executes (dicoso/, generate.py, templates/, rules/).

    The tree may change while a long benchmark runs (other people commit); runs with
    different fingerprints are not comparable, and the report says so."""
    import hashlib

    h = hashlib.sha1()
    files = [ROOT / "generate.py"]
    for sub in ("dicoso", "templates", "rules"):
        files += [p for p in (ROOT / sub).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for p in sorted(files):
        try:
            h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:10]


def loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


# --- one scale ------------------------------------------------------------------------

def run_generate(scale: str, data: Path, repeat: int) -> dict:
    """`repeat` timed runs, then one more with the tree-memory sampler (its wall time is
    not used: sampling every process's PSS every 20 ms costs CPU that a run using both
    cores would otherwise have, ~0.2-0.4 s at `medium`)."""
    runs = []
    for i in range(repeat + 1):
        sampled = i == repeat
        out = OUT / scale / f"generate-{i}"
        if out.exists():
            shutil.rmtree(out)
        busy = wait_quiet(CONFIG["quiet_wait"])
        load = loadavg()
        code = code_fingerprint()
        r = measure([sys.executable] + GENERATE + [str(data)] + GEN_ARGS + ["--out", str(out)],
                    OUT / scale / f"generate-{i}.log", sample=sampled)
        r["load_before"], r["busy_before"], r["code"], r["sampled"] = load, busy, code, sampled
        r["out"] = out
        runs.append(r)
        what = f"tree {mb(r['tree_pss'])} (memory run, wall not counted)" if sampled else "timed"
        print(f"  generate.py #{i + 1}: {r['wall']:.2f} s wall, {sec(r['cpu'])} cpu, rss {mb(r['max_rss'])}, "
              f"{what}, rc {r['rc']}, cpu busy before {busy:.0%}, load {load:.1f}", flush=True)
        if r["rc"] != 0:
            print("    " + "\n    ".join(r["tail"]), flush=True)
            break
    ok = [r for r in runs if r["rc"] == 0]
    timed = [r for r in ok if not r["sampled"]]
    walls = [r["wall"] for r in timed]
    return {
        "runs": runs,
        "ok": bool(ok) and len(ok) == len(runs),
        "wall_median": statistics.median(walls) if walls else None,
        "wall_best": min(walls) if walls else None,
        "cpu_median": statistics.median([r["cpu"] for r in timed if r["cpu"] is not None] or [0]) or None,
        "max_rss": max((r["max_rss"] for r in ok), default=None),
        "tree_pss": max((r["tree_pss"] for r in ok if r["tree_pss"] is not None), default=None),
        "summary": (ok[-1]["out"] / "summary.json") if ok else None,
        "error": None if ok else " / ".join(runs[-1]["tail"]) if runs else "not run",
    }


def run_baseline(scale: str, data: Path, fast: bool, timeout: float) -> dict:
    out = OUT / scale / ("check" if fast else "baseline")
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, str(BENCH / "baseline.py"), str(data), str(out)]
    if fast:
        cmd += ["--reader", "calamine", "--no-docx"]
    busy = wait_quiet(CONFIG["quiet_wait"])
    # one process: its peak RSS is its memory, and like generate.py's timed runs no sampler
    r = measure(cmd, OUT / scale / f"{out.name}.log", timeout=timeout, sample=False)
    r["busy_before"] = busy
    kind = "check (calamine + baseline day logic)" if fast else "naive baseline"
    print(f"  {kind}: {r['wall']:.2f} s wall, {sec(r['cpu'])} cpu, rss {mb(r['max_rss'])}, rc {r['rc']}, "
          f"cpu busy before {busy:.0%}", flush=True)
    r["fast"] = fast
    r["days"] = out / "days.json" if r["rc"] == 0 else None
    return r


def compare(summary: Path | None, days: Path | None) -> dict:
    if summary is None or days is None or not summary.exists() or not days.exists():
        return {"equal": None, "cadres": 0, "diff": ["missing output"]}
    s = json.loads(summary.read_text("utf-8"))
    gen = {c["name"]: c["counted_days"] for c in s.get("cadres", [])}
    base = json.loads(days.read_text("utf-8"))
    diff = [f"{n}: generate.py {gen.get(n)} vs baseline {base.get(n)}"
            for n in sorted(set(gen) | set(base)) if gen.get(n) != base.get(n)]
    acc = s.get("accounting", {})
    return {"equal": not diff, "cadres": len(gen), "diff": diff[:10], "n_diff": len(diff),
            "trips_counted": acc.get("trips_counted"), "duplicates_merged": acc.get("duplicates_merged"),
            "rows_rejected": acc.get("rows_rejected"), "total_days": sum(gen.values())}


def bench_help() -> dict:
    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        rc = subprocess.run([sys.executable] + GENERATE + ["--help"], cwd=ROOT, env=RUN_ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        walls.append(time.perf_counter() - t0)
        if rc != 0:
            return {"rc": rc, "best": None, "walls": walls}
    return {"rc": 0, "best": min(walls), "walls": walls}


# --- report ---------------------------------------------------------------------------

def mb(n: int | None) -> str:
    return "–" if not n else f"{n / 1024**2:,.0f} MB"


def sec(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f} s"


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        m = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem = int(m.group(1)) * 1024 if m else 0
    except OSError:
        pass
    versions = {}
    from importlib import metadata

    for dist in ("pandas", "numpy", "python-calamine", "python-docx", "docxtpl", "pillow", "orjson", "openpyxl"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "dicoso", "generate.py"], cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = "?", False
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(),
            "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "ram": mem, "python": platform.python_version(), "os": platform.platform(),
            "versions": versions, "commit": commit + (" + uncommitted changes" if dirty else ""),
            "date": datetime.now().astimezone().isoformat(timespec="seconds")}


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**yes**" if ok else "**NO**")


def report(results: dict, help_r: dict, mach: dict, argv: list[str]) -> str:
    L = []
    L.append("| scale | books | trip rows | cadres | generate.py wall (median / best of n) | generate.py CPU | "
             "peak RSS, largest process | peak PSS, process tree | baseline wall | baseline peak RSS | speed-up | "
             "days per cadre equal |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, r in results.items():
        sc = make_data.SCALES[name]
        g, b, c = r["generate"], r.get("baseline"), r["compare"]
        n = sum(1 for run in g["runs"] if not run.get("sampled"))
        gw = "FAILED" if not g["ok"] else f"{sec(g['wall_median'])} / {sec(g['wall_best'])} (n={n})"
        if b is None:
            bw, brss, sp = "–", "–", "–"
        elif b["fast"]:
            bw, brss, sp = f"{sec(b['wall'])} (check only¹)", mb(b["max_rss"]), "–"
        else:
            bw, brss = (sec(b["wall"]) if b["rc"] == 0 else f"FAILED ({b['rc']})"), mb(b["max_rss"])
            sp = f"{b['wall'] / g['wall_median']:.1f}×" if g["ok"] and b["rc"] == 0 else "–"
        eq = {True: f"yes ({c['cadres']:,} cadres)", False: f"**NO** ({c.get('n_diff')} differ)",
              None: "not checked"}[c["equal"]]
        L.append(f"| {name} | {sc.books:,} | {sc.rows:,} | {sc.cadres:,} | {gw} | {sec(g['cpu_median'])} | "
                 f"{mb(g['max_rss'])} | "
                 f"{mb(g['tree_pss'])} | {bw} | {brss} | {sp} | {eq} |")
    L.append("")
    if any(r.get("baseline") and r["baseline"]["fast"] for r in results.values()):
        L.append("¹ `--skip-baseline-large`: at the 1M-row scales the naive pandas/openpyxl baseline is replaced by "
                 "the baseline's own day, status and quota logic on data read with python-calamine, without the Word "
                 "report and the workbooks: the equality check still runs, the speed-up is not measured there.")
        L.append("")
    # targets
    t = []

    def wall(name):
        r = results.get(name)
        return r["generate"]["wall_median"] if r and r["generate"]["ok"] else None

    s_w = wall("small")
    t.append(("100 books ≤ 1.0 s wall (incl. interpreter start; median)", sec(s_w),
              None if s_w is None else s_w <= TARGETS["small_wall"]))
    m = results.get("medium")
    if m and m["generate"]["ok"] and m.get("baseline") and not m["baseline"]["fast"] and m["baseline"]["rc"] == 0:
        spd = m["baseline"]["wall"] / m["generate"]["wall_median"]
        t.append(("1,000 books ≥ 10× faster than the naive baseline", f"{spd:.1f}×", spd >= TARGETS["medium_speedup"]))
    else:
        t.append(("1,000 books ≥ 10× faster than the naive baseline", "–", None))
    l_w = wall("large")
    t.append(("1M trips ≤ 30 s wall", sec(l_w), None if l_w is None else l_w <= TARGETS["large_wall"]))
    lg = results.get("large")
    mem = max(lg["generate"]["max_rss"] or 0, lg["generate"]["tree_pss"] or 0) if lg and lg["generate"]["ok"] else None
    t.append(("1M trips ≤ 2 GB peak memory (larger of RSS / tree PSS)", mb(mem),
              None if mem is None else mem <= TARGETS["large_mem"]))
    codes = {x.get("code") for r in results.values() for x in r["generate"]["runs"]}
    same_code = {x.get("code") for n in ("large", "large-half") if n in results
                 for x in results[n]["generate"]["runs"]}
    h_w = wall("large-half")
    ratio = l_w / h_w if l_w and h_w and len(same_code) == 1 else None
    best = (results["large"]["generate"]["wall_best"] / results["large-half"]["generate"]["wall_best"]
            if ratio is not None else None)
    t.append(("doubling the rows ≤ 2.1× the time (large / large-half, medians)",
              "–" if ratio is None else f"{ratio:.2f}× (best of n: {best:.2f}×)",
              None if ratio is None else ratio <= TARGETS["doubling"]))
    t.append(("`generate.py --help` ≤ 0.3 s (best of 5)", sec(help_r.get("best")),
              None if help_r.get("best") is None else help_r["best"] <= TARGETS["help_wall"]))
    eqs = [r["compare"]["equal"] for r in results.values()]
    t.append(("days per cadre equal to the baseline at every scale run", ", ".join(
        f"{k}: {'yes' if r['compare']['equal'] else 'no' if r['compare']['equal'] is False else '–'}"
        for k, r in results.items()), None if None in eqs or not eqs else all(eqs)))
    if len(codes) > 1:
        L.append(f"**Warning: the code under test changed during this benchmark** (fingerprints "
                 f"{', '.join(sorted(c for c in codes if c))}); figures of different scales are not comparable"
                 + ("; the doubling check is left out." if len(same_code) > 1 else "."))
        L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---:|---|")
    for name, val, ok in t:
        L.append(f"| {name} | {val} | {verdict(ok)} |")
    L.append("")
    loads = [x["load_before"] for r in results.values() for x in r["generate"]["runs"]]
    busy = [x["busy_before"] for r in results.values() for x in r["generate"]["runs"]]
    L.append(f"Machine: {mach['cpu']}, {mach['cores']} cores ({mach['cores_usable']} usable), "
             f"{mach['ram'] / 1024**3:.1f} GB RAM; Python {mach['python']}; "
             + ", ".join(f"{k} {v}" for k, v in mach["versions"].items())
             + f"; {mach['os']}. Code: {mach['commit']} (fingerprint of dicoso/, generate.py, templates/, "
               f"rules/: {', '.join(sorted(c for c in codes if c))}). Run {mach['date']}: `"
             + " ".join(["python bench/run.py", *argv]) + "`. "
             + f"CPU busy just before the generate.py runs: {min(busy, default=float('nan')):.0%}–"
               f"{max(busy, default=float('nan')):.0%}, load average {min(loads, default=float('nan')):.1f}–"
               f"{max(loads, default=float('nan')):.1f} (the machine may be shared: wall times include waiting "
               "for a CPU; the CPU column does not). Data in the OS page cache (warm).")
    return "\n".join(L)


def update_readme(table: str) -> None:
    readme = BENCH / "README.md"
    if not readme.exists():
        return
    text = readme.read_text("utf-8")
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        readme.write_text(f"{head}{start}\n{table}\n{end}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description="benchmark generate.py against a naive baseline")
    ap.add_argument("--scales", default="small,medium,large",
                    help="comma-separated: small, medium, large (brings large-half), large-half")
    ap.add_argument("--skip-baseline-large", action="store_true",
                    help="at the 1M-row scales, replace the naive baseline (minutes) by the calamine-based check")
    ap.add_argument("--repeat", type=int, default=None, help="generate.py runs per scale (default 5 small, 3 otherwise)")
    ap.add_argument("--baseline-timeout", type=float, default=3600.0)
    ap.add_argument("--no-readme", action="store_true", help="do not copy the table into bench/README.md")
    ap.add_argument("--quiet-wait", type=float, default=CONFIG["quiet_wait"],
                    help="seconds to wait for other processes to go quiet before each measurement (default 60)")
    a = ap.parse_args(argv)
    CONFIG["quiet_wait"] = a.quiet_wait
    scales = [s.strip() for s in a.scales.split(",") if s.strip()]
    if "large" in scales and "large-half" not in scales:
        scales.insert(scales.index("large"), "large-half")
    for s in scales:
        if s not in make_data.SCALES:
            ap.error(f"unknown scale {s!r}")
    mach = machine()
    compile_bytecode()
    results: dict[str, dict] = {}
    for name in scales:
        print(f"[{name}]", flush=True)
        data = make_data.generate(name, DATA / name, log=lambda m: print("  " + m, flush=True))
        g = run_generate(name, data, a.repeat or DEFAULT_REPEAT[name])
        fast = a.skip_baseline_large and make_data.SCALES[name].rows > FULL_BASELINE_MAX_ROWS
        b = run_baseline(name, data, fast, a.baseline_timeout)
        c = compare(g["summary"], b["days"])
        print(f"  days per cadre equal: {c['equal']} ({c['cadres']} cadres"
              + (f"; e.g. {c['diff'][:3]}" if c["equal"] is False else "") + ")", flush=True)
        results[name] = {"generate": g, "baseline": b, "compare": c}
    help_r = bench_help()
    print(f"[--help] best of 5: {sec(help_r.get('best'))}", flush=True)
    table = report(results, help_r, mach, argv)
    print("\n" + table)
    (BENCH / "results.md").write_text("# Benchmark results (written by bench/run.py)\n\n" + table + "\n", "utf-8")

    def plain(o):
        if isinstance(o, Path):
            return o.relative_to(ROOT).as_posix() if o.is_relative_to(ROOT) else str(o)
        return o

    (BENCH / "results.json").write_text(json.dumps({"machine": mach, "help": help_r, "results": results},
                                                   default=plain, ensure_ascii=False, indent=1), "utf-8")
    if not a.no_readme:
        update_readme(table)
    bad = any(not r["generate"]["ok"] or r["compare"]["equal"] is not True for r in results.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
