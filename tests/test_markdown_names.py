"""A Markdown file named other than `*.md` (`Bai-moi.MD`, `bai.markdown`, `.mdown`, `.mkd`) is an
article or a page like a `*.md` one: same address, same checks, same links; never a raw file."""

from conftest import article

CAT = "tin"
MARKDOWN = (".md", ".markdown", ".mdown", ".mkd")


def _hrefs(site, rel: str) -> dict[str, str]:
    links = site.html(rel).xpath("//div[@class='body']//a")
    return {a.text_content(): a.get("href") for a in links}


def test_every_markdown_name_is_an_article_at_the_address_its_name_gives(make_site):
    body = "[B](Bai-Moi.MD) [C](2020-01-03-c.markdown) [D](d.Mdown) [L](../pages/lien-he.mkd)"
    site = make_site({
        f"content/{CAT}/2020-01-01-a.md": article("A", "2020-01-01", body=body),
        f"content/{CAT}/Bai-Moi.MD": article("B"),
        f"content/{CAT}/2020-01-03-c.markdown": article("C", "2020-01-03"),
        f"content/{CAT}/d.Mdown": article("D"),
        f"content/{CAT}/e.MKD": article("E"),
        "content/pages/lien-he.mkd": article("Liên hệ"),
        f"content/{CAT}/ghi-chu.txt": "x",
    })  # fmt: skip
    result = site.build()
    assert (result.code, result.err) == (0, "")
    for slug in ("a", "bai-moi", "c", "d", "e"):
        assert (site.output / CAT / slug / "index.html").is_file(), slug
    assert site.html("lien-he/index.html").xpath("string(//h1)") == "Liên hệ"
    assert _hrefs(site, f"{CAT}/a/index.html") == {
        "B": f"/{CAT}/bai-moi/", "C": f"/{CAT}/c/", "D": f"/{CAT}/d/", "L": "/lien-he/"
    }  # fmt: skip
    published = [p.name for p in site.output.rglob("*") if p.is_file()]
    assert "ghi-chu.txt" in published
    assert [n for n in published if n.lower().endswith(MARKDOWN)] == []


def test_a_link_to_a_markdown_file_that_is_not_there_is_an_error(make_site):
    site = make_site({f"content/{CAT}/a.md": article("A", body="[x](khong-co.markdown)")})
    result = site.build()
    assert result.code == 1
    assert (
        f"content/{CAT}/a.md:5: error: liên kết tới '{CAT}/khong-co.markdown' nhưng không có bài "
        "viết đó" in result.err
    )


def test_two_names_that_give_one_address_are_the_duplicate_address_error(make_site):
    site = make_site({
        f"content/{CAT}/bai.md": article("Một"),
        f"content/{CAT}/bai.markdown": article("Hai"),
        "content/pages/lien-he.md": article("Liên hệ"),
        "content/pages/Lien-He.MD": article("Liên hệ khác"),
    })  # fmt: skip
    result = site.build()
    assert result.code == 1
    content = f"{site.root}/content"
    lines = result.err.splitlines()
    assert (
        f"{content}/{CAT}/bai.md:1: error: slug 'bai' đã được dùng bởi {content}/{CAT}/"
        "bai.markdown trong cùng chuyên mục; đổi tên tệp hoặc thêm `slug: ...` khác" in lines
    )
    assert (
        f"{content}/pages/lien-he.md:1: error: slug 'lien-he' trùng với {content}/pages/"
        "Lien-He.MD; đổi tên một trong hai tệp hoặc thêm `slug: ...` khác" in lines
    )


def test_a_hidden_markdown_file_is_told_like_a_hidden_md_file(make_site):
    site = make_site({
        f"content/{CAT}/a.md": article("A"),
        f"content/{CAT}/.b.MD": article("B"),
        f"content/{CAT}/.nhap/c.markdown": article("C"),
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert f"{CAT}/.b.MD:1: warning: tệp ẩn (tên bắt đầu bằng dấu chấm)" in result.err
    assert (
        f"{CAT}/.nhap:1: warning: thư mục ẩn (tên bắt đầu bằng dấu chấm) không được đăng, "
        "nên 1 bài viết (.md)" in result.err
    )
