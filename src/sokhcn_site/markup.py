"""Markdown to safe HTML: render (see rendering.py), sanitise and resolve the body's links."""

from __future__ import annotations

import html
import posixpath
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from .names import is_markdown
from .rendering import render_markdown

# Internal links to other articles' Markdown files are resolved once the whole site is known;
# until then they carry this root-relative marker, which the sanitiser leaves alone.
MD_LINK_MARKER = "/__sokhcn_md__/"
MD_LINK = re.compile(re.escape(MD_LINK_MARKER) + r'([^"#?]*)')  # group 1: the file's rel path
# Ids in bodies get this prefix so an editor's id (or a footnote's) never clashes with the
# page's own, such as the skip link's #noi-dung; fragments that point into bodies get it too.
BODY_ID_PREFIX = "nd-"

_TAGS = frozenset(
    (
        "a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em "
        "figcaption figure h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p pre q s small "
        "span strong sub summary sup table tbody td tfoot th thead tr u ul"
    ).split()
)
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
_URL_ATTRIBUTES = frozenset({"href", "src"})
# A paragraph, with or without attributes ("{: .lead}" gives <p class="lead">); not <pre>.
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class BodyContext:
    """What resolving a body's relative links needs to know."""

    source_rel: str  # e.g. "tin/2020-01-14-a.md", relative to content/
    base_path: str  # e.g. "/portal/"
    video_hosts: tuple[str, ...]


_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_OPENING_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
# An attribute's value with a scheme; whether it is an href or a src is looked at after: a
# pattern that starts with "=" is found ten times faster than one that starts with a name.
_SCHEMED_VALUE = re.compile(r"""=["']?\s*([a-zA-Z][a-zA-Z0-9+.\-]*):""")


# Schemes of a picture that can never be shown from the site: a path on the editor's own
# computer, or the picture's bytes pasted into the text (both come from Word).
_PASTED_SCHEMES = ("data", "file")


def _tag_at(rendered: str, position: int) -> str:
    """The name (lower case) of the tag whose attribute value is at `position` of `rendered`."""
    tag = _OPENING_TAG.match(rendered, rendered.rfind("<", 0, position))
    return tag.group(1).lower() if tag is not None else ""


def left_out(rendered: str, raw_html: bool) -> list[tuple[str, str]]:
    """What sanitise leaves out of the Markdown's HTML `rendered`, each time it is there, in
    order, as (what, text to find in the file): tags it does not allow (`raw_html`: whether
    the file can have any, as only raw HTML brings them), and links and images whose scheme
    it drops (ftp:...). Pictures pasted from Word (see `pasted`) and links to files on the
    editor's computer (see `links_to_local_files`) are reported apart."""
    found: list[tuple[int, str, str]] = []
    if raw_html:
        for tag in _OPENING_TAG.finditer(rendered):
            if tag.group(1).lower() not in _TAGS:
                found.append((tag.start(), f"thẻ <{tag.group(1).lower()}>", f"<{tag.group(1)}"))
    for url in _SCHEMED_VALUE.finditer(rendered):
        scheme, name = url.group(1), rendered[max(url.start() - 4, 0) : url.start()].lower()
        if not name.endswith(("href", "src")) or scheme.lower() in _URL_SCHEMES:
            continue
        kind = pasted(f"{scheme}:")
        apart = "img" if name.endswith("src") and kind else "a" if kind == "file" else None
        if apart is not None and _tag_at(rendered, url.start()) == apart:
            continue
        found.append((url.start(), f"địa chỉ {scheme.lower()}:", f"{scheme}:"))
    return [(what, needle) for _, what, needle in sorted(found)]


_FILE_SCHEME = re.compile(r"file:", re.IGNORECASE)


def links_to_local_files(rendered: str) -> list[str]:
    """The addresses of the links (<a href>) of the Markdown's HTML `rendered` to files on
    the editor's computer (file:///C:/..., pasted from Word), which no reader can open and
    sanitise drops, as written, in order."""
    if _FILE_SCHEME.search(rendered) is None:  # most bodies: no tag to read
        return []
    found = []
    for match in URL_TAG.finditer(rendered):
        if match.group(1).lower() == "a":
            href = (_attributes(match.group(2)).get("href") or "").strip()
            if pasted(href) == "file":
                found.append(href)
    return found


_IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)


def images(rendered: str) -> list[Reference]:
    """Every <img> of the Markdown's HTML `rendered` (not sanitised: its addresses are as
    written, "" for none), in order."""
    if _IMG_TAG.search(rendered) is None:  # most bodies: no tag to read
        return []
    found = []
    for match in URL_TAG.finditer(rendered):
        if match.group(1).lower() == "img":
            values = _attributes(match.group(2))
            found.append(Reference("img", (values.get("src") or "").strip(), values.get("alt")))
    return found


def pasted(url: str) -> str | None:
    """The scheme of a picture's address that no reader's browser can open ("data" or
    "file"), which sanitise drops; None for any other address."""
    scheme, colon, _ = url.partition(":")
    return scheme.lower() if colon and scheme.lower() in _PASTED_SCHEMES else None


