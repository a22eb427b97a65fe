"""The office's workflows, end to end through the real CLI on books in a temporary folder.

Monthly/quarterly/year runs each into their own folder, a correction followed by a
re-run that says exactly what changed, `check`, shared output folders, failures
that keep the previous run.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from dicoso import paths

from conftest import AS_OF_ARGS, ROOT, RULES, SAMPLES, cli, drop_folder, files

OUTPUTS_2020 = ["bao-cao-2020.docx", "bieu-do-2020.png", "loi-du-lieu-2020.xlsx", "manifest.json",
                "summary.json", "tong-hop-2020.xlsx"]
QUY_III = "Ban XDD/XDD Quy III-2020.xlsx"


def block(text: str, title: str) -> list[str]:
    """The lines of a console section: after its title, up to the next blank line."""
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def fix_typo(folder: Path) -> None:
    """What the Ban does: correct the misspelt name in its book and send it again."""
    path = folder / QUY_III
    wb = openpyxl.load_workbook(path)
    assert wb["T8"]["B11"].value == "Phạm Quốc Kháng"
    wb["T8"]["B11"].value = "Phạm Quốc Khánh"
    wb.save(path)


def cadre(summary: dict, name: str) -> dict:
    return next(c for c in summary["cadres"] if c["name"] == name)


# --- periods ---------------------------------------------------------------------------
def test_month_quarter_and_year_each_write_their_own_folder(tmp_path, capsys, monkeypatch):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban Phong trao", "Ban XDD")
    monkeypatch.setattr(paths, "DEFAULT_OUTPUT", tmp_path / "Kết quả")
    for option, label in (("--month", "2020-04"), ("--quarter", "2020-Q2"), ("--year", "2020")):
        code, out, err = cli(capsys, drop, option, label, *AS_OF_ARGS)
        assert code == 0, err
        folder = tmp_path / "Kết quả" / label
        assert f"Kết quả đã ghi vào {folder}:" in out
        assert sorted(files(folder)) == sorted(f.replace("2020", label) if f.endswith(("docx", "png", "xlsx")) else f
                                               for f in OUTPUTS_2020)
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert (summary["period"]["kind"], summary["period"]["label"]) == (option[2:], label)
    assert sorted(p.name for p in (tmp_path / "Kết quả").iterdir()) == ["2020", "2020-04", "2020-Q2"]
    assert not list((tmp_path / "Kết quả").rglob("lich-su"))


def test_progress_report_of_a_quarter_counts_the_days_inside_it(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    code, out, _ = cli(capsys, drop, "--quarter", "2020-Q2", *AS_OF_ARGS, "--out", tmp_path / "q2")
    assert code == 0
    assert "Kỳ báo cáo: 2020-Q2 (01/04/2020 – 30/06/2020)" in out
    summary = json.loads((tmp_path / "q2" / "summary.json").read_text(encoding="utf-8"))
    assert all(c["days_in_period"] <= c["counted_days"] for c in summary["cadres"])


# --- corrections and re-runs ----------------------------------------------------------------
def test_correction_then_rerun_reports_exactly_what_changed_and_keeps_the_previous_run(tmp_path, capsys):
    drop, out_dir = drop_folder(tmp_path), tmp_path / "Báo cáo năm 2020"
    code, out, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)
    assert code == 0
    assert "Thay đổi so với lần chạy trước" not in out and "Không có thay đổi" not in out
    first = files(out_dir)
    before = json.loads(first["summary.json"])
    assert cadre(before, "Phạm Quốc Khánh")["counted_days"] == 62

    fix_typo(drop)
    code, out, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)
    assert code == 0
    assert block(out, "Thay đổi so với lần chạy trước:") == [
        "  - Sổ đã được sửa: Ban XDD/XDD Quy III-2020.xlsx",
        "  - Phạm Quốc Khánh: số ngày đi cơ sở 62 → 65",
        '  - Đã sửa: Ban XDD/XDD Quy III-2020.xlsx, trang "T8", dòng 11 — Tên "Phạm Quốc Kháng" không có '
        "trong danh sách cán bộ; chuyến đi này chưa được tính.",
    ]
    # the same, as a sheet of the workbook
    ws = openpyxl.load_workbook(out_dir / "tong-hop-2020.xlsx")["Thay đổi"]
    assert [list(r) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ["Sổ đã sửa", QUY_III, None, None],
        ["Số ngày", "Phạm Quốc Khánh", 62, 65],
        ["Lỗi đã sửa", 'Ban XDD/XDD Quy III-2020.xlsx, trang "T8", dòng 11',
         'Tên "Phạm Quốc Kháng" không có trong danh sách cán bộ; chuyến đi này chưa được tính.', None],
    ]
    # the previous run is kept whole, byte for byte, under lich-su/<its time>/
    [history] = (out_dir / "lich-su").iterdir()
    assert f"Kết quả lần chạy trước được giữ nguyên tại {history}." in out
    assert len(history.name) == len("2021-01-05_093000")
    assert files(history) == first
    after = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert cadre(after, "Phạm Quốc Khánh")["counted_days"] == 65
    assert "unknown_name" not in [i["code"] for i in after["issues"]]
    # the manifest says which book changed
    m1, m2 = json.loads(first["manifest.json"]), json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    changed = [a["path"] for a, b in zip(m1["inputs"], m2["inputs"]) if a != b]
    assert changed == [QUY_III]


def test_a_new_problem_a_new_book_and_a_removed_book_are_reported(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    out_dir = tmp_path / "out"
    assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)[0] == 0
    (drop / "Ban XDD" / "XDD thang 12-2020.xlsx").unlink()
    shutil.copy2(SAMPLES / "Ban Phong trao" / "BPT thang 03-2020.xlsx", drop / "Ban XDD" / "BPT thang 03-2020.xlsx")
    code, out, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)
    assert code == 0
    changes = block(out, "Thay đổi so với lần chạy trước:")
    assert changes[:2] == ["  - Sổ mới: Ban XDD/BPT thang 03-2020.xlsx",
                           "  - Sổ không còn trong thư mục: Ban XDD/XDD thang 12-2020.xlsx"]
    # the new book's problem is a warning: listed as one, not under "Lỗi mới"
    assert any("Cảnh báo mới: Ban XDD/BPT thang 03-2020.xlsx" in line for line in changes)
    assert not any("Lỗi mới:" in line for line in changes)
    assert any("số ngày đi cơ sở" in line for line in changes)


def test_a_changed_as_of_date_is_named_among_the_changes(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    out_dir = tmp_path / "out"
    cli(capsys, drop, "--year", "2020", "--as-of", "2020-12-01", "--out", out_dir)
    _, out, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)
    assert "  - Ngày chốt số liệu: 01/12/2020 → 05/01/2021" in block(out, "Thay đổi so với lần chạy trước:")


def test_shared_output_folder_keeps_the_office_s_own_files_in_place(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    out_dir = tmp_path / "Văn phòng"
    out_dir.mkdir()
    (out_dir / "Công văn gửi các Ban.docx").write_bytes(b"office document")
    for _ in range(2):
        assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)[0] == 0
    assert (out_dir / "Công văn gửi các Ban.docx").read_bytes() == b"office document"
    [history] = (out_dir / "lich-su").iterdir()
    assert sorted(files(history)) == OUTPUTS_2020


def test_failed_run_exits_1_and_leaves_the_previous_run_untouched(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    out_dir = tmp_path / "out"
    assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)[0] == 0
    before = files(out_dir)
    bad_rules = tmp_path / "quy tắc.yaml"
    bad_rules.write_text("name: [không đóng ngoặc\n", encoding="utf-8")
    code, out, err = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out_dir, "--rules", bad_rules)
    assert code == 1
    assert err.startswith("LỖI: ") and "quy tắc.yaml" in err
    assert files(out_dir) == before and not (out_dir / "lich-su").exists()


def test_output_folder_equal_to_the_drop_folder_is_refused(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx")
    code, _, err = cli(capsys, drop, "--out", drop)
    assert code == 1 and "trùng với thư mục dữ liệu" in err


def test_a_rule_set_used_outside_its_years_is_a_message_about_the_rule_set(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    code, out, err = cli(capsys, drop, "--rules", RULES / "vinh-phuc-2020.yaml", "--year", "2021", *AS_OF_ARGS,
                         "--out", tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert 'Bộ quy tắc "Vĩnh Phúc 2020 (KH 167-KH/TĐTN-XDĐ)" (rules/vinh-phuc-2020.yaml) không có kỳ tính cho năm 2021' \
        in err
    assert "ngoài dự kiến" not in out + err and "Traceback" not in out + err


def test_strict_fails_a_report_run_with_data_errors_but_still_writes_it(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    code, out, err = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "o", "--strict")
    assert code == 1
    assert "--strict" in err and (tmp_path / "o" / "bao-cao-2020.docx").exists()
    fix_typo(drop)
    assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "o", "--strict")[0] == 0


# --- check -------------------------------------------------------------------------------
def test_check_lists_problems_by_file_writes_nothing_and_exits_1_until_fixed(tmp_path, capsys, monkeypatch):
    drop = drop_folder(tmp_path)
    monkeypatch.setattr(paths, "DEFAULT_OUTPUT", tmp_path / "output")
    code, out, _ = cli(capsys, "check", drop, *AS_OF_ARGS)
    assert code == 1
    lines = out.splitlines()
    at = lines.index(f"• {QUY_III}")
    assert lines[at + 1:at + 3] == [
        '  [LỖI] trang "T8", dòng 11, cột Họ và tên: Tên "Phạm Quốc Kháng" không có trong danh sách cán bộ; '
        "chuyến đi này chưa được tính.",
        '      → Có phải "Phạm Quốc Khánh"? Sửa tên trong sổ cho đúng danh sách cán bộ; hoặc, nếu đúng là một '
        'người, thêm một dòng vào trang ánh xạ tên: cột "Tên trong sổ" ghi "Phạm Quốc Kháng", cột "Tên đúng theo '
        'danh sách" ghi "Phạm Quốc Khánh".',
    ]
    assert lines[-1] == "Chế độ kiểm tra: không lập báo cáo. Có 1 lỗi cần sửa."  # "mã thoát" only with -v
    assert not (tmp_path / "output").exists() and not any(drop.rglob("*.docx"))
    fix_typo(drop)
    code, out, _ = cli(capsys, "check", drop, *AS_OF_ARGS)
    assert code == 0
    assert out.splitlines()[-1] == "Chế độ kiểm tra: không lập báo cáo. Không có lỗi."


def test_check_of_a_folder_without_any_usable_trip_still_lists_the_problems(tmp_path, capsys):
    from builders import book, roster

    drop = tmp_path / "Sổ hỏng"
    roster(drop / "Danh sách cán bộ.xlsx", [[1, "Nguyễn Văn An", "Chuyên viên", "Ban Tuyên giáo"]])
    book(drop / "BTG thang 03-2020.xlsx", {"T3": [["Họ và tên", "Chức vụ", "Từ ngày", "Đến ngày"],
                                                 ["Nguyễn Văn An", "Chuyên viên", "31/02/2020", "02/03/2020"]]})
    code, out, err = cli(capsys, "check", drop)
    assert code == 1
    assert "• BTG thang 03-2020.xlsx" in out and "31/02/2020" in out
    assert "Không có chuyến đi cơ sở nào đọc được" in err


# --- manifest ----------------------------------------------------------------------------
def test_manifest_records_inputs_rules_templates_options_counts_and_outputs(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    out_dir = tmp_path / "Kết quả"
    assert cli(capsys, drop, "--quarter", "2020-Q3", *AS_OF_ARGS, "--out", out_dir)[0] == 0
    m = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))

    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    assert list(m) == ["schema", "period", "as_of", "rules", "templates", "options", "inputs", "counts", "outputs"]
    assert [i["path"] for i in m["inputs"]] == ["Danh sach can bo chuyen trach 2020.xlsx"] + sorted(
        f"Ban XDD/{p.name}" for p in (drop / "Ban XDD").iterdir())
    for i in m["inputs"]:
        assert (i["size"], i["sha256"]) == ((drop / i["path"]).stat().st_size, sha(drop / i["path"]))
    assert m["rules"] == {"name": m["rules"]["name"], "file": "rules/vinh-phuc-2020.yaml",
                          "sha256": sha(ROOT / "rules" / "vinh-phuc-2020.yaml")}
    assert [t["file"] for t in m["templates"]] == ["templates/bao_cao_tien_do.docx", "templates/thong_bao_ban.docx",
                                                   "templates/office.yaml"]
    assert m["options"] == {"input_dir": str(drop.resolve()),
                            "period": {"kind": "quarter", "value": "2020-Q3", "chosen": False},
                            "rules": None, "as_of": "2021-01-05", "as_of_given": True, "pdf": False,
                            "number": None}
    assert m["counts"]["files_read"] == len(m["inputs"]) and m["counts"]["issues"]["error"] == 1
    per_ban = sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "theo-ban").rglob("*") if p.is_file())
    assert [(o["file"], o["sha256"]) for o in m["outputs"]] == [
        (name, sha(out_dir / name)) for name in ("bao-cao-2020-Q3.docx", "tong-hop-2020-Q3.xlsx",
                                                 "loi-du-lieu-2020-Q3.xlsx", *per_ban, "bieu-do-2020-Q3.png",
                                                 "summary.json")]
    text = (out_dir / "manifest.json").read_text(encoding="utf-8")
    assert str(out_dir) not in text and "Kết quả" not in text


@pytest.mark.parametrize("as_of", [None, "2021-01-05"])
def test_as_of_defaults_to_today(tmp_path, capsys, as_of):
    from datetime import date

    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    args = [drop, "--year", "2020", "--out", tmp_path / "o"] + (["--as-of", as_of] if as_of else [])
    assert cli(capsys, *args)[0] == 0
    m = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert m["as_of"] == (as_of or date.today().isoformat())
    assert m["options"]["as_of_given"] is (as_of is not None)


def test_more_trips_than_the_sheet_holds_go_to_a_full_csv(tmp_path, capsys, monkeypatch):
    """A national roll-up: the workbook lists the first trips, the CSV beside it lists all."""
    import csv

    from dicoso.render import workbook as render_xlsx

    monkeypatch.setattr(render_xlsx, "TRIPS_SHEET_MAX", 100)
    out = tmp_path / "out"
    code, stdout, _ = cli(capsys, drop_folder(tmp_path), "--year", "2020", *AS_OF_ARGS, "--out", out)
    assert code == 0
    assert "chuyen-di-2020.csv" in stdout
    with (out / "chuyen-di-2020.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert rows[0][:4] == ["Tệp", "Trang tính", "Dòng", "Họ và tên"]
    assert len(rows) - 1 == summary["totals"]["trips"] == 227
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", r[6]) for r in rows[1:])
    sheet = openpyxl.load_workbook(out / "tong-hop-2020.xlsx")["Chuyến đi"]
    assert sheet.max_row == 1 + 100 + 1
    assert sheet.cell(102, 1).value == ("Chỉ liệt kê 100/227 chuyến đầu tiên (theo tệp, trang, dòng); "
                                        "danh sách đầy đủ ở tệp chuyen-di-2020.csv.")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "chuyen-di-2020.csv" in [o["file"] for o in manifest["outputs"]]


def test_trip_csv_never_lets_excel_take_text_for_a_formula(tmp_path):
    import pandas as pd

    from dicoso.render import trips_csv

    trips = pd.DataFrame([{"file": "a.xlsx", "sheet": "T3", "row": 5, "name": '=HYPERLINK("x")', "note": "@x",
                           "place": "-Xã A", "content": "+84", "status": "late"}])
    trips_csv.write_trips_csv(trips, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@x" in text and "'-Xã A" in text and "'+84" in text
    assert "Nộp muộn" in text


def test_trip_csv_quotes_commas_quotes_and_line_breaks_like_excel_reads_them(tmp_path):
    import csv
    from datetime import date

    import pandas as pd

    from dicoso.render import trips_csv

    trips = pd.DataFrame([
        {"file": "Ban A, B/a.xlsx", "sheet": 'Tháng "3"', "row": 5, "name": "Lê Văn Bình", "start": date(2020, 3, 5),
         "note": "dòng 1\ndòng 2\r\n", "days_declared": 2.0, "counted_days": 2, "status": "on_time"},
        {"file": "b.xlsx", "sheet": "T4", "row": 7, "name": "An\x07", "start": None, "note": None,
         "days_declared": float("nan"), "counted_days": 0, "status": "overdue"},
    ])
    trips_csv.write_trips_csv(trips, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as fh:
        header, first, second = list(csv.reader(fh, delimiter=";"))
    col = {h: i for i, h in enumerate(header)}
    assert [first[col[h]] for h in ("Tệp", "Trang tính", "Dòng", "Từ ngày", "Ghi chú", "Số ngày khai")] == \
        ["Ban A, B/a.xlsx", 'Tháng "3"', "5", "05/03/2020", "dòng 1\ndòng 2\r\n", "2"]
    assert first[col["Tình trạng báo cáo"]] == "Đúng hạn" and second[col["Tình trạng báo cáo"]] == "Quá hạn, chưa nộp"
    assert [second[col[h]] for h in ("Họ và tên", "Từ ngày", "Ghi chú", "Số ngày khai")] == ["An", "", "", ""]
    assert len(header) == len(first) == len(second) == len(trips_csv.TRIP_CSV_HEADERS)
