"""Validating a parsed rule-set YAML document, key by key, with messages for the clerk.

Every problem raises `RuleSetError` naming the file, the key (dotted, with list
indices: `levels.items[1].quota`) and what was expected, in Vietnamese. The core
keys (ruleset.py) and every rule kind (checks/) validate their own keys with it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dicoso.errors import RuleSetError


def _shown(value: Any) -> str:
    if value is None:
        return "để trống"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "danh sách [" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "bảng {" + ", ".join(str(k) for k in value) + "}"
    return str(value)


class Checker:
    """Reads one parsed YAML document, raising RuleSetError on the first bad key."""

    def __init__(self, file: str, lines: dict[str, int] | None = None) -> None:
        self.file = file
        self.lines = lines or {}  # dotted key -> line in the file (yamlfile.key_lines)

    def at(self, key: str) -> str:
        """`rules/x.yaml, dòng 12` — the file, and the line of `key` (or of the nearest key holding it)."""
        while key:
            if key in self.lines:
                return f"{self.file}, dòng {self.lines[key]}"
            key = key[:max(key.rfind("."), key.rfind("["), 0)]
        return self.file

    def fail(self, key: str, expected: str, value: Any) -> RuleSetError:
        return RuleSetError(f'{self.at(key)}: khoá "{key}" {expected}, đang là {_shown(value)}.')

    def mapping(self, value: Any, key: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
        where = f'khoá "{key}"' if key else "tệp"
        if not isinstance(value, dict):
            raise RuleSetError(f"{self.at(key)}: {where} phải là một bảng (các cặp khoá: giá trị), đang là "
                               f"{_shown(value)}.")
        for k in value:
            if k not in allowed:
                full = f"{key}.{k}" if key else str(k)
                inside = f' trong "{key}"' if key else ""
                raise RuleSetError(
                    f'{self.at(full)}: khoá "{full}" không được hỗ trợ. Các khoá hợp lệ{inside}: {", ".join(allowed)}.'
                )
        for k in required:
            if k not in value:
                full = f"{key}.{k}" if key else k
                raise RuleSetError(f'{self.at(key)}: thiếu khoá "{full}" (bắt buộc).')
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "phải là một chuỗi chữ không rỗng", value)
        return value.strip()

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "phải là một danh sách chuỗi chữ", value)
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def integer(self, value: Any, key: str, minimum: int, maximum: int | None = None) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= minimum
        if ok and maximum is not None:
            ok = value <= maximum
        if not ok:
            span = f"từ {minimum} đến {maximum}" if maximum is not None else (
                "dương" if minimum == 1 else f"không nhỏ hơn {minimum}")
            raise self.fail(key, f"phải là số nguyên {span}", value)
        return value

    def day(self, value: Any, key: str) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, "phải là một ngày dạng YYYY-MM-DD (ví dụ 2020-03-01)", value)

    def choice(self, value: Any, key: str, options: tuple[str, ...]) -> str:
        if value not in options:
            raise self.fail(key, "phải là một trong: " + ", ".join(options), value)
        return value
