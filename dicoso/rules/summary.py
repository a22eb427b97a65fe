"""Compliance -> the summary dict written as summary.json (schema 1, CONTRACTS.md).

The dict is JSON-ready (str, int, float, bool, None, lists, dicts), every string NFC,
dates ISO (YYYY-MM-DD), names exactly as in the roster. Ordering is deterministic:
cadres and report rows in the organisation's order (rules/order.py: Ban, position rank, roster),
issues by `Issue.sort_key`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date
from typing import Any

from dicoso.model import Period
from dicoso.rules.by_ban import issue_departments
from dicoso.rules.checks.levels import Levels
from dicoso.rules.checks.quota import Quota
from dicoso.rules.checks.registration import NEXT, Registration
from dicoso.rules.checks.report_deadline import ReportDeadline
from dicoso.rules.days import NONE, to_date
from dicoso.rules.engine import Compliance
from dicoso.rules.rows import Memo
from dicoso.rules.ruleset import RuleSet

SCHEMA = 1
_CADRE_KEYS = ["name", "department", "position", "counted_days", "days_in_period", "quota", "met", "days_needed",
               "eligible_days", "exemptions", "exempt", "trips", "overlap_days", "by_level", "level_quotas",
               "monthly_missing", "planned_days", "target_to_date", "at_risk", "notes"]


def _iso(n: int) -> str | None:
    d = to_date(int(n)) if n != NONE else None
    return d.isoformat() if d else None


def _nfc(obj: Any) -> Any:
    kind = obj.__class__
    if kind is str:
        return obj if obj.isascii() else unicodedata.normalize("NFC", obj)
    if kind is dict:
        return {k: _nfc(v) for k, v in obj.items()}
    if kind is list:
        return list(map(_nfc, obj))
    return obj


def _period(p: Period) -> dict:
    return {"start": p.start.isoformat(), "end": p.end.isoformat(), "kind": p.kind, "label": p.label}


def _reports(comp: Compliance) -> dict:
    out: dict[str, list] = {"late": [], "overdue": [], "pending": []}
    k = comp.trips
    if "status" not in k or not len(k):
        return out
    who = dict(zip(comp.cadres["id"].tolist(), zip(comp.cadres["name"].tolist(), comp.cadres["department"].tolist())))
    order = {cid: i for i, cid in enumerate(comp.cadres["id"])}
    rows = k[(k["in_window"] > 0) & k["status"].isin(list(out))]
    rows = rows.assign(_o=rows["cid"].map(order)).sort_values(["_o", "s", "e"], kind="stable")
    day = Memo(_iso)  # day number -> ISO date, once per distinct day
    columns = ["cid", "s", "e", "due", "sub", "status", "days_late", "days_overdue", "file", "sheet"]
    for cid, s, e, due, filed, status, late, overdue, file, sheet, row in zip(
            *(rows[c].tolist() for c in columns), rows["row"].astype("float64").tolist()):
        name, department = who.get(cid, ("", ""))
        item = {"name": name, "department": department, "start": day(s), "end": day(e), "due": day(due)}
        if status == "late":
            item |= {"submitted": day(filed), "days_late": int(late)}
        elif status == "overdue":
            item["days_overdue"] = int(overdue)
        item |= {"file": file, "sheet": sheet, "row": None if row != row else int(row)}
        out[status].append(item)
    return out


def _issues(comp: Compliance) -> list[dict]:
    """The problems in sort order, each with the Ban it belongs to ("" for the office's)."""
    issues = [i.as_dict() for i in sorted(comp.issues, key=lambda i: i.sort_key())]
    for item, ban in zip(issues, issue_departments(issues, comp.cadres, comp.trips)):
        item["department"] = ban
    return issues


def build(comp: Compliance, rs: RuleSet, period: Period | None = None, as_of: date | None = None, *,
          rules_reason: str = "") -> dict:
    """The summary dict. `period`/`as_of`, when given, must be those `comp` was computed for."""
    if period is not None and period not in (comp.requested, comp.period):
        raise ValueError("period differs from the one the compliance was computed for")
    if as_of is not None and as_of != comp.as_of:
        raise ValueError("as_of differs from the one the compliance was computed for")
    keys = _CADRE_KEYS + [f for check in rs.checks if check.on for f in check.cadre_fields]
    cadres = [{key: r[key] for key in keys} for r in comp.cadres.to_dict("records")]
    at_risk = [{"name": c["name"], "department": c["department"], "counted_days": c["counted_days"],
                "target_to_date": c["target_to_date"], "quota": c["quota"], "days_needed": c["days_needed"]}
               for c in cadres if c["at_risk"]]
    summary = {
        "schema": SCHEMA,
        "period": _period(comp.period),
        "as_of": comp.as_of.isoformat(),
        "rules": {"name": rs.name, "file": rs.path, "province": rs.province, "source": rs.source,
                  "plan": rs.plan.as_dict() if rs.plan else None,
                  "guidance": rs.guidance.as_dict() if rs.guidance else None,
                  "sha256": rs.sha256, "reason": rules_reason},
        "quota": rs.check(Quota).days,
        "report_deadline_days": rs.check(ReportDeadline).days,
        "levels": [{"key": lv.key, "label": lv.label, "quota": lv.quota} for lv in rs.check(Levels).items],
        "totals": dict(comp.totals),
        "departments": [dict(d) for d in comp.departments],
        "cadres": cadres,
        "progress": {"year_start": comp.year.start.isoformat(), "year_end": comp.year.end.isoformat(),
                     "window_start": comp.window[0].isoformat(), "window_end": comp.window[1].isoformat(),
                     "to_date": comp.to_date.isoformat(), "at_risk": at_risk},
        "reports": _reports(comp),
        "registration": [dict(q) for q in comp.sections.get(Registration.key, [])],
        "registration_next": comp.sections.get(NEXT),
        "issues": _issues(comp),
        # books whose trips all start after the report period: their problems counted, not listed
        "books_outside_period": [dict(b) for b in comp.outside_books],
        "accounting": dict(comp.accounting),
    }
    return _nfc(summary)


def person_labels(cadres: list[dict]) -> list[str]:
    """How lists and charts name summary cadres: the name, with the Ban when two cadres
    share it (two people, rules/roster.py), as `Cadre.label` does inside the engine."""
    count = Counter(c["name"] for c in cadres)
    return [f"{c['name']} ({c.get('department') or 'chưa rõ Ban'})" if count[c["name"]] > 1 else c["name"]
            for c in cadres]
