"""sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .model import Output, Site


def _urls(site: Site) -> Iterable[tuple[str, str]]:
    """(site-relative path, lastmod or "") for every page worth indexing: not the search
    page, whose results are made in the browser (it is noindex)."""
    for listing in site.listings:
        newest = listing.items[0].date.date().isoformat() if listing.items else ""
        yield listing.path, newest
    for article in site.articles:
        yield article.path, article.modified.date().isoformat()
    for page in site.pages:
        yield page.path, ""


def build_sitemap(site: Site) -> tuple[Output, ...]:
    base = site.config.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']  # fmt: skip
    for path, lastmod in _urls(site):
        stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{escape(base + path, quote=False)}</loc>{stamp}</url>")
    lines.append("</urlset>\n")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"
    return (
        Output("sitemap.xml", "\n".join(lines).encode("utf-8")),
        Output("robots.txt", robots.encode("utf-8")),
    )
