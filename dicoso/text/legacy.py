"""Repair names typed with the legacy TCVN3 (ABC, .VnTime) or VNI fonts.

Old books were typed in 8-bit fonts; read as Unicode the bytes show through
as Latin-1 letters: TCVN3 "NguyÔn V¨n Hßa" is "Nguyễn Văn Hòa", VNI
"Nguyeãn Vaên" is "Nguyễn Văn". `repair` converts only when it is certain:
the text has the encoding's give-away characters, uses nothing but the
Latin-1/cp1252 characters such fonts produce, and the converted text is made
of valid Vietnamese syllables. Valid Vietnamese Unicode is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .alphabet import TONES

STOP_TONES = {"\u0301", "\u0323"}  # the only tones allowed after -p -t -c -ch

# TCVN 5712:1993 VN3 (the ABC / .VnTime fonts), as the bytes read in cp1252.
# Checked against glibc iconv TCVN5712-1, which agrees on 0xA1-0xFE. Capitals
# with a tone have no code: .VnTimeH draws the lower-case codes as capitals.
_TCVN3_UNICODE = (
    "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂÊÔƠƯĐ"
)
_TCVN3_CODES = (
    "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\u00adõö÷øùúûüýþ¡¢£¤¥¦§"
)
TCVN3_DECODE = dict(zip(_TCVN3_CODES, _TCVN3_UNICODE, strict=True))
TCVN3_ENCODE = {u: c for c, u in TCVN3_DECODE.items()}

# VNI-Windows: base letter + mark characters (cp1252). Tone marks follow a, e, o,
# u, y, ơ (ô) and ư (ö); circumflex/breve marks carry the tone with them.
# Marks for: no tone, sắc, huyền, hỏi, ngã, nặng (the order of TONES).
_NO_TONE_FIRST = ("", *TONES)
_VNI_TONE = dict(zip(_NO_TONE_FIRST, ("", *"ùøûõï"), strict=True))
_VNI_CIRC = dict(zip(_NO_TONE_FIRST, "âáàåãä", strict=True))  # â ê ô + tone
_VNI_BREVE = dict(zip(_NO_TONE_FIRST, "êéèúüë", strict=True))  # ă + tone
_VNI_I = dict(zip(_NO_TONE_FIRST, "iíìæóò", strict=True))  # i + tone, one character

_VOWELS = "aăâeêioôơuưy"
_VOWEL_SET = frozenset(_VOWELS)
VIET_LETTERS = {
    unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in ("", *TONES)
} | set("bcdđghklmnpqrstvx")
VIET_LETTERS |= {ch.upper() for ch in VIET_LETTERS}


def _vni_lower(letter: str) -> str:
    """VNI spelling of one lower-case Vietnamese letter."""
    if letter == "đ":
        return "ñ"
    nfd = unicodedata.normalize("NFD", letter)
    tone = next((ch for ch in nfd if ch in TONES), "")
    base = nfd[0]
    quality = "".join(ch for ch in nfd[1:] if ch not in TONES)
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == "\u0323":
        return "î"
    if quality == "\u0302":  # circumflex: â ê ô
        return base + _VNI_CIRC[tone]
    if quality == "\u0306":  # breve: ă
        return base + _VNI_BREVE[tone]
    if quality == "\u031b":  # horn: ơ ư
        return {"o": "ô", "u": "ö"}[base] + _VNI_TONE[tone]
    return base + _VNI_TONE[tone]


_VIET_ALPHABET = sorted(
    {ch for ch in VIET_LETTERS if not ch.isascii() or ch.lower() in _VOWELS + "đ"}
)
VNI_ENCODE = {letter: _vni_lower(letter.lower()) for letter in _VIET_ALPHABET}
VNI_ENCODE = {
    k: (v.upper() if k.isupper() else v) for k, v in VNI_ENCODE.items() if v != k
}
VNI_DECODE = {v: k for k, v in VNI_ENCODE.items()}
# Lenient: a capital base followed by a lower-case mark ("Aùnh" for "Ánh").
VNI_DECODE.update(
    {
        v[0] + v[1:].lower(): k
        for k, v in VNI_ENCODE.items()
        if len(v) == 2 and k.isupper()
    }
)

# Characters that give an encoding away: in its table and not a Vietnamese letter.
TCVN3_STRONG = frozenset(TCVN3_DECODE) - VIET_LETTERS
VNI_STRONG = (
    frozenset(ch for ch in "".join(VNI_ENCODE.values()) if not ch.isascii())
    - VIET_LETTERS
)
_LEGACY_CHARS = frozenset(TCVN3_DECODE) | frozenset("".join(VNI_DECODE))
# Every non-ASCII character a text in each legacy font can contain: its codes
# plus the cp1252 punctuation (curly quotes, dashes) and the no-break space.
_PUNCT = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")) | {
    "\u00a0"
}
TCVN3_CHARS = frozenset(TCVN3_DECODE) | _PUNCT
_VNI_SPELLINGS = [_vni_lower(letter.lower()) for letter in _VIET_ALPHABET]
VNI_CHARS = (
    frozenset(ch for sp in _VNI_SPELLINGS for ch in sp + sp.upper() if not ch.isascii())
    | _PUNCT
)


def _words(text: str) -> list[str]:
    return text.split()


# Rimes (vần) without tone; a syllable is an optional initial + one of these.
_RIMES = frozenset(
    _words(
        """a ai ao au ay am an ang anh ap at ac ach ăm ăn ăng ăp ăt ăc âm ân âng âp ât âc âu ây
    e eo em en eng ep et ec ê êu êm ên ênh êp êt êch i ia iu im in inh ip it ich
    iêu iêm iên iêng iêp iêt iêc o oi om on ong op ot oc
    oa oai oay oao oan oang oanh oam oap oat oac oach oăm oăn oăng oăp oăt oăc
    oe oeo oen oem oet oec ô ôi ôm ôn ông ôp ôt ôc ơ ơi ơm ơn ơp ơt
    u ua ui um un ung up ut uc uy uya uyu uyên uyêt uynh uych uyt uyn
    uân uâng uât uây uê uênh uêch uên uêt uơ uôi uôm uôn uông uôt uôc
    ư ưa ưi ưu ưm ưn ưng ưt ưc ươi ươu ươm ươn ương ươp ươt ươc
    y yêu yêm yên yêt yêng"""
    )
)
_INITIALS = sorted(
    _words("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x"),
    key=len,
    reverse=True,
)


def _tokens(text: str) -> list[str]:
    """Runs of letters, combining marks and legacy-font characters."""
    out: list[str] = []
    current = ""
    for ch in text:
        if (
            ch.isalpha()
            or unicodedata.category(ch).startswith("M")
            or ch in _LEGACY_CHARS
        ):
            current += ch
        elif current:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _tone_hosts(rest: str) -> set[int]:
    """Where a rime may carry its tone (indices into `rest`), old or new style."""
    n = next((i for i, ch in enumerate(rest) if ch not in _VOWEL_SET), len(rest))
    marked = [i for i, ch in enumerate(rest[:n]) if ch in "ăâêôơư"]
    if marked:
        return {marked[-1]}  # "tiến", "người", "thuở"
    if n < len(rest):
        return {n - 1}  # closed syllable: "hoàn", "quýt", "khuynh"
    if n == 2 and rest in ("oa", "oe", "uy"):
        return {0, 1}  # "hòa"/"hoà", "thủy"/"thuỷ", "khỏe"/"khoẻ"
    return {1} if n == 3 else {0}  # "ngoài", "khuỷu"; "mùa", "tài", "kìa"


def is_vietnamese_syllable(word: str) -> bool:
    """True for one valid Vietnamese syllable in any case, NFC or NFD, old or new tone style."""
    nfd = unicodedata.normalize("NFD", word.lower())
    tones = [i for i, ch in enumerate(nfd) if ch in TONES]
    if len(tones) > 1:
        return False
    host = -1
    if tones:
        before = nfd[: tones[0]].rstrip("\u0302\u0306\u031b")
        if not before or before[-1] not in "aeiouy":
            return False
        host = sum(1 for ch in before if not unicodedata.combining(ch)) - 1
    base = unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in TONES))
    for initial in ["", *_INITIALS]:
        rest = base[len(initial) :]
        if not base.startswith(initial) or not rest:
            continue
        # "quýt", "quỳnh": the u of qu is the rime's medial (uyt, uynh).
        medial_u = initial == "qu" and rest[0] == "y" and "u" + rest in _RIMES
        if rest not in _RIMES and not medial_u:
            continue
        if tones and host - len(initial) not in _tone_hosts(rest):
            continue
        if rest.endswith(("p", "t", "c", "ch")) and not (
            tones and nfd[tones[0]] in STOP_TONES
        ):
            continue
        return True
    return False


def _word_ok(token: str) -> bool:
    return token.isascii() or is_vietnamese_syllable(token)


def _has_vni_pair(token: str) -> bool:
    return any(token[i : i + 2] in VNI_DECODE for i in range(len(token) - 1))


def decode_tcvn3(text: str) -> str:
    """TCVN3 -> Unicode.

    .VnTimeH draws the lower-case codes as capitals, so a text typed in it comes
    back in capitals: it has no ASCII lower-case letter and some word has an
    ASCII capital after its first letter ("NGUYÔN V¡N HßA"). "Lª Vò" stays "Lê Vũ".
    """
    decoded = "".join(TCVN3_DECODE.get(ch, ch) for ch in text)
    no_lower = not any(ch.isascii() and ch.islower() for ch in text)
    inner_capital = any(
        ch.isascii() and ch.isupper() for word in _tokens(text) for ch in word[1:]
    )
    if no_lower and inner_capital:
        return decoded.upper()
    return _title_words(decoded, text)


def _title_words(decoded: str, raw: str) -> str:
    """A name in title case whose word starts with a toned vowel: .VnTime has no code for
    "Á", so the typist used the lower-case one ("Trịnh Thị Ngọc ánh" is "… Ánh")."""
    words, raw_words = decoded.split(" "), raw.split(" ")
    lonely = [
        i
        for i, (w, r) in enumerate(zip(words, raw_words))
        if r[:1] in TCVN3_DECODE and w[:1].islower() and w[:1].upper() not in TCVN3_ENCODE
    ]
    others = [w for i, w in enumerate(words) if i not in lonely and any(ch.isalpha() for ch in w)]
    if not lonely or not others or not all(w[:1].isupper() for w in others):
        return decoded
    return " ".join(w[:1].upper() + w[1:] if i in lonely else w for i, w in enumerate(words))


def decode_vni(text: str) -> str:
    """VNI -> Unicode, longest match first ("oâ" is ô, "ô" alone is ơ)."""
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in VNI_DECODE:
            out.append(VNI_DECODE[pair])
            i += 2
        else:
            out.append(VNI_DECODE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def encode_tcvn3(text: str) -> str:
    """Unicode (NFC) -> TCVN3; for round-trip tests. A capital that has no code of its own
    (only Ă Â Ê Ô Ơ Ư Đ have one) is written with the lower-case code, as .VnTimeH does."""
    return "".join(
        TCVN3_ENCODE.get(ch) or TCVN3_ENCODE.get(ch.lower(), ch)
        for ch in unicodedata.normalize("NFC", text)
    )


def encode_vni(text: str) -> str:
    """Unicode (NFC) -> VNI; for round-trip tests."""
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def _well_cased(word: str) -> bool:
    """lower, UPPER or Title: a decoding that puts a capital mid-word is wrong."""
    return word in (word.lower(), word.upper(), word[:1].upper() + word[1:].lower())


def valid_result(text: str) -> bool:
    tokens = _tokens(text)
    return all(_word_ok(t) and _well_cased(t) for t in tokens) and not any(
        ch in TCVN3_STRONG or ch in VNI_STRONG for ch in text
    )


def repair(s: object) -> tuple[str, str]:
    """(text, status) of `repair_text`; ASCII text is Unicode as it is."""
    text = "" if s is None else s if isinstance(s, str) else str(s)
    if text.isascii():
        return text, "unicode"
    return repair_text(text)


@lru_cache(maxsize=1 << 16)
def repair_text(s: str) -> tuple[str, str]:
    """(text, status): status is "unicode" (unchanged), "tcvn3", "vni" or "suspect" (unchanged).

    A strong signal (a character no Vietnamese word contains, or a VNI vowel +
    mark pair inside a word that is not Vietnamese) that cannot be converted
    for sure gives "suspect". A weak one (a word that is not Vietnamese and
    has letters of a legacy table) is converted when the result is valid and
    unique, else the text is left as Unicode (a foreign name such as "José").
    """
    if s is None:
        return "", "unicode"
    text = s if isinstance(s, str) else str(s)
    words = [t for t in _tokens(text) if len(t) > 1]
    odd = [t for t in words if not _word_ok(t)]
    strong = {
        "tcvn3": any(ch in TCVN3_STRONG for t in words for ch in t),
        "vni": any(ch in VNI_STRONG for t in words for ch in t)
        or any(map(_has_vni_pair, odd)),
    }
    weak = {
        "tcvn3": any(ch in TCVN3_DECODE for t in odd for ch in t),
        "vni": any(not ch.isascii() and ch in VNI_CHARS for t in odd for ch in t),
    }
    if not any(strong.values()) and not any(weak.values()):
        return text, "unicode"
    found: list[tuple[str, str]] = []
    for status, charset, decode in (
        ("tcvn3", TCVN3_CHARS, decode_tcvn3),
        ("vni", VNI_CHARS, decode_vni),
    ):
        # Every non-ASCII character must be one the legacy font can produce.
        if (strong[status] or weak[status]) and all(
            ch.isascii() or ch in charset for ch in text
        ):
            decoded = decode(text)
            if decoded != text and valid_result(decoded):
                found.append((decoded, status))
    if len(found) == 1:
        return found[0]
    if found or any(strong.values()):
        return text, "suspect"
    return text, "unicode"


DECODERS = {"tcvn3": (TCVN3_CHARS, decode_tcvn3), "vni": (VNI_CHARS, decode_vni)}
_ASCII = frozenset(map(chr, range(128)))
_TCVN3_TEXT, _VNI_TEXT = _ASCII | TCVN3_CHARS, _ASCII | VNI_CHARS


# a character neither font produces: found in C at the first "ễ" of a Unicode text (the reader
# asks this of every distinct text of every sheet)
_NEITHER = re.compile("[^" + "".join(re.escape(ch) for ch in sorted(_TCVN3_TEXT | _VNI_TEXT)) + "]")


def could_be_legacy(text: str) -> bool:
    """Every character one a legacy font can produce (cheap): a text with any other one
    ("ễ", "ư", "đ", …) is never converted by `repair_text` or `repair_in`."""
    if _NEITHER.search(text):
        return False
    chars = set(text)
    return chars <= _TCVN3_TEXT or chars <= _VNI_TEXT


@lru_cache(maxsize=1 << 16)
def repair_in(text: str, encoding: str | None) -> tuple[str, str]:
    """`repair_text` for a cell of a sheet typed in `encoding` ("tcvn3", "vni" or None).

    In such a sheet a text is read in the sheet's encoding whenever it can be (every
    character one the font produces, the result Vietnamese), even when it would also
    be valid Unicode as it stands: TCVN3 "Dòng" is "Dũng", "Ghi chó" is "Ghi chú".
    A text the font cannot have produced ("Nguyễn" typed later in Unicode) is left to
    `repair_text`.
    """
    if not could_be_legacy(text):
        return text, "unicode" if encoding else repair_text(text)[1]
    if encoding in DECODERS and not text.isascii():
        charset, decode = DECODERS[encoding]
        if all(ch.isascii() or ch in charset for ch in text):
            decoded = decode(text)
            if decoded != text and valid_result(decoded):
                return decoded, encoding
    return repair_text(text)


UNICODE_ENOUGH = 40  # Unicode texts, with no legacy one among them, that settle a sheet


def sheet_encoding(texts: Iterable[str]) -> str | None:
    """The legacy encoding a sheet is typed in, from (a sample of) its distinct texts.

    "tcvn3" or "vni" when texts that only read right in that encoding outnumber both
    those of the other encoding and the non-ASCII texts that read right as Unicode;
    None for a Unicode sheet (a stray legacy cell in it is still repaired on its own).
    """
    votes = {"tcvn3": 0, "vni": 0, "unicode": 0}
    for text in texts:
        if not text.isascii():
            status = repair_text(text)[1] if could_be_legacy(text) else "unicode"
            if status in votes:
                votes[status] += 1
            if votes["unicode"] >= UNICODE_ENOUGH and not votes["tcvn3"] and not votes["vni"]:
                return None  # a Unicode sheet (a stray legacy cell further on is repaired on its own)
    best = max(("tcvn3", "vni"), key=lambda enc: votes[enc])
    other = "vni" if best == "tcvn3" else "tcvn3"
    return best if votes[best] > max(votes[other], votes["unicode"]) else None
