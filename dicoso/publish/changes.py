"""What changed since the previous run of the same period (re-runs after corrections).

Compares the previous run's manifest and summary with the new ones. Each change
is a dict: kind, item, before, after and a Vietnamese sentence `text`, in this
order: books added, removed, changed; rule set, templates and as-of date; cadres
whose counted days or met/not-met changed; errors fixed, new errors; warnings gone,
new warnings. Info-level notes are not compared (they are not problems to fix).

A problem is the same problem in both runs when it is about the same thing: the same
code and severity in the same file, sheet and column, about the same row content
(`about`: the cadre's name, the trip's dates and place) with the same message, row
numbers aside. So a row inserted or deleted above changes nothing else. What is left
unmatched is then paired by place (same row number and column): a problem that stayed
on a row whose other cells were edited is not "fixed" and "new" at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..rules.summary import person_labels
from ..text.vn import dmy

YES_NO = {True: "đạt", False: "chưa đạt"}


def _change(kind: str, item: str, before: Any, after: Any, text: str) -> dict[str, Any]:
    return {"kind": kind, "item": item, "before": before, "after": after, "text": text}


_ROW_REF = re.compile(r"\bdòng \d+")
# (kind when it went away, sentence, kind when it appeared, sentence), by severity
PROBLEM_WORDS = {"error": ("Lỗi đã sửa", "Đã sửa", "Lỗi mới", "Lỗi mới"),
                 "warning": ("Cảnh báo đã hết", "Cảnh báo đã hết", "Cảnh báo mới", "Cảnh báo mới")}


def _about_key(i: dict[str, Any]) -> tuple:
    message = _ROW_REF.sub("dòng …", i["message"])
    return (i["severity"], i["code"], i["file"], i["sheet"], i["column"], i.get("about", ""), message)


def _place_key(i: dict[str, Any]) -> tuple:
    return (i["severity"], i["code"], i["file"], i["sheet"], i["column"], i["row"])


def _unmatched(old: list[dict], new: list[dict], key) -> tuple[list[dict], list[dict]]:
    """The problems of each side with no partner on the other: equal keys pair up in row order."""
    groups: dict[tuple, tuple[list[dict], list[dict]]] = defaultdict(lambda: ([], []))
    for side, items in ((0, old), (1, new)):
        for i in items:
            groups[key(i)][side].append(i)
    gone, came = [], []
    for before, after in groups.values():
        n = min(len(before), len(after))
        gone += before[n:]
        came += after[n:]
    return gone, came


def problem_changes(old: list[dict], new: list[dict]) -> list[dict[str, Any]]:
    """Errors fixed, new errors, warnings gone, new warnings (notes are not problems to fix)."""
    old = sorted((i for i in old if i["severity"] != "info"), key=_row_order)
    new = sorted((i for i in new if i["severity"] != "info"), key=_row_order)
    gone, came = _unmatched(old, new, _about_key)
    gone, came = _unmatched(gone, came, _place_key)
    out = []
    for severity, (gone_kind, gone_word, came_kind, came_word) in PROBLEM_WORDS.items():
        for i in sorted((i for i in gone if i["severity"] == severity), key=_row_order):
            out.append(_change(gone_kind, _where(i), i["message"], "", f"{gone_word}: {_where(i)} — {i['message']}"))
        for i in sorted((i for i in came if i["severity"] == severity), key=_row_order):
            out.append(_change(came_kind, _where(i), "", i["message"], f"{came_word}: {_where(i)} — {i['message']}"))
    return out


def _row_order(i: dict[str, Any]) -> tuple:
    return (i["file"] or "", i["sheet"] or "", i["row"] or 0, i["column"] or "", i["code"], i["message"])


def _label(m: dict) -> str | None:
    return (m.get("period") or {}).get("label")


def diff(prev_manifest: dict | None, prev_summary: dict | None, manifest: dict, summary: dict) -> list[dict[str, Any]]:
    if not prev_manifest or not prev_summary:
        return []
    out: list[dict[str, Any]] = []
    if _label(prev_manifest) and _label(manifest) and _label(prev_manifest) != _label(manifest):
        # Another period was written into this folder: comparing cadres would mislead.
        before, after = _label(prev_manifest), _label(manifest)
        return [_change("Kỳ báo cáo", "", before, after,
                        f"Lần chạy trước trong thư mục này là kỳ {before}, khác kỳ {after}; không so sánh.")]
    old_in = {f["path"]: f["sha256"] for f in prev_manifest.get("inputs", [])}
    new_in = {f["path"]: f["sha256"] for f in manifest.get("inputs", [])}
    for path in sorted(new_in.keys() - old_in.keys()):
        out.append(_change("Sổ mới", path, "", "có", f"Sổ mới: {path}"))
    for path in sorted(old_in.keys() - new_in.keys()):
        out.append(_change("Sổ bị bỏ", path, "có", "", f"Sổ không còn trong thư mục: {path}"))
    for path in sorted(old_in.keys() & new_in.keys()):
        if old_in[path] != new_in[path]:
            out.append(_change("Sổ đã sửa", path, "", "", f"Sổ đã được sửa: {path}"))
    if (prev_manifest.get("rules") or {}).get("sha256") != (manifest.get("rules") or {}).get("sha256"):
        out.append(_change("Bộ quy tắc", manifest["rules"].get("file", ""), "", "",
                           f"Bộ quy tắc đã thay đổi: {manifest['rules'].get('file', '')}"))
    if "templates" in prev_manifest and "templates" in manifest:
        old_t = {t["file"]: t["sha256"] for t in prev_manifest["templates"]}
        for t in manifest["templates"]:
            if t["file"] in old_t and old_t[t["file"]] != t["sha256"]:
                out.append(_change("Mẫu báo cáo", t["file"], "", "", f"Mẫu báo cáo đã được sửa: {t['file']}"))
    a_of, b_of = prev_manifest.get("as_of"), manifest.get("as_of")
    if a_of and b_of and a_of != b_of:
        out.append(_change("Ngày chốt số liệu", "", dmy(a_of), dmy(b_of),
                           f"Ngày chốt số liệu: {dmy(a_of)} → {dmy(b_of)}"))
    old_c, new_c = _by_person(prev_summary), _by_person(summary)
    for name in sorted(new_c.keys() | old_c.keys()):
        a, b = old_c.get(name), new_c.get(name)
        if a is None or b is None:
            what = "Cán bộ mới trong danh sách" if a is None else "Cán bộ không còn trong danh sách"
            out.append(_change(what, name, "", "", f"{what}: {name}"))
            continue
        if a["counted_days"] != b["counted_days"]:
            out.append(_change("Số ngày", name, a["counted_days"], b["counted_days"],
                               f"{name}: số ngày đi cơ sở {a['counted_days']} → {b['counted_days']}"))
        if a["met"] != b["met"]:
            out.append(_change("Đạt chỉ tiêu", name, YES_NO[a["met"]], YES_NO[b["met"]],
                               f"{name}: {YES_NO[a['met']]} → {YES_NO[b['met']]} chỉ tiêu"))
    out += problem_changes(prev_summary.get("issues", []), summary.get("issues", []))
    return out


def _by_person(summary: dict) -> dict[str, dict]:
    """Cadres by name, or "name (Ban)" for two cadres of the same name (two people)."""
    cadres = summary.get("cadres", [])
    return dict(zip(person_labels(cadres), cadres))


def _where(i: dict[str, Any]) -> str:
    parts = [i["file"] or "(chung)"]
    if i.get("sheet"):
        parts.append(f'trang "{i["sheet"]}"')
    if i.get("row"):
        parts.append(f"dòng {i['row']}")
    return ", ".join(parts)
