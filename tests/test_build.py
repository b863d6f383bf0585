"""Whole builds of small sites, read back as browsers and feed readers read them."""

import html
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta

import feedparser
import lxml.etree
import lxml.html
from conftest import ROOT, article

CAT = "tin-hoat-dong-cua-so"


def _many(count: int, category: str = CAT) -> dict[str, str]:
    return {
        f"content/{category}/2020-01-{day:02d}-bai-{day:02d}.md": article(
            f"Bài số {day}",
            f"2020-01-{day:02d} 08:00",
            author="Tác giả",
            department="Phòng A",
            summary=f"Tóm tắt {day}",
        )
        for day in range(1, count + 1)
    }


def test_article_page_has_everything_the_seed_page_shows(make_site):
    site = make_site(
        {f"content/{CAT}/2020-01-14-hoi-nghi.md": article(
            "Hội nghị tổng kết", "2020-01-14", body="Đoạn **một**.", author="Cao Thị Ngọc Hà",
            department="Phòng Quản lý Khoa học")} | _many(9),
        {"categories": {CAT: "Tin hoạt động của Sở"}},
    )  # fmt: skip
    assert site.build().code == 0
    page = site.html(f"{CAT}/hoi-nghi/index.html")
    assert page.get("lang") == "vi"
    assert "Hội nghị tổng kết" in page.findtext(".//title")
    assert page.findtext(".//h1") == "Hội nghị tổng kết"
    assert page.findtext(".//time") == "14/01/2020"
    assert page.find_class("section-name")[0].text_content().strip() == "Tin hoạt động của Sở"
    assert page.xpath("string(//div[@class='body']//strong)") == "một"
    signature = page.find_class("signature")[0].text_content()
    assert signature == "Cao Thị Ngọc Hà - Phòng Quản lý Khoa học"
    assert page.xpath("//button[normalize-space()='In tin']")
    aside = page.xpath("//aside[.//h2[normalize-space()='Các tin khác']]")[0]
    items = aside.xpath(".//li")
    assert len(items) == 7
    assert items[0].text_content().strip() == "Bài số 9 (09/01/20)"
    assert all(li.xpath("a/@href")[0] != f"/{CAT}/hoi-nghi/" for li in items)
    footer = page.xpath("string(//footer)")
    for text in ("Sở Thử Nghiệm", "1 Đường Thử", "0237 000 000", "0237 000 001",
                 "Trưởng ban biên tập: Nguyễn Văn A - Giám đốc Sở"):  # fmt: skip
        assert text in footer
    assert page.xpath("//header") and page.xpath("//nav") and page.xpath("//main")
    assert page.xpath("//a[@class='skip-link']/@href") == ["#noi-dung"]


def test_home_and_category_listings_paginate_newest_first(make_site):
    site = make_site(_many(23) | _many(2, "thong-bao"), {"page_size": 10})
    assert site.build().code == 0
    home = [site.html(p) for p in ("index.html", "page/2/index.html", "page/3/index.html")]
    titles = [h.xpath("//ol[@class='article-list']//h2/a/text()") for h in home]
    assert [len(t) for t in titles] == [10, 10, 5]
    assert titles[0][:3] == ["Bài số 23", "Bài số 22", "Bài số 21"]
    assert home[0].xpath("//a[@rel='next']/@href") == ["/page/2/"]
    assert home[1].xpath("//a[@rel='prev']/@href") == ["/"]
    assert home[1].xpath("//a[@rel='next']/@href") == ["/page/3/"]
    assert not (site.output / "page/4").exists()
    category = site.html(f"{CAT}/page/3/index.html")
    assert category.xpath("//ol[@class='article-list']//h2/a/text()") == [
        "Bài số 3",
        "Bài số 2",
        "Bài số 1",
    ]
    assert category.xpath("//a[@rel='prev']/@href") == [f"/{CAT}/page/2/"]


def test_feeds_read_by_a_feed_reader(make_site):
    site = make_site(_many(25), {"feed_size": 20})
    assert site.build().code == 0
    rss = feedparser.parse((site.output / "rss.xml").read_bytes())
    atom = feedparser.parse((site.output / "atom.xml").read_bytes())
    for feed in (rss, atom):
        assert not feed.bozo, feed.get("bozo_exception")
        assert len(feed.entries) == 20
        first = feed.entries[0]
        assert first.title == "Bài số 25"
        assert first.link == f"https://example.test/{CAT}/bai-25/"
        assert first.id == first.link
        assert first.author == "Tác giả"
        assert first.summary.startswith("Tóm tắt 25")
    assert rss.version == "rss20" and atom.version == "atom10"
    assert rss.entries[0].published == "Sat, 25 Jan 2020 08:00:00 +0700"
    assert atom.entries[0].published == "2020-01-25T08:00:00+07:00"
    assert rss.feed.updated == "Sat, 25 Jan 2020 08:00:00 +0700"  # the newest article, not now
    category = feedparser.parse((site.output / CAT / "rss.xml").read_bytes())
    assert not category.bozo and len(category.entries) == 20
    home = site.html("index.html")
    assert home.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href") == [
        "https://example.test/rss.xml"
    ]


