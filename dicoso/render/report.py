"""The official report (.docx, Đoàn format) from a summary dict and a template.

The templates in templates/ are Word documents with docxtpl (Jinja) tags; the
office edits their wording in Word. Figures reach the template as ready-made
Vietnamese strings (`build_context`), so the template only places them.
Rendering is sandboxed (no attribute tricks from an edited template), escapes
every value (a name such as `{{ 7*7 }}` stays literal) and fails on an unknown
variable; every template problem becomes a `RenderError` whose Vietnamese
message names the offending tag.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..text import vn as vf
from .chart import caption as chart_caption
from .workbook import normalise_zip

CHART_WIDTH_MM = 152
_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_BLOCKS = {"for", "if", "with", "macro", "call", "filter", "block", "autoescape"}


class RenderError(TemplateError):
    """A report could not be rendered; `message` is Vietnamese, for the clerk."""


# --- office config -------------------------------------------------------------
_OFFICE_KEYS = {
    "issuing_body": "cơ quan ban hành, ví dụ “BCH ĐOÀN TỈNH VĨNH PHÚC”",
    "province": "tên tỉnh dùng trong lời văn",
    "place": "địa danh ở dòng ngày tháng",
    "number": "số và ký hiệu văn bản, ví dụ “12-BC/TĐTN-VP”",
    "plan": "kế hoạch của tỉnh được dẫn ở đầu báo cáo",
    "signer.on_behalf": "dòng “TM. BAN THƯỜNG VỤ”",
    "signer.role": "chức vụ người ký, ví dụ “PHÓ BÍ THƯ”",
    "signer.name": "họ và tên người ký",
    "recipients": "danh sách nơi nhận",
}


def check_office(data: Any, source: str = "office.yaml") -> dict:
    """Validate the office config; a missing or wrong key gives a Vietnamese message."""
    if not isinstance(data, dict):
        raise RenderError(f"Tệp cấu hình cơ quan {source} phải gồm các mục dạng “tên: giá trị”.")
    for dotted, meaning in _OFFICE_KEYS.items():
        value: Any = data
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or value == "" or value == []:
            raise RenderError(f"Tệp cấu hình cơ quan {source} thiếu mục “{dotted}” ({meaning}).")
        want_list = dotted == "recipients"
        if want_list != isinstance(value, list) or (want_list and not all(isinstance(v, str) for v in value)):
            kind = "một danh sách các dòng chữ" if want_list else "một dòng chữ"
            raise RenderError(f"Mục “{dotted}” trong {source} phải là {kind}.")
        if not want_list and not isinstance(value, (str, int)):
            raise RenderError(f"Mục “{dotted}” trong {source} phải là một dòng chữ.")
    for entry in data["recipients"]:
        if entry.strip().lstrip("- ").startswith("Lưu"):
            raise RenderError(f"Mục “recipients” trong {source}: bỏ dòng “{entry.strip()}”, "
                              "mẫu báo cáo đã có sẵn dòng cuối “- Lưu VP.”.")
    return data


def load_office(path: Path) -> dict:
    """Read and validate templates/office.yaml."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"Không tìm thấy tệp cấu hình cơ quan {path}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark else ""
        raise RenderError(f"Tệp cấu hình cơ quan {path} viết sai cú pháp YAML{where}.") from None
    return check_office(data, str(path))


# --- context -------------------------------------------------------------------
def period_name(period: dict) -> str:
    """`năm 2020`, `Quý III/2020`, `tháng 4/2020`, or `từ 01/03/2020 đến 31/05/2020`."""
    kind, label = period.get("kind"), period.get("label", "")
    if kind == "year":
        return f"năm {label or period['start'][:4]}"
    if kind == "quarter":
        return vf.quarter_label(label)
    if kind == "month":
        return vf.month_label(label)
    return f"từ ngày {vf.dmy(period['start'])} đến ngày {vf.dmy(period['end'])}"


def _trip_span(start: str, end: str) -> str:
    """`11/05 - 13/05/2020`; a one-day trip is a single date."""
    if start == end:
        return vf.dmy(start)
    if start[:4] == end[:4]:
        return f"{vf.dmy(start)[:5]} - {vf.dmy(end)}"
    return f"{vf.dmy(start)} - {vf.dmy(end)}"


def _punct(items: list[dict]) -> list[dict]:
    """Bullet lists end each line with ";" and the last one with "."."""
    for i, item in enumerate(items):
        item["punct"] = "." if i == len(items) - 1 else ";"
    return items


def _cadre_row(c: dict, stt: int, at_risk: set[str] | None) -> dict:
    notes = [f"{e.get('reason') or 'Miễn'} ({vf.dmy(e.get('from'))} - {vf.dmy(e.get('to'))})"
             for e in c.get("exemptions", [])]
    if c.get("days_needed") and not c.get("exempt"):
        notes.append(f"Còn thiếu {vf.number(c['days_needed'])} ngày")
    notes += c.get("notes", [])
    return {"stt": str(stt), "name": c["name"], "position": c.get("position", ""),
            "quota": vf.number(c.get("quota", 0)), "days": vf.number(c.get("counted_days", 0)),
            "result": vf.cadre_result(c, at_risk), "note": "; ".join(notes)}


