"""The command line's words: options in English and Vietnamese, values typed the way
people type them, and usage errors that say what was probably meant.

A clerk types what the README shows, or pastes it from Word: option names with or
without diacritics (`--năm`, `--nam`), dashes that Word turned into `–`/`—`, dates day
first (`05/01/2021`), periods as the office writes them (`Quý III/2020`), and folder
paths with spaces but without quotes. Each is understood, or explained in Vietnamese
with the closest thing that would work. Nothing heavy is imported here: `--help` and
usage errors are instant.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

EXIT_USAGE = 2

DESCRIPTION = """\
Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2) từ các sổ Excel của các Ban.

Ví dụ:
  python generate.py menu                     menu chọn việc, không cần gõ lệnh (dễ dùng nhất)
  python generate.py                          đọc input_samples/, lập báo cáo năm mới nhất có dữ liệu
  python generate.py "D:\\Sổ đi cơ sở" --year 2020 --as-of 05/01/2021
  python generate.py "D:\\Sổ đi cơ sở" --nam 2020 --ngay-chot 05/01/2021    (cùng lệnh, tên tiếng Việt)
  python generate.py "D:\\Sổ đi cơ sở" --quarter III/2020
  python generate.py "D:\\Sổ đi cơ sở" --month 4/2020
  python generate.py check "D:\\Sổ đi cơ sở"   chỉ kiểm tra dữ liệu, không lập báo cáo
  python generate.py watch "D:\\Sổ đi cơ sở"   theo dõi thư mục, tự lập lại báo cáo khi có sổ mới
"""

EPILOG = """\
Ngày ghi ngày/tháng/năm (05/01/2021) hoặc năm-tháng-ngày (2021-01-05); quý ghi III/2020, Q3/2020
hoặc 2020-Q3; tháng ghi 4/2020 hoặc 2020-04. Đường dẫn có dấu cách hoặc chữ có dấu thì đặt
trong ngoặc kép: "D:\\Sổ đi cơ sở 2020".
"""
MORE = "Thêm -v vào lệnh (ví dụ: python generate.py -v --help) để xem thêm phần dành cho người bảo trì.\n"

EXPERT_EPILOG = """\

Dành cho người bảo trì:
Mã thoát: 0 đã ghi báo cáo (có thể kèm cảnh báo); 1 không lập được báo cáo, hoặc "check"
tìm thấy lỗi, hoặc có lỗi dữ liệu khi chạy với --strict; 2 gọi lệnh sai.
Mỗi lần chạy ghi summary.json (số liệu cho máy đọc) và manifest.json (sổ đã đọc, mã băm, tùy chọn).
"""

COMMAND_HELP = {
    "generate": "",
    "check": "Chỉ kiểm tra dữ liệu: in danh sách lỗi theo từng sổ (trang, dòng, cách sửa), không lập báo cáo.\n\n",
    "watch": "Theo dõi thư mục nộp sổ: lập lại báo cáo sau khi sổ mới được chép xong (bỏ qua tệp khoá, tệp tạm;\n"
             "nhiều sổ chép cùng lúc chỉ lập một lần). Ctrl+C để dừng. Dùng --poll cho ổ mạng dùng chung.\n\n",
}
# The commands, by every name the clerk may type (diacritics and case are ignored).
COMMANDS = {"check": "check", "kiem-tra": "check", "kiemtra": "check",
            "watch": "watch", "theo-doi": "watch", "theodoi": "watch", "menu": "menu"}

# argparse's own English phrases, as the clerk should read them
_ARGPARSE_VI = [
    ("usage: ", "cách dùng: "),
    ("positional arguments:", "tham số:"),
    ("options:", "tùy chọn:"),
    ("unrecognized arguments:", "không hiểu tham số:"),
    ("not allowed with argument", "không dùng cùng với"),
    ("expected one argument", "cần ghi một giá trị sau tùy chọn này"),
    ("ambiguous option:", "tùy chọn viết tắt không rõ:"),
    ("argument ", "tùy chọn "),
]
# Dashes that Word's autocorrect makes of "--" or "-", and the minus sign.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
QUOTES = "\"'\u201c\u201d\u201e\u2018\u2019"


def _vi(text: str) -> str:
    for en, vi in _ARGPARSE_VI:
        text = text.replace(en, vi)
    return text


def plain(text: str) -> str:
    """`--Ngày-Chốt` -> `--ngay-chot`: how option and command names are compared."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """`--year, --nam NĂM` instead of argparse's `--year NĂM, --nam NĂM`."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=34)

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        value = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {value}"


class VietnameseParser(argparse.ArgumentParser):
    def format_usage(self) -> str:
        return _vi(super().format_usage())

    def format_help(self) -> str:
        return _vi(super().format_help())

    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with a Vietnamese hint
        self.print_usage(sys.stderr)
        print(f"Lỗi cách gọi lệnh: {_vi(message)}\nXem hướng dẫn: {self.prog} --help", file=sys.stderr)
        sys.exit(EXIT_USAGE)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        ns, extras = self.parse_known_args(argv, namespace)
        if extras:
            self.error(explain_extras(self, argv, ns, extras))
        return ns


