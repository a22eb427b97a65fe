"""Day-first date and date-range parsing for the cells of the registers.

Vietnamese offices always write the day first, so "05/08/2020" is 5 August and
an impossible day-first date (31/02/2020) is an error, never a hint that the
text might be month-first. Numbers are Excel serials in the 1900 date system
(a date cell that lost its format shows as 43900). Every function returns a
Vietnamese reason, quoting the raw text, instead of raising.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache, wraps
from typing import Any, NamedTuple

from .clean import cell_text, clean, is_blank, lower
from .excel import EPOCH as SERIAL_EPOCH
from .vn import dmy

MIN_DATE = date(1900, 3, 1)  # before this Excel's fake 1900-02-29 shifts serials
MAX_DATE = date(2100, 12, 31)
# Only dates a register can plausibly hold are accepted as serials: a small
# number in a date column is more likely a day count typed in the wrong place.
MIN_SERIAL = (date(1990, 1, 1) - SERIAL_EPOCH).days  # 32874
MAX_SERIAL = (MAX_DATE - SERIAL_EPOCH).days  # 73415
# A trip crossing a year end ("28/12 - 02/01/2021") is only assumed when the
# start, moved to the previous year, lies this close before the end.
MAX_YEAR_CROSSING_DAYS = 92
# A date typed without a year takes the book's year, or the next or previous one when that
# puts it at most this close to the months the book names ("02/01" in a December book).
NEIGHBOUR_YEAR_DAYS = 31

HOW_DATE = "Nhập theo dạng ngày/tháng/năm, ví dụ 05/08/2020."
HOW_RANGE = "Nhập theo dạng 05/08/2020 - 07/08/2020, hoặc một ngày 05/08/2020 nếu đi trong ngày."

NOT_FILED = {
    "chưa nộp",
    "chưa",
    "chưa có",
    "không",
    "không nộp",
    "chưa nộp báo cáo",
    "chưa báo cáo",
    "chưa nộp bc",
    "-",
    "--",
    "–",
    "—",
}

# A "Ngày nộp báo cáo" cell saying the report was filed, without its date (a tick, "Đã nộp"):
# filed, but on time or late is not known.
FILED_UNDATED = {"đã nộp", "đã nộp báo cáo", "đã nộp bc", "đã báo cáo", "đã bc", "đã gửi", "đã gửi báo cáo", "nộp rồi",
                 "đã có", "có", "rồi", "x", "v", "✓", "✔", "✔️", "+"}


def filed_undated(value: object) -> bool:
    """Whether a report-date cell says "filed" without saying when (FILED_UNDATED)."""
    return isinstance(value, str) and lower(value).strip(" .!") in FILED_UNDATED


_WORDS = re.compile(r"\b(?:từ|ngày|tháng|năm|hết)\b")
# One separator kind per date: "5-7/12" is a range (5 to 7 December), not 5/7/2012.
_PART = re.compile(r"(\d{1,2})(?:([/.\- ])(\d{1,2})(?:\2(\d{4}|\d{2}))?)?")
_SEP_SPACES = re.compile(r"\s*([/.\-])\s*")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_TIME = re.compile(r"(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_SERIAL_TEXT = re.compile(r"\d+|\d{5,}[.,]\d+")
_RANGE_WORD = re.compile(r"\s*(?:\bđến\b|->|→|=>|–|—|~)\s*")
_SPACED_HYPHEN = re.compile(r"\s+-\s*|\s*-\s+")

Parts = tuple[int, int | None, int | None]  # day, month, year as typed
_MANY = ("\x00", "\x00")  # marker: more than one range separator written out


class YearHint(NamedTuple):  # a tuple: the parsers' cache hashes and compares it per cell value, in C
    """What a book says about the year of the dates typed in it without one: the year its
    title, sheet or file name gives, and the months it names (a December book 12-12, a
    fourth-quarter book 10-12, a year book 1-12)."""

    year: int
    first: int = 1
    last: int = 12

    def year_of(self, day: int, month: int) -> int:
        """The book's year, or its neighbour when only that one puts day/month within
        NEIGHBOUR_YEAR_DAYS of the book's months: in a December 2020 book "02/01" is
        02/01/2021; in a January 2021 book "28/12" is 28/12/2020."""
        lo = date(self.year, self.first, 1)
        hi = date(self.year + self.last // 12, self.last % 12 + 1, 1) - timedelta(days=1)

        def distance(year: int) -> int | None:
            try:
                d = date(year, month, day)
            except ValueError:
                return None
            return max((lo - d).days, (d - hi).days, 0)

        own = distance(self.year)
        if own is None or own == 0:
            return self.year
        near = [(dist, y) for y in (self.year - 1, self.year + 1)
                if (dist := distance(y)) is not None and dist <= NEIGHBOUR_YEAR_DAYS and dist < own]
        return min(near)[1] if near else self.year


Hint = YearHint | int | None


def _hint(year_hint: Hint) -> YearHint | None:
    return YearHint(year_hint) if isinstance(year_hint, int) else year_hint


def _date_reason(raw: str, detail: str) -> str:
    return f'Không hiểu ngày "{raw}": {detail}. {HOW_DATE}'


def _range_reason(raw: str, detail: str) -> str:
    return f'Không hiểu thời gian "{raw}": {detail}. {HOW_RANGE}'


def _check_range(d: date) -> str | None:
    if d < MIN_DATE or d > MAX_DATE:
        return f"ngày nằm ngoài khoảng chương trình nhận ({dmy(MIN_DATE)}–{dmy(MAX_DATE)}), có thể gõ nhầm năm"
    return None


def _from_serial(number: float) -> tuple[date | None, str | None]:
    """Excel 1900-system serial -> date; the detail (no prefix) when refused."""
    if not math.isfinite(number):
        return None, "đây không phải là ngày"
    whole = math.floor(number)
    shown = f"{whole}" if number == whole else f"{number}"
    if whole == 60:
        return None, "số 60 là ngày 29/02/1900, ngày không có thật trong Excel"
    if not MIN_SERIAL <= whole <= MAX_SERIAL:
        return None, (
            f"số {shown} không phải là ngày (ngày dạng số của Excel phải từ {MIN_SERIAL} "
            f"đến {MAX_SERIAL}, tức 01/01/1990 đến 31/12/2100)"
        )
    return SERIAL_EPOCH + timedelta(days=whole), None


def _build(day: int, month: int, year: int) -> tuple[date | None, str | None]:
    """Validated date from day-first parts; the detail (no prefix) when refused."""
    if not 1 <= month <= 12:
        return None, f"không có tháng {month}"
    try:
        d = date(year, month, day)
    except ValueError:
        return None, f"ngày {day:02d}/{month:02d}/{year} không tồn tại"
    problem = _check_range(d)
    return (None, problem) if problem else (d, None)


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _parts(text: str) -> Parts | None:
    """'5/8/2020', '05-08', '5', 'ngày 5 tháng 8 năm 2020', '2020-08-05' -> parts."""
    text = _TIME.sub("", text.strip())
    text = " ".join(_WORDS.sub(" ", text).split()).strip(" ,;:.")
    text = _SEP_SPACES.sub(r"\1", text)
    if m := _ISO.fullmatch(text):
        return int(m[3]), int(m[2]), int(m[1])
    if m := _PART.fullmatch(text):
        return int(m[1]), int(m[3]) if m[3] else None, _full_year(m[4])
    return None


def parse_date(
    value: object, year_hint: Hint = None
) -> tuple[date | None, str | None]:
    """One date cell -> (date, None), (None, None) when blank, (None, reason) when bad.

    A text without a year takes it from `year_hint` (YearHint.year_of), else is refused."""
    if is_blank(value):
        return None, None
    raw = cell_text(value)
    if isinstance(value, datetime):  # also pandas.Timestamp
        value = value.date()
    if isinstance(value, date):
        problem = _check_range(value)
        return (None, _date_reason(raw, problem)) if problem else (value, None)
    if isinstance(value, (time, timedelta, bool)):
        return None, _date_reason(raw, "đây không phải là ngày")
    if isinstance(value, numbers.Real):  # int, float, numpy numbers
        d, problem = _from_serial(float(value))
        return (None, _date_reason(raw, problem)) if problem else (d, None)
    if not isinstance(value, str):
        return None, _date_reason(raw, "đây không phải là ngày")
    text = lower(value)
    if _SERIAL_TEXT.fullmatch(text):
        d, problem = _from_serial(float(text.replace(",", ".")))
        return (None, _date_reason(raw, problem)) if problem else (d, None)
    parts = _parts(text)
    if parts is None:
        return None, _date_reason(raw, "không đúng dạng ngày/tháng/năm")
    day, month, year = parts
    if month is None:
        return None, _date_reason(raw, "thiếu tháng và năm")
    if year is None:
        hint = _hint(year_hint)
        if hint is None:
            return None, _date_reason(raw, "thiếu năm")
        year = hint.year_of(day, month)
    d, problem = _build(day, month, year)
    return (None, _date_reason(raw, problem)) if problem else (d, None)


def parse_submitted(
    value: object, year_hint: Hint = None
) -> tuple[date | None, str | None]:
    """'Ngày nộp báo cáo' cell: like parse_date; blank or 'chưa nộp' -> (None, None)."""
    if isinstance(value, str) and lower(value).strip(" .!") in NOT_FILED:
        return None, None
    return parse_date(value, year_hint)


def _split_candidates(text: str) -> list[tuple[str, str]] | None:
    """Possible (start, end) texts of a range; None when the text is one date.

    A list with several separators written out ("a - b - c") is returned whole,
    so the caller reports it as unparsable.
    """
    for pattern in (_RANGE_WORD, _SPACED_HYPHEN):
        pieces = pattern.split(text)
        if len(pieces) > 1:
            return [(pieces[0], pieces[1])] if len(pieces) == 2 else [_MANY]
    if _parts(text) is not None:
        return None
    # "28/02-03/3/2020", "05-07/8/2020": try every bare hyphen as the separator.
    return [(text[:i], text[i + 1 :]) for i, ch in enumerate(text) if ch == "-"]


def _next_year(d: date) -> date | None:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29/02
        return None


def _after(first: date, then: date) -> date:
    """`then`, read before `first`, moved to the next year when that puts it on or after
    `first` within MAX_YEAR_CROSSING_DAYS; else as it was (a typo the engine reports)."""
    moved = _next_year(then) if then < first else None
    if moved is not None and first <= moved and (moved - first).days <= MAX_YEAR_CROSSING_DAYS:
        return moved
    return then


def _combine(
    start: Parts, end: Parts, year_hint: Hint
) -> tuple[date | None, date | None, str | None]:
    """Fill the missing months and years of a range and build both dates.

    The start's month comes from the end ("05-07/8"); a range without any year takes the
    book's year for its start and crosses into the next year when it must ("28/12 - 02/01"
    in a book of 2020 is 28/12/2020 - 02/01/2021); a start without a year takes the end's,
    or the year before when it crosses ("28/12 - 02/01/2021")."""
    e_day, e_month, e_year = end
    s_day, s_month, s_year = start
    if e_month is None:
        return None, None, "thiếu tháng ở ngày kết thúc"
    month = s_month if s_month is not None else e_month
    end_year_typed = e_year is not None
    if e_year is None:
        if s_year is None:
            hint = _hint(year_hint)
            if hint is None:
                return None, None, "thiếu năm"
            s_year = hint.year_of(s_day, month)
        e_year = s_year  # "05/08/2020 - 07/08"
    end_date, problem = _build(e_day, e_month, e_year)
    if problem:
        return None, None, f"ngày kết thúc sai ({problem})"
    year = s_year if s_year is not None else e_year
    start_date, problem = _build(s_day, month, year)
    if problem:
        return None, None, f"ngày bắt đầu sai ({problem})"
    assert start_date is not None and end_date is not None
    if not end_year_typed:
        end_date = _after(start_date, end_date)
    elif s_year is None and month > e_month:  # "28/12 - 02/01/2021"
        earlier, _ = _build(s_day, month, year - 1)
        if earlier is not None and (end_date - earlier).days <= MAX_YEAR_CROSSING_DAYS:
            start_date = earlier
    return start_date, end_date, None


def _states_year(value: object) -> bool:
    """Whether a date cell gives its year: a date, a serial, or a text with a year (a text
    that is not one date is treated as stating it: it is never moved)."""
    if not isinstance(value, str):
        return True
    parts = _parts(lower(value))
    return parts is None or parts[2] is not None


def in_order(first: date, then: date, first_value: object, then_value: object) -> tuple[date, date]:
    """Two dates of one row that must be in order (start, end; end, report filed) when a cell
    without a year read them the wrong way round: the one typed without a year moves by a
    year when that puts them in order within MAX_YEAR_CROSSING_DAYS ("28/12" | "02/01" in a
    book of 2020: the end is 02/01/2021). Pass `first_value` None to never move `first`."""
    if then >= first:
        return first, then
    if not _states_year(then_value):
        return first, _after(first, then)
    if first_value is not None and not _states_year(first_value) and (first.month, first.day) != (2, 29):
        moved = first.replace(year=first.year - 1)
        if moved <= then and (then - moved).days <= MAX_YEAR_CROSSING_DAYS:
            return moved, then
    return first, then


def parse_range(
    value: object, year_hint: Hint = None
) -> tuple[date | None, date | None, str | None]:
    """One 'Thời gian' cell -> (start, end, None); a single date is a one-day trip.

    Blank -> (None, None, None); unparsable -> (None, None, reason). A start after
    the end is returned as typed: the engine reports it.
    """
    if is_blank(value):
        return None, None, None
    candidates = (
        _split_candidates(lower(value)) if isinstance(value, str) else None
    )
    if candidates is None:  # one date: a one-day trip
        d, reason = parse_date(value, year_hint)
        return (None, None, reason) if reason else (d, d, None)
    raw = cell_text(value)
    results: list[tuple[date | None, date | None, str | None]] = []
    for left, right in candidates:
        start, end = _parts(left), _parts(right)
        if start is not None and end is not None:
            results.append(_combine(start, end, year_hint))
    good = [r for r in results if r[2] is None]
    if len(good) == 1:
        return good[0]
    if candidates == [_MANY]:
        return None, None, _range_reason(raw, "ghi nhiều hơn hai ngày")
    if len(good) > 1:
        return None, None, _range_reason(raw, "có thể hiểu theo nhiều cách")
    if results:
        return None, None, _range_reason(raw, results[0][2] or "")
    return (
        None,
        None,
        _range_reason(raw, "không tách được ngày bắt đầu và ngày kết thúc"),
    )


# --- quarters ----------------------------------------------------------------------
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
QUARTER_RE = re.compile(
    r"(?:quý|quí|q)\s*(iv|iii|ii|i|[1-4])\b(?:\s*[/-]\s*(?:năm\s*)?(\d{4}))?"  # Quý II, Quý 3/2020, Q4
    r"|^\s*(iv|iii|ii|i|[1-4])\s*(?:[/-]\s*(\d{4}))?\s*$",  # II, 2, IV/2020
    re.I,
)


def parse_quarter(value: Any, whole: bool = True) -> tuple[int, int | None] | None:
    """`II`, `2`, `Quý II`, `II/2020`, `Quý 3/2020`, `Q4` -> (quarter, year or None)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (int(value), None) if float(value) in (1.0, 2.0, 3.0, 4.0) else None
    text = clean(value).lower()
    if whole:
        m = QUARTER_RE.fullmatch(text) or QUARTER_RE.fullmatch(text.replace("quý ", "quý"))
    else:
        m = QUARTER_RE.search(text)
        if m and m.group(3):  # a bare numeral only counts when it is the whole text
            m = None
    if not m:
        return None
    q = m.group(1) or m.group(3)
    y = m.group(2) or m.group(4)
    quarter = ROMAN[q.lower()] if q.lower() in ROMAN else int(q)
    return quarter, (int(y) if y else None)


# --- memoised entry points ----------------------------------------------------------
# Registers repeat the same date texts and serials thousands of times; parsing is
# pure, so the results are cached per (type, value, year_hint). The type is part of
# the key because 1 == 1.0 == True hash alike.
_CACHEABLE = (str, int, float, date)


def _memo(fn):
    cached = lru_cache(maxsize=1 << 16)(lambda kind, value, year_hint: fn(value, year_hint))

    @wraps(fn)
    def wrapper(value: object, year_hint: Hint = None):
        if type(value) in _CACHEABLE or isinstance(value, date):
            return cached(type(value), value, year_hint)
        return fn(value, year_hint)

    return wrapper


parse_date = _memo(parse_date)
parse_submitted = _memo(parse_submitted)
parse_range = _memo(parse_range)
