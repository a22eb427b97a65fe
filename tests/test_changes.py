"""What changed between two runs of the same period."""

import json

from dicoso.publish.changes import diff

from builders import register, roster, trip
from conftest import AS_OF_ARGS, cli


def manifest(inputs: dict[str, str], rules_hash: str = "r1") -> dict:
    return {"inputs": [{"path": p, "sha256": h} for p, h in inputs.items()],
            "rules": {"file": "rules/vinh-phuc-2020.yaml", "sha256": rules_hash}}


def summary(cadres: dict[str, tuple[int, bool]], issues: list[tuple[str, str, int]]) -> dict:
    return {
        "cadres": [{"name": n, "counted_days": d, "met": m} for n, (d, m) in cadres.items()],
        "issues": [{"severity": "error", "code": c, "file": f, "sheet": "T3", "row": r, "column": "",
                    "message": f"lỗi {c}"} for c, f, r in issues],
    }


def test_no_previous_run_means_no_changes():
    assert diff(None, None, manifest({"a.xlsx": "1"}), summary({}, [])) == []


def test_correction_reports_files_cadres_and_problems_exactly():
    before_m = manifest({"a.xlsx": "1", "b.xlsx": "2", "old.xlsx": "3"})
    after_m = manifest({"a.xlsx": "1", "b.xlsx": "22", "new.xlsx": "4"})
    before = summary({"Nguyễn Văn An": (58, False), "Trần Thị Bình": (60, True)},
                     [("bad_date_start", "b.xlsx", 7), ("unknown_name", "a.xlsx", 9)])
    after = summary({"Nguyễn Văn An": (61, True), "Trần Thị Bình": (60, True)},
                    [("unknown_name", "a.xlsx", 9), ("bad_days", "new.xlsx", 4)])
    got = [(c["kind"], c["item"], c["before"], c["after"]) for c in diff(before_m, before, after_m, after)]
    assert got == [
        ("Sổ mới", "new.xlsx", "", "có"),
        ("Sổ bị bỏ", "old.xlsx", "có", ""),
        ("Sổ đã sửa", "b.xlsx", "", ""),
        ("Số ngày", "Nguyễn Văn An", 58, 61),
        ("Đạt chỉ tiêu", "Nguyễn Văn An", "chưa đạt", "đạt"),
        ("Lỗi đã sửa", 'b.xlsx, trang "T3", dòng 7', "lỗi bad_date_start", ""),
        ("Lỗi mới", 'new.xlsx, trang "T3", dòng 4', "", "lỗi bad_days"),
    ]


def test_changed_rule_set_is_reported():
    m1, m2 = manifest({}, "r1"), manifest({}, "r2")
    assert [c["kind"] for c in diff(m1, summary({}, []), m2, summary({}, []))] == ["Bộ quy tắc"]


# --- problems matched by what they are about, not by row number (end to end) ----------------

BOOK = "Ban Tuyên giáo/TG 2020.xlsx"
GOOD = trip("Nguyễn Văn An", "05/08/2020", "07/08/2020", days=3, submitted="10/08/2020")
BAD_DATE = trip("Trần Thị Bình", "31/02/2020", "02/03/2020", days=2, submitted="10/03/2020")
UNKNOWN = trip("Lê Văn Cương", "10/09/2020", "11/09/2020", days=2, submitted="15/09/2020")
DAYS_OFF = trip("Lê Văn Cường", "01/10/2020", "02/10/2020", days=5, submitted="05/10/2020")
NO_NAME = trip("", "03/11/2020", "04/11/2020", days=2, submitted="06/11/2020")
INSERTED = trip("Trần Thị Bình", "12/06/2020", "13/06/2020", days=2, submitted="15/06/2020")
DAYS_OFF_TOO = trip("Nguyễn Văn An", "20/11/2020", "21/11/2020", days=4, submitted="25/11/2020")


def changes_of(capsys, drop, out) -> list[str]:
    code, stdout, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    assert code == 0
    lines = stdout.splitlines()
    if "Thay đổi so với lần chạy trước:" not in lines:
        return []
    at = lines.index("Thay đổi so với lần chạy trước:") + 1
    block = []
    while at < len(lines) and lines[at].startswith("  - "):
        block.append(lines[at][4:])
        at += 1
    return block


