import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicoso.text import legacy
from dicoso.text.legacy import (
    TCVN3_ENCODE,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
    repair,
)

TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
LOWER_LETTERS = sorted(
    {unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in TONES}
    - set("aeiouy")
    | {"đ"}
)
TCVN3_CAPITALS = ["Ă", "Â", "Đ", "Ê", "Ô", "Ơ", "Ư"]


def _words(text: str) -> list[str]:
    return text.split()


# Real syllables of names, places and office words; old and new tone placement.
SYLLABLES = _words(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh
Lương Trịnh Mai Tạ Văn Thị Hữu Đức Công Quốc Minh Ngọc Thu Thanh Xuân Hồng Kim Bảo Gia
Anh Hòa Hoà Thủy Thuỷ Khỏe Khoẻ Túy Tuý Trang Hùng Dũng Tuấn Hường Quỳnh Nguyệt Tuyết
Yến Oanh Loan Khoa Toản Quyết Thắng Huệ Nhung Nhàn Thoa Hạnh Phúc Lộc Thọ Khuê Uyên
Ánh Ấn Ủy Ước Điệp Giang Nghĩa Nghiêm Khương Chiến Thuận Trường Đại học Việt Vĩnh
Tỉnh đoàn Huyện xã Ban Tuyên giáo Phong trào Mường Thoả Hoạch Xoăn Khuỷu Quý Thường
trực Thiếu nhi kiểm tra chi Huế Sơn Phượng Tường Giữa Gìn Quân Khánh Ngoạn Huân Hiếu
"""
)

vietnamese_names = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=5).map(
    " ".join
)


# --- tables --------------------------------------------------------------------


def test_tcvn3_round_trip_every_letter():
    for letter in LOWER_LETTERS + TCVN3_CAPITALS:
        encoded = encode_tcvn3(letter)
        assert len(encoded) == 1 and ord(encoded) < 0x100, letter  # ý is 0xFD itself
        assert decode_tcvn3(encoded) == letter
    assert len({encode_tcvn3(x) for x in LOWER_LETTERS + TCVN3_CAPITALS}) == 74


def test_vni_round_trip_every_letter():
    letters = LOWER_LETTERS + [x.upper() for x in LOWER_LETTERS]
    for letter in letters:
        encoded = encode_vni(letter)
        assert all(ord(ch) < 0x100 for ch in encoded), letter
        assert decode_vni(encoded) == letter, (letter, encoded)
    assert len({encode_vni(x) for x in letters}) == len(letters)


def test_vni_spellings():
    assert encode_vni("Nguyễn Văn Hòa") == "Nguyeãn Vaên Hoøa"
    assert encode_vni("Trường Đại học") == "Tröôøng Ñaïi hoïc"
    assert encode_vni("Ỵ ỵ ĩ ị ỉ") == "Î î ó ò æ"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_tcvn3_table_matches_glibc_iconv():
    text = "".join(LOWER_LETTERS + TCVN3_CAPITALS)
    done = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
        input=text.encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert done.stdout.decode("latin-1") == encode_tcvn3(text)


# --- repair ----------------------------------------------------------------------


def test_tcvn3_names_repaired():
    assert repair("NguyÔn V¨n Hßa") == ("Nguyễn Văn Hòa", "tcvn3")
    assert repair("Bïi ThÞ Thu Trang") == ("Bùi Thị Thu Trang", "tcvn3")
    assert repair("TrÇn Quèc To¶n") == ("Trần Quốc Toản", "tcvn3")
    assert repair("Tr\u00adêng §¹i häc") == ("Trường Đại học", "tcvn3")
    assert repair("Lª ThÞ Thuû") == ("Lê Thị Thuỷ", "tcvn3")


def test_tcvn3_vntimeh_capitals_repaired():
    assert repair("NGUYÔN V¡N HßA") == ("NGUYỄN VĂN HÒA", "tcvn3")
    assert repair("§ç THÞ H¦êNG") == ("ĐỖ THỊ HƯỜNG", "tcvn3")
    # Title case in .VnTime looks the same word by word: no inner capital, no change.
    assert repair("Lª Vò") == ("Lê Vũ", "tcvn3")


def test_vni_names_repaired():
    assert repair("Nguyeãn Vaên") == ("Nguyễn Văn", "vni")
    assert repair("Nguyeãn Vaên Hoøa") == ("Nguyễn Văn Hòa", "vni")
    assert repair("Tröôøng Ñaïi hoïc") == ("Trường Đại học", "vni")
    assert repair("NGUYEÃN VAÊN HOØA") == ("NGUYỄN VĂN HÒA", "vni")


def test_unicode_left_unchanged():
    for text in [
        "Nguyễn Văn Hòa",
        "Nguyễn Văn Hoà",
        "Hoàng Thị Thuỷ",
        unicodedata.normalize("NFD", "Trần Quốc Toản"),
        "NGUYỄN VĂN HÒA",
        "Nguyen Van Hoa",
        "Ban Tuyên giáo, Tỉnh đoàn",
        "H'Hen Niê",
        "José",
        "Số 5 ½ ngày",
        "",
    ]:
        assert repair(text) == (text, "unicode"), text
    assert repair(None) == ("", "unicode")


def test_tcvn3_without_give_away_characters_repaired_when_only_valid_reading():
    # "Huúnh" is no Vietnamese word; read as TCVN3 it is "Huỳnh".
    assert repair("Huúnh Gia Dòng") == ("Huỳnh Gia Dũng", "tcvn3")


def test_legacy_text_that_is_also_valid_unicode_is_left_alone():
    # VNI "HỒ GIA GIANG" is "HOÀ GIA GIANG", a valid Unicode name: nothing to go on.
    assert repair("HOÀ GIA GIANG") == ("HOÀ GIA GIANG", "unicode")


def test_single_word_readable_both_ways_is_suspect():
    # VNI "THỌ" and TCVN3 (.VnTimeH) "THOẼ" are both valid syllables.
    assert repair("THOÏ") == ("THOÏ", "suspect")
    # A longer name settles it: "Nguyeãn" is only valid as VNI.
    assert repair("NGUYEÃN THOÏ") == ("NGUYỄN THỌ", "vni")


def test_suspect_when_legacy_chars_cannot_be_converted_for_sure():
    # TCVN3 with the invisible "ư" (soft hyphen) lost in a copy-paste.
    assert repair("Trêng §¹i häc") == ("Trêng §¹i häc", "suspect")
    # Unicode and TCVN3 mixed in one cell.
    assert repair("Nguyễn V¨n Hßa") == ("Nguyễn V¨n Hßa", "suspect")
    assert repair("Hòa®") == ("Hòa®", "suspect")


def test_syllable_check():
    valid = [
        "Nguyễn",
        "hoà",
        "hòa",
        "QUỲNH",
        "gìn",
        "giữa",
        "khuỷu",
        "xoăn",
        "đoàn",
        "Ánh",
    ]
    invalid = ["Nguyeãn", "Vaên", "hòá", "Hßa", "đá́", "bát̀", "sác̃h", "xyz"]
    assert [w for w in valid if not is_vietnamese_syllable(w)] == []
    assert [w for w in invalid if is_vietnamese_syllable(w)] == []


# --- properties ------------------------------------------------------------------


@given(
    vietnamese_names,
    st.sampled_from(["NFC", "NFD"]),
    st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
)
def test_vietnamese_unicode_always_unchanged(name, form, case):
    text = unicodedata.normalize(form, case(name))
    assert repair(text) == (text, "unicode")


@given(vietnamese_names, st.booleans())
def test_tcvn3_repair_round_trip(name, lower):
    text = name.lower() if lower else name
    if any(ch.isupper() and not ch.isascii() and ch not in TCVN3_ENCODE for ch in text):
        return  # TCVN3 has no code for this capital (typed with .VnTimeH instead)
    encoded = encode_tcvn3(text)
    assert decode_tcvn3(encoded) == text
    result = repair(encoded)
    if all(w.isascii() or is_vietnamese_syllable(w) for w in encoded.split()):
        assert result == (encoded, "unicode")  # TCVN3 "Dòng" (Dũng) is Unicode "Dòng"
    elif result[1] == "suspect":  # only when the VNI reading is valid too
        assert legacy.valid_result(decode_vni(encoded)), encoded
    else:
        assert result == (text, "tcvn3")


@given(vietnamese_names, st.sampled_from([str.lower, str.upper, lambda s: s]))
def test_vni_repair_round_trip(name, case):
    text = case(name)
    encoded = encode_vni(text)
    assert decode_vni(encoded) == text
    result = repair(encoded)
    if all(w.isascii() or is_vietnamese_syllable(w) for w in encoded.split()):
        assert result == (encoded, "unicode")  # VNI "Hồng" is Unicode "Hoàng"
    elif result[1] == "suspect":  # only when the TCVN3 reading is valid too
        assert legacy.valid_result(decode_tcvn3(encoded)), encoded
    else:
        assert result == (text, "vni")


# --- a sheet's encoding ------------------------------------------------------------


def test_a_sheet_typed_in_tcvn3_reads_even_its_ambiguous_cells_in_tcvn3():
    from dicoso.text.legacy import repair_in, sheet_encoding

    texts = [encode_tcvn3(t) for t in ("Họ và tên", "Ghi chú", "Bùi Văn Dũng", "Huyện đoàn Tam Dương")]
    assert sheet_encoding(texts) == "tcvn3"
    # "Dòng" and "Ghi chó" are valid Unicode as they stand; in a TCVN3 sheet they are Dũng, chú
    assert repair_in(encode_tcvn3("Bùi Văn Dũng"), "tcvn3") == ("Bùi Văn Dũng", "tcvn3")
    assert repair_in("Ghi chó", "tcvn3") == ("Ghi chú", "tcvn3")
    assert repair_in("Ghi chó", None) == ("Ghi chó", "unicode")
    # a cell typed later in Unicode stays as it is
    assert repair_in("Nguyễn Văn Hùng", "tcvn3") == ("Nguyễn Văn Hùng", "unicode")


def test_a_unicode_sheet_with_one_legacy_name_is_a_unicode_sheet():
    from dicoso.text.legacy import sheet_encoding

    texts = ["Họ và tên", "Ghi chú", "Nguyễn Văn Hùng", "Trần Thị Thu Hà", "NguyÔn V¨n Nam", "Huyện đoàn"]
    assert sheet_encoding(texts) is None
    assert sheet_encoding([encode_vni(t) for t in texts[:4]]) == "vni"


def test_vntime_capital_of_a_toned_vowel_comes_back_in_a_title_case_name():
    assert repair(encode_tcvn3("Trịnh Thị Ngọc Ánh")) == ("Trịnh Thị Ngọc Ánh", "tcvn3")
    assert repair(encode_tcvn3("Khảo sát ý kiến")) == ("Khảo sát ý kiến", "tcvn3")  # not a name: as typed
