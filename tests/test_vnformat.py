from datetime import date

import pytest

from dicoso.text import vn as vf


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1540, 0, "1.540"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1234567, 0, "1.234.567"),
        (58.333, 1, "58,3"),
        (58.35, 1, "58,4"),  # half up, not half to even
        (60.0, 1, "60,0"),
        (-1234.5, 1, "-1.234,5"),
        (2.5, 0, "3"),
    ],
)
def test_number(value, decimals, expected):
    assert vf.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0.8333, "83,3%"), (1.0, "100%"), (0.5, "50%"), (0.0, "0%"), (0.9166, "91,7%"), (0.99999, "100%")],
)
def test_percent(share, expected):
    assert vf.percent(share) == expected


def test_percent_decimals():
    assert vf.percent(0.83333, 2) == "83,33%"


def test_dates():
    assert vf.dmy(date(2021, 1, 5)) == "05/01/2021"
    assert vf.dmy("2020-12-31") == "31/12/2020"
    assert vf.dmy(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 1, 5), "Vĩnh Phúc, ngày 05 tháng 01 năm 2021"),
        (date(2021, 2, 15), "Vĩnh Phúc, ngày 15 tháng 02 năm 2021"),
        (date(2020, 3, 9), "Vĩnh Phúc, ngày 09 tháng 3 năm 2020"),
        (date(2020, 12, 31), "Vĩnh Phúc, ngày 31 tháng 12 năm 2020"),
    ],
)
def test_place_date(value, expected):
    assert vf.place_date("Vĩnh Phúc", value) == expected


def test_quarter_and_roman():
    assert vf.quarter_label("2020-Q2") == "Quý II/2020"
    assert vf.quarter_label("2021-Q4") == "Quý IV/2021"
    assert [vf.roman(i) for i in (1, 3, 4, 9, 14)] == ["I", "III", "IV", "IX", "XIV"]
    with pytest.raises(ValueError):
        vf.quarter_label("2020-Q5")


def test_fraction_and_month():
    assert vf.fraction(1, 13) == "1/13"  # never "01/13": it reads as a date
    assert vf.fraction(0, 3) == "0/3"
    assert vf.fraction(11, 12) == "11/12"
    assert vf.fraction(1200, 1300) == "1.200/1.300"
    assert vf.month_label("2020-04") == "tháng 4/2020"


def test_clauses_take_no_capital_after_a_semicolon():
    assert vf.clause_join(["Nghỉ thai sản từ 01/06/2020 đến 30/11/2020", "Chỉ tiêu tính theo thời gian công tác: 25 ngày"]) \
        == "Nghỉ thai sản từ 01/06/2020 đến 30/11/2020; chỉ tiêu tính theo thời gian công tác: 25 ngày"
    assert vf.clause_join(["Bắt đầu công tác từ 01/07/2020", "BHXH chi trả."]) == "Bắt đầu công tác từ 01/07/2020; BHXH chi trả"
    assert vf.sentences(["Còn thiếu 2 ngày", "3 ngày trùng giữa các chuyến đi chỉ tính một lần."]) \
        == "Còn thiếu 2 ngày. 3 ngày trùng giữa các chuyến đi chỉ tính một lần."
