"""Open Graph, Twitter card and JSON-LD on article and listing pages, read back as a crawler
reads them."""

import json
from datetime import datetime
from urllib.parse import unquote, urlsplit

from conftest import article

CAT = "tin"


def _meta(page, key: str) -> list[str]:
    return page.xpath(f"//head/meta[@property='{key}' or @name='{key}']/@content")


def _json_ld(page) -> dict:
    [script] = page.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def _offset_date(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    assert text.endswith("+07:00"), text
    return moment


def test_article_pages_carry_open_graph_twitter_and_news_article(make_site):
    site = make_site(
        {
            f"content/{CAT}/2020-01-14-hoi-nghi.md": article(
                "Hội nghị </script><b>tổng kết</b>", "2020-01-14 08:30",
                author="Cao Thị Ngọc Hà", summary="Tóm tắt hội nghị.",
                updated="2020-01-15", image="anh/hoi-nghi.jpg",
            ),
            f"content/{CAT}/anh/hoi-nghi.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
            f"content/{CAT}/2020-01-10-khong-anh.md": article("Không ảnh", "2020-01-10"),
        },
        {"footer": {"name": "Sở Khoa học và Công nghệ tỉnh Thử"}},
    )  # fmt: skip
    assert site.build("--base-url", "https://example.github.io/portal").code == 0
    base = "https://example.github.io/portal/"
    page = site.html(f"{CAT}/hoi-nghi/index.html")
    url = f"{base}{CAT}/hoi-nghi/"
    title = "Hội nghị </script><b>tổng kết</b>"
    assert page.xpath("//link[@rel='canonical']/@href") == [url]
    expected = {
        "og:title": [title], "og:description": ["Tóm tắt hội nghị."], "og:url": [url],
        "og:type": ["article"], "og:image": [f"{base}{CAT}/anh/hoi-nghi.jpg"],
        "og:site_name": ["Sở Thử Nghiệm"], "og:locale": ["vi_VN"],
        "twitter:card": ["summary_large_image"],
    }  # fmt: skip
    assert {key: _meta(page, key) for key in expected} == expected

    data = _json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == title
    assert _offset_date(data["datePublished"]) == datetime.fromisoformat("2020-01-14T08:30+07:00")
    assert _offset_date(data["dateModified"]) == datetime.fromisoformat("2020-01-15T00:00+07:00")
    assert data["author"] == [{"@type": "Person", "name": "Cao Thị Ngọc Hà"}]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == "Sở Khoa học và Công nghệ tỉnh Thử"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"] == f"{base}static/img/logo.png"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["image"] == [f"{base}{CAT}/anh/hoi-nghi.jpg"]
    assert all(_absolute(u) for u in (publisher["logo"]["url"], url, *data["image"]))
    # The title's "</script>" did not end the script element early.
    assert "</script><b>" not in (site.output / f"{CAT}/hoi-nghi/index.html").read_text("utf-8")

    plain = site.html(f"{CAT}/khong-anh/index.html")
    assert _meta(plain, "og:image") == [f"{base}static/img/chia-se.png"]
    assert _json_ld(plain)["image"] == [f"{base}static/img/chia-se.png"]
    assert _json_ld(plain)["dateModified"] == "2020-01-10T00:00:00+07:00"
    # The shared images are real files of the site.
    for path in ("static/img/chia-se.png", "static/img/logo.png"):
        assert (site.output / path).read_bytes().startswith(b"\x89PNG")


def test_a_shared_picture_named_in_vietnamese_with_spaces_is_a_valid_address(make_site):
    name = "ảnh/hội nghị.jpg"
    site = make_site({f"content/{CAT}/2020-01-14-a.md": article("A", image=name),
                      f"content/{CAT}/{name}": b"\xff\xd8jpeg"})  # fmt: skip
    assert site.build().code == 0
    page = site.html(f"{CAT}/a/index.html")
    [url] = _meta(page, "og:image")
    assert url == "https://example.test/tin/%E1%BA%A3nh/h%E1%BB%99i%20ngh%E1%BB%8B.jpg"
    assert _json_ld(page)["image"] == [url]
    path = unquote(urlsplit(url).path).removeprefix("/")
    assert (site.output / path).read_bytes() == b"\xff\xd8jpeg"


def test_a_shared_picture_must_be_a_file_of_the_site_or_a_web_address(make_site):
    files = {f"content/{CAT}/2020-01-14-a.md": article("A", image="ftp://a.vn/b.png"),
             f"content/{CAT}/2020-01-15-b.md": article("B", "2020-01-15",
                                                       image="http://a.vn/b.png")}  # fmt: skip
    site = make_site(files)
    result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{site.root}/content/{CAT}/2020-01-14-a.md:4: error: 'image: ftp://a.vn/b.png' phải là "
        "tệp của trang web hoặc một địa chỉ https://...; sửa lại địa chỉ hoặc bỏ dòng này"
    )
    assert "2020-01-15-b.md" not in result.err


