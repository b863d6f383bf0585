"""Split article lists into numbered pages."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Article, Category, Listing, Teaser

# The folder of a listing's later pages: no article of a category may have it as its slug.
PAGINATION = "page"


def page_path(base: str, number: int) -> str:
    """Page 1 lives at `base`, page n at `base`page/n/."""
    return base if number == 1 else f"{base}{PAGINATION}/{number}/"


def paginate(
    items: Sequence[Teaser], size: int, *, base: str, title: str, feed_path: str,
    category: str | None = None,
) -> tuple[Listing, ...]:  # fmt: skip
    """Pages of `size` items; an empty list still gets its first page."""
    count = max(1, -(-len(items) // size))
    return tuple(
        Listing(
            title=title,
            number=number,
            count=count,
            items=tuple(items[(number - 1) * size : number * size]),
            path=page_path(base, number),
            prev_path=page_path(base, number - 1) if number > 1 else None,
            next_path=page_path(base, number + 1) if number < count else None,
            feed_path=feed_path,
            category=category,
        )
        for number in range(1, count + 1)
    )


def site_listings(
    articles: Sequence[Article], teasers: Sequence[Teaser], categories: Sequence[Category],
    size: int,
) -> tuple[Listing, ...]:  # fmt: skip
    """The home page's pages, then each category's: `articles` newest first, all of them,
    each shown as the teaser beside it in `teasers`."""
    by_source = dict(zip((a.source for a in articles), teasers, strict=True))

    def shown(articles: Sequence[Article]) -> tuple[Teaser, ...]:
        return tuple(by_source[a.source] for a in articles)

    home = paginate(shown(articles), size, base="", title="Tin mới nhất", feed_path="rss.xml")
    per_category = (
        paginate(
            shown(c.articles),
            size,
            base=c.path,
            title=c.name,
            feed_path=f"{c.path}rss.xml",
            category=c.slug,
        )
        for c in categories
    )
    return home + tuple(listing for pages in per_category for listing in pages)
