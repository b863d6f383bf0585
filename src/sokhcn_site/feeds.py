"""RSS 2.0 and Atom feeds, dated by their newest article, never by the clock."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .markup import URL_TAG
from .model import Article, Deferred, Site, SiteConfig

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

# An empty feed still needs a date; a fixed one keeps builds reproducible.
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_TYPES = {False: "application/rss+xml", True: "application/atom+xml"}
# In one of a sanitised body's URL-bearing tags (markup.URL_TAG: nh3 writes every attribute
# double-quoted, a '"' in a value as &quot;), its root-relative or in-page URL.
_LOCAL_URL = re.compile(r'(\s(?:href|src)=")(/(?!/)|#)')


def absolute_links(fragment: str, page: str) -> str:
    """`fragment` of the page at URL `page` with its links and images made absolute: a feed
    reader shows an item away from the site, where "/anh.jpg" and "#phan-2" lead nowhere."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page))

    def absolute(url: re.Match[str]) -> str:
        return url.group(1) + (origin + "/" if url.group(2) == "/" else page + "#")

    return URL_TAG.sub(lambda tag: _LOCAL_URL.sub(absolute, tag.group(0)), fragment)


def _feed(
    config: SiteConfig, articles: Sequence[Article], title: str, page: str, feed: str,
    atom: bool,
) -> FeedGenerator:  # fmt: skip
    """A feed of `articles` whose channel links to `page` and to itself at `feed`."""
    from feedgen.feed import FeedGenerator  # with lxml, slow to import; only when a feed is made

    base = config.base_url
    newest = max((a.modified for a in articles), default=_EPOCH)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(base + page)
    fg.title(title)
    fg.subtitle(config.about)
    # feedgen takes the RSS <link> from the last link given: the page, not the feed.
    fg.link(href=base + feed, rel="self", type=_TYPES[atom])
    fg.link(href=base + page, rel="alternate")
    fg.language("vi")
    fg.author({"name": config.publisher})
    fg.lastBuildDate(newest)
    fg.updated(newest)
    for article in articles:
        url = base + article.path
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(article.title)
        entry.link(href=url)
        entry.published(article.date)
        entry.updated(article.modified)
        # RSS readers take a description as HTML, Atom's summary is text: once escaped,
        # "&lt;img onerror=...&gt;" in a summary would be read as a tag.
        summary = article.summary or article.title
        entry.description(summary if atom else html.escape(summary, quote=False), isSummary=True)
        # As escaped HTML: Atom knows no content type "CDATA".
        entry.content(absolute_links(article.html, url), type="html")
        if article.author:
            entry.author({"name": article.author})
            entry.dc.dc_creator(article.author)
    return fg


def make_feed(
    config: SiteConfig, articles: tuple[Article, ...], title: str, page: str, feed: str,
    atom: bool,
) -> bytes:  # fmt: skip
    """The feed file at `feed`, in Atom or RSS 2.0."""
    made = _feed(config, articles, title, page, feed, atom)
    return made.atom_str(pretty=True) if atom else made.rss_str(pretty=True)


def category_feed_title(category: str, site: str) -> str:
    """The title of a category's feed, given the names of the category and of the site."""
    return f"{category} - {site}"


def feed_files(site: Site, fingerprint: Callable[[Any], bytes]) -> tuple[Deferred, ...]:
    """rss.xml and atom.xml for the site, and rss.xml for each category, each made only if
    it has to be written: keyed by the `fingerprint` of what it shows, so that an edit to an
    article no feed shows makes none."""
    config, size, title = site.config, site.config.feed_size, site.config.name
    newest = tuple(site.articles[:size])
    feeds = [(newest, title, "", "rss.xml", False), (newest, title, "", "atom.xml", True)] + [
        (category.articles[:size], category_feed_title(category.name, title), category.path,
         f"{category.path}rss.xml", False)
        for category in site.categories
    ]  # fmt: skip
    files = []
    for feed in feeds:
        args = (config, *feed)
        files.append(Deferred(feed[3], fingerprint((make_feed, args)), make_feed, args))
    return tuple(files)
