"""templates/office.yaml: who issues the documents (issuing body, place, document codes,
signer, recipients and title per report kind) and the order of Ban and positions, read
and checked with messages for the clerk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import TemplateError
from ..rules.order import DEFAULT_RANKS, CadreOrder
from ..rules.yamlfile import safe_load


class RenderError(TemplateError):
    """A report could not be rendered; `message` is Vietnamese, for the clerk."""


_OFFICE_KEYS = {
    "issuing_body": "cơ quan ban hành, ví dụ “BCH ĐOÀN TỈNH VĨNH PHÚC”",
    "province": "tên tỉnh dùng trong lời văn",
    "place": "địa danh ở dòng ngày tháng",
    "signer.on_behalf": "dòng “TM. BAN THƯỜNG VỤ”",
    "signer.role": "chức vụ người ký, ví dụ “PHÓ BÍ THƯ”",
    "signer.name": "họ và tên người ký",
    "recipients": "danh sách nơi nhận",
}
# Parts of the document number (shared/format.md "Document-number parts") and their defaults.
CODE_DEFAULTS = {"issuer": "TĐTN", "unit": "VP", "report": "BC", "notice": "TB"}
CODE_MEANING = {"issuer": "ký hiệu cơ quan ban hành", "unit": "ký hiệu đơn vị soạn thảo",
                "report": "ký hiệu loại văn bản của báo cáo", "notice": "ký hiệu loại văn bản của thông báo"}
# The number is given by the văn thư when the document is issued: by default a gap to
# write it in (non-breaking, so that Word neither collapses nor breaks it).
BLANK_NUMBER = "\u00a0" * 6
PERIOD_SLOT = "{kỳ}"
KINDS = {"year": "báo cáo năm", "quarter": "báo cáo quý", "month": "báo cáo tháng"}
DEFAULT_TITLES = {
    "year": "Kết quả thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn {kỳ}",
    "quarter": "Tiến độ thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn {kỳ}",
    "month": "Tiến độ thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn {kỳ}",
    "notice": "Kết quả đi công tác cơ sở và những việc cần làm của {ban} {kỳ}",
}


def _text(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip() != ""


def _lines(value: Any, dotted: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(_text(v) for v in value):
        raise RenderError(f"Mục “{dotted}” trong {source} phải là một danh sách các dòng chữ.")
    return [str(v).strip() for v in value]


def _recipients(value: Any, dotted: str, source: str) -> list[str]:
    lines = _lines(value, dotted, source)
    for entry in lines:
        if entry.lstrip("- ").startswith("Lưu"):
            raise RenderError(f"Mục “{dotted}” trong {source}: bỏ dòng “{entry}”, "
                              "mẫu đã có sẵn dòng cuối “- Lưu VP.”.")
    return lines


def check_office(data: Any, source: str = "office.yaml") -> dict:
    """Validate the office config; a missing or wrong key gives a Vietnamese message.

    Returns the config with every optional key filled in: `document_code` (its four
    parts), `reports` (title and recipients of each kind and of the notice),
    `departments` and `position_order`.
    """
    if not isinstance(data, dict):
        raise RenderError(f"Tệp cấu hình cơ quan {source} phải gồm các mục dạng “tên: giá trị”.")
    if "number" in data:
        raise RenderError(
            f"Mục “number” trong {source} không còn dùng: số văn bản do văn thư ghi khi phát hành, nên báo cáo "
            "để trống số (“Số:      -BC/TĐTN-VP”), hoặc ghi số khi chạy bằng tùy chọn --so, ví dụ --so 15. "
            "Xoá dòng “number: …”; ký hiệu văn bản ghi ở mục “document_code” (xem tệp office.yaml mẫu).")
    if "plan" in data:
        raise RenderError(
            f"Mục “plan” trong {source} không còn dùng: kế hoạch được dẫn ở đầu báo cáo lấy từ bộ quy tắc đã dùng "
            "(mục “plan” trong tệp rules/….yaml: số, ngày, cơ quan ban hành), để báo cáo luôn dẫn đúng kế hoạch của "
            "bộ quy tắc đã áp dụng. Xoá dòng “plan: …” ở đây; nếu cần sửa kế hoạch, sửa trong tệp bộ quy tắc.")
    for dotted, meaning in _OFFICE_KEYS.items():
        value: Any = data
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or value == "" or value == []:
            raise RenderError(f"Tệp cấu hình cơ quan {source} thiếu mục “{dotted}” ({meaning}).")
        if dotted == "recipients":
            _recipients(value, dotted, source)
        elif not _text(value):
            raise RenderError(f"Mục “{dotted}” trong {source} phải là một dòng chữ.")
    out = dict(data)
    out["recipients"] = _recipients(data["recipients"], "recipients", source)
    out["document_code"] = _codes(data.get("document_code"), source)
    out["reports"] = _reports(data.get("reports"), out["recipients"], source)
    out["departments"] = _lines(data.get("departments") or [], "departments", source)
    out["position_order"] = _lines(data.get("position_order") or list(DEFAULT_RANKS), "position_order", source)
    return out


def _codes(value: Any, source: str) -> dict[str, str]:
    if value is None:
        return dict(CODE_DEFAULTS)
    if not isinstance(value, dict):
        raise RenderError(f"Mục “document_code” trong {source} phải gồm các mục issuer, unit, report, notice.")
    out = {}
    for key, default in CODE_DEFAULTS.items():
        part = value.get(key, default)
        if not _text(part) or any(ch in str(part) for ch in "/- "):
            raise RenderError(f"Mục “document_code.{key}” trong {source} ({CODE_MEANING[key]}) phải là một ký hiệu "
                              f"ngắn không có dấu cách, “/” hay “-”, ví dụ “{default}”.")
        out[key] = str(part).strip()
    return out


def _reports(value: Any, recipients: list[str], source: str) -> dict[str, dict]:
    if value is not None and not isinstance(value, dict):
        raise RenderError(f"Mục “reports” trong {source} phải gồm các mục year, quarter, month, notice.")
    value = value or {}
    unknown = sorted(set(map(str, value)) - set(DEFAULT_TITLES))
    if unknown:
        raise RenderError(f"Mục “reports.{unknown[0]}” trong {source} không có; chỉ dùng year, quarter, month, notice.")
    out = {}
    for kind, default in DEFAULT_TITLES.items():
        entry = value.get(kind) or {}
        if not isinstance(entry, dict):
            raise RenderError(f"Mục “reports.{kind}” trong {source} phải gồm “title” và/hoặc “recipients”.")
        title = entry.get("title", default)
        if not _text(title) or PERIOD_SLOT not in str(title):
            raise RenderError(f"Mục “reports.{kind}.title” trong {source} phải là một dòng chữ có chỗ ghi kỳ báo cáo "
                              f"“{PERIOD_SLOT}”, ví dụ “{default}”.")
        if kind == "notice" and "{ban}" not in str(title):
            raise RenderError(f"Mục “reports.notice.title” trong {source} phải có chỗ ghi tên Ban “{{ban}}”, "
                              f"ví dụ “{default}”.")
        lines = entry.get("recipients")
        out[kind] = {"title": str(title).strip(),
                     "recipients": recipients if lines is None else _recipients(lines, f"reports.{kind}.recipients",
                                                                                   source)}
    return out


def document_number(office: dict, doc_type: str, number: str | None = None) -> str:
    """`15-BC/TĐTN-VP`, or with no number the official gap `      -BC/TĐTN-VP`.

    `doc_type` is "report" or "notice" (its code from `document_code`).
    """
    codes = office["document_code"]
    return f"{number or BLANK_NUMBER}-{codes[doc_type]}/{codes['issuer']}-{codes['unit']}"


def title(office: dict, kind: str, period_name: str, ban: str = "") -> str:
    """The summary line (trích yếu) of a report kind ("year", "quarter", "month") or the notice."""
    text = office["reports"].get(kind, office["reports"]["year"])["title"]
    return text.replace(PERIOD_SLOT, period_name).replace("{ban}", ban)


def recipients(office: dict, kind: str) -> list[str]:
    return list(office["reports"].get(kind, office["reports"]["year"])["recipients"])


def cadre_order(office: dict, source: str = "templates/office.yaml") -> CadreOrder:
    """The order of Ban and positions the office set (rules/order.py)."""
    return CadreOrder(tuple(office["departments"]), tuple(office["position_order"]), source)


def office_province(path: Path) -> str | None:
    """The office's province (which rule sets apply), or None when the file does not say it.

    Read on its own, before anything is rendered: `check` picks a rule set too, and a
    signer missing from office.yaml is no reason to stop it.
    """
    try:
        data = safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("province") if isinstance(data, dict) else None
    return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else None


def load_office(path: Path) -> dict:
    """Read and validate templates/office.yaml."""
    path = Path(path)
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"Không tìm thấy tệp cấu hình cơ quan {path}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark else ""
        raise RenderError(f"Tệp cấu hình cơ quan {path} viết sai cú pháp YAML{where}.") from None
    return check_office(data, str(path))
