"""What changed between two runs of the same period."""

from dicoso.publish.changes import diff


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
