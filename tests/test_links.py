"""Every internal link and image of a built site leads to a file that exists."""

import unicodedata
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from conftest import ROOT, article

from sokhcn_site.cli import main

BASE = "https://example.test/sub/"
CATEGORIES = ("tin-hoat-dong-cua-so", "thong-bao", "khoa-hoc-cong-nghe", "tieu-chuan-do-luong")


def _page_url(output: Path, page: Path) -> str:
    rel = page.relative_to(output).as_posix()
    return BASE + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


@cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(lxml.html.fromstring(path.read_bytes()).xpath("//@id"))


def broken_links(output: Path) -> list[str]:
    """Internal href/src of every HTML page that do not resolve to a file in `output`."""
    prefix = urlsplit(BASE).path
    broken = []
    pages = sorted(output.rglob("*.html"))
    assert pages
    for page in pages:
        url = _page_url(output, page)
        for ref in lxml.html.fromstring(page.read_bytes()).xpath("//@href | //@src"):
            target = urlsplit(urljoin(url, ref))
            if target.scheme not in ("http", "https") or target.netloc != "example.test":
                continue  # mailto:, tel:, other sites
            if not target.path.startswith(prefix):
                broken.append(f"{page}: {ref} (outside {prefix})")
                continue
            rel = unquote(target.path[len(prefix) :])
            file = output / (rel + "index.html" if rel in ("",) or rel.endswith("/") else rel)
            if not file.is_file():
                broken.append(f"{page}: {ref}")
            elif target.fragment and file.suffix == ".html" and target.fragment not in _ids(file):
                broken.append(f"{page}: {ref} (no id {target.fragment!r})")
    return broken


def test_the_repository_site_has_no_broken_links(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    output = tmp_path / "public"
    cache = tmp_path / "cache"  # not the repository's .cache/, which is the editors'
    argv = ["build", "--output", str(output), "--base-url", BASE, "--cache-dir", str(cache)]
    assert main(argv) == 0, capsys.readouterr()
    assert broken_links(output) == []


def _generated(count: int) -> dict[str, str | bytes]:
    """`count` articles in four categories, with images, attachments and cross-links."""
    files: dict[str, str | bytes] = {
        "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nXem [tin đầu]"
        f"(../{CATEGORIES[0]}/2019-01-01-bai-0.md) và [liên hệ](lien-he.md).\n",
        "content/pages/lien-he.md": "---\ntitle: Liên hệ\n---\n[Giới thiệu](/gioi-thieu/)\n",
    }
    previous = None
    for number in range(count):
        category = CATEGORIES[number % len(CATEGORIES)]
        day = date(2019, 1, 1) + timedelta(days=number // 3)  # three articles share each date
        name = f"{day.isoformat()}-bai-{number}.md"
        image = f"ảnh/hội nghị {number}.jpg"
        stored = unicodedata.normalize("NFD", image) if number % 2 else image
        files[f"content/{category}/{stored}"] = b"jpg"
        files[f"content/{category}/tệp/kế hoạch {number}.pdf"] = b"%PDF"
        body = [
            f"![Hội nghị số {number}](<{image}>)",
            f"[Tải kế hoạch](<tệp/kế hoạch {number}.pdf>)",
        ]
        if previous:
            body.append(f"Xem [bài trước](../{previous}#phan-2).")
        body.append("## Phần 2 {#phan-2}\n\nChú thích[^1] và [về đầu phần](#phan-2).\n\n[^1]: Ghi.")
        files[f"content/{category}/{name}"] = article(
            f"Bài {number}: Hội nghị khoa học", day.isoformat(), body="\n\n".join(body)
        )
        previous = f"{category}/{name}"
    return files


def test_a_large_generated_site_has_no_broken_links(make_site):
    site = make_site(_generated(300), {"page_size": 10, "categories": {c: c for c in CATEGORIES}})
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    assert ": warning: " not in result.err  # stderr may also hold progress lines
    assert len(list(site.output.glob("*/page/8/index.html"))) == len(CATEGORIES)
    assert broken_links(site.output) == []
    page = site.html(f"{CATEGORIES[1]}/bai-1/index.html")
    assert page.xpath("//div[@class='body']//a[text()='bài trước']/@href") == [
        f"/sub/{CATEGORIES[0]}/bai-0/#nd-phan-2"
    ]
    images = page.xpath("//div[@class='body']//img/@src")
    assert [unquote(src) for src in images] == [f"/sub/{CATEGORIES[1]}/ảnh/hội nghị 1.jpg"]
    intro = site.html("gioi-thieu/index.html").xpath("//div[@class='body']//a/@href")
    assert intro == [f"/sub/{CATEGORIES[0]}/bai-0/", "/sub/lien-he/"]


def test_the_crawler_finds_a_broken_link(make_site):
    site = make_site(_generated(3))
    assert site.build("--base-url", BASE).code == 0
    (site.output / CATEGORIES[0] / "ảnh/hội nghị 0.jpg").unlink()
    assert broken_links(site.output) == [
        f"{site.output}/{CATEGORIES[0]}/bai-0/index.html: "
        f"/sub/{CATEGORIES[0]}/%E1%BA%A3nh/h%E1%BB%99i%20ngh%E1%BB%8B%200.jpg"
    ]
