"""What is wrong in a Word template the office edited, said so that the clerk finds it in Word.

The template is read as Word shows it (the runs of a paragraph joined, so a tag half
bold is still one tag), paragraph by paragraph with the section or appendix each is
in. Before anything is rendered, `lint` finds what Jinja would misread or silently
print: a tag with a brace missing or extra (`{ office.signer_name }}`, `{{ t.cadres }`,
`{{ t.days }}}`), a block that never closes or an end without its start (a deleted
`{%tr for … %}` row), a loop that lost its data row, an appendix table with no loop
left. `explain` turns Jinja's own errors (an unknown variable, a bad expression) into
the same kind of message. Every message names the tag exactly as typed in Word (with
its `p`/`tr` prefix, so that Word's Find finds it), where it is, and the nearest
sentence; it is Vietnamese and says what to do.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from .office import RenderError

# A well-formed tag holds no brace of its own: `{{ x } y }}` is two broken pieces, not one tag.
_WELL_FORMED = re.compile(r"\{\{[^{}]*\}\}|\{%[^{}]*?%\}|\{#[^{}]*?#\}")
_PREFIX = re.compile(r"^\{([{%])-?(p|tr|tc|r)?(?=\s)")
# Broken pieces in a paragraph whose well-formed tags are blanked out with \0 (same length).
_BROKEN = [
    (re.compile(r"\{\{[^{}\0]*\}(?!\})"), "thiếu một dấu “}” ở cuối"),
    (re.compile(r"\{%[^{}\0]*\}(?!\})"), "thiếu dấu “%” trước dấu “}” ở cuối"),
    (re.compile(r"(?<![{%\0])\{[^{}%\0]*\}\}"), "thiếu một dấu “{” ở đầu"),
    (re.compile(r"(?<![{\0])\{[^{}%\0]*%\}"), "thiếu dấu “%” sau dấu “{” ở đầu"),
    (re.compile(r"\0+\}+|\{+\0+"), "thừa một dấu ngoặc nhọn"),
    (re.compile(r"\{[{%][^{}\0]*"), "chưa có dấu đóng “}}” hoặc “%}”"),
    (re.compile(r"[^{}\0]*[}%]\}"), "chưa có dấu mở “{{” hoặc “{%”"),
    (re.compile(r"\{[^{}\0]*\}?|[^{}\0]*\}"), "chỉ có một dấu ngoặc nhọn"),
]
_BLOCKS = {"for", "if", "with", "filter", "macro", "call", "block", "raw", "autoescape"}
# docxtpl's own tags for table cells besides Jinja's statements
_STATEMENTS = _BLOCKS | {"else", "elif", "set", "cellbg", "colspan", "hm", "vm"} | {"end" + b for b in _BLOCKS}
_FIX = ("Mỗi thẻ phải đủ hai dấu ngoặc ở hai đầu, {{ tên biến }} hoặc {% lệnh %}, nằm trọn trên một dòng; "
        "sửa trong Word (Ctrl+H để tìm thẻ) rồi chạy lại.")
_RESTORE = ("Chép lại dòng đó từ mẫu gốc (lệnh python tools/make_template.py --out \"D:/mau goc\" tạo các mẫu gốc "
            "trong thư mục D:/mau goc mà không đụng đến mẫu đang dùng), rồi chạy lại.")


@dataclass
class Para:
    text: str  # as Word shows it
    section: str  # "mục “1. Kết quả chung”", "Phụ lục I", "phần đầu văn bản"
    where: str  # the section, and in a table which row
    context: str  # the nearest sentence
    table: int | None = None  # which table of the body (None: not in a table)
    row: int | None = None


@dataclass
class Tag:
    text: str  # exactly as typed in Word
    para: Para
    kind: str  # "{{" or "{%"
    prefix: str  # "", "p", "tr", "tc", "r"
    body: str  # inside the braces, without the prefix

    @property
    def word(self) -> str:
        words = self.body.split()
        return words[0] if self.kind == "{%" and words else ""

    def normal(self) -> str:
        """The tag as docxtpl hands it to Jinja (no prefix, spaces collapsed)."""
        return self.kind + " " + " ".join(self.body.split()) + " " + ("}}" if self.kind == "{{" else "%}")


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _short(text: str, around: int = 0, width: int = 150) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    start = max(0, min(around - width // 3, len(text) - width))
    return ("…" if start else "") + text[start:start + width].strip() + ("…" if start + width < len(text) else "")


def _is_heading(p, text: str) -> bool:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return (style is not None and (style.get(qn("w:val")) or "").startswith("Heading")) or bool(
        re.match(r"^(?:[IVX]+|\d+)\.\s+\S", text))


def _blocks_of(body) -> Iterator[Any]:
    """Paragraphs and tables in order, also inside content controls (w:sdt)."""
    for child in body.iterchildren():
        if child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks_of(content)
        else:
            yield child


def paragraphs(body) -> list[Para]:
    """The body's paragraphs in order, each with where it is (see `Para`)."""
    out: list[Para] = []
    section = "phần mở đầu"
    last_sentence = ""
    tables = 0
    for child in _blocks_of(body):
        if child.tag == qn("w:p"):
            text = _text(child)
            literal = _WELL_FORMED.sub("", text).strip()
            if literal.startswith("Phụ lục"):
                section = literal.split("(")[0].strip()
            elif literal and _is_heading(child, literal):
                section = f"mục “{literal}”"
            out.append(Para(text, section, section, text if literal else last_sentence))
            last_sentence = text if literal else last_sentence
        elif child.tag == qn("w:tbl"):
            rows = [[_text(p) for tc in tr.iter(qn("w:tc")) for p in tc.iter(qn("w:p"))]
                    for tr in child.iter(qn("w:tr"))]
            whole = " ".join(t for row in rows for t in row)
            if "ĐOÀN TNCS" in whole or "office.number" in whole:
                where = "phần đầu văn bản (cơ quan, số, ngày tháng)"
            elif "Nơi nhận" in whole or "office.signer" in whole:
                where = "phần chữ ký và nơi nhận"
            else:
                where = section
            header = " | ".join(t for t in rows[0] if t.strip()) if rows else ""
            for r, tr in enumerate(child.iter(qn("w:tr"))):
                row_text = " | ".join(x for x in rows[r] if _WELL_FORMED.sub("", x).strip() or "{{" in x)
                for p in tr.iter(qn("w:p")):
                    text = _text(p)
                    in_table = f"{where}, bảng, dòng {r + 1}" if where == section else where
                    out.append(Para(text, section, in_table, row_text or header, tables, r))
            tables += 1
    return out


