"""Attach the "Các tin khác" list to every Pelican article.

A plugin rather than Jinja: finding an article's position in its category from
a template means scanning the category list once per article (quadratic), which
would make Pelican look slower than the work requires. Our generator picks the
box from each category's sorted list by position; this does the same, once.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

OTHER_NEWS = 7


def _pick(ordered: list[Any], index: int, size: int) -> list[Any]:
    # The articles just older (next in newest-first order), nearest first;
    # when fewer than `size` exist, the nearest newer ones, nearest first.
    older = ordered[index + 1 : index + 1 + size]
    need = size - len(older)
    newer = ordered[max(0, index - need) : index][::-1]
    return older + newer


def attach_other_news(generator: Any) -> None:
    for _category, articles in generator.categories:
        for index, article in enumerate(articles):
            article.other_news = _pick(articles, index, OTHER_NEWS)


def register() -> None:
    signals.article_generator_finalized.connect(attach_other_news)
