"""Command line: parse arguments, call the pipeline, print for people, map exit codes.

Exit codes: 0 outputs written (warnings listed); 1 the run could not produce its
outputs, or `check` found errors, or `--strict` and the data has errors; 2 usage.
Only this module and console.py print. Nothing heavy is imported before the
arguments are parsed, so `--help` and usage errors are instant.
"""

from __future__ import annotations

import argparse
import codecs
import json
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NoReturn

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2) từ các sổ Excel của các Ban.

Ví dụ:
  python generate.py                          đọc input_samples/, lập báo cáo năm mới nhất có dữ liệu
  python generate.py "D:/Sổ đi cơ sở" --year 2020 --as-of 2021-01-05
  python generate.py "D:/Sổ đi cơ sở" --quarter 2020-Q2
  python generate.py "D:/Sổ đi cơ sở" --month 2020-04
  python generate.py check "D:/Sổ đi cơ sở"   chỉ kiểm tra dữ liệu, không lập báo cáo
  python generate.py watch "D:/Sổ đi cơ sở"   theo dõi thư mục, tự lập lại báo cáo khi có sổ mới
"""

EPILOG = """\
Mã thoát: 0 đã ghi báo cáo (có thể kèm cảnh báo); 1 không lập được báo cáo, hoặc "check"
tìm thấy lỗi, hoặc có lỗi dữ liệu khi chạy với --strict; 2 gọi lệnh sai.
"""

COMMAND_HELP = {
    "generate": "",
    "check": "Chỉ kiểm tra dữ liệu: in danh sách lỗi theo từng sổ (trang, dòng, cách sửa), không lập báo cáo.\n"
             "Mã thoát 1 khi có lỗi cần sửa.\n\n",
    "watch": "Theo dõi thư mục nộp sổ: lập lại báo cáo sau khi sổ mới được chép xong (bỏ qua tệp khoá, tệp tạm;\n"
             "nhiều sổ chép cùng lúc chỉ lập một lần). Ctrl+C để dừng. Dùng --poll cho ổ mạng dùng chung.\n\n",
}


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


def _vi(text: str) -> str:
    for en, vi in _ARGPARSE_VI:
        text = text.replace(en, vi)
    return text


class VietnameseParser(argparse.ArgumentParser):
    def format_usage(self) -> str:
        return _vi(super().format_usage())

    def format_help(self) -> str:
        return _vi(super().format_help())

    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with a Vietnamese hint
        self.print_usage(sys.stderr)
        print(f"Lỗi cách gọi lệnh: {_vi(message)}\nXem hướng dẫn: {self.prog} --help", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _parse_as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'ngày "{text}" không hợp lệ, ghi dạng năm-tháng-ngày, ví dụ 2021-01-05') from None


def _period(kind: str):
    """An argparse type: validate `--year/--quarter/--month` now (a bad one is a usage error, exit 2)."""

    def parse(text: str) -> str:
        from ..pipeline import parse_period

        try:
            return parse_period(kind, text.strip()).label
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = kind  # argparse names the type in its message
    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f'"{text}" không hợp lệ; ghi số giây lớn hơn 0, ví dụ 2 hoặc 0.5')
    return value


def _doc_number(text: str) -> str:
    value = text.strip()
    if not value.isdigit() or len(value) > 6:
        raise argparse.ArgumentTypeError(f'số văn bản "{text}" không hợp lệ; ghi số thứ tự văn thư cấp, ví dụ --so 15')
    return value


def build_parser(command: str = "generate") -> argparse.ArgumentParser:
    p = VietnameseParser(
        prog="python generate.py" + ("" if command == "generate" else f" {command}"),
        description=COMMAND_HELP[command] + DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    p.add_argument("input_dir", nargs="?", metavar="THU_MUC_DU_LIEU",
                   help="thư mục chứa các sổ Excel (mặc định: input_samples/)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--year", metavar="NAM", type=_period("year"), help="báo cáo năm, ví dụ 2020")
    g.add_argument("--quarter", metavar="NAM-QUY", type=_period("quarter"), help="báo cáo tiến độ quý, ví dụ 2020-Q2")
    g.add_argument("--month", metavar="NAM-THANG", type=_period("month"), help="báo cáo tiến độ tháng, ví dụ 2020-04")
    p.add_argument("--rules", metavar="TEP_YAML", type=Path, help="bộ quy tắc (mặc định: tự chọn trong rules/ theo kỳ báo cáo)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", type=_parse_as_of,
                   help="ngày chốt số liệu (mặc định: hôm nay)")
    p.add_argument("--out", metavar="THU_MUC", type=Path,
                   help="ghi mọi kết quả vào thư mục này (mặc định: output/<kỳ báo cáo>/)")
    if command != "check":
        p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
        p.add_argument("--so", "--number", dest="number", metavar="SO", type=_doc_number,
                       help="số văn bản do văn thư cấp, ghi vào báo cáo (Số: 15-BC/TĐTN-VP); "
                            "mặc định để trống số để văn thư ghi khi phát hành")
    p.add_argument("--strict", action="store_true", help="coi lỗi dữ liệu là thất bại (mã thoát 1)")
    p.add_argument("--json", action="store_true",
                   help="in summary.json ra stdout (cho máy đọc); lời nhắn cho người đọc chuyển sang stderr")
    loud = p.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="chỉ in lỗi")
    loud.add_argument("-v", "--verbose", action="store_true", help="in chi tiết từng sổ và cả các ghi chú")
    p.add_argument("--debug", action="store_true", help="in chi tiết lỗi kỹ thuật (traceback)")
    if command == "watch":
        p.add_argument("--poll", action="store_true", help="dò thư mục định kỳ thay vì nhận thông báo (dùng cho ổ mạng)")
        p.add_argument("--interval", type=_seconds, default=2.0, metavar="GIAY",
                       help="số giây yên lặng chờ sổ chép xong trước khi lập báo cáo (mặc định 2)")
    return p


# --- consoles that cannot print Vietnamese ---------------------------------------------
_ASCII_FALLBACK = {"đ": "d", "Đ": "D", "→": "->", "–": "-", "—": "-", "•": "*", "…": "...",
                   "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x"}


def _unaccent(err: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: 'Đã đọc' -> 'Da doc' rather than a crash or a row of '?'."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    out = []
    for ch in err.object[err.start:err.end]:
        if ch in _ASCII_FALLBACK:
            out.append(_ASCII_FALLBACK[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out.append(base if base and base.isascii() else "?")
    return "".join(out), err.end


codecs.register_error("dicoso-unaccent", _unaccent)


def _console_safe() -> None:
    """Never crash on a console that cannot print Vietnamese (cp437, ascii, a bad PYTHONIOENCODING)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="dicoso-unaccent")  # type: ignore[union-attr]
        except (AttributeError, ValueError, LookupError):
            pass


