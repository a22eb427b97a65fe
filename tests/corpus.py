"""Builders for bad input: every kind of file a clerk's drop folder may hold.

Each builder writes one bad file into `folder` and returns its path relative to
it. Most are made by code here; the zip-level ones (bombs, lying dimensions, a
stray far cell, entity declarations) use `raw_xlsx`, a minimal .xlsx writer that
puts exactly the given XML into the book.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

import openpyxl

from dicoso.text.excel import col_letters

from builders import TRIP_HEADER, book, register, roster, trip

GOOD_NAME = "Nguyễn Văn An"
OTHER_NAME = "Trần Thị Bình"
ROSTER_ROW = [1, GOOD_NAME, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None]
ROSTER_ROW_2 = [2, OTHER_NAME, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None]


def good_folder(folder: Path) -> Path:
    """One good register (one 3-day trip of Nguyễn Văn An) and the roster."""
    register(folder / "BTG thang 03-2020.xlsx", [trip(GOOD_NAME, "05/03/2020", "07/03/2020")])
    roster(folder / "Danh sach can bo.xlsx", [ROSTER_ROW, ROSTER_ROW_2])
    return folder


# --- a minimal .xlsx writer --------------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '{sheets}</Types>')
_CT_SHEET = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>'
       '</workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            '</Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


col = col_letters  # 0 -> "A"


def cell(r: int, c: int, v: Any) -> str:
    """One cell at 0-based (r, c): numbers as numbers, everything else inline text."""
    ref = f"{col(c)}{r + 1}"
    if v is None or v == "":
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'


def sheet_xml(rows: list[list[Any]], *, dimension: str | None = None, prolog: str = "",
              extra_rows: str = "") -> bytes:
    body = "".join(f'<row r="{r + 1}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = SHEET_HEAD if not prolog else SHEET_HEAD.replace("?>", "?>" + prolog, 1)
    return (head + dim + "<sheetData>" + body + extra_rows + "</sheetData></worksheet>").encode("utf-8")


def raw_xlsx(path: Path, sheets: dict[str, bytes], *, extra: dict[str, bytes] | None = None,
             compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """An .xlsx holding exactly these worksheet XMLs (plus `extra` parts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(sheets)
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", _CT.format(sheets="".join(_CT_SHEET.format(n=i + 1) for i in range(len(names)))))
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB.format(sheets="".join(
            f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels="".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))))
        for i, n in enumerate(names):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", sheets[n])
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def register_rows(rows: list[list[Any]]) -> list[list[Any]]:
    return [["TỈNH ĐOÀN VĨNH PHÚC"], ["BAN TUYÊN GIÁO"], [], TRIP_HEADER] + rows


# --- the bad files -----------------------------------------------------------------------
Builder = Callable[[Path], str]


