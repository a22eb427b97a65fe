"""Vietnamese number, date and period formatting for the report texts.

Conventions (shared/format.md): thousands separator ".", decimal comma
(`1.540`, `58,3`, `83,3%`), dates day first (`05/01/2021`), quarters in Roman
numerals (`Quý II/2020`), and the place-date line of the header block with a
leading zero for days below 10 and for months 1 and 2 only.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

# How the clerk reads an Issue's severity (README "Đọc danh sách lỗi"): in the problem
# lists as written here, on the console in capitals.
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}
# A trip report's status (rules/checks/report_deadline.py), as the workbooks write it.
REPORT_STATUS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "overdue": "Quá hạn, chưa nộp", "pending": "Chưa đến hạn",
                 "not_recorded": "Chưa rõ ngày nộp"}

# What kind of problem an Issue is, in the clerk's words (the problem list's "Loại lỗi"
# column). The stable code stays in summary.json; a code added without a label here
# shows as "Khác" (tests/test_workbook_print.py finds every code in the package).
ISSUE_KINDS = {
    "unknown_name": "Tên không có trong danh sách cán bộ", "alias_target_unknown": "Ánh xạ tên đến người không có",
    "bad_alias": "Ánh xạ tên thiếu một cột", "missing_name": "Thiếu họ và tên", "missing_dates": "Thiếu ngày đi, ngày về",
    "trip_missing_date": "Thiếu ngày đi, ngày về", "end_before_start": "Ngày về trước ngày đi",
    "bad_days": "Số ngày không đọc được", "days_mismatch": "Số ngày ghi lệch", "bad_quarter": "Quý không đọc được",
    "date_after_as_of": "Ngày sau ngày chốt số liệu", "submitted_after_as_of": "Ngày nộp sau ngày chốt số liệu",
    "report_before_trip_end": "Nộp báo cáo trước ngày về", "trip_partly_outside_period": "Một phần ngoài kỳ tính",
    "trip_outside_period": "Ngoài kỳ tính", "trip_during_exemption": "Đi trong thời gian được miễn",
    "trip_outside_service": "Ngoài thời gian công tác", "service_end_before_start": "Ngày thôi công tác sai",
    "exemption_end_before_start": "Khoảng miễn ghi ngược", "exemption_incomplete": "Khoảng miễn thiếu ngày",
    "roster_duplicate_name": "Trùng tên trong danh sách cán bộ", "cadre_no_trips": "Chưa có chuyến đi nào",
    "level_unknown": "Chưa rõ cấp cơ sở", "content_not_counted": "Nội dung không được tính",
    "content_unrecognised": "Nội dung chưa rõ loại", "duplicate_merged": "Chuyến đi ghi trùng (đã gộp)",
    "same_day_trips": "Hai chuyến trong cùng ngày", "formula_without_value": "Công thức chưa có giá trị",
    "legacy_encoding_converted": "Phông chữ cũ (đã chuyển)", "legacy_encoding_suspect": "Phông chữ cũ (chưa chắc)",
    "hidden_rows_counted": "Dòng ẩn vẫn được tính", "sheet_hidden_skipped": "Trang ẩn (không đọc)",
    "sheet_template_skipped": "Trang mẫu (không đọc)", "sheet_too_large": "Trang quá lớn",
    "sheet_unrecognised": "Trang không nhận ra", "book_no_data": "Sổ không có số liệu",
    "duplicate_column": "Hai cột trùng tên", "missing_columns": "Thiếu cột",
    "header_ambiguous": "Cột ngày chưa rõ nghĩa",
    "registration_data_missing": "Thiếu số liệu đăng ký", "report_date_not_recorded": "Sổ thiếu cột ngày nộp báo cáo",
    "report_filed_undated": "Đã nộp báo cáo nhưng không ghi ngày",
    "date_year_unlikely": "Năm của ngày đi khác hẳn năm của sổ",
    "summary_days_differ": "Trang tổng hợp của Ban lệch", "summary_name_unknown": "Tên ở trang tổng hợp không có",
    "office_department_unknown": "Tên Ban trong office.yaml không có", "rules_plan_missing": "Bộ quy tắc thiếu kế hoạch",
    "accounting_mismatch": "Lỗi đếm dòng của chương trình", "roster_homonym": "Hai cán bộ trùng tên",
    "ambiguous_name": "Tên trùng, chưa rõ là ai", "folder_unreadable": "Thư mục không đọc được",
    "path_too_long": "Đường dẫn quá dài", "dates_maybe_swapped": "Ngày có thể bị đảo ngày/tháng",
}
_ISSUE_KIND_PREFIXES = {"bad_date_": "Ngày không đọc được", "file_": "Tệp không đọc được"}


def issue_kind(code: str) -> str:
    """`unknown_name` -> `Tên không có trong danh sách cán bộ` (never the code itself)."""
    if code in ISSUE_KINDS:
        return ISSUE_KINDS[code]
    return next((label for prefix, label in _ISSUE_KIND_PREFIXES.items() if code.startswith(prefix)), "Khác")


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _rounded(value: float | Decimal, decimals: int) -> Decimal:
    """Round half up (as people do by hand), not half to even."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def number(n: float | Decimal, decimals: int = 0) -> str:
    """`1540` -> `1.540`; `58.333, 1` -> `58,3`; `-1234.5, 1` -> `-1.234,5`."""
    d = _rounded(n, decimals)
    sign = "-" if d < 0 else ""
    text = f"{abs(d):.{decimals}f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return f"{sign}{out},{frac}" if frac else f"{sign}{out}"


