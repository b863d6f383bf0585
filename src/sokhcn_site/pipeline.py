"""The one place that knows the order of a build's steps."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .collect import collect, preview_badges
from .config import load_config
from .discover import Inputs, discover, loaded, trusted_digests
from .errors import Diagnostic, error, has_errors
from .feeds import feed_files
from .keys import DIGEST_SIZE, Fingerprints, digest, tree_digest
from .model import Article, Deferred, Origin, Output, Page, Site, SiteConfig, Source, StoredGone
from .parallel import BothEnds, InChild, Ready, default_jobs, pool_map, pool_workers
from .parse import Parsed, ParseJob, parse_job, parse_setup
from .references import check_references
from .render import PageJob, PagePlan, RenderFailure, failure_diagnostics, render_page
from .search import SearchEntry
from .search_index import Block, Members, index_files, make_block, make_blocks
from .sitemap import build_sitemap
from .templates import asset_versions, compiled_folder, drop_other_compiled, make_environment
from .write import Survey, WriteStats, mirror, open_stage, safe_relative, write_failure

if TYPE_CHECKING:
    import jinja2


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content: Path = Path("content")
    templates: Path = Path("templates")
    static: Path = Path("static")
    config: Path = Path("site.yaml")
    output: Path = Path("public")
    base_url: str | None = None
    drafts: bool = False
    cache_dir: Path = Path(".cache")
    offline: bool = False  # partner feeds come from the cache only
    preview: bool = False  # `serve`: mark drafts and future articles on their pages
    use_cache: bool = True  # parse results and render keys in cache_dir/build/
    jobs: int = field(default_factory=default_jobs)  # processes the build may use (1: no other)


# Fewer missing search-index blocks than this (an edit: one) are made here: a fork of this
# process, with every article in memory, costs more.
MIN_SHARED_BLOCKS = 8

# Makes the Jinja environment of a build, once in each process that renders.
Environment = Callable[[], "jinja2.Environment"]

# Told (step, done, total) as a long step works through its items; the CLI draws a bar with it.
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True, slots=True)
class BuildReport:
    diagnostics: tuple[Diagnostic, ...]
    # Of those, the ones about the build cache itself (stale, damaged): never the content's fault.
    cache_notes: tuple[Diagnostic, ...] = ()
    config_failed: bool = False  # the configuration or a folder option is unusable
    site: Site | None = None
    outputs: tuple[Output, ...] = ()  # the files, when the build did not write them
    paths: tuple[str, ...] = ()  # every file of the site, relative to the output folder
    written: WriteStats | None = None  # None when nothing was written
    articles: int = 0  # published
    pages: int = 0  # static pages published
    # The build's working data (a million objects at 10,000 articles): freeing it as the
    # build returned took 0.06-0.09 s of an edit rebuild, which a caller that exits next (the
    # command line) need not spend. Nothing reads it.
    retained: tuple[object, ...] = field(default=(), repr=False, compare=False)

    @property
    def failed(self) -> bool:
        return self.config_failed or has_errors(self.diagnostics)


@dataclass(frozen=True, slots=True)
class _Parsing:
    articles: tuple[tuple[Origin, Article], ...]
    pages: tuple[tuple[Origin, Page], ...]
    problems: tuple[Diagnostic, ...]
    entries: Mapping[bytes, Parsed]  # parse key -> result, for the cache
    views: Mapping[int, tuple[str, ...]]  # id() of an article in `articles` -> Parsed.views


@dataclass(frozen=True, slots=True)
class _Products:
    """Everything the output folder will hold."""

    pages: PagePlan  # to render, unless the cache has them
    files: tuple[Output, ...]  # made directly: the sitemap, the search index (not records)
    deferred: tuple[Deferred, ...]  # made when written: copied files, feeds, search records
    keys: Mapping[str, bytes]  # every output path -> the digest of what makes it


def _folders(options: BuildOptions) -> list[Diagnostic]:
    named = (("--content", options.content), ("--templates", options.templates),
             ("--static", options.static))  # fmt: skip
    return [
        error(str(path), 1, f"{flag}: folder not found")
        for flag, path in named
        if not path.is_dir()
    ]


def _parse_new(
    inputs: Inputs, base: bytes, cached: Collection[bytes], config: SiteConfig,
    options: BuildOptions, progress: Progress, ready: Ready[SiteConfig, ParseJob, Parsed] | None,
) -> tuple[list[bytes], Callable[[], dict[bytes, Parsed]]]:  # fmt: skip
    """Every file's parse key, in order, and a function giving the results of parsing the
    files whose keys are not `cached`.

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
    if ready is not None and pool_workers(len(missing), options.jobs) <= 1:
        take = ready.send(list(missing.values()))
        return keys, lambda: dict(zip(missing, take(), strict=True))
    fresh: dict[bytes, Parsed] = {}
    jobs, setup = list(missing.values()), partial(parse_setup, config)
    for done, (key, parsed) in enumerate(
        zip(missing, pool_map(parse_job, jobs, options.jobs, setup=setup), strict=True), 1
    ):
        fresh[key] = parsed
        progress("parse", done, len(missing))
    return keys, lambda: fresh


