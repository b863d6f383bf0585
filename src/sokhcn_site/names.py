"""Which files hold articles: one rule for discover, body links, slugs and `new`, so that a file
the build reads as an article is one everywhere else too."""

from __future__ import annotations

# What editors' tools name a Markdown file. Any letter case: Windows and its tools ignore case,
# so an editor cannot see why `Bai-moi.MD` would be different from `bai-moi.md`.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def markdown_stem(name: str) -> str | None:
    """`name` (a file name or path) without its Markdown suffix, or None if it has none."""
    for suffix in MARKDOWN_SUFFIXES:
        if name[-len(suffix) :].lower() == suffix:
            return name[: -len(suffix)]
    return None


def is_markdown(name: str) -> bool:
    """Whether the file `name` (a name or path) holds an article or a page, if it is placed
    where those go."""
    return markdown_stem(name) is not None
