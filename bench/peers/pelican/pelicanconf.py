"""Pelican 4.12 settings for the benchmark's peer build.

Pelican reads the corpus after ``bench/peers/convert.py`` has rewritten its YAML
front matter as Pelican's native ``Key: value`` metadata (see that module for
why a conversion rather than the pelican-yaml-metadata plugin). The runner
passes the content and output folders on the command line; everything here is
about producing the same pages as our generator and nothing more.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent

SITENAME = "Sở Khoa học và Công nghệ tỉnh Thanh Hóa"
SITEURL = "https://example.org"
# Absolute links, as our generator writes them (the feed needs them anyway).
RELATIVE_URLS = False
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
# Pelican warns at start-up that docutils (its reStructuredText reader, unused
# here) has no Vietnamese; the noise would bury real warnings in the logs.
LOG_FILTER = [(logging.WARNING, "Docutils has no localization for '%s'. Using 'en' instead.")]

THEME = str(_HERE / "theme")
THEME_STATIC_PATHS: list[str] = []
PLUGIN_PATHS = [str(_HERE / "plugins")]
PLUGINS = ["other_news"]

# Category = first folder under content/, as in our generator. The runner
# passes display names with -e CATEGORY_NAMES='{...}' from bench/corpus.py.
USE_FOLDER_AS_CATEGORY = True
CATEGORY_NAMES: dict[str, str] = {}
# Images live in content/<category>/images/; articles reference them as
# {static}images/anh-N.png (the converter adds the {static} prefix).
STATIC_PATHS = [
    f"{slug}/images"
    for slug in (
        "tin-hoat-dong-cua-so",
        "khoa-hoc-cong-nghe",
        "so-huu-tri-tue",
        "tieu-chuan-do-luong",
        "thong-bao",
    )
]


def _newest_first(article: Any) -> tuple[float, str]:
    # Our order: date descending, then slug ascending. "reversed-date" alone
    # would leave same-minute articles in file-system order.
    return (-article.date.timestamp(), article.slug)


ARTICLE_ORDER_BY = _newest_first

ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
INDEX_SAVE_AS = "index.html"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
]

# Only what our generator produces: articles, home, categories, one RSS feed.
DIRECT_TEMPLATES = ["index"]
PAGINATED_TEMPLATES = {"index": None, "category": None}
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

FEED_ALL_RSS = "rss.xml"
FEED_MAX_ITEMS = 20
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Cold builds by default; the runner's rebuild figure turns the cache on
# with -e LOAD_CONTENT_CACHE=true CACHE_CONTENT=true.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