def _parsing(
    keys: Sequence[bytes], fresh: Mapping[bytes, Parsed], known: Mapping[bytes, Parsed],
    prints: Fingerprints,
) -> _Parsing:  # fmt: skip
    """Every file's parse result, from this build or the cache, sorted out."""
    articles: list[tuple[Origin, Article]] = []
    pages: list[tuple[Origin, Page]] = []
    problems: list[Diagnostic] = []
    current: dict[bytes, Parsed] = {}  # only this build's files: the cache forgets the rest
    views: dict[int, tuple[str, ...]] = {}
    for key in keys:
        parsed = current[key] = fresh[key] if key in fresh else known[key]
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
    return _Parsing(tuple(articles), tuple(pages), tuple(problems), current, views)


def _remember_views(prints: Fingerprints, site: Site, views: Mapping[int, tuple[str, ...]]) -> None:
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


def _products(
    site: Site, copies: Sequence[Deferred], look: bytes, prints: Fingerprints,
    badges: Mapping[str, str], parsing: _Parsing, known: Mapping[bytes, Any], fork: bool,
) -> tuple[_Products, dict[bytes, Block], list[Diagnostic]]:  # fmt: skip
    """Every output, the search index's blocks for the cache, and what is wrong with the
    outputs' paths; `fork`: whether another process may share the work."""
    pages = PagePlan(site, badges)
    # The pages' render keys, a fifth of an edit rebuild, are made on the other core while
    # this process makes the other outputs and checks where they all go, then by both.
    with BothEnds(partial(_render_key, look, prints), pages, fork=fork) as render_keys:
        names = {c.slug: c.name for c in site.categories}
        texts = _search_texts(site, parsing)
        make = partial(_made_blocks, fork=fork)
        index, records, blocks = index_files(texts, names, known, make)
        files = (*build_sitemap(site), *index)
        deferred = (*copies, *feed_files(site, prints.of), *records)
        every = [*pages.paths, *(output.path for output in (*files, *deferred))]
        paths = list(dict.fromkeys(every))
        problems = _collisions(every) + _escapes(paths) + _references(site, paths, parsing)
        keys = dict(zip(pages.paths, render_keys.results(), strict=True))
    keys |= {output.path: digest(output.data) for output in files}
    keys |= {output.path: output.key for output in deferred}
    return _Products(pages, files, deferred, keys), blocks, problems


def _made_blocks(missing: Sequence[Members], *, fork: bool = True) -> list[Block]:
    """The search index's blocks no cache had: in a cold build, ~0.8 s of work that the
    other core, done with the render keys by then, shares."""
    if len(missing) < MIN_SHARED_BLOCKS or not fork:
        return make_blocks(missing)
    with BothEnds(make_block, missing) as made:
        return made.results()