def test_each_listing_page_describes_itself_and_carries_open_graph(make_site):
    files = {f"content/{CAT}/2020-01-{n:02}-bai-{n}.md": article(f"Bài {n}", f"2020-01-{n:02}")
             for n in range(1, 4)}  # fmt: skip
    config = {"description": "Cổng thông tin thử", "page_size": 2, "categories": {CAT: "Khoa học"}}
    site = make_site(files, config)
    assert site.build("--base-url", "https://example.github.io/portal").code == 0
    base = "https://example.github.io/portal/"
    expected = {
        "": ("Sở Thử Nghiệm", "Cổng thông tin thử"),
        "page/2/": ("Tin mới nhất - trang 2", "Tin bài mới nhất của Sở Thử Nghiệm - trang 2"),
        f"{CAT}/": ("Khoa học", "Tin bài chuyên mục Khoa học"),
        f"{CAT}/page/2/": ("Khoa học - trang 2", "Tin bài chuyên mục Khoa học - trang 2"),
    }
    for path, (title, description) in expected.items():
        page = site.html(f"{path}index.html")
        assert _meta(page, "description") == [description], path
        assert page.xpath("//link[@rel='canonical']/@href") == [f"{base}{path}"]
        found = {key: _meta(page, key) for key in (
            "og:type", "og:title", "og:description", "og:url", "og:image", "og:site_name",
            "og:locale")}  # fmt: skip
        assert found == {
            "og:type": ["website"], "og:title": [title], "og:description": [description],
            "og:url": [f"{base}{path}"], "og:image": [f"{base}static/img/chia-se.png"],
            "og:site_name": ["Sở Thử Nghiệm"], "og:locale": ["vi_VN"],
        }, path  # fmt: skip


def test_a_listing_page_names_its_number_one_way_in_title_heading_and_sharing(make_site):
    files = {f"content/{CAT}/2020-01-{n:02}-bai-{n}.md": article(f"Bài {n}", f"2020-01-{n:02}")
             for n in range(1, 4)}  # fmt: skip
    site = make_site(files, {"page_size": 2, "categories": {CAT: "Khoa học"}})
    assert site.build().code == 0
    expected = {  # path: <title>, <h1>, og:title
        "": ("Tin mới nhất - Sở Thử Nghiệm", "Tin mới nhất", "Sở Thử Nghiệm"),
        "page/2/": ("Tin mới nhất - trang 2 - Sở Thử Nghiệm", "Tin mới nhất (trang 2)",
                    "Tin mới nhất - trang 2"),
        f"{CAT}/": ("Khoa học - Sở Thử Nghiệm", "Khoa học", "Khoa học"),
        f"{CAT}/page/2/": ("Khoa học - trang 2 - Sở Thử Nghiệm", "Khoa học (trang 2)",
                           "Khoa học - trang 2"),
    }  # fmt: skip
    for path, (title, heading, shared) in expected.items():
        page = site.html(f"{path}index.html")
        [h1] = page.xpath("//h1")
        found = (page.findtext(".//title"), h1.text_content(), *_meta(page, "og:title"))
        assert found == (title, heading, shared), path
        assert _meta(page, "twitter:card") == ["summary"], path


def test_without_a_default_image_a_listing_announces_none(make_site):
    site = make_site({f"content/{CAT}/2020-01-14-a.md": article("A")}, {"default_image": ""})
    assert site.build().code == 0
    for path in ("index.html", f"{CAT}/index.html"):
        page = site.html(path)
        assert _meta(page, "og:url") and not _meta(page, "og:image"), path


def test_an_article_without_any_picture_announces_the_small_card(make_site):
    files = {f"content/{CAT}/2020-01-14-a.md": article("A"),
             f"content/{CAT}/2020-01-15-b.md": article("B", "2020-01-15", image="anh/b.jpg"),
             f"content/{CAT}/anh/b.jpg": b"\xff\xd8jpeg"}  # fmt: skip
    site = make_site(files, {"default_image": ""})
    assert site.build().code == 0
    plain = site.html(f"{CAT}/a/index.html")
    assert _meta(plain, "og:url") and not _meta(plain, "og:image")
    assert "image" not in _json_ld(plain)
    # The large card would show an empty frame where the picture should be.
    assert _meta(plain, "twitter:card") == ["summary"]
    pictured = site.html(f"{CAT}/b/index.html")
    assert _meta(pictured, "og:image") == ["https://example.test/tin/anh/b.jpg"]
    assert _meta(pictured, "twitter:card") == ["summary_large_image"]


def test_an_article_shown_by_the_sites_picture_announces_the_small_card_as_lists_do(make_site):
    picture = "https://anh.example.org/b.jpg"
    files = {
        f"content/{CAT}/2020-01-14-a.md": article("A"),
        f"content/{CAT}/2020-01-15-b.md": article("B", "2020-01-15", image=picture),
    }
    site = make_site(files)
    assert site.build().code == 0
    generic = "https://example.test/static/img/chia-se.png"
    # The site's picture says nothing of this article: a large card of it would look like a
    # picture of the news. It is still the picture shared, on the small card, as a list's.
    for path in ("index.html", f"{CAT}/index.html", f"{CAT}/a/index.html"):
        page = site.html(path)
        found = (_meta(page, "og:image"), _meta(page, "twitter:card"))
        assert found == ([generic], ["summary"]), path
    pictured = site.html(f"{CAT}/b/index.html")
    assert _meta(pictured, "og:image") == [picture]
    assert _meta(pictured, "twitter:card") == ["summary_large_image"]


def test_a_picture_or_logo_written_with_no_value_is_none_as_an_empty_one_is(make_site):
    site = make_site({f"content/{CAT}/2020-01-14-a.md": article("A")})
    with (site.root / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("default_image:\nlogo:\n")  # the values emptied: YAML's null
    result = site.build()
    assert result.code == 0, result.err
    for path in ("index.html", f"{CAT}/index.html", f"{CAT}/a/index.html"):
        page = site.html(path)
        found = (_meta(page, "og:image"), _meta(page, "twitter:card"))
        assert _meta(page, "og:url") and found == ([], ["summary"]), path
    data = _json_ld(site.html(f"{CAT}/a/index.html"))
    assert "image" not in data
    assert data["publisher"] == {"@type": "Organization", "name": "Sở Thử Nghiệm",
                                 "url": "https://example.test/"}  # fmt: skip
