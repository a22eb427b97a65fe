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
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from .office import RenderError
from .ooxml import normalise_zip, word_properties

_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_BLOCKS = {"for", "if", "with", "macro", "call", "filter", "block", "autoescape"}


class _Env(SandboxedEnvironment):
    """Sandboxed, autoescaping, strict; remembers the source it compiled so an
    error can be traced back to the tag that caused it."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.sources: list[str] = []

    def from_string(self, source, *args, **kwargs):
        self.sources.append(source)
        return super().from_string(source, *args, **kwargs)


def _template_lineno(exc: BaseException) -> int | None:
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    lineno, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _unclosed_block(source: str) -> str | None:
    stack: list[str] = []
    for m in _TAG_RE.finditer(source):
        text = m.group(0)
        if not text.startswith("{%"):
            continue
        words = text.strip("{%-+ }").split()
        word = words[0] if words else ""
        if word in _BLOCKS:
            stack.append(text)
        elif word.startswith("end") and stack:
            stack.pop()
    return stack[-1] if stack else None


def _guilty_tag(exc: BaseException, source: str, env: SandboxedEnvironment) -> str | None:
    """The template tag that caused `exc`, as written in the (patched) template."""
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, TemplateSyntaxError) and "end of template" in message:
        return _unclosed_block(source)
    lineno = _template_lineno(exc)
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return None
    tags = _TAG_RE.findall(lines[lineno - 1])
    if not tags:
        return None
    names = re.findall(r"'([^']+)'", message)
    for name in names:
        for t in tags:
            if name in t:
                return t
    if isinstance(exc, TemplateSyntaxError):
        for t in tags:
            if t.startswith("{{"):
                try:
                    env.parse(t)
                except TemplateSyntaxError:
                    return t
    return tags[0] if len(tags) == 1 else ", ".join(tags)


def _explain(exc: BaseException) -> str:
    name = type(exc).__name__
    message = str(getattr(exc, "message", None) or exc).rstrip(".")
    if isinstance(exc, TemplateSyntaxError) and "end of template" in message:
        return "khối mở bằng thẻ này chưa có thẻ đóng ({%p endfor %}, {%p endif %}, {%tr endfor %}…)"
    if name == "SecurityError":
        return "mẫu dùng thao tác không được phép (" + message + ")"
    if name == "UndefinedError":
        return "mẫu dùng biến không có (" + message + "); xem danh sách biến trong templates/README.md"
    if isinstance(exc, TemplateSyntaxError):
        return "thẻ viết sai cú pháp (" + message + ")"
    return f"lỗi khi điền số liệu ({name}: {message})"


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
        if not self._column_loops:  # a Word run boundary may split the tag: look at the text only
            text = re.sub(r"<[^>]*>", "", src_xml)
            self._column_loops = re.search(r"\{%-?\s*tc\b", text) is not None
        return super().patch_xml(src_xml)

    def fix_tables(self, xml):
        if self._column_loops:
            return super().fix_tables(xml)
        from lxml import etree

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


@dataclass(frozen=True)
class Properties:
    """What File > Info shows of a rendered document."""

    title: str
    subject: str
    company: str


# A date, a month, a quarter or a year never breaks from its word: "ngày 05/01/2021",
# "tháng 5/2020", "Quý III/2020", "ngày 05 tháng 01 năm 2021".
_KEEP_TOGETHER = re.compile(r"(?<!\w)(?:[Nn]gày|[Tt]háng|[Nn]ăm|[Qq]uý) (?=\d|[IVX]+/\d)")


def keep_dates_together(body) -> None:
    """Non-breaking spaces inside the date and period phrases of every paragraph, also
    where a run boundary (a tag's value) falls right after the space."""
    w_t = qn("w:t")
    for p in body.iter(qn("w:p")):
        texts = [t for t in p.iter(w_t) if t.text]
        if not texts:
            continue
        joined = "".join(t.text for t in texts)
        if " " not in joined:
            continue
        spaces = [m.end() - 1 for m in _KEEP_TOGETHER.finditer(joined)]
        if not spaces:
            continue
        start = 0
        for t in texts:
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
    env = _Env()
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except (JinjaError, TypeError, ValueError, AttributeError, KeyError) as exc:
        where = _guilty_tag(exc, env.sources[-1], env) if env.sources else None
        tag_text = f" ở thẻ {where}" if where else ""
        raise RenderError(f"Mẫu báo cáo {name} có lỗi{tag_text}: {_explain(exc)}.") from exc
    keep_dates_together(tpl.docx.element.body)
    props = tpl.docx.core_properties
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    props.created = props.modified = props.last_printed = stamp
    props.last_modified_by = "dicoso"
    props.revision = 1
    props.comments = ""  # the template's own note ("keep the tags") is not the report's
    company = ""
    if properties is not None:
        props.title, props.subject, company = properties.title, properties.subject, properties.company
    written = io.BytesIO()
    tpl.save(written)
    normalise_zip(Path(out_path), written, edit=lambda parts: word_properties(parts, company))
