"""People and figures that must agree: two cadres with one name are two people (told apart
by their Ban, never guessed); a fraction and its percentage count the same cadres and
name those left out; a shortfall says which level it is at; a cadre exempt for the whole
year is not "chưa đăng ký"."""

from __future__ import annotations

import json
from dataclasses import replace

import openpyxl
import pandas as pd

from dicoso.render import sentences
from dicoso.render.sentences import left_out, shortfall
from dicoso.rules.engine import compute
from dicoso.rules.roster import names_ban
from dicoso.rules.summary import build

from conftest import AS_OF, AS_OF_ARGS, RULES, cli, docx_text, drop_folder
from engine_builders import YEAR_2020, cadre, codes, read_result, registration, ruleset, run, trip

HUNG = "Nguyễn Văn Hùng"
VP, BTG = "Văn phòng", "Ban Tuyên giáo"
ROSTER = [cadre(HUNG, VP, "Bí thư"), cadre(HUNG, BTG, "Chuyên viên")]


def person(comp, name: str, department: str) -> dict:
    hits = comp.cadres[(comp.cadres["name"] == name) & (comp.cadres["department"] == department)]
    assert len(hits) == 1, list(zip(comp.cadres["name"], comp.cadres["department"]))
    return hits.iloc[0].to_dict()


# --- two people, one name ---------------------------------------------------------------------
def test_two_cadres_with_the_same_name_in_two_bans_are_two_people_told_apart_by_the_ban_s_folder():
    comp = run(ROSTER, [
        trip(HUNG, "5/8/2020", "7/8/2020", file="Van phong/VP thang 08-2020.xlsx"),
        trip(HUNG, "5/8/2020", "7/8/2020", file="Ban Tuyen giao/BTG thang 08-2020.xlsx"),  # the same days: not a copy
        trip(HUNG, "10/8/2020", "10/8/2020", file="Ban Tuyen giao/BTG thang 08-2020.xlsx"),
    ])
    assert (person(comp, HUNG, VP)["counted_days"], person(comp, HUNG, BTG)["counted_days"]) == (3, 4)
    assert codes(comp) == [("danh-sach.xlsx", 4, "roster_homonym")]
    [note] = [i for i in comp.issues if i.code == "roster_homonym"]
    assert note.message == ('Danh sách cán bộ có 2 người cùng tên "Nguyễn Văn Hùng" ở Văn phòng và Ban Tuyên giáo: '
                            "tính là 2 người khác nhau, phân biệt theo Ban.")
    assert comp.accounting["duplicates_merged"] == 0


def test_a_row_naming_its_ban_belongs_to_that_ban_even_in_another_ban_s_book():
    comp = run(ROSTER, [trip(HUNG, "5/8/2020", "7/8/2020", file="Ban Tuyen giao/BTG.xlsx", department="Văn phòng")])
    assert (person(comp, HUNG, VP)["counted_days"], person(comp, HUNG, BTG)["counted_days"]) == (3, 0)


def test_a_row_that_cannot_be_attributed_is_an_error_naming_both_never_a_guess():
    comp = run(ROSTER, [trip(HUNG, "5/8/2020", "7/8/2020", file="So chung/thang 08.xlsx")])
    assert (person(comp, HUNG, VP)["counted_days"], person(comp, HUNG, BTG)["counted_days"]) == (0, 0)
    [error] = [i for i in comp.issues if i.code == "ambiguous_name"]
    assert (error.severity, error.file, error.row) == ("error", "So chung/thang 08.xlsx", 5)
    assert error.message == ('Tên "Nguyễn Văn Hùng" có 2 người trong danh sách cán bộ: Nguyễn Văn Hùng (Văn phòng) '
                             "và Nguyễn Văn Hùng (Ban Tuyên giáo); không rõ chuyến đi này của ai nên chưa được tính.")
    assert error.suggestion.startswith('Ghi Ban của cán bộ vào cột "Ban" của dòng này')
    assert (comp.accounting["rows_rejected"], comp.accounting["trips_counted"]) == (1, 0)


def test_registrations_of_two_people_with_one_name_are_told_apart_and_the_missing_one_named_with_the_ban():
    regs = [dict(registration(HUNG, q), department=VP) for q in (2, 3, 4)]
    comp = run(ROSTER, [], regs)
    assert [(r["quarter"], r["registered"], r["missing"]) for r in comp.sections["registration_quarters"]] == [
        ("2020-Q2", 1, ["Nguyễn Văn Hùng (Ban Tuyên giáo)"]), ("2020-Q3", 1, ["Nguyễn Văn Hùng (Ban Tuyên giáo)"]),
        ("2020-Q4", 1, ["Nguyễn Văn Hùng (Ban Tuyên giáo)"])]