def _departments(summary: dict) -> list[dict]:
    at_risk = vf.at_risk_names(summary)
    by_dept: dict[str, list[dict]] = {}
    for c in summary.get("cadres", []):
        by_dept.setdefault(c.get("department") or "Chưa rõ Ban", []).append(c)
    known = {d["department"]: d for d in summary.get("departments", [])}
    names = list(known) + [n for n in by_dept if n not in known]
    out, stt = [], 0
    for i, name in enumerate(names, start=1):
        d = known.get(name, {})
        rows = []
        for c in by_dept.get(name, []):
            stt += 1
            rows.append(_cadre_row(c, stt, at_risk))
        n = d.get("cadres", len(rows))
        out.append({
            "stt": str(i), "roman": vf.roman(i), "name": name, "cadres": vf.number(n),
            "trips": vf.number(d.get("trips", 0)), "days": vf.number(d.get("days", 0)),
            "average": vf.number(d.get("average_days", 0), 1), "met": vf.number(d.get("met", 0)),
            "met_share": vf.percent(d.get("met_share", 0)), "rows": rows,
        })
    return out


# A national roll-up can have tens of thousands of late reports and hundreds of
# cadres short of the quota: the Word report lists the most serious ones and points
# to the workbook, which lists them all.
REPORT_ROWS_MAX = 300
SHORTFALLS_MAX = 30
_SEVERITY_KEY = {"late": lambda r: -r.get("days_late", 0), "overdue": lambda r: -r.get("days_overdue", 0),
                 "pending": lambda r: r.get("due") or ""}


def _report_groups(summary: dict) -> list[dict]:
    reports = summary.get("reports", {})
    groups = []
    for i, (kind, title) in enumerate((("late", "Báo cáo nộp muộn"),
                                       ("overdue", "Báo cáo quá hạn, chưa nộp"),
                                       ("pending", "Báo cáo chưa đến hạn nộp")), start=1):
        rows = []
        listed = reports.get(kind, [])
        if len(listed) > REPORT_ROWS_MAX:
            listed = sorted(listed, key=_SEVERITY_KEY[kind])[:REPORT_ROWS_MAX]
        for n, r in enumerate(listed, start=1):
            if kind == "late":
                status = f"Muộn {vf.number(r.get('days_late', 0))} ngày"
            elif kind == "overdue":
                status = f"Quá hạn {vf.number(r.get('days_overdue', 0))} ngày"
            else:
                status = "Chưa đến hạn"
            rows.append({"stt": str(n), "name": r["name"], "department": r.get("department", ""),
                         "trip": _trip_span(r["start"], r["end"]), "due": vf.dmy(r.get("due")),
                         "submitted": vf.dmy(r.get("submitted")) or "Chưa nộp", "status": status})
        total = len(reports.get(kind, []))
        if total > len(rows):
            rows.append({"stt": "", "name": f"Còn {vf.number(total - len(rows))} báo cáo khác", "department": "",
                         "trip": "", "due": "", "submitted": "", "status": "Xem sổ tổng hợp"})
        groups.append({"roman": vf.roman(i), "title": title,
                       "count": vf.number(total) if total else "không có", "rows": rows})
    return groups


def _office(office: dict) -> dict:
    signer = office["signer"]
    return {
        "parent_body": str(office.get("parent_body") or "").upper(),
        "issuing_body": str(office["issuing_body"]).upper(),
        "province": str(office["province"]), "place": str(office["place"]),
        "number": str(office["number"]), "plan": str(office["plan"]),
        "on_behalf": str(signer["on_behalf"]).upper(), "signer_role": str(signer["role"]).upper(),
        "signer_name": str(signer["name"]), "recipients": [str(r).strip() for r in office["recipients"]],
    }


