"""What an operating-system error while writing the outputs means for the clerk, and what to do.

The system's own words ("No space left on device", "Permission denied", "File
exists") are English and say nothing about the fix; each error is mapped here to a
Vietnamese cause and fix, naming the folder or file concerned. The last sentence says
truthfully what became of the earlier outputs.
"""

from __future__ import annotations

import errno
import math
import shutil
from pathlib import Path

from ..paths import HISTORY_DIR, STAGING_PREFIX

MB = 1024 * 1024
# Windows' own error numbers (OSError.winerror) for the same causes
_WIN_FULL = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
_WIN_SHARING = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_WIN_TOO_LONG = {206}  # ERROR_FILENAME_EXCED_RANGE
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", -1)}
_DENIED = {errno.EACCES, errno.EPERM}


def kept(had_previous: bool) -> str:
    """The closing sentence about the earlier outputs."""
    return "Kết quả cũ vẫn được giữ nguyên." if had_previous else "Chưa ghi tệp kết quả nào."


def explain(exc: OSError, target: Path, *, had_previous: bool, needed: int | None = None) -> str:
    """The clerk's message for `exc`, raised while writing the outputs into `target`.

    `needed` is the estimated size in bytes of the outputs (for a full disk).
    """
    name = Path(exc.filename).name if exc.filename else ""
    place = _folder_of(exc, target)
    winerror = getattr(exc, "winerror", None)
    if exc.errno in _FULL or winerror in _WIN_FULL:
        free = _free(target)
        need = max(math.ceil((needed or 0) * 1.2 / MB), 1)
        have = f"còn trống {free} MB, " if free is not None else ""
        text = (f"Ổ đĩa chứa thư mục kết quả {target} đã đầy ({have}cần khoảng {need} MB cho kết quả của lần chạy này). "
                "Xoá bớt tệp không cần trên ổ đĩa đó, hoặc ghi kết quả sang ổ khác bằng --out, rồi chạy lại.")
    elif winerror in _WIN_SHARING or "Word/Excel" in (exc.strerror or ""):
        text = (f"Tệp {name or 'kết quả'} trong {place} đang được mở (trong Word/Excel, trên máy này hoặc máy khác). "
                "Đóng tệp đó rồi chạy lại.")
    elif isinstance(exc, IsADirectoryError) or exc.errno in (errno.EISDIR, errno.ENOTDIR):
        shown = name or str(target)
        text = (f"Trong thư mục kết quả có một thư mục tên \"{shown}\" nằm đúng chỗ của một tệp kết quả "
                f"(hoặc {target} không phải là thư mục). Đổi tên hoặc chuyển thư mục đó đi chỗ khác, "
                "hoặc chọn thư mục kết quả khác bằng --out, rồi chạy lại.")
    elif exc.errno == errno.EROFS:
        text = (f"Ổ đĩa chứa thư mục {place} chỉ cho phép đọc (ví dụ USB khoá ghi, ổ mạng chỉ đọc). "
                "Chọn thư mục khác bằng --out rồi chạy lại.")
    elif exc.errno in _DENIED or isinstance(exc, PermissionError):
        what = "tệp chỉ cho phép đọc" if "chỉ cho phép đọc" in (exc.strerror or "") and name else ""
        text = (f"Không có quyền ghi vào thư mục {place}{f' ({what}: {name})' if what else ''}. "
                "Nhờ người quản trị máy cấp quyền ghi cho thư mục này, hoặc chọn thư mục khác bằng --out, rồi chạy lại.")
    elif exc.errno == errno.ENAMETOOLONG or winerror in _WIN_TOO_LONG:
        text = (f"Đường dẫn của thư mục kết quả quá dài ({len(str(target))} ký tự). "
                "Chọn thư mục có đường dẫn ngắn hơn bằng --out rồi chạy lại.")
    elif exc.errno in (errno.ENOENT, errno.EEXIST):
        text = (f"Trong lúc ghi, tệp {name or 'kết quả'} trong {place} bị một chương trình khác tạo, xoá hoặc chuyển đi "
                "(có thể một lần chạy khác, trên máy khác, đang ghi cùng thư mục; hoặc phần mềm đồng bộ, diệt virus). "
                "Đợi một lát rồi chạy lại.")
    else:
        code = f"mã lỗi {exc.errno}" if exc.errno is not None else type(exc).__name__
        text = (f"Lỗi ổ đĩa khi ghi {name or 'kết quả'} vào {place} ({code}). Kiểm tra ổ đĩa hoặc kết nối ổ mạng, "
                "rồi chạy lại.")
    return f"Không ghi được kết quả: {text} {kept(had_previous)}"


def _folder_of(exc: OSError, target: Path) -> Path:
    """The folder the failed file is in: the target, its history, or the target itself."""
    if not exc.filename:
        return target
    path = Path(exc.filename)
    if path == target or any(part.startswith(STAGING_PREFIX) for part in path.parts):
        return target  # the staging folder is the tool's business: name the output folder
    if HISTORY_DIR in path.parts:
        return target / HISTORY_DIR
    return path.parent if path.parent != path else target


def _free(target: Path) -> int | None:
    for folder in (target, *target.parents):
        try:
            return shutil.disk_usage(folder).free // MB
        except OSError:
            continue
    return None
