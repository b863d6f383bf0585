"""Check that every link and image in a body points at a file of the built site."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
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


def output_file(path: str, outputs: set[str]) -> str | None:
    """The output file a site-relative URL path is served from, or None if there is none."""
    rel = unicodedata.normalize("NFC", unquote(path))
    candidates = (rel + "index.html",) if rel == "" or rel.endswith("/") else (
        rel, rel + "/index.html"  # a web server redirects /gioi-thieu to /gioi-thieu/
    )  # fmt: skip
    return next((c for c in candidates if c in outputs), None)


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
    problems = [
        error(
            article.source, sources[article.source].line_of("image:"),
            f"ảnh chia sẻ 'image: {article.image}' không có trong trang web; đặt ảnh cạnh bài "
            "viết và ghi đường dẫn tính từ thư mục của bài, hoặc ghi địa chỉ https://...",
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
                f"{what} '{unquote(link.url)}' trỏ tới tệp không có trong trang web; kiểm tra "
                "tên tệp (chữ hoa, chữ thường, dấu) và đường dẫn: tệp đặt cạnh bài viết thì "
                "viết đường dẫn tính từ thư mục của bài, tệp trong static/ thì viết /static/...",
            ))  # fmt: skip
    return problems
