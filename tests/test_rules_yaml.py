"""Rule sets are edited by the clerk (Notepad, Word pasted text): comments in Vietnamese, and
every error names the file, the line and the key in Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dicoso.errors import RuleSetError
from dicoso.rules.ruleset import load_ruleset

from builders import GOOD_RULES as GOOD
from conftest import RULES


def message(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "thu.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(RuleSetError) as err:
        load_ruleset(path)
    said = str(err.value)
    assert said.startswith(path.as_posix())
    return said[len(path.as_posix()):]


@pytest.mark.parametrize("text, says", [
    (GOOD.replace("  - start", "\t- start"),
     ', dòng 5 (khoá "start"): có ký tự Tab; YAML chỉ thụt lề bằng dấu cách (phím Space), không dùng phím Tab.'),
    (GOOD.replace("quota_days: 60", "quota_days:60\nreport_deadline_days: 10"),
     ', dòng 7 (khoá "quota_days"): thiếu dấu hai chấm sau tên khoá, hoặc thiếu dấu cách sau dấu hai chấm'),
    (GOOD.replace("    end: 2020", "   end: 2020"),
     ', dòng 6 (khoá "end"): thụt lề không thẳng hàng: các khoá cùng cấp phải bắt đầu ở cùng một cột.'),
    (GOOD.replace('name: "Thử"', "name: Kế hoạch: 167"),
     ', dòng 2 (khoá "name"): có dấu hai chấm ở chỗ không được dùng'),
    (GOOD + "registration_quarters: [2, 3\nmonthly_positions: []\n",
     ', dòng 9 (khoá "monthly_positions"): danh sách trong ngoặc vuông [ ] chưa đóng, hoặc thiếu dấu phẩy'),
    (GOOD + "levels: [\n", ', dòng 9 (khoá "levels"): tệp kết thúc khi một danh sách [ ] hoặc một bảng { } chưa đóng'),
])
def test_a_syntax_error_names_the_line_and_the_key_in_vietnamese(tmp_path, text, says):
    said = message(tmp_path, text)
    assert said.startswith(says), said
    assert said.endswith("Sửa dòng này (hoặc dòng ngay trên) rồi chạy lại; so với tệp mẫu trong thư mục rules/ nếu cần.")
    assert not re.search(r"[a-z]+ [a-z]+ (is|are|not|found|expected)\b", said)  # none of PyYAML's English


def test_a_key_written_twice_is_an_error_not_a_silent_choice(tmp_path):
    assert message(tmp_path, GOOD + "quota_days: 30\n") == (
        ', dòng 8: khoá "quota_days" được ghi hai lần (lần đầu ở dòng 7). Xoá một trong hai dòng, giữ lại giá trị đúng.')


@pytest.mark.parametrize("text, says", [
    (GOOD.replace("quota_days: 60", "quota_days: sáu mươi"),
     ', dòng 7: khoá "quota_days" phải là số nguyên dương, đang là "sáu mươi".'),
    (GOOD.replace("    end: 2020-12-31", "    end: 31/12/2020"),
     ', dòng 6: khoá "periods[0].end" phải là một ngày dạng YYYY-MM-DD (ví dụ 2020-03-01), đang là "31/12/2020".'),
    (GOOD + "levels:\n  source: column\n  items:\n    - key: xa\n      label: Xã\n      quotas: 20\n",
     ', dòng 13: khoá "levels.items[0].quotas" không được hỗ trợ.'),
    (GOOD + "proration: theo_thang\n", ', dòng 8: khoá "proration" phải là một trong: eligible_days_ceil, none'),
])
def test_a_wrong_value_names_the_line_and_the_key(tmp_path, text, says):
    assert message(tmp_path, text).startswith(says)


def test_a_file_saved_by_notepad_with_a_byte_order_mark_and_windows_line_ends_loads(tmp_path):
    path = tmp_path / "thu.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    assert load_ruleset(path).name == "Thử"


def test_a_file_saved_in_the_windows_vietnamese_code_page_is_told_to_be_saved_as_utf8(tmp_path):
    said = message(tmp_path, GOOD.replace("Thử", "Đà").encode("cp1258"))  # what older Notepad saves
    assert said == ": tệp phải được lưu với bảng mã UTF-8 (trong Notepad: Lưu thành… > Mã hoá: UTF-8)."


def test_the_shipped_rule_sets_explain_themselves_in_vietnamese():
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]", re.I)
    for path in sorted(RULES.glob("*.yaml")):
        blocks, block = [], []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.lstrip().startswith("#"):
                block.append(line)
            elif block:
                blocks.append(" ".join(block))
                block = []
        assert blocks, path.name
        english = [b for b in blocks if not vietnamese.search(b)]
        assert english == [], f"{path.name}: comments not in Vietnamese: {english}"