_SCHEME_NAME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def kept_address(url: str) -> bool:
    """Whether sanitise keeps an address written `url`: one with no scheme, or with one of
    those it allows."""
    scheme = _SCHEME_NAME.match(url)
    return scheme is None or scheme.group(1).lower() in _URL_SCHEMES


def without_empty_images(fragment: str) -> str:
    """Sanitised HTML without the <img> tags that have no address (sanitise dropped it, or
    there was none): published, each would show as a broken picture."""
    if "<img" not in fragment:
        return fragment

    def keep(tag: re.Match[str]) -> str:
        if tag.group(1) != "img" or (_attributes(tag.group(2)).get("src") or "").strip():
            return tag[0]
        return ""

    kept = URL_TAG.sub(keep, fragment)
    # The paragraph that held only the picture would be an empty gap on the page.
    return kept.replace("<p></p>", "") if len(kept) < len(fragment) else kept


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def demote_headings(fragment: str, raw_html: bool = True) -> str:
    """`fragment` with every heading a level lower if it has an <h1>: the page's title is
    its one <h1>, which the sanitiser keeps out of bodies (dropping "# Tiêu đề"'s tag left
    its text a bare line). `raw_html`: whether the body may have its own, such as <H1>."""
    if "<h1" not in fragment and not (raw_html and "<H1" in fragment):
        return fragment
    return _HEADING.sub(lambda tag: f"<{tag.group(1)}h{min(int(tag.group(2)) + 1, 6)}", fragment)


_TABLE = re.compile(r"<table\b|</table>")
# A box that scrolls must be reachable by keys and named (axe: scrollable-region-focusable).
_TABLE_BOX = '<div class="bang" role="region" tabindex="0" aria-label="Bảng">'
_UNTITLED_FRAME = re.compile(r"<iframe\b(?![^>]*\stitle=)")


def accessible(fragment: str) -> str:
    """Sanitised HTML with each table in a box that scrolls sideways on a narrow screen, and
    each embedded video named for screen readers (embed code often has no title)."""
    if "<table" in fragment:
        fragment = _TABLE.sub(lambda tag: _TABLE_BOX + tag[0] if tag[0][1] != "/" else
                              "</table></div>", fragment)  # fmt: skip
    if "<iframe" in fragment:
        fragment = _UNTITLED_FRAME.sub('<iframe title="Video"', fragment)
    return fragment


def sanitise(fragment: str, context: BodyContext) -> tuple[str, tuple[str, ...]]:
    """Keep only allow-listed markup; return the HTML and the links that point outside content/."""
    import nh3

    escapes: list[str] = []
    # nh3 hands what the filter raises to sys.unraisablehook, which prints it, and drops the
    # attribute: a bug of ours, or Ctrl-C, would give a page without a link, published and
    # cached. Raised here instead, after the fact.
    raised: list[sys.UnraisableHookArgs] = []
    unraisable, sys.unraisablehook = sys.unraisablehook, raised.append
    try:
        cleaned = nh3.clean(
            fragment,
            tags=set(_TAGS),
            clean_content_tags={"script", "style"},
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            attribute_filter=_attribute_filter(context, escapes),
            url_schemes=set(_URL_SCHEMES),
            filter_style_properties={"text-align"},
            link_rel="noopener",
            id_prefix=BODY_ID_PREFIX,
        )
    finally:
        sys.unraisablehook = unraisable
    if raised:
        problem = raised[0].exc_value
        raise problem if problem is not None else RuntimeError(raised[0].err_msg)
    return cleaned, tuple(escapes)


def _attribute_filter(
    context: BodyContext, escapes: list[str]
) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in _URL_ATTRIBUTES:
            return value
        if tag == "iframe":
            return value if _is_video_host(value, context.video_hosts) else None
        return _resolve_url(value, context, escapes)

    return keep


def _is_video_host(url: str, hosts: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)


