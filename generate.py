#!/usr/bin/env python3
"""Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2).

Thin entry point: everything lives in the `dicoso` package (see README).
"""

import sys

if __name__ == "__main__":
    try:
        from dicoso.cli.main import program
    except KeyboardInterrupt:  # Ctrl+C while Python loads the program: nothing has started
        sys.stderr.write("LỖI: Đã dừng theo yêu cầu (Ctrl+C) trước khi bắt đầu; chưa ghi tệp nào.\n")
        sys.exit(1)
    sys.exit(program())