def test_a_roster_row_of_a_shared_name_without_a_ban_is_rejected_not_given_to_either():
    roster = ROSTER + [cadre(HUNG, "", ex_from="1/6/2020", ex_to="30/6/2020", reason="Ốm")]
    comp = run(roster)
    [error] = [i for i in comp.issues if i.code == "roster_row_ambiguous"]
    assert (error.row, error.severity) == (6, "error")
    assert "Nguyễn Văn Hùng (Văn phòng) và Nguyễn Văn Hùng (Ban Tuyên giáo)" in error.message
    assert person(comp, HUNG, VP)["exemptions"] == [] and person(comp, HUNG, BTG)["exemptions"] == []
    assert comp.accounting["roster_rows"] == {"read": 3, "used": 2, "rejected": 1, "skipped": 0}


def test_the_same_name_twice_in_one_ban_is_still_one_cadre_with_both_exemptions():
    roster = [cadre(HUNG, VP, ex_from="1/4/2020", ex_to="10/4/2020", reason="Ốm"),
              cadre(HUNG, VP, ex_from="1/9/2020", ex_to="5/9/2020", reason="Ốm")]
    comp = run(roster)
    assert len(comp.cadres) == 1 and len(person(comp, HUNG, VP)["exemptions"]) == 2


def test_the_same_name_twice_in_one_ban_with_two_positions_is_counted_once_and_said_so():
    roster = [cadre(HUNG, VP, "Phó Chánh Văn phòng"), cadre(HUNG, VP, "Chuyên viên")]
    comp = run(roster, [trip(HUNG, "5/8/2020", "7/8/2020", file="Van phong/VP.xlsx")])
    [warning] = [i for i in comp.issues if i.code == "roster_duplicate_name"]
    assert (warning.severity, warning.file, warning.row, warning.column) == ("warning", "danh-sach.xlsx", 5,
                                                                             "Họ và tên")
    assert warning.message == ('Tên "Nguyễn Văn Hùng" (Văn phòng) đã có ở dòng 4 (chức vụ khác nhau): hai dòng được '
                               "tính là MỘT cán bộ; chức vụ và thời gian công tác lấy theo dòng đầu.")
    assert '"Nguyễn Văn Hùng (1990)"' in warning.suggestion
    assert len(comp.cadres) == 1 and person(comp, HUNG, VP)["position"] == "Phó Chánh Văn phòng"


def test_a_name_repeated_in_one_list_without_an_exemption_is_said_to_be_counted_once():
    comp = run([cadre(HUNG, VP), cadre(HUNG, VP)])
    assert [i.row for i in comp.issues if i.code == "roster_duplicate_name"] == [5]


def test_a_name_repeated_in_another_file_with_the_same_facts_is_one_cadre_without_a_warning():
    data = read_result([cadre(HUNG, VP)])
    data = replace(data, roster=pd.concat([data.roster, data.roster.assign(file="ban-khac.xlsx")], ignore_index=True))
    comp = compute(data, ruleset(), YEAR_2020, AS_OF)
    assert len(comp.cadres) == 1 and "roster_duplicate_name" not in [i.code for i in comp.issues]


def test_an_alias_may_name_one_of_two_homonyms_by_the_ban():
    data = read_result(ROSTER, [trip("Ng. Văn Hùng", "5/8/2020", "7/8/2020", file="so-chung.xlsx")])
    comp = compute(data, ruleset(), YEAR_2020, AS_OF, {"ng. văn hùng": "Nguyễn Văn Hùng (Ban Tuyên giáo)"})
    assert person(comp, HUNG, BTG)["counted_days"] == 3


def test_a_ban_is_named_by_its_words_without_diacritics_or_by_its_initials():
    assert names_ban("Ban Tuyen giao", "Ban Tuyên giáo")
    assert names_ban("BAN TUYÊN GIÁO", "Ban Tuyên giáo")
    assert names_ban("BTG thang 08-2020", "Ban Tuyên giáo")
    assert names_ban("Ban XDD", "Ban Xây dựng Đoàn")
    assert names_ban("XDD Quy III-2020", "Ban Xây dựng Đoàn")
    assert names_ban("Ban TTN-TH", "Ban Thanh thiếu nhi – Trường học")
    assert names_ban("VP thang 08-2020", "Văn phòng") and names_ban("Van phong", "Văn phòng")
    assert names_ban("Ban Xây dựng Đoàn", "Ban XDĐ")
    assert not names_ban("Ban Phong trào", "Ban Tuyên giáo")
    assert not names_ban("Van phong", "Ban Xây dựng Đoàn")
    assert not names_ban("", "Văn phòng")


