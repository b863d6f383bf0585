"""The command line: parse options, run a build, print problems, choose the exit code."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from . import __version__
from .config import load_config
from .errors import Diagnostic
from .new import NewArticle, create_article
from .parallel import default_jobs
from .pipeline import BuildOptions, BuildReport, build, check_options
from .progress import ProgressDisplay

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sokhcn-site", description="Build the news portal from Markdown articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    # Each subcommand adds its parser and sets `run`, the function main() calls with the args.
    for add_command in (_add_build, _add_check, _add_new, _add_serve):
        add_command(commands)
    return parser


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Where the site's inputs are: shared by every command that builds."""
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    parser.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR")
    parser.add_argument("--static", type=Path, default=Path("static"), metavar="DIR")
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="FILE")
    parser.add_argument("--base-url", metavar="URL", help="overrides base_url from the config")


def add_build_options(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--output", type=Path, default=Path("public"), metavar="DIR")
    parser.add_argument(
        "--drafts", action="store_true", help="include drafts and future-dated articles"
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(".cache"), metavar="DIR",
        help="where parse results, render keys and partner feeds are kept between builds",
    )  # fmt: skip
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the build cache"
    )
    parser.add_argument(
        "--jobs", type=_positive, default=default_jobs(), metavar="N",
        help="processes the build may use (default: the number of cores)",
    )  # fmt: skip
    parser.add_argument(
        "--offline", action="store_true", help="do not fetch partner feeds; use their cached copies"
    )


