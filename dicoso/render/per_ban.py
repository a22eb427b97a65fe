"""What the office sends each Ban as it is: a folder `theo-ban/<Ban>/` holding

    viec-can-lam-<label>.xlsx   the Ban's data problems (its errors and warnings of the
                                problem list, the same columns) and its reminder list
    thong-bao-<label>.docx      a short official notice (THÔNG BÁO, Đoàn format) from the
                                Word-editable template templates/thong_bao_ban.docx

The reminders: cadres behind the pace (a progress run: below the target to date; a year:
short of the quota) with the days still needed, trip reports overdue or due within
DUE_SOON_DAYS days of the as-of date, and cadres who have not registered for the next
quarter (the one after the reported period) when the rule set asks for registration in it
(summary.json `registration_next`; when that quarter's registrations are not in the folder
yet, every cadre who must register is reminded to, "if not done"). A problem belongs to a Ban when summary.json
says so (`issues[].department`, rules/by_ban.py); the others stay with the office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..text import vn as vf
from . import office as office_yaml
from .report import office_context, period_name
from .template import Properties, open_template, render
from .workbook import issue_sheet
from .xlsx import Book

FOLDER = "theo-ban"
DUE_SOON_DAYS = 10
NOTICE_TEMPLATE = "thong_bao_ban.docx"


@dataclass
class Ban:
    name: str
    folder: str  # a file-system-safe folder name, as close to the Ban's name as Windows allows
    figures: dict[str, Any]  # its entry of summary["departments"]
    problems: list[dict] = field(default_factory=list)  # summary issues of this Ban to fix or check
    reminders: list[dict] = field(default_factory=list)  # who, what, detail, by (dd/mm/yyyy or "")


def folder_name(name: str) -> str:
    """`Ban Thanh thiếu nhi – Trường học` stays; characters Windows refuses go, no trailing dot."""
    safe = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", name).strip().rstrip(". ")
    return safe or "Chưa rõ Ban"


def _span(start: str, end: str) -> str:
    return vf.dmy(start) if start == end else f"{vf.dmy(start)} - {vf.dmy(end)}"


def _add(out: dict[str, list[dict]], ban: str, who: str, what: str, detail: str, by: str, text: str) -> None:
    out.setdefault(ban, []).append({"who": who, "what": what, "detail": detail, "by": by, "text": text})


def reminders(summary: dict, as_of: date) -> dict[str, list[dict]]:
    """The reminder rows of every Ban, in the summary's (the organisation's) order: `who`,
    `what`, `detail`, `by` for the workbook, `text` (one sentence) for the notice."""
    out: dict[str, list[dict]] = {}
    progress = summary.get("progress", {})
    if summary.get("period", {}).get("kind", "year") == "year":
        for c in summary.get("cadres", []):
            if c.get("met") or c.get("exempt"):
                continue
            done, quota, need = (vf.number(c[k]) for k in ("counted_days", "quota", "days_needed"))
            _add(out, c.get("department", ""), c["name"], "Chưa đạt chỉ tiêu số ngày đi cơ sở",
                 f"Đã đi {done}/{quota} ngày; còn thiếu {need} ngày.", "",
                 f"Đồng chí {c['name']} chưa đạt chỉ tiêu số ngày đi cơ sở: đã đi {done}/{quota} ngày, "
                 f"còn thiếu {need} ngày")
    else:
        to_date, end = vf.dmy(progress.get("to_date")), vf.dmy(progress.get("year_end"))
        for a in progress.get("at_risk", []):
            done, target, need, quota = (vf.number(a[k]) for k in ("counted_days", "target_to_date", "days_needed",
                                                                   "quota"))
            detail = (f"Đã đi {done} ngày, cần đạt {target} ngày đến {to_date}; còn thiếu {need} ngày để đạt "
                      f"chỉ tiêu năm {quota} ngày.")
            _add(out, a.get("department", ""), a["name"], "Chậm tiến độ đi cơ sở", detail, end,
                 f"Đồng chí {a['name']} chậm tiến độ đi cơ sở: {vf.lower_first(detail).rstrip('.')}")
    reports = summary.get("reports", {})
    for r in reports.get("overdue", []):
        trip, due, late = _span(r["start"], r["end"]), vf.dmy(r.get("due")), vf.number(r.get("days_overdue", 0))
        _add(out, r.get("department", ""), r["name"], "Nộp báo cáo kết quả chuyến đi (đã quá hạn)",
             f"Chuyến đi {trip}: quá hạn {late} ngày.", due,
             f"Đồng chí {r['name']} nộp ngay báo cáo kết quả chuyến đi {trip} (hạn nộp {due}, đã quá {late} ngày)")
    soon = as_of + timedelta(days=DUE_SOON_DAYS)
    for r in reports.get("pending", []):
        if r.get("due") and date.fromisoformat(r["due"]) <= soon:
            trip, due = _span(r["start"], r["end"]), vf.dmy(r.get("due"))
            _add(out, r.get("department", ""), r["name"], "Nộp báo cáo kết quả chuyến đi (sắp đến hạn)",
                 f"Chuyến đi {trip}.", due,
                 f"Đồng chí {r['name']} nộp báo cáo kết quả chuyến đi {trip} trước ngày {due}")
    upcoming = summary.get("registration_next")  # the quarter after the period, when it needs registering
    if upcoming:
        label, starts = vf.quarter_label(upcoming["quarter"]), vf.dmy(upcoming["starts"])
        when = f"trước ngày {starts}" if as_of < date.fromisoformat(upcoming["starts"]) else "ngay"
        if upcoming["known"]:
            for who in upcoming["missing"]:
                _add(out, who["department"], who["name"], f"Đăng ký đi cơ sở {label}",
                     "Chưa có tên trong bảng đăng ký của quý.", starts,
                     f"Đồng chí {who['name']} đăng ký đi cơ sở {label} {when} (chưa có tên trong bảng đăng ký)")
        else:  # nobody's registration of that quarter is known yet: a reminder, not a finding
            for who in upcoming["required"]:
                _add(out, who["department"], who["name"], f"Đăng ký đi cơ sở {label}",
                     "Văn phòng chưa nhận được bảng đăng ký của quý này; nếu đồng chí chưa đăng ký, đăng ký "
                     f"{when}.", starts, f"Đồng chí {who['name']} đăng ký đi cơ sở {label} {when} (nếu chưa đăng ký)")
    return out


def bans(summary: dict, as_of: date) -> list[Ban]:
    """Every Ban with cadres, with its problems and reminders."""
    todo = reminders(summary, as_of)
    out = []
    used: set[str] = set()
    for d in summary.get("departments", []):
        name = d.get("department") or ""
        if not name:
            continue
        folder = folder_name(name)
        while folder.casefold() in used:  # two Ban that differ only by a refused character
            folder += "_"
        used.add(folder.casefold())
        # what the Ban has to fix or check: its errors and warnings (notes need nothing done)
        problems = [i for i in summary.get("issues", []) if i.get("department") == name
                    and i.get("severity") in ("error", "warning")]
        out.append(Ban(name, folder, d, problems, todo.get(name, [])))
    return out


# --- writing ---------------------------------------------------------------------------------
def write_workbook(ban: Ban, summary: dict, path: Path, *, as_of: date) -> None:
    book = Book()
    issue_sheet(book, {"issues": ban.problems}, title="Lỗi cần sửa",
                none=f"Các sổ của {ban.name} không có lỗi hay cảnh báo nào cần sửa.")
    rows = [[i, r["who"], r["what"], r["detail"], r["by"]] for i, r in enumerate(ban.reminders, start=1)]
    rows = rows or [[None, "", "Không có việc cần nhắc.", "", ""]]
    book.sheet("Nhắc việc", [("STT", 6), ("Họ và tên", 24), ("Việc cần làm", 34), ("Chi tiết", 60), ("Hạn", 12)],
               list(zip(*rows)))
    label = summary.get("period", {}).get("label", "")
    book.save(path, f"Việc cần làm của {ban.name} {label}".strip(), as_of)


def notice_context(ban: Ban, summary: dict, office: dict, *, as_of: date, workbook: str) -> dict:
    raw = office_yaml.check_office(office)
    rules = summary.get("rules", {})
    context_office = office_context(raw, "notice", plan=str(rules.get("name", "")), doc_type="notice")
    context_office["recipients"] = [f"{ban.name} (t/h);"] + office_yaml.recipients(raw, "notice")
    period = summary["period"]
    d = ban.figures
    items = [dict(r, punct="." if i == len(ban.reminders) else ";") for i, r in enumerate(ban.reminders, start=1)]
    return {
        "office": context_office,
        "place_date": vf.place_date(context_office["place"], as_of),
        "as_of": vf.dmy(as_of),
        "title": office_yaml.title(raw, "notice", period_name(period), ban.name),
        "ban": ban.name,
        "period_name": period_name(period),
        "to_date": vf.dmy(summary.get("progress", {}).get("to_date") or period["end"]),
        "d": {"cadres": vf.number(d.get("cadres", 0)), "trips": vf.number(d.get("trips", 0)),
              "days": vf.number(d.get("days", 0)), "met": vf.number(d.get("met", 0)),
              "required": vf.number(d.get("required", d.get("cadres", 0)))},
        "reminders": items,
        "problems": vf.number(len(ban.problems)),
        "has_problems": bool(ban.problems),
        "workbook": workbook,
    }


def write_folder(summary: dict, office: dict, templates_dir: Path, out: Path, *, as_of: date) -> Path:
    """The `theo-ban` folder: a subfolder per Ban with its workbook and its notice."""
    label = summary.get("period", {}).get("label", "")
    out.mkdir(parents=True, exist_ok=True)
    template = templates_dir / NOTICE_TEMPLATE
    for ban in bans(summary, as_of):
        folder = out / ban.folder
        folder.mkdir()
        workbook = f"viec-can-lam-{label}.xlsx"
        write_workbook(ban, summary, folder / workbook, as_of=as_of)
        context = notice_context(ban, summary, office, as_of=as_of, workbook=workbook)
        tpl = open_template(template)
        render(tpl, context, folder / f"thong-bao-{label}.docx", name=template.name, as_of=as_of,
               properties=Properties(title="Thông báo " + vf.lower_first(context["title"]),
                                     subject="Chế độ đi công tác cơ sở của cán bộ Đoàn (chủ trương 1+2)",
                                     company=context["office"]["issuing_body"]))
    return out
