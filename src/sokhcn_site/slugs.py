"""Slugs, the names of articles and categories in URLs, as python-slugify makes them."""

from __future__ import annotations

import re

# What python-slugify gives (with its defaults), and every such string it leaves as it is.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: str) -> bool:
    return _SLUG.fullmatch(text) is not None


def slug_of(text: str) -> str:
    """python-slugify's slug of `text`.

    Names are mostly slugs already, and then python-slugify is neither called nor imported:
    a rebuild that parses no file does not import it (~8 ms).
    """
    if is_slug(text):
        return text
    from slugify import slugify

    return slugify(text)
