"""The real program with one fault injected at a precise moment (tests/test_faults_*.py).

    python tests/fault_child.py SPEC [generate.py arguments]

SPEC is one of:
  kill@rename:K     SIGKILL this process just before the K-th rename of the publish step
  int@rename:K      a real SIGINT to this process just after the K-th rename of the publish step
  int@published     a real SIGINT just after the new outputs are all in place
  hold-lock:FOLDER  hold FOLDER's output lock, print "held", then wait for SIGTERM/SIGKILL
Nothing here changes what the program does; it only decides when the fault strikes.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _around_publish(on_rename=None, after=None) -> None:
    """Wrap the publish step: `on_rename(n, do)` for each of its renames, `after()` once its
    outputs are in place (inside the step, where a Ctrl+C is held back to its end)."""
    from dicoso.publish import staging

    real_publish, real_replace = staging.publish, os.replace
    count = 0

    def replace(src, dst):
        nonlocal count
        count += 1
        on_rename(count, lambda: real_replace(src, dst))

    def publish(stage, moves, on_done=lambda: None):
        def done() -> None:
            on_done()
            if after is not None:
                after()

        if on_rename is not None:
            os.replace = replace  # the publish step's renames only
        try:
            return real_publish(stage, moves, done)
        finally:
            os.replace = real_replace

    staging.publish = publish


def main() -> int:
    spec = sys.argv.pop(1)
    kind, _, arg = spec.partition(":")
    if kind == "hold-lock":
        from dicoso.publish import lock

        held = lock.acquire(Path(arg))
        print("held", flush=True)
        while True:
            time.sleep(60)
        lock.release(held)
    if kind in ("kill@rename", "int@rename"):
        k = int(arg)

        def on_rename(n: int, do) -> None:
            if n == k and kind == "kill@rename":
                os.kill(os.getpid(), signal.SIGKILL)
            do()
            if n == k and kind == "int@rename":
                os.kill(os.getpid(), signal.SIGINT)

        _around_publish(on_rename=on_rename)
    elif kind == "int@published":
        _around_publish(after=lambda: os.kill(os.getpid(), signal.SIGINT))
    elif kind != "none":
        raise SystemExit(f"unknown fault {spec}")
    from dicoso.cli.main import program

    return program()


if __name__ == "__main__":
    sys.exit(main())
