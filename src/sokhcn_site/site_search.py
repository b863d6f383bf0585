"""The site's articles to search index files: plain text per article, then the whole index."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC

from .dates import format_date
from .model import Article, Output, Site
from .search import IndexedText, SearchEntry, build_search_index, index_text

# Tags that separate words; the others (b, a, span...) may sit inside a word.
_BREAK = re.compile(
    r"<(?:/?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|table|caption|tr|td|th|thead|tbody|tfoot"
    r"|blockquote|pre|figure|figcaption|details|summary)|img|iframe)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def plain_text(fragment: str) -> str:
    """The text a reader sees in sanitised body HTML."""
    return html.unescape(_TAG.sub("", _BREAK.sub(" ", fragment)))


def article_text(article: Article) -> IndexedText:
    """The costly, per-article part of indexing: a pure function of the article, cacheable."""
    return index_text(article.title, plain_text(article.html))


def build_site_search(site: Site, texts: Sequence[IndexedText]) -> tuple[Output, ...]:
    """The index files of ``site.articles``, whose ``article_text`` values are ``texts``."""
    names = {c.slug: c.name for c in site.categories}
    entries = [
        SearchEntry(
            url=article.path,
            title=article.title,
            date=format_date(article.date),
            sort_key=article.date.astimezone(UTC).isoformat(),
            category=names[article.category],
            indexed=text,
        )
        for article, text in zip(site.articles, texts, strict=True)
    ]
    return build_search_index(entries)