def test_feed_items_carry_their_html_escaped_with_every_link_absolute(make_site):
    """Readers show an item away from the site: "/portal/tin/anh.png" would lead nowhere."""
    body = "![Ảnh](anh.png) [B](b.md) [phần 2](#phan-2)"
    site = make_site({f"content/{CAT}/a.md": article("A", "2020-01-15", body=body),
                      f"content/{CAT}/b.md": article("B"), f"content/{CAT}/anh.png": b"png"},
                     {"base_url": "https://example.test/portal/"})  # fmt: skip
    assert site.build().code == 0
    page = f"https://example.test/portal/{CAT}/a/"
    for name in ("rss.xml", "atom.xml", f"{CAT}/rss.xml"):
        feed = feedparser.parse((site.output / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        html = lxml.html.fragment_fromstring(feed.entries[0].content[0].value, create_parent=True)
        assert html.xpath("//img/@src") == [f"https://example.test/portal/{CAT}/anh.png"]
        assert html.xpath("//a/@href") == [
            f"https://example.test/portal/{CAT}/b/",
            f"{page}#nd-phan-2",
        ]
    contents = lxml.etree.parse(site.output / "atom.xml").xpath("//*[local-name()='content']")
    assert [content.get("type") for content in contents] == ["html", "html"]  # no "CDATA"
    links = site.html(f"{CAT}/a/index.html").xpath("//head/link[@rel='alternate']")
    assert [(link.get("title"), link.get("href")) for link in links] == [
        (f"{CAT} - Sở Thử Nghiệm (RSS)", f"https://example.test/portal/{CAT}/rss.xml"),
        ("Sở Thử Nghiệm (Atom)", "https://example.test/portal/atom.xml"),
    ]


def test_a_summary_that_reads_like_html_stays_text_in_every_feed(make_site):
    """An RSS description is HTML to its readers: text once escaped would come back a tag."""
    text = "Giá <img src=x onerror=alert(1)> & ưu đãi"
    files = {f"content/{CAT}/a.md": article("A", body=html.escape(text)),
             f"content/{CAT}/b.md": article("B", summary=text)}  # fmt: skip
    site = make_site(files)
    assert site.build().code == 0
    for name in ("rss.xml", f"{CAT}/rss.xml"):
        descriptions = lxml.etree.parse(site.output / name).xpath("//item/description/text()")
        assert len(descriptions) == 2
        for description in descriptions:  # as a reader takes it: HTML
            shown = lxml.html.fragment_fromstring(description, create_parent=True)
            assert not shown.xpath("//img") and shown.text_content() == text
    summaries = lxml.etree.parse(site.output / "atom.xml").xpath("//*[local-name()='summary']")
    assert [(s.get("type"), s.text) for s in summaries] == [(None, text), (None, text)]


def test_summary_defaults_to_the_first_paragraph(make_site):
    site = make_site({f"content/{CAT}/a.md": article("A", body="Câu *đầu*.\n\nĐoạn hai.")})
    assert site.build().code == 0
    entry = feedparser.parse((site.output / "rss.xml").read_bytes()).entries[0]
    assert entry.summary == "Câu đầu."


def test_an_article_that_opens_with_its_photo_is_summed_up_by_its_first_text(make_site):
    """The lead photo's paragraph has no text (its alt describes the picture): the summary
    every reader of the article sees is the paragraph after it."""
    lead = "Ngày 1/11, Sở tổ chức hội nghị."
    body = f"![Toàn cảnh](anh/a.png)\n\n{lead}\n\nĐoạn hai."
    site = make_site({f"content/{CAT}/2020-01-14-hoi-nghi.md": article("Hội nghị", body=body),
                      f"content/{CAT}/anh/a.png": b"\x89PNG"})  # fmt: skip
    result = site.build()
    assert (result.code, result.err) == (0, "")
    for listing in ("index.html", f"{CAT}/index.html"):
        assert site.html(listing).xpath("//p[@class='summary']/text()") == [lead]
    page = site.html(f"{CAT}/hoi-nghi/index.html")
    assert page.xpath("//head/meta[@name='description']/@content") == [lead]
    assert page.xpath("//head/meta[@property='og:description']/@content") == [lead]
    for feed in ("rss.xml", f"{CAT}/rss.xml", "atom.xml"):
        [entry] = feedparser.parse((site.output / feed).read_bytes()).entries
        assert entry.summary == lead, feed


def test_a_paragraph_with_attributes_can_be_the_summary(make_site):
    body = "Câu đầu.\n{: .lead }\n\nĐoạn hai."
    site = make_site({f"content/{CAT}/a.md": article("A", body=body)})
    assert site.build().code == 0
    assert site.html(f"{CAT}/a/index.html").xpath("//head/meta[@name='description']/@content") == [
        "Câu đầu."
    ]


def test_a_summary_written_in_markdown_is_shown_and_fed_as_its_text(make_site):
    summary = "**Quan trọng**: xem [tại đây](https://a.vn), `mã` và a_b_c < 5%"
    site = make_site({f"content/{CAT}/a.md": article("A", summary=summary)})
    assert site.build().code == 0
    text = "Quan trọng: xem tại đây, mã và a_b_c < 5%"
    assert site.html(f"{CAT}/index.html").xpath("//p[@class='summary']/text()") == [text]
    [entry] = feedparser.parse((site.output / "rss.xml").read_bytes()).entries
    assert entry.summary == html.escape(text, quote=False)


def test_sitemap_robots_404_static_and_pages(make_site):
    site = make_site(
        _many(12) | {"content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nChào.\n",
                     "static/img/logo.png": b"\x89PNG"},
        {"page_size": 10},
    )  # fmt: skip
    assert site.build().code == 0
    sitemap = (site.output / "sitemap.xml").read_text()
    for path in ["", "page/2/", f"{CAT}/", f"{CAT}/page/2/", f"{CAT}/bai-01/", "gioi-thieu/"]:
        assert f"<loc>https://example.test/{path}</loc>" in sitemap
    # The search page has nothing to index (its results are made in the browser): noindex.
    assert sitemap.count("<url>") == 2 + 2 + 12 + 1
    assert site.html("tim-kiem/index.html").xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "Sitemap: https://example.test/sitemap.xml" in (site.output / "robots.txt").read_text()
    missing = site.html("404.html")
    assert "Không tìm thấy trang" in missing.findtext(".//h1")
    # Served at any missing address: not to be indexed, and no address of its own.
    assert missing.xpath("//head/meta[@name='robots']/@content") == ["noindex"]
    assert not missing.xpath("//head/link[@rel='canonical']")
    assert site.html("gioi-thieu/index.html").xpath("//head/link[@rel='canonical']/@href") == [
        "https://example.test/gioi-thieu/"
    ]
    assert (site.output / "static/img/logo.png").read_bytes() == b"\x89PNG"
    assert (site.output / "static/css/site.css").exists()
    assert site.html("gioi-thieu/index.html").findtext(".//h1") == "Giới thiệu"


def test_well_known_files_are_published_at_the_root_other_hidden_files_are_not(make_site):
    security = "Contact: mailto:cntt@skhcn.thanhhoa.gov.vn\n"
    site = make_site(_many(1) | {
        "content/.well-known/security.txt": security,
        "content/.well-known/acme-challenge/token-1": "token-1.key",
        "content/.git-notes/x.txt": "không đăng",
        "content/tin-khac/.well-known/y.txt": "không đăng",
        "static/.well-known/z.txt": "không đăng",
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    # Not at the top of content/: left out, but not without a word.
    for misplaced in ("content/tin-khac/.well-known", "static/.well-known"):
        assert f"{site.root}/{misplaced}:1: warning: thư mục .well-known chỉ được" in result.err
    assert ".git-notes" not in result.err
    assert (site.output / ".well-known/security.txt").read_text() == security
    assert (site.output / ".well-known/acme-challenge/token-1").read_text() == "token-1.key"
    published = {p.name for p in site.output.rglob("*")}
    assert not published & {".git-notes", "x.txt", "y.txt", "z.txt"}


def test_base_url_with_a_path_prefixes_every_internal_link(make_site):
    site = make_site(
        _many(12) | {f"content/{CAT}/anh/h.png": b"png",
                     f"content/{CAT}/2020-02-01-co-anh.md": article(
                         "Có ảnh", "2020-02-01", body="![Ảnh](anh/h.png) [trang](/gioi-thieu/)"),
                     "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nChào.\n"},
    )  # fmt: skip
    assert site.build("--base-url", "https://example.org/portal").code == 0
    for rel in ("index.html", f"{CAT}/co-anh/index.html", "page/2/index.html", "404.html"):
        page = site.html(rel)
        links = page.xpath("//a/@href | //link/@href | //img/@src")
        internal = [u for u in links if not u.startswith(("https://example.org/", "#", "mailto:"))]
        assert internal, rel
        assert all(u.startswith("/portal/") for u in internal), (rel, internal)
    body = site.html(f"{CAT}/co-anh/index.html")
    assert body.xpath("//div[@class='body']//img/@src") == [f"/portal/{CAT}/anh/h.png"]
    assert (site.output / CAT / "anh/h.png").read_bytes() == b"png"
    feed = feedparser.parse((site.output / "rss.xml").read_bytes())
    assert feed.entries[0].link == f"https://example.org/portal/{CAT}/co-anh/"


def test_drafts_and_future_articles_need_the_drafts_option(make_site):
    future = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    site = make_site({
        f"content/{CAT}/a.md": article("Đã đăng"),
        f"content/{CAT}/b.md": article("Bản nháp", draft=True),
        f"content/{CAT}/c.md": article("Hẹn giờ", future),
    })  # fmt: skip
    assert site.build().code == 0
    assert sorted(p.name for p in (site.output / CAT).iterdir() if p.is_dir()) == ["a"]
    assert site.build("--drafts").code == 0
    assert sorted(p.name for p in (site.output / CAT).iterdir() if p.is_dir()) == ["a", "b", "c"]


def test_articles_waiting_for_their_date_are_counted_and_a_far_one_is_a_warning(make_site):
    soon = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%d")
    site = make_site({
        f"content/{CAT}/a.md": article("Đã đăng"),
        f"content/{CAT}/b.md": article("Sắp đăng", soon),
        f"content/{CAT}/c.md": article("Gõ nhầm năm", "2099-11-28"),  # for 2026, say
        f"content/{CAT}/d.md": article("Nháp xa", "2099-11-28", draft=True),
    })  # fmt: skip
    for result in (site.check(), site.build(), site.build()):  # the last replays the first
        assert result.code == 0
        c_md = site.root / "content" / CAT / "c.md"
        assert result.err.strip().splitlines() == [
            f"{c_md}:3: warning: ngày đăng 28/11/2099 còn hơn một năm nữa: bài chỉ được xuất "
            "bản khi đến ngày đó; hãy xem lại năm"
        ]
        assert "2 bài hẹn giờ chưa đăng" in result.out
    assert "Đã xuất bản 1 bài viết, 2 bài hẹn giờ chưa đăng, 0 trang tĩnh" in result.out
    drafts = site.build("--drafts")  # shows them: none waits, none is told
    assert (drafts.err, "hẹn giờ" in drafts.out) == ("", False)


def test_tags_written_as_one_line_are_each_a_tag_and_an_early_update_is_a_warning(make_site):
    text = article("A", "2024-11-08", tags="ISO, đo lường, chất lượng", updated="2024-10-01")
    site = make_site({f"content/{CAT}/a.md": text})
    result = site.build()
    assert result.code == 0
    assert result.err.strip() == (
        f"{site.root / 'content' / CAT / 'a.md'}:5: warning: ngày cập nhật 01/10/2024 sớm hơn "
        "ngày đăng 08/11/2024; sửa lại 'updated' hoặc bỏ dòng này"
    )
    page = (site.output / CAT / "a" / "index.html").read_text()
    keywords = next(json.loads(s)["keywords"] for s in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S))  # fmt: skip
    assert keywords == ["ISO", "đo lường", "chất lượng"]


def test_numbers_in_the_header_are_kept_as_written(make_site):
    text = "---\ntitle: 3.10\ndate: 2020-01-01\nauthor: 0x1F\ntags: [4.0, chuyển đổi số]\n---\nx\n"
    site = make_site({f"content/{CAT}/a.md": text})
    assert site.build().code == 0
    page = site.html(f"{CAT}/a/index.html")
    assert page.findtext(".//h1") == "3.10"
    assert page.findtext('.//p[@class="tags"]') == "Từ khóa: 4.0, chuyển đổi số"
    assert "0x1F" in lxml.etree.tostring(page, encoding="unicode")


def test_a_category_field_the_site_yaml_overrides_is_a_warning(make_site):
    site = make_site({f"content/{CAT}/a.md": article("A", category="Thông báo")})
    site.write("site.yaml", site.root.joinpath("site.yaml").read_text() + "categories:\n"
               f"  {CAT}: Tin hoạt động\n")  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert result.err.strip() == (
        f"{site.root / 'content' / CAT / 'a.md'}:4: warning: 'category: Thông báo' không được "
        f"dùng: chuyên mục của bài là thư mục '{CAT}' (Tin hoạt động, trong "
        f"{site.root / 'site.yaml'}); muốn đổi chuyên mục thì chuyển tệp sang thư mục của "
        "chuyên mục kia"
    )


def test_an_undeclared_category_is_told_with_the_line_to_add_to_site_yaml(make_site):
    site = make_site(
        {f"content/{CAT}/a.md": article("A"), "content/thong-bao/b.md": article("B"),
         "content/khoa-hoc/c.md": article("C", category="Khoa học: đổi mới")},
        {"categories": {CAT: "Tin hoạt động"}},
    )  # fmt: skip
    result = site.build()
    assert result.code == 1
    config = site.root / "site.yaml"  # as --config names it
    told = "chuyển bài vào một thư mục đã khai báo (tin-hoat-dong-cua-so), hoặc khai báo thêm "
    told += f"chuyên mục này: mở tệp {config}, thêm ngay dưới dòng `categories:` dòng "
    assert result.err.splitlines() == [
        f"{site.root}/content/khoa-hoc/c.md:1: error: chuyên mục 'khoa-hoc' chưa được khai báo "
        f"trong 'categories' của {config}; {told}`  khoa-hoc: 'Khoa học: đổi mới'` (hai dấu "
        "cách ở đầu dòng)",
        f"{site.root}/content/thong-bao/b.md:1: error: chuyên mục 'thong-bao' chưa được khai báo "
        f"trong 'categories' của {config}; {told}`  thong-bao: Tên chuyên mục` (hai dấu cách ở "
        "đầu dòng, thay 'Tên chuyên mục' bằng tên hiện cho người đọc)",
    ]
    # The line, added as told, is what the build wanted.
    lines = "categories:\n  thong-bao: Thông báo\n  khoa-hoc: 'Khoa học: đổi mới'\n"
    site.write("site.yaml", config.read_text("utf-8").replace("categories:\n", lines))
    assert site.build().code == 0
    assert site.html("khoa-hoc/index.html").findtext(".//h1") == "Khoa học: đổi mới"


def test_category_names_from_config_else_front_matter_then_folder(make_site):
    site = make_site(
        {"content/mot/a.md": article("A", category="Không dùng"),
         "content/hai/b.md": article("B", category="Tên Hai"), "content/ba/c.md": article("C")},
    )  # fmt: skip
    assert site.build().code == 0
    assert site.html("mot/index.html").findtext(".//h1") == "Không dùng"
    assert site.html("hai/index.html").findtext(".//h1") == "Tên Hai"
    assert site.html("ba/index.html").findtext(".//h1") == "ba"
    site.write("site.yaml", site.root.joinpath("site.yaml").read_text() + "categories:\n"
               "  mot: Tên Một\n  hai: Tên Hai\n  ba: Tên Ba\n")  # fmt: skip
    assert site.build().code == 0
    assert site.html("mot/index.html").findtext(".//h1") == "Tên Một"


def test_slugs_come_from_file_names_and_survive_title_edits(make_site):
    site = make_site({
        f"content/{CAT}/2020-01-14-Đo-lường-Chất-lượng.md": article("Đo lường"),
        f"content/{CAT}/x.md": article("Khác", slug="Đặc biệt Đ"),
    })  # fmt: skip
    assert site.build().code == 0
    assert (site.output / CAT / "do-luong-chat-luong/index.html").exists()
    assert (site.output / CAT / "dac-biet-d/index.html").exists()
    site.write(f"content/{CAT}/2020-01-14-Đo-lường-Chất-lượng.md", article("Đo lường (sửa lỗi)"))
    assert site.build().code == 0
    assert (
        site.html(f"{CAT}/do-luong-chat-luong/index.html").findtext(".//h1") == "Đo lường (sửa lỗi)"
    )


def test_the_folder_of_a_listings_later_pages_is_no_article_slug(make_site):
    site = make_site({f"content/{CAT}/2020-01-14-page.md": article("Trang"),
                      f"content/{CAT}/b.md": article("B", slug="Page")})  # fmt: skip
    result = site.build()
    assert result.code == 1
    assert [line.split(": error: ")[1] for line in result.err.splitlines()] == [
        f"slug 'page' dành riêng cho các trang sau của danh sách chuyên mục ({CAT}/page/2/...); "
        "đổi tên tệp hoặc thêm `slug: ...` khác"
    ] * 2


def test_decomposed_vietnamese_comes_out_composed(make_site):
    title = unicodedata.normalize("NFD", "Hội nghị khoa học")
    site = make_site(
        {f"content/{CAT}/a.md": article(title, body=unicodedata.normalize("NFD", "Thanh Hóa"))}
    )
    assert site.build().code == 0
    raw = (site.output / CAT / "a/index.html").read_text()
    assert "Hội nghị khoa học" in raw and "Thanh Hóa" in raw
    assert unicodedata.normalize("NFD", "ộ") not in raw


def test_two_builds_are_byte_identical(make_site, tmp_path):
    """Same input, other folder names, other file creation order, other hash seed: same bytes."""
    nfd = unicodedata.normalize("NFD", "ảnh/Hội nghị.jpg")
    files = _many(15) | _many(4, "thong-bao") | {
        f"content/{CAT}/{nfd}": b"jpg", f"content/{CAT}/tep/ke-hoach.pdf": b"%PDF",
        "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\n[A](../thong-bao/"
        "2020-01-01-bai-01.md)\n", "static/img/logo.png": b"png",
        f"content/{CAT}/2020-02-01-anh.md": article(
            "Ảnh", "2020-02-01", body="![Hội nghị](<ảnh/Hội nghị.jpg>)", tags=["b", "a", "ả"]),
    }  # fmt: skip
    config = {"categories": {CAT: "Tin", "thong-bao": "Thông báo"}, "video_hosts": ["b", "a"]}
    first = make_site(files, config)
    assert first.build().code == 0
    assert first.build().code == 0  # a rebuild over its own output
    second = make_site(dict(reversed(files.items())), config, name="khac")
    out = tmp_path / "ra-noi-khac"
    argv = [
        sys.executable, "-m", "sokhcn_site.cli", "build", "--content", "content", "--templates",
        "templates", "--static", "static", "--config", "site.yaml", "--output", str(out),
    ]  # fmt: skip
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(argv, cwd=second.root, env=env, check=True, capture_output=True)
        assert _tree(out) == _tree(first.output)


def test_summary_line_counts_what_was_written(make_site):
    site = make_site(_many(3) | {"content/pages/lien-he.md": "---\ntitle: Liên hệ\n---\nA\n"})
    result = site.build()
    assert result.code == 0
    assert "3 bài viết, 1 trang tĩnh" in result.out
    assert "giây" in result.out.strip().splitlines()[-1]


def test_repository_content_builds_with_the_seed_pages_other_news(tmp_path):
    """The real portal content: the seed article lists the seven others in the seed's order."""
    out = tmp_path / "public"
    done = subprocess.run(
        [sys.executable, "build.py", "--output", str(out), "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    import lxml.html

    page = lxml.html.fromstring(
        (
            out / CAT / "hoi-nghi-tong-ket-hoat-dong-khoa-hoc-va-cong-nghe-nam-2019/index.html"
        ).read_bytes()
    )
    dates = page.xpath("//aside//span[@class='date']/text()")
    assert dates == [
        "(17/10/19)",
        "(09/10/19)",
        "(09/10/19)",
        "(19/09/19)",
        "(30/08/19)",
        "(30/08/19)",
        "(21/08/19)",
    ]
    titles = page.xpath("//aside//a/text()")
    assert titles[0].startswith("THÔNG BÁO THAM GIA CHỢ CÔNG NGHỆ")
    assert titles[1].startswith("HỘI NGHỊ TẬP HUẤN NGHIỆP VỤ QUẢN LÝ")
    assert titles[4].startswith("TẬP HUẤN ĐÁNH GIÁ CHẤT LƯỢNG NỘI BỘ")
    assert (
        page.xpath("string(//p[@class='signature'])") == "Cao Thị Ngọc Hà - Phòng Quản lý Khoa học"
    )
    assert "Trần Duy Bình" in page.xpath("string(//footer)")


def test_build_py_and_console_script_do_the_same(tmp_path):
    import shutil

    script = shutil.which("sokhcn-site")
    assert script, "the console script is installed with the package"
    a, b = tmp_path / "a", tmp_path / "b"
    # Each with a cache of its own in tmp_path: the repository's .cache/ is the editors'.
    for argv, out in (([sys.executable, "build.py"], a), ([script, "build"], b)):
        argv += ["--output", str(out), "--cache-dir", str(out) + "-cache"]
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
    assert _tree(a) == _tree(b)


def test_the_command_line_prints_everything_before_it_exits(make_site, tmp_path):
    """It ends the process without Python's shutdown: output to a pipe must still arrive."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    site = make_site({"content/tin/2020-01-14-a.md": "---\ntitle: A\ndate: 14/01/2020\n---\nX\n"})
    command = ["build", *site.inputs(), "--output", str(tmp_path / "out")]
    for argv in ([sys.executable, str(ROOT / "build.py"), *command[1:]],
                 [sys.executable, "-m", "sokhcn_site.cli", *command]):  # fmt: skip
        done = subprocess.run(argv, cwd=site.root, capture_output=True, text=True, env=env)
        assert done.returncode == 1
        assert "content/tin/2020-01-14-a.md:3: error:" in done.stderr
    site.write("content/tin/2020-01-14-a.md", "---\ntitle: A\ndate: 2020-01-14\n---\nX\n")
    done = subprocess.run(argv, cwd=site.root, capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout.count("Đã xuất bản 1 bài viết")) == (0, 1)


def _tree(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_byte_order_mark_windows_line_endings_and_dots_build_like_any_file(make_site):
    plain = "---\ntitle: Tiêu đề {}\ndate: 2020-01-0{} 08:00\nauthor: Hà\n---\nĐoạn một.\n\nHai.\n"
    texts = {
        "thuong": plain.format("thuong", 1).encode(),
        "bom": b"\xef\xbb\xbf" + plain.format("bom", 2).encode(),
        "crlf": plain.format("crlf", 3).replace("\n", "\r\n").encode(),
        "ba-cham": plain.format("ba-cham", 4).replace("---\nĐoạn", "...\nĐoạn").encode(),
        "tat-ca": b"\xef\xbb\xbf"
        + plain.format("tat-ca", 5)
        .replace("---\nĐoạn", "...\nĐoạn")
        .replace("\n", "\r\n")
        .encode(),
    }
    site = make_site({f"content/{CAT}/{name}.md": data for name, data in texts.items()})
    result = site.build()
    assert (result.code, result.err) == (0, "")
    for name in texts:
        page = site.html(f"{CAT}/{name}/index.html")
        assert page.findtext(".//h1") == f"Tiêu đề {name}"
        assert page.xpath("//div[@class='body']/p/text()") == ["Đoạn một.", "Hai."]
        assert page.xpath("string(//p[@class='signature'])") == "Hà"
    home = site.html("index.html").xpath("//ol[@class='article-list']//h2/a/text()")
    assert home == [f"Tiêu đề {name}" for name in reversed(texts)]


def test_an_article_without_other_news_takes_the_whole_width(make_site):
    """The two-column layout is for the "Các tin khác" box: without it, no empty column."""
    site = make_site({"content/tin/mot.md": article("Một mình"),
                      "content/tin-khac/a.md": article("A"),
                      "content/tin-khac/b.md": article("B")})  # fmt: skip
    assert site.build().code == 0
    alone = site.html("tin/mot/index.html")
    assert alone.find_class("other-news") == [] and alone.find_class("with-aside") == []
    paired = site.html("tin-khac/a/index.html")
    assert len(paired.find_class("other-news")) == len(paired.find_class("with-aside")) == 1


def test_printed_pages_name_the_site_and_body_links_carry_the_address_to_print(make_site):
    body = ("[Bộ KH&CN](https://most.gov.vn/tin?a=1&b=2), <https://most.gov.vn/>, "
            "[most.gov.vn](https://most.gov.vn), [quyết định](<tài liệu/qđ-12.pdf>), "
            "[bài B](b.md), [phần 2](#phan-2), [văn phòng](mailto:vp@example.test).\n\n"
            "## Phần 2")  # fmt: skip
    site = make_site(
        {f"content/{CAT}/a.md": article("A", body=body), f"content/{CAT}/b.md": article("B"),
         f"content/{CAT}/tài liệu/qđ-12.pdf": b"%PDF"},
        {"base_url": "https://example.test/portal/"},
    )  # fmt: skip
    assert site.build().code == 0
    page = site.html(f"{CAT}/a/index.html")
    source = page.find_class("print-source")[0]
    assert source.find_class("print-site")[0].text_content() == "Sở Thử Nghiệm"
    address = f"https://example.test/portal/{CAT}/a/"
    assert source.find_class("print-address")[0].text_content() == address
    links = [
        (a.text_content(), a.get("data-print-url")) for a in page.xpath("//div[@class='body']//a")
    ]
    assert links == [
        ("Bộ KH&CN", "https://most.gov.vn/tin?a=1&b=2"),
        ("https://most.gov.vn/", None),  # the text says it already
        ("most.gov.vn", None),
        ("quyết định", f"https://example.test/portal/{CAT}/tài%20liệu/qđ-12.pdf"),
        ("bài B", f"https://example.test/portal/{CAT}/b/"),
        ("phần 2", None),  # this page
        ("văn phòng", "vp@example.test"),
    ]
    # Only the body's: the menu, the header and "Các tin khác" are not printed.
    assert page.xpath("//*[@data-print-url][not(ancestor::div[@class='body'])]") == []
    missing = site.html("404.html")  # served at any address: none of its own to print
    assert missing.find_class("print-site") and not missing.find_class("print-address")


def _menu_site(make_site, menu: list[dict[str, str]], files: dict[str, str]):
    """A site under a sub-path, with a static page and two listing pages of CAT."""
    about = {"content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nChào.\n"}
    config = {"menu": menu, "page_size": 2, "base_url": "https://example.test/portal/"}
    site = make_site(_many(3) | files | about, config)
    assert site.build().code == 0
    return site


def _marked(site, rel: str) -> list[tuple[str, str]]:
    """The menu items the page marks, with their aria-current."""
    nav = site.html(rel).xpath("//nav[@class='site-nav']")[0]
    return [(a.text_content(), a.get("aria-current")) for a in nav.xpath(".//a[@aria-current]")]


def test_the_menu_marks_the_category_of_an_article_and_the_page_itself(make_site):
    menu = [{"title": "Tin hoạt động", "url": f"/{CAT}/"}, {"title": "Thông báo",
            "url": "thong-bao/"}, {"title": "Giới thiệu", "url": "gioi-thieu/"}]  # fmt: skip
    site = _menu_site(make_site, menu, _many(1, "thong-bao"))
    assert _marked(site, f"{CAT}/bai-02/index.html") == [("Tin hoạt động", "true")]
    assert _marked(site, "thong-bao/bai-01/index.html") == [("Thông báo", "true")]
    assert _marked(site, f"{CAT}/index.html") == [("Tin hoạt động", "page")]
    assert _marked(site, f"{CAT}/page/2/index.html") == [("Tin hoạt động", "true")]
    assert _marked(site, "index.html") == [("Trang chủ", "page")]
    assert _marked(site, "gioi-thieu/index.html") == [("Giới thiệu", "page")]
    assert _marked(site, "404.html") == _marked(site, "tim-kiem/index.html") == []
    hrefs = site.html(f"{CAT}/bai-02/index.html").xpath("//nav[@class='site-nav']//a/@href")
    assert hrefs == ["/portal/", f"/portal/{CAT}/", "/portal/thong-bao/", "/portal/gioi-thieu/"]


def test_a_menu_item_given_as_a_full_address_on_this_site_marks_pages_as_its_path_does(make_site):
    menu = [
        {"title": "Tin hoạt động", "url": f"https://example.test/portal/{CAT}/"},
        {"title": "Giới thiệu", "url": "HTTPS://Example.TEST/portal/gioi-thieu/"},
        {"title": "Ngoài cổng", "url": "https://example.test/khac/"},  # above the site's path
        {"title": "Bộ", "url": "https://most.gov.vn/portal/gioi-thieu/"},
        # Addresses of other kinds, and one on another host without its scheme.
        {"title": "Thư", "url": "mailto:sokhcn@thanhhoa.gov.vn"},
        {"title": "Gọi", "url": "tel:+842373852590"},
        {"title": "Tỉnh", "url": "//thanhhoa.gov.vn/"},
    ]
    site = _menu_site(make_site, menu, {})
    assert _marked(site, f"{CAT}/index.html") == [("Tin hoạt động", "page")]
    assert _marked(site, f"{CAT}/page/2/index.html") == [("Tin hoạt động", "true")]
    assert _marked(site, f"{CAT}/bai-02/index.html") == [("Tin hoạt động", "true")]
    assert _marked(site, "gioi-thieu/index.html") == [("Giới thiệu", "page")]
    # Links of the site lead within it, as relative ones do (in a preview too).
    hrefs = site.html("index.html").xpath("//nav[@class='site-nav']//a/@href")
    assert hrefs == [
        "/portal/", f"/portal/{CAT}/", "/portal/gioi-thieu/", "https://example.test/khac/",
        "https://most.gov.vn/portal/gioi-thieu/", "mailto:sokhcn@thanhhoa.gov.vn",
        "tel:+842373852590", "//thanhhoa.gov.vn/",
    ]  # fmt: skip
