from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicoso.text.dates import YearHint, in_order, parse_date, parse_range, parse_submitted

EPOCH = date(1899, 12, 30)
HOW = "Nhập theo dạng ngày/tháng/năm, ví dụ 05/08/2020."
HOW_RANGE = "Nhập theo dạng 05/08/2020 - 07/08/2020, hoặc một ngày 05/08/2020 nếu đi trong ngày."
plausible_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


# --- parse_date ----------------------------------------------------------------


def test_day_first_never_month_first():
    assert parse_date("05/08/2020") == (date(2020, 8, 5), None)
    assert parse_date("12/01/2021") == (date(2021, 1, 12), None)
    assert parse_date("08/05/2020") == (date(2020, 5, 8), None)


def test_month_first_looking_text_is_rejected_not_swapped():
    assert parse_date("08/25/2020") == (
        None,
        f'Không hiểu ngày "08/25/2020": không có tháng 25. {HOW}',
    )


def test_text_date_formats():
    expected = date(2020, 8, 5)
    for text in [
        "05/08/2020",
        "5/8/2020",
        "5/8/20",
        "05-08-2020",
        "05.08.2020",
        " 05 / 08 / 2020 ",
        "ngày 05 tháng 8 năm 2020",
        "Ngày 5 tháng 08 năm 2020",
        "ngày 05/08/2020",
        "2020-08-05",
        "2020-08-05 00:00:00",
        "05/08/2020\u00a0",
    ]:
        assert parse_date(text) == (expected, None), text


def test_two_digit_year_is_2000s():
    assert parse_date("1/2/99") == (date(2099, 2, 1), None)


def test_day_month_without_year_uses_hint():
    assert parse_date("05/08", year_hint=2021) == (date(2021, 8, 5), None)
    assert parse_date("05/08") == (None, f'Không hiểu ngày "05/08": thiếu năm. {HOW}')


def test_date_objects_from_calamine_and_pandas():
    assert parse_date(date(2020, 8, 5)) == (date(2020, 8, 5), None)
    assert parse_date(datetime(2020, 8, 5, 14, 30)) == (date(2020, 8, 5), None)
    assert parse_date(pd.Timestamp("2020-08-05 10:00")) == (date(2020, 8, 5), None)


def test_excel_serial_plain_number():
    assert parse_date(43900) == (date(2020, 3, 10), None)
    assert parse_date(43900.0) == (date(2020, 3, 10), None)
    assert parse_date(43900.75) == (date(2020, 3, 10), None)
    assert parse_date(np.int64(43900)) == (date(2020, 3, 10), None)
    assert parse_date("43900") == (date(2020, 3, 10), None)


def test_excel_serial_60_is_the_fake_leap_day():
    assert parse_date(60) == (
        None,
        f'Không hiểu ngày "60": số 60 là ngày 29/02/1900, ngày không có thật trong Excel. {HOW}',
    )


def test_excel_serial_out_of_plausible_range():
    detail = (
        "số 5 không phải là ngày (ngày dạng số của Excel phải từ 32874 đến 73415, "
        "tức 01/01/1990 đến 31/12/2100)"
    )
    assert parse_date(5) == (None, f'Không hiểu ngày "5": {detail}. {HOW}')
    assert parse_date(99999)[0] is None
    assert parse_date(-1)[0] is None


def test_blank_values():
    for blank in [None, "", "   ", "\n", float("nan"), pd.NaT, pd.NA, np.nan]:
        assert parse_date(blank) == (None, None), repr(blank)


def test_impossible_date_rejected_with_raw_text():
    assert parse_date("31/02/2020") == (
        None,
        f'Không hiểu ngày "31/02/2020": ngày 31/02/2020 không tồn tại. {HOW}',
    )
    assert parse_date("29/02/2021") == (
        None,
        f'Không hiểu ngày "29/02/2021": ngày 29/02/2021 không tồn tại. {HOW}',
    )
    assert parse_date("01/13/2020") == (
        None,
        f'Không hiểu ngày "01/13/2020": không có tháng 13. {HOW}',
    )


def test_garbage_text_rejected_with_raw_text():
    assert parse_date("x") == (
        None,
        f'Không hiểu ngày "x": không đúng dạng ngày/tháng/năm. {HOW}',
    )
    assert parse_date("tháng 8") == (
        None,
        f'Không hiểu ngày "tháng 8": thiếu tháng và năm. {HOW}',
    )


def test_dates_outside_1900_2100_rejected():
    assert parse_date("28/02/1900") == (
        None,
        f'Không hiểu ngày "28/02/1900": ngày nằm ngoài khoảng chương trình nhận (01/03/1900–31/12/2100), '
        f"có thể gõ nhầm năm. {HOW}",
    )
    assert parse_date(date(2101, 1, 1)) == (
        None,
        f'Không hiểu ngày "2101-01-01": ngày nằm ngoài khoảng chương trình nhận (01/03/1900–31/12/2100), '
        f"có thể gõ nhầm năm. {HOW}",
    )
    assert parse_date("01/03/1900") == (date(1900, 3, 1), None)


