"""An article as the search index sees it: its plain text and the fields a result shows."""

from __future__ import annotations

import html
import re
from datetime import UTC

from .dates import format_date
from .model import Article
from .search import SearchEntry, index_text

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


def search_entry(article: Article) -> SearchEntry:
    """What the index needs of an article: the costly, per-article part of indexing, pure."""
    return SearchEntry(
        url=article.path,
        title=article.title,
        date=format_date(article.date),
        sort_key=article.date.astimezone(UTC).isoformat(),
        category=article.category,
        indexed=index_text(article.title, plain_text(article.html), _shown_beside(article)),
    )


def _shown_beside(article: Article) -> str:
    """What readers see of an article besides its title and body: its tags and signature on
    its page, its summary in listings (the body's first paragraph unless one is written)."""
    return "\n".join((*article.tags, article.author, article.department, article.summary))
