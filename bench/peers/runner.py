"""Install, run and measure the peer generators (Pelican 4.12, Debian's Hugo).

Each ``build_with_*`` converts the corpus first (untimed, see convert.py), then
times only the tool's build command and checks what it produced.

Peak memory: ``os.wait4`` on the child returns the kernel's rusage for it, whose
``ru_maxrss`` is the largest peak RSS of the child and of every descendant it
waited for. It is measured per build, unlike ``getrusage(RUSAGE_CHILDREN)``,
which keeps the maximum over all children this process ever reaped, so a Hugo
figure taken after a Pelican run would report Pelican's peak. It is the peak of
the largest single process, not a sum; Pelican and Hugo each build in one
process (Hugo with threads), so here the two agree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import check, convert

_HERE = Path(__file__).resolve().parent
PELICAN_CONF = _HERE / "pelican" / "pelicanconf.py"
PELICAN_SPEC = "pelican==4.12.*"


class PeerError(RuntimeError):
    """A peer tool could not be installed or its build failed."""


@dataclass(frozen=True, slots=True)
class PeerResult:
    tool: str  # "pelican" or "hugo"
    mode: str  # "cold" (fresh output) or "rebuild" (one article edited)
    version: str  # versions of the tool and what it ran with
    seconds: float  # wall time of the build command only
    cpu_seconds: float  # user + system time of the build's process tree
    peak_rss_mb: float  # peak RSS of the build's process tree (see module doc)
    article_pages: int  # <category>/<slug>/index.html pages produced
    missing: int  # corpus articles without their page
    other_news_wrong: int  # article pages whose "Các tin khác" box differs from ours
    listings_wrong: int  # first listing pages (home, categories) that differ from ours
    log: Path  # the tool's own output


def _categories() -> tuple[tuple[str, str], ...]:
    # bench/ is not a package: run.py is started as a script, so its folder,
    # not the repository, is what is on sys.path.
    bench = str(_HERE.parent)
    if bench not in sys.path:
        sys.path.insert(0, bench)
    from corpus import CATEGORIES

    return CATEGORIES


# --------------------------------------------------------------------------- install


def _output(cmd: Sequence[str | Path]) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise PeerError(f"{' '.join(map(str, cmd))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def pelican_version(pelican: Path) -> str:
    """e.g. "pelican 4.12.0 (Markdown 3.10, Jinja2 3.1.6, Python 3.11.7)"."""
    python = pelican.parent / "python"
    probe = (
        "import importlib.metadata as m, platform;"
        "v = m.version;"
        "print(f\"pelican {v('pelican')} (Markdown {v('markdown')}, Jinja2 {v('jinja2')},"
        ' Python {platform.python_version()})")'
    )
    return _output([python, "-c", probe])


def hugo_version(hugo: Path) -> str:
    """e.g. "hugo v0.111.3+extended linux/amd64 BuildDate=... VendorInfo=debian:0.111.3-1"."""
    return _output([hugo, "version"]).splitlines()[0]


def ensure_pelican(venv_dir: Path) -> Path:
    """A virtual environment with Pelican 4.12 and Markdown; returns its ``pelican``.

    Idempotent: an existing environment with a 4.12 Pelican is reused as is.
    """
    pelican = venv_dir / "bin" / "pelican"
    if pelican.is_file():
        try:
            if pelican_version(pelican).startswith("pelican 4.12."):
                return pelican
        except PeerError:
            pass  # a half-made environment: install over it
    _output([sys.executable, "-m", "venv", venv_dir])
    pip = [venv_dir / "bin" / "python", "-m", "pip", "install", "--quiet"]
    _output([*pip, PELICAN_SPEC, "markdown"])
    if not pelican.is_file():
        raise PeerError(f"pip installed {PELICAN_SPEC} but {pelican} is missing")
    return pelican


def ensure_hugo() -> Path:
    """Debian's ``hugo``, installed with apt-get if missing (needs root)."""
    found = shutil.which("hugo")
    if found:
        return Path(found)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "hugo"]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        # A fresh machine may have no package lists yet.
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        done = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise PeerError(f"apt-get install hugo failed:\n{done.stdout}{done.stderr}")
    found = shutil.which("hugo")
    if not found:
        raise PeerError("hugo is still not on PATH after apt-get install")
    return Path(found)


# --------------------------------------------------------------------------- measure


def _measured(cmd: Sequence[str | Path], cwd: Path, log: Path) -> tuple[float, float, float]:
    """Run ``cmd``; return (wall seconds, cpu seconds, peak RSS in MiB)."""
    argv = [str(c) for c in cmd]
    os.sync()  # what earlier steps wrote is not this run's to write out
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
        # wait4 rather than proc.wait(): it also hands back this child's rusage.
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise PeerError(f"{' '.join(argv)} exited {proc.returncode}; see {log}:\n{tail}")
    # Linux reports ru_maxrss in KiB.
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _result(
    tool: str,
    mode: str,
    version: str,
    figures: tuple[float, float, float],
    corpus_root: Path,
    out: Path,
    log: Path,
) -> PeerResult:
    seconds, cpu, rss = figures
    return PeerResult(
        tool=tool,
        mode=mode,
        version=version,
        seconds=seconds,
        cpu_seconds=cpu,
        peak_rss_mb=rss,
        article_pages=check.count_article_pages(out, [slug for slug, _ in _categories()]),
        missing=check.missing_article_pages(out, corpus_root),
        other_news_wrong=check.other_news_mismatches(out, corpus_root),
        listings_wrong=check.listing_mismatches(out, corpus_root),
        log=log,
    )