def build_context(summary: dict, office: dict, *, as_of: date, chart: Any = None) -> dict:
    """Everything the templates show, as ready-made Vietnamese strings (see templates/README.md)."""
    office = _office(check_office(office))
    t = summary["totals"]
    trips = t.get("trips", 0)
    cadres = t.get("cadres", 0)
    period = summary["period"]
    progress = summary.get("progress", {})
    registration = _punct([
        {"label": vf.quarter_label(r["quarter"]),
         "rate": vf.percent(r["registered"] / r["required"]) if r["required"] else "—",
         "fraction": vf.fraction(r["registered"], r["required"]),
         "missing": f"; chưa đăng ký: {', '.join(r['missing'])}" if r.get("missing") else ""}
        for r in summary.get("registration", [])
    ])
    short = [c for c in summary.get("cadres", []) if not c.get("met") and not c.get("exempt")]
    listed = short if len(short) <= SHORTFALLS_MAX else sorted(short, key=lambda c: -c["days_needed"])[:SHORTFALLS_MAX]
    shortfalls = _punct([
        {"name": c["name"], "department": c.get("department", ""), "days": vf.number(c["counted_days"]),
         "quota": vf.number(c["quota"]), "needed": vf.number(c["days_needed"])}
        for c in listed
    ])
    if len(short) > len(listed):
        shortfalls[-1]["punct"] = ";"
        shortfalls_more = (f"Còn {vf.number(len(short) - len(listed))} đồng chí khác chưa đạt chỉ tiêu "
                           "(chi tiết tại Phụ lục I).")
    else:
        shortfalls_more = ""
    at_risk = [
        {"stt": str(i), "name": a["name"], "department": a.get("department", ""),
         "days": vf.number(a["counted_days"]), "target": vf.number(a["target_to_date"]),
         "quota": vf.number(a["quota"]), "needed": vf.number(a["days_needed"])}
        for i, a in enumerate(progress.get("at_risk", []), start=1)
    ]
    return {
        "office": office,
        "place_date": vf.place_date(office["place"], as_of),
        "as_of": vf.dmy(as_of),
        "year": (progress.get("year_start") or period["start"])[:4],
        "period_name": period_name(period),
        "period_start": vf.dmy(period["start"]),
        "period_end": vf.dmy(period["end"]),
        "year_start": vf.dmy(progress.get("year_start") or period["start"]),
        "year_end": vf.dmy(progress.get("year_end") or period["end"]),
        "to_date": vf.dmy(progress.get("to_date") or period["end"]),
        "quota": vf.number(summary.get("quota", 0)),
        "deadline": vf.number(summary.get("report_deadline_days", 0)),
        "t": {
            "cadres": vf.number(cadres), "trips": vf.number(trips), "days": vf.number(t.get("days", 0)),
            "average": vf.number(t.get("average_days", 0), 1), "met": vf.number(t.get("met", 0)),
            "met_fraction": vf.fraction(t.get("met", 0), cadres),
            "met_share": vf.percent(t.get("met_share", 0)),
            "not_met": vf.number(len(short)),
            "on_time": vf.number(t.get("reports_on_time", 0)),
            "on_time_share": vf.percent(t.get("reports_on_time", 0) / trips if trips else 0),
            "late": vf.number(t.get("reports_late", 0)), "overdue": vf.number(t.get("reports_overdue", 0)),
            "pending": vf.number(t.get("reports_pending", 0)),
            "late_or_overdue": bool(t.get("reports_late") or t.get("reports_overdue")),
        },
        "registration": registration,
        "departments": _departments(summary),
        "shortfalls": shortfalls,
        "report_groups": _report_groups(summary),
        "at_risk": at_risk,
        "at_risk_count": vf.number(len(at_risk)),
        "chart": chart,
        "chart_caption": chart_caption(summary),
        "shortfalls_more": shortfalls_more,
    }


# --- rendering -------------------------------------------------------------------
class _Env(SandboxedEnvironment):
    """Sandboxed, autoescaping, strict; remembers the source it compiled so an
    error can be traced back to the tag that caused it."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.sources: list[str] = []

    def from_string(self, source, *args, **kwargs):  # type: ignore[override]
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


class _Template(DocxTemplate):
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


def render_report(summary: dict, office: dict, template_path: Path, chart_png: Path | None,
                  out_path: Path, *, as_of: date) -> None:
    """Fill `template_path` with the summary and save the report to `out_path`."""
    template_path = Path(template_path)
    try:
        tpl = _Template(str(template_path))
        tpl.init_docx()
    except (OSError, zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise RenderError(f"Không mở được mẫu báo cáo {template_path}: {exc}") from None
    chart = InlineImage(tpl, str(chart_png), width=Mm(CHART_WIDTH_MM)) if chart_png else None
    context = build_context(summary, office, as_of=as_of, chart=chart)
    env = _Env()
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except (JinjaError, TypeError, ValueError, AttributeError, KeyError) as exc:
        where = _guilty_tag(exc, env.sources[-1], env) if env.sources else None
        tag_text = f" ở thẻ {where}" if where else ""
        raise RenderError(f"Mẫu báo cáo {template_path.name} có lỗi{tag_text}: {_explain(exc)}.") from exc
    props = tpl.docx.core_properties
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    props.created = props.modified = props.last_printed = stamp
    props.last_modified_by = "dicoso"
    props.revision = 1
    out_path = Path(out_path)
    written = io.BytesIO()
    tpl.save(written)
    normalise_zip(out_path, written)


# --- PDF -----------------------------------------------------------------------------
def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_path: Path, out_dir: Path, timeout: int = 120) -> Path | None:
    """Convert with LibreOffice (own throw-away profile, time limit).

    Returns the PDF path, or None when LibreOffice is not installed; raises
    RenderError when the conversion fails or takes too long.
    """
    soffice = soffice_path()
    if soffice is None:
        return None
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dicoso-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)]
        # its own session, so that a hung soffice.bin can be killed with its launcher
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=sys.platform != "win32")
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform != "win32":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise RenderError(f"LibreOffice không chuyển xong {docx_path.name} sang PDF sau "
                              f"{timeout} giây.") from None
    pdf = out_dir / (docx_path.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        detail = err.decode("utf-8", "replace").strip()[:300]
        raise RenderError(f"LibreOffice không chuyển được {docx_path.name} sang PDF: {detail}")
    return pdf