def test_a_roster_with_two_nguyen_van_hung_in_two_bans_reports_both(tmp_path, capsys):
    drop, out = drop_folder(tmp_path), tmp_path / "out"
    roster = drop / "Danh sach can bo chuyen trach 2020.xlsx"
    wb = openpyxl.load_workbook(roster)
    wb.active.append([14, HUNG, "Chuyên viên", BTG, "01/01/2019"])
    wb.save(roster)
    book = drop / "Ban Tuyen giao" / "BTG thang 08-2020.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    header = next(r for r in range(1, 10) if ws.cell(r, 2).value == "Họ và tên")
    ws.insert_rows(header + 1)
    for col, value in enumerate([1, HUNG, "Chuyên viên", "18/08/2020 - 22/08/2020", 5, "Đoàn xã Kim Long",
                                 "Xã", "Dự sinh hoạt chi đoàn", "", "25/08/2020"], start=1):
        ws.cell(header + 1, col, value)
    wb.save(book)
    assert [c.value for c in ws[header]][:4] == ["STT", "Họ và tên", "Chức vụ", "Thời gian (đi cơ sở)"]
    assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)[0] == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    hung = {c["department"]: c for c in summary["cadres"] if c["name"] == HUNG}
    assert sorted(hung) == [BTG, VP]
    # the Văn phòng's Hùng keeps his own days (the same dates in the BTG book are another man's trip)
    assert (hung[VP]["counted_days"], hung[BTG]["counted_days"], hung[BTG]["trips"]) == (64, 5, 1)
    assert not [i for i in summary["issues"] if i["code"] in ("duplicate_merged", "ambiguous_name")
                and HUNG in i["message"]]
    text = docx_text(out / "bao-cao-2020.docx")
    assert "chưa đăng ký: Nguyễn Văn Hùng (Ban Tuyên giáo)" in text


# --- a fraction and its percentage ------------------------------------------------------------
BRVT = RULES / "ba-ria-vung-tau-2018-2022.yaml"


def test_met_fraction_and_share_count_the_same_cadres_and_name_the_exempt(tmp_path, capsys):
    """Bà Rịa – Vũng Tàu fully exempts maternity leave: Hoàng Thị Lan is out of the quota."""
    drop, out = drop_folder(tmp_path), tmp_path / "out"
    assert cli(capsys, drop, "--year", "2020", "--rules", BRVT, *AS_OF_ARGS, "--out", out)[0] == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    t = summary["totals"]
    assert (t["cadres"], t["required"], t["exempt"]) == (13, 12, 1)
    text = docx_text(out / "bao-cao-2020.docx")
    assert (f"Có {t['met']}/12 đồng chí đạt chỉ tiêu số ngày đi cơ sở, chiếm 0% (không tính 1 đồng chí được miễn: "
            "Hoàng Thị Lan).") in text
    assert "đồng chí đạt chỉ tiêu (0%; không tính 1 đồng chí được miễn: Hoàng Thị Lan)." in text
    assert "/13 đồng chí đạt" not in text
    assert "Hằng quý, cán bộ chuyên trách" not in text  # no registration rule: no sentence left hanging


def test_left_out_names_exempt_cadres_and_those_without_a_quota():
    cadres = [{"name": "A", "quota": 60}, {"name": "B", "quota": 0, "exempt": True},
              {"name": "C", "quota": 0, "exempt": False}]
    assert left_out(cadres) == (" (không tính 1 đồng chí được miễn: B; 1 đồng chí không có chỉ tiêu trong kỳ: C)")
    assert left_out(cadres[:1]) == ""


def test_a_registration_fraction_names_who_it_leaves_out_and_why():
    r = {"quarter": "2020-Q3", "required": 12, "known": True, "registered": 11, "missing": ["Lê Minh Tuấn"],
         "not_required": [{"name": "Hoàng Thị Lan", "why": "nghỉ thai sản cả quý"},
                          {"name": "Vũ Đức Thắng", "why": "không công tác trong quý"},
                          {"name": "Ngô Văn Tư", "why": "không công tác trong quý"}]}
    assert sentences.registration(r)["text"] == (
        "91,7% (11/12; không tính 1 đồng chí nghỉ thai sản cả quý: Hoàng Thị Lan; 2 đồng chí không công tác "
        "trong quý: Vũ Đức Thắng, Ngô Văn Tư); chưa đăng ký: Lê Minh Tuấn")


