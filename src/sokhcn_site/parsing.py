"""Every file's parse result: from the cache, or parsed now (by a pool or a child made ready)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import partial

from .discover import Inputs, loaded
from .errors import Diagnostic
from .keys import Fingerprints, digest
from .model import Article, Origin, Page, Site, SiteConfig
from .options import Progress
from .parallel import Ready, pool_map, pool_workers
from .parse import Parsed, ParseJob, parse_job, parse_setup


@dataclass(frozen=True, slots=True)
class Parsing:
    articles: tuple[tuple[Origin, Article], ...]
    pages: tuple[tuple[Origin, Page], ...]
    problems: tuple[Diagnostic, ...]
    entries: Mapping[bytes, Parsed]  # parse key -> result, for the cache
    views: Mapping[int, tuple[str, ...]]  # id() of an article in `articles` -> Parsed.views


def parse_new(
    inputs: Inputs, base: bytes, cached: Collection[bytes], config: SiteConfig, jobs: int,
    progress: Progress, ready: Ready[SiteConfig, ParseJob, Parsed] | None,
) -> tuple[list[bytes], Callable[[], dict[bytes, Parsed]]]:  # fmt: skip
    """Every file's parse key, in order, and a function giving the results of parsing the
    files whose keys are not `cached`; `base`: the digest of the code and the config.

    Many files are parsed there and then, by a pool; a few (an edit) by `ready`, a child
    process set up for parsing meanwhile, while this one loads the cached results.
    """
    todo = [ParseJob(s, category) for s, category in inputs.articles]
    todo += [ParseJob(s, None) for s in inputs.pages]
    keys = [_parse_key(base, job) for job in todo]
    for i, job in enumerate(todo):
        if keys[i] not in cached and job.source.data is None:  # its bytes were taken on trust
            todo[i] = ParseJob(loaded(job.source), job.category)
            keys[i] = _parse_key(base, todo[i])
    missing = {key: job for key, job in zip(keys, todo, strict=True) if key not in cached}
    if ready is not None and pool_workers(len(missing), jobs) <= 1:
        take = ready.send(list(missing.values()))
        return keys, lambda: dict(zip(missing, take(), strict=True))
    fresh: dict[bytes, Parsed] = {}
    setup = partial(parse_setup, config)
    with closing(pool_map(parse_job, list(missing.values()), jobs, setup=setup)) as results:
        for done, (key, parsed) in enumerate(zip(missing, results, strict=True), 1):
            fresh[key] = parsed
            progress("parse", done, len(missing))
    return keys, lambda: fresh


def sort_out(
    keys: Sequence[bytes], fresh: Mapping[bytes, Parsed], known: Mapping[bytes, Parsed],
    prints: Fingerprints,
) -> Parsing:  # fmt: skip
    """Every file's parse result, from this build or the cache, sorted out."""
    articles: list[tuple[Origin, Article]] = []
    pages: list[tuple[Origin, Page]] = []
    problems: list[Diagnostic] = []
    current: dict[bytes, Parsed] = {}  # this build's lasting results: the cache forgets the rest
    views: dict[int, tuple[str, ...]] = {}
    for key in keys:
        parsed = fresh[key] if key in fresh else known[key]
        if parsed.lasting:
            current[key] = parsed
        if parsed.item is not None:
            prints.determined_by(parsed.item, key)
        problems.extend(parsed.diagnostics)
        if parsed.origin is None:
            continue
        if isinstance(parsed.item, Article):
            articles.append((parsed.origin, parsed.item))
            views[id(parsed.item)] = parsed.views
        elif isinstance(parsed.item, Page):
            pages.append((parsed.origin, parsed.item))
    return Parsing(tuple(articles), tuple(pages), tuple(problems), current, views)


def remember_views(prints: Fingerprints, site: Site, views: Mapping[int, tuple[str, ...]]) -> None:
    """Let `prints` take the parse results' fingerprints of the site's teasers and links.

    Not for an article collect replaced (its links to .md files resolved): its views are
    digested as they are.
    """
    for article, teaser, link in zip(site.articles, site.teasers, site.links, strict=True):
        texts = views.get(id(article))
        if texts:
            prints.remember(teaser, texts[0])
            prints.remember(link, texts[1])


def _parse_key(base: bytes, job: ParseJob) -> bytes:
    """Everything a parse result depends on: the file's bytes, its place, config and code."""
    source = job.source
    place = "\0".join((job.category or "", source.rel, source.display)).encode()
    return digest(b"\0".join((base, place, source.digest)))
