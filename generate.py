#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2).

Thin entry point: everything lives in the `dicoso` package (see README). The Python
version is checked first, in syntax every Python 3 (and 2.7) can read, so that an
older Python says in Vietnamese what is needed instead of failing on newer syntax.
"""

import sys

NEEDED = (3, 11)
TOO_OLD = (
    u"Chương trình cần Python %d.%d trở lên; máy này đang chạy Python %s (%s).\n"
    u"Tải Python mới tại https://www.python.org/downloads/ và cài đặt (đánh dấu ô "
    u'"Add python.exe to PATH"),\nrồi chạy lại: py -3 generate.py (hoặc bấm đúp lại vào tệp bao-cao.cmd).\n'
)


def python_too_old(version=None):
    """The Vietnamese message when this Python is older than NEEDED, else None."""
    version = tuple(sys.version_info[:3] if version is None else version)
    if version >= NEEDED:
        return None
    shown = ".".join(str(part) for part in version)
    return TOO_OLD % (NEEDED[0], NEEDED[1], shown, sys.executable)


def say_too_old(message):
    """On a console that cannot show Vietnamese (an old Python's, a pipe), without diacritics."""
    try:
        message.encode(getattr(sys.stderr, "encoding", None) or "ascii")
    except (UnicodeError, LookupError):
        import unicodedata

        plain = unicodedata.normalize("NFD", message.replace(u"đ", u"d").replace(u"Đ", u"D"))
        message = u"".join(c for c in plain if not unicodedata.combining(c))
    sys.stderr.write(message)


if __name__ == "__main__":
    too_old = python_too_old()
    if too_old:
        say_too_old(too_old)
        sys.exit(1)
    try:
        from dicoso.cli.main import program
    except KeyboardInterrupt:  # Ctrl+C while Python loads the program: nothing has started
        sys.stderr.write("LỖI: Đã dừng theo yêu cầu (Ctrl+C) trước khi bắt đầu; chưa ghi tệp nào.\n")
        sys.exit(1)
    sys.exit(program())
