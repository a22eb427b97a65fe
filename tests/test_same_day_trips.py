"""Two trips on the same day are not a duplicate; only the same trip written twice is
(shared/domain.md "One trip"; rules/duplicates.py `merge_duplicates`)."""

from __future__ import annotations

from engine_builders import LEVELS, cadre, codes, row, ruleset, run, trip

AN = "Nguyễn Văn An"


def _codes(comp, code):
    return [i for i in comp.issues if i.code == code]


def test_two_one_day_trips_to_two_places_on_one_day_are_two_trips_whose_day_counts_once():
    comp = run([cadre(AN)], [
        trip(AN, "5/8/2020", "5/8/2020", place="Xã Hợp Thịnh", content="Dự sinh hoạt chi đoàn"),
        trip(AN, "5/8/2020", "5/8/2020", place="Xã Đạo Tú", content="Dự sinh hoạt chi đoàn"),
    ])
    r = row(comp, AN)
    assert (r["counted_days"], r["trips"], r["overlap_days"]) == (1, 2, 1)
    assert comp.accounting["duplicates_merged"] == 0 and comp.accounting["trips_counted"] == 2
    assert comp.totals["trips"] == 2
    # each trip needs its own report: both are overdue (nothing filed, due 15/08/2020)
    assert comp.totals["reports_overdue"] == 2
    assert codes(comp) == [("ban-a.xlsx", 6, "same_day_trips")]
    (note,) = _codes(comp, "same_day_trips")
    assert note.severity == "info"
    assert 'khác địa bàn "Xã Hợp Thịnh" và "Xã Đạo Tú"' in note.message
    assert "trùng ngày với chuyến ở dòng 5 của trang này" in note.message
    assert "tính là hai chuyến" in note.message and "số ngày chỉ tính một lần" in note.message
    assert "xoá" not in note.suggestion.lower() and "xóa" not in note.suggestion.lower()


def test_same_day_trips_with_a_different_content_or_level_are_two_trips():
    comp = run([cadre(AN)], [
        trip(AN, "5/8/2020", "6/8/2020", place="Xã A", content="Khảo sát", level="Xã"),
        trip(AN, "5/8/2020", "6/8/2020", place="Xã A", content="Kiểm tra, giám sát", level="Xã"),
        trip(AN, "5/8/2020", "6/8/2020", place="Xã A", content="Khảo sát", level="Huyện"),
    ])
    assert (row(comp, AN)["trips"], row(comp, AN)["counted_days"]) == (3, 2)
    assert [i.row for i in _codes(comp, "same_day_trips")] == [6, 7]


def test_the_same_trip_written_twice_with_other_case_spacing_and_punctuation_is_one_trip():
    comp = run([cadre(AN)], [
        trip(AN, "5/8/2020", "7/8/2020", place="Xã Hợp Thịnh, huyện Tam Dương", content="Khảo sát", file="t8.xlsx"),
        trip(AN, "5/8/2020", "7/8/2020", place="xã hợp thịnh - Huyện Tam Dương.", content="KHẢO SÁT", file="t9.xlsx"),
    ])
    assert (row(comp, AN)["trips"], row(comp, AN)["counted_days"]) == (1, 3)
    assert codes(comp) == [("t9.xlsx", 5, "duplicate_merged")]


def test_a_copy_that_leaves_the_place_blank_is_the_same_trip_and_the_note_says_so():
    comp = run([cadre(AN)], [
        trip(AN, "5/8/2020", "7/8/2020", place="Xã Hợp Thịnh", content="Khảo sát", file="btg.xlsx"),
        trip(AN, "5/8/2020", "7/8/2020", place="", content="Khảo sát", file="xdd.xlsx"),
    ])
    assert row(comp, AN)["trips"] == 1
    (dup,) = _codes(comp, "duplicate_merged")
    assert "(một trong hai dòng để trống địa bàn)" in dup.message
    assert "xoá" not in dup.suggestion.lower() and "xóa" not in dup.suggestion.lower()
    assert "Không cần sửa" in dup.suggestion


def test_a_place_written_shorter_in_one_book_is_the_same_trip():
    comp = run([cadre(AN)], [
        trip(AN, "5/8/2020", "5/8/2020", place="Huyện đoàn Tam Dương", file="btg.xlsx"),
        trip(AN, "5/8/2020", "5/8/2020", place="Tam Dương", file="xdd.xlsx"),
    ])
    assert row(comp, AN)["trips"] == 1 and comp.accounting["duplicates_merged"] == 1


def test_a_blank_copy_joins_the_first_of_two_same_day_trips_not_both():
    comp = run([cadre(AN)], [
        trip(AN, "5/8/2020", "5/8/2020", place="Xã A", file="a.xlsx"),
        trip(AN, "5/8/2020", "5/8/2020", place="", file="b.xlsx"),
        trip(AN, "5/8/2020", "5/8/2020", place="Xã B", file="c.xlsx"),
    ])
    assert row(comp, AN)["trips"] == 2
    assert [(i.file, i.code) for i in comp.issues if i.code in ("duplicate_merged", "same_day_trips")] == [
        ("b.xlsx", "duplicate_merged"), ("c.xlsx", "same_day_trips")]
    assert comp.accounting["rows_read"] == 3 == comp.accounting["trips_counted"] + comp.accounting["duplicates_merged"]


def test_a_day_shared_by_two_levels_counts_for_the_level_listed_first_whatever_the_row_order():
    rs = ruleset(levels=LEVELS)
    trips = [trip(AN, "5/8/2020", "5/8/2020", place="Huyện đoàn Tam Dương", level="Huyện"),
             trip(AN, "5/8/2020", "5/8/2020", place="Chi đoàn thôn 3", level="Chi đoàn")]
    for order in (trips, trips[::-1]):
        r = row(run([cadre(AN)], order, rs=rs), AN)
        assert (r["trips"], r["counted_days"], r["by_level"]) == (2, 1, {"chi_doan": 1, "xa": 0, "huyen": 0})
