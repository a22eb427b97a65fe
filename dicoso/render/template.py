"""Rendering a Word template with docxtpl, safely, and saying which tag is wrong.

Rendering is sandboxed (no attribute tricks from an edited template), escapes every
value (a name such as `{{ 7*7 }}` stays literal) and fails on an unknown variable;
every template problem becomes a `RenderError` whose Vietnamese message names the
offending tag.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from . import template_check
from .office import RenderError
from .ooxml import read_zip, word_properties, write_zip

_COMPILED: dict[str, Any] = {}  # source -> jinja Template, least recently used first
_PATCHED: dict[str, tuple[str, bool]] = {}  # part XML -> (docxtpl's patched XML, has {%tc %} loops)
_RECENT_MAX = 16  # the parts (body, headers, footers) of the few templates a run fills


def _recent(cache: dict, key: str, make: Callable[[], Any]) -> Any:
    """`cache[key]`, made once while it is among the few most recently used (a notice per Ban
    fills one template six times: its parts are patched and compiled once)."""
    value = cache.pop(key, None)
    if value is None:
        value = make()
    cache[key] = value  # most recent last
    while len(cache) > _RECENT_MAX:
        del cache[next(iter(cache))]
    return value


class _Collected:
    """A stand-in for python-docx's zip writer that keeps the parts by member name."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.parts[pack_uri.membername] = blob


class _Env(SandboxedEnvironment):
    """Sandboxed, autoescaping, strict; remembers the source it compiled so an
    error can be traced back to the tag that caused it."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=_masked)
        self.sources: list[str] = []

    def from_string(self, source, *args, **kwargs):
        self.sources.append(source)
        if args or kwargs:
            return super().from_string(source, *args, **kwargs)
        # Every _Env is configured alike, so a template compiled by another one renders the same.
        return _recent(_COMPILED, source, lambda: SandboxedEnvironment.from_string(self, source))

    def parses(self, tag: template_check.Tag) -> bool:
        """Whether one tag is valid on its own (a block tag with its end added)."""
        text = tag.normal()
        if tag.word in ("else", "elif"):
            text = "{% if x %}" + text + "{% endif %}"
        elif tag.kind == "{%" and tag.word and not tag.word.startswith("end") and tag.word != "set":
            text += "{% end" + tag.word + " %}"
        try:
            self.parse(text)
        except TemplateSyntaxError:
            return False
        return True


def _template_lineno(exc: BaseException) -> int | None:
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    lineno, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _explain(exc: BaseException, env: _Env, found: list[template_check.Tag], context: dict,
             name: str) -> RenderError:
    """Jinja's error as the clerk can act on it: which tag in Word, where, what to do."""
    message = str(getattr(exc, "message", None) or exc)
    kind = type(exc).__name__
    if kind == "UndefinedError":
        return template_check.undefined(message, found, context, name)
    source = env.sources[-1] if env.sources else ""
    tag = template_check.tag_at_line(found, source, _template_lineno(exc),
                                     env.parses if isinstance(exc, TemplateSyntaxError) else None, message)
    where = f"thẻ “{tag.text}” {template_check.at(tag)}" if tag else "một thẻ"
    if kind == "SecurityError":
        what = ("dùng thao tác không được phép trong mẫu (chỉ được ghi tên biến, ví dụ {{ t.cadres }}); "
                "sửa lại thẻ rồi chạy lại.")
    elif isinstance(exc, TemplateSyntaxError):
        what = ('viết sai cú pháp: kiểm tra tên biến, dấu chấm, dấu | và dấu ngoặc kép thẳng (" ") trong thẻ, '
                "so với mẫu gốc; sửa rồi chạy lại.")
    else:
        what = "không điền được số liệu; so với mẫu gốc và danh sách biến trong templates/README.md rồi sửa lại."
    return RenderError(f"Mẫu {name}: {where} {what}")


class Template(DocxTemplate):
    """DocxTemplate without two whole-document passes our templates do not need.

    docxtpl rewrites every paragraph with regexes to expand \\t \\a \\n \\f "listing"
    characters, and re-counts the columns of every table for `{%tc %}` loops. On a
    national roll-up (tens of thousands of table rows) those passes took most of the
    rendering time. Both still run when the document needs them.
    """

    # a listing character inside the text of a run (between tags it is only layout)
    _LISTING = re.compile(r"<w:t(?:\s[^>]*)?>[^<]*[\t\a\n\f]")
    _column_loops = False

    def resolve_listing(self, xml):
        if self._LISTING.search(xml):
            return super().resolve_listing(xml)
        return xml

    def patch_xml(self, src_xml):
        # docxtpl's patching is a pure function of the part's XML (a Word run boundary may
        # split a tag: the {%tc %} test looks at the text only)
        patched, column_loops = _recent(_PATCHED, src_xml, lambda: (
            DocxTemplate.patch_xml(self, src_xml), re.search(r"\{%-?\s*tc\b", re.sub(r"<[^>]*>", "", src_xml)) is not None))
        self._column_loops = self._column_loops or column_loops
        return patched

    def parts(self) -> dict[str, bytes]:
        """The filled package's parts, uncompressed: what `save` would zip, for
        ooxml.write_zip to zip once (saving, then re-reading and rewriting the zip,
        compressed every part twice)."""
        self.pre_processing()
        if self.crc_to_new_media or self.crc_to_new_embedded or self.zipname_to_replace:
            written = io.BytesIO()  # docxtpl rewrites the saved zip itself: let it
            self.save(written)
            return read_zip(written)
        package = self.docx.part.package
        collected: Any = _Collected()  # duck-typed as python-docx's PhysPkgWriter
        for part in package.parts:
            part.before_marshal()
        # python-docx's own writer (pinned in requirements-run.txt), into a dict instead of a zip
        PackageWriter._write_content_types_stream(collected, package.parts)
        PackageWriter._write_pkg_rels(collected, package.rels)
        PackageWriter._write_parts(collected, package.parts)
        return collected.parts

    def fix_tables(self, xml):
        if self._column_loops:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True, huge_tree=True))


