"""The one place that knows the order of a build's steps."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, records
from .collect import collect, preview_badges
from .config import load_config
from .discover import Inputs, KnownDigests, discover, trusted_digests
from .errors import Diagnostic, error, has_errors
from .keys import DIGEST_SIZE, Fingerprints, tree_digest
from .model import Deferred, Output, Site, SiteConfig, Source, StoredGone
from .options import BuildOptions, Progress, no_progress
from .parallel import InChild, Ready
from .parse import Parsed, ParseJob, parse_job, parse_setup
from .parsing import Parsing, parse_new, remember_views, sort_out
from .products import Products, copies, plan_products
from .publish import Checked, check_files, copy_site, publish, unwritten
from .search_index import Block
from .templates import asset_versions, compiled_folder, drop_other_compiled, make_environment
from .write import WriteStats, write_failure

if TYPE_CHECKING:
    import jinja2

__all__ = ["BuildOptions", "BuildReport", "build", "check_options"]


@dataclass(frozen=True, slots=True)
class BuildReport:
    diagnostics: tuple[Diagnostic, ...]
    # Of those, the ones about the build cache itself (stale, damaged): never the content's fault.
    cache_notes: tuple[Diagnostic, ...] = ()
    config_failed: bool = False  # the configuration or a folder option is unusable
    site: Site | None = None
    outputs: tuple[Output, ...] = ()  # the files, when the build did not write them
    keys: Mapping[str, bytes] = field(default_factory=dict)  # ... and what made each: see build
    paths: tuple[str, ...] = ()  # every file of the site, relative to the output folder
    written: WriteStats | None = None  # None when nothing was written
    articles: int = 0  # published
    pages: int = 0  # static pages published
    scheduled: int = 0  # articles left out until their date comes
    # The build's working data (a million objects at 10,000 articles): freeing it as the
    # build returned took 0.06-0.09 s of an edit rebuild, which a caller that exits next (the
    # command line) need not spend. Nothing reads it.
    retained: tuple[object, ...] = field(default=(), repr=False, compare=False)

    @property
    def failed(self) -> bool:
        return self.config_failed or has_errors(self.diagnostics)


def _folders(options: BuildOptions) -> list[Diagnostic]:
    named = (("--content", options.content), ("--templates", options.templates),
             ("--static", options.static))  # fmt: skip
    return [
        error(str(path), 1, f"{flag}: folder not found")
        for flag, path in named
        if not path.is_dir()
    ]


def check_options(
    options: BuildOptions, *, write: bool
) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """The configuration; or None, with what makes the options unusable (exit code 2).

    A build's first step, which `serve` also takes before it opens its port."""
    config, problems = load_config(options.config, options.base_url)
    # A check tells what its build would (serve's preview has no output folder).
    overlaps = _output_overlaps(options) if write or not options.preview else []
    problems += _folders(options) + overlaps
    return (None if has_errors(problems) else config), problems


def _output_overlaps(options: BuildOptions) -> list[Diagnostic]:
    """The output folder is replaced whole: it must not hold, or sit inside, an input."""
    output = options.output.resolve()
    named = (("--content", options.content), ("--templates", options.templates),
             ("--static", options.static), ("--config", options.config),
             ("--cache-dir", options.cache_dir))  # fmt: skip
    problems = [
        error(str(options.output), 1,
              f"--output must be a folder of its own: it overlaps {flag} {path}")
        for flag, path in named
        if output == path.resolve()
        or path.resolve().is_relative_to(output)
        or output.is_relative_to(path.resolve())
    ]  # fmt: skip
    if output.exists() and not output.is_dir():
        problems.append(error(str(options.output), 1, "--output names a file, not a folder"))
    if options.use_cache and options.cache_dir.resolve().is_relative_to(options.content.resolve()):
        problems.append(error(str(options.cache_dir), 1, "--cache-dir may not be inside "
                              f"--content {options.content}: it would be published"))  # fmt: skip
    return problems


@dataclass(frozen=True, slots=True)
class _Store:
    """The build cache as this build found it."""

    folder: Path | None  # None: --no-cache
    stamp: bytes  # of the code: see cache.code_stamp
    state: cache.CacheState
    notes: tuple[Diagnostic, ...]  # the cache's own health, never replayed


@dataclass(frozen=True, slots=True)
class _Read:
    """The content, parsed, and what the later steps need of the files read."""

    parsing: Parsing
    known: cache.ParseCache  # what the cache held
    copies: tuple[Deferred, ...]  # static files and assets, read when written
    found: tuple[Diagnostic, ...]  # what discover found wrong
    notes: tuple[Diagnostic, ...]  # about the cache: _Store.notes, and any found since
    versions: Mapping[str, str]  # of the static CSS and JS files: see templates.asset_versions
    look: bytes  # the digest of the templates and those versions, in every page's render key
    inputs_key: bytes  # see _inputs_key
    digests: KnownDigests  # of the files read, for the next build


