"""Small ReadResult / RuleSet builders for engine and summary tests.

    rs = ruleset(quota_days=30)
    data = read_result(
        roster=[cadre("Nguyễn Văn An", "Ban Tuyên giáo")],
        trips=[trip("Nguyễn Văn An", "5/8/2020", "7/8/2020", file="btg/08.xlsx")],
    )
    comp = compute(data, rs, YEAR_2020, date(2021, 1, 5))

Dates are written day first ("5/8/2020"), as in the registers.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pandas as pd

from dicoso.model import (
    REGISTRATION_COLUMNS,
    ROSTER_COLUMNS,
    TRIP_COLUMNS,
    FileAccount,
    Period,
    ReadResult,
)
from dicoso.rules.engine import Compliance, compute
from dicoso.rules.order import CadreOrder
from dicoso.rules.ruleset import RuleSet, parse_ruleset
from dicoso.text.names import name_key

from conftest import AS_OF

YEAR_2020 = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")

BASE_RULES: dict[str, Any] = {
    "schema": 1,
    "name": "Thử nghiệm 2020",
    "province": "Thử nghiệm",
    "plan": {"number": "1-KH/TĐTN-VP", "date": "2020-02-01", "issuer": "Ban Thường vụ Tỉnh đoàn"},
    "periods": [{"start": "2020-03-01", "end": "2020-12-31"}],
    "quota_days": 60,
    "report_deadline_days": 10,
    "registration_quarters": [2, 3, 4],
}

LEVELS = {
    "source": "column_then_place",
    "items": [
        {"key": "chi_doan", "label": "Chi đoàn", "quota": 30, "column": ["chi đoàn"], "place": ["chi đoàn"]},
        {"key": "xa", "label": "Xã", "quota": 20, "column": ["xã"], "place": ["đoàn xã"]},
        {"key": "huyen", "label": "Huyện", "quota": 10, "column": ["huyện"], "place": ["huyện đoàn"]},
    ],
}


def d(text: str | date | None) -> date | None:
    """'5/8/2020' -> date(2020, 8, 5); None and '' stay None."""
    if text is None or isinstance(text, date):
        return text
    if not text:
        return None
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


DROP = object()  # ruleset(periods=DROP, years=...) removes a key of BASE_RULES


def ruleset(**overrides: Any) -> RuleSet:
    """BASE_RULES with keys replaced; a value of DROP removes the key."""
    doc = {**BASE_RULES, **overrides}
    return parse_ruleset({k: v for k, v in doc.items() if v is not DROP}, "rules/test.yaml", "0" * 64)


def cadre(name: str, department: str = "Ban A", position: str = "Chuyên viên", start=None, end=None,
          ex_from=None, ex_to=None, reason: str = "") -> dict:
    return {"name": name, "name_key": name_key(name), "position": position, "department": department,
            "service_start": d(start), "service_end": d(end), "exempt_from": d(ex_from), "exempt_to": d(ex_to),
            "exempt_reason": reason}


def trip(name: str, start, end, *, file: str = "ban-a.xlsx", sheet: str = "Sheet1", row: int | None = None,
         days: float | None = None, level: str = "", place: str = "", content: str = "", submitted=None,
         department: str = "", position: str = "") -> dict:
    return {"file": file, "sheet": sheet, "row": row, "name": name, "name_key": name_key(name),
            "position": position, "department": department, "start": d(start), "end": d(end),
            "days_declared": float("nan") if days is None else float(days), "place": place, "level": level,
            "content": content, "order_no": "", "submitted": d(submitted), "note": ""}


def registration(name: str, quarter: int, planned: float | None = None, year: int = 2020,
                 file: str = "dang-ky.xlsx") -> dict:
    return {"file": file, "sheet": f"Q{quarter}", "row": None, "name": name, "name_key": name_key(name),
            "department": "", "year": year, "quarter": quarter,
            "planned_days": float("nan") if planned is None else float(planned), "place": "", "content": ""}


def _numbered(rows: list[dict], first_row: int = 5) -> list[dict]:
    """Fill missing row numbers with consecutive Excel rows per (file, sheet)."""
    seen: Counter = Counter()
    out = []
    for r in rows:
        key = (r["file"], r["sheet"])
        r = dict(r)
        if r.get("row") is None:
            r["row"] = first_row + seen[key]
        seen[key] += 1
        out.append(r)
    return out


def read_result(roster: list[dict], trips: list[dict] = (), registrations: list[dict] = (),
                rejected_by_reader: dict[tuple[str, str], int] | None = None) -> ReadResult:
    """A ReadResult whose FileAccounts say every trip row was read (plus any reader rejections)."""
    roster_rows = [{"file": "danh-sach.xlsx", "sheet": "DS", "row": i + 4, **r} for i, r in enumerate(roster)]
    trip_rows = _numbered(list(trips))
    reg_rows = _numbered(list(registrations))
    counts = Counter((r["file"], r["sheet"]) for r in trip_rows)
    rejected = rejected_by_reader or {}
    files = [FileAccount(f, s, "trips", rows_read=counts.get((f, s), 0) + rejected.get((f, s), 0),
                         rows_rejected=rejected.get((f, s), 0))
             for f, s in sorted(set(counts) | set(rejected))]
    files.append(FileAccount("danh-sach.xlsx", "DS", "roster", rows_read=len(roster_rows)))
    reg_counts = Counter((r["file"], r["sheet"]) for r in reg_rows)
    files += [FileAccount(f, s, "registration", rows_read=n) for (f, s), n in sorted(reg_counts.items())]
    return ReadResult(
        trips=pd.DataFrame(trip_rows, columns=TRIP_COLUMNS),
        roster=pd.DataFrame(roster_rows, columns=ROSTER_COLUMNS),
        registrations=pd.DataFrame(reg_rows, columns=REGISTRATION_COLUMNS),
        issues=[],
        files=files,
        files_skipped=[],
        inputs=sorted({f for f, _ in counts}),
    )


def run(roster: list[dict], trips: list[dict] = (), registrations: list[dict] = (), rs: RuleSet | None = None,
        period: Period = YEAR_2020, as_of: date = AS_OF, aliases: dict[str, str] | None = None,
        order: CadreOrder | None = None) -> Compliance:
    return compute(read_result(roster, trips, registrations), rs or ruleset(), period, as_of, aliases, order)


def row(comp: Compliance, name: str) -> dict:
    """The cadre row of `name` as a plain dict."""
    hits = comp.cadres[comp.cadres["name"] == name]
    assert len(hits) == 1, f"{name!r} not in {list(comp.cadres['name'])}"
    return hits.iloc[0].to_dict()


def codes(comp: Compliance, *, skip: tuple[str, ...] = ("cadre_no_trips", "registration_data_missing")) -> list[tuple]:
    """[(file, row, code)] of the engine's issues, in sort order, without `skip` codes."""
    return [(i.file, i.row, i.code) for i in sorted(comp.issues, key=lambda i: i.sort_key()) if i.code not in skip]
