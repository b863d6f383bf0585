"""The search index and page are built with the site, from the same articles."""

from __future__ import annotations

import json
import re
import unicodedata

from conftest import article
from test_search_index import vlq_values

from sokhcn_site.site_search import plain_text

CAT = "tin-hoat-dong-cua-so"


def _files(site) -> dict[str, object]:
    index = site.output / "tim-kiem" / "index"
    return {
        p.relative_to(index).as_posix(): json.loads(p.read_bytes()) for p in index.rglob("*.json")
    }


def _site(make_site):
    files = {
        f"content/{CAT}/2020-01-14-hoi-nghi.md": article(
            "Hội nghị khoa học", "2020-01-14 08:30",
            body="Sở <b>Khoa</b> học &amp; Công nghệ.\n\n- Thanh Hóa\n- Đo lường\n",
        ),
        f"content/{CAT}/2020-01-15-nhap.md": article("Bản nháp bí mật", "2020-01-15", draft=True),
        "content/thong-bao/2019-12-31-a.md": article("Thông báo", "2019-12-31 23:30 +00:00"),
        "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nChào.\n",
    }  # fmt: skip
    config = {"categories": {CAT: "Tin hoạt động", "thong-bao": "Thông báo"},
              "base_url": "https://example.test/sub/"}  # fmt: skip
    site = make_site(files, config)
    assert site.build().code == 0
    return site


def _records(files: dict[str, object]) -> list:
    """The records of the documents, oldest first."""
    return [files[f"d/{doc}.json"][0] for doc in vlq_values(files["o.json"])]


def test_records_are_the_published_articles_as_readers_see_them(make_site):
    files = _files(_site(make_site))
    assert files["meta.json"]["n"] == 2  # not the draft
    assert len([name for name in files if name.startswith("d/")]) == 2
    # Oldest first; the date is the article's own day in Vietnam time.
    older, newer = _records(files)
    assert older == ["thong-bao/a/", "Thông báo", "01/01/2020", "Thông báo", "Nội dung."]
    url, title, date, category, text = newer
    assert (url, title, date, category) == (
        f"{CAT}/hoi-nghi/",
        "Hội nghị khoa học",
        "14/01/2020",
        "Tin hoạt động",
    )
    assert text.split() == "Sở Khoa học & Công nghệ. Thanh Hóa Đo lường".split()
    shards = [t for name, t in files.items() if name.startswith("t-")]
    words = {word for shard in shards for word in shard}
    assert {"khoa", "hoc", "thanh", "hoa", "do", "luong", "thong", "bao"} <= words
    assert not {"nhap", "bi", "mat", "gioi", "thieu"} & words  # no draft, no static page


def test_articles_of_one_date_rank_in_search_as_they_are_listed(make_site):
    """Results of equal weight come newest first (last in o.json): as in the listings."""
    same_day = {f"content/{CAT}/{slug}.md": article(slug, "2021-03-10") for slug in "bac"}
    site = make_site({**same_day, "content/thong-bao/a.md": article("a", "2021-03-10"),
                      f"content/{CAT}/d.md": article("d", "2021-03-11")})  # fmt: skip
    assert site.build().code == 0
    listed = site.html("index.html").xpath("//ol[@class='article-list']//h2/a/@href")
    newest_first = [record[0] for record in reversed(_records(_files(site)))]
    assert listed == ["/" + url for url in newest_first]
    assert newest_first[:3] == [f"{CAT}/d/", "thong-bao/a/", f"{CAT}/a/"]  # slug, then folder


def test_what_readers_see_of_an_article_beside_its_body_is_searchable(make_site):
    """Its tags and signature (on its page) and its summary (in listings)."""
    site = make_site({f"content/{CAT}/a.md": article(
        "Tin", body="Thân bài.", tags=["Thẻriêng"], author="Ông Tácgiả",
        department="Phòng Đơnvị", summary="Tómtắt ngắn.",
    )})  # fmt: skip
    assert site.build().code == 0
    files = _files(site)
    words = {word for name, shard in files.items() if name.startswith("t-") for word in shard}
    assert {"therieng", "tacgia", "donvi", "tomtat", "than", "bai"} <= words
    [record] = _records(files)
    assert record[4] == "Thân bài."  # the excerpt is the body's


def test_the_search_page_is_linked_from_every_page_and_works_without_javascript(make_site):
    site = _site(make_site)
    pages = [p for p in site.files() if p.endswith(".html")]
    assert "tim-kiem/index.html" in pages and len(pages) > 5
    for path in pages:
        form = site.html(path).xpath("//header//form[@role='search']")
        assert form and form[0].get("action") == "/sub/tim-kiem/", path
        assert form[0].xpath(".//input[@type='search']/@name") == ["q"]
    search = site.html("tim-kiem/index.html")
    [script] = search.xpath("//script/@src")
    assert re.fullmatch(r"/sub/static/js/search\.js\?v=[0-9a-f]{10}", script)
    assert search.xpath("//input[@id='q']/@type") == ["search"]
    noscript = search.xpath("//noscript")[0]
    assert "cần JavaScript" in noscript.text_content()
    assert noscript.xpath(".//a/@href") == ["/sub/tin-hoat-dong-cua-so/", "/sub/thong-bao/"]
    # Results are made in the browser: nothing for a search engine to index.
    assert search.xpath("//head/meta[@name='robots']/@content") == ["noindex"]
    assert "tim-kiem" not in (site.output / "sitemap.xml").read_text()


def test_plain_text_separates_blocks_but_not_inline_markup():
    html = "<h2>Tiêu đề</h2><p>Kh<b>oa</b> học<br>mới &lt;3</p><ul><li>Một</li><li>Hai</li></ul>"
    assert plain_text(html).split() == ["Tiêu", "đề", "Khoa", "học", "mới", "<3", "Một", "Hai"]


def test_decomposed_text_in_an_article_is_indexed_composed(make_site):
    body = unicodedata.normalize("NFD", "Thanh Hoá")
    site = make_site({f"content/{CAT}/2020-01-14-a.md": article("Tin", body=body)})
    assert site.build().code == 0
    index = _files(site)
    [(_, _, name)] = index["meta.json"]["shards"]
    shard = index[f"t-{name}.json"]
    assert list(shard["hoa"]) == ["hoa\u0301"]  # tone mark last, whichever placement was typed
    assert _records(_files(site))[0][4] == "Thanh Hoá"