def _render_key(look: bytes, prints: Fingerprints, job: PageJob) -> bytes:
    """A page's render key: the digest of everything its template receives."""
    return prints.of((look, job.template, job.common, job.context))


def _copies(inputs: Inputs) -> list[Deferred]:
    """Static files and the images and attachments kept beside articles, read if written."""
    return [Deferred(f"static/{s.rel}", s.digest, Source.read, (s,)) for s in inputs.static] + [
        Deferred(s.rel, s.digest, Source.read, (s,)) for s in inputs.assets
    ]


def _rendered(
    jobs: Sequence[PageJob], options: BuildOptions, setup: Environment,
    problems: list[Diagnostic], progress: Progress,
) -> Iterator[Output]:  # fmt: skip
    """Render `jobs` in parallel, in order; the template problems join `problems` at the end."""
    failures: list[RenderFailure] = []
    for done, result in enumerate(pool_map(render_page, jobs, options.jobs, setup=setup), 1):
        if isinstance(result, Output):
            yield result
        else:
            failures.append(result)
        progress("render", done, len(jobs))
    problems.extend(failure_diagnostics(failures))


def _write(
    products: _Products, kept: Mapping[str, int], options: BuildOptions, setup: Environment,
    progress: Progress, spare: Survey | None,
) -> tuple[WriteStats | None, list[Diagnostic]]:  # fmt: skip
    """Render what changed into a staged copy of the site; swap it in if all went well.

    `spare` is what the spare copy holds, if that is known already."""
    problems: list[Diagnostic] = []
    written = 0
    # The site before last, kept by the swap, is recycled as the stage: see write.Stage.
    folder = _spare(options) if options.use_cache else None
    stage = open_stage(options.output, products.keys, folder, spare)
    try:
        stage.keep_all(kept)
        pages = products.pages
        todo = [pages[i] for i, path in enumerate(pages.paths) if path not in kept]
        for output in _rendered(todo, options, setup, problems, progress):
            written += stage.put(output)
        for output in products.files:
            if output.path not in kept:
                written += stage.put(output)
        for deferred in products.deferred:
            if deferred.path not in kept:
                written += stage.put(deferred.output())
        if has_errors(problems):
            stage.discard()
            return None, problems
        stage.commit()
    except BaseException:
        stage.discard()
        raise
    return WriteStats(written, len(products.keys) - written), problems


def _spare(options: BuildOptions) -> Path:
    return options.cache_dir / "spare-output"


def _collisions(paths: list[str]) -> list[Diagnostic]:
    counts = Counter(paths)
    return [error(path, 1, "two inputs produce this same output file") for path, n in
            sorted(counts.items()) if n > 1]  # fmt: skip


def _escapes(paths: list[str]) -> list[Diagnostic]:
    """The last guard: whatever slipped past the steps before must not reach write."""
    problems = []
    for path in paths:
        try:
            safe_relative(path)
        except ValueError as exc:
            problems.append(error(path, 1, str(exc)))
    return problems


def _references(site: Site, paths: list[str], parsing: _Parsing) -> list[Diagnostic]:
    parsed = [*parsing.articles, *parsing.pages]
    shown = {item.source for item in (*site.articles, *site.pages)}
    unpublished = {item.path for _, item in parsed if item.source not in shown}
    origins = {origin.display: origin for origin, _ in parsed}
    # Parse's links stand for collect's too: resolving links to .md files makes links to
    # article pages, which collect has checked already.
    links = {p.origin.display: p.links for p in parsing.entries.values() if p.origin is not None}
    return check_references(site, paths, origins, unpublished, links)