def test_non_date_types_rejected():
    assert parse_date(True)[0] is None
    assert parse_date(timedelta(days=1))[0] is None


# --- parse_submitted -----------------------------------------------------------


def test_not_filed_words():
    for text in [
        "chưa nộp",
        "Chưa nộp",
        "chưa",
        "chưa có",
        "không",
        "-",
        "  ",
        None,
        "Chưa nộp.",
    ]:
        assert parse_submitted(text) == (None, None), repr(text)


def test_submitted_x_is_not_a_not_filed_word():
    assert parse_submitted("x") == (
        None,
        f'Không hiểu ngày "x": không đúng dạng ngày/tháng/năm. {HOW}',
    )


def test_submitted_date():
    assert parse_submitted("10/08/2020") == (date(2020, 8, 10), None)
    assert parse_submitted("10/08", year_hint=2020) == (date(2020, 8, 10), None)
    assert parse_submitted(44053) == (date(2020, 8, 10), None)


# --- parse_range ---------------------------------------------------------------


def test_range_short_start_takes_year_from_end():
    assert parse_range("05/08 - 07/08/2020") == (
        date(2020, 8, 5),
        date(2020, 8, 7),
        None,
    )


def test_range_words_tu_ngay_den_ngay():
    assert parse_range("Từ ngày 5/8/2020 đến ngày 7/8/2020") == (
        date(2020, 8, 5),
        date(2020, 8, 7),
        None,
    )


def test_range_full_dates_and_separators():
    expected = (date(2020, 8, 14), date(2020, 8, 16), None)
    for text in [
        "14/8/2020 - 16/8/2020",
        "14/8/2020-16/8/2020",
        "14/8/2020 – 16/8/2020",
        "14/8/2020 — 16/8/2020",
        "14/8/2020 -> 16/8/2020",
        "14/8/2020 đến 16/8/2020",
        "14/8/2020\n-\n16/8/2020",
        "  14/8/2020   -   16/8/2020 ",
        "14-08-2020 - 16-08-2020",
        "14-08-2020-16-08-2020",
        "2020-08-14 - 2020-08-16",
    ]:
        assert parse_range(text) == expected, text


def test_range_short_start_across_month():
    assert parse_range("28/02-03/3/2020") == (date(2020, 2, 28), date(2020, 3, 3), None)


def test_range_days_only_start():
    assert parse_range("05-07/8/2020") == (date(2020, 8, 5), date(2020, 8, 7), None)
    assert parse_range("5-7/12", year_hint=2020) == (
        date(2020, 12, 5),
        date(2020, 12, 7),
        None,
    )


def test_range_crossing_year_end():
    expected = (date(2020, 12, 28), date(2021, 1, 2), None)
    assert parse_range("28/12/2020 - 02/01/2021") == expected
    assert parse_range("28/12 - 02/01/2021") == expected


def test_range_without_any_year_starts_in_the_book_s_year_and_crosses_into_the_next():
    crossing = (date(2020, 12, 28), date(2021, 1, 2), None)
    assert parse_range("28/12 - 02/01", year_hint=2020) == crossing  # a year book of 2020
    assert parse_range("28/12 - 02/01", year_hint=YearHint(2020, 12, 12)) == crossing  # its December
    assert parse_range("28/12 - 02/01", year_hint=YearHint(2021, 1, 1)) == crossing  # January of 2021
    assert parse_range("28/12/2020 - 02/01") == crossing


def test_a_date_without_a_year_takes_the_book_s_year_or_the_neighbour_next_to_its_months():
    december, january = YearHint(2020, 12, 12), YearHint(2021, 1, 1)
    assert parse_date("02/01", december) == (date(2021, 1, 2), None)
    assert parse_date("28/12", january) == (date(2020, 12, 28), None)
    assert parse_date("05/03", december) == (date(2020, 3, 5), None)  # far from December: the book's year
    assert parse_date("02/01", 2020) == (date(2020, 1, 2), None)  # a year book: always its year
    assert parse_date("15/01", YearHint(2020, 10, 12)) == (date(2021, 1, 15), None)  # fourth quarter


