"""Read a drop folder: every book, every sheet, into the normalised tables.

`read_folder` never raises for bad input: a book that cannot be read becomes an
Issue and a skipped-file entry, and the other books are still read. Books are
independent, so many books are read in parallel processes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import (
    REGISTRATION_COLUMNS,
    ROSTER_COLUMNS,
    SUMMARY_COLUMNS,
    TRIP_COLUMNS,
    FileAccount,
    Issue,
    ReadResult,
)
from ..text.clean import cell_text, clean
from ..text.excel import col_letters
from . import pool
from .book import BookError, open_book
from .context import SheetContext, book_months, cell, context_hints
from .discover import Candidate, NotRegular, WalkError, read_regular, scan, sniff, too_long
from .headers import (
    FIELD_LABELS_VI,
    NAME_MAP,
    REGISTRATION,
    ROSTER,
    SUMMARY,
    classify,
    find_header,
    match_field,
    names_repeat,
)
from .legacy_sheet import legacy_note, read_legacy
from .limits import Limits
from .sheet import normalise_sheet
from .skipped_sheets import skip_sheet
from .split_names import join_split_names

if TYPE_CHECKING:
    import pandas as pd

PARALLEL_MIN_BOOKS = 40

# Why a file could not be read: (message, suggestion), Vietnamese.
FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "empty": ("Tệp rỗng (0 byte), không có dữ liệu; có thể tệp chưa được sao chép xong.",
              "Sao chép lại tệp từ Ban gửi lên rồi chạy lại."),
    "encrypted": ("Sổ được đặt mật khẩu nên không đọc được.",
                  "Mở sổ bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, "
                  "xóa mật khẩu), lưu lại rồi chạy lại."),
    "html": ("Tệp có đuôi Excel nhưng thực chất là trang web (HTML) xuất từ phần mềm khác.",
             "Mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx) rồi chạy lại."),
    "xml2003": ("Tệp là bảng tính XML 2003, định dạng cũ không đọc được.",
                "Mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx) rồi chạy lại."),
    "text": ("Tệp có đuôi Excel nhưng thực chất là tệp văn bản (CSV/TXT).",
             "Mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx) rồi chạy lại."),
    "corrupt": ("Sổ bị hỏng hoặc chưa được sao chép hết nên không mở được.",
                "Thử mở sổ bằng Excel; nếu không mở được, đề nghị Ban gửi lại tệp."),
    "zip_bomb": ("Sổ có cấu trúc bất thường (quá nhiều phần bên trong hoặc dung lượng khi giải nén quá lớn); "
                 "từ chối đọc để bảo vệ máy.",
                 "Đề nghị Ban lưu lại sổ bằng Excel (Lưu thành .xlsx) và gửi lại."),
    "xml_entities": ("Sổ chứa khai báo XML bất thường (DOCTYPE/ENTITY) mà Excel không bao giờ ghi; "
                     "từ chối đọc để bảo vệ máy.",
                     "Đề nghị Ban mở sổ bằng Excel, lưu lại (Lưu thành .xlsx) rồi gửi lại; nếu không rõ nguồn gốc, "
                     "đừng mở tệp này."),
    "sheet_too_large": ("Sổ có trang tính lớn bất thường (có ô dữ liệu ở rất xa, khiến trang tính vượt giới hạn "
                        "của chương trình).",
                        "Mở sổ bằng Excel, nhấn Ctrl+End để tới ô xa nhất, xóa các hàng và cột thừa, lưu lại rồi chạy lại."),
    "too_large": ("Tệp quá lớn so với giới hạn cho phép của chương trình.",
                  "Kiểm tra lại tệp; nếu đúng là sổ theo dõi, tách thành nhiều sổ nhỏ hơn."),
    "too_many_rows": ("Trang tính có quá nhiều dòng so với giới hạn của chương trình.",
                      "Xóa các dòng thừa ở cuối trang tính hoặc tách sổ."),
    "xlsb": ("Sổ lưu ở dạng nhị phân Excel (.xlsb) chưa được hỗ trợ.",
             "Mở sổ bằng Excel, chọn Lưu thành kiểu Excel Workbook (.xlsx) rồi chạy lại."),
    "docx": ("Tệp là văn bản Word, không phải sổ Excel.", "Đặt đúng sổ Excel vào thư mục rồi chạy lại."),
    "unreadable": ("Không đọc được tệp (không có quyền đọc hoặc tệp đang bị khóa).",
                   "Đóng tệp trên máy khác, kiểm tra quyền truy cập thư mục rồi chạy lại."),
    "not_regular": ("Mục này có tên như sổ Excel nhưng không phải tệp thông thường (một đường ống, thiết bị hay "
                    "socket); không mở để chương trình không bị treo.",
                    "Xoá mục này khỏi thư mục nộp sổ và chép đúng sổ Excel vào, rồi chạy lại."),
    "timeout": ("Đọc sổ quá lâu nên đã bỏ dở (ổ mạng chậm hoặc mất kết nối, hoặc tệp bất thường); sổ này chưa được đọc.",
                "Chép sổ về máy này (hoặc kiểm tra kết nối ổ mạng) rồi chạy lại."),
    "crashed": ("Tiến trình đọc sổ bị dừng đột ngột khi đang đọc tệp này (thường do máy thiếu bộ nhớ); sổ này chưa "
                "được đọc.",
                "Đóng bớt chương trình khác rồi chạy lại; nếu vẫn lỗi, mở sổ bằng Excel, lưu lại (.xlsx) rồi chạy lại."),
}
UNKNOWN_FORMAT = ("Không nhận ra định dạng tệp; tệp không phải sổ Excel (.xlsx, .xls) hay LibreOffice (.ods).",
                  "Mở tệp bằng Excel và lưu thành .xlsx, hoặc bỏ tệp khỏi thư mục.")


@dataclass
class BookResult:
    rel: str
    records: dict[str, list[dict]] = field(default_factory=lambda: {ROSTER: [], REGISTRATION: [], NAME_MAP: [],
                                                                    SUMMARY: []})
    trips: dict[str, list] = field(default_factory=lambda: {c: [] for c in TRIP_COLUMNS})  # column lists
    issues: list[Issue] = field(default_factory=list)
    accounts: list[FileAccount] = field(default_factory=list)
    failed: str = ""  # Vietnamese reason when the whole book could not be read
    digest: tuple[int, str] | None = None  # size and sha256 of the bytes read


def read_book(cand: Candidate, limits: Limits, fetch: Callable[[Path], bytes] | None = None) -> BookResult:
    """Read one file: its bytes once (sniffed, hashed, then parsed from memory).

    `fetch` reads the bytes (a regular file only; TimeoutError when it takes too long).
    """
    res = BookResult(cand.rel)
    kind, data = cand.kind, b""
    if not kind and cand.size > limits.max_file_bytes:
        kind = "too_large"
        res.digest = _stream_digest(cand.path)  # unread, but the manifest still tells a changed file
    elif not kind:
        try:
            data = (fetch or read_regular)(cand.path)
        except NotRegular:
            kind = "not_regular"
        except TimeoutError:
            kind = "timeout"
        except OSError:
            kind = "unreadable"
        else:
            kind = sniff(data)
            res.digest = (len(data), hashlib.sha256(data).hexdigest())
    if kind in ("xlsx", "xls", "ods"):
        try:
            sheets = open_book(data, kind, limits)
        except BookError as exc:
            kind = exc.code
        else:
            for sheet in sheets:
                _read_sheet(cand.rel, sheet, limits, res)
            _no_data(res)
            return res
    return _unread(res, kind)


def _stream_digest(path: Path) -> tuple[int, str] | None:
    h, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return size, h.hexdigest()


def _unread(res: BookResult, kind: str) -> BookResult:
    message, suggestion = FILE_PROBLEMS.get(kind, UNKNOWN_FORMAT)
    res.failed = message
    res.issues.append(Issue(f"file_{kind.replace('-', '_')}", "error", message, res.rel, suggestion=suggestion))
    return res


def timed(fetch: Callable[[Path], bytes], seconds: float) -> Callable[[Path], bytes]:
    """`fetch` given up after `seconds` (TimeoutError): a read stuck on a stalled network share
    cannot be interrupted, so it runs in a thread left behind (a daemon) when it overstays."""

    def run(path: Path) -> bytes:
        box: list = []

        def target() -> None:
            try:
                box.append((True, fetch(path)))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                box.append((False, exc))

        thread = threading.Thread(target=target, name="dicoso-read", daemon=True)
        thread.start()
        thread.join(seconds)
        if not box:
            raise TimeoutError(path)
        ok, value = box[0]
        if not ok:
            raise value
        return value

    return run


def _read_sheet(rel: str, sheet, limits: Limits, res: BookResult) -> None:
    if sheet.problem:
        res.issues.append(_sheet_problem(rel, sheet, limits))
        return
    if not any(str(v).strip() for row in sheet.rows for v in row if v is not None):
        return  # an empty (template) sheet, hidden or not
    legacy = read_legacy(sheet, limits.header_search_rows)
    skip, why = skip_sheet(rel, legacy.sheet, legacy.meaning, limits.header_search_rows)
    if skip:
        res.issues += [why] if why else []
        return
    sheet = legacy.sheet
    note = legacy_note(rel, legacy)
    if note:
        res.issues.append(note)
    header = find_header(sheet.rows, sheet.merges, limits.header_search_rows)
    if header:
        sheet, header = join_split_names(sheet, header)
    if header and header.ambiguous:
        res.issues.append(_ambiguous_header(rel, sheet, header))
        return
    kind = classify(header) if header else None
    if kind == SUMMARY and header and names_repeat(sheet.rows, header):
        kind = None  # one row per trip: a register whose date columns were not recognised
    if header is None or kind is None:
        fields = set(header.columns) if header else set()
        if header and "name" in fields and fields & {"days", "place", "content", "level", "order_no", "submitted"}:
            res.issues.append(Issue(
                "missing_columns", "error",
                f'Trang "{sheet.name}" có cột Họ và tên nhưng thiếu cột ngày đi cơ sở (Từ ngày, Đến ngày '
                "hoặc Thời gian); không đọc được trang này.",
                rel, sheet.name, header.row + 1, "",
                "Thêm cột Từ ngày và Đến ngày (hoặc một cột Thời gian) vào dòng tiêu đề rồi chạy lại.",
            ))
        elif not sheet.hidden:
            res.issues.append(Issue(
                "sheet_unrecognised", "warning",
                f'Trang "{sheet.name}" không có dòng tiêu đề nhận ra được (cần các cột như STT, Họ và tên, '
                "Từ ngày, Đến ngày); bỏ qua trang này.",
                rel, sheet.name, None, "",
                "Nếu trang này là sổ theo dõi, sửa dòng tiêu đề theo mẫu (Họ và tên, Từ ngày, Đến ngày…) rồi chạy lại. "
                "Nếu là trang tổng hợp số ngày của Ban thì không cần sửa (trang tổng hợp không được tính); muốn "
                'chương trình đối chiếu với các chuyến đi, thêm cột "Tổng số ngày" (hoặc "Cả năm").',
            ))
        return
    for fld in header.duplicated:
        res.issues.append(_duplicate_column(rel, sheet.name, header, fld))
    year, dept, quarter = context_hints(rel, sheet, header, legacy.meaning)
    ctx = SheetContext(rel, sheet.name, kind, header, year, dept, quarter,
                       book_months(rel, sheet, header, legacy.meaning, quarter))
    out = normalise_sheet(sheet, ctx)
    if out.columns is not None:
        for c, values in out.columns.items():
            res.trips[c].extend(values)
    else:
        res.records[kind].extend(out.records)
    res.issues.extend(out.issues)
    if out.account:
        res.accounts.append(out.account)


def _no_data(res: BookResult) -> None:
    """A book whose recognised sheets hold only a header (a blank form sent in) is worth a warning;
    a header-only template sheet beside filled ones is not."""
    if not res.accounts or any(a.rows_read > a.rows_skipped for a in res.accounts):
        return
    a = res.accounts[0]
    res.issues.append(Issue(
        "book_no_data", "warning",
        f'Sổ chỉ có dòng tiêu đề, không có dòng dữ liệu nào (trang "{a.sheet}").',
        res.rel, a.sheet, None, "",
        "Nếu Ban có số liệu, đề nghị Ban điền vào dưới dòng tiêu đề và gửi lại; nếu kỳ này Ban không có "
        "chuyến đi nào, có thể bỏ qua cảnh báo này.",
    ))


def _sheet_problem(rel: str, sheet, limits: Limits) -> Issue:
    far = f" (ô xa nhất có dữ liệu: {sheet.problem_detail})" if sheet.problem_detail else ""
    return Issue(
        sheet.problem, "error",
        f'Trang "{sheet.name}" lớn bất thường{far}: vượt giới hạn {limits.max_cells_per_sheet:,} ô hoặc '
        f"{limits.max_rows_per_sheet:,} dòng của chương trình nên không đọc trang này; các trang khác vẫn được đọc."
        .replace(",", "."),
        rel, sheet.name, None, "",
        "Mở sổ bằng Excel, nhấn Ctrl+End để tới ô xa nhất, xóa các hàng và cột thừa (chọn rồi Xóa hàng/Xóa cột), "
        "lưu lại rồi chạy lại.",
    )


def _duplicate_column(rel: str, sheet_name: str, header, fld: str) -> Issue:
    cols = [c for c, t in sorted(header.labels.items()) if match_field(_last_label(t)) == fld
            or match_field(t) == fld]
    used = header.columns.get(fld)
    shown = ", ".join(f'{col_letters(c)} "{header.labels[c]}"' for c in cols) or FIELD_LABELS_VI.get(fld, fld)
    first = f"cột {col_letters(used)}" if used is not None else "cột đầu tiên"
    return Issue(
        "duplicate_column", "warning",
        f"Trang \"{sheet_name}\" có nhiều cột cùng nghĩa ({shown}); chỉ dùng {first}, các cột kia bị bỏ qua.",
        rel, sheet_name, header.row + 1, col_letters(used) if used is not None else "",
        "Xóa cột trùng hoặc đổi tên cho khác nhau trong dòng tiêu đề rồi chạy lại.",
    )


def _ambiguous_header(rel: str, sheet, header) -> Issue:
    """"Ngày bắt đầu" | "Ngày kết thúc" and nothing else that tells a register from a roster."""
    typed = [clean(cell_text(cell(sheet.rows[header.row], c))) or clean(cell_text(cell(sheet.rows[header.first_row], c)))
             for c in header.ambiguous]
    shown = ", ".join(f'"{t}"' for t in typed)
    return Issue(
        "header_ambiguous", "error",
        f'Trang "{sheet.name}" có cột {shown} nhưng không rõ là sổ đi cơ sở (ngày đi, ngày về) hay danh sách '
        "cán bộ (ngày bắt đầu, thôi công tác); không đọc trang này.",
        rel, sheet.name, header.row + 1, col_letters(header.ambiguous[0]),
        'Nếu là sổ đi cơ sở, đổi tên cột thành "Từ ngày", "Đến ngày"; nếu là danh sách cán bộ, thành '
        '"Ngày bắt đầu công tác", "Ngày thôi công tác"; rồi chạy lại.',
    )


def _last_label(label: str) -> str:
    return label.rsplit(" / ", 1)[-1]


def read_folder(folder: Path, limits: Limits | None = None, *, exclude: tuple[Path, ...] = (),
                workers: int | None = None, progress=None, meanwhile: Callable[[], None] | None = None,
                ) -> ReadResult:
    """Read every book under `folder`.

    progress(rel, done, total) is called after each book. `meanwhile` is called once
    while worker processes read (or first, when there are none): the caller's chance
    to do its own start-up work, such as importing the writers, on the idle core.
    """
    limits = limits or Limits()
    walk_errors: list[WalkError] = []
    books, skipped = scan(folder, exclude=exclude, errors=walk_errors)
    total = len(books)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    slots: list[BookResult | None] = [None] * total
    done = 0
    if len(books) >= PARALLEL_MIN_BOOKS and workers > 1:
        read = partial(read_book, limits=limits)
        for index, value in pool.imap(read, books, workers, limits.read_timeout_seconds, meanwhile=meanwhile):
            slots[index] = _unread(BookResult(books[index].rel), value.why) if isinstance(value, pool.Lost) else value
            done += 1
            if progress:
                progress(books[index].rel, done, total)
    else:
        if meanwhile:
            meanwhile()
        fetch = timed(read_regular, limits.read_timeout_seconds)
        for index, cand in enumerate(books):
            slots[index] = read_book(cand, limits, fetch)
            done += 1
            if progress:
                progress(cand.rel, done, total)
    results = [r for r in slots if r is not None]
    notes = _walk_notes(walk_errors) + [_long_path(c) for c in books if too_long(c.path)]
    return _assemble(results, [(s.rel, s.reason) for s in skipped] + [(e.rel, e.reason) for e in walk_errors],
                     [c.rel for c in books], notes)


def _walk_notes(errors: list[WalkError]) -> list[Issue]:
    return [Issue("folder_unreadable", "error", f"Không đọc được thư mục này: {e.reason}.", e.rel,
                  suggestion="Kiểm tra quyền truy cập của thư mục (hoặc rút ngắn tên các thư mục), hoặc chép các sổ "
                             "sang một thư mục khác trong thư mục nộp sổ, rồi chạy lại.")
            for e in errors if e.serious]


def _long_path(cand: Candidate) -> Issue:
    n = len(str(cand.path.absolute()))
    return Issue("path_too_long", "warning",
                 f"Đường dẫn của sổ dài {n} ký tự (từ 260 trở lên): sổ vẫn được đọc, nhưng trên Windows Excel "
                 "và nhiều chương trình khác không mở được tệp có đường dẫn dài như vậy.", cand.rel,
                 suggestion="Đổi tên thư mục hoặc tệp cho ngắn lại, hoặc đặt thư mục nộp sổ gần gốc ổ đĩa "
                            "(ví dụ D:\\So di co so).")


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    return df.astype({"row": "int64"}) if len(df) else df


def _assemble(results: list[BookResult], skipped: list[tuple[str, str]], inputs: list[str],
              notes: list[Issue] | None = None) -> ReadResult:
    import pandas as pd

    recs: dict[str, list[dict]] = {ROSTER: [], REGISTRATION: [], NAME_MAP: [], SUMMARY: []}
    trips: dict[str, list] = {c: [] for c in TRIP_COLUMNS}
    issues: list[Issue] = list(notes or [])
    accounts: list[FileAccount] = []
    files_skipped = list(skipped)
    for r in results:
        for k, v in r.records.items():
            recs[k].extend(v)
        for c, values in r.trips.items():
            trips[c].extend(values)
        issues.extend(r.issues)
        accounts.extend(r.accounts)
        if r.failed:
            files_skipped.append((r.rel, r.failed))
    aliases = {a["variant_key"]: a["target"] for a in recs[NAME_MAP]}
    return ReadResult(
        trips=pd.DataFrame(trips, columns=TRIP_COLUMNS).astype({"row": "int64"}),
        roster=_frame(recs[ROSTER], ROSTER_COLUMNS),
        registrations=_frame(recs[REGISTRATION], REGISTRATION_COLUMNS),
        summaries=_frame(recs[SUMMARY], SUMMARY_COLUMNS),
        issues=issues,
        files=accounts,
        files_skipped=files_skipped,
        inputs=inputs,
        aliases=aliases,
        digests={r.rel: r.digest for r in results if r.digest},
    )
