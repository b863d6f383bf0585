"""Markdown to HTML as Python-Markdown makes it with "extra" and "sane_lists", without the
processors that a body has no syntax for: the same HTML, a third faster."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import markdown
    import markdown.util


# What a body must contain for an extension of "extra" to change its HTML: table pipes,
# attribute lists' braces, raw HTML (md_in_html), footnotes, abbreviations, fences, and a
# line starting (after quote or list marks) with a definition's ':'. A body with none of it
# renders the same without them, a sixth faster: Python-Markdown tries every extension's
# patterns on every block and every run of text.
_EXTRA_SYNTAX = ("|", "{", "<", "[^", "*[", "```", "~~~")
_BEFORE_DEFINITION = re.compile(r"[ \t>*+\-\d.)]*")


def needs_extra(text: str) -> bool:
    # Looked for in the text as Python-Markdown's clean-up leaves it (see _SYNTAX):
    # dropping \x02 and \x03 could join two marks, and a lone \r ends a line.
    if "\x02" in text or "\x03" in text:
        text = text.replace("\x02", "").replace("\x03", "")
    if "\r" in text:
        text = text.replace("\r", "\n")
    return any(_has(text, mark) for mark in _EXTRA_SYNTAX) or _has_definition(text)


def _has(text: str, mark: str) -> bool:
    # Looking for one character is many times faster than for two, and a body often lacks
    # one of a longer mark's characters.
    return all(char in text for char in mark) and mark in text


def _has_definition(text: str) -> bool:
    """Whether a line starts with ':' after quote or list marks: a regular expression
    anchored at every line is about ten times slower than looking before each ':'."""
    start, colon = 0, text.find(":")
    while colon != -1:
        start = max(start, text.rfind("\n", start, colon) + 1)  # the line's start
        if _BEFORE_DEFINITION.fullmatch(text, start, colon):
            return True
        # A later ':' on this line has this one before it: go to the next line.
        end = text.find("\n", colon)
        if end == -1:
            return False
        start, colon = end + 1, text.find(":", end + 1)
    return False


# Python-Markdown's own processors, by what a body must contain for each to change its HTML:
# the inline patterns are tried on every run of text, the block ones on every block, and two
# fifths of the time go to those that find nothing. Its clean-up first drops \x02 and \x03
# (which could join two marks), turns \r into \n and tabs into spaces (which could end a
# line with two spaces, a line break, or space out a rule's dashes).
# A rule is three or more of "-", "*" or "_", at most two spaces apart (a tab may make two).
_RULE = ("--", "- -", "-  -", "**", "* *", "*  *", "__", "_ _", "_  _", "\t")
_SYNTAX = {
    ("inline", "backtick"): ("`",), ("inline", "escape"): ("\\",), ("inline", "entity"): ("&",),
    ("inline", "linebreak"): ("  \n", "  \r", "\t"),
    ("inline", "html"): ("<",), ("inline", "autolink"): ("<",), ("inline", "automail"): ("<",),
    ("inline", "link"): ("[",), ("inline", "image_link"): ("![",),
    # References match only what a definition "[name]: url" names.
    ("inline", "reference"): ("]:",), ("inline", "short_reference"): ("]:",),
    ("inline", "image_reference"): ("]:",), ("inline", "short_image_ref"): ("]:",),
    ("block", "reference"): ("]:",),
    # Emphasis: "em_strong" alone since Python-Markdown 3.11.1, with these two before.
    ("inline", "em_strong"): ("*", "_"), ("inline", "em_strong2"): ("_",),
    ("inline", "not_strong"): ("*", "_"),
    ("block", "hashheader"): ("#",), ("block", "quote"): (">",), ("block", "hr"): _RULE,
    ("pre", "html_block"): ("<", "&"),
    ("tree", "unescape"): ("\\",),  # restores what "escape" hid
}  # fmt: skip
_MARKS = frozenset(mark for marks in _SYNTAX.values() for mark in marks)


def unused_processors(text: str) -> frozenset[tuple[str, str]]:
    """The processors (kind, name) of Python-Markdown that cannot change the HTML of `text`."""
    if "\x02" in text or "\x03" in text:
        return frozenset()
    present = {mark for mark in _MARKS if _has(text, mark)}
    return frozenset(name for name, marks in _SYNTAX.items() if present.isdisjoint(marks))


# One per mix of what bodies lack, each built in about the time an article renders.
@lru_cache(maxsize=256)
def _markdown(extra: bool, unused: frozenset[tuple[str, str]] = frozenset()) -> markdown.Markdown:
    # Imported here, like nh3 below: a build whose files did not change never parses one,
    # and starts faster without them.
    import markdown
    from markdown.extensions import (
        abbr,
        attr_list,
        def_list,
        fenced_code,
        footnotes,
        md_in_html,
        sane_lists,
        tables,
    )

    # "extra" and "sane_lists", as instances: named, each would be looked up among every
    # installed package's entry points (importlib.metadata: 30 ms of an edit rebuild).
    # Building the extension set costs more than rendering a short article; reuse it.
    extensions: list[markdown.Extension] = [sane_lists.SaneListExtension()]
    if extra:
        extensions += [
            fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(),
            attr_list.AttrListExtension(), def_list.DefListExtension(), tables.TableExtension(),
            abbr.AbbrExtension(), md_in_html.MarkdownInHtmlExtension(),
        ]  # fmt: skip
    converter = markdown.Markdown(extensions=extensions, output_format="html")
    registries = processors(converter)
    for kind, name in unused:
        registries[kind].deregister(name, strict=False)  # each version has its own names
    return converter


def processors(converter: markdown.Markdown) -> dict[str, markdown.util.Registry[Any]]:
    """The registries of `converter`'s processors, by the kinds _SYNTAX names."""
    return {
        "inline": converter.inlinePatterns, "block": converter.parser.blockprocessors,
        "pre": converter.preprocessors, "tree": converter.treeprocessors,
    }  # fmt: skip


def render_markdown(text: str, *, extra: bool | None = None) -> str:
    """`text` as HTML, as Python-Markdown with "extra" and "sane_lists" makes it.

    By default, what `text` has no syntax for is left out (the same HTML, a third faster);
    `extra=True` runs everything, `extra=False` leaves out the extensions of "extra" only.
    """
    if extra is None:
        extra = needs_extra(text)
        converter = _markdown(extra, frozenset() if extra else unused_processors(text))
    else:
        converter = _markdown(extra)
    converter.reset()
    try:
        return converter.convert(text)
    except BaseException:
        # Interrupted halfway (RecursionError on deep nesting), a converter keeps state
        # that makes every later conversion return its input unchanged: start afresh.
        _markdown.cache_clear()
        raise
