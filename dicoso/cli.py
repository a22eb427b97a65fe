"""Command line: parse arguments, call the pipeline, print for people, map exit codes.

Exit codes: 0 outputs written (warnings listed); 1 the run could not produce its
outputs, or `check` found errors, or `--strict` and the data has errors; 2 usage.
Only this module prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Lập báo cáo thực hiện chế độ đi công tác cơ sở (chủ trương 1+2) từ các sổ Excel của các Ban.

Ví dụ:
  python generate.py                          đọc input_samples/, lập báo cáo năm mới nhất có dữ liệu
  python generate.py "D:/Sổ đi cơ sở" --year 2020 --as-of 2021-01-05
  python generate.py "D:/Sổ đi cơ sở" --quarter 2020-Q2
  python generate.py check "D:/Sổ đi cơ sở"   chỉ kiểm tra dữ liệu, không lập báo cáo
  python generate.py watch "D:/Sổ đi cơ sở"   theo dõi thư mục, tự lập lại báo cáo khi có sổ mới
"""


class VietnameseParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with a Vietnamese hint
        self.print_usage(sys.stderr)
        print(f"Lỗi cách gọi lệnh: {message}\nXem hướng dẫn: python generate.py --help", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _parse_as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'ngày "{text}" không hợp lệ, ghi dạng năm-tháng-ngày, ví dụ 2021-01-05') from None


def build_parser(command: str = "generate") -> argparse.ArgumentParser:
    p = VietnameseParser(
        prog="python generate.py" + ("" if command == "generate" else f" {command}"),
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    p.add_argument("input_dir", nargs="?", metavar="THU_MUC_DU_LIEU",
                   help="thư mục chứa các sổ Excel (mặc định: input_samples/)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--year", metavar="NAM", help="báo cáo năm, ví dụ 2020")
    g.add_argument("--quarter", metavar="NAM-QUY", help="báo cáo tiến độ quý, ví dụ 2020-Q2")
    g.add_argument("--month", metavar="NAM-THANG", help="báo cáo tiến độ tháng, ví dụ 2020-04")
    p.add_argument("--rules", metavar="TEP_YAML", type=Path, help="bộ quy tắc (mặc định: tự chọn trong rules/ theo kỳ báo cáo)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", type=_parse_as_of,
                   help="ngày chốt số liệu (mặc định: hôm nay)")
    p.add_argument("--out", metavar="THU_MUC", type=Path,
                   help="ghi mọi kết quả vào thư mục này (mặc định: output/<kỳ báo cáo>/)")
    if command != "check":
        p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
    p.add_argument("--strict", action="store_true", help="coi lỗi dữ liệu là thất bại (mã thoát 1)")
    p.add_argument("--json", action="store_true", help="in summary.json ra màn hình (cho máy đọc)")
    p.add_argument("-q", "--quiet", action="store_true", help="chỉ in lỗi")
    p.add_argument("-v", "--verbose", action="store_true", help="in chi tiết từng sổ")
    p.add_argument("--debug", action="store_true", help="in chi tiết lỗi kỹ thuật (traceback)")
    if command == "watch":
        p.add_argument("--poll", action="store_true", help="dò thư mục định kỳ (dùng cho ổ mạng)")
        p.add_argument("--interval", type=float, default=2.0, help="số giây chờ sổ chép xong (mặc định 2)")
    return p


def _console_safe() -> None:
    """Never crash on a console that cannot print Vietnamese (e.g. cp437)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    _console_safe()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = "generate"
    if argv and argv[0] in ("check", "watch"):
        command = argv.pop(0)
    args = build_parser(command).parse_args(argv)
    from .console import Console

    con = Console(quiet=args.quiet, verbose=args.verbose, json_mode=args.json)
    try:
        if command == "watch":
            from .watch import watch

            return watch(args, con)
        return run_once(args, con, check_only=(command == "check"))
    except KeyboardInterrupt:
        con.error("Đã dừng theo yêu cầu (Ctrl+C).")
        return EXIT_FAIL
    except Exception as exc:  # a bug, not bad input: one clear line, traceback with --debug
        if args.debug:
            raise
        con.error(f"Lỗi ngoài dự kiến của chương trình: {type(exc).__name__}: {exc}. "
                  "Chạy lại với --debug để xem chi tiết và gửi cho người bảo trì.")
        return EXIT_FAIL


def options_from_args(args: argparse.Namespace, check_only: bool):
    from .pipeline import DEFAULT_INPUT, Options

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
        check_only=check_only,
    )


def run_once(args: argparse.Namespace, con, check_only: bool = False) -> int:
    from .output import OutputError
    from .pipeline import RunError, run

    opts = options_from_args(args, check_only)
    try:
        result = run(opts, progress=con.progress_callback())
    except (RunError, OutputError) as exc:
        con.end_progress()
        if args.debug:
            raise
        con.error(str(exc))
        return EXIT_FAIL
    con.end_progress()
    con.report(result, check_only=check_only)
    if args.json:
        print(json.dumps(result.summary, ensure_ascii=False, indent=2))
    if result.errors and (check_only or args.strict):
        return EXIT_FAIL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
