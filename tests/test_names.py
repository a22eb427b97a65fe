import unicodedata

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dicoso.text.clean import clean
from dicoso.text.names import closest, name_key

# (old tone placement, new tone placement)
TONE_PLACEMENT_PAIRS = [
    ("Hoà", "Hòa"),
    ("Thuỷ", "Thủy"),
    ("Khoẻ", "Khỏe"),
    ("Tuý", "Túy"),
    ("Hoá", "Hóa"),
    ("Hoạ", "Họa"),
    ("Hoè", "Hòe"),
    ("Thoả", "Thỏa"),
    ("Loè", "Lòe"),
    ("Huỳ", "Hùy"),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Dương"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Thu", "Ngọc", "Minh", "Thanh"]
GIVEN = [
    "Hòa",
    "Hoà",
    "Thủy",
    "Thuỷ",
    "Trang",
    "Hùng",
    "Dũng",
    "Tuấn",
    "Hường",
    "Khỏe",
    "Quỳnh",
]

names = st.builds(
    lambda a, b, c: f"{a} {b} {c}",
    st.sampled_from(SURNAMES),
    st.sampled_from(MIDDLES),
    st.sampled_from(GIVEN),
)


def _old_style(name: str) -> str:
    for old, new in TONE_PLACEMENT_PAIRS:
        name = name.replace(new, old)
    return name


def test_clean_text_spaces_and_nfc():
    assert clean("  Nguyễn\u00a0Văn\tHòa \n") == "Nguyễn Văn Hòa"
    assert clean(unicodedata.normalize("NFD", "Hòa")) == "Hòa"
    assert clean("Nguyễn\r\nVăn   Hòa") == "Nguyễn Văn Hòa"


def test_clean_text_missing_values():
    assert [clean(v) for v in [None, float("nan"), pd.NA, pd.NaT, ""]] == [
        "",
        "",
        "",
        "",
        "",
    ]
    assert clean(12) == "12"


def test_clean_keeps_case_and_tone_placement_as_typed():
    assert clean("  nguyễn văn  Hoà ") == "nguyễn văn Hoà"


def test_name_key_ignores_unicode_form_case_and_spacing():
    key = name_key("Nguyễn Văn Hòa")
    assert key == "nguyên4 văn hoa2"
    assert name_key(unicodedata.normalize("NFD", "Nguyễn Văn Hòa")) == key
    assert name_key("  NGUYỄN   VĂN\u00a0HÒA ") == key


def test_name_key_ignores_tone_placement():
    for old, new in TONE_PLACEMENT_PAIRS:
        assert name_key(old) == name_key(new), (old, new)


def test_name_key_keeps_different_people_apart():
    keys = [name_key(n) for n in ["Hòa", "Hoa", "Hóa", "Họa", "Hỏa", "Hõa"]]
    assert len(set(keys)) == 6
    assert name_key("Đào") != name_key("Dào")
    assert name_key("Hương") != name_key("Hướng")
    assert name_key("Thư") != name_key("Thu")


def test_closest_finds_typo_and_missing_accents():
    roster = {
        name_key(n): n for n in ["Nguyễn Văn Hòa", "Trần Thị Thu Trang", "Bùi Thị Thủy"]
    }
    assert closest("Nguyen Van Hoa", roster) == ("Nguyễn Văn Hòa", 95.0)
    assert closest("Bui Thi Thuy", roster) == ("Bùi Thị Thủy", 95.0)
    assert closest("Nguyễn Văn Hoà", roster) == ("Nguyễn Văn Hòa", 100.0)
    assert closest("Trần Thị Trang", roster)[0] == "Trần Thị Thu Trang"


def test_closest_nothing_close_enough():
    roster = {name_key(n): n for n in ["Nguyễn Văn Hòa", "Trần Thị Thu Trang"]}
    assert closest("Lê Văn Tám", roster) == (None, 0.0)
    assert closest("", roster) == (None, 0.0)
    assert closest("Nguyễn Văn Hòa", {}) == (None, 0.0)


def test_closest_prefers_same_accents():
    roster = {name_key(n): n for n in ["Nguyễn Văn Hoa", "Nguyễn Văn Hòa"]}
    assert closest("Nguyễn Văn Hoà", roster) == ("Nguyễn Văn Hòa", 100.0)
    assert closest("Nguyễn Văn Hoa", roster) == ("Nguyễn Văn Hoa", 100.0)


@given(
    names,
    st.sampled_from(["NFC", "NFD"]),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_name_key_invariants(name, form, case):
    variant = (
        "  "
        + "   ".join(unicodedata.normalize(form, case(_old_style(name))).split())
        + " "
    )
    assert name_key(variant) == name_key(name)


@given(names, st.sampled_from(["\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]))
def test_name_key_differs_when_a_tone_differs(name, tone):
    # Put a different tone on the first vowel of the given name.
    words = unicodedata.normalize("NFD", name).split()
    last = [ch for ch in words[-1] if ch not in "\u0301\u0300\u0309\u0303\u0323"]
    first_vowel = next(i for i, ch in enumerate(last) if ch.lower() in "aeiouy")
    original_tones = [ch for ch in words[-1] if ch in "\u0301\u0300\u0309\u0303\u0323"]
    if original_tones == [tone]:
        return
    last.insert(first_vowel + 1, tone)
    changed = " ".join([*words[:-1], "".join(last)])
    assert name_key(changed) != name_key(name)