def _output_overlaps(options: BuildOptions) -> list[Diagnostic]:
    """The output folder is replaced whole: it must not hold, or sit inside, an input."""
    output = options.output.resolve()
    named = (("--content", options.content), ("--templates", options.templates),
             ("--static", options.static), ("--config", options.config),
             ("--cache-dir", options.cache_dir))  # fmt: skip
    return [
        error(str(options.output), 1,
              f"--output must be a folder of its own: it overlaps {flag} {path}")
        for flag, path in named
        if output == path.resolve()
        or path.resolve().is_relative_to(output)
        or output.is_relative_to(path.resolve())
    ]  # fmt: skip


def build(
    options: BuildOptions,
    *,
    now: datetime,
    write: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Load, check and render the site; replace the output folder only if all went well."""
    with contextlib.ExitStack() as children:  # a child no longer wanted is ended
        try:
            return _build(options, now, write, progress or _no_progress, children)
        except StoredGone as exc:  # the cache changed under the build: once more without it
            return _build(options, now, write, progress or _no_progress, children, str(exc))


@dataclass(frozen=True, slots=True)
class _Checked:
    """What a child process found while the build went on."""

    spare: Survey  # what the spare copy of the site holds, now the current site's files too
    changed: frozenset[str]  # recorded output files not as the last build left them
    damaged: tuple[str, ...]  # the cache's text files that are not as it wrote them


def _check_files(spare: Path, output: Path, state: cache.CacheState) -> _Checked:
    """The output folder's changes since the last build, the cache's damaged text files, and
    the spare made to hold the current site: the stage recycles it (see write.Stage); after
    a first build, that is 22,000 links."""
    changed = cache.changed_outputs(state.outputs, output)
    damaged = cache.damaged_texts(state)
    # The site's files are those the last build recorded, less those changed since: no walk.
    # (One added by hand is not copied into the spare, and the stage leaves it out anyway.)
    current = cache.recorded_files(state.outputs, output, changed)
    return _Checked(mirror(spare, output, current), changed, damaged)


def _copy_site(spare: Path, output: Path) -> None:
    mirror(spare, output)


def _helpers(
    options: BuildOptions, config: SiteConfig, state: cache.CacheState, write: bool,
    children: contextlib.ExitStack,
) -> tuple[Ready[SiteConfig, ParseJob, Parsed] | None, Callable[[], _Checked] | None]:  # fmt: skip
    """Child processes that work on the other core from now on: one set up to parse the few
    files a rebuild changed, and one that checks the output folder and the cache's text
    files and makes the spare copy of the site (see _check_files)."""
    ready = None
    if options.jobs > 1 and state.shard_keys:  # a rebuild: a few files to parse, most likely
        ready = children.enter_context(Ready(parse_job, partial(parse_setup, config)))
    checked = None
    if write and options.use_cache:  # 22,000 stats and a walk of the spare copy
        checking = InChild(
            _check_files, _spare(options), options.output, state, fork=options.jobs > 1
        )
        checked = children.enter_context(checking).result
    return ready, checked


def _build(
    options: BuildOptions, now: datetime, write: bool, progress: Progress,
    children: contextlib.ExitStack, distrust: str = "",
) -> BuildReport:  # fmt: skip
    """The build; `distrust`: why the cache's parse results must not be used."""
    config, problems = load_config(options.config, options.base_url)
    problems += _folders(options) + (_output_overlaps(options) if write else [])
    if config is None or has_errors(problems):
        return BuildReport(tuple(problems), config_failed=True)
    stamp = cache.code_stamp()
    cache_folder = options.cache_dir / "build" if options.use_cache else None
    state, notes = cache.load(cache_folder, stamp)  # the cache's own health, never replayed
    if distrust:
        state = cache.forget_parsed(state)
        notes.append(cache.unusable(str(cache_folder), distrust))
    ready, checked = _helpers(options, config, state, write, children)
    prints = Fingerprints()
    started = time.time_ns()
    inputs = discover(options.content, options.static, state.sources)
    versions = asset_versions(inputs.static)
    # Any template can include any other; every page links to the versioned files.
    look = prints.of((tree_digest(options.templates), versions))
    inputs_key = _inputs_key(prints.of((stamp, config, options.drafts, look)), inputs)
    # Partner feeds are fetched anew by every build: a site showing them is never replayed.
    replay = write and not (notes or inputs.diagnostics or config.partner_feeds or options.preview)
    if replay and cache.replayable(state.outputs, options.output, inputs_key, now):
        return _replay(state.outputs)
    base = prints.of((stamp, config))
    copies, found = _copies(inputs), inputs.diagnostics
    keys, parsed = _parse_new(inputs, base, state.parse_keys, config, options, progress, ready)
    digests = trusted_digests(_sources(inputs), started)
    del inputs  # the texts read (50 MB in a cold build) go before the cached results come in
    known, more_notes = cache.parse_results(state)
    fresh = parsed()
    if more_notes:  # a shard let us down after all: read every file again and parse it
        notes += more_notes
        rediscovered = discover(options.content, options.static)
        keys, parsed = _parse_new(rediscovered, base, (), config, options, progress, None)
        fresh = parsed()
        digests = trusted_digests(_sources(rediscovered), started)
    parsing = _parsing(keys, fresh, known.results, prints)
    site, site_problems = collect(
        config, parsing.articles, parsing.pages, now=now, include_drafts=options.drafts
    )
    _remember_views(prints, site, parsing.views)
    problems += [*notes, *found, *parsing.problems, *site_problems]
    if write and config.partner_feeds and not has_errors(problems):  # only for a published site
        site, partner_problems = _with_partners(site, options, now)
        problems += partner_problems
    badges = preview_badges(site, now) if options.preview else {}
    products, blocks, path_problems = _products(
        site, copies, look, prints, badges, parsing, known.results, options.jobs > 1
    )
    problems += path_problems
    paths = list(products.keys)
    environment = partial(make_environment, options.templates, config.base_path, versions=versions)
    if has_errors(problems) or not write:
        # Render even after content errors: one run reports every problem, templates' too.
        report = _unwritten(options, environment, site, products, problems, progress)
        return dataclasses.replace(report, cache_notes=tuple(notes))
    # A build that publishes keeps its templates compiled, for later ones.
    compiled = None
    if cache_folder is not None:
        compiled = compiled_folder(options.cache_dir / "templates", stamp, config.base_path)
    environment = partial(environment, compiled)
    found = checked() if checked else None
    if found and found.damaged and known.results:  # their strings may be in no page yet
        raise StoredGone(f"tệp {found.damaged[0]} bị hỏng")
    changed = found.changed if found else cache.changed_outputs(state.outputs, options.output)
    kept = cache.unchanged_outputs(state.outputs, products.keys, changed)
    try:
        stats, problems = _publish(options, state, products, kept, environment, problems,
                                   progress, found.spare if found else None)  # fmt: skip
    except OSError as exc:
        problems.append(write_failure(options.output, exc))
        return BuildReport(tuple(sorted(problems)), tuple(notes), site=site, paths=tuple(paths))
    report = BuildReport(
        tuple(sorted(problems)), tuple(notes), site=site, paths=tuple(paths), written=stats,
        articles=len(site.articles), pages=len(site.pages),
    )  # fmt: skip
    if stats is not None and cache_folder is not None:
        # A first build leaves no copy of the site for the next to recycle as its stage: one
        # is linked meanwhile, or the next build would wait for 22,000 links (see _check_files).
        spare = _spare(options)
        copying = None
        if not spare.exists():
            linking = InChild(_copy_site, spare, options.output, fork=options.jobs > 1)
            copying = children.enter_context(linking)
        records = cache.record_outputs(
            options.output, products.keys, state.outputs, kept, inputs_key,
            _due(parsing, now, options.drafts),
            (tuple(d for d in report.diagnostics if d not in notes), report.articles, report.pages),
        )  # fmt: skip
        entries = {**parsing.entries, **blocks}
        cache.save(cache_folder, stamp, state, known, entries, records, digests)
        if compiled is not None:
            drop_other_compiled(compiled)
        if copying is not None:
            copying.result()
    # Handed back, not freed on return: see BuildReport.retained.
    working = (state, known, parsing, prints, products, blocks, kept, digests, keys, fresh)
    return dataclasses.replace(report, retained=working)


def _with_partners(
    site: Site, options: BuildOptions, now: datetime
) -> tuple[Site, list[Diagnostic]]:
    """The site with its partners' news, fetched now (or their cached copies)."""
    from .partners import fetch_partners  # feedparser is slow to import; few sites need it

    config = site.config
    partners, problems = fetch_partners(
        config.partner_feeds, options.cache_dir / "partners", config_path=str(options.config),
        timeout=config.partner_timeout, tz=config.tz, now=now, offline=options.offline,
    )  # fmt: skip
    return dataclasses.replace(site, partners=partners), problems


def _search_texts(site: Site, parsing: _Parsing) -> list[SearchEntry]:
    """Each published article as the search index sees it, as parse made it."""
    made = {p.item.source: p.search for p in parsing.entries.values() if p.search is not None}
    return [made[article.source] for article in site.articles]


def _sources(inputs: Inputs) -> list[Source]:
    return [s for s, _ in inputs.articles] + [*inputs.pages, *inputs.assets, *inputs.static]


def _inputs_key(settings: bytes, inputs: Inputs) -> bytes:
    """Everything a site is made of besides the clock: every file's name and bytes."""
    hasher = hashlib.blake2b(settings, digest_size=DIGEST_SIZE)
    for source in _sources(inputs):
        hasher.update(b"%d:%s%s" % (len(source.display), source.display.encode(), source.digest))
    return hasher.digest()


def _due(parsing: _Parsing, now: datetime, drafts: bool) -> datetime | None:
    """When the next future-dated article is due: the site built now is right until then."""
    if drafts:
        return None
    waiting = [a.date for _, a in parsing.articles if not a.draft and a.date > now]
    return min(waiting, default=None)


def _replay(records: cache.OutputRecords) -> BuildReport:
    """The report of the build that left the output folder as it is, which nothing changed."""
    diagnostics, articles, pages = records.report
    paths = tuple(records.files)
    return BuildReport(diagnostics, paths=paths, written=WriteStats(0, len(paths)),
                       articles=articles, pages=pages)  # fmt: skip


def _publish(
    options: BuildOptions, state: cache.CacheState, products: _Products,
    kept: Mapping[str, int], setup: Environment, problems: list[Diagnostic], progress: Progress,
    spare: Survey | None,
) -> tuple[WriteStats | None, list[Diagnostic]]:  # fmt: skip
    """Write what changed; None when a page failed to render and nothing was written."""
    if cache.untouched(state.outputs, options.output, products.keys, kept):
        return WriteStats(0, len(kept)), problems  # nothing changed: touch nothing
    stats, render_problems = _write(products, kept, options, setup, progress, spare)
    return stats, problems + render_problems


def _unwritten(
    options: BuildOptions, environment: Environment, site: Site, products: _Products,
    problems: list[Diagnostic], progress: Progress,
) -> BuildReport:  # fmt: skip
    """A build that writes nothing (check, serve, or content errors): still render every page,
    to report template errors and to hand the files to `serve`."""
    outputs = [*products.files, *(deferred.output() for deferred in products.deferred)]
    outputs += _rendered(products.pages, options, environment, problems, progress)
    return BuildReport(
        tuple(sorted(problems)), site=site, outputs=tuple(outputs), paths=tuple(products.keys),
        articles=len(site.articles), pages=len(site.pages),
    )  # fmt: skip