def corrupt_zip(folder: Path) -> str:
    (folder / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\x13\x37" * 400)
    return "hong.xlsx"


def truncated_zip(folder: Path) -> str:
    src = register(folder.parent / "full.xlsx", [trip(GOOD_NAME, "10/04/2020", "11/04/2020")])
    data = src.read_bytes()
    (folder / "chep do.xlsx").write_bytes(data[: len(data) * 2 // 3])
    src.unlink()
    return "chep do.xlsx"


def zero_byte(folder: Path) -> str:
    (folder / "rong.xlsx").write_bytes(b"")
    return "rong.xlsx"


def password_protected(folder: Path) -> str:
    """A real Excel-encrypted book (msoffcrypto-tool, agile encryption, password 'matkhau')."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = register(folder.parent / "plain.xlsx", [trip(GOOD_NAME, "10/04/2020", "11/04/2020")])
    with plain.open("rb") as src, (folder / "mat khau.xlsx").open("wb") as dst:
        OOXMLFile(src).encrypt("matkhau", dst)
    plain.unlink()
    return "mat khau.xlsx"


def html_saved_as_xls(folder: Path) -> str:
    (folder / "xuat tu phan mem.xls").write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>STT</td><td>Họ và tên</td></tr>"
        "</table></body></html>", encoding="utf-8")
    return "xuat tu phan mem.xls"


def csv_renamed_xlsx(folder: Path) -> str:
    (folder / "csv doi ten.xlsx").write_text("STT,Họ và tên,Từ ngày,Đến ngày\n1,Trần Thị Bình,05/04/2020,06/04/2020\n",
                                             encoding="utf-8")
    return "csv doi ten.xlsx"


def xml_2003(folder: Path) -> str:
    (folder / "xml 2003.xls").write_text(
        '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', encoding="utf-8")
    return "xml 2003.xls"


def word_renamed_xlsx(folder: Path) -> str:
    import docx

    d = docx.Document()
    d.add_paragraph("Báo cáo")
    d.save(str(folder / "bao cao.xlsx"))
    return "bao cao.xlsx"


def other_office_export(folder: Path) -> str:
    """A budget workbook from another office: no header this tool knows."""
    book(folder / "du toan kinh phi.xlsx", {"Dự toán": [["DỰ TOÁN KINH PHÍ 2020"], [],
                                                         ["Mục", "Nội dung chi", "Số tiền"],
                                                         ["1", "Văn phòng phẩm", 1_500_000]]})
    return "du toan kinh phi.xlsx"


def only_header(folder: Path) -> str:
    book(folder / "chi co tieu de.xlsx", {"T4": register_rows([])})
    return "chi co tieu de.xlsx"


def header_missing_required(folder: Path) -> str:
    book(folder / "thieu cot.xlsx", {"T4": [["STT", "Họ và tên", "Số ngày", "Địa bàn", "Nội dung"],
                                            [1, OTHER_NAME, 2, "Xã Hợp Thịnh", "Dự sinh hoạt chi đoàn"]]})
    return "thieu cot.xlsx"


def duplicated_header_names(folder: Path) -> str:
    header = ["STT", "Họ và tên", "Từ ngày", "Đến ngày", "Từ ngày", "Địa bàn"]
    book(folder / "trung cot.xlsx", {"T4": [header, [1, OTHER_NAME, "06/04/2020", "07/04/2020", "01/01/2019", "Xã A"]]})
    return "trung cot.xlsx"


def formula_without_cached_value(folder: Path) -> str:
    """openpyxl writes formulas without their results, as any program that never ran Excel."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T4"
    for row in register_rows([[1, OTHER_NAME, "Chuyên viên", "06/04/2020", None, None, "Xã A"]]):
        ws.append(row)
    ws["E5"] = "=D5+1"  # Đến ngày as a formula: calamine reads it as blank
    ws["F5"] = "=E5-D5+1"  # Số ngày
    wb.save(folder / "cong thuc.xlsx")
    return "cong thuc.xlsx"


def days_as_text(folder: Path) -> str:
    register(folder / "so ngay chu.xlsx", [trip(OTHER_NAME, "06/04/2020", "08/04/2020", days="ba ngày")])
    return "so ngay chu.xlsx"


def date_before_1900(folder: Path) -> str:
    register(folder / "ngay 1899.xlsx", [trip(OTHER_NAME, "15/02/1899", "16/02/1899")])
    return "ngay 1899.xlsx"


def date_far_future(folder: Path) -> str:
    register(folder / "ngay 9999.xlsx", [trip(OTHER_NAME, "05/03/9999", "06/03/9999")])
    return "ngay 9999.xlsx"


def dimension_lie(folder: Path) -> str:
    """Declares A1:XFD1048576 (as some exporters do) but holds ten rows: read as ten rows."""
    rows = register_rows([trip(OTHER_NAME, f"{d:02d}/04/2020", f"{d:02d}/04/2020") for d in range(1, 7)])
    raw_xlsx(folder / "dimension.xlsx", {"T4": sheet_xml(rows, dimension="A1:XFD1048576")})
    return "dimension.xlsx"


def stray_far_cell(folder: Path) -> str:
    """One cell typed at XFD1048576: calamine would allocate 512 GiB. The sheet is refused alone."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    ok = register_rows([trip(OTHER_NAME, "06/04/2020", "06/04/2020")])
    raw_xlsx(folder / "o xa.xlsx", {"Rác": sheet_xml([["ghi chú"]], extra_rows=far), "T4": sheet_xml(ok)})
    return "o xa.xlsx"


def zip_bomb(folder: Path) -> str:
    """A 60 MB sheet of one repeated byte, deflated to ~60 KB: refused before parsing."""
    big = SHEET_HEAD.encode() + b"<sheetData>" + b" " * 60_000_000 + b"</sheetData></worksheet>"
    raw_xlsx(folder / "bom nen.xlsx", {"T4": big})
    return "bom nen.xlsx"


def zip_many_entries(folder: Path) -> str:
    path = raw_xlsx(folder / "nhieu muc.xlsx", {"T4": sheet_xml(register_rows([]))})
    with zipfile.ZipFile(path, "a") as z:
        for i in range(10_001):
            z.writestr(f"xl/media/x{i}.bin", b"")
    return "nhieu muc.xlsx"


BILLION_LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
                  + "]>").replace("&lol1;", "&lol;")


def xml_entity_bomb(folder: Path) -> str:
    rows = register_rows([trip("&lol9;", "06/04/2020", "06/04/2020")])
    xml = sheet_xml(rows, prolog=BILLION_LAUGHS).replace(b"&amp;lol9;", b"&lol9;")
    raw_xlsx(folder / "bom xml.xlsx", {"T4": xml})
    return "bom xml.xlsx"


def formula_text_in_cells(folder: Path) -> str:
    """Text that a spreadsheet would run as a formula, typed as text in names and other cells."""
    rows = [trip("=HYPERLINK(\"http://evil.example/x\",\"Bấm vào đây\")", "06/04/2020", "06/04/2020"),
            trip("+Trần Thị Bình", "07/04/2020", "07/04/2020", stt=2),
            trip("-2+3+cmd|' /C calc'!A0", "08/04/2020", "08/04/2020", stt=3),
            trip("@SUM(1+1)*cmd", "09/04/2020", "09/04/2020", stt=4),
            trip(OTHER_NAME, "10/04/2020", "10/04/2020", stt=5, place="=HYPERLINK(\"http://evil.example\",\"x\")",
                 content="@SUM(A1:A9)", note="+1+1", order="-1")]
    path = register(folder / "cong thuc chu.xlsx", rows)
    wb = openpyxl.load_workbook(path)  # openpyxl reads "=..." text back as formulas: force text
    for row in wb.active.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                c.data_type = "s"
    wb.save(path)
    return "cong thuc chu.xlsx"


def jinja_in_cells(folder: Path) -> str:
    name = "Lê {{ 7*7 }} Hòa"
    roster(folder / "Danh sach can bo.xlsx",
           [ROSTER_ROW, ROSTER_ROW_2, [3, name, "{% for x in range(9) %}Chuyên viên{% endfor %}",
                                       "Ban {{ cycler.__init__.__globals__ }}", None, None, None, None, None]])
    register(folder / "jinja.xlsx", [trip(name, "06/04/2020", "08/04/2020", content="{{ 7*7 }}",
                                          note="{% raw %}x")])
    return "jinja.xlsx"


def tcvn3_name(folder: Path) -> str:
    register(folder / "tcvn3.xlsx", [trip("TrÇn ThÞ B×nh", "06/04/2020", "08/04/2020")])
    return "tcvn3.xlsx"


def excel_lock_file(folder: Path) -> str:
    """Excel leaves `~$name` while someone edits the book."""
    (folder / "~$BTG thang 03-2020.xlsx").write_bytes(b"\x0bNguyen Van A" + b"\x00" * 150)
    return "~$BTG thang 03-2020.xlsx"


def xlsb_book(folder: Path) -> str:
    with zipfile.ZipFile(folder / "nhi phan.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return "nhi phan.xlsx"


def unknown_binary(folder: Path) -> str:
    (folder / "anh.xls").write_bytes(bytes(range(256)) * 8)
    return "anh.xls"


def sheet_100k_rows(folder: Path, n: int = 100_000) -> str:
    """A 100,000-row register (distinct one-day trips of one cadre), written as raw XML for speed."""
    base = 43891  # 2020-03-01 as an Excel serial
    parts = []
    for r in range(4, 4 + n):
        i = r - 4
        s = base + i % 300
        parts.append(f'<row r="{r + 1}"><c r="A{r + 1}"><v>{i + 1}</v></c>'
                     f'<c r="B{r + 1}" t="inlineStr"><is><t>{OTHER_NAME}</t></is></c>'
                     f'<c r="D{r + 1}"><v>{s}</v></c><c r="E{r + 1}"><v>{s + i % 3}</v></c></row>')
    head = sheet_xml(register_rows([])).replace(b"</sheetData></worksheet>", b"")
    raw_xlsx(folder / "100k dong.xlsx", {"T4": head + "".join(parts).encode() + b"</sheetData></worksheet>"})
    return "100k dong.xlsx"


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
