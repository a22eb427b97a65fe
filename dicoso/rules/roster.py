"""The roster side of the engine: cadres, their eligibility and name matching.

All ranges are inclusive: the first and the last day named both belong to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from dicoso.model import Issue
from dicoso.rules.order import CadreOrder
from dicoso.text.clean import clean
from dicoso.text.names import closest, name_key
from dicoso.text.vn import dmy


@dataclass
class Cadre:
    id: int
    key: str
    name: str
    department: str
    position: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    service_start: date | None = None
    service_end: date | None = None
    exemptions: list[tuple[date, date, str]] = field(default_factory=list)

    def eligible_days(self, a: date, b: date) -> int:
        """Days of [a, b] in service and outside every exemption range."""
        lo = max(a, self.service_start or a)
        hi = min(b, self.service_end or b)
        if hi < lo:
            return 0
        covered, cursor = 0, lo
        for f, t, _ in sorted(self.exemptions):
            f, t = max(f, cursor), min(t, hi)
            if f <= t:
                covered += (t - f).days + 1
                cursor = t + timedelta(days=1)
        return (hi - lo).days + 1 - covered

    def in_service(self, a: date, b: date) -> bool:
        return (self.service_start or a) <= b and (self.service_end or b) >= a


def _date(v: object) -> date | None:
    return v if isinstance(v, date) else None


def _int_row(v: Any) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def build_cadres(roster: pd.DataFrame, order: CadreOrder | None = None) -> tuple[list[Cadre], list[Issue]]:
    """One Cadre per name key, in the organisation's order (rules/order.py; ids follow it).

    Several roster rows with the same name key are one cadre: the first row (by file,
    sheet, row) gives department, position and service; every row may add an
    exemption range.
    """
    issues: list[Issue] = []
    by_key: dict[str, Cadre] = {}
    rows = roster.assign(_row=roster["row"].fillna(0)).sort_values(["file", "sheet", "_row"], kind="stable")
    for r in rows.itertuples(index=False):
        key = clean(r.name_key) or name_key(r.name)
        where: dict[str, Any] = {"file": clean(r.file), "sheet": clean(r.sheet), "row": _int_row(r.row)}
        c = by_key.get(key)
        if c is None:
            c = by_key[key] = Cadre(0, key, clean(r.name), clean(r.department), clean(r.position), **where,
                                    service_start=_date(r.service_start), service_end=_date(r.service_end))
            if c.service_start and c.service_end and c.service_end < c.service_start:
                issues.append(Issue("service_end_before_start", "error",
                                    f'Cán bộ "{c.name}" có ngày thôi công tác {dmy(c.service_end)} trước ngày '
                                    f"bắt đầu {dmy(c.service_start)}; bỏ qua ngày thôi công tác.", **where,
                                    suggestion="Sửa lại ngày bắt đầu hoặc ngày thôi công tác trong danh sách cán bộ."))
                c.service_end = None
        elif clean(r.department) and clean(r.department) != c.department:
            issues.append(Issue("roster_duplicate_name", "warning",
                                f'"{clean(r.name)}" có hai dòng trong danh sách cán bộ với hai Ban khác nhau '
                                f'("{c.department}" và "{clean(r.department)}"); dùng dòng {c.row}.', **where,
                                suggestion="Nếu là hai người trùng tên, ghi thêm chữ đệm hoặc năm sinh để phân biệt; "
                                           "nếu là một người, xoá dòng thừa."))
        ef, et, reason = _date(r.exempt_from), _date(r.exempt_to), clean(r.exempt_reason)
        if ef is None and et is None:
            continue
        if ef and et and et < ef:
            issues.append(Issue("exemption_end_before_start", "error",
                                f'Khoảng miễn/nghỉ của "{c.name}" kết thúc {dmy(et)} trước khi bắt đầu {dmy(ef)}; '
                                "khoảng này không được tính.", **where,
                                suggestion="Sửa lại ngày bắt đầu và ngày kết thúc của khoảng miễn/nghỉ."))
            continue
        c.exemptions.append((ef or date.min, et or date.max, reason))
    order = order or CadreOrder()
    cadres = order.sort(list(by_key.values()))  # by_key is in roster order
    issues += order.unknown_departments(cadres)
    for i, c in enumerate(cadres):
        c.id = i
    return cadres, issues


# --- names -------------------------------------------------------------------


def resolve_aliases(aliases: dict[str, str] | None, cadres: list[Cadre]) -> tuple[dict[str, int], list[Issue]]:
    """Alias map name_key -> cadre id. A target not in the roster is an Issue."""
    by_name = {c.name: c.id for c in cadres}
    by_key = {c.key: c.id for c in cadres}
    out: dict[str, int] = {}
    issues = []
    for variant, target in sorted((aliases or {}).items()):
        cid = by_name.get(clean(target), by_key.get(name_key(target)))
        if cid is None:
            issues.append(Issue("alias_target_unknown", "error",
                                f'Trang ánh xạ tên ghi "{variant}" là "{target}", nhưng "{target}" không có trong '
                                "danh sách cán bộ.",
                                suggestion="Sửa tên đích cho đúng như trong danh sách cán bộ chuyên trách."))
            continue
        out[name_key(variant)] = cid
    return out, issues


def match_names(names: pd.Series, keys: pd.Series, cadres: list[Cadre], alias_ids: dict[str, int]) -> pd.Series:
    """Cadre id per row (float, NaN when unknown): exact name key, then the alias map."""
    by_key = {c.key: c.id for c in cadres}
    k = keys.astype(object)
    missing = (k.isna() | (k == "")).to_numpy()
    if missing.any():  # the reader gives keys; compute the few it did not, once per name
        k = k.copy()
        k[missing] = names[missing].map({n: name_key(n) for n in set(names[missing])})
    ids = k.map(by_key).astype(float)
    if alias_ids:
        ids = ids.fillna(k.map(alias_ids).astype(float))
    return ids


def unknown_name_issue(name: str, where: dict, cadres: list[Cadre], what: str) -> Issue:
    display, _ = closest(name, {c.key: c.name for c in cadres})
    if display:
        hint = (f'Có phải "{display}"? Sửa tên trong sổ cho đúng danh sách cán bộ; hoặc, nếu đúng là một người, '
                f'thêm một dòng vào trang ánh xạ tên: cột "Tên trong sổ" ghi "{name}", cột "Tên đúng theo danh sách" '
                f'ghi "{display}".')
    else:
        hint = "Kiểm tra lại tên; nếu là cán bộ mới, bổ sung vào danh sách cán bộ chuyên trách."
    return Issue("unknown_name", "error", f'Tên "{name}" không có trong danh sách cán bộ; {what} chưa được tính.',
                 column="Họ và tên", suggestion=hint, **where)