def tags(paras: list[Para]) -> list[Tag]:
    out = []
    for para in paras:
        for m in _WELL_FORMED.finditer(para.text):
            text = m.group(0)
            prefix = _PREFIX.match(text)
            inner = text[2:-2]
            if prefix and prefix.group(2):
                inner = inner[len(prefix.group(2)):]
            out.append(Tag(text, para, text[:2], prefix.group(2) or "" if prefix else "", inner.strip(" -+")))
    return out


def _fail(name: str, message: str) -> RenderError:
    return RenderError(f"Mẫu {name}: {message}")


def at(tag_or_para: Tag | Para) -> str:
    para = tag_or_para.para if isinstance(tag_or_para, Tag) else tag_or_para
    return f"ở {para.where}, gần đoạn “{_short(para.context)}”" if para.context else f"ở {para.where}"


# --- before rendering ---------------------------------------------------------------------
def lint(body, name: str) -> list[Tag]:
    """Raise RenderError for the first thing Jinja would misread or print as is; return the tags."""
    paras = paragraphs(body)
    for para in paras:
        _broken_pieces(para, name)
    found = tags(paras)
    for tag in found:
        if tag.kind == "{%" and tag.word not in _STATEMENTS:
            raise _fail(name, f"thẻ “{tag.text}” {at(tag)} không phải lệnh của mẫu (chỉ dùng for, endfor, if, "
                              f"elif, else, endif). Sửa lại cho đúng như trong mẫu gốc rồi chạy lại.")
    _blocks(found, name)
    _appendix_loops(paras, found, name)
    return found


