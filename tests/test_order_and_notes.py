"""The order the organisation reads its people in, and notes that give the reasons of a
quota, as the report and the workbook show them (they render summary.json's order)."""

from __future__ import annotations

from datetime import date

from dicoso.rules.order import CadreOrder

from engine_builders import cadre, codes, row, ruleset, run

# A roster typed as offices do: Ban mixed, the Phó Bí thư above the Bí thư, a chuyên viên
# above the Trưởng ban, a position with a suffix, one that is no rank at all.
ROSTER = [
    cadre("Lê Văn Chuyên", "Ban Tuyên giáo", "Chuyên viên"),
    cadre("Trần Thị Phó", "Văn phòng", "Phó Bí thư Tỉnh đoàn"),
    cadre("Đào Văn Trưởng", "Ban Tuyên giáo", "Ủy viên BTV, Trưởng ban"),
    cadre("Nguyễn Văn Bí", "Văn phòng", "Bí thư Tỉnh đoàn"),
    cadre("Phạm Văn Lái", "Văn phòng", "Lái xe"),
    cadre("Hồ Thị Chánh", "Văn phòng", "Chánh Văn phòng"),
    cadre("Vũ Văn Phó", "Ban Tuyên giáo", "Phó Trưởng ban"),
    cadre("Mai Thị Phó", "Văn phòng", "Phó Chánh Văn phòng"),
    cadre("Ân Văn Không", "", "Chuyên viên"),
    cadre("Tô Văn Hai", "Ban Tuyên giáo", "Chuyên viên"),
]


def order_of(comp) -> list[tuple[str, str]]:
    return list(zip(comp.cadres["department"], comp.cadres["name"]))


def test_cadres_by_ban_in_roster_order_then_position_rank_then_roster_order():
    comp = run(ROSTER)
    assert order_of(comp) == [
        ("Ban Tuyên giáo", "Đào Văn Trưởng"), ("Ban Tuyên giáo", "Vũ Văn Phó"),
        ("Ban Tuyên giáo", "Lê Văn Chuyên"), ("Ban Tuyên giáo", "Tô Văn Hai"),
        ("Văn phòng", "Nguyễn Văn Bí"), ("Văn phòng", "Trần Thị Phó"), ("Văn phòng", "Hồ Thị Chánh"),
        ("Văn phòng", "Mai Thị Phó"), ("Văn phòng", "Phạm Văn Lái"),
        ("", "Ân Văn Không")]
    assert [d["department"] for d in comp.departments] == ["Ban Tuyên giáo", "Văn phòng", ""]


def test_ban_in_the_office_order_and_a_typo_in_it_is_said():
    order = CadreOrder(departments=("văn phòng", "Ban Tuyen giao"))  # case is forgiven, a missing accent is not
    comp = run(ROSTER, order=order)
    assert [d["department"] for d in comp.departments] == ["Văn phòng", "Ban Tuyên giáo", ""]
    [issue] = [i for i in comp.issues if i.code == "office_department_unknown"]
    assert issue.severity == "warning" and issue.file == "templates/office.yaml"
    assert 'Ban "Ban Tuyen giao"' in issue.message and '"Ban Tuyên giáo"' in issue.suggestion
    assert ("templates/office.yaml", None, "office_department_unknown") in codes(comp)


def test_the_office_can_rank_its_own_positions():
    order = CadreOrder(ranks=("Lái xe", "Chuyên viên"))
    comp = run(ROSTER, order=order)
    assert [n for d, n in order_of(comp) if d == "Văn phòng"][:1] == ["Phạm Văn Lái"]


def test_rank_is_the_whole_title_not_a_word_inside_it():
    order = CadreOrder()
    assert order.rank("Phó Bí thư Tỉnh đoàn") == order.ranks.index("Phó Bí thư")
    assert order.rank("PHÓ TRƯỞNG BAN") == order.ranks.index("Phó Trưởng ban")
    assert order.rank("Phó Chánh Văn phòng") == order.ranks.index("Phó Chánh Văn phòng")
    assert order.rank("Ủy viên BTV, Trưởng ban") == order.ranks.index("Trưởng ban")
    assert order.rank("Thư ký") == len(order.ranks)


# --- notes that give reasons ------------------------------------------------------------
def notes(name: str, roster: list[dict], **kw) -> list[str]:
    return row(run(roster, **kw), name)["notes"]


def test_end_of_service_is_named_with_the_first_day_off():
    # the roster's last day is 30/09: off from 01/10; 01/03-30/09 = 214 of 306 days -> ceil(41.96) = 42
    assert notes("An", [cadre("An", end="30/9/2020")]) == [
        "Nghỉ công tác từ 01/10/2020; chỉ tiêu tính theo thời gian công tác: 42 ngày."]


def test_start_of_service_and_leave_together_in_date_order():
    # 01/07-31/12 = 184 days, minus 01/08-30/09 (61) = 123 -> ceil(24.1) = 25
    assert notes("An", [cadre("An", start="1/7/2020", ex_from="1/8/2020", ex_to="30/9/2020", reason="Nghỉ ốm")]) == [
        "Bắt đầu công tác từ 01/07/2020; nghỉ ốm từ 01/08/2020 đến 30/09/2020; "
        "chỉ tiêu tính theo thời gian công tác: 25 ngày."]


def test_leave_without_a_reason_or_an_end():
    assert notes("An", [cadre("An", ex_from="1/12/2020")]) == [
        "Miễn đi cơ sở từ 01/12/2020; chỉ tiêu tính theo thời gian công tác: 54 ngày."]


def test_a_full_year_in_service_has_no_quota_note():
    assert notes("An", [cadre("An", start="1/1/2015", ex_from="1/6/2019", ex_to="1/12/2019", reason="Thai sản")]) == []


def test_a_cadre_off_all_year_has_no_quota_and_says_why():
    assert notes("An", [cadre("An", ex_from="1/1/2020", ex_to="31/12/2020", reason="Đi học dài hạn")],
                 rs=ruleset(), as_of=date(2021, 1, 5)) == [
        "Đi học dài hạn từ 01/01/2020 đến 31/12/2020; không có ngày công tác trong kỳ tính nên không tính chỉ tiêu "
        "năm 2020."]
