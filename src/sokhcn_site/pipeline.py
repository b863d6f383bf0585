"""The one place that knows the order of a build's steps."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .collect import collect, preview_badges
from .config import load_config
from .discover import Inputs, discover
from .errors import Diagnostic, error, has_errors
from .feeds import build_feeds
from .model import Article, Output, Page, Site, SiteConfig, Source
from .parse import parse_article, parse_page
from .partners import fetch_partners
from .references import check_references
from .render import plan, render_page
from .site_search import article_text, build_site_search
from .sitemap import build_sitemap
from .templates import make_environment
from .write import WriteStats, safe_relative, write_failure, write_site


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


# Told (step, done, total) as a long step works through its items; the CLI draws a bar with it.
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True, slots=True)
class BuildReport:
    diagnostics: tuple[Diagnostic, ...]
    config_failed: bool = False  # the configuration or a folder option is unusable
    site: Site | None = None
    outputs: tuple[Output, ...] = ()
    written: WriteStats | None = None  # None when nothing was written

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


def _parse_all(
    inputs: Inputs, config: SiteConfig, progress: Progress
) -> tuple[list[tuple[Source, Article]], list[tuple[Source, Page]], list[Diagnostic]]:
    articles: list[tuple[Source, Article]] = []
    pages: list[tuple[Source, Page]] = []
    problems = list(inputs.diagnostics)
    total = len(inputs.articles) + len(inputs.pages)
    for done, (source, category) in enumerate(inputs.articles, 1):
        parsed = parse_article(source, category, config)
        problems.extend(parsed.diagnostics)
        if isinstance(parsed.item, Article):
            articles.append((source, parsed.item))
        progress("parse", done, total)
    for done, source in enumerate(inputs.pages, len(inputs.articles) + 1):
        parsed = parse_page(source, config)
        problems.extend(parsed.diagnostics)
        if isinstance(parsed.item, Page):
            pages.append((source, parsed.item))
        progress("parse", done, total)
    return articles, pages, problems


def _render_all(
    site: Site, templates: Path, badges: Mapping[str, str], progress: Progress
) -> tuple[list[Output], list[Diagnostic]]:
    env = make_environment(templates, site.config.base_path)
    outputs: list[Output] = []
    problems: list[Diagnostic] = []
    jobs = plan(site, badges)
    for done, job in enumerate(jobs, 1):
        result = render_page(env, job)
        if isinstance(result, Output):
            outputs.append(result)
        elif result not in problems:  # one broken template fails every page alike
            problems.append(result)
        progress("render", done, len(jobs))
    return outputs, problems


def _copies(inputs: Inputs) -> list[Output]:
    """Static files and the images and attachments kept beside articles."""
    return [Output(f"static/{s.rel}", s.data) for s in inputs.static] + [
        Output(s.rel, s.data) for s in inputs.assets
    ]


def _collisions(outputs: list[Output]) -> list[Diagnostic]:
    counts = Counter(o.path for o in outputs)
    return [error(path, 1, "two inputs produce this same output file") for path, n in
            sorted(counts.items()) if n > 1]  # fmt: skip


def _escapes(outputs: list[Output]) -> list[Diagnostic]:
    """The last guard: whatever slipped past the steps before must not reach write."""
    problems = []
    for output in outputs:
        try:
            safe_relative(output.path)
        except ValueError as exc:
            problems.append(error(output.path, 1, str(exc)))
    return problems


def _references(
    site: Site, outputs: list[Output], parsed: list[tuple[Source, Article | Page]]
) -> list[Diagnostic]:
    shown = {item.source for item in (*site.articles, *site.pages)}
    unpublished = {item.path for _, item in parsed if item.source not in shown}
    sources = {source.display: source for source, _ in parsed}
    return check_references(site, outputs, sources, unpublished)


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
    progress = progress or _no_progress
    config, problems = load_config(options.config, options.base_url)
    problems += _folders(options) + (_output_overlaps(options) if write else [])
    if config is None or has_errors(problems):
        return BuildReport(tuple(problems), config_failed=True)
    inputs = discover(options.content, options.static)
    parsed, pages, problems = _parse_all(inputs, config, progress)
    site, site_problems = collect(config, parsed, pages, now=now, include_drafts=options.drafts)
    problems += site_problems
    if write and not has_errors(problems):  # partner feeds matter only to a published site
        partners, partner_problems = fetch_partners(
            config.partner_feeds, options.cache_dir / "partners", config_path=str(options.config),
            timeout=config.partner_timeout, tz=config.tz, now=now, offline=options.offline,
        )  # fmt: skip
        site = dataclasses.replace(site, partners=partners)
        problems += partner_problems
    # Render even after content errors: one run reports every problem, templates' too.
    badges = preview_badges(site, now) if options.preview else {}
    outputs, render_problems = _render_all(site, options.templates, badges, progress)
    problems += render_problems
    outputs += [*build_feeds(site), *build_sitemap(site), *_copies(inputs)]
    # article_text is per article and pure: the step a parse cache or worker pool can take over.
    outputs += build_site_search(site, [article_text(a) for a in site.articles])
    problems += _collisions(outputs) + _escapes(outputs)
    problems += _references(site, outputs, [*parsed, *pages])
    if has_errors(problems) or not write:
        return BuildReport(tuple(sorted(problems)), site=site, outputs=tuple(outputs))
    try:
        stats = write_site(outputs, options.output)
    except OSError as exc:
        problems.append(write_failure(options.output, exc))
        return BuildReport(tuple(sorted(problems)), site=site, outputs=tuple(outputs))
    return BuildReport(tuple(sorted(problems)), site=site, outputs=tuple(outputs), written=stats)