def _broken_pieces(para: Para, name: str) -> None:
    if "{" not in para.text and "}" not in para.text:
        return
    blanked = _WELL_FORMED.sub(lambda m: "\0" * len(m.group(0)), para.text)
    if "{" not in blanked and "}" not in blanked:
        return
    for pattern, what in _BROKEN:
        m = pattern.search(blanked)
        if m and ("{" in m.group(0) or "}" in m.group(0)):
            piece = _short(para.text[m.start():m.end()], width=60)
            raise _fail(name, f"thẻ “{piece}” {what}, ở {para.where}, trong đoạn “{_short(para.text, m.start())}”. "
                              + _FIX)


def _blocks(found: list[Tag], name: str) -> None:
    """Blocks open and close in order; a loop shows something of what it loops over."""
    stack: list[tuple[Tag, int]] = []
    for i, tag in enumerate(found):
        word = tag.word
        if word in _BLOCKS:
            stack.append((tag, i))
        elif word in ("else", "elif"):
            if not stack or stack[-1][0].word not in ("if", "for"):
                raise _fail(name, f"thẻ “{tag.text}” {at(tag)} không nằm trong khối {{% if … %}} nào: thẻ mở "
                                  "{% if … %} trước nó có lẽ đã bị xoá. " + _RESTORE)
        elif word.startswith("end"):
            if not stack:
                raise _fail(name, f"thẻ “{tag.text}” {at(tag)} không có thẻ mở tương ứng: dòng hoặc đoạn chứa thẻ "
                                  f"“{{%{tag.prefix} {word[3:]} … %}}” của {_place(tag)} có lẽ đã bị xoá. " + _RESTORE)
            opened, start = stack.pop()
            if word[3:] != opened.word or tag.prefix != opened.prefix:
                raise _fail(name, f"thẻ “{tag.text}” {at(tag)} đóng nhầm khối “{opened.text}” ({at(opened)}): "
                                  "mỗi thẻ mở cần đúng một thẻ đóng cùng loại, ví dụ {%tr for … %} đóng bằng "
                                  "{%tr endfor %}. " + _RESTORE)
            if opened.word == "for":
                _loop_shows_something(opened, found[start + 1:i], tag, name)
    if stack:
        opened, _ = stack[-1]
        end = f"{{%{opened.prefix} end{opened.word} %}}"
        raise _fail(name, f"thẻ “{opened.text}” {at(opened)} chưa có thẻ đóng “{end}”: dòng hoặc đoạn chứa thẻ đóng "
                          f"của {_place(opened)} có lẽ đã bị xoá. " + _RESTORE)


def _place(tag: Tag) -> str:
    if tag.para.section.startswith("Phụ lục") and tag.prefix == "tr":
        return f"bảng {tag.para.section}"
    return tag.para.section


def _loop_shows_something(loop: Tag, inside: list[Tag], end: Tag, name: str) -> None:
    words = loop.body.split()
    var = words[1].rstrip(",") if len(words) > 1 else ""
    uses = re.compile(rf"(?<![\w.]){re.escape(var)}\b")
    if var and not any(uses.search(t.body) for t in inside):
        raise _fail(name, f"vòng lặp “{loop.text}” {at(loop)} không còn dòng số liệu nào (dòng có các thẻ "
                          f"{{{{ {var}.… }}}}) trước thẻ “{end.text}”: dòng đó có lẽ đã bị xoá, nên "
                          f"{_place(loop)} sẽ không có dòng nào dù có số liệu. " + _RESTORE)


def _appendix_loops(paras: list[Para], found: list[Tag], name: str) -> None:
    """An appendix table with no loop left would print its header and nothing else."""
    tables: dict[str, set[int]] = {}
    for para in paras:
        if para.section.startswith("Phụ lục") and para.table is not None:
            tables.setdefault(para.section, set()).add(para.table)
    looped = {t.para.table for t in found if t.prefix == "tr" and t.word == "for"}
    for section, indexes in tables.items():
        if not indexes & looped:
            raise _fail(name, f"bảng của {section} không còn dòng lặp {{%tr for … %}} nên sẽ không có dòng số liệu "
                              "nào: các dòng {%tr for … %}, dòng số liệu và {%tr endfor %} của bảng có lẽ đã bị xoá. "
                              + _RESTORE)


