"""What the office sends each Ban, as it is: theo-ban/<Ban>/ with the Ban's problems and
reminders (Excel) and a short official notice (Word, THÔNG BÁO), kept in history and
listed in the manifest like every output."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from dicoso.cli.main import main
from dicoso.render import per_ban
from dicoso.rules.by_ban import issue_departments

from conftest import SAMPLES

NBSP = "\u00a0"
BANS = ["Văn phòng", "Ban Xây dựng Đoàn", "Ban Tuyên giáo", "Ban Phong trào", "Ban Thanh thiếu nhi – Trường học"]


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quy")
    assert main([str(SAMPLES), "--quarter", "2020-Q3", "--as-of", "2020-10-20", "--out", str(out), "-q"]) == 0
    return out


def text(path: Path) -> list[str]:
    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))).replace(NBSP, " ") for p in body.iter(qn("w:p"))]


def sheet(path: Path, name: str) -> list[list]:
    return [list(r) for r in load_workbook(path)[name].iter_rows(values_only=True)]


def test_a_folder_per_ban_with_its_workbook_and_its_notice(quarter):
    folders = sorted(p.name for p in (quarter / "theo-ban").iterdir())
    assert folders == sorted(BANS)
    for ban in BANS:
        assert sorted(p.name for p in (quarter / "theo-ban" / ban).iterdir()) == [
            "thong-bao-2020-Q3.docx", "viec-can-lam-2020-Q3.xlsx"]


def test_a_ban_gets_its_own_problems_only_with_the_problem_list_columns(quarter):
    problems = load_workbook(quarter / "loi-du-lieu-2020-Q3.xlsx")["Lỗi dữ liệu"]
    header = [c.value for c in problems[1]]
    xdd = sheet(quarter / "theo-ban" / "Ban Xây dựng Đoàn" / "viec-can-lam-2020-Q3.xlsx", "Lỗi cần sửa")
    assert xdd[0] == header
    assert any(r[0] == "Ban XDD/XDD Quy III-2020.xlsx" and r[5] == "Tên không có trong danh sách cán bộ" for r in xdd)
    assert all(r[0].startswith("Ban XDD/") for r in xdd[1:])
    assert {r[4] for r in xdd[1:]} <= {"Lỗi", "Cảnh báo"}  # notes need nothing done: not sent
    # the day count typed wrong in a TTN-TH book goes to that Ban only
    for ban in BANS:
        rows = sheet(quarter / "theo-ban" / ban / "viec-can-lam-2020-Q3.xlsx", "Lỗi cần sửa")[1:]
        mismatch = [r for r in rows if r[5] == "Số ngày ghi lệch"]
        assert [r[0] for r in mismatch] == (["Ban TTN-TH/TTN-TH thang 09-2020.xlsx"]
                                            if ban == "Ban Thanh thiếu nhi – Trường học" else []), ban
    summary = json.loads((quarter / "summary.json").read_text(encoding="utf-8"))
    kang = next(i for i in summary["issues"] if "Phạm Quốc Kháng" in i["message"])
    assert kang["department"] == "Ban Xây dựng Đoàn"


def test_a_ban_with_nothing_to_fix_or_do_is_told_so_in_words_not_by_an_empty_table(tmp_path):
    path = tmp_path / "viec-can-lam.xlsx"
    per_ban.write_workbook(per_ban.Ban("Ban Tuyên giáo", "Ban Tuyên giáo", {}, [], []), {"period": {"label": "2020"}}, path,
                   as_of=date(2021, 1, 5))
    assert sheet(path, "Lỗi cần sửa")[1][6] == "Các sổ của Ban Tuyên giáo không có lỗi hay cảnh báo nào cần sửa."
    assert sheet(path, "Nhắc việc")[1][2] == "Không có việc cần nhắc."


def test_reminders_name_who_is_behind_reports_due_and_registration_missing(quarter):
    summary = json.loads((quarter / "summary.json").read_text(encoding="utf-8"))
    vp = sheet(quarter / "theo-ban" / "Văn phòng" / "viec-can-lam-2020-Q3.xlsx", "Nhắc việc")
    assert vp[0] == ["STT", "Họ và tên", "Việc cần làm", "Chi tiết", "Hạn"]
    behind = [a for a in summary["progress"]["at_risk"] if a["department"] == "Văn phòng"]
    assert behind and [r[1] for r in vp[1:] if r[2] == "Chậm tiến độ đi cơ sở"] == [a["name"] for a in behind]
    tuan = next(r for r in vp[1:] if r[1] == "Lê Minh Tuấn" and r[2] == "Chậm tiến độ đi cơ sở")
    a = next(a for a in behind if a["name"] == "Lê Minh Tuấn")
    assert f"còn thiếu {a['days_needed']} ngày" in tuan[3] and tuan[4] == "31/12/2020"
    # Quý IV's registrations are in the folder and complete: nobody is reminded to register
    assert summary["registration_next"]["quarter"] == "2020-Q4" and summary["registration_next"]["missing"] == []
    assert [r for r in vp[1:] if r[2].startswith("Đăng ký")] == []


def test_the_next_quarter_s_registration_is_reminded_to_who_has_not_registered():
    summary = {"period": {"kind": "month", "label": "2020-05"}, "progress": {}, "cadres": [], "reports": {},
               "registration_next": {"quarter": "2020-Q3", "starts": "2020-07-01", "known": True,
                                     "required": [{"name": "An", "department": "Ban A"},
                                                  {"name": "Bình", "department": "Ban B"}],
                                     "missing": [{"name": "Bình", "department": "Ban B"}]}}
    todo = per_ban.reminders(summary, date(2020, 6, 10))
    assert list(todo) == ["Ban B"]
    assert [(r["who"], r["what"], r["by"]) for r in todo["Ban B"]] == [("Bình", "Đăng ký đi cơ sở Quý III/2020",
                                                                        "01/07/2020")]
    assert todo["Ban B"][0]["text"] == ("Đồng chí Bình đăng ký đi cơ sở Quý III/2020 trước ngày 01/07/2020 (chưa có "
                                        "tên trong bảng đăng ký)")


def test_without_the_next_quarter_s_registrations_everyone_due_is_reminded_if_not_done(tmp_path):
    """No registration book of Quý IV in the folder: who has registered is unknown, so each cadre who
    must register is reminded "if not done" (never told they failed to)."""
    drop = tmp_path / "so"
    shutil.copytree(SAMPLES, drop)
    for book in (drop / "Dang ky").glob("*Quy IV*"):
        book.unlink()
    out = tmp_path / "out"
    assert main([str(drop), "--quarter", "2020-Q3", "--as-of", "2020-09-25", "--out", str(out), "-q"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    upcoming = summary["registration_next"]
    assert (upcoming["quarter"], upcoming["known"], upcoming["missing"]) == ("2020-Q4", False, None)
    pt = sheet(out / "theo-ban" / "Ban Phong trào" / "viec-can-lam-2020-Q3.xlsx", "Nhắc việc")
    asked = [r for r in pt[1:] if r[2] == "Đăng ký đi cơ sở Quý IV/2020"]
    assert sorted(r[1] for r in asked) == sorted(w["name"] for w in upcoming["required"]
                                                 if w["department"] == "Ban Phong trào") != []
    assert all("nếu đồng chí chưa đăng ký, đăng ký trước ngày 01/10/2020" in r[3] for r in asked)


def test_reports_overdue_or_due_within_ten_days_are_reminded():
    summary = {"period": {"kind": "month", "label": "2020-05", "start": "2020-05-01", "end": "2020-05-31"},
               "progress": {}, "cadres": [], "registration": [], "registration_next": None,
               "reports": {"overdue": [{"name": "An", "department": "Ban A", "start": "2020-05-01", "end": "2020-05-02",
                                        "due": "2020-05-12", "days_overdue": 31}],
                           "pending": [{"name": "Bình", "department": "Ban A", "start": "2020-06-01", "end": "2020-06-02",
                                        "due": "2020-06-12"},
                                       {"name": "Chi", "department": "Ban A", "start": "2020-06-09", "end": "2020-06-10",
                                        "due": "2020-06-21"}]}}
    todo = per_ban.reminders(summary, date(2020, 6, 10))["Ban A"]
    assert [(r["who"], r["by"]) for r in todo] == [("An", "12/05/2020"), ("Bình", "12/06/2020")]  # Chi: 11 days away
    assert todo[0]["text"] == "Đồng chí An nộp ngay báo cáo kết quả chuyến đi 01/05/2020 - 02/05/2020 (hạn nộp " \
                              "12/05/2020, đã quá 31 ngày)"


def test_the_notice_is_an_official_thong_bao_for_the_ban(quarter):
    lines = text(quarter / "theo-ban" / "Ban Phong trào" / "thong-bao-2020-Q3.docx")
    assert "THÔNG BÁO" in lines
    assert "Số:       -TB/TĐTN-VP" in lines  # the văn thư writes each notice's number
    assert "Kết quả đi công tác cơ sở và những việc cần làm của Ban Phong trào Quý III/2020" in lines
    assert "- Ban Phong trào (t/h);" in lines and lines.index("- Ban Phong trào (t/h);") < lines.index("- Lưu VP.")
    assert any(line.startswith("- Đồng chí Bùi Văn Dũng chậm tiến độ đi cơ sở: đã đi") for line in lines)
    assert not any("{{" in line or "{%" in line for line in lines)


def test_outputs_of_the_folder_are_in_the_manifest_and_move_to_history(tmp_path):
    out = tmp_path / "ket qua"
    args = [str(SAMPLES), "--month", "2020-05", "--as-of", "2020-06-12", "--out", str(out), "-q"]
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = [o["file"] for o in manifest["outputs"] if o["file"].startswith("theo-ban/")]
    assert "theo-ban/Ban Tuyên giáo/thong-bao-2020-05.docx" in listed and len(listed) == 2 * len(BANS)
    notice = out / "theo-ban" / "Ban Tuyên giáo" / "thong-bao-2020-05.docx"
    first = notice.read_bytes()
    assert main(args) == 0
    [history] = list((out / "lich-su").iterdir())
    assert (history / "theo-ban" / "Ban Tuyên giáo" / "thong-bao-2020-05.docx").read_bytes() == first
    assert notice.read_bytes() == first  # same inputs, same bytes


def test_a_notice_edited_by_hand_is_kept_under_a_name_that_says_so(tmp_path):
    out = tmp_path / "ket qua"
    args = [str(SAMPLES), "--month", "2020-05", "--as-of", "2020-06-12", "--out", str(out), "-q"]
    assert main(args) == 0
    edited = out / "theo-ban" / "Văn phòng" / "viec-can-lam-2020-05.xlsx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    assert main(args) == 0
    [history] = list((out / "lich-su").iterdir())
    assert (history / "theo-ban (đã sửa tay)" / "Văn phòng" / "viec-can-lam-2020-05.xlsx").exists()


def test_problems_of_a_book_with_no_counted_trip_go_to_the_ban_of_its_folder():
    import pandas as pd

    cadres = pd.DataFrame({"id": [0, 1], "department": ["Ban A", "Ban B"], "file": ["ds.xlsx", "ds.xlsx"],
                           "sheet": ["DS", "DS"], "row": [5, 6]})
    trips = pd.DataFrame({"file": ["a/t3.xlsx", "a/t3.xlsx", "b/t3.xlsx"], "cid": [0, 0, 1]})
    issues = [{"file": "a/t4.xlsx", "sheet": "T4", "row": 7}, {"file": "b/t3.xlsx", "sheet": "T3", "row": 9},
              {"file": "ds.xlsx", "sheet": "DS", "row": 6}, {"file": "dang-ky.xlsx", "sheet": "Q3", "row": 4}]
    assert issue_departments(issues, cadres, trips) == ["Ban A", "Ban B", "Ban B", ""]


def test_a_book_s_problems_go_to_the_ban_of_most_of_its_trips_ties_to_the_first_seen():
    import random

    import pandas as pd

    cadres = pd.DataFrame({"id": [0, 1, 2, 3], "department": ["Ban A", "Ban B", "", "Ban C"],
                           "file": ["ds.xlsx"] * 4, "sheet": ["DS"] * 4, "row": [5, 6, 7, 8]})
    rng = random.Random(7)
    files = [f"sổ {i}.xlsx" for i in range(40)]
    trips = pd.DataFrame({"file": [rng.choice(files) for _ in range(600)],
                          "cid": [rng.choice([0, 1, 2, 3, None]) for _ in range(600)]})
    # by hand: count each (book, Ban) pair; the largest count wins, ties to the pair seen first
    seen: dict[str, dict[str, int]] = {}
    ban = dict(zip(cadres["id"], cadres["department"]))
    for file, cid in zip(trips["file"], trips["cid"]):
        if cid == cid and cid is not None and ban[int(cid)]:
            seen.setdefault(file, {}).setdefault(ban[int(cid)], 0)
            seen[file][ban[int(cid)]] += 1
    expected = [max(seen[f], key=lambda b: (seen[f][b], -list(seen[f]).index(b))) if f in seen else ""
                for f in files]
    issues = [{"file": f, "sheet": "T1", "row": 3} for f in files]
    assert issue_departments(issues, cadres, trips) == expected
    tie = pd.DataFrame({"file": ["x.xlsx"] * 4, "cid": [1, 0, 0, 1]})
    assert issue_departments([{"file": "x.xlsx", "sheet": "T", "row": 1}], cadres, tie) == ["Ban B"]


def test_folder_names_windows_accepts():
    assert per_ban.folder_name("Ban Thanh thiếu nhi – Trường học") == "Ban Thanh thiếu nhi – Trường học"
    assert per_ban.folder_name('Ban TC/KT: "mới".') == "Ban TC-KT- -mới-"
