"""The roster side of the engine: cadres, their eligibility and name matching.

All ranges are inclusive: the first and the last day named both belong to them.

Identity. A cadre is a name (name_key) in a Ban: two roster rows with the same name in
two different Ban are two people (homonyms, "Nguyễn Văn Hùng" of Ban Tuyên giáo and of
Văn phòng); rows with the same name in the same Ban (or without a Ban, beside one Ban)
are one cadre whose every row may add an exemption range. A trip or registration row
naming a homonym is attributed by its Ban: the row's own Ban (its "Ban" column, else the
book's title), then the book's path (the Ban's folder, the file name). A row that still
cannot be told apart is an error naming the candidates, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from dicoso.model import Issue
from dicoso.rules.order import CadreOrder
from dicoso.rules.rows import where_of
from dicoso.text.clean import clean
from dicoso.text.names import closest, fold, name_key
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
    homonym: bool = False  # another cadre of the roster has the same name (told apart by Ban)

    @property
    def label(self) -> str:
        """The name as messages and lists show it: with the Ban when a homonym has the same name."""
        return f"{self.name} ({self.department or 'chưa rõ Ban'})" if self.homonym else self.name

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


ROSTER_ROW_AMBIGUOUS = "roster_row_ambiguous"  # a roster row rejected: its name is a homonym's and it names no Ban


def build_cadres(roster: pd.DataFrame, order: CadreOrder | None = None) -> tuple[list[Cadre], list[Issue]]:
    """One Cadre per name key and Ban, in the organisation's order (rules/order.py; ids follow it).

    Several roster rows with the same name key and Ban (or no Ban, when the name has only
    one) are one cadre: the first row (by file, sheet, row) gives department, position and
    service; every row may add an exemption range; a repeated row that may be another
    person is warned about (_repeated_row). A name in two Ban is two cadres; a row
    of such a name without a Ban is rejected (ROSTER_ROW_AMBIGUOUS), naming both.
    """
    issues: list[Issue] = []
    rows = roster.assign(_row=roster["row"].fillna(0)).sort_values(["file", "sheet", "_row"], kind="stable")
    bans: dict[str, dict[str, str]] = {}  # name key -> Ban key -> the Ban as first written
    for r in rows.itertuples(index=False):
        if clean(r.department):
            bans.setdefault(clean(r.name_key) or name_key(r.name), {}).setdefault(fold(r.department), clean(r.department))
    by_key: dict[tuple[str, str], Cadre] = {}
    for r in rows.itertuples(index=False):
        key = clean(r.name_key) or name_key(r.name)
        where: dict[str, Any] = {"file": clean(r.file), "sheet": clean(r.sheet), "row": _int_row(r.row)}
        of_name = bans.get(key, {})
        ban = fold(r.department) if clean(r.department) else (next(iter(of_name)) if len(of_name) == 1 else "")
        if not ban and len(of_name) > 1:
            listed = " và ".join(f"{clean(r.name)} ({b})" for b in of_name.values())
            issues.append(Issue(ROSTER_ROW_AMBIGUOUS, "error",
                                f'Danh sách cán bộ có {len(of_name)} người tên "{clean(r.name)}": {listed}; dòng này '
                                "không ghi Ban nên không biết của ai và không được dùng.", column="Ban", **where,
                                suggestion="Ghi Ban của cán bộ vào cột Ban của dòng này rồi chạy lại."))
            continue
        c = by_key.get((key, ban))
        if c is not None:
            issues += _repeated_row(c, r, where)
        if c is None:
            c = by_key[(key, ban)] = Cadre(0, key, clean(r.name), clean(r.department) or of_name.get(ban, ""),
                                           clean(r.position), **where, service_start=_date(r.service_start),
                                           service_end=_date(r.service_end), homonym=len(of_name) > 1)
            if c.service_start and c.service_end and c.service_end < c.service_start:
                issues.append(Issue("service_end_before_start", "error",
                                    f'Cán bộ "{c.label}" có ngày thôi công tác {dmy(c.service_end)} trước ngày '
                                    f"bắt đầu {dmy(c.service_start)}; bỏ qua ngày thôi công tác.", **where,
                                    suggestion="Sửa lại ngày bắt đầu hoặc ngày thôi công tác trong danh sách cán bộ."))
                c.service_end = None
        ef, et, reason = _date(r.exempt_from), _date(r.exempt_to), clean(r.exempt_reason)
        if ef is None and et is None:
            continue
        if ef and et and et < ef:
            issues.append(Issue("exemption_end_before_start", "error",
                                f'Khoảng miễn/nghỉ của "{c.label}" kết thúc {dmy(et)} trước khi bắt đầu {dmy(ef)}; '
                                "khoảng này không được tính.", **where,
                                suggestion="Sửa lại ngày bắt đầu và ngày kết thúc của khoảng miễn/nghỉ."))
            continue
        c.exemptions.append((ef or date.min, et or date.max, reason))
    same_name: dict[str, list[Cadre]] = {}
    for c in by_key.values():
        if c.homonym:
            same_name.setdefault(c.key, []).append(c)
    for group in same_name.values():
        first = group[0]
        issues.append(Issue("roster_homonym", "info",
                            f'Danh sách cán bộ có {len(group)} người cùng tên "{first.name}" ở '
                            f'{" và ".join(c.department for c in group)}: tính là {len(group)} người khác nhau, '
                            "phân biệt theo Ban.", file=first.file, sheet=first.sheet, row=first.row,
                            column="Họ và tên",
                            suggestion="Không cần sửa. Chuyến đi và đăng ký của những người này được nhận theo cột Ban "
                                       "của dòng, tiêu đề sổ hoặc thư mục của Ban; dòng không rõ của ai sẽ được báo "
                                       "lỗi."))
    order = order or CadreOrder()
    cadres = order.sort(list(by_key.values()))  # by_key is in roster order
    issues += order.unknown_departments(cadres)
    for i, c in enumerate(cadres):
        c.id = i
    return cadres, issues


def _repeated_row(c: Cadre, r: Any, where: dict[str, Any]) -> list[Issue]:
    """A warning when a later roster row of the same name and Ban may be another person.

    Such rows are one cadre (an exemption range per row is the usual reason to repeat a
    name). Rows that disagree on the position or the service dates, or a row repeated in
    the same list without an exemption, may be two people with one name: say they are
    counted as one, never merge them silently.
    """
    position, start, end = clean(r.position), _date(r.service_start), _date(r.service_end)
    differs = [what for what, mine, theirs in (("chức vụ", fold(c.position), fold(position)),
                                               ("ngày bắt đầu công tác", c.service_start, start),
                                               ("ngày thôi công tác", c.service_end, end))
               if mine and theirs and mine != theirs]
    no_exemption = _date(r.exempt_from) is None and _date(r.exempt_to) is None
    if not differs and not (no_exemption and (c.file, c.sheet) == (where["file"], where["sheet"])):
        return []
    first = f"dòng {c.row}" if (c.file, c.sheet) == (where["file"], where["sheet"]) else \
        f'tệp {c.file}, trang "{c.sheet}", dòng {c.row}'
    why = f" ({', '.join(differs)} khác nhau)" if differs else ""
    return [Issue("roster_duplicate_name", "warning",
                  f'Tên "{clean(r.name)}" ({c.department or "chưa rõ Ban"}) đã có ở {first}{why}: hai dòng được tính '
                  "là MỘT cán bộ; chức vụ và thời gian công tác lấy theo dòng đầu.", column="Họ và tên", **where,
                  suggestion="Nếu là một người, xoá dòng thừa (khoảng miễn/nghỉ thì giữ ở dòng riêng). Nếu là hai "
                             f'người trùng tên, ghi thêm năm sinh sau tên, ví dụ "{clean(r.name)} (1990)", ở danh sách '
                             "cán bộ và ở các sổ của Ban cho cả hai người.")]


# --- names -------------------------------------------------------------------


@dataclass
class Names:
    """How a name typed in a book finds its cadre: name key -> candidate cadre ids (several
    for homonyms), the roster's own names first, then the office's alias map."""

    cadres: list[Cadre]
    by_key: dict[str, tuple[int, ...]]
    issues: list[Issue]  # alias targets not in the roster


def resolve_names(cadres: list[Cadre], aliases: dict[str, str] | None) -> Names:
    """The roster's names and the alias map (variant name key -> target name). A target may
    name a homonym with its Ban ("Nguyễn Văn Hùng (Văn phòng)"); a target not in the roster
    is an Issue."""
    by_key: dict[str, tuple[int, ...]] = {}
    for c in cadres:
        by_key[c.key] = by_key.get(c.key, ()) + (c.id,)
    by_label = {name_key(c.label): c.id for c in cadres}
    issues = []
    alias: dict[str, tuple[int, ...]] = {}
    for variant, target in sorted((aliases or {}).items()):
        ids = by_key.get(name_key(target)) or ((by_label[name_key(target)],) if name_key(target) in by_label else ())
        if not ids:
            issues.append(Issue("alias_target_unknown", "error",
                                f'Trang ánh xạ tên ghi "{variant}" là "{target}", nhưng "{target}" không có trong '
                                "danh sách cán bộ.",
                                suggestion="Sửa tên đích cho đúng như trong danh sách cán bộ chuyên trách."))
            continue
        alias[name_key(variant)] = ids
    return Names(cadres, {**alias, **by_key}, issues)


def _tokens(text: str) -> set[str]:
    """Words of a folded text and runs of 2-3 adjacent words joined ("TTN-TH" -> "ttnth")."""
    words = fold(text).split()
    return {"".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}


def _ban_forms(department: str) -> tuple[str, set[str]]:
    """A Ban's name without its leading "Ban" (folded), and its initials with and without it
    ("Ban Xây dựng Đoàn" -> "xay dung doan", {"bxdd", "xdd"})."""
    words = fold(department).split()
    core = words[1:] if words[:1] == ["ban"] and len(words) > 1 else words
    initials = {"".join(w[0] for w in ws) for ws in (words, core) if len(ws) > 1}
    return " ".join(core), initials | ({core[0]} if len(core) == 1 else set())


def names_ban(hint: str, department: str) -> bool:
    """Whether `hint` (a Ban column, a book's title, a folder or file name) names `department`:
    its words ("Ban Tuyen giao", "BAN TUYÊN GIÁO") or its initials ("XDĐ", "Ban TTN-TH")."""
    if not clean(hint) or not clean(department):
        return False
    core, initials = _ban_forms(department)
    if f" {core} " in f" {fold(hint)} ":
        return True
    tokens = _tokens(hint)
    if tokens & initials:
        return True
    hint_core, hint_initials = _ban_forms(hint)
    return bool(hint_initials & _tokens(department)) or hint_core == core


def _attribute(row, candidates: tuple[int, ...], cadres: list[Cadre]) -> int | None:
    """The one candidate the row's Ban names: its own Ban first, then its book's path."""
    path = clean(row.file).split("/")
    for hints in ([clean(row.department)], path[:-1] + [path[-1].rsplit(".", 1)[0]]):
        named = {cid for cid in candidates for hint in hints if names_ban(hint, cadres[cid].department)}
        if len(named) == 1:
            return named.pop()
        if named:
            return None  # the hint names several: stop, do not fall back to a weaker one
    return None


def match_rows(rows: pd.DataFrame, names: Names, what: str) -> tuple[np.ndarray, list[Issue]]:
    """Cadre id per row (float, NaN when not attributed) and the Issues of the rows not
    attributed: a name not in the roster (with the closest as a suggestion), or a homonym's
    name that the row's Ban does not tell apart. `what` names the row ("chuyến đi này")."""
    keys = rows["name_key"].astype(object)
    missing = (keys.isna() | (keys == "")).to_numpy()
    if missing.any():  # the reader gives keys; compute the few it did not, once per name
        keys = keys.copy()
        keys[missing] = rows["name"][missing].map({n: name_key(n) for n in set(rows["name"][missing])})
    single = {k: ids[0] for k, ids in names.by_key.items() if len(ids) == 1}
    ids = keys.map(single).to_numpy(dtype=float, copy=True)
    issues: list[Issue] = []
    several = {k: v for k, v in names.by_key.items() if len(v) > 1}
    if several:
        for i in np.flatnonzero(keys.isin(list(several)).to_numpy()):
            r = rows.iloc[i]
            cid = _attribute(r, several[keys.iloc[i]], names.cadres)
            if cid is not None:
                ids[i] = cid
                continue
            who = [names.cadres[c].label for c in several[keys.iloc[i]]]
            issues.append(Issue("ambiguous_name", "error",
                                f'Tên "{clean(r["name"])}" có {len(who)} người trong danh sách cán bộ: '
                                f'{" và ".join(who)}; không rõ {what} của ai nên chưa được tính.',
                                column="Họ và tên", **where_of(r),
                                suggestion='Ghi Ban của cán bộ vào cột "Ban" của dòng này (thêm cột "Ban" nếu sổ chưa '
                                           'có), hoặc để sổ trong thư mục mang tên Ban (ví dụ "Ban Tuyên giáo"), rồi '
                                           "chạy lại."))
    unknown = np.isnan(ids) & ~keys.isin(list(several)).to_numpy()
    for r in rows[unknown].itertuples():
        issues.append(unknown_name_issue(clean(r.name), where_of(r), names.cadres, what))
    return ids, issues


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
