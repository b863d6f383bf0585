"""Values that Python makes of several fields and the templates print (render, model), read
back from the pages of a real build."""

import json

from conftest import article

CAT = "tin"
SIGNERS = {  # slug: front-matter fields
    "ca-hai": {"author": "Cao Thị Ngọc Hà", "department": "Phòng Quản lý Khoa học"},
    "tac-gia": {"author": "Cao Thị Ngọc Hà"},
    "phong": {"department": "Phòng Quản lý Khoa học"},
    "khong-ai": {},
}


def _json_ld(page) -> dict:
    [script] = page.xpath("//script[@type='application/ld+json']/text()")
    return json.loads(script)


def test_an_article_is_signed_with_whichever_of_author_and_department_it_has(make_site):
    files = {f"content/{CAT}/2020-01-0{n}-{slug}.md": article(slug, f"2020-01-0{n}", **fields)
             for n, (slug, fields) in enumerate(SIGNERS.items(), 1)}  # fmt: skip
    site = make_site(files)
    assert site.build().code == 0
    signed = {slug: site.html(f"{CAT}/{slug}/index.html").xpath("//p[@class='signature']/text()")
              for slug in SIGNERS}  # fmt: skip
    assert signed == {
        "ca-hai": ["Cao Thị Ngọc Hà - Phòng Quản lý Khoa học"],
        "tac-gia": ["Cao Thị Ngọc Hà"],
        "phong": ["Phòng Quản lý Khoa học"],
        "khong-ai": [],  # no empty line left to sign it
    }


def test_the_footer_and_the_publisher_are_the_footers_name_or_else_the_sites(make_site):
    files = {f"content/{CAT}/2020-01-14-a.md": article("A")}
    unnamed = make_site(files, {"name": "Cổng Thử", "footer": {"address": "1 Đường Thử"}})
    named = make_site(files, {"footer": {"name": "Sở Khoa học Thử"}}, name="named")
    for site, name in ((unnamed, "Cổng Thử"), (named, "Sở Khoa học Thử")):
        assert site.build().code == 0
        page = site.html(f"{CAT}/a/index.html")
        assert page.xpath("//footer//p[@class='footer-name']/text()") == [name]
        assert _json_ld(page)["publisher"]["name"] == name


def test_an_article_announces_when_it_last_changed(make_site):
    site = make_site({
        f"content/{CAT}/2020-01-14-sua.md": article("Sửa", "2020-01-14 08:30",
                                                    updated="2020-02-01 09:00"),
        f"content/{CAT}/2020-01-10-y-nguyen.md": article("Y nguyên", "2020-01-10 07:00"),
    })  # fmt: skip
    assert site.build().code == 0
    for slug, published, modified in (
        ("sua", "2020-01-14T08:30:00+07:00", "2020-02-01T09:00:00+07:00"),
        ("y-nguyen", "2020-01-10T07:00:00+07:00", "2020-01-10T07:00:00+07:00"),
    ):
        page = site.html(f"{CAT}/{slug}/index.html")
        meta = page.xpath("//meta[@property='article:modified_time']/@content")
        assert meta == [modified] == [_json_ld(page)["dateModified"]], slug
        assert page.xpath("//meta[@property='article:published_time']/@content") == [published]


def test_an_article_links_its_category_under_the_sites_path_and_lists_its_keywords(make_site):
    site = make_site({
        f"content/{CAT}/2020-01-14-a.md": article("A", tags=["ISO", "đo lường"]),
        f"content/{CAT}/2020-01-10-b.md": article("B", "2020-01-10"),
    }, {"categories": {CAT: "Tin tức"}})  # fmt: skip
    assert site.build("--base-url", "https://example.test/portal/").code == 0
    tagged, plain = site.html(f"{CAT}/a/index.html"), site.html(f"{CAT}/b/index.html")
    assert tagged.xpath("//p[@class='section-name']/a/@href") == [f"/portal/{CAT}/"]
    assert tagged.xpath("//p[@class='tags']/text()") == ["Từ khóa: ISO, đo lường"]
    assert plain.xpath("//p[@class='tags']") == []
