"""Open Graph, Twitter card and JSON-LD on article pages, read back as a crawler reads them."""

import json
from datetime import datetime
from urllib.parse import urlsplit

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
