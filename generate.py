#!/usr/bin/env python3
"""Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2).

Thin entry point: everything lives in the `dicoso` package (see README).
"""

import gc
import sys

from dicoso.cli import main

if __name__ == "__main__":
    code = main()
    # The process ends here: without this the interpreter's exit collects every object
    # the run left (pandas, the writers' libraries), about 0.3 s of a 1 s run.
    gc.freeze()
    sys.exit(code)
