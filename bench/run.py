"""Measure the build on a generated corpus, and optionally against Pelican and Hugo.

    python bench/run.py --articles 10000 [--compare pelican,hugo] [--jobs N] [--seed S]

Prints one line per figure: the Markdown floor, the cold build (wall seconds, pages per
second, peak memory), then the rebuilds after no change, one body edited, one title changed,
one article added and one deleted, each run --repeat times (another change each time; the
median shown). After every rebuild the output is compared byte for byte with a clean build
(--no-cache, fresh folder) of the same content; a difference is reported and makes the exit
code 1. Times are measured, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import CATEGORIES, generate_corpus  # noqa: E402
from peers import runner  # noqa: E402
from peers.convert import articles as corpus_articles  # noqa: E402
from search_bench import measure_search, summary  # noqa: E402

PELICAN_VENV = ROOT / ".cache" / "bench" / "pelican-venv"


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the build and its workers
    peak_mb: float  # the largest single process (kernel's ru_maxrss)
    total_mb: float  # all processes of the build together (sampled every 20 ms)
    written: int  # files whose inode or mtime changed, or that are new
    pages: int  # HTML files in the output


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 2**20


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _digests(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes()).digest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def build(site: Path, out: Path, *args: str) -> Run:
    """One run of our build, as a user runs it, with its time, memory and files written."""
    before = _snapshot(out)
    settle()
    cmd = [sys.executable, str(ROOT / "build.py"), "--content", "content", "--templates",
           "templates", "--static", "static", "--config", "site.yaml", "--output", str(out),
           *args]  # fmt: skip
    peak_total = 0.0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_total
        while not done.wait(0.02):
            peak_total = max(peak_total, _tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    log = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{log.decode(errors='replace')}")
    after = _snapshot(out)
    written = sum(after[path] != before.get(path) for path in after)
    pages = sum(path.endswith(".html") for path in after)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, peak_total, written, pages)


def settle() -> None:
    """Write out what earlier steps left in memory, so a timed run is not charged for it."""
    os.sync()


@dataclass(frozen=True, slots=True)
class Floor:
    single: float  # one core's seconds of Python-Markdown, everything on every body
    seconds: float  # that divided by the cores
    ours: float  # one core's seconds of the Markdown as the build runs it


def markdown_floor(site: Path, cores: int) -> Floor:
    """Python-Markdown over every body on one core: the floor, and as the build runs it."""
    from sokhcn_site.rendering import render_markdown

    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in corpus_articles(site)]

    def seconds(extra: bool | None) -> float:
        render_markdown("", extra=extra)  # build a converter outside the timing, as workers do
        start = time.process_time()
        for body in bodies:
            render_markdown(body, extra=extra)
        return time.process_time() - start

    # The floor runs every extension and pattern on every body; the build leaves out what a
    # body has no syntax for (rendering.render_markdown), for the same HTML.
    single = seconds(True)
    return Floor(single, single / cores, seconds(None))


def make_site(folder: Path, articles: int, seed: int) -> None:
    generate_corpus(folder, articles, seed)
    config = {
        "name": "Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
        "base_url": "https://sokhcn.example.vn/",
        "page_size": 10,
        "feed_size": 20,
        "other_news": 7,
        "categories": dict(CATEGORIES),
    }
    (folder / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ROOT / "static", folder / "static")


def _retitle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    lines = [
        'title: "Tiêu đề đã được sửa lại cho rõ nghĩa"' if line.startswith("title:") else line
        for line in head.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def _add(site: Path, run: int) -> None:
    name = "bai-viet-moi-nhat" + (f"-{run + 1}" if run else "")
    (site / "content" / CATEGORIES[0][0] / f"2025-12-31-{name}.md").write_text(
        '---\ntitle: "Bài viết mới nhất của Sở"\ndate: 2025-12-31 17:00\n'
        "author: Ban biên tập\n---\nNội dung **mới** với [liên kết](https://example.org/).\n",
        encoding="utf-8",
    )


def scenarios(site: Path) -> list[tuple[str, Callable[[int], None]]]:
    """Each rebuild's change, given the number of the run (another article each run)."""
    files = corpus_articles(site)
    # The first edit is the peers' (runner.default_edited); each later run edits an article
    # not edited before, as the same edit again would change no search word.
    edited = files.index(runner.default_edited(site))
    return [
        ("nothing changed", lambda run: None),
        ("one body edited", lambda run: runner.edit_article(files[edited + run])),
        ("one title changed", lambda run: _retitle(files[len(files) // 3 + run])),
        ("one article added", lambda run: _add(site, run)),
        ("one article deleted", lambda run: files[2 * len(files) // 3 + run].unlink()),
    ]


def _mb(runs: Sequence[Run]) -> str:
    """The peak memory of the largest of `runs`."""
    largest = f"{max(r.peak_mb for r in runs):.0f} MB (largest process)"
    return f"peak memory {largest}, {max(r.total_mb for r in runs):.0f} MB (all processes)"


def measure_ours(
    site: Path, work: Path, jobs: list[str], repeat: int
) -> tuple[Run, dict[str, Run], bool]:
    out = work / "public"
    cold = build(site, out, "--cache-dir", str(work / "cache"), *jobs)
    print(f"cold build: {cold.seconds:.2f} s (CPU {cold.cpu:.2f} s), "
          f"{cold.pages / cold.seconds:.0f} pages/s "
          f"({cold.pages} pages), {_mb([cold])}", flush=True)  # fmt: skip
    rebuilds: dict[str, Run] = {}
    identical = True
    # Each clean build gets a folder of its own, all deleted when the run ends: making a file,
    # this machine's ext4 passes over the inodes freed in the last 5-10 minutes (the kernel's
    # recently_deleted, as perf shows it), so deleting a site of 22,000 files slows the timed
    # runs after it (a cold build's writing: 1.7 s, and up to 7 s after a few deletions).
    cleans = itertools.count()
    for name, change in scenarios(site):
        runs, same = [], True
        for number in range(repeat):
            change(number)
            runs.append(build(site, out, "--cache-dir", str(work / "cache"), *jobs))
            clean = work / f"clean-{next(cleans)}"
            build(site, clean, "--no-cache", *jobs)
            same &= _digests(out) == _digests(clean)
        identical &= same
        run = rebuilds[name] = sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]
        each = ", ".join(f"{r.seconds:.2f}" for r in runs)
        # Every run's: each changes another article, whose words touch other search files.
        written = ", ".join(str(r.written) for r in runs)
        verdict = "byte-identical to a clean build" if same else "DIFFERENT from a clean build"
        print(f"rebuild, {name}: {run.seconds:.2f} s (median of {len(runs)}: {each} s; "
              f"CPU {run.cpu:.2f} s), files written {written}, {_mb(runs)}; "
              f"output {verdict}", flush=True)  # fmt: skip
    return cold, rebuilds, identical


def compare(tools: Sequence[str], corpus: Path, work: Path, cold: Run, edit: Run) -> None:
    for tool in tools:
        if tool == "pelican":
            program = runner.ensure_pelican(PELICAN_VENV)
            full = runner.build_with_pelican(corpus, work / "pelican", program)
            again = runner.rebuild_with_pelican(corpus, work / "pelican-rebuild", program)
        elif tool == "hugo":
            program = runner.ensure_hugo()
            full = runner.build_with_hugo(corpus, work / "hugo", program)
            again = runner.rebuild_with_hugo(corpus, work / "hugo-rebuild", program)
        else:
            raise SystemExit(f"--compare: unknown tool {tool!r} (pelican, hugo)")
        print(f"{full.version}")
        complete = "every article page" if full.missing == 0 else f"{full.missing} MISSING"
        print(f"  {tool} cold build: {full.seconds:.2f} s, {full.article_pages} article pages "
              f"({complete}), peak memory {full.peak_rss_mb:.0f} MB; rebuild after one body "
              f"edited: {again.seconds:.2f} s", flush=True)  # fmt: skip
        print(f"  ratio ours/{tool}: cold build {cold.seconds / full.seconds:.3f}, "
              f"peak memory {cold.peak_mb / full.peak_rss_mb:.3f}, "
              f"rebuild after an edit vs its rebuild {edit.seconds / again.seconds:.3f}, "
              f"vs its full build {edit.seconds / full.seconds:.3f}", flush=True)  # fmt: skip


def versions(jobs: int) -> str:
    names = ("sokhcn-site", "markdown", "jinja2", "nh3", "feedgen", "pyyaml")
    libraries = ", ".join(f"{name} {version(name)}" for name in names)
    return f"Python {platform.python_version()}, {libraries}; {os.cpu_count()} cores, jobs {jobs}"


def compile_package() -> None:
    """Byte-compile sokhcn_site, as pip does when it installs a package: with the project
    installed editable and PYTHONDONTWRITEBYTECODE set (as on the development machine), every
    build would otherwise compile the package's sources anew (~40 ms of a rebuild)."""
    import compileall

    import sokhcn_site

    compileall.compile_dir(Path(sokhcn_site.__file__).parent, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--jobs", type=int, default=None, help="passed to the build")
    parser.add_argument("--compare", default="", help="comma-separated: pelican,hugo")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="runs of each rebuild (each checked; the median is shown): default 3",
    )  # fmt: skip
    parser.add_argument(
        "--no-search", action="store_true", help="skip measuring the search page in Chromium"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat: at least 1 run of each rebuild")
    from sokhcn_site.parallel import default_jobs

    jobs = args.jobs or default_jobs()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sokhcn-bench-"))
    try:
        corpus, site = work / "corpus", work / "site"
        make_site(corpus, args.articles, args.seed)
        shutil.copytree(corpus, site)  # our rebuilds change `site`; the peers get `corpus`
        compile_package()
        print(versions(jobs))
        print(f"corpus: {args.articles} articles, seed {args.seed}, in {work}", flush=True)
        floor = markdown_floor(site, jobs)
        print(f"Markdown floor: {floor.seconds:.2f} s ({floor.single:.2f} s of Python-Markdown "
              f"on one core, every extension and pattern on every body / {jobs} cores; as the "
              f"build runs it, leaving out what a body has no syntax for: {floor.ours:.2f} s "
              "on one core)", flush=True)  # fmt: skip
        cold, rebuilds, identical = measure_ours(site, work, ["--jobs", str(jobs)], args.repeat)
        print(f"cold build / Markdown floor: {cold.seconds / floor.seconds:.2f}")
        if not args.no_search:
            print(summary(measure_search(work / "public")), flush=True)
        tools = [t.strip() for t in args.compare.split(",") if t.strip()]
        if tools:
            compare(tools, corpus, work, cold, rebuilds["one body edited"])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