def test_dates_of_a_row_put_in_order_only_by_moving_a_date_typed_without_a_year():
    assert in_order(date(2020, 12, 28), date(2020, 1, 2), "28/12", "02/01") == (date(2020, 12, 28), date(2021, 1, 2))
    assert in_order(date(2021, 12, 28), date(2021, 1, 2), "28/12", "02/01/2021") == \
        (date(2020, 12, 28), date(2021, 1, 2))
    assert in_order(date(2020, 12, 30), date(2020, 1, 5), None, "05/01") == (date(2020, 12, 30), date(2021, 1, 5))
    # typed years, or too far apart: left for the engine to report
    assert in_order(date(2020, 12, 28), date(2020, 1, 2), "28/12/2020", "02/01/2020") == \
        (date(2020, 12, 28), date(2020, 1, 2))
    assert in_order(date(2020, 8, 15), date(2020, 7, 10), "15/08", "10/07") == (date(2020, 8, 15), date(2020, 7, 10))
    assert in_order(date(2020, 12, 30), date(2020, 1, 5), None, date(2020, 1, 5)) == \
        (date(2020, 12, 30), date(2020, 1, 5))


def test_range_end_without_year_takes_start_year():
    assert parse_range("05/08/2020 - 07/08") == (
        date(2020, 8, 5),
        date(2020, 8, 7),
        None,
    )


def test_range_without_year_uses_hint():
    assert parse_range("05/08 - 07/08", year_hint=2021) == (
        date(2021, 8, 5),
        date(2021, 8, 7),
        None,
    )
    assert parse_range("05/08 - 07/08") == (
        None,
        None,
        f'Không hiểu thời gian "05/08 - 07/08": thiếu năm. {HOW_RANGE}',
    )


def test_single_date_is_one_day_trip():
    assert parse_range("05/08/2020") == (date(2020, 8, 5), date(2020, 8, 5), None)
    assert parse_range("05-08-2020") == (date(2020, 8, 5), date(2020, 8, 5), None)
    assert parse_range(43900) == (date(2020, 3, 10), date(2020, 3, 10), None)
    assert parse_range(datetime(2020, 8, 5)) == (
        date(2020, 8, 5),
        date(2020, 8, 5),
        None,
    )


def test_range_start_after_end_is_returned_for_the_engine():
    assert parse_range("07/08 - 05/08/2020") == (
        date(2020, 8, 7),
        date(2020, 8, 5),
        None,
    )
    # A far-apart month is a typo, not a trip across the year end.
    assert parse_range("15/08 - 10/07/2020") == (
        date(2020, 8, 15),
        date(2020, 7, 10),
        None,
    )


def test_range_blank():
    assert parse_range(None) == (None, None, None)
    assert parse_range("  \n ") == (None, None, None)


def test_range_unparsable_rejected_with_raw_text():
    assert parse_range("đầu tháng 8") == (
        None,
        None,
        f'Không hiểu thời gian "đầu tháng 8": không tách được ngày bắt đầu và ngày kết thúc. {HOW_RANGE}',
    )
    assert parse_range("5/8/2020 đến 31/02/2020") == (
        None,
        None,
        (
            'Không hiểu thời gian "5/8/2020 đến 31/02/2020": ngày kết thúc sai '
            f"(ngày 31/02/2020 không tồn tại). {HOW_RANGE}"
        ),
    )
    assert parse_range("05/08 - 06/08 - 07/08/2020") == (
        None,
        None,
        f'Không hiểu thời gian "05/08 - 06/08 - 07/08/2020": ghi nhiều hơn hai ngày. {HOW_RANGE}',
    )
    assert parse_range("31/02/2020") == (
        None,
        None,
        f'Không hiểu ngày "31/02/2020": ngày 31/02/2020 không tồn tại. {HOW}',
    )


# --- properties ----------------------------------------------------------------


@given(plausible_dates)
def test_parse_date_idempotent_over_representations(d):
    serial = (d - EPOCH).days
    results = {
        parse_date(d),
        parse_date(datetime(d.year, d.month, d.day)),
        parse_date(f"{d.day:02d}/{d.month:02d}/{d.year}"),
        parse_date(f"{d.day}/{d.month}/{d.year}"),
        parse_date(serial),
        parse_date(str(serial)),
        parse_date(parse_date(d)[0]),
    }
    assert results == {(d, None)}


@given(plausible_dates.filter(lambda d: d.day <= 12))
def test_day_first_property_never_swapped(d):
    parsed, reason = parse_date(f"{d.day:02d}/{d.month:02d}/{d.year}")
    assert reason is None
    assert (parsed.day, parsed.month) == (d.day, d.month)


@given(plausible_dates, st.integers(min_value=0, max_value=60))
def test_range_round_trip(start, length):
    end = start + timedelta(days=length)
    if end.year > 2100:
        return
    text = (
        f"{start.day:02d}/{start.month:02d} - {end.day:02d}/{end.month:02d}/{end.year}"
    )
    assert parse_range(text) == (start, end, None)


@pytest.mark.parametrize("sep", ["-", "–", "đến", "->"])
def test_range_separator_variants(sep):
    assert parse_range(f"1/3/2020 {sep} 2/3/2020") == (
        date(2020, 3, 1),
        date(2020, 3, 2),
        None,
    )
