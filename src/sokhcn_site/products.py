"""Every file the output folder will hold, with its render key, and what is wrong with
where they go."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .discover import Inputs
from .errors import Diagnostic, error
from .feeds import feed_files
from .keys import Fingerprints, digest
from .model import Article, Deferred, Origin, Output, Page, Site, Source
from .parallel import BothEnds
from .parsing import Parsing
from .references import check_references
from .render import PageJob, PagePlan
from .search import SearchEntry
from .search_index import Block, Members, index_files, make_block, make_blocks
from .sitemap import build_sitemap
from .write import safe_relative

# Fewer missing search-index blocks than this (an edit: one) are made here: a fork of this
# process, with every article in memory, costs more.
MIN_SHARED_BLOCKS = 8


@dataclass(frozen=True, slots=True)
class Products:
    """Everything the output folder will hold."""

    pages: PagePlan  # to render, unless the cache has them
    files: tuple[Output, ...]  # made directly: the sitemap, the search index (not records)
    deferred: tuple[Deferred, ...]  # made when written: copied files, feeds, search records
    keys: Mapping[str, bytes]  # every output path -> the digest of what makes it


def plan_products(
    site: Site, copies: Sequence[Deferred], look: bytes, prints: Fingerprints,
    badges: Mapping[str, str], parsing: Parsing, known: Mapping[bytes, Any], *, fork: bool,
) -> tuple[Products, dict[bytes, Block], list[Diagnostic]]:  # fmt: skip
    """Every output, the search index's blocks for the cache, and what is wrong with the
    outputs' paths; `look`: the digest of the templates, in every page's render key; `fork`:
    whether another process may share the work."""
    pages = PagePlan(site, badges)
    # The pages' render keys, a fifth of an edit rebuild, are made on the other core while
    # this process makes the other outputs and checks where they all go, then by both.
    with BothEnds(partial(_render_key, look, prints), pages, fork=fork) as render_keys:
        names = {c.slug: c.name for c in site.categories}
        make = partial(made_blocks, fork=fork)
        index, records, blocks = index_files(_search_texts(site, parsing), names, known, make)
        files = (*build_sitemap(site), *index)
        deferred = (*copies, *feed_files(site, prints.of), *records)
        every = [*pages.paths, *(o.path for o in files), *(d.path for d in deferred)]
        paths = list(dict.fromkeys(every))
        problems = _collisions(every, site, copies) + _escapes(paths)
        problems += _references(site, paths, parsing)
        keys = dict(zip(pages.paths, render_keys.results(), strict=True))
    keys |= {output.path: digest(output.data) for output in files}
    keys |= {output.path: output.key for output in deferred}
    return Products(pages, files, deferred, keys), blocks, problems


def made_blocks(missing: Sequence[Members], *, fork: bool = True) -> list[Block]:
    """The search index's blocks no cache had: in a cold build, ~0.8 s of work that the
    other core, done with the render keys by then, shares."""
    if len(missing) < MIN_SHARED_BLOCKS or not fork:
        return make_blocks(missing)
    with BothEnds(make_block, missing) as made:
        return made.results()


def _render_key(look: bytes, prints: Fingerprints, job: PageJob) -> bytes:
    """A page's render key: the digest of everything its template receives."""
    return prints.of((look, job.template, job.common, job.context))


def copies(inputs: Inputs) -> list[Deferred]:
    """Static files and the images and attachments kept beside articles, read if written."""
    return [Deferred(f"static/{s.rel}", s.digest, Source.read, (s,)) for s in inputs.static] + [
        Deferred(s.rel, s.digest, Source.read, (s,)) for s in inputs.assets
    ]


def _search_texts(site: Site, parsing: Parsing) -> list[SearchEntry]:
    """Each published article as the search index sees it, as parse made it."""
    made = {p.item.source: p.search for p in parsing.entries.values()
            if p.search is not None and p.item is not None}  # fmt: skip
    return [made[article.source] for article in site.articles]


_TWIN = "một tệp khác cùng tên nhưng gõ dấu theo kiểu khác (NFC và NFD)"


def _collisions(paths: list[str], site: Site, copies: Sequence[Deferred]) -> list[Diagnostic]:
    """An error on each editor's file whose output lands where another output does.

    Collect has made the pages' paths distinct, so it is mostly a file beside the articles
    that clashes: with a page (content/tin/index.html) or a static file (content/static/...).
    """
    counts = Counter(paths)
    clashes = sorted(path for path, n in counts.items() if n > 1)
    if not clashes:
        return []
    made_from: dict[str, list[tuple[str, bool]]] = {}  # path -> (file, whether copied)
    pages: tuple[Article | Page, ...] = (*site.articles, *site.pages)
    for item in pages:
        made_from.setdefault(f"{item.path}index.html", []).append((item.source, False))
    for copy in copies:  # its one argument is the Source (see copies)
        made_from.setdefault(copy.path, []).append((copy.args[0].display, True))
    problems: list[Diagnostic] = []
    for path in clashes:
        makers = made_from.get(path, [])
        blamed = [i for i, (_, copied) in enumerate(makers) if copied] or range(len(makers))
        if not makers:
            problems.append(error(path, 1, "hai phần của trang web cùng tạo ra tệp này"))
        generated = ["một tệp trang web tự tạo (trang danh sách, nguồn tin, tìm kiếm...)"]
        generated = generated if counts[path] > len(makers) else []
        for i in blamed:
            name = makers[i][0]
            # Names differ in the folder, or only in how their letters are coded (NFC, NFD).
            others = [f"tệp {other}" if other != name else _TWIN
                      for j, (other, _) in enumerate(makers) if j != i] + generated  # fmt: skip
            problem = error(
                name, 1,
                f"tệp này sẽ nằm ở '{path}' của trang web, trùng chỗ với {' và '.join(others)}; "
                "đổi tên tệp hoặc chuyển nó sang thư mục khác",
            )  # fmt: skip
            if problem not in problems:
                problems.append(problem)
    return problems


def _escapes(paths: list[str]) -> list[Diagnostic]:
    """The last guard: whatever slipped past the steps before must not reach write."""
    problems = []
    for path in paths:
        try:
            safe_relative(path)
        except ValueError as exc:
            problems.append(error(path, 1, str(exc)))
    return problems


def _references(site: Site, paths: list[str], parsing: Parsing) -> list[Diagnostic]:
    parsed: list[tuple[Origin, Article | Page]] = [*parsing.articles, *parsing.pages]
    published: tuple[Article | Page, ...] = (*site.articles, *site.pages)
    shown = {item.source for item in published}
    unpublished = {item.path for _, item in parsed if item.source not in shown}
    origins = {origin.display: origin for origin, _ in parsed}
    # Parse's links stand for collect's too: resolving links to .md files makes links to
    # article pages, which collect has checked already.
    links = {p.origin.display: p.links for p in parsing.entries.values() if p.origin is not None}
    return check_references(site, paths, origins, unpublished, links)
