"""The built folder works as it is deployed: under a sub-path, and uploaded incrementally."""

from __future__ import annotations

import contextlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import lxml.etree
import lxml.html
import pytest
from conftest import article

from sokhcn_site.localserver import serving

CAT = "tin-hoat-dong-cua-so"
PAGES = "https://example.github.io/portal/"  # as GitHub Pages serves a project site


@pytest.fixture
def serve() -> Iterator:
    """serve(folder) -> the local URL that plays the part of PAGES, folder mounted at /portal/."""
    with contextlib.ExitStack() as stack:
        yield lambda folder: stack.enter_context(serving(folder, "/portal/"))


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


def _links(url: str, body: bytes, content_type: str) -> list[str]:
    if "html" in content_type:
        page = lxml.html.fromstring(body)
        found = page.xpath("//a/@href | //link/@href | //img/@src | //script/@src | //form/@action")
        found += page.xpath("//meta[@property='og:url' or @property='og:image']/@content")
        for script in page.xpath("//script[@type='application/ld+json']"):
            found += [s for s in _strings(json.loads(script.text)) if s.startswith(PAGES)]
    elif content_type.startswith("text/plain"):  # robots.txt
        found = [
            line.split(":", 1)[1]
            for line in body.decode().splitlines()
            if line.startswith("Sitemap:")
        ]
    elif "xml" in content_type:
        found = lxml.etree.fromstring(body).xpath("//*[local-name()='loc' or local-name()='link']")
        found = [e.get("href") or e.text or "" for e in found]
    else:
        return []
    return [urldefrag(urljoin(url, link.strip())).url for link in found if link]


def _crawl(start: str) -> tuple[set[str], dict[str, int]]:
    """Every page reachable from the home page, 404.html and robots.txt at `start`.

    Links to the site's own absolute URLs (canonical, og:url, feeds) are followed locally.
    """
    queue = [start, start + "404.html", start + "robots.txt"]
    seen: set[str] = set(queue)
    broken: dict[str, int] = {}
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body, kind = response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            broken[url] = exc.code
            continue
        for link in _links(url, body, kind):
            local = start + link.removeprefix(PAGES) if link.startswith(PAGES) else link
            if local.startswith(start.split("/portal/")[0]) and local not in seen:
                seen.add(local)
                queue.append(local)
    return seen, broken


def _chain(day: int) -> str:
    """An article linking to the one before it; the first shows an image beside it."""
    body = (
        f"Xem [bài trước](2020-01-{day - 1:02d}-bai-{day - 1}.md)"
        if day > 1
        else "![Ảnh](anh/a.png)"
    )
    return article(f"Bài {day}", f"2020-01-{day:02d}", body=body)


def test_a_site_built_for_github_pages_works_under_its_sub_path(make_site, serve):
    files = {f"content/{CAT}/2020-01-{d:02d}-bai-{d}.md": _chain(d) for d in range(1, 13)}
    files[f"content/{CAT}/anh/a.png"] = b"\x89PNG\r\n\x1a\n"
    files["content/pages/gioi-thieu.md"] = f"---\ntitle: Giới thiệu\n---\n[Tin](/{CAT}/)\n"
    menu = [{"title": "Giới thiệu", "url": "gioi-thieu/"}, {"title": "Tin", "url": f"{CAT}/"}]
    site = make_site(files, {"page_size": 5, "categories": {CAT: "Tin"}, "menu": menu})
    assert site.build("--base-url", PAGES).code == 0
    start = serve(site.output)
    seen, broken = _crawl(start)
    assert broken == {}
    pages = {url.removeprefix(start).split("?")[0] for url in seen}  # site.css?v=<version>
    assert {"", "page/3/", f"{CAT}/page/2/", f"{CAT}/bai-1/", f"{CAT}/anh/a.png", "gioi-thieu/",
            "static/css/site.css", "static/img/chia-se.png", "rss.xml"} <= pages  # fmt: skip
    # Every file of the site is reachable, so the crawl did cover the site (but the search
    # index, which the search page's script fetches: tests/test_browser.py).
    files = {p.removesuffix("index.html") for p in site.files()}
    assert {p for p in files if not p.startswith("tim-kiem/index/")} <= pages


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_a_rebuild_rewrites_only_the_files_whose_bytes_changed(make_site):
    files = {
        f"content/{CAT}/2020-01-{d:02d}-bai-{d}.md": article(f"Bài {d}", f"2020-01-{d:02d}")
        for d in range(1, 13)
    }
    site = make_site(files, {"page_size": 5, "other_news": 0, "categories": {CAT: "Tin"}})
    assert site.build().code == 0
    # Age every file, so a rewrite shows whatever the file system's clock resolution.
    old = 1_000_000_000_000_000_000
    for path in site.output.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(old, old))
    before = _mtimes(site.output)
    site.write(f"content/{CAT}/2020-01-07-bai-7.md", article("Bài 7 đã sửa", "2020-01-07"))
    assert site.build().code == 0
    after = _mtimes(site.output)
    assert after.keys() == before.keys()
    changed = {path for path, mtime in after.items() if mtime != old}
    # Bài 7 is the 6th newest: second page of the home page and of its category. In the
    # search index: its record and the term shard and table that changed.
    records = [path for path in after if path.startswith("tim-kiem/index/d/")]
    [record] = [path for path in records if "/bai-7/" in (site.output / path).read_text()]
    [shard] = [path for path in after if path.startswith("tim-kiem/index/t-")]
    assert changed == {
        f"{CAT}/bai-7/index.html", "page/2/index.html", f"{CAT}/page/2/index.html",
        "rss.xml", "atom.xml", f"{CAT}/rss.xml",
        record, shard, "tim-kiem/index/meta.json",
    }  # fmt: skip