# --- values typed the way people type them -------------------------------------------------
def parse_as_of(text: str) -> date:
    """`05/01/2021`, `5/1/2021` (day first, always) or `2021-01-05`, `2021-1-5`."""
    from ..text.dates import parse_date

    clean = text.strip()
    found, reason = (None, None) if clean.isdigit() else parse_date(clean)
    if found is None:
        raise argparse.ArgumentTypeError(
            reason or f'Không hiểu ngày "{text}"; ghi ngày/tháng/năm, ví dụ 05/01/2021 (hoặc 2021-01-05).')
    return found


def period_type(kind: str) -> Callable[[str], str]:
    """An argparse type: validate `--year/--quarter/--month` now (a bad one is a usage error)."""

    def parse(text: str) -> str:
        from ..pipeline import parse_period

        try:
            return parse_period(kind, text.strip()).label
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = kind  # argparse names the type in its message
    return parse


def doc_number(text: str) -> str:
    value = text.strip()
    if not value.isdigit() or len(value) > 6:
        raise argparse.ArgumentTypeError(f'số văn bản "{text}" không hợp lệ; ghi số thứ tự văn thư cấp, ví dụ --so 15')
    return value


def seconds(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f'"{text}" không hợp lệ; ghi số giây lớn hơn 0, ví dụ 2 hoặc 0,5')
    return value


# --- the parser ------------------------------------------------------------------------------
def build_parser(command: str = "generate", expert: bool = False) -> VietnameseParser:
    """The parser of one command; `expert` (-v with --help) also shows the maintainers' options."""
    maintainers = (lambda text: text) if expert else (lambda text: argparse.SUPPRESS)
    p = VietnameseParser(
        prog="python generate.py" + ("" if command == "generate" else f" {command}"),
        description=COMMAND_HELP[command] + DESCRIPTION,
        epilog=EPILOG + (EXPERT_EPILOG if expert else MORE),
        formatter_class=HelpFormatter,
        add_help=False,
        allow_abbrev=False,  # a typo gets a suggestion instead of being read as another option
    )
    p.add_argument("-h", "--help", "--huong-dan", action="help", help="hiện hướng dẫn này rồi thoát")
    p.add_argument("input_dir", nargs="?", metavar="THƯ_MỤC_DỮ_LIỆU",
                   help="thư mục chứa các sổ Excel (mặc định: input_samples/)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--year", "--nam", dest="year", metavar="NĂM", type=period_type("year"),
                   help="báo cáo năm, ví dụ 2020")
    g.add_argument("--quarter", "--quy", dest="quarter", metavar="QUÝ/NĂM", type=period_type("quarter"),
                   help="báo cáo tiến độ quý, ví dụ III/2020 hoặc 2020-Q3")
    g.add_argument("--month", "--thang", dest="month", metavar="THÁNG/NĂM", type=period_type("month"),
                   help="báo cáo tiến độ tháng, ví dụ 4/2020 hoặc 2020-04")
    p.add_argument("--as-of", "--ngay-chot", dest="as_of", metavar="NGÀY", type=parse_as_of,
                   help="ngày chốt số liệu, ví dụ 05/01/2021 (mặc định: hôm nay)")
    p.add_argument("--rules", "--quy-tac", dest="rules", metavar="TỆP_YAML", type=Path,
                   help="bộ quy tắc (mặc định: tự chọn trong rules/ theo kỳ báo cáo)")
    p.add_argument("--out", "--ra", "--thu-muc-ket-qua", dest="out", metavar="THƯ_MỤC", type=Path,
                   help="ghi mọi kết quả vào thư mục này (mặc định: output/<kỳ báo cáo>/)")
    if command != "check":
        p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
        p.add_argument("--so", "--number", dest="number", metavar="SỐ", type=doc_number,
                       help="số văn bản do văn thư cấp, ghi vào báo cáo (Số: 15-BC/TĐTN-VP); "
                            "mặc định để trống số để văn thư ghi khi phát hành")
    p.add_argument("--strict", "--nghiem-ngat", dest="strict", action="store_true",
                   help="coi lỗi dữ liệu là thất bại" + (" (mã thoát 1)" if expert else ""))
    loud = p.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", "--chi-loi", dest="quiet", action="store_true", help="chỉ in lỗi")
    loud.add_argument("-v", "--verbose", "--chi-tiet", dest="verbose", action="store_true",
                      help="in chi tiết từng sổ và cả các ghi chú")
    if command == "watch":
        p.add_argument("--poll", "--do-dinh-ky", dest="poll", action="store_true",
                       help="dò thư mục định kỳ thay vì nhận thông báo (dùng cho ổ mạng)")
        p.add_argument("--interval", "--cho", dest="interval", type=seconds, default=2.0, metavar="GIÂY",
                       help="số giây yên lặng chờ sổ chép xong trước khi lập báo cáo (mặc định 2)")
    p.add_argument("--json", action="store_true",
                   help=maintainers("in summary.json ra stdout (cho máy đọc); lời nhắn cho người đọc chuyển sang stderr"))
    p.add_argument("--debug", action="store_true", help=maintainers("in chi tiết lỗi kỹ thuật (traceback)"))
    return p