def build(
    options: BuildOptions,
    *,
    now: datetime,
    write: bool = True,
    keep_parsed: bool = True,
    earlier: BuildReport | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Load, check and render the site; replace the output folder only if all went well.

    `keep_parsed`: whether a build that writes no site (content errors, `serve`) still keeps
    its parse results in the cache, for the next build to parse only what changed (`check`,
    which writes nothing, says no). `earlier`: the report of a build that wrote nothing
    (`serve`'s last): a build that writes nothing takes its files made from the same render
    keys as they are, and makes only the others.
    """
    steps = partial(_build, options, now, write, keep_parsed, earlier, progress or no_progress)
    with contextlib.ExitStack() as children:  # a child no longer wanted is ended
        # Taken by _build once it has checked the options; let go after the children end.
        hold = (
            functools.cache(partial(children.enter_context, cache.held(options.cache_dir)))
            if options.use_cache and (write or keep_parsed)
            else None
        )
        try:
            return steps(children, hold)
        except StoredGone as exc:  # the cache changed under the build: once more without it
            return steps(children, hold, str(exc))


def _build(
    options: BuildOptions, now: datetime, write: bool, keep_parsed: bool,
    earlier: BuildReport | None, progress: Progress, children: contextlib.ExitStack,
    hold: Callable[[], object] | None, distrust: str = "",
) -> BuildReport:  # fmt: skip
    """The build; `hold` takes the cache folder (once, however often it is called);
    `distrust`: why the cache's parse results must not be used."""
    config, problems = check_options(options, write=write)
    if config is None:
        return BuildReport(tuple(problems), config_failed=True)
    if hold is not None:
        hold()
    store = _open_store(options, distrust)
    ready, checked = _helpers(options, config, store.state, write, children)
    prints = Fingerprints()
    read = _read(options, config, store, prints, ready, progress, write, now)
    if isinstance(read, BuildReport):
        return read  # the output folder holds the site of this very build
    parsing = read.parsing
    site, site_problems = collect(
        config, parsing.articles, parsing.pages, now=now, include_drafts=options.drafts
    )
    remember_views(prints, site, parsing.views)
    scheduled = len(_waiting(parsing, now, options.drafts))
    problems += [*read.notes, *read.found, *parsing.problems, *site_problems]
    if write and config.partner_feeds and not has_errors(problems):  # only for a published site
        site, partner_problems = _with_partners(site, options, now)
        problems += partner_problems
    badges = preview_badges(site, now) if options.preview else {}
    products, blocks, path_problems = plan_products(
        site, read.copies, read.look, prints, badges, parsing, read.known.results, fork=options.fork
    )
    problems += path_problems
    environment = partial(make_environment, options.templates, config.base_path,
                          versions=read.versions)  # fmt: skip
    if has_errors(problems) or not write:
        # Render even after content errors: one run reports every problem, templates' too.
        made = _made_earlier(earlier, products.keys)
        outputs, problems = unwritten(options, environment, products, problems, progress, made)
        report = BuildReport(
            tuple(sorted(problems)), read.notes, site=site, outputs=tuple(outputs),
            keys=products.keys, paths=tuple(products.keys), articles=len(site.articles),
            pages=len(site.pages), scheduled=scheduled,
        )  # fmt: skip
        if keep_parsed and store.folder is not None:
            saved = _save_parsed(store.folder, store, read, blocks, store.state.outputs)
            report = _noted(report, saved)
        return report
    report, kept = _published(options, store, read, site, products, environment, problems,
                              progress, checked)  # fmt: skip
    report = dataclasses.replace(report, scheduled=scheduled)
    if store.folder is not None:
        try:
            saved = _save(store.folder, options, store, read, products, blocks, kept, report,
                          now, children)  # fmt: skip
        except KeyboardInterrupt:  # the site is out: telling "nothing published" would be wrong
            if report.written is None:
                raise
            saved = (cache.interrupted(str(store.folder)),)
        report = _noted(report, saved)
    # Handed back, not freed on return: see BuildReport.retained.
    return dataclasses.replace(report, retained=(store, read, prints, products, blocks, kept))


def _noted(report: BuildReport, notes: tuple[Diagnostic, ...]) -> BuildReport:
    """`report` with `notes` about the cache too."""
    if not notes:
        return report
    diagnostics = tuple(sorted(report.diagnostics + notes))
    return dataclasses.replace(
        report, diagnostics=diagnostics, cache_notes=report.cache_notes + notes
    )


def _open_store(options: BuildOptions, distrust: str) -> _Store:
    stamp = cache.code_stamp()
    folder = options.cache_dir / "build" if options.use_cache else None
    state, notes = cache.load(folder, stamp)
    if distrust:
        state = cache.forget_parsed(state)
        notes.append(cache.unusable(str(folder), distrust))
    return _Store(folder, stamp, state, tuple(notes))


def _helpers(
    options: BuildOptions, config: SiteConfig, state: cache.CacheState, write: bool,
    children: contextlib.ExitStack,
) -> tuple[Ready[SiteConfig, ParseJob, Parsed] | None, Callable[[], Checked] | None]:  # fmt: skip
    """Child processes that work on the other core from now on: one set up to parse the few
    files a rebuild changed, and one that checks the output folder and the cache's text
    files and makes the spare copy of the site (see publish.check_files)."""
    ready = None
    if options.fork and state.shard_keys:  # a rebuild: a few files to parse, most likely
        ready = children.enter_context(Ready(parse_job, partial(parse_setup, config)))
    checked = None
    if write and options.use_cache:  # 22,000 stats and a walk of the spare copy
        checking = InChild(check_files, options.spare, options.output, state, fork=options.fork)
        checked = children.enter_context(checking).result
    return ready, checked


def _read(
    options: BuildOptions, config: SiteConfig, store: _Store, prints: Fingerprints,
    ready: Ready[SiteConfig, ParseJob, Parsed] | None, progress: Progress, write: bool,
    now: datetime,
) -> _Read | BuildReport:  # fmt: skip
    """Find and parse the content; or, if the output folder holds the site of these very
    inputs, untouched, the report of the build that wrote it."""
    started = time.time_ns()
    inputs = discover(options.content, options.static, store.state.sources)
    versions = asset_versions(inputs.static)
    # Any template can include any other; every page links to the versioned files.
    look = prints.of((tree_digest(options.templates), versions))
    inputs_key = _inputs_key(prints.of((store.stamp, config, options.drafts, look)), inputs)
    # Partner feeds are fetched anew by every build: a site showing them is never replayed.
    last, unsure = store.state.outputs, store.notes or inputs.diagnostics
    replay = write and not (unsure or config.partner_feeds or options.preview)
    if replay and records.replayable(last, options.output, inputs_key, now):
        return _replay(last)
    base = prints.of((store.stamp, config))
    cached, jobs = store.state.parse_keys, options.jobs
    copied, found = tuple(copies(inputs)), inputs.diagnostics
    keys, parsed = parse_new(inputs, base, cached, config, jobs, progress, ready)
    digests = trusted_digests(_sources(inputs), started)
    del inputs  # the texts read (50 MB in a cold build) go before the cached results come in
    known, notes = cache.parse_results(store.state)
    fresh = parsed()
    if notes:  # a shard let us down after all: read every file again and parse it
        again = discover(options.content, options.static)
        keys, parsed = parse_new(again, base, (), config, jobs, progress, None)
        fresh = parsed()
        digests = trusted_digests(_sources(again), started)
    parsing = sort_out(keys, fresh, known.results, prints)
    notes = [*store.notes, *notes]
    return _Read(parsing, known, copied, found, tuple(notes), versions, look, inputs_key, digests)


def _published(
    options: BuildOptions, store: _Store, read: _Read, site: Site, products: Products,
    environment: Callable[[Path | None], jinja2.Environment], problems: list[Diagnostic],
    progress: Progress, checked: Callable[[], Checked] | None,
) -> tuple[BuildReport, Mapping[str, int]]:  # fmt: skip
    """Write what changed of the site; its report, and the files kept as they were.
    `environment` makes the Jinja environment from the folder of compiled templates."""
    # A build that publishes keeps its templates compiled, for later ones.
    compiled = None
    if store.folder is not None:
        compiled = compiled_folder(options.cache_dir / "templates", store.stamp,
                                   site.config.base_path)  # fmt: skip
    found = checked() if checked else None
    if found and found.damaged and read.known.results:  # their strings may be in no page yet
        raise StoredGone(f"tệp {found.damaged[0]} bị hỏng")
    last = store.state.outputs
    changed = found.changed if found else records.changed_outputs(last, options.output)
    kept = records.unchanged_outputs(last, products.keys, changed)
    paths, spare = tuple(products.keys), found.spare if found else None
    setup = partial(environment, compiled)
    try:
        stats, problems = publish(options, last, products, kept, setup, problems, progress, spare)
    except OSError as exc:
        problems.append(write_failure(options.output, exc))
        return BuildReport(tuple(sorted(problems)), read.notes, site=site, paths=paths), kept
    if stats is not None and compiled is not None:
        drop_other_compiled(compiled)
    report = BuildReport(
        tuple(sorted(problems)), read.notes, site=site, paths=paths, written=stats,
        articles=len(site.articles), pages=len(site.pages),
    )  # fmt: skip
    return report, kept


def _save(
    folder: Path, options: BuildOptions, store: _Store, read: _Read, products: Products,
    blocks: Mapping[bytes, Block], kept: Mapping[str, int], report: BuildReport, now: datetime,
    children: contextlib.ExitStack,
) -> tuple[Diagnostic, ...]:  # fmt: skip
    """Keep in `folder` this build's parse results, and the records of what the output folder
    now holds: this build's site, or the last one's if this build failed to publish (it keeps
    its parse results all the same, for the next to parse only what changed). The warning
    if the cache could not be written."""
    if report.written is None:
        return _save_parsed(folder, store, read, blocks, store.state.outputs)
    # A first build leaves no copy of the site for the next to recycle as its stage: one is
    # linked meanwhile, or the next build would wait for 22,000 links (see check_files).
    copying = None
    if not options.spare.exists():
        linking = InChild(copy_site, options.spare, options.output, fork=options.fork)
        copying = children.enter_context(linking)
    reported = tuple(d for d in report.diagnostics if d not in read.notes)
    recorded = records.record_outputs(
        options.output, products.keys, store.state.outputs, kept, read.inputs_key,
        min(_waiting(read.parsing, now, options.drafts), default=None),
        (reported, report.articles, report.pages, report.scheduled),
    )  # fmt: skip
    unsaved = _save_parsed(folder, store, read, blocks, recorded)
    if copying is not None:
        copying.result()
    return unsaved


def _made_earlier(earlier: BuildReport | None, keys: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files of `earlier` made from the very keys `keys` has for them."""
    if earlier is None:
        return {}
    return {
        output.path: output.data
        for output in earlier.outputs
        if (key := keys.get(output.path)) is not None and earlier.keys.get(output.path) == key
    }


def _save_parsed(
    folder: Path, store: _Store, read: _Read, blocks: Mapping[bytes, Block],
    outputs: records.OutputRecords,
) -> tuple[Diagnostic, ...]:  # fmt: skip
    """Keep in `folder` this build's parse results and search-index blocks, and `outputs`:
    the records of the output folder (as they were, for a build that wrote no site).

    A cache that cannot be written (a full disk) is a warning: the site is right without it.
    """
    entries = {**read.parsing.entries, **blocks}
    try:
        cache.save(folder, store.stamp, store.state, read.known, entries, outputs, read.digests)
    except OSError as exc:
        return (cache.unsaved(str(folder), exc),)
    return ()


def _with_partners(
    site: Site, options: BuildOptions, now: datetime
) -> tuple[Site, tuple[Diagnostic, ...]]:
    """The site with its partners' news, fetched now (or their cached copies)."""
    from .partners import fetch_partners  # feedparser is slow to import; few sites need it

    config = site.config
    partners, problems = fetch_partners(
        config.partner_feeds, options.cache_dir / "partners", config_path=str(options.config),
        timeout=config.partner_timeout, tz=config.tz, now=now, offline=options.offline,
    )  # fmt: skip
    return dataclasses.replace(site, partners=partners), problems


def _sources(inputs: Inputs) -> list[Source]:
    return [s for s, _ in inputs.articles] + [*inputs.pages, *inputs.assets, *inputs.static]


def _inputs_key(settings: bytes, inputs: Inputs) -> bytes:
    """Everything a site is made of besides the clock: every file's name and bytes."""
    hasher = hashlib.blake2b(settings, digest_size=DIGEST_SIZE)
    for source in _sources(inputs):
        hasher.update(b"%d:%s%s" % (len(source.display), source.display.encode(), source.digest))
    return hasher.digest()


def _waiting(parsing: Parsing, now: datetime, drafts: bool) -> list[datetime]:
    """The dates of the articles left out until then (none with --drafts, which shows them):
    the site built now is right until the first."""
    if drafts:
        return []
    return [a.date for _, a in parsing.articles if not a.draft and a.date > now]


def _replay(last: records.OutputRecords) -> BuildReport:
    """The report of the build that left the output folder as it is, which nothing changed."""
    diagnostics, articles, pages, scheduled = last.report
    paths = tuple(last.files)
    return BuildReport(diagnostics, paths=paths, written=WriteStats(0, len(paths)),
                       articles=articles, pages=pages, scheduled=scheduled)  # fmt: skip
