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
from pathlib import Path

from .args import EXIT_USAGE, parse_command_line

EXIT_OK, EXIT_FAIL = 0, 1
__all__ = ["EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "main", "program"]

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
        command, args = parse_command_line(argv)
        if command == "menu":
            from .menu import menu

            return menu(args.rest, run=main)
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
    from ..job import RunState
    from .watch import watch

    try:
        opts = options_from_args(args, check_only=False)
    except RunFailed as exc:
        con.run_failed(exc.message, exc.issues)
        return EXIT_FAIL
    running: list[RunState] = []  # the run in progress, if any

    def one_run() -> int:
        running[:] = [RunState()]
        try:
            code = run_once(args, con, state=running[0])
        except KeyboardInterrupt:
            raise  # stays "running": the watch's Ctrl+C says what became of it
        except BaseException:
            running.clear()
            raise
        running.clear()
        return code

    def stopped() -> str | None:
        """What a Ctrl+C cut short: the run in progress, if one was."""
        return interrupted(running[0]) if running else None

    return watch(opts, con, run=one_run, interval=args.interval, poll=args.poll, debug=args.debug, stopped=stopped)