def percent(share: float, decimals: int = 1) -> str:
    """A share in 0..1 as a percentage: `0.8333` -> `83,3%`; whole values lose
    their decimals: `1.0` -> `100%`, `0.5` -> `50%`."""
    d = _rounded(Decimal(str(share)) * 100, decimals)
    if d == d.to_integral_value():
        return f"{number(int(d))}%"
    return f"{number(d, decimals)}%"


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def dmy(value: date | datetime | str | None) -> str:
    """`2021-01-05` (date or ISO text) -> `05/01/2021`; None or "" -> ""."""
    if value is None or value == "":
        return ""
    return _as_date(value).strftime("%d/%m/%Y")


def roman(n: int) -> str:
    """1 -> I, 4 -> IV, 12 -> XII."""
    if n <= 0:
        raise ValueError(f"roman numerals start at 1, got {n}")
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def quarter_label(quarter: str) -> str:
    """`2020-Q2` -> `Quý II/2020`."""
    year, _, q = quarter.partition("-Q")
    if not (year.isdigit() and q.isdigit() and 1 <= int(q) <= 4):
        raise ValueError(f"not a quarter label like 2020-Q2: {quarter!r}")
    return f"Quý {roman(int(q))}/{year}"


def month_label(month: str) -> str:
    """`2020-04` -> `tháng 4/2020` (no leading zero in running text)."""
    year, _, m = month.partition("-")
    return f"tháng {int(m)}/{year}"


def place_date(place: str, value: date | datetime | str) -> str:
    """`Vĩnh Phúc, ngày 05 tháng 01 năm 2021`: leading zero for days below 10 and
    months 1-2 only (`tháng 02` but `tháng 3`)."""
    d = _as_date(value)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def fraction(a: int, b: int) -> str:
    """`9, 13` -> `9/13`; never zero-padded (`09/13` reads as a date)."""
    return f"{number(a)}/{number(b)}"


def lower_first(clause: str) -> str:
    """`Nghỉ thai sản …` -> `nghỉ thai sản …`; an acronym (`BHXH`) or a digit stays."""
    word = clause.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:] == word[1:].lower():
        return clause[0].lower() + clause[1:]
    return clause


def clause_join(clauses: list[str]) -> str:
    """Clauses of one sentence joined by "; ", no capital after a semicolon:
    `["Nghỉ công tác từ 01/10/2020", "Chỉ tiêu …"]` -> `Nghỉ công tác từ 01/10/2020; chỉ tiêu …`."""
    parts = [c.strip().rstrip(".;") for c in clauses if c and c.strip()]
    return "; ".join(parts[:1] + [lower_first(c) for c in parts[1:]])


def sentences(parts: list[str]) -> str:
    """Whole sentences one after the other, each ending with a full stop."""
    out = []
    for p in parts:
        p = p.strip()
        if p:
            out.append(p if p[-1] in ".!?…" else p + ".")
    return " ".join(out)


def at_risk_names(summary: dict) -> set[tuple[str, str]] | None:
    """(name, Ban) of the cadres behind the target to date in a progress run (a month, a
    quarter; two cadres of the same name are two people); None for a year."""
    if summary.get("period", {}).get("kind", "year") == "year":
        return None
    return {(a["name"], a.get("department", "")) for a in summary.get("progress", {}).get("at_risk", [])}


def cadre_result(cadre: dict, at_risk: set[tuple[str, str]] | None) -> str:
    """A cadre's "Kết quả", the same in the Word report and the workbook: exempt, met, then
    for a year "Chưa đạt" and for a progress run (`at_risk_names`) behind or on track."""
    if cadre.get("exempt"):
        return "Miễn"
    if cadre.get("met"):
        return "Đạt"
    if at_risk is None:
        return "Chưa đạt"
    return "Chậm tiến độ" if (cadre["name"], cadre.get("department", "")) in at_risk else "Đúng tiến độ"
