"""templates/office.yaml: who issues the report (issuing body, place, number, signer,
recipients), read and checked with messages for the clerk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import TemplateError


class RenderError(TemplateError):
    """A report could not be rendered; `message` is Vietnamese, for the clerk."""


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