def _add_build(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("build", help="build the site into the output folder")
    add_build_options(parser)
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    talk.add_argument(
        "-v", "--verbose", action="store_true", help="list every file of the site (written or kept)"
    )
    parser.set_defaults(run=run_build)


def _add_check(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check", help="report every problem a build would meet, writing nothing"
    )
    add_build_options(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(run=run_check)


def _add_new(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("new", help="start a new article file")
    parser.add_argument("title", help="the headline, as readers will see it")
    parser.add_argument(
        "--category",
        required=True,
        metavar="FOLDER",
        help="category folder under content/, e.g. tin-hoat-dong-cua-so",
    )
    parser.add_argument("--date", help="YYYY-MM-DD[ HH:MM] (default: now, site timezone)")
    # --help is printed before any config file is read: it can only name the option.
    parser.add_argument("--author", default="", help="default: defaults.author of --config")
    parser.add_argument("--department", default="", help="default: defaults.department of --config")
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="FILE")
    parser.set_defaults(run=run_new)


def _add_serve(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve", help="preview the site with drafts, rebuilding and reloading on every change"
    )
    add_input_options(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=_port, default=8000, help="0 picks a free port")
    parser.set_defaults(run=run_serve)


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content=args.content, templates=args.templates, static=args.static,
        config=args.config, output=args.output, base_url=args.base_url, drafts=args.drafts,
        cache_dir=args.cache_dir, offline=args.offline, use_cache=not args.no_cache,
        jobs=args.jobs,
    )  # fmt: skip


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _summary(report: BuildReport, seconds: float) -> str:
    errors = sum(d.severity == "error" for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    took = f"{seconds:.2f}".replace(".", ",")
    if report.failed:
        return (f"Không xuất bản: {errors} lỗi, {warnings} cảnh báo; "
                "thư mục đầu ra được giữ nguyên.")  # fmt: skip
    html = sum(path.endswith(".html") for path in report.paths)
    feeds = sum(path.endswith(".xml") and path != "sitemap.xml" for path in report.paths)
    # `serve` builds into memory: nothing is published, no file is written.
    done, files = "Đã dựng", ""
    if (written := report.written) is not None:
        done = "Đã xuất bản"
        files = f"; {written.written} tệp ghi mới, {written.kept} tệp giữ nguyên"
    waiting = f", {_scheduled(report)}" if report.scheduled else ""
    return (
        f"{done} {report.articles} bài viết{waiting}, {report.pages} trang tĩnh "
        f"({html} trang HTML, {feeds} nguồn tin RSS/Atom{files}), {warnings} cảnh báo, "
        f"trong {took} giây."
    )


def _scheduled(report: BuildReport) -> str:
    # An article left out for its date is no error: said, lest it be thought lost.
    return f"{report.scheduled} bài hẹn giờ chưa đăng"


def _print_diagnostics(diagnostics: Sequence[Diagnostic], *, quiet: bool = False) -> None:
    for diagnostic in diagnostics:
        if not (quiet and diagnostic.severity != "error"):
            print(diagnostic.format(), file=sys.stderr)


def _exit_code(report: BuildReport) -> int:
    if report.config_failed:
        return EXIT_USAGE
    return EXIT_CONTENT if report.failed else EXIT_OK


@contextlib.contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """A build keeps millions of objects alive (a big site's bodies and search terms) and
    makes almost no reference cycles: the collector's full passes over them cost a tenth of
    a rebuild and free nothing. The process ends soon after; worker processes turn it back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        with _without_cycle_collector(), ProgressDisplay(sys.stderr, enabled=not args.quiet) as bar:
            report = build(_options(args), now=datetime.now().astimezone(), progress=bar)
    except KeyboardInterrupt:
        print("Đã dừng; thư mục đầu ra được giữ nguyên.", file=sys.stderr)
        return 130
    _print_diagnostics(report.diagnostics, quiet=args.quiet)
    if args.verbose and report.written is not None:
        for path in sorted(report.paths):
            print((args.output / path).as_posix())
    if not args.quiet:
        print(_summary(report, time.perf_counter() - started))
    if args.exiting:
        _LEFT_TO_EXIT.append(report)
    return _exit_code(report)


def run_new(args: argparse.Namespace) -> int:
    config, problems = load_config(args.config)
    if config is None:
        _print_diagnostics(problems)
        return EXIT_USAGE
    request = NewArticle(args.title, args.category, args.date, args.author, args.department)
    result = create_article(request, args.content, config, now=datetime.now().astimezone())
    if isinstance(result, Diagnostic):
        _print_diagnostics([result])
        return EXIT_CONTENT
    print(result.as_posix())
    return EXIT_OK


def _serve_options(args: argparse.Namespace) -> BuildOptions:
    # Drafts and future articles are shown, marked; the output folder is never touched.
    # One process: forking worker processes while the HTTP threads run can deadlock a child
    # on a lock a thread held at the fork; the cache keeps the preview's rebuilds small.
    return BuildOptions(
        content=args.content, templates=args.templates, static=args.static,
        config=args.config, base_url=args.base_url, drafts=True, preview=True, jobs=1,
    )  # fmt: skip


def _report_rebuild(report: BuildReport, seconds: float) -> None:
    _print_diagnostics(report.diagnostics)
    stamp = datetime.now().strftime("%H:%M:%S")
    if report.failed:
        print(f"[{stamp}] Lỗi khi dựng lại; trình duyệt hiện danh sách lỗi.", flush=True)
    else:
        print(f"[{stamp}] {_summary(report, seconds)}", flush=True)


def _port(text: str) -> int:
    number = int(text)  # argparse reports a ValueError as an invalid value
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} is not a port (0 to 65535)")
    return number


def run_serve(args: argparse.Namespace) -> int:
    from .serve import Preview, PreviewServer  # the file watcher is slow to import; builds skip it

    # Checked first, as a build checks them: the address, base path included, is the first
    # line printed, and only for options that can be served.
    options = _serve_options(args)
    config, problems = check_options(options, write=False)
    if config is None:
        _print_diagnostics(problems)
        return EXIT_USAGE
    preview = Preview(options, config.base_path, on_build=_report_rebuild)
    try:
        server = PreviewServer((args.host, args.port), preview.state)
    except OSError as exc:
        print(
            f"Không mở được cổng {args.port} trên {args.host}: {exc.strerror}. "
            "Dùng cổng khác với --port, hoặc --port 0 để tự chọn cổng trống.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        with server:
            host, port = server.server_address[:2]
            url = f"http://{host}:{port}{config.base_path}"
            print(f"Xem trước tại {url} (Ctrl-C để dừng)", flush=True)
            preview.start_watching()  # from now on: an edit saved during the first build counts
            if preview.rebuild().config_failed:
                return EXIT_USAGE
            # Requests are answered on threads; this one rebuilds (see Preview.follow).
            threading.Thread(target=server.serve_forever, name="sokhcn-http").start()
            try:
                preview.follow()  # until Ctrl-C
            finally:
                server.shutdown()
    except KeyboardInterrupt:
        print("Đã dừng máy chủ xem trước.", flush=True)
    finally:
        preview.stop()
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """The build's own checks (render included), without writing; --strict fails on warnings."""
    try:
        now = datetime.now().astimezone()
        report = build(_options(args), now=now, write=False, keep_parsed=False)
    except KeyboardInterrupt:
        print("Đã dừng kiểm tra.", file=sys.stderr)
        return 130
    # A stale or damaged cache is rebuilt, not the content's fault: --strict leaves it a warning.
    diagnostics = [
        replace(d, severity="error") if args.strict and d not in report.cache_notes else d
        for d in report.diagnostics
    ]
    _print_diagnostics(diagnostics)
    errors = sum(d.severity == "error" for d in diagnostics)
    waiting = f"; {_scheduled(report)}" if report.scheduled else ""
    print(f"Kiểm tra xong: {errors} lỗi, {len(diagnostics) - errors} cảnh báo{waiting}.")
    if report.config_failed:
        return EXIT_USAGE
    return EXIT_CONTENT if errors else EXIT_OK


def main(argv: Sequence[str] | None = None, *, exiting: bool = False) -> int:
    """Run a command; `exiting`: the process ends right after (see run_and_exit)."""
    args = _parser().parse_args(argv)
    args.exiting = exiting
    return int(args.run(args))


# What a build made, kept until the process ends (see run_and_exit).
_LEFT_TO_EXIT: list[BuildReport] = []


def run_and_exit(argv: Sequence[str] | None = None) -> NoReturn:
    """The command line's entry point: `main`, then end the process at once.

    A build of 10,000 articles leaves a million objects behind; freeing them one by one, as
    the build returns or as Python shuts down, took 0.1 s of a 1.1 s rebuild, for memory the
    system reclaims anyway: run_build keeps the report (and with it the build's working data,
    BuildReport.retained) to the end. The cycle collector stays off to the end too: turned
    back on, its first pass went over every object the build had made (0.1 s more).
    """
    gc.disable()
    code = main(argv, exiting=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run_and_exit()
