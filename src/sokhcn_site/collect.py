"""Assemble the whole site: order, categories, "Các tin khác", cross-links."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from .discover import RESERVED
from .errors import Diagnostic, error, warning
from .markup import MD_LINK_MARKER
from .model import Article, Category, Page, Site, SiteConfig, Source

_MD_LINK = re.compile(re.escape(MD_LINK_MARKER) + r'([^"#?]*)')


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
    chosen: dict[tuple[str, str], tuple[Article, ...]] = {}
    for category in categories:
        for index, article in enumerate(category.articles):
            chosen[article.key] = select_other_news(category.articles, index, size)
    return tuple(chosen[a.key] for a in articles)


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


def _duplicate_slugs(articles: Sequence[Article]) -> list[Diagnostic]:
    seen: dict[tuple[str, str], Article] = {}
    problems = []
    for article in sorted(articles, key=lambda a: a.source):
        first = seen.setdefault(article.key, article)
        if first is not article:
            problems.append(error(
                article.source, 1,
                f"slug '{article.slug}' đã được dùng bởi {first.source} trong cùng chuyên mục; "
                "đổi tên tệp hoặc thêm `slug: ...` khác",
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


def _line_of(source: Source, needle: str) -> int:
    text = source.data.decode("utf-8", "replace")
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else 1


def _link_articles(
    parsed: Sequence[tuple[Source, Article]], published: set[tuple[str, str]], base_path: str
) -> tuple[dict[tuple[str, str], Article], list[Diagnostic]]:
    """Replace links to .md files by the URLs of the articles they name."""
    by_rel = {source.rel: article for source, article in parsed}
    problems: list[Diagnostic] = []
    linked: dict[tuple[str, str], Article] = {}
    for source, article in parsed:
        if MD_LINK_MARKER not in article.html:
            continue

        def url(match: re.Match[str], source: Source = source) -> str:
            target = by_rel.get(match.group(1))
            name = match.group(1).rsplit("/", 1)[-1]
            if target is None:
                problems.append(error(
                    source.display, _line_of(source, name),
                    f"liên kết tới '{match.group(1)}' nhưng không có bài viết đó; kiểm tra tên tệp "
                    "(cả phần ngày ở đầu tên) hoặc bỏ liên kết",
                ))  # fmt: skip
                return match.group(0)
            if target.key not in published:
                problems.append(warning(
                    source.display, _line_of(source, name),
                    f"liên kết tới bài chưa đăng (nháp hoặc hẹn giờ) {target.source}; liên kết "
                    "sẽ dẫn tới trang không có cho tới khi bài đó được đăng",
                ))  # fmt: skip
            return base_path + target.path

        linked[article.key] = replace(article, html=_MD_LINK.sub(url, article.html))
    return linked, problems


def collect(
    config: SiteConfig,
    parsed: Sequence[tuple[Source, Article]],
    pages: Sequence[Page],
    *,
    now: datetime,
    include_drafts: bool = False,
) -> tuple[Site, list[Diagnostic]]:
    """Everything the renderer needs, computed once for the whole site."""
    articles = [a for _, a in parsed]
    problems = _duplicate_slugs(articles)
    visible = [a for a in articles if include_drafts or is_published(a, now)]
    linked, link_problems = _link_articles(parsed, {a.key for a in visible}, config.base_path)
    problems += link_problems
    ordered = newest_first([linked.get(a.key, a) for a in visible])
    categories = _categories(config, ordered)
    shown_pages = tuple(
        p for p in sorted(pages, key=lambda p: p.slug) if include_drafts or not p.draft
    )
    problems += _page_collisions(shown_pages, {c.slug for c in categories})
    site = Site(
        config=config,
        articles=ordered,
        categories=categories,
        pages=shown_pages,
        other_news=_other_news(ordered, categories, config.other_news),
    )
    return site, problems