def option_names(parser: argparse.ArgumentParser) -> list[str]:
    return [s for action in parser._actions for s in action.option_strings]


# --- what the clerk typed, made readable ------------------------------------------------------
def prepare(argv: list[str], known: list[str]) -> list[str]:
    """Dashes pasted from Word (`–year`, `—year`) and option names with diacritics or capitals
    (`--Năm`) become the option they stand for; anything else is left for the error to explain."""
    out: list[str] = []
    options_end = False
    for token in split_stray_quotes(argv):
        if token == "--":
            options_end = True
        if options_end or not token or token[0] not in "-" + DASHES:
            out.append(token)
            continue
        name, eq, value = token.partition("=")
        rest = name.lstrip("-" + DASHES)
        candidates = [("--" if len(rest) > 1 else "-") + rest]
        if len(rest) > 1:
            candidates.append("--" + plain(rest))
        fixed = next((c for c in candidates if c in known), None)
        if fixed is None and name[0] in DASHES:
            fixed = candidates[0]  # an option after all: the error then names the closest one
        out.append(fixed + eq + value if fixed else token)
    return out


def split_stray_quotes(argv: list[str]) -> list[str]:
    """Windows PowerShell 5.1 passes `'D:\\Sổ\\' --year 2020` as `"D:\\Sổ\\" --year 2020`, and the
    C runtime reads `\\"` as a quote inside the word: one argument `D:\\Sổ" --year 2020`. A word
    with a straight quote in it is split back at the quote (a path never holds one)."""
    out: list[str] = []
    for token in argv:
        if '"' not in token:
            out.append(token)
            continue
        head, _, tail = token.partition('"')
        out += ([head.rstrip()] if head.strip() else []) + tail.replace('"', " ").split()
    return out


def split_command(argv: list[str]) -> tuple[str, list[str]]:
    """`check …`, `kiểm-tra …`, `watch …`, `menu …` -> (command, the rest); else ("generate", argv)."""
    if argv and not argv[0].startswith("-") and plain(argv[0]) in COMMANDS:
        return COMMANDS[plain(argv[0])], argv[1:]
    return "generate", argv


def explain_extras(parser: argparse.ArgumentParser, argv: list[str], ns: argparse.Namespace,
                   extras: list[str]) -> str:
    """Why the words argparse did not take are wrong, and what was probably meant."""
    known = option_names(parser)
    for token in extras:
        if token.startswith("-"):
            name = token.partition("=")[0]
            close = difflib.get_close_matches(plain(name), known, n=1, cutoff=0.6)
            hint = f" Có phải {close[0]}?" if close else ""
            return f'không hiểu tùy chọn "{token}".{hint}'
    return unquoted_path_hint(parser, argv, extras)


def unquoted_path_hint(parser: argparse.ArgumentParser, argv: list[str], extras: list[str]) -> str:
    """`D:\\Sổ đi cơ sở 2020` typed without quotes arrives as five words: name the folder meant."""
    takes_value = {s for a in parser._actions if a.nargs != 0 for s in a.option_strings}
    at = argv.index(extras[0])
    begin = at
    while begin > 0 and not argv[begin - 1].startswith("-"):
        owner = argv[begin - 2] if begin >= 2 else ""
        if owner in takes_value:  # argv[begin - 1] is that option's value
            if owner in PATH_OPTIONS:
                begin -= 1  # ... and the path's first word
            break
        begin -= 1
    end = at
    while end + 1 < len(argv) and not argv[end + 1].startswith("-"):
        end += 1
    typed = " ".join(argv[begin:end + 1])
    meant = typed.strip(QUOTES + " ")
    quote_note = (' Dùng dấu ngoặc kép thẳng " gõ từ bàn phím, không dùng “ ” dán từ Word.'
                  if any(q in typed for q in QUOTES[2:]) else "")
    if meant and Path(meant).exists():
        return (f'không hiểu tham số: {" ".join(extras)}. Có phải thư mục "{meant}"? Đường dẫn có dấu cách '
                f'phải đặt trong ngoặc kép, ví dụ: python generate.py "{meant}" …{quote_note}')
    return (f'không hiểu tham số: {" ".join(extras)}. Nếu đây là một đường dẫn có dấu cách, đặt cả đường dẫn '
            f'trong ngoặc kép, ví dụ "D:\\Sổ đi cơ sở 2020".{quote_note}')


# Options whose value is a path (a path's words typed without quotes start there)
PATH_OPTIONS = {"--out", "--ra", "--thu-muc-ket-qua", "--rules", "--quy-tac"}


def parse_command_line(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """(command, arguments) of a command line; usage errors exit 2 with a Vietnamese message."""
    command, rest = split_command(argv)
    if command == "menu":  # its own few options (cli/menu.py)
        return command, argparse.Namespace(rest=rest, quiet=False, verbose=False, json=False, debug=False)
    probe = build_parser(command)
    rest = prepare(rest, option_names(probe))
    expert = any(a in ("-v", "--verbose", "--chi-tiet") for a in rest)
    return command, build_parser(command, expert=expert).parse_args(rest)
