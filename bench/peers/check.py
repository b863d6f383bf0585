"""Check a peer's output against the corpus: pages present, boxes and listings right.

A speed ratio means little if a peer skipped pages or built different ones, so
the runner counts pages, and these checks compare the "Các tin khác" boxes and
the first listing pages with the order our generator uses (date desc, slug asc).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from .convert import article_key, articles

OTHER_NEWS = 7
PAGE_SIZE = 10

_DATE = re.compile(r"^date:\s*(\S+)(?:\s+(\d{2}:\d{2}))?\s*$", re.MULTILINE)
_BOX = re.compile(r'<ul class="other-news">(.*?)</ul>', re.DOTALL)
_LISTING = re.compile(r'<ul class="listing">(.*?)</ul>', re.DOTALL)
_HREF = re.compile(r'href="(?:https?://[^/"]+)?/([^"]*)"')

Key = tuple[str, str]  # (category, slug)


def _moment(path: Path) -> datetime:
    head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    match = _DATE.search(head)
    if not match:
        raise ValueError(f"{path}: no date")
    return datetime.fromisoformat(f"{match.group(1)} {match.group(2) or '00:00'}")


def newest_first(corpus_root: Path) -> list[tuple[datetime, Key]]:
    """Every article as (moment, key), in listing order: date desc, slug asc."""
    dated = [(_moment(p), article_key(p)) for p in articles(corpus_root)]
    dated.sort(key=lambda item: (-item[0].timestamp(), item[1][1]))
    return dated


def expected_other_news(corpus_root: Path) -> dict[Key, list[Key]]:
    """The box of every article: the 7 just older in its category, nearest
    first, then (if fewer than 7 exist) the nearest newer ones, nearest first."""
    by_category: dict[str, list[Key]] = defaultdict(list)
    for _, key in newest_first(corpus_root):
        by_category[key[0]].append(key)
    boxes: dict[Key, list[Key]] = {}
    for ordered in by_category.values():
        for i, key in enumerate(ordered):
            older = ordered[i + 1 : i + 1 + OTHER_NEWS]
            newer = ordered[max(0, i - (OTHER_NEWS - len(older))) : i][::-1]
            boxes[key] = older + newer
    return boxes


def article_page(out: Path, key: Key) -> Path:
    return out / key[0] / key[1] / "index.html"


def count_article_pages(out: Path, categories: list[str]) -> int:
    """Pages at <category>/<slug>/index.html (listing pages live under page/)."""
    return sum(
        1
        for category in categories
        for page in (out / category).glob("*/index.html")
        if page.parent.name != "page"
    )


def missing_article_pages(out: Path, corpus_root: Path) -> int:
    return sum(1 for p in articles(corpus_root) if not article_page(out, article_key(p)).is_file())


def _keys(fragment: str) -> list[Key]:
    keys: list[Key] = []
    for href in _HREF.findall(fragment):
        parts = href.strip("/").split("/")
        if len(parts) == 2:
            keys.append((parts[0], parts[1]))
    return keys


def other_news_mismatches(out: Path, corpus_root: Path) -> int:
    """Article pages whose "Các tin khác" box differs from the expected one."""
    wrong = 0
    for key, expected in expected_other_news(corpus_root).items():
        page = article_page(out, key)
        match = _BOX.search(page.read_text(encoding="utf-8")) if page.is_file() else None
        if match is None or _keys(match.group(1)) != expected:
            wrong += 1
    return wrong


def listing_mismatches(out: Path, corpus_root: Path) -> int:
    """First pages (home and each category) whose 10 items differ from ours."""
    ordered = [key for _, key in newest_first(corpus_root)]
    expected: dict[Path, list[Key]] = {out / "index.html": ordered[:PAGE_SIZE]}
    for category in sorted({key[0] for key in ordered}):
        in_category = [key for key in ordered if key[0] == category]
        expected[out / category / "index.html"] = in_category[:PAGE_SIZE]
    wrong = 0
    for page, keys in expected.items():
        match = _LISTING.search(page.read_text(encoding="utf-8")) if page.is_file() else None
        if match is None or _keys(match.group(1)) != keys:
            wrong += 1
    return wrong
