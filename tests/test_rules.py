"""Rule sets: the shipped files, validation messages, picking by period."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from dicoso.errors import RuleSetError
from dicoso.model import Period
from dicoso.rules.checks.content import Content
from dicoso.rules.checks.levels import Levels
from dicoso.rules.checks.monthly import MonthlyLeaders
from dicoso.rules.checks.quota import Quota
from dicoso.rules.checks.registration import Registration
from dicoso.rules.checks.report_deadline import ReportDeadline
from dicoso.rules.ruleset import load_ruleset, pick_ruleset

from builders import GOOD_RULES as GOOD
from conftest import RULES


def write(tmp_path: Path, text: str, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    """The message after `<file>, dòng N: ` (or `<file>: ` when no line applies)."""
    path = write(tmp_path, text)
    with pytest.raises(RuleSetError) as err:
        load_ruleset(path)
    message = str(err.value)
    m = re.match(re.escape(path.as_posix()) + r"(?:, dòng \d+)?: ", message)
    assert m, message
    return message[m.end():]


# --- shipped rule sets -------------------------------------------------------


def test_vinh_phuc_2020():
    rs = load_ruleset(RULES / "vinh-phuc-2020.yaml")
    quota = rs.check(Quota)
    assert (rs.province, quota.days, rs.check(ReportDeadline).days) == ("Vĩnh Phúc", 60, 10)
    assert rs.periods == ((date(2020, 3, 1), date(2020, 12, 31)),)
    assert rs.check(Registration).quarters == (2, 3, 4)
    assert quota.proration == "eligible_days_ceil" and rs.check(Levels).items == () and quota.full_exemptions == ()
    assert [c.key for c in rs.checks if c.on] == ["quota_days", "day_counting", "report_deadline_days",
                                                  "registration_quarters"]
    assert rs.sha256 == hashlib.sha256((RULES / "vinh-phuc-2020.yaml").read_bytes()).hexdigest()


def test_ba_ria_vung_tau_spans_five_calendar_years_with_levels_exemptions_and_leaders():
    rs = load_ruleset(RULES / "ba-ria-vung-tau-2018-2022.yaml")
    assert [p for p in rs.periods] == [(date(y, 1, 1), date(y, 12, 31)) for y in range(2018, 2023)]
    assert rs.period_for_year(2019) == Period(date(2019, 1, 1), date(2019, 12, 31), "year", "2019")
    assert rs.period_for_year(2023) is None
    assert [(lv.key, lv.quota) for lv in rs.check(Levels).items] == [("chi_doan", 30), ("xa", 20), ("huyen", 10)]
    assert [(f.reasons[0], f.min_months) for f in rs.check(Quota).full_exemptions] == [
        ("học", 6), ("ốm", None), ("thai sản", None)]
    assert rs.check(MonthlyLeaders).positions == ("Bí thư", "Phó Bí thư")


def test_da_nang_2018():
    rs = load_ruleset(RULES / "da-nang-2018.yaml")
    assert (rs.check(Quota).days, rs.periods) == (30, ((date(2018, 1, 1), date(2018, 12, 31)),))
    assert len(rs.check(Content).kinds) == 4 and rs.check(Content).unmatched == "count"


def test_every_shipped_key_is_commented():
    for path in RULES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Bộ quy tắc:"), path.name
        assert set(yaml.safe_load(text)) <= {line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()}


# --- validation messages -----------------------------------------------------


def test_wrong_type_names_file_key_and_expectation(tmp_path):
    bad = GOOD.replace("quota_days: 60", 'quota_days: "sáu mươi"')
    assert error_of(tmp_path, bad) == 'khoá "quota_days" phải là số nguyên dương, đang là "sáu mươi".'


def test_boolean_is_not_a_number(tmp_path):
    bad = GOOD.replace("quota_days: 60", "quota_days: true")
    assert error_of(tmp_path, bad) == 'khoá "quota_days" phải là số nguyên dương, đang là true.'


def test_unknown_key_lists_the_allowed_keys(tmp_path):
    message = error_of(tmp_path, GOOD + "quota: 60\n")
    assert message.startswith('khoá "quota" không được hỗ trợ. Các khoá hợp lệ: schema, name, province, ')
    assert "quota_days" in message


def test_unknown_nested_key_names_its_path(tmp_path):
    bad = GOOD + "levels:\n  items:\n    - {key: xa, label: Xã, quotas: 20, column: [xã]}\n"
    assert error_of(tmp_path, bad) == ('khoá "levels.items[0].quotas" không được hỗ trợ. Các khoá hợp lệ trong '
                                       '"levels.items[0]": key, label, quota, column, place.')


def test_wrong_date_names_the_key_and_the_form(tmp_path):
    bad = GOOD.replace("start: 2020-03-01", 'start: "01/03/2020"')
    assert error_of(tmp_path, bad) == ('khoá "periods[0].start" phải là một ngày dạng YYYY-MM-DD (ví dụ 2020-03-01), '
                                       'đang là "01/03/2020".')


def test_impossible_date_is_rejected(tmp_path):
    bad = GOOD.replace("end: 2020-12-31", 'end: "2020-02-30"')
    assert error_of(tmp_path, bad).startswith('khoá "periods[0].end" phải là một ngày dạng YYYY-MM-DD')


def test_period_ending_before_it_starts(tmp_path):
    bad = GOOD.replace("end: 2020-12-31", "end: 2020-02-01")
    assert error_of(tmp_path, bad) == ('khoá "periods[0].end" phải không trước ngày bắt đầu 2020-03-01, '
                                       'đang là "2020-02-01".')


def test_missing_required_key(tmp_path):
    assert error_of(tmp_path, GOOD.replace("quota_days: 60\n", "")) == 'thiếu khoá "quota_days" (bắt buộc).'


def test_periods_and_years_are_exclusive(tmp_path):
    message = error_of(tmp_path, GOOD + "years: {first: 2020, last: 2021}\n")
    assert message.startswith('cần đúng một trong hai khoá "periods"')


def test_choice_lists_the_options(tmp_path):
    bad = GOOD + "proration: theo_thang\n"
    assert error_of(tmp_path, bad) == 'khoá "proration" phải là một trong: eligible_days_ceil, none, đang là "theo_thang".'


def test_level_quotas_may_not_exceed_the_yearly_quota(tmp_path):
    bad = GOOD + ("levels:\n  items:\n    - {key: chi_doan, label: Chi đoàn, quota: 50, column: [chi đoàn]}\n"
                  "    - {key: xa, label: Xã, quota: 20, column: [xã]}\n")
    assert error_of(tmp_path, bad) == ('khoá "levels.items" có tổng chỉ tiêu các cấp (70) không được vượt quota_days '
                                       "(60), đang là danh sách [50, 20].")


def test_full_exemption_needs_a_reason_or_a_length(tmp_path):
    message = error_of(tmp_path, GOOD + "full_exemptions:\n  - {reasons: []}\n")
    assert message.startswith('khoá "full_exemptions[0]" phải có "reasons" và/hoặc "min_days"/"min_months"')


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = write(tmp_path, GOOD + "levels: [\n")
    with pytest.raises(RuleSetError, match=r'x.yaml, dòng 9 \(khoá "levels"\): tệp kết thúc khi một danh sách \[ \] '
                                           r"hoặc một bảng \{ \} chưa đóng ngoặc."):
        load_ruleset(path)


def test_report_deadline_may_be_switched_off(tmp_path):
    assert load_ruleset(write(tmp_path, GOOD + "report_deadline_days: null\n")).check(ReportDeadline).days is None


def test_years_form(tmp_path):
    text = GOOD.replace("periods:\n  - start: 2020-03-01\n    end: 2020-12-31\n", "years: {first: 2021, last: 2022}\n")
    rs = load_ruleset(write(tmp_path, text))
    assert rs.periods == ((date(2021, 1, 1), date(2021, 12, 31)), (date(2022, 1, 1), date(2022, 12, 31)))


# --- picking -----------------------------------------------------------------


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year", str(y))


def test_pick_prefers_the_narrowest_rule_set_for_the_year():
    rs, reason = pick_ruleset(RULES, year(2020))
    assert rs.name.startswith("Vĩnh Phúc 2020")
    assert reason.startswith(f'Dùng bộ quy tắc "{rs.name}" (')
    assert "vì kỳ 2020 nằm trong thời gian áp dụng." in reason
    assert "Cũng áp dụng được: \"Bà Rịa – Vũng Tàu 2018–2022\"" in reason
    assert pick_ruleset(RULES, year(2018))[0].name == "Đà Nẵng 2018"
    assert pick_ruleset(RULES, year(2019))[0].name == "Bà Rịa – Vũng Tàu 2018–2022"


def test_pick_prefers_a_rule_set_covering_the_whole_quarter():
    q1 = Period(date(2020, 1, 1), date(2020, 3, 31), "quarter", "2020-Q1")
    q2 = Period(date(2020, 4, 1), date(2020, 6, 30), "quarter", "2020-Q2")
    assert pick_ruleset(RULES, q1)[0].name == "Bà Rịa – Vũng Tàu 2018–2022"
    assert pick_ruleset(RULES, q2)[0].name.startswith("Vĩnh Phúc 2020")


def test_pick_without_a_matching_rule_set():
    with pytest.raises(RuleSetError, match="Không có bộ quy tắc nào áp dụng cho kỳ 2030"):
        pick_ruleset(RULES, year(2030))


def test_pick_stops_on_a_broken_file(tmp_path):
    write(tmp_path, GOOD.replace("quota_days: 60", "quota_days: 0"), "hong.yaml")
    with pytest.raises(RuleSetError, match='hong.yaml, dòng 7: khoá "quota_days" phải là số nguyên dương, đang là 0.'):
        pick_ruleset(tmp_path, year(2020))
