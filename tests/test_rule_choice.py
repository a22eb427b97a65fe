"""Choosing the rule set: by the office's province (templates/office.yaml) and the period;
when none fits, a message that lists the rule sets and says how to choose or start one;
the report's opening cites the plan of the rule set actually used."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from dicoso.errors import RuleSetError
from dicoso.job import Options
from dicoso.model import Period
from dicoso.pipeline import run
from dicoso.rules.ruleset import load_ruleset, pick_ruleset, same_province

from conftest import AS_OF, AS_OF_ARGS, RULES, TEMPLATES, cli, docx_text, drop_folder

YEAR_2020 = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")


def office_of(tmp_path: Path, province: str) -> Path:
    """A copy of templates/ whose office.yaml names another province."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    office = folder / "office.yaml"
    text = office.read_text(encoding="utf-8")
    office.write_text(text.replace('province: "Vĩnh Phúc"', f'province: "{province}"'), encoding="utf-8")
    return folder


def test_a_year_without_a_rule_set_of_the_office_s_province_stops_with_what_to_do(tmp_path, capsys):
    """--year 2021 on a Vĩnh Phúc office used to take Bà Rịa – Vũng Tàu's rule set silently."""
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    for args in ((drop, "--out", tmp_path / "out"), ("check", drop)):
        code, out, err = cli(capsys, *args, "--year", "2021", "--as-of", "2022-01-05")
        assert code == 1 and out == ""
        assert err.splitlines() == [
            "LỖI: Không có bộ quy tắc nào của tỉnh Vĩnh Phúc (theo templates/office.yaml) áp dụng cho kỳ 2021. "
            "Các bộ quy tắc trong thư mục rules:",
            '  - rules/ba-ria-vung-tau-2018-2022.yaml: "Bà Rịa – Vũng Tàu 2018–2022" — Bà Rịa – Vũng Tàu, '
            "các năm 2018–2022",
            '  - rules/da-nang-2018.yaml: "Đà Nẵng 2018" — Đà Nẵng, năm 2018',
            '  - rules/vinh-phuc-2020.yaml: "Vĩnh Phúc 2020 (KH 167-KH/TĐTN-XDĐ)" — Vĩnh Phúc, năm 2020 '
            "(01/03/2020–31/12/2020)",
            "Nếu đúng là dùng một bộ trong số này, chỉ rõ bằng --rules, ví dụ: --rules rules/vinh-phuc-2020.yaml",
            "Nếu năm 2021 có kế hoạch mới: chép rules/vinh-phuc-2020.yaml thành rules/vinh-phuc-2021.yaml, sửa tên "
            "(name), kỳ tính của năm 2021 (periods: start, end), mục plan (số, ngày, cơ quan ban hành kế hoạch mới) "
            "và các chỉ tiêu theo kế hoạch, lưu với bảng mã UTF-8 rồi chạy lại.",
        ]
    assert not (tmp_path / "out").exists()


def test_the_office_s_province_picks_its_own_rule_set_where_two_cover_the_year(tmp_path):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    result = run(Options(input_dir=drop, period_kind="year", period_value="2020", as_of=AS_OF, check_only=True,
                         templates_dir=office_of(tmp_path, "Bà Rịa - Vũng Tàu")))
    assert result.rules_name == "Bà Rịa – Vũng Tàu 2018–2022"
    assert result.rules_reason == ('Dùng bộ quy tắc "Bà Rịa – Vũng Tàu 2018–2022" (rules/ba-ria-vung-tau-2018-2022'
                                   f'.yaml) của tỉnh Bà Rịa – Vũng Tàu (theo {tmp_path}/templates/office.yaml) vì kỳ '
                                   "2020 nằm trong thời gian áp dụng.")


def test_a_province_is_the_same_written_without_diacritics_or_with_another_dash():
    assert same_province("Bà Rịa – Vũng Tàu", "Ba Ria - Vung Tau")
    assert same_province("Vĩnh Phúc", "tỉnh VĨNH PHÚC")
    assert not same_province("Vĩnh Phúc", "Vĩnh Long")
    rs, _ = pick_ruleset(RULES, YEAR_2020, "Vinh Phuc")
    assert rs.province == "Vĩnh Phúc"


def test_a_province_without_any_rule_set_says_to_check_office_yaml(tmp_path):
    with pytest.raises(RuleSetError) as err:
        pick_ruleset(RULES, YEAR_2020, "Ninh Thuận")
    message = err.value.message
    assert message.startswith("Không có bộ quy tắc nào của tỉnh Ninh Thuận (theo templates/office.yaml) áp dụng")
    assert "chép rules/ba-ria-vung-tau-2018-2022.yaml thành rules/ninh-thuan-2020.yaml" in message
    assert message.endswith("Nếu tỉnh trong templates/office.yaml ghi sai, sửa mục province ở đó cho đúng tên tỉnh.")


