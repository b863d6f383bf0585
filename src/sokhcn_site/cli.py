"""The command line: parse options, run a build, print problems, choose the exit code."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from . import __version__
from .pipeline import BuildOptions, BuildReport, build

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sokhcn-site", description="Build the news portal from Markdown articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the site into the output folder")
    add_build_options(build_parser)
    return parser


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    parser.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR")
    parser.add_argument("--static", type=Path, default=Path("static"), metavar="DIR")
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="FILE")
    parser.add_argument("--output", type=Path, default=Path("public"), metavar="DIR")
    parser.add_argument("--base-url", metavar="URL", help="overrides base_url from the config")
    parser.add_argument(
        "--drafts", action="store_true", help="include drafts and future-dated articles"
    )
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache"), metavar="DIR")
    parser.add_argument(
        "--offline", action="store_true", help="do not fetch partner feeds; use their cached copies"
    )


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content=args.content, templates=args.templates, static=args.static,
        config=args.config, output=args.output, base_url=args.base_url, drafts=args.drafts,
        cache_dir=args.cache_dir, offline=args.offline,
    )  # fmt: skip


def _summary(report: BuildReport, seconds: float) -> str:
    errors = sum(d.severity == "error" for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    took = f"{seconds:.2f}".replace(".", ",")
    if report.failed:
        return (f"Không xuất bản: {errors} lỗi, {warnings} cảnh báo; "
                "thư mục đầu ra được giữ nguyên.")  # fmt: skip
    site = report.site
    assert site is not None and report.written is not None
    html = sum(o.path.endswith(".html") for o in report.outputs)
    feeds = sum(o.path.endswith(".xml") and o.path != "sitemap.xml" for o in report.outputs)
    return (
        f"Đã xuất bản {len(site.articles)} bài viết, {len(site.pages)} trang tĩnh "
        f"({html} trang HTML, {feeds} nguồn tin RSS/Atom; {report.written.written} tệp ghi mới, "
        f"{report.written.kept} tệp giữ nguyên), {warnings} cảnh báo, trong {took} giây."
    )


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        report = build(_options(args), now=datetime.now().astimezone())
    except KeyboardInterrupt:
        print("Đã dừng; thư mục đầu ra được giữ nguyên.", file=sys.stderr)
        return 130
    for diagnostic in report.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    print(_summary(report, time.perf_counter() - started))
    if report.config_failed:
        return EXIT_USAGE
    return EXIT_CONTENT if report.failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