def test_inserting_or_deleting_a_row_changes_no_other_problem_and_warnings_are_listed_apart(tmp_path, capsys):
    drop, out = tmp_path / "Sổ nộp", tmp_path / "Kết quả"
    roster(drop / "Danh sách cán bộ.xlsx", [[1, "Nguyễn Văn An", "Chuyên viên", "Ban Tuyên giáo"],
                                           [2, "Trần Thị Bình", "Chuyên viên", "Ban Tuyên giáo"],
                                           [3, "Lê Văn Cường", "Chuyên viên", "Ban Tuyên giáo"]])
    rows = [GOOD, BAD_DATE, UNKNOWN, DAYS_OFF, NO_NAME]
    register(drop / BOOK, rows)
    changes_of(capsys, drop, out)
    first = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    problems = sorted((i["row"], i["code"], i["severity"]) for i in first["issues"] if i["severity"] != "info" and i["row"])
    assert problems == [(5, "cadre_no_trips", "warning"), (6, "bad_date_start", "error"),
                        (7, "unknown_name", "error"), (8, "days_mismatch", "warning"), (9, "missing_name", "error")]

    # a trip inserted above them: every problem of the book moves one row down, none is "fixed" or
    # "new"; Bình now has a trip, so the roster's warning about her is gone (said as a warning)
    register(drop / BOOK, [INSERTED, *rows])
    assert changes_of(capsys, drop, out) == [
        f"Sổ đã được sửa: {BOOK}",
        "Trần Thị Bình: số ngày đi cơ sở 0 → 2",
        'Cảnh báo đã hết: Danh sách cán bộ.xlsx, trang "Danh sách", dòng 5 — Cán bộ "Trần Thị Bình" (Ban Tuyên giáo) '
        "không có chuyến đi cơ sở nào được tính trong kỳ 01/03/2020–31/12/2020.",
    ]

    # the unknown name's row deleted: that one problem is fixed, at the row it was on
    register(drop / BOOK, [INSERTED, GOOD, BAD_DATE, DAYS_OFF, NO_NAME])
    assert changes_of(capsys, drop, out) == [
        f"Sổ đã được sửa: {BOOK}",
        f'Đã sửa: {BOOK}, trang "T3", dòng 8 — Tên "Lê Văn Cương" không có trong danh sách cán bộ; '
        "chuyến đi này chưa được tính.",
    ]

    # a new warning is a warning, not a new error
    register(drop / BOOK, [INSERTED, GOOD, BAD_DATE, DAYS_OFF, NO_NAME, DAYS_OFF_TOO])
    got = changes_of(capsys, drop, out)
    assert got[0] == f"Sổ đã được sửa: {BOOK}"
    assert [line.split(":")[0] for line in got[1:]] == ["Nguyễn Văn An", "Cảnh báo mới"]
    assert got[2].startswith(f'Cảnh báo mới: {BOOK}, trang "T3", dòng 10 — "Số ngày" ghi 4')


def test_a_problem_that_stays_on_an_edited_row_is_neither_fixed_nor_new():
    def problem(about: str) -> dict:
        return {"severity": "warning", "code": "days_mismatch", "file": "a.xlsx", "sheet": "T3", "row": 7,
                "column": "Số ngày", "message": '"Số ngày" ghi 5 nhưng chuyến đi là 2 ngày.', "about": about}

    m = manifest({"a.xlsx": "1"})
    before = {"cadres": [], "issues": [problem("Lê Văn Cường | 01/10/2020 | 02/10/2020 | Xã A")]}
    after = {"cadres": [], "issues": [problem("Lê Văn Cường | 01/10/2020 | 02/10/2020 | Xã B")]}
    assert diff(m, before, m, after) == []


def test_two_equal_problems_on_different_rows_are_told_apart_by_what_the_rows_are_about():
    def missing_name(row: int, about: str) -> dict:
        return {"severity": "error", "code": "missing_name", "file": "a.xlsx", "sheet": "T3", "row": row,
                "column": "B (Họ và tên)", "message": "Dòng có dữ liệu nhưng thiếu họ và tên cán bộ.", "about": about}

    m = manifest({"a.xlsx": "1"})
    before = {"cadres": [], "issues": [missing_name(5, " | 03/11/2020 | 04/11/2020 | Xã A"),
                                       missing_name(9, " | 07/12/2020 | 07/12/2020 | Xã B")]}
    # row 5 was fixed (a name typed) and a row was deleted above the other one
    after = {"cadres": [], "issues": [missing_name(8, " | 07/12/2020 | 07/12/2020 | Xã B")]}
    assert [c["text"] for c in diff(m, before, m, after)] == [
        'Đã sửa: a.xlsx, trang "T3", dòng 5 — Dòng có dữ liệu nhưng thiếu họ và tên cán bộ.']