def test_rules_option_of_another_province_is_used_but_the_clerk_is_told(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD")
    code, out, _ = cli(capsys, "check", drop, "--year", "2020", "--rules", RULES / "ba-ria-vung-tau-2018-2022.yaml",
                       *AS_OF_ARGS)
    assert out.splitlines()[0] == (
        'Dùng bộ quy tắc "Bà Rịa – Vũng Tàu 2018–2022" (rules/ba-ria-vung-tau-2018-2022.yaml) theo tùy chọn --rules. '
        "Lưu ý: bộ quy tắc này của tỉnh Bà Rịa – Vũng Tàu, khác tỉnh Vĩnh Phúc ghi trong templates/office.yaml.")


# --- the plan the report cites ----------------------------------------------------------------
def test_report_opening_cites_the_plan_of_the_rule_set_used(tmp_path, capsys):
    text = (RULES / "vinh-phuc-2020.yaml").read_text(encoding="utf-8")
    text = text.replace('number: "167-KH/TĐTN-XDĐ"\n  date: 2020-04-13',
                        'number: "25-KH/TĐTN-BTC"\n  date: 2020-02-03')
    rules = tmp_path / "vinh-phuc-2020-sua.yaml"
    rules.write_text(text, encoding="utf-8")
    drop, out = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD"), tmp_path / "out"
    for period, name in (("--year", "2020"), ("--quarter", "2020-Q3")):
        assert cli(capsys, drop, period, name, "--rules", rules, *AS_OF_ARGS, "--out", out / name)[0] == 0
    year = docx_text(out / "2020" / "bao-cao-2020.docx")
    assert ("Thực hiện Hướng dẫn số 03-HD/TWĐTN-BTC, ngày 21/3/2018 của Ban Bí thư Trung ương Đoàn về “Chế độ đi "
            "công tác cơ sở của cán bộ Đoàn cấp Trung ương và cấp tỉnh, giai đoạn 2018 - 2022” và Kế hoạch số "
            "25-KH/TĐTN-BTC, ngày 3/2/2020 của Ban Thường vụ Tỉnh đoàn về việc đi công tác cơ sở") in year
    assert "167-KH" not in year
    quarter = docx_text(out / "2020-Q3" / "bao-cao-2020-Q3.docx")
    assert "Thực hiện Kế hoạch số 25-KH/TĐTN-BTC, ngày 3/2/2020 của Ban Thường vụ Tỉnh đoàn về việc" in quarter
    summary = json.loads((out / "2020" / "summary.json").read_text(encoding="utf-8"))
    assert summary["rules"]["plan"] == {"kind": "Kế hoạch", "number": "25-KH/TĐTN-BTC", "date": "2020-02-03",
                                        "issuer": "Ban Thường vụ Tỉnh đoàn", "title": "về việc đi công tác cơ sở "
                                        "theo chủ trương 1+2 đối với cán bộ Đoàn cấp tỉnh năm 2020"}


def test_a_rule_set_without_a_plan_leaves_a_visible_placeholder_and_a_warning(tmp_path, capsys):
    drop, out = drop_folder(tmp_path, "Danh sach can bo chuyen trach 2020.xlsx", "Ban XDD"), tmp_path / "out"
    code, stdout, _ = cli(capsys, drop, "--year", "2020", "--rules", RULES / "ba-ria-vung-tau-2018-2022.yaml",
                          *AS_OF_ARGS, "--out", out)
    assert code == 0
    assert ("• rules/ba-ria-vung-tau-2018-2022.yaml\n  [CẢNH BÁO] Bộ quy tắc \"Bà Rịa – Vũng Tàu 2018–2022\" chưa ghi "
            "kế hoạch (số, ngày, cơ quan ban hành) nên đoạn mở đầu của báo cáo chưa dẫn được kế hoạch của tỉnh.") in stdout
    text = docx_text(out / "bao-cao-2020.docx")
    assert ("và [chưa rõ kế hoạch của tỉnh: bổ sung mục “plan” vào bộ quy tắc rules/ba-ria-vung-tau-2018-2022.yaml], "
            "Ban Thường vụ Tỉnh đoàn báo cáo") in text


def test_a_plan_is_validated_key_by_key(tmp_path):
    good = (RULES / "vinh-phuc-2020.yaml").read_text(encoding="utf-8")
    cases = [
        ('  issuer: "Ban Thường vụ Tỉnh đoàn"\n', "", 'thiếu khoá "plan.issuer" (bắt buộc)'),
        ('number: "167-KH/TĐTN-XDĐ"', 'number: "167/TĐTN-XDĐ"', 'khoá "plan.kind" phải ghi loại văn bản'),
        ("date: 2020-04-13", "date: 13/4/2020", 'khoá "plan.date" phải là một ngày dạng YYYY-MM-DD'),
    ]
    for old, new, expected in cases:
        path = tmp_path / "r.yaml"
        assert old in good
        path.write_text(good.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(RuleSetError, match=re.escape(expected)):
            load_ruleset(path)
    path.write_text(good.replace('number: "167-KH/TĐTN-XDĐ"', 'number: "167/TĐTN-XDĐ"\n  kind: "Kế hoạch"'),
                    encoding="utf-8")
    assert load_ruleset(path).plan.kind == "Kế hoạch"
