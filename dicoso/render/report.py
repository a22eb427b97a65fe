"""The official report (.docx, Đoàn format) from a summary dict and a template.

The templates in templates/ are Word documents with docxtpl (Jinja) tags; the
office edits their wording in Word. Figures reach the template as ready-made
Vietnamese strings (`build_context`), so the template only places them.
Rendering itself (sandboxed, strict, errors naming the tag) is template.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import InlineImage

from ..text import vn as vf
from . import office as office_yaml
from . import sentences as say
from .chart import caption as chart_caption
from .template import Properties, open_template, render

CHART_WIDTH_MM = 152
SUBJECT = "Chế độ đi công tác cơ sở của cán bộ Đoàn (chủ trương 1+2)"


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


def _cadre_row(c: dict, stt: int, at_risk: set[tuple[str, str]] | None, levels: list[dict]) -> dict:
    # The rule kinds' notes already give the reasons (leave, start or end of service).
    notes = list(c.get("notes", []))
    if c.get("days_needed") and not c.get("exempt"):
        notes.append(say.shortfall(c, levels, note=True))
    return {"stt": str(stt), "name": c["name"], "position": c.get("position", ""),
            "quota": vf.number(c.get("quota", 0)), "days": vf.number(c.get("counted_days", 0)),
            "result": vf.cadre_result(c, at_risk), "note": vf.sentences(notes)}


def department_rows(summary: dict) -> list[dict]:
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
            rows.append(_cadre_row(c, stt, at_risk, summary.get("levels") or []))
        n = d.get("cadres", len(rows))
        out.append({
            "stt": str(i), "roman": vf.roman(i), "name": name, "cadres": vf.number(n),
            "trips": vf.number(d.get("trips", 0)), "days": vf.number(d.get("days", 0)),
            "average": vf.number(d.get("average_days", 0), 1), "met": vf.number(d.get("met", 0)),
            "met_share": say.share(d.get("met_share")), "rows": rows,
            "required": vf.number(d.get("required", n)), "met_fraction": vf.fraction(d.get("met", 0), d.get("required", n)),
            "left_out": say.left_out(by_dept.get(name, []), inside=True),
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


def office_context(office: dict, kind: str, *, plan: str, doc_type: str = "report",
                   number: str | None = None) -> dict:
    """The `office.…` variables of the templates (templates/README.md) for a report kind
    ("year", "quarter", "month") or the per-Ban notice ("notice"); `plan` is the rule set's
    (a template edited before the plan moved to the rule set still says {{ office.plan }})."""
    signer = office["signer"]
    return {
        "parent_body": str(office.get("parent_body") or "").upper(),
        "issuing_body": str(office["issuing_body"]).upper(),
        "province": str(office["province"]), "place": str(office["place"]),
        "number": office_yaml.document_number(office, doc_type, number), "plan": plan,
        "unit": office["document_code"]["unit"],
        "on_behalf": str(signer["on_behalf"]).upper(), "signer_role": str(signer["role"]).upper(),
        "signer_name": str(signer["name"]), "recipients": office_yaml.recipients(office, kind),
    }


def build_context(summary: dict, office: dict, *, as_of: date, chart: Any = None,
                  number: str | None = None) -> dict:
    """Everything the templates show, as ready-made Vietnamese strings (see templates/README.md).

    `number` is the document's number when the office gives it (--so), else a gap.
    """
    raw = office_yaml.check_office(office)
    kind = summary["period"].get("kind", "year")
    rules = summary.get("rules", {})
    plan = say.plan(rules)
    guidance = say.citation(rules.get("guidance"))
    office = office_context(raw, kind, plan=plan, number=number)
    t = summary["totals"]
    trips = t.get("trips", 0)
    cadres = t.get("cadres", 0)
    period = summary["period"]
    progress = summary.get("progress", {})
    # Report figures are over the trips whose report date is recorded (a book without a
    # "Ngày nộp báo cáo" column says nothing about its reports).
    recorded = sum(t.get(f"reports_{s}", 0) for s in ("on_time", "late", "overdue", "pending"))
    not_recorded = t.get("reports_not_recorded", 0)
    registration = _punct([say.registration(r) for r in summary.get("registration", [])])
    short = [c for c in summary.get("cadres", []) if not c.get("met") and not c.get("exempt")]
    listed = short if len(short) <= SHORTFALLS_MAX else sorted(short, key=lambda c: -c["days_needed"])[:SHORTFALLS_MAX]
    shortfalls = _punct([
        {"name": c["name"], "department": c.get("department", ""), "days": vf.number(c["counted_days"]),
         "quota": vf.number(c["quota"]), "needed": vf.number(c["days_needed"]),
         "text": say.shortfall(c, summary.get("levels") or [])}
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
        "plan": plan,
        "basis": f"{guidance} và {plan}" if guidance else plan,
        "place_date": vf.place_date(office["place"], as_of),
        "as_of": vf.dmy(as_of),
        "year": (progress.get("year_start") or period["start"])[:4],
        "period_name": period_name(period),
        "title": office_yaml.title(raw, kind, period_name(period)),
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
            "required": vf.number(t.get("required", cadres)),
            # the fraction over the cadres the quota applies to, as the share is
            "met_fraction": vf.fraction(t.get("met", 0), t.get("required", cadres)),
            "met_share": say.share(t.get("met_share")),
            "left_out": say.left_out(summary.get("cadres", [])),
            "not_met": vf.number(len(short)),
            "on_time": vf.number(t.get("reports_on_time", 0)),
            "reports_recorded": vf.number(recorded),
            "on_time_share": say.share(t.get("reports_on_time", 0) / recorded if recorded else None),
            "not_recorded": vf.number(not_recorded),
            "not_recorded_text": say.not_recorded(not_recorded, t.get("reports_undated", 0)),
            "late": vf.number(t.get("reports_late", 0)), "overdue": vf.number(t.get("reports_overdue", 0)),
            "pending": vf.number(t.get("reports_pending", 0)),
            "late_or_overdue": bool(t.get("reports_late") or t.get("reports_overdue")),
        },
        "registration": registration,
        "departments": department_rows(summary),
        "shortfalls": shortfalls,
        "report_groups": _report_groups(summary),
        "at_risk": at_risk,
        "at_risk_count": vf.number(len(at_risk)),
        "chart": chart,
        "chart_caption": chart_caption(summary),
        "shortfalls_more": shortfalls_more,
    }


def render_report(summary: dict, office: dict, template_path: Path, chart_png: Path | None,
                  out_path: Path, *, as_of: date, number: str | None = None) -> None:
    """Fill `template_path` with the summary and save the report to `out_path`."""
    tpl = open_template(template_path)
    chart = InlineImage(tpl, str(chart_png), width=Mm(CHART_WIDTH_MM)) if chart_png else None
    context = build_context(summary, office, as_of=as_of, chart=chart, number=number)
    render(tpl, context, out_path, name=Path(template_path).name, as_of=as_of,
           properties=Properties(title="Báo cáo " + vf.lower_first(context["title"]), subject=SUBJECT,
                                 company=context["office"]["issuing_body"]))