def _resolve_url(url: str, context: BodyContext, escapes: list[str]) -> str:
    """Make a body URL work under the site's base path."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return url  # absolute or protocol-relative
    if not parts.path:
        return _into_body(url)  # a fragment or query on this page
    suffix = url[len(parts.path) :]
    if parts.path.startswith("/"):
        return context.base_path.rstrip("/") + url
    folder = posixpath.dirname(context.source_rel)
    target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        escapes.append(url)
        return url
    if is_markdown(target):
        return MD_LINK_MARKER + target + _into_body(suffix)
    return context.base_path + quote(target) + suffix


def _into_body(url: str) -> str:
    head, mark, fragment = url.partition("#")
    return f"{head}#{BODY_ID_PREFIX}{fragment}" if mark and fragment else url


_INLINE_SYNTAX = re.compile(r"[*_`\[]")


def plain_markdown(text: str) -> str:
    """`text` as a reader sees it if it is written with inline Markdown (`**đậm**`,
    `[liên kết](...)`): a summary is shown and fed as plain text, and editors write Markdown."""
    if _INLINE_SYNTAX.search(text) is None:  # most summaries: nothing to render
        return text
    return " ".join(html.unescape(_TAG.sub("", render_markdown(text))).split())


def first_paragraph(fragment: str) -> str:
    """The plain text of the first paragraph that has any, for summaries and feeds: most
    news articles open with their lead photo, a paragraph of one <img> (whose alt text
    describes the picture, not the news)."""
    for match in _PARAGRAPH.finditer(fragment):
        text = _text(match.group(1))
        if text:
            return text
    return ""


# A heading of a sanitised body (group 2: its HTML), whose tags nh3 writes in lower case.
_HEADING_HTML = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)


def first_heading(fragment: str) -> str:
    """The plain text of the first heading of a sanitised body, "" if it has none."""
    heading = _HEADING_HTML.search(fragment) if "<h" in fragment else None
    return _text(heading.group(2)) if heading else ""


def headings(fragment: str) -> list[tuple[int, str]]:
    """The level and plain text of each heading of a sanitised body, in order."""
    return [(int(match[1]), _text(match[2])) for match in _HEADING_HTML.finditer(fragment)]


def _text(fragment: str) -> str:
    """The words of a piece of HTML, as a reader sees them."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


@dataclass(frozen=True, slots=True)
class Reference:
    """A URL in a body: an <a href>, <img src> or <iframe src> ("" if it was dropped)."""

    tag: str
    url: str
    alt: str | None = None  # an <img>'s alt text, None when it has none


# After nh3, only these tags carry a URL (see _ATTRIBUTES), and every attribute is written
# name="value" with & and " escaped: a regular expression reads them as an HTML parser would,
# twenty times faster (a site of 10,000 articles is checked on every build).
URL_TAG = re.compile(
    r"""<(a|img|iframe)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>""",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _attributes(text: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for match in _ATTRIBUTE.finditer(text):
        name, double, single, bare = match.groups()
        value = next((v for v in (double, single, bare) if v is not None), None)
        values[name.lower()] = html.unescape(value) if value is not None else None
    return values


def references(fragment: str) -> tuple[Reference, ...]:
    """Every link, image and embed of a sanitised body, in document order."""
    found: list[Reference] = []
    for match in URL_TAG.finditer(fragment):
        tag, values = match.group(1).lower(), _attributes(match.group(2))
        if tag == "iframe" and not values.get("src"):
            found.append(Reference(tag, ""))  # the sanitiser dropped a foreign source
        for name in ("href", "src"):
            url = values.get(name)
            if url is not None:
                found.append(Reference(tag, url, values.get("alt") if tag == "img" else None))
    return tuple(found)


# A link of a sanitised body: nh3 writes every attribute name="value", with & and " escaped
# but not '>', and nests no link in another.
_LINK = re.compile(r'<a(\s(?:[^>"]|"[^"]*")*)>(.*?)</a>', re.DOTALL)
_HREF = re.compile(r'\shref="([^"]*)"')
_NOT_WEB = ("mailto:", "tel:")
_SCHEME = re.compile(r"^(?:https?://|mailto:|tel:)", re.IGNORECASE)
# Runs of escaped bytes above 0x7f: Vietnamese letters, shown as an address bar shows them.
_ESCAPED_LETTERS = re.compile(r"(?:%[89a-fA-F][0-9a-fA-F])+")


def print_addresses(fragment: str, base_url: str) -> str:
    """The sanitised body `fragment` with each link that leads off the page given the address
    to print after it (data-print-url: paper cannot be clicked), but for a link whose text
    already is its address. `base_url`: the site's, to which root-relative links are joined."""
    if "<a " not in fragment:
        return fragment
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))

    def mark(link: re.Match[str]) -> str:
        found = _HREF.search(link[1])
        href = html.unescape(found[1]) if found else ""
        if not href or href.startswith(("#", "?")):
            return link[0]  # no address, or this page's
        if href.lower().startswith(_NOT_WEB):
            address = unquote(href.partition(":")[2])  # the e-mail address or phone number
        elif href.startswith("/") and not href.startswith("//"):
            address = _ESCAPED_LETTERS.sub(_letters, origin + href)  # the site's own
        else:  # urljoin takes most of the time spent here: only for what needs it
            url = href if _SCHEME.match(href) else urljoin(base_url, href)
            address = _ESCAPED_LETTERS.sub(_letters, url)
        if _bare(html.unescape(_TAG.sub("", link[2]))) == _bare(address):
            return link[0]
        return f'<a data-print-url="{html.escape(address)}"{link[0][2:]}'

    return _LINK.sub(mark, fragment)


def _letters(escapes: re.Match[str]) -> str:
    try:
        return unquote(escapes[0], errors="strict")
    except UnicodeDecodeError:  # not UTF-8: left as it is written
        return escapes[0]


def _bare(address: str) -> str:
    """An address as a link's text may write it: no scheme, no final slash, any case."""
    return _SCHEME.sub("", " ".join(address.split())).rstrip("/").casefold()