def test_left_out_names_an_exempt_namesake_with_the_ban():
    cadres = [{"name": HUNG, "department": VP, "quota": 60},
              {"name": HUNG, "department": BTG, "quota": 0, "exempt": True}]
    assert left_out(cadres) == " (không tính 1 đồng chí được miễn: Nguyễn Văn Hùng (Ban Tuyên giáo))"


# --- a shortfall at a level ------------------------------------------------------------------
LEVELS = [{"key": "chi_doan", "label": "Chi đoàn"}, {"key": "xa", "label": "Xã"}, {"key": "huyen", "label": "Huyện"}]


def test_a_level_shortfall_says_which_level_and_never_contradicts_the_days():
    enough = {"counted_days": 24, "quota": 23, "days_needed": 1, "level_quotas": {"xa": 8}, "by_level": {"xa": 7}}
    assert shortfall(enough, LEVELS) == "đủ tổng số ngày (24/23), còn thiếu 1 ngày ở cấp xã"
    assert shortfall(enough, LEVELS, note=True) == "Đủ tổng số ngày, còn thiếu 1 ngày ở cấp xã"
    both = {"counted_days": 45, "quota": 60, "days_needed": 15, "level_quotas": {"chi_doan": 30, "xa": 20},
            "by_level": {"chi_doan": 23, "xa": 12}}
    assert shortfall(both, LEVELS) == "đạt 45/60 ngày, còn thiếu 15 ngày: 7 ngày ở cấp chi đoàn và 8 ngày ở cấp xã"
    part = {"counted_days": 40, "quota": 60, "days_needed": 20, "level_quotas": {"xa": 20}, "by_level": {"xa": 15}}
    assert shortfall(part, LEVELS) == "đạt 40/60 ngày, còn thiếu 20 ngày (trong đó 5 ngày ở cấp xã)"
    assert shortfall({"counted_days": 55, "quota": 60, "days_needed": 5}, []) == "đạt 55/60 ngày, còn thiếu 5 ngày"


def test_the_year_report_says_a_level_shortfall_at_its_level(tmp_path, capsys):
    drop, out = drop_folder(tmp_path), tmp_path / "out"
    assert cli(capsys, drop, "--year", "2020", "--rules", BRVT, *AS_OF_ARGS, "--out", out)[0] == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    nam = next(c for c in summary["cadres"] if c["name"] == "Nguyễn Văn Nam")
    assert nam["counted_days"] >= nam["quota"] and not nam["met"]
    text = docx_text(out / "bao-cao-2020.docx")
    gap = nam["level_quotas"]["xa"] - nam["by_level"]["xa"]
    assert (f"+ Đồng chí Nguyễn Văn Nam (Ban Tuyên giáo): đủ tổng số ngày ({nam['counted_days']}/{nam['quota']}), "
            f"còn thiếu {gap} ngày ở cấp xã;") in text
    assert f"Đủ tổng số ngày, còn thiếu {gap} ngày ở cấp xã." in text  # Phụ lục I


# --- exempt for the year: nothing to register ---------------------------------------------------------
def test_a_cadre_exempt_for_the_whole_year_is_not_listed_as_not_registered():
    rs = ruleset(full_exemptions=[{"reasons": ["thai sản"]}])
    roster = [cadre("Hoàng Thị Lan", BTG, ex_from="1/6/2020", ex_to="30/11/2020", reason="Nghỉ thai sản"),
              cadre("Đặng Thị Thủy", BTG)]
    regs = [registration("Đặng Thị Thủy", q) for q in (2, 3, 4)]
    comp = run(roster, [], regs, rs=rs)
    assert [(r["quarter"], r["required"], r["missing"]) for r in comp.sections["registration_quarters"]] == [
        ("2020-Q2", 1, []), ("2020-Q3", 1, []), ("2020-Q4", 1, [])]
    summary = build(comp, rs, YEAR_2020, AS_OF)
    assert summary["registration"][0]["registered"] == 1


def test_what_changed_tells_two_people_of_one_name_apart():
    from dicoso.publish.changes import diff

    def summary(vp_days: int, btg_days: int) -> dict:
        return {"cadres": [{"name": HUNG, "department": VP, "counted_days": vp_days, "met": False},
                           {"name": HUNG, "department": BTG, "counted_days": btg_days, "met": False}], "issues": []}

    manifest = {"period": {"label": "2020"}, "inputs": [], "rules": {"sha256": "x"}}
    changes = diff(manifest, summary(10, 5), manifest, summary(10, 8))
    assert [c["text"] for c in changes] == ["Nguyễn Văn Hùng (Ban Tuyên giáo): số ngày đi cơ sở 5 → 8"]
