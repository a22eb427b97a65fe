"""Reading a YAML file the clerk edits (rule sets), with errors said in Vietnamese.

A syntax error names the line and the key it is under, and says in the clerk's words
what is usually wrong there (PyYAML's own phrases are English). A key written twice is
an error too (PyYAML would silently keep the last one). The line of every key is kept,
so that the validation that follows (schema.Checker) can name it as well.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from dicoso.errors import RuleSetError

# PyYAML's problem -> what the clerk should look for (first match wins)
_PROBLEMS = [
    ("found character '\\t'", "có ký tự Tab; YAML chỉ thụt lề bằng dấu cách (phím Space), không dùng phím Tab"),
    ("mapping values are not allowed", "có dấu hai chấm ở chỗ không được dùng: thường do thiếu dấu cách sau dấu "
                                       "hai chấm của dòng trên, hoặc một đoạn chữ có dấu hai chấm chưa đặt trong "
                                       "ngoặc kép"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên khoá, hoặc thiếu dấu cách sau dấu hai chấm "
                                    "(viết dạng khoá: giá trị)"),
    ("while scanning a quoted scalar", "thiếu dấu ngoặc kép đóng cho một đoạn chữ"),
    ("expected ',' or ']'", "danh sách trong ngoặc vuông [ ] chưa đóng, hoặc thiếu dấu phẩy giữa các mục"),
    ("expected ',' or '}'", "bảng trong ngoặc nhọn { } chưa đóng, hoặc thiếu dấu phẩy giữa các mục"),
    ("found '<scalar>'", "một đoạn chữ ở dòng trên chưa có dấu ngoặc kép đóng, hoặc thụt lề không thẳng hàng"),
    ("found '<stream end>'", "tệp kết thúc khi một danh sách [ ] hoặc một bảng { } chưa đóng ngoặc"),
    ("expected <block end>", "thụt lề không thẳng hàng: các khoá cùng cấp phải bắt đầu ở cùng một cột"),
    ("did not find expected '-'", "thụt lề không thẳng hàng: các mục của một danh sách phải cùng bắt đầu bằng "
                                  "dấu gạch ngang ở cùng một cột"),
    ("did not find expected key", "thụt lề không thẳng hàng: các khoá cùng cấp phải bắt đầu ở cùng một cột"),
    ("found undefined alias", "có dấu * ở đầu một giá trị: đặt giá trị đó trong ngoặc kép"),
    ("found character '@'", "có dấu @ hoặc ` ở đầu một giá trị: đặt giá trị đó trong ngoặc kép"),
    ("found character '`'", "có dấu @ hoặc ` ở đầu một giá trị: đặt giá trị đó trong ngoặc kép"),
]
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*:")  # the rule sets' keys are plain words


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one table."""


# libyaml's parser, when PyYAML has it (the wheels do): ~10x faster on the rule sets,
# which a run reads all of to choose one. Its error texts differ from PyYAML's, so a file
# it refuses is parsed again by _Loader for the message (_PROBLEMS are PyYAML's phrases).
_FAST_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_FAST_BASE):  # type: ignore[valid-type,misc]
    """_Loader's rules on libyaml's parser."""


def _no_duplicates(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise _Duplicate(str(key), seen[key], line)
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
_FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def safe_load(text: str) -> Any:
    """yaml.safe_load on libyaml's parser when there is one (same results, same errors raised)."""
    return yaml.load(text, Loader=_FAST_BASE)


class _Duplicate(Exception):
    def __init__(self, key: str, first: int, again: int) -> None:
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


def key_lines(text: str) -> dict[str, int]:
    """Dotted key (`levels.items[1].quota`, as schema.Checker names keys) -> its 1-based line."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                here = f"{path}.{k.value}" if path else str(k.value)
                lines.setdefault(here, k.start_mark.line + 1)
                walk(v, here)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                here = f"{path}[{i}]"
                lines.setdefault(here, item.start_mark.line + 1)
                walk(item, here)

    try:
        root = yaml.compose(text, Loader=_FAST_BASE)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, "")
    return lines


def _key_above(text: str, line: int) -> str | None:
    """The key written on `line` (1-based) or the nearest line above it."""
    rows = text.splitlines()
    for row in reversed(rows[:line]):
        if m := _KEY_LINE.match(row):
            return m.group(1).strip("\"' ")
    return None


def load_yaml(text: str, file: str) -> Any:
    """Parse `text` (the contents of `file`); RuleSetError in Vietnamese naming line and key."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # a SafeLoader: no Python objects from the file
    except (_Duplicate, yaml.YAMLError):
        pass  # said below, in PyYAML's words
    try:
        return yaml.load(text, Loader=_Loader)
    except _Duplicate as dup:
        raise RuleSetError(f'{file}, dòng {dup.again}: khoá "{dup.key}" được ghi hai lần (lần đầu ở dòng '
                           f"{dup.first}). Xoá một trong hai dòng, giữ lại giá trị đúng.") from None
    except yaml.YAMLError as exc:
        problem = str(getattr(exc, "problem", None) or exc)
        context = str(getattr(exc, "context", None) or "")
        # a key without its colon is found on the next line; the key itself is where the scan began
        mark = getattr(exc, "context_mark" if context == "while scanning a simple key" else "problem_mark", None)
        said = next((vi for en, vi in _PROBLEMS if en in problem or en in context), "sai cú pháp YAML")
        if mark is None:
            raise RuleSetError(f"{file}: {said}. Kiểm tra thụt lề và dấu hai chấm.") from None
        line = mark.line + 1
        key = _key_above(text, line)
        under = f' (khoá "{key}")' if key else ""
        raise RuleSetError(f"{file}, dòng {line}{under}: {said}. Sửa dòng này (hoặc dòng ngay trên) rồi chạy "
                           "lại; so với tệp mẫu trong thư mục rules/ nếu cần.") from None