def _can_print_vietnamese(stream) -> bool:
    try:
        "Đã đọc ổn".encode(getattr(stream, "encoding", None) or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


INTERRUPTED = "Đã dừng theo yêu cầu (Ctrl+C)"
OUT_OF_MEMORY = ("Máy không đủ bộ nhớ (RAM) để chạy xong. Đóng bớt các chương trình khác đang mở rồi chạy lại; "
                 "nếu vẫn thiếu, lập báo cáo theo từng quý (--quarter) hoặc chạy trên máy nhiều bộ nhớ hơn.")


def program() -> int:
    """The whole program, as `generate.py` runs it: `main()`, then a quiet exit.

    Once `main()` has returned, everything has been said and written: a Ctrl+C from then
    on is ignored, and one landing in the instant before that still gets its one line.
    """
    try:
        code = main()
        _ignore_ctrl_c()
    except KeyboardInterrupt:
        _ignore_ctrl_c()
        print(f"LỖI: {INTERRUPTED} khi chương trình đã chạy xong.", file=sys.stderr, flush=True)
        return EXIT_FAIL
    from .. import runtime

    runtime.freeze_at_exit()
    return code


def main(argv: list[str] | None = None) -> int:
    state = None
    con = None
    command = "generate"
    debug = False
    try:
        from .. import runtime
        from ..job import RunState

        state = RunState()

        runtime.lean_numpy()
        _console_safe()
        argv = list(sys.argv[1:] if argv is None else argv)
        if argv and argv[0] in ("check", "watch"):
            command = argv.pop(0)
        args = build_parser(command).parse_args(argv)
        debug = args.debug
        from .console import Console

        con = Console(quiet=args.quiet, verbose=args.verbose, json_mode=args.json)
        if command == "watch":
            return _watch(args, con)
        return run_once(args, con, check_only=(command == "check"), state=state)
    except KeyboardInterrupt:
        with _no_ctrl_c():  # a second Ctrl+C must not cut this message into a traceback
            _say_error(con, interrupted(state, check_only=command == "check"))
        return EXIT_FAIL
    except MemoryError:
        with _no_ctrl_c():
            _say_error(con, OUT_OF_MEMORY + " " + _previous_sentence(state))
        return EXIT_FAIL
    except Exception as exc:  # a bug, not bad input: one clear line, traceback with --debug
        if debug:
            raise
        if _out_of_memory(exc):
            _say_error(con, OUT_OF_MEMORY + " " + _previous_sentence(state))
            return EXIT_FAIL
        _say_error(con, f"Lỗi ngoài dự kiến của chương trình: {type(exc).__name__}: {exc}. "
                   "Chạy lại với --debug để xem chi tiết và gửi cho người bảo trì.")
        return EXIT_FAIL


def _out_of_memory(exc: BaseException) -> bool:
    """Memory ran out in a form other than MemoryError: a library that could not be mapped
    (ImportError), an allocation refused by the system (ENOMEM)."""
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        return True
    text = str(exc).lower()
    return isinstance(exc, ImportError) and ("failed to map segment" in text or "cannot allocate memory" in text)


def interrupted(state, check_only: bool = False) -> str:
    """The one line a Ctrl+C prints: what became of the outputs (Vietnamese)."""
    if state is None:
        return f"{INTERRUPTED} trước khi bắt đầu; chưa ghi tệp nào."
    if state.published:
        return f"{INTERRUPTED}; kết quả mới đã được ghi đầy đủ vào {state.target}."
    if check_only:
        return f"{INTERRUPTED}; chế độ kiểm tra không ghi tệp nào."
    return f"{INTERRUPTED}; chưa ghi kết quả mới. {_previous_sentence(state)}"


def _previous_sentence(state) -> str:
    if state is None:
        return "Chưa ghi tệp nào."
    if state.published:
        return f"Kết quả mới đã được ghi đầy đủ vào {state.target}."
    if state.had_previous:
        return "Kết quả cũ vẫn được giữ nguyên."
    if state.target is None:
        return "Thư mục kết quả không bị động đến."
    return "Chưa ghi tệp kết quả nào."


def _ignore_ctrl_c() -> None:
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        pass


@contextmanager
def _no_ctrl_c() -> Iterator[None]:
    import signal

    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def _say_error(con, text: str) -> None:
    if con is not None:
        con.error(text)
    else:
        print(f"LỖI: {text}", file=sys.stderr, flush=True)


def options_from_args(args: argparse.Namespace, check_only: bool):
    from ..job import Options
    from ..paths import DEFAULT_INPUT

    kind, value = None, None
    for k in ("year", "quarter", "month"):
        if getattr(args, k):
            kind, value = k, getattr(args, k)
    return Options(
        input_dir=Path(args.input_dir) if args.input_dir else DEFAULT_INPUT,
        period_kind=kind,
        period_value=value,
        rules=args.rules,
        as_of=args.as_of,
        out=args.out,
        pdf=getattr(args, "pdf", False),
        number=getattr(args, "number", None),
        check_only=check_only,
    )


def run_once(args: argparse.Namespace, con, check_only: bool = False, state=None) -> int:
    from ..errors import RunFailed
    from ..job import RunState
    from ..pipeline import expect_target, run

    state = state if state is not None else RunState()
    state.notice = con.notice
    try:
        opts = options_from_args(args, check_only)
        if not check_only:
            expect_target(opts, state)
        result = run(opts, progress=con.progress_callback(), state=state)
    except RunFailed as exc:
        if args.debug:
            raise
        con.run_failed(exc.message, exc.issues)
        return EXIT_FAIL
    finally:
        con.end_progress()
    con.report(result, check_only=check_only, strict=args.strict and not check_only)
    if args.json:
        # JSON escapes are lossless where the console cannot print Vietnamese.
        text = json.dumps(result.summary, ensure_ascii=not _can_print_vietnamese(sys.stdout), indent=2)
        print(text, flush=True)
    if result.errors and (check_only or args.strict):
        return EXIT_FAIL
    return EXIT_OK


def _watch(args: argparse.Namespace, con) -> int:
    from ..errors import RunFailed
    from .watch import watch

    try:
        opts = options_from_args(args, check_only=False)
    except RunFailed as exc:
        con.run_failed(exc.message, exc.issues)
        return EXIT_FAIL
    return watch(opts, con, run=lambda: run_once(args, con), interval=args.interval, poll=args.poll,
                 debug=args.debug)