# --- after a Jinja error ----------------------------------------------------------------------
def _occurrence(source: str, lineno: int) -> Iterator[tuple[str, int]]:
    """The tags on Jinja's line `lineno`, each with how many equal tags come before it."""
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return
    before = "\n".join(lines[:lineno - 1])
    counts: dict[str, int] = {}
    for m in _WELL_FORMED.finditer(before):
        key = _normal(m.group(0))
        counts[key] = counts.get(key, 0) + 1
    for m in _WELL_FORMED.finditer(lines[lineno - 1]):
        key = _normal(m.group(0))
        yield key, counts.get(key, 0)
        counts[key] = counts.get(key, 0) + 1


def _normal(text: str) -> str:
    kind = text[:2]
    inner = _PREFIX.sub(r"{\1", text)[2:-2].strip(" -+")
    return kind + " " + " ".join(inner.split()) + " " + ("}}" if kind == "{{" else "%}")


def tag_at_line(found: list[Tag], source: str, lineno: int | None, parses=None, message: str = "") -> Tag | None:
    """The Word tag behind Jinja's line `lineno`: when several, the one that fails `parses`,
    or one naming what Jinja's `message` quotes."""
    if not lineno:
        return None
    candidates = []
    for key, n in _occurrence(source, lineno):
        same = [t for t in found if t.normal() == key]
        if n < len(same):
            candidates.append(same[n])
    if parses is not None:
        failing = [t for t in candidates if not parses(t)]
        candidates = failing or candidates
    quoted = re.findall(r"'([^']+)'", message)
    named = [t for t in candidates if any(q in t.body for q in quoted)]
    candidates = named or candidates
    return candidates[0] if candidates else None


def _resolve(path: str, found: list[Tag], context: dict, depth: int = 0) -> Any:
    """The value a dotted path names: a context key, or a loop variable (its list's first item)."""
    head, *rest = path.split(".")
    if head in context:
        value: Any = context[head]
    elif depth < 5:
        loop = next((t for t in found if t.word == "for" and t.body.split()[1:2] == [head]), None)
        items = _resolve(loop.body.split()[3], found, context, depth + 1) if loop and len(loop.body.split()) > 3 else None
        value = items[0] if isinstance(items, list) and items else None
    else:
        value = None
    for part in rest:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def undefined(message: str, found: list[Tag], context: dict, name: str) -> RenderError:
    """An unknown variable, named as in Word, with the closest known names."""
    attr = re.search(r"has no attribute '([^']+)'", message)
    top = re.search(r"'([^']+)' is undefined", message)
    missing = attr.group(1) if attr else top.group(1) if top else ""
    pattern = re.compile(rf"[A-Za-z_][\w.]*\.{re.escape(missing)}\b" if attr else rf"(?<![\w.]){re.escape(missing)}\b")
    tag = next((t for t in found if t.kind == "{{" and pattern.search(t.body)), None) or next(
        (t for t in found if pattern.search(t.body)), None)
    match = pattern.search(tag.body) if tag else None
    dotted = match.group(0) if match else missing
    parent = _resolve(dotted[: -len(missing) - 1], found, context) if attr else context
    known = set(parent) if isinstance(parent, dict) else set()
    close = difflib.get_close_matches(missing, sorted(known), n=3, cutoff=0.6)
    guess = ""
    if close:
        base = dotted[: -len(missing)]
        guess = " Có phải " + " hoặc ".join(f"“{base}{c}”" for c in close) + "?"
    where = f"thẻ “{tag.text}” {at(tag)}" if tag else "một thẻ"
    return _fail(name, f"{where} dùng biến “{dotted}” không có trong số liệu.{guess} Sửa tên biến theo danh sách "
                       "trong templates/README.md rồi chạy lại.")
