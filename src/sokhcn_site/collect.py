"""Assemble the whole site: order, categories, "Các tin khác", cross-links."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from .config import how_to_declare
from .dates import format_date
from .discover import RESERVED
from .errors import Diagnostic, error, warning
from .listings import PAGINATION, site_listings
from .markup import MD_LINK
from .model import Article, ArticleLink, Category, Origin, Page, Site, SiteConfig, Teaser
from .references import by_case, case_hint


def newest_first(articles: Sequence[Article]) -> tuple[Article, ...]:
    """Date descending, then slug ascending: a total order, whatever the input order."""
    return tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug, a.category)))


def is_published(article: Article, now: datetime) -> bool:
    return not article.draft and article.date <= now


def preview_badges(site: Site, now: datetime) -> dict[str, str]:
    """Labels for what only a preview shows, by page path: drafts and articles not yet due."""
    badges = {p.path: "Bản nháp" for p in site.pages if p.draft}
    for article in site.articles:
        if article.draft:
            badges[article.path] = "Bản nháp"
        elif article.date > now:
            badges[article.path] = "Hẹn giờ đăng"
    return badges


def select_other_news(ordered: Sequence[Article], index: int, size: int) -> tuple[Article, ...]:
    """The `size` articles just older than ordered[index], topped up with the nearest newer ones.

    `ordered` is one category, newest first; the result is newest first too.
    """
    older = list(ordered[index + 1 : index + 1 + size])
    missing = size - len(older)
    newer = list(ordered[max(0, index - missing) : index]) if missing > 0 else []
    return (*newer, *older)


def _other_news(
    articles: tuple[Article, ...], categories: tuple[Category, ...], size: int
) -> tuple[tuple[Article, ...], ...]:
    chosen: dict[str, tuple[Article, ...]] = {}  # by source
    for category in categories:
        for index, article in enumerate(category.articles):
            chosen[article.source] = select_other_news(category.articles, index, size)
    return tuple(chosen[a.source] for a in articles)


def _categories(config: SiteConfig, articles: tuple[Article, ...]) -> tuple[Category, ...]:
    by_slug: dict[str, list[Article]] = {slug: [] for slug, _ in config.categories}
    for article in articles:
        by_slug.setdefault(article.category, []).append(article)
    declared = [slug for slug, _ in config.categories]
    order = declared + sorted(set(by_slug) - set(declared))
    result = []
    for slug in order:
        members = tuple(by_slug[slug])
        labels = [a.category_label for a in members if a.category_label]
        name = config.declared_category(slug) or (labels[0] if labels else slug)
        result.append(Category(slug, name, members))
    return tuple(result)


def _unusable_slugs(articles: Sequence[Article]) -> list[Diagnostic]:
    """Articles whose URL another article of the category, or its listing pages, has."""
    seen: dict[tuple[str, str], Article] = {}
    problems = []
    for article in sorted(articles, key=lambda a: a.source):
        first = seen.setdefault(article.key, article)
        if article.slug == PAGINATION:
            problems.append(error(
                article.source, 1,
                f"slug '{PAGINATION}' dành riêng cho các trang sau của danh sách chuyên mục "
                f"({article.category}/{PAGINATION}/2/...); đổi tên tệp hoặc thêm `slug: ...` khác",
            ))  # fmt: skip
        elif first is not article:
            problems.append(error(
                article.source, 1,
                f"slug '{article.slug}' đã được dùng bởi {first.source} trong cùng chuyên mục; "
                "đổi tên tệp hoặc thêm `slug: ...` khác",
            ))  # fmt: skip
    return problems


def _undeclared_categories(config: SiteConfig, articles: Sequence[Article]) -> list[Diagnostic]:
    """When the config lists the categories, a folder it does not list is a typo or forgotten."""
    declared = [slug for slug, _ in config.categories]
    if not declared:
        return []
    problems = []
    for article in sorted(articles, key=lambda a: a.source):
        if article.category in declared:
            continue
        close = difflib.get_close_matches(article.category, declared, n=1)
        hint = f"có phải ý bạn là '{close[0]}'? " if close else ""
        problems.append(error(
            article.source, 1,
            f"chuyên mục '{article.category}' chưa được khai báo trong 'categories' của "
            f"{config.file}; {hint}chuyển bài vào một thư mục đã khai báo "
            f"({', '.join(declared)}), hoặc khai báo thêm chuyên mục này: "
            + how_to_declare(config.file, article.category, article.category_label),
        ))  # fmt: skip
    return problems


def _page_collisions(pages: Sequence[Page], categories: set[str]) -> list[Diagnostic]:
    seen: dict[str, Page] = {}
    problems = []
    for page in pages:
        first = seen.setdefault(page.slug, page)
        if first is not page:
            problems.append(error(
                page.source, 1,
                f"slug '{page.slug}' trùng với {first.source}; đổi tên một trong hai tệp "
                "hoặc thêm `slug: ...` khác",
            ))  # fmt: skip
        elif page.slug in categories or page.slug in RESERVED:
            problems.append(error(
                page.source, 1, f"slug '{page.slug}' trùng với một chuyên mục hoặc tên dành riêng; "
                "đổi tên tệp hoặc thêm `slug: ...` khác"
            ))  # fmt: skip
    return problems


def _link_items(
    items: Sequence[tuple[Origin, Article | Page]], shown: set[str], base_path: str
) -> tuple[dict[str, Article | Page], list[Diagnostic]]:
    """Replace links to .md files by the URLs of the articles and pages they name.

    `shown` holds the sources of published items; the result is keyed by source.
    """
    by_rel = {source.rel: item for source, item in items}
    rel_by_case = by_case(by_rel)
    problems: list[Diagnostic] = []
    linked: dict[str, Article | Page] = {}
    for source, item in items:
        if not source.md_links:  # most bodies (which may still be in the cache's files)
            continue

        seen: Counter[str] = Counter()  # each link is told at its own line

        def url(match: re.Match[str], source: Origin = source, seen: Counter[str] = seen) -> str:
            target = by_rel.get(match.group(1))
            line = source.line_of(match[0], seen[match[0]])
            seen[match[0]] += 1
            if target is None:
                found = rel_by_case(match.group(1))
                advice = (
                    "kiểm tra tên tệp (cả phần ngày ở đầu tên) hoặc bỏ liên kết"
                    if found is None
                    else f"có bài {case_hint(found)}"
                )
                problems.append(error(
                    source.display, line,
                    f"liên kết tới '{match.group(1)}' nhưng không có bài viết đó; {advice}",
                ))  # fmt: skip
                return match.group(0)
            if target.source not in shown:
                problems.append(warning(
                    source.display, line,
                    f"liên kết tới bài chưa đăng (nháp hoặc hẹn giờ) {target.source}; liên kết "
                    "sẽ dẫn tới trang không có cho tới khi bài đó được đăng",
                ))  # fmt: skip
            return base_path + target.path

        linked[item.source] = replace(item, body=MD_LINK.sub(url, item.html).encode())
    return linked, problems


# A date further ahead than this is more likely a slip of the year (2062 for 2026) than an
# article scheduled on purpose: it would wait, unseen, for decades.
FAR_OFF = timedelta(days=366)


def _far_off(parsed: Sequence[tuple[Origin, Article]], now: datetime) -> list[Diagnostic]:
    """A warning for each article that waits for a date over FAR_OFF from `now`."""
    return [
        warning(
            origin.display,
            origin.line_of("date:"),
            f"ngày đăng {format_date(article.date)} còn hơn một năm nữa: bài chỉ được xuất "
            "bản khi đến ngày đó; hãy xem lại năm",
        )
        for origin, article in parsed
        if not article.draft and article.date - now > FAR_OFF
    ]


def collect(
    config: SiteConfig,
    parsed: Sequence[tuple[Origin, Article]],
    pages: Sequence[tuple[Origin, Page]],
    *,
    now: datetime,
    include_drafts: bool = False,
) -> tuple[Site, list[Diagnostic]]:
    """Everything the renderer needs, computed once for the whole site."""
    duplicates = _unusable_slugs([a for _, a in parsed])
    # The later of two articles with one URL stays out, so the rest can still be rendered.
    rejected = {d.path for d in duplicates}
    articles = [a for _, a in parsed if a.source not in rejected]
    problems = duplicates + _undeclared_categories(config, articles)
    if not include_drafts:
        problems += _far_off(parsed, now)
    visible = [a for a in articles if include_drafts or is_published(a, now)]
    shown_pages = tuple(
        p for _, p in sorted(pages, key=lambda x: x[1].slug) if include_drafts or not p.draft
    )
    shown = {a.source for a in visible} | {p.source for p in shown_pages}
    kept = [(s, a) for s, a in parsed if a.source not in rejected]
    linked, link_problems = _link_items([*kept, *pages], shown, config.base_path)
    problems += link_problems
    ordered = newest_first([linked.get(a.source, a) for a in visible])
    teasers = tuple(Teaser.of(a) for a in ordered)
    categories = _categories(config, ordered)
    shown_pages = tuple(linked.get(p.source, p) for p in shown_pages)
    collisions = _page_collisions(shown_pages, {c.slug for c in categories})
    problems += collisions
    shown_pages = tuple(p for p in shown_pages if p.source not in {d.path for d in collisions})
    site = Site(
        config=config,
        articles=ordered,
        categories=categories,
        pages=shown_pages,
        other_news=_other_news(ordered, categories, config.other_news),
        teasers=teasers,
        links=tuple(ArticleLink.of(a) for a in ordered),
        listings=site_listings(ordered, teasers, categories, config.page_size),
    )
    return site, problems
