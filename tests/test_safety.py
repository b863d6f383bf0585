"""Whatever an editor pastes, readers get escaped text and sanitised HTML."""

from conftest import article

CAT = "tin"


def test_fields_are_escaped(make_site):
    site = make_site({f"content/{CAT}/a.md": article(
        "<script>alert(1)</script> & co", author="<b>Tác giả</b>", department="Phòng <i>X</i>",
        summary="<img src=x onerror=alert(1)>")})  # fmt: skip
    assert site.build().code == 0
    raw = (site.output / CAT / "a/index.html").read_text()
    assert "<script>alert" not in raw and "<b>Tác giả</b>" not in raw and "<img src=x" not in raw
    page = site.html(f"{CAT}/a/index.html")
    assert page.findtext(".//h1") == "<script>alert(1)</script> & co"
    assert page.xpath("string(//p[@class='signature'])") == "<b>Tác giả</b> - Phòng <i>X</i>"


def test_raw_html_in_bodies_is_sanitised(make_site):
    body = (
        "<script>alert(1)</script>\n\n"
        '<p onclick="steal()">Đoạn <a href="javascript:alert(1)">x</a></p>\n\n'
        '<iframe src="https://evil.example/"></iframe>\n\n'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>\n\n'
        "<table><tr><td>Ô</td></tr></table>\n\n"
        '<figure><img src="https://example.org/a.png" alt="Ảnh">'
        "<figcaption>Chú thích</figcaption></figure>\n\n<style>body{display:none}</style>"
    )
    site = make_site(
        {f"content/{CAT}/a.md": article("A", body=body)}, {"video_hosts": ["www.youtube.com"]}
    )
    assert site.build().code == 0
    page = site.html(f"{CAT}/a/index.html")
    content = page.find_class("body")[0]
    assert not content.xpath(".//script | .//style")
    assert not [a for a in content.iter() if any(k.startswith("on") for k in a.attrib)]
    assert not content.xpath(".//@href[starts-with(., 'javascript')]")
    assert content.xpath(".//iframe/@src") == ["https://www.youtube.com/embed/abc"]
    assert content.xpath(".//td/text()") == ["Ô"]
    assert content.xpath(".//figure/img/@alt") == ["Ảnh"]
    assert content.xpath(".//figcaption/text()") == ["Chú thích"]
    assert "alert" not in content.text_content()


def test_relative_links_cannot_point_outside_content(make_site):
    site = make_site({f"content/{CAT}/a.md": article("A", body="[x](../../../etc/passwd)")})
    result = site.build()
    assert result.code == 1
    assert "trỏ ra ngoài thư mục nội dung" in result.err


def test_links_to_other_article_files_become_their_urls(make_site):
    site = make_site({
        f"content/{CAT}/2020-01-01-a.md": article(
            "A", body="Xem [bài B](../khac/2019-10-17-b.md#phan-2)."
        ),
        "content/khac/2019-10-17-b.md": article("B", "2019-10-17", slug="bai-b"),
        f"content/{CAT}/2020-01-02-c.md": article("C", body="[mất](khong-co.md)"),
    })  # fmt: skip
    result = site.build()
    assert result.code == 1
    assert (
        "2020-01-02-c.md:5: error: liên kết tới 'tin/khong-co.md' nhưng không có bài viết đó"
        in result.err
    )
    site.write(f"content/{CAT}/2020-01-02-c.md", article("C"))
    assert site.build().code == 0
    assert site.html(f"{CAT}/a/index.html").xpath("//div[@class='body']//a/@href") == [
        "/khac/bai-b/#phan-2"
    ]
