"""RSS 2.0 and Atom feeds, dated by their newest article, never by the clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .model import Article, Output, Site, SiteConfig

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

# An empty feed still needs a date; a fixed one keeps builds reproducible.
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _feed(
    config: SiteConfig, articles: Sequence[Article], title: str, page: str, feed: str
) -> FeedGenerator:
    """A feed of `articles` whose channel links to `page` and to itself at `feed`."""
    from feedgen.feed import FeedGenerator  # with lxml, slow to import; only when a feed is made

    base = config.base_url
    newest = max((a.updated or a.date for a in articles), default=_EPOCH)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(base + page)
    fg.title(title)
    fg.subtitle(config.description or config.name)
    # feedgen takes the RSS <link> from the last link given: the page, not the feed.
    fg.link(href=base + feed, rel="self")
    fg.link(href=base + page, rel="alternate")
    fg.language("vi")
    fg.author({"name": config.footer.name or config.name})
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
        entry.updated(article.updated or article.date)
        entry.description(article.summary or article.title, isSummary=True)
        entry.content(article.html, type="CDATA")
        if article.author:
            entry.author({"name": article.author})
            entry.dc.dc_creator(article.author)
    return fg


def build_feeds(site: Site) -> tuple[Output, ...]:
    """rss.xml and atom.xml for the site, and rss.xml for each category."""
    size = site.config.feed_size
    title = site.config.name
    newest = site.articles[:size]
    outputs = [
        Output("rss.xml", _feed(site.config, newest, title, "", "rss.xml").rss_str(pretty=True)),
        Output("atom.xml", _feed(site.config, newest, title, "", "atom.xml").atom_str(pretty=True)),
    ]
    for category in site.categories:
        rss = f"{category.path}rss.xml"
        feed = _feed(
            site.config, category.articles[:size], f"{category.name} - {title}", category.path, rss
        )
        outputs.append(Output(rss, feed.rss_str(pretty=True)))
    return tuple(outputs)
