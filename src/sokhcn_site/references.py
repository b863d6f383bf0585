"""Check that every link and image in a body points at a file of the built site."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .errors import Diagnostic, error
from .markup import MD_LINK_MARKER, Reference
from .model import Article, Origin, Page, Site
from .pickling import fast_pickle


@fast_pickle
@dataclass(frozen=True, slots=True)
class SiteLink:
    """A body's URL that must name a file of the built site."""

    tag: str  # a, img or iframe
    url: str  # as written in the body
    rel: str  # its path below the base path, still percent-encoded


def site_links(refs: Iterable[Reference], base_path: str) -> tuple[SiteLink, ...]:
    """The references that point into the site: a pure function of a body and its base path,
    so parse extracts them once and each build only looks them up."""
    links = []
    for ref in refs:
        parts = urlsplit(ref.url)
        path = parts.path
        if (parts.scheme or parts.netloc or not path.startswith(base_path)
                or path.startswith(MD_LINK_MARKER)):  # fmt: skip
            continue  # external, this page, or already reported by parse or collect
        links.append(SiteLink(ref.tag, ref.url, path[len(base_path) :]))
    return tuple(links)


def _candidates(path: str) -> tuple[tuple[str, str], ...]:
    """The output files a site-relative URL path may be served from, each with what it adds."""
    rel = unicodedata.normalize("NFC", unquote(path))
    if rel == "" or rel.endswith("/"):
        return ((rel + "index.html", "index.html"),)
    return (rel, ""), (rel + "/index.html", "/index.html")  # a server redirects /x to /x/


def output_file(path: str, outputs: set[str]) -> str | None:
    """The output file a site-relative URL path is served from, or None if there is none."""
    return next((c for c, _ in _candidates(path) if c in outputs), None)


def by_case(names: Iterable[str]) -> Callable[[str], str | None]:
    """A look-up of the one name of `names` that a wanted name is but for the case of its
    letters (None for none, or for two: no guess). Windows takes `anh.jpg` for `Anh.JPG`, so
    an editor sees no fault in such a link; the web server does. Indexed on first use: only a
    broken link needs it."""
    index: dict[str, list[str]] = {}

    def lookup(wanted: str) -> str | None:
        if not index:
            for name in names:
                index.setdefault(name.casefold(), []).append(name)
        found = index.get(wanted.casefold(), [])
        return found[0] if len(found) == 1 else None

    return lookup


def case_hint(found: str) -> str:
    """What to tell of a link that names `found` but for the case of its letters."""
    return (
        f"'{found}', tên chỉ khác ở chữ hoa, chữ thường: trang web phân biệt chữ hoa với chữ "
        "thường (Windows thì không), hãy viết liên kết với đúng từng chữ như tên tệp"
    )


def _by_case(path: str, outputs: Callable[[str], str | None]) -> str | None:
    """The URL path, below the base path, of the one output file that the site-relative URL
    `path` names but for the case of its letters, or None."""
    for candidate, added in _candidates(path):
        found = outputs(candidate)
        if found is not None:
            return found[: len(found) - len(added)]
    return None


def check_references(
    site: Site,
    paths: Iterable[str],
    sources: Mapping[str, Origin],
    unpublished: set[str],
    links: Mapping[str, tuple[SiteLink, ...]],
) -> list[Diagnostic]:
    """Dangling images, attachments and site links in bodies, and dangling `image:` fields.

    `sources` maps display paths to where items came from (for line numbers); `unpublished`
    holds the paths of articles that exist but are not published, already warned about by collect;
    `links` holds the site links of every published body, by its source.
    """
    written = set(paths)
    outputs = by_case(written)

    def advice(path: str, otherwise: str) -> str:
        found = _by_case(path, outputs)
        return otherwise if found is None else f"có tệp {case_hint(site.config.base_path + found)}"

    problems = [
        error(
            article.source, sources[article.source].line_of("image:"),
            f"ảnh chia sẻ 'image: {article.image}' không có trong trang web; " + advice(
                article.image, "đặt ảnh cạnh bài viết và ghi đường dẫn tính từ thư mục của "
                "bài, hoặc ghi địa chỉ https://..."),
        )
        for article in site.articles
        if article.image and "://" not in article.image
        and output_file(article.image, written) is None and article.source in sources
    ]  # fmt: skip
    published: tuple[Article | Page, ...] = (*site.articles, *site.pages)
    for item in published:
        seen: Counter[str] = Counter()  # each link is told at its own line
        for link in links[item.source]:
            rel = link.rel
            seen[rel] += 1
            if output_file(rel, written) is not None or rel in unpublished:
                continue
            source = sources.get(item.source)
            line = source.line_of(rel, seen[rel] - 1) if source else 1
            what = "ảnh" if link.tag == "img" else "liên kết"
            problems.append(error(
                item.source, line,
                f"{what} '{unquote(link.url)}' trỏ tới tệp không có trong trang web; " + advice(
                    rel, "kiểm tra tên tệp (chữ hoa, chữ thường, dấu) và đường dẫn: tệp đặt cạnh "
                    "bài viết thì viết đường dẫn tính từ thư mục của bài, tệp trong static/ thì "
                    "viết /static/..."),
            ))  # fmt: skip
    return problems