def _fresh(*folders: Path) -> None:
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)


def _work_dir(out: Path, tool: str) -> Path:
    # Converted sources, caches and logs sit next to the output, so whoever
    # made `out` in a temporary folder cleans everything up with it.
    return out.parent / f"{out.name}.{tool}-src"


def edit_article(path: Path) -> None:
    """The one-article edit of the rebuild figure: a paragraph appended to the body.

    Apply it to our corpus too, so all tools rebuild after the same change.
    """
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nBài viết đã được cập nhật thêm thông tin mới.\n")


def default_edited(corpus_root: Path) -> Path:
    """The article the rebuild figures edit unless told otherwise: a middle one."""
    files = convert.articles(corpus_root)
    if not files:
        raise PeerError(f"no articles under {corpus_root / 'content'}")
    return files[len(files) // 2]


# --------------------------------------------------------------------------- pelican


def _pelican_cmd(pelican: Path, work: Path, out: Path, *, cache: bool) -> list[str | Path]:
    settings = [f"CATEGORY_NAMES={json.dumps(dict(_categories()), ensure_ascii=False)}"]
    if cache:
        settings += ["LOAD_CONTENT_CACHE=true", "CACHE_CONTENT=true"]
    return [
        pelican,
        work / "content",
        "--settings",
        PELICAN_CONF,
        "--output",
        out,
        "--cache-path",
        work / "cache",
        # Errors (an article that fails to read) fail the run instead of
        # silently shrinking the site being timed.
        "--fatal",
        "errors",
        "--extra-settings",
        *settings,
    ]


def build_with_pelican(corpus_root: Path, out: Path, pelican: Path) -> PeerResult:
    """Cold Pelican build of the corpus into ``out`` (content cache off)."""
    corpus_root, out = corpus_root.resolve(), out.resolve()
    work = _work_dir(out, "pelican")
    _fresh(out, work)
    work.mkdir(parents=True)
    convert.to_pelican(corpus_root, work)
    log = work / "build.log"
    figures = _measured(_pelican_cmd(pelican, work, out, cache=False), work, log)
    return _result("pelican", "cold", pelican_version(pelican), figures, corpus_root, out, log)


def rebuild_with_pelican(
    corpus_root: Path, out: Path, pelican: Path, edited: Path | None = None
) -> PeerResult:
    """Pelican's rebuild after one article changed, with its content cache on.

    Untimed: conversion, then a full build that fills the cache. Timed: the
    build after ``edit_article`` on the converted copy of ``edited`` (a corpus
    article path; default ``default_edited``). Output is kept between the two,
    as when a writer rebuilds a site in place.
    """
    corpus_root, out = corpus_root.resolve(), out.resolve()
    work = _work_dir(out, "pelican")
    _fresh(out, work)
    work.mkdir(parents=True)
    content = convert.to_pelican(corpus_root, work)
    cmd = _pelican_cmd(pelican, work, out, cache=True)
    _measured(cmd, work, work / "warm.log")
    source = edited or default_edited(corpus_root)
    edit_article(content / source.parent.name / source.name)
    log = work / "rebuild.log"
    figures = _measured(cmd, work, log)
    return _result("pelican", "rebuild", pelican_version(pelican), figures, corpus_root, out, log)


# --------------------------------------------------------------------------- hugo


def _hugo_cmd(hugo: Path, work: Path, out: Path) -> list[str | Path]:
    return [hugo, "--source", work, "--destination", out, "--cacheDir", work / "cache"]


def build_with_hugo(corpus_root: Path, out: Path, hugo: Path) -> PeerResult:
    """Cold Hugo build of the corpus into ``out``."""
    corpus_root, out = corpus_root.resolve(), out.resolve()
    work = _work_dir(out, "hugo")
    _fresh(out, work)
    convert.to_hugo(corpus_root, work, _categories())
    log = work / "build.log"
    figures = _measured(_hugo_cmd(hugo, work, out), work, log)
    return _result("hugo", "cold", hugo_version(hugo), figures, corpus_root, out, log)


def rebuild_with_hugo(
    corpus_root: Path, out: Path, hugo: Path, edited: Path | None = None
) -> PeerResult:
    """Hugo after one article changed. Outside ``hugo server`` Hugo keeps no
    content cache between runs, so this is a full build over existing output:
    the figure exists so a table can show each tool's own rebuild story."""
    corpus_root, out = corpus_root.resolve(), out.resolve()
    work = _work_dir(out, "hugo")
    _fresh(out, work)
    convert.to_hugo(corpus_root, work, _categories())
    cmd = _hugo_cmd(hugo, work, out)
    _measured(cmd, work, work / "warm.log")
    source = edited or default_edited(corpus_root)
    edit_article(work / "content" / source.parent.name / source.name)
    log = work / "rebuild.log"
    figures = _measured(cmd, work, log)
    return _result("hugo", "rebuild", hugo_version(hugo), figures, corpus_root, out, log)
