#!/usr/bin/env python3
"""Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2).

Thin entry point: everything lives in the `dicoso` package (see README).
"""

import sys

from dicoso.cli.main import main

if __name__ == "__main__":
    code = main()
    from dicoso import runtime

    runtime.freeze_at_exit()
    sys.exit(code)