def open_template(template_path: Path) -> Template:
    """A Word template, ready to fill (RenderError when it cannot be opened)."""
    template_path = Path(template_path)
    try:
        tpl = Template(str(template_path))
        tpl.init_docx()
    except (OSError, zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise RenderError(f"Không mở được mẫu báo cáo {template_path}: {exc}") from None
    return tpl


# Braces in the figures (a name typed "{{ 7*7 }}" in a register) are rendered as these
# private characters, so that a brace in the rendered text can only come from the
# template: a tag Jinja did not take as one. They are put back once that is checked.
_MASK = str.maketrans("{}", "\ue000\ue001")
_UNMASK = str.maketrans("\ue000\ue001", "{}")


def _masked(value: Any) -> Any:
    """Jinja's `finalize`: every value a tag prints, before it is escaped."""
    return value.translate(_MASK) if isinstance(value, str) else value


@dataclass(frozen=True)
class Properties:
    """What File > Info shows of a rendered document."""

    title: str
    subject: str
    company: str


# A date, a month, a quarter or a year never breaks from its word: "ngày 05/01/2021",
# "tháng 5/2020", "Quý III/2020", "ngày 05 tháng 01 năm 2021".
_KEEP_TOGETHER = re.compile(r"(?<!\w)(?:[Nn]gày|[Tt]háng|[Nn]ăm|[Qq]uý) (?=\d|[IVX]+/\d)")


# The paragraphs finish_text has work in (the rest, most of a long report's table cells, are
# passed over in C): a brace, a masked brace, or a word _KEEP_TOGETHER joins to what follows.
_CANDIDATES = etree.XPath(
    ".//w:p[" + " or ".join(f"contains(., '{s}')" for s in ("{", "}", "\ue000", "\ue001", "gày ", "háng ", "ăm ", "uý "))
    + "]", namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})


def finish_text(body, name: str) -> None:
    """One pass over the rendered paragraphs (a long report has thousands):

    - stop when a brace of the template is left in the text (a tag Jinja printed as
      text), and put the figures' own braces back;
    - non-breaking spaces inside the date and period phrases, also where a run
      boundary (a tag's value) falls right after the space.
    """
    w_t = qn("w:t")
    for p in _CANDIDATES(body):
        texts = [t for t in p.iter(w_t) if t.text]
        if not texts:
            continue
        joined = "".join(t.text for t in texts)
        if "{" in joined or "}" in joined:
            shown = " ".join(joined.translate(_UNMASK).split())
            raise RenderError(f"Mẫu {name}: sau khi điền số liệu vẫn còn phần thẻ chưa được thay trong đoạn "
                              f"“{shown[:200]}”. Tìm đoạn này trong mẫu bằng Word và sửa thẻ cho đủ hai dấu "
                              "ngoặc ở hai đầu ({{ tên biến }} hoặc {% lệnh %}), rồi chạy lại.")
        if "\ue000" in joined or "\ue001" in joined:
            for t in texts:
                t.text = t.text.translate(_UNMASK)
        spaces = [m.end() - 1 for m in _KEEP_TOGETHER.finditer(joined)] if " " in joined else []
        start = 0
        for t in texts if spaces else ():
            end = start + len(t.text)
            inside = [i - start for i in spaces if start <= i < end]
            if inside:
                chars = list(t.text)
                for i in inside:
                    chars[i] = "\u00a0"
                t.text = "".join(chars)
            start = end


def render(tpl: Template, context: dict[str, Any], out_path: Path, *, name: str, as_of: date,
           properties: Properties | None = None) -> None:
    """Fill `tpl` with `context` and save it to `out_path` with properties dated `as_of`.

    `name` is the template's file name, as error messages call it.
    """
    found = template_check.lint(tpl.docx.element.body, name)
    env = _Env()
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except (JinjaError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise _explain(exc, env, found, context, name) from exc
    finish_text(tpl.docx.element.body, name)
    props = tpl.docx.core_properties
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    props.created = props.modified = props.last_printed = stamp
    props.last_modified_by = "dicoso"
    props.revision = 1
    props.comments = ""  # the template's own note ("keep the tags") is not the report's
    company = ""
    if properties is not None:
        props.title, props.subject, company = properties.title, properties.subject, properties.company
    parts = tpl.parts()
    word_properties(parts, company)
    write_zip(Path(out_path), parts)
